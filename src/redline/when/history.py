"""Background events: what the parse says about an event that lies before the news.

Most events in a news story happen at about the article's date, and an event with no time
expression of its own takes that date. Some the grammar or the words place earlier:

- the past perfect ("Turkey had shot down a Russian jet"): the verb is a past participle with
  the auxiliary "had", or inherits one as a conjunct; not when it is backshifted reported
  speech ("officials said rebels had seized the town": that is the news) or placed just before
  its main clause's event ("withdrew after rebels had seized the town");
- a modifier of the event noun saying it has lasted long ("waged a decades-long insurgency");
- a phrase on the verb that puts it in the past or over a long stretch ("have fought for
  decades", "in the past"), or an adverb that makes it a long-held state ("has long backed").

A present perfect ("has attacked") and a plain past ("attacked") are neither. The cue words are
in ``data/history_cues.tsv``; the stage (:mod:`redline.when.stage`) decides what date such an
event gets.

A time can also be given through a dated noun ("stormed the airport during the 2008 war"):
:func:`anchored` finds a year or date that modifies the object of a preposition such as
"during" hanging from the event.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from redline.knowledge import load_table
from redline.when.expressions import YEAR, TimeExpression

_KINDS = frozenset({"perfect_aux", "span", "carry_verb", "period", "adverb", "anchor_prep",
                    "back_word", "near_word", "sequence_mark"})
_GRANULARITIES = frozenset({"decade", "year", "month", "unknown", "-"})
# event modalities for which the past perfect is a condition, not a past ("if they had ...")
_IRREALIS = frozenset({"hypothetical", "future"})
_CLAUSAL = frozenset({"relcl", "ccomp", "advcl", "acl", "xcomp", "csubj", "parataxis"})


@dataclass(frozen=True, slots=True)
class Cue:
    """One row of ``history_cues.tsv``."""

    kind: str
    cue: str
    granularity: str
    reason: str


@dataclass(frozen=True, slots=True)
class Background:
    """Why an event lies before the news: the cue, the granularity it gives, and the text a
    date without a start or end carries ("had + past participle", "decades-long")."""

    kind: str  # perfect | span | period
    granularity: str
    text: str


@cache
def history_cues() -> dict[str, dict[str, Cue]]:
    """The cues of ``history_cues.tsv`` by kind, then by cue words."""
    name = "history_cues.tsv"
    out: dict[str, dict[str, Cue]] = {k: {} for k in _KINDS}
    for lineno, r in load_table("redline.when", name):
        kind, granularity = r["kind"], r["granularity"] or "-"
        if kind not in _KINDS or granularity not in _GRANULARITIES:
            raise ValueError(f"{name} line {lineno}: unknown kind or granularity in {r}")
        out[kind][r["cue"].lower()] = Cue(kind, r["cue"].lower(), granularity, r["reason"])
    return out


@cache
def _speech_verbs() -> frozenset[str]:
    from redline.events.modality import speech_verbs

    return speech_verbs()


def verb_of(tok: Any) -> Any | None:
    """The verb of the clause a token sits in (the token itself when it is one)."""
    verb = tok
    for _ in range(6):
        if verb.pos_ in ("VERB", "AUX") or verb.head.i == verb.i:
            break
        verb = verb.head
    return verb if verb.pos_ in ("VERB", "AUX") else None


def _own_perfect_aux(verb: Any) -> Any | None:
    """The "had" that makes this verb a past perfect ("had seized", "had been seized",
    "had been fighting"), else None."""
    auxes = [c for c in verb.children if c.dep_ in ("aux", "auxpass")]
    had = next((a for a in auxes if a.lower_ in history_cues()["perfect_aux"]
                and a.tag_ == "VBD"), None)
    if had is None:
        return None
    if verb.tag_ == "VBN" or (verb.tag_ == "VBG" and any(a.lower_ == "been" for a in auxes)):
        return had
    return None


def past_perfect_aux(verb: Any) -> Any | None:
    """The "had" of a past-perfect verb, or of the verb it is a conjunct of when it has no
    auxiliary or subject of its own ("had annexed Crimea and backed separatists")."""
    for _ in range(4):
        had = _own_perfect_aux(verb)
        if had is not None:
            return had
        if (verb.dep_ != "conj" or verb.tag_ != "VBN" or verb.head.pos_ not in ("VERB", "AUX")
                or any(c.dep_ in ("aux", "auxpass", "nsubj", "nsubjpass")
                       for c in verb.children)):
            return None
        verb = verb.head
    return None


def _relative_to_other_event(verb: Any) -> bool:
    """True when a past-perfect clause is reported speech ("said rebels had seized") or is
    placed just before its main clause's event ("after rebels had seized")."""
    marks = history_cues()["sequence_mark"]
    cur = verb
    for _ in range(6):
        if cur.dep_ == "advcl" and any(c.dep_ in ("mark", "advmod") and c.lower_ in marks
                                       for c in cur.children):
            return True
        if cur.dep_ not in ("ccomp", "conj", "parataxis", "xcomp") or cur.head.i == cur.i:
            return False
        cur = cur.head
        if cur.lemma_.lower() in _speech_verbs():
            return True
    return False


