"""Attribute a quotation in marks: its cue and speaker, read from the words around it.

Cue and speaker are looked for in the quotation's frames (:mod:`.frames`), in this order:

1. before: a cue verb whose own words run up to the opening mark ("X said:", "X told
   reporters on Monday,"), "according to X,", or a clause ending in a colon whose subject
   is a known actor ("Trump on Twitter:", "the minister was blunt:");
2. after: a dash and a name ("... ” ― Jane Roe"), a cue verb with nothing but its subject
   and adverbs between it and the closing mark ("..., he said", "..., said Dr. Jane Roe, an
   analyst at ..."), or "according to X".

A quotation that only finishes a sentence begun outside the marks ("the plan was 'a
disaster', he said") or names what a label verb gives ("called it 'a disaster'") is a
*partial* quotation: its content starts where the sentence (or the cue's object) starts.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass
from typing import Any

from redline.article import Actor, Article
from redline.quotes.cues import Cues
from redline.quotes.frames import FRAME, INTRO, Frames
from redline.quotes.marks import Quoted
from redline.quotes.speakers import Speakers, subject_of
from redline.syntax import children

GAP = 10  # most tokens between a cue before a quotation and its opening mark
_VERBS = frozenset({"VERB", "AUX"})
_SPEAKER_KINDS = frozenset({"person", "organisation", "government", "igo", "group", "country"})
_BETWEEN_AFTER = frozenset({"advmod", "aux", "auxpass", "neg", "punct", "npadvmod"})
_SUBJ_DEPS = frozenset({"nsubj", "nsubjpass", "csubj", "expl"})


@dataclass(slots=True)
class Attribution:
    """Who said a quotation and the cue that says so (``verb``: the cue's token index).

    ``partial_from``: where the content starts when the quotation is partial (mixed speech).
    """

    speaker: Actor | None
    cue: tuple[int, int] | None
    verb: int | None
    how: str  # before | after | colon | dash | according
    partial_from: int | None = None


class Attributor:
    """Attributes the quotations of one parsed article."""

    def __init__(self, article: Article, speakers: Speakers, cues: Cues) -> None:
        self.article = article
        self.doc: Any = article.doc
        self.text = article.text
        self.speakers = speakers
        self.cues = cues
        self.frames = Frames(article)
        self._dashes = tuple(sorted(cues.marks, key=len, reverse=True))
        self._q = Quoted(0, 0, True, True, ())  # the quotation being attributed

    # -- attribution ----------------------------------------------------------------------
    def attribute(self, q: Quoted, floor: int, ceiling: int, lead: int | None = None
                  ) -> Attribution | None:
        """Cue and speaker of ``q``; ``floor``/``ceiling``: the neighbouring quotations;
        ``lead``: the end of a previous paragraph that ends in a colon ("He said:")."""
        self._q = q
        left = self.frames.left(q, floor)
        ends = self.frames.ends_clause(q, ceiling)
        hit = self._before(left, ends)
        if hit is None:
            hit = self._dash(q)
        if hit is None:
            right = self.frames.right(q, ceiling)
            if right and self.frames.may_follow(q, right):
                hit = self._after(right)
                words = [t for t in left if t.dep_ not in INTRO]
                if hit is not None and words and left[-1].text != ":" and (
                        left[-1].text != "," or not self.frames.starts_like_sentence(q)):
                    hit.partial_from = words[0].idx  # 'The plan is "a disaster," he said'.
        if hit is None and lead is not None:
            lead_frame = self.frames.before(lead)
            hit = self._before(lead_frame) or self._colon(lead_frame)
        if hit is None and ends and left and left[-1].text == ":":
            hit = self._colon(left)
        return hit

    def _before(self, left: list[Any], ends: bool = True) -> Attribution | None:
        """A cue verb (or "according to X,") whose words run up to the opening mark; unless
        the quotation ``ends`` its clause, only a label verb ("called it '...' and ...")."""
        if not left:
            return None
        for k in range(len(left) - 1, max(len(left) - 1 - GAP, -1), -1):
            t = left[k]
            kind = self.cues.verb_kind(t.lemma_)
            if kind and t.pos_ in _VERBS and t.dep_ != "relcl":
                between = [b for b in left[k + 1:] if not b.is_punct]
                if (kind == "label" and not between) or (kind != "label" and not ends):
                    break  # "were calling 'every 15 minutes'": nothing is being named
                if all(self._between_before(t, b) for b in between):
                    hit = self._make(t, "before")
                    if hit is not None:
                        hit.partial_from = self._partial_before(left, t, between, kind)
                    return hit
                break
        if ends and self._source_phrase(left, 0) and left[-1].text == ",":
            return self._according(left, 0)
        return None

    def _partial_before(self, left: list[Any], cue: Any, between: list[Any], kind: str
                        ) -> int | None:
        """Where the content starts if the quotation only finishes a sentence: the cue's
        object for a label verb, or a quotation after "that" or in lower case; the sentence
        start when the attribution is set inside the quoted sentence ("It was, the
        president said, '...'"), as opposed to its own modifiers ("Asked about it, she said:
        '...'")."""
        full = self.frames.starts_like_sentence(self._q)
        if between and (kind == "label" or between[0].lower_ == "that" or not full):
            return between[0].idx
        if left[-1].text == ":" or cue.dep_ != "parataxis":
            return None
        subj = self._subject(cue)
        first = min(subj.left_edge.i, cue.i) if subj is not None else cue.i
        before = [t for t in left if t.i < first and t.dep_ not in INTRO]
        return before[0].idx if before else None

    def _colon(self, left: list[Any]) -> Attribution | None:
        """"Trump on Twitter:" or "the minister was blunt:" - a known actor, then a colon."""
        if not left or left[-1].text != ":":
            return None
        colon = left[-1]
        root = colon.head
        for _ in range(4):
            if root.pos_ in _VERBS or root.head.i == root.i:
                break
            root = root.head
        subj = subject_of(root) if root.pos_ in _VERBS else None
        if subj is not None:
            m = self.speakers.mention_at(subj.idx)
        else:
            if any(t.pos_ in _VERBS for t in left):
                return None
            m = next(iter(self.speakers.mentions_in(left[0].idx, colon.idx)), None)
        if m is None or m.actor is None or m.actor.kind not in _SPEAKER_KINDS:
            return None
        return Attribution(self.speakers.from_mention(m), (colon.idx, colon.idx + 1), None,
                           "colon")

    @staticmethod
    def _between_before(cue: Any, t: Any) -> bool:
        """May ``t`` stand between a cue and the quotation it introduces?"""
        if t.dep_ == "mark" and t.lower_ == "that":
            return True
        inside = cue.left_edge.i <= t.i <= cue.right_edge.i
        return inside and t.pos_ not in _VERBS and t.dep_ not in _SUBJ_DEPS

    def _dash(self, q: Quoted) -> Attribution | None:
        """"... ” ― Jane Roe": a dash after the closing mark, then a name."""
        at = q.end
        while at < len(self.text) and self.text[at] in " \u00a0":
            at += 1
        dash = next((d for d in self._dashes if self.text.startswith(d, at)), None)
        if dash is None:
            return None
        i = bisect_left(self.frames.starts, at + len(dash))
        names = []
        while i < len(self.doc) and self.doc[i].pos_ == "PROPN" and len(names) < 6:
            names.append(self.doc[i])
            i += 1
        if not names:
            return None
        m = self.speakers.mention_at(names[-1].idx)
        speaker = self.speakers.from_mention(m) if m is not None else None
        if speaker is None:
            first, last = names[0], names[-1]
            end = last.idx + len(last.text)
            speaker = Actor(self.text[first.idx:end], first.idx, end, kind="person",
                            resolved_by="unresolved-speaker")
        return Attribution(speaker, (at, at + len(dash)), None, "dash")

    def _after(self, right: list[Any]) -> Attribution | None:
        for k, t in enumerate(right):
            if self._source_phrase(right, k):
                return self._according(right, k) if all(
                    b.dep_ in INTRO for b in right[:k]) else None
            if (t.pos_ in _VERBS and self.cues.verb_kind(t.lemma_) and t.dep_ != "relcl"
                    and self._adjacent(right[:k], t)):
                return self._make(t, "after", right)
        return None

    def _adjacent(self, before: list[Any], cue: Any) -> bool:
        """Only the cue's subject, adverbs and punctuation stand between quote and cue."""
        subj = self._subject(cue)
        lo, hi = (subj.left_edge.i, subj.right_edge.i) if subj is not None else (-1, -1)
        if subj is None and before:  # unparsed subject: a phrase with a name, no verb
            named = self.speakers.mentions_in(before[0].idx, before[-1].idx + 1)
            if named and not any(t.pos_ in _VERBS for t in before):
                return True
        return all(lo <= t.i <= hi or t.dep_ in _BETWEEN_AFTER for t in before)

    def _subject(self, cue: Any) -> Any | None:
        """The cue's subject, unless the parse put it inside the quotation itself."""
        subj = subject_of(cue)
        if subj is None or self._q.start <= subj.idx < self._q.end:
            return None
        return subj if abs(subj.i - cue.i) <= FRAME else None

    def _source_phrase(self, toks: list[Any], k: int) -> bool:
        words = tuple(t.lower_ for t in toks[k:k + 3])
        return any(words[:len(p)] == p for p in self.cues.phrases)

    def _according(self, toks: list[Any], k: int) -> Attribution | None:
        words = tuple(t.lower_ for t in toks[k:k + 3])
        phrase = next(p for p in self.cues.phrases if words[:len(p)] == p)
        last = toks[k + len(phrase) - 1]
        obj = next((c for c in children(last) if c.dep_ == "pobj"), None)
        if obj is None:
            return None
        return Attribution(self.speakers.actor_for(obj),
                           (toks[k].idx, last.idx + len(last.text)), None, "according")

    def _make(self, cue: Any, how: str, right: list[Any] | None = None
              ) -> Attribution | None:
        subj = self._subject(cue)
        speaker: Actor | None = None
        if subj is not None:
            speaker = self.speakers.actor_for(subj)
        elif right is not None:  # no parsed subject: the name next to the cue
            speaker = self._nearest_mention(right)
        if speaker is None:
            return None
        return Attribution(speaker, cue_span(cue), cue.i, how)

    def _nearest_mention(self, right: list[Any]) -> Actor | None:
        for m in self.speakers.mentions_in(right[0].idx, right[-1].idx + 1):
            if m.actor is not None and m.actor.kind in _SPEAKER_KINDS:
                return self.speakers.from_mention(m)
        return None


def cue_span(verb: Any) -> tuple[int, int]:
    """The cue's characters: the verb with its auxiliaries just before it and a particle
    just after ("has declared", "pointed out")."""
    start, end = verb.idx, verb.idx + len(verb.text)
    for c in children(verb):
        if c.dep_ in ("aux", "auxpass", "neg") and verb.i - 3 <= c.i < verb.i:
            start = min(start, c.idx)
        elif c.dep_ == "prt" and c.i == verb.i + 1:
            end = c.idx + len(c.text)
    return start, end

