"""Reported speech: a clause governed by a speech verb, or a sentence "according to" someone.

- "X said/declared/insisted (that) ...", "X told reporters that ...", "..., X said": the
  content is the verb's clausal complement (``ccomp``), the speaker the verb's subject;
- "Too often, X said, the debate ...": an attribution set inside its clause (``parataxis``)
  reports the whole clause;
- "according to X, ..." / "..., according to X": the content is the rest of the sentence,
  the speaker the phrase's object.

One pass over the tokens; each complement's extent comes from its edges, not a walk. A clause
that holds the cues of more than :data:`MAX_NESTED` other reports is a chain of attributions
("he said, he said, ..."), not something said: it is dropped, so the stage's output (and work)
stays linear in the text however the parse nests the reports.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass
from typing import Any

from redline.article import Actor, Article
from redline.quotes.attribution import cue_span
from redline.quotes.cues import Cues
from redline.quotes.speakers import Speakers, subject_of
from redline.syntax import children

_VERBS = frozenset({"VERB", "AUX"})
_MIN_TOKENS = 3  # a complement shorter than this is not a report ("he said so")
_QUOTE_TEXT = frozenset({'"', "'", "''", "``"})
#: Reports whose cues one reported clause may contain (a report of a report of a report).
MAX_NESTED = 3


@dataclass(slots=True)
class Reported:
    """One reported clause with its speaker and cue (``verb``: the cue's token index)."""

    speaker: Actor
    cue: tuple[int, int]
    verb: int | None
    content: tuple[int, int]


def _edges(doc: Any, lo: int, hi: int) -> tuple[int, int] | None:
    """Character extent of tokens ``lo..hi``, without punctuation at either end (quotation
    marks stay: they are part of what was said)."""
    while lo <= hi and doc[lo].is_punct and doc[lo].text not in _QUOTE_TEXT:
        lo += 1
    while hi >= lo and (doc[hi].is_punct or doc[hi].is_space) and doc[hi].text not in _QUOTE_TEXT:
        hi -= 1
    if hi - lo + 1 < _MIN_TOKENS:
        return None
    return doc[lo].idx, doc[hi].idx + len(doc[hi].text)


def reported_clauses(article: Article, speakers: Speakers, cues: Cues) -> list[Reported]:
    """Every reported clause of the article, in text order."""
    doc = article.doc
    out: list[Reported] = []
    longest = max((len(p) for p in cues.phrases), default=0)
    for tok in doc:
        if tok.lower_ == "according" and longest:
            hit = _according(tok, speakers, cues, longest)
            if hit is not None:
                out.append(hit)
            continue
        if tok.pos_ not in _VERBS or cues.verb_kind(tok.lemma_) != "speech":
            continue
        comp = next((c for c in children(tok) if c.dep_ == "ccomp"), None)
        subj = subject_of(tok)
        if subj is None:
            continue
        if comp is not None:
            content = _edges(doc, comp.left_edge.i, comp.right_edge.i)
            if content is None or content[0] <= subj.idx < content[1]:
                continue
        elif tok.dep_ == "parataxis" and tok.head.pos_ in _VERBS:
            # "Too often, he said, the debate ...": the clause around the attribution
            content = _edges(doc, tok.head.left_edge.i, tok.head.right_edge.i)
            if content is None:
                continue
        else:
            continue
        out.append(Reported(speakers.actor_for(subj), cue_span(tok), tok.i, content))
    return _unchained(out)


def _unchained(reported: list[Reported]) -> list[Reported]:
    """The reports whose content holds at most :data:`MAX_NESTED` other reports' cues."""
    cues = sorted(r.cue[0] for r in reported)
    keep = []
    for r in reported:
        inside = bisect_left(cues, r.content[1]) - bisect_left(cues, r.content[0])
        inside -= r.content[0] <= r.cue[0] < r.content[1]  # its own cue
        if inside <= MAX_NESTED:
            keep.append(r)
    return keep


def _according(tok: Any, speakers: Speakers, cues: Cues, longest: int) -> Reported | None:
    doc = tok.doc
    words = tuple(t.lower_ for t in doc[tok.i:tok.i + longest])
    phrase = next((p for p in cues.phrases if words[:len(p)] == p), None)
    if phrase is None:
        return None
    last = doc[tok.i + len(phrase) - 1]
    obj = next((c for c in children(last) if c.dep_ == "pobj"), None)
    if obj is None:
        return None
    sent = tok.sent
    lo = min(tok.i, obj.left_edge.i)
    hi = max(last.i, obj.right_edge.i)
    before = _edges(doc, sent.start, lo - 1) if lo > sent.start else None
    after = _edges(doc, hi + 1, sent.end - 1) if hi + 1 < sent.end else None
    content = max((c for c in (before, after) if c is not None),
                  key=lambda c: c[1] - c[0], default=None)
    if content is None:
        return None
    return Reported(speakers.actor_for(obj), (tok.idx, last.idx + len(last.text)), None,
                    content)