def _words(span: Any) -> str:
    """A phrase's words, lower-cased, with no spaces around hyphens: "decades-long"."""
    return re.sub(r"\s*-\s*", "-", " ".join(t.lower_ for t in span))


def _span_cue(noun: Any) -> tuple[Cue, Any] | None:
    spans = history_cues()["span"]
    for c in noun.children:
        if c.dep_ not in ("amod", "compound", "npadvmod", "nmod"):
            continue
        words = _words(noun.doc[c.left_edge.i:c.right_edge.i + 1])
        for cue in spans.values():
            if words == cue.cue or words.endswith((" " + cue.cue, "-" + cue.cue)):
                return cue, c
    return None


def _period_cue(verb: Any) -> tuple[Cue, Any] | None:
    periods, adverbs = history_cues()["period"], history_cues()["adverb"]
    near = history_cues()["near_word"]
    for c in verb.children:
        if c.dep_ == "advmod" and c.lower_ in adverbs and not any(True for _ in c.children):
            return adverbs[c.lower_], c
        if c.dep_ != "prep":
            continue
        obj = next((o for o in c.children if o.dep_ == "pobj"), None)
        if obj is None or any(o.dep_ in ("nummod", "poss") or o.lower_ in near
                              or (o.dep_ == "prep" and o.lower_ == "of")
                              for o in obj.children):
            continue  # "for two years", "for his years of service", "in the recent past"
        cue = periods.get(f"{c.lower_} {obj.lower_}")
        if cue is not None:
            return cue, obj
    return None


def background(tok: Any, modality: str = "asserted",
               reported: bool = False) -> Background | None:
    """Why the event triggered at ``tok`` lies before the news, or None. ``reported``: the
    event is attributed to a speaker (its past perfect is then backshifted speech)."""
    if modality in _IRREALIS:
        return None
    verb = verb_of(tok)
    nouns = [tok] if tok.pos_ in ("NOUN", "PROPN") else []
    if verb is not None and verb.lemma_.lower() in history_cues()["carry_verb"]:
        nouns += [c for c in verb.children if c.dep_ == "dobj"]
    if verb is not None and any(a.dep_ == "aux" and a.lemma_ == "have" for a in verb.children):
        # "the decades-long insurgency has killed thousands": a toll summed over its span
        nouns += [c for c in verb.children if c.dep_ == "nsubj"]
    for noun in nouns:
        found = _span_cue(noun)
        if found is not None:
            cue, at = found
            return Background("span", cue.granularity, _text_of(at))
    if verb is None:
        return None
    found = _period_cue(verb)
    if found is not None:
        cue, at = found
        first = at.head if at.dep_ == "pobj" else at  # "for decades": from the preposition
        return Background("period", cue.granularity, at.doc[first.i:at.i + 1].text)
    had = past_perfect_aux(verb)
    if (had is not None and not reported and not _relative_to_other_event(verb)
            and not _near(verb)):
        cue = history_cues()["perfect_aux"][had.lower_]
        return Background("perfect", cue.granularity, cue.reason)
    return None


def _near(verb: Any) -> bool:
    """True when an adverb puts the verb close to the article's time ("had earlier
    rejected", "had just left")."""
    near = history_cues()["near_word"]
    return any(c.dep_ == "advmod" and c.lower_ in near for c in verb.children)


def _text_of(tok: Any) -> str:
    doc = tok.doc
    return doc[tok.left_edge.i:tok.right_edge.i + 1].text


def reaches_back(tokens: Any) -> bool:
    """True when a time expression's words reach back from the article date ("over the past
    decade", "in recent years")."""
    words = history_cues()["back_word"]
    return any(t.lower_ in words for t in tokens)


def anchored(tok: Any, expressions: list[TimeExpression]) -> list[TimeExpression]:
    """Times given through a dated noun the event hangs from ("stormed the airport during the
    2008 war", "since the 2011 uprising"), as expressions on the event's trigger whose
    ``text`` is the date and whose display runs from the preposition to the noun."""
    preps = history_cues()["anchor_prep"]
    out: list[TimeExpression] = []
    for prep in tok.children:
        if prep.dep_ != "prep" or prep.lower_ not in preps:
            continue
        for obj in (o for o in prep.children if o.dep_ == "pobj"):
            dates = [e for e in expressions if e.governor == obj.i and e.prep is None]
            dates += [TimeExpression(c.text, c.idx, c.idx + len(c.text), c.i, c.i, obj.i,
                                     None)
                      for c in obj.children
                      if c.dep_ in ("nummod", "compound", "amod", "npadvmod")
                      and YEAR.fullmatch(c.text) and c.ent_type_ != "DATE"]
            end = obj.idx + len(obj.text)
            for e in dates:
                out.append(TimeExpression(e.text, e.start, max(e.end, end), e.first, e.last,
                                          tok.i, prep.lower_, prep.idx))
    return out


_ARGUMENTS = frozenset({"nsubj", "nsubjpass", "dobj", "iobj", "dative", "attr", "agent"})


def clause_times(verb: Any, expressions: list[TimeExpression],
                 sent: Any) -> list[TimeExpression]:
    """Times in a clause that may date its background event, nearest the verb first: the
    sentence's time expressions and years modifying nouns ("a 2015 incident") that hang from
    a word of the verb's own clause, not from another clause (whose event they date) nor
    from one of the verb's arguments ("had violated the 1994 memorandum")."""
    found = list(expressions)
    covered = {i for e in expressions for i in range(e.first, e.last + 1)}
    for t in sent:
        if (t.i not in covered and YEAR.fullmatch(t.text)
                and t.dep_ in ("nummod", "compound", "amod", "npadvmod", "pobj")):
            found.append(TimeExpression(t.text, t.idx, t.idx + len(t.text), t.i, t.i, t.head.i,
                                        None))
    doc = verb.doc
    kept = [e for e in found if e.governor is not None and _in_clause(doc[e.governor], verb)]
    return sorted(kept, key=lambda e: (max(0, e.first - verb.i, verb.i - e.last), e.first))


def _in_clause(tok: Any, verb: Any) -> bool:
    if tok.i == verb.i:
        return True
    if tok.dep_ in _ARGUMENTS and tok.head.i == verb.i:
        return False
    for _ in range(12):
        if (tok.dep_ in _CLAUSAL or tok.head.i == tok.i
                or (tok.dep_ == "conj" and tok.pos_ in ("VERB", "AUX"))):
            return False  # another clause, whose own event the time dates
        tok = tok.head
        if tok.i == verb.i:
            return True
    return False
