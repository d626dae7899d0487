"""The ``when`` stage: each event's own date.

For each event: the time expression attached to its trigger in the parse, or the nearest
one governing it (see :mod:`redline.when.expressions`), resolved against the article date
(:mod:`redline.when.resolve`); else a date given through a dated noun it hangs from
("during the 2008 war"). An event whose date ends more than :data:`HISTORICAL_AFTER` before
the article date is ``historical`` ("annexed Crimea in 2014" in a 2025 article), and so is a
continuing state that began that long before it ("have fought since 2011", "over the past
decade": start at that time, end at the article date).

An event the text places before the news (:mod:`redline.when.history`: "had shot down", "a
decades-long insurgency", "for years", "in the past") and that has no time of its own takes
an earlier time given in its own clause ("..., a 2015 incident"); else it is ``historical``
with empty ``start`` and ``end``, the granularity the cue gives (``decade`` for "for
decades", ``year`` for "for years", else ``unknown``) and the cue in ``text`` ("had + past
participle", "decades-long"). It never takes the article date.

Any other event with no time expression takes the article date, marked ``from_article_date``.

A sentence that only reports the circumstances of the one before it ("The warning came on
Friday as he addressed a forum in Vladivostok") lends its date to the events of that
sentence that have none of their own; and an event whose subject points back to the events
of the sentence before ("Both moves triggered sanctions") takes their dates (the span from the
first to the last when there are several, at the coarsest of their granularities).

Articles without a date: absolute expressions still resolve; relative ones ("this week") are
kept with granularity ``unknown``, empty start and end and the expression in ``text``, and the
article gets a note saying so. Background events are still marked ``historical``; other events
with no expression stay undated.
"""

from __future__ import annotations

import datetime as dt
import logging
from bisect import bisect_right
from typing import Any

from redline.article import Article, Event, When
from redline.pipeline import stage
from redline.settings import Settings
from redline.syntax import circumstance_root, event_token
from redline.when.expressions import (
    TimeExpression,
    candidates_for,
    clause_tense,
    find_expressions,
)
from redline.when.history import (
    Background,
    anchored,
    background,
    clause_times,
    reaches_back,
    verb_of,
)
from redline.when.resolve import Resolved, resolve_expression

log = logging.getLogger(__name__)

#: An event that ended longer than this before the article date is historical.
HISTORICAL_AFTER = dt.timedelta(days=90)

# Subjects that refer back to the events of the sentence before ("Both moves triggered ...").
ANAPHOR_NOUNS = frozenset({
    "move", "step", "action", "attack", "invasion", "annexation", "decision", "operation",
    "offensive", "incursion", "strike", "seizure", "occupation", "takeover", "assault",
    "bombing", "violation", "breach", "act", "incident", "war", "crackdown", "raid",
})
_ANAPHOR_DET = frozenset({"the", "this", "these", "that", "those", "both"})
_COARSE = ("day", "week", "month", "year", "decade")


def anaphoric_subject(tok: Any) -> bool:
    """True when the clause an event sits in has a subject that points back to earlier events
    ("Both moves triggered sanctions", "The attack drew condemnation")."""
    verb = tok
    for _ in range(6):
        if verb.pos_ in ("VERB", "AUX") or verb.head.i == verb.i:
            break
        verb = verb.head
    return any(c.dep_ in ("nsubj", "nsubjpass") and c.lemma_.lower() in ANAPHOR_NOUNS
               and any(d.dep_ in ("det", "predet") and d.lower_ in _ANAPHOR_DET
                       for d in c.children)
               for c in verb.children)


class _WhenStage:
    def __call__(self, article: Article) -> None:
        doc = article.doc
        day = article.date
        if doc is None:
            self._fallback(article, article.events)
            return
        exprs_of = _SentenceTimes(doc)
        sents = exprs_of.sents
        unresolved: list[str] = []
        pending: list[Event] = []
        dated: dict[int, list[When]] = {}  # sentence -> dates read in the text
        for event in article.events:
            tok = event_token(doc, event)
            if tok is None or not 0 <= event.sentence < len(sents):
                pending.append(event)
                continue
            exprs = exprs_of(event.sentence)
            hit = self._date_for(tok, exprs, day) or self._anchored(tok, exprs, day)
            if hit is None:
                bg = background(tok, event.modality, event.reported_by is not None)
                if bg is not None:
                    event.date = self._background(article, tok, bg, exprs, sents[event.sentence])
                    if event.date.start:
                        dated.setdefault(event.sentence, []).append(event.date)
                    continue
                nxt = event.sentence + 1
                root = circumstance_root(sents[nxt]) if nxt < len(sents) else None
                if root is not None:
                    hit = self._date_for(root, exprs_of(nxt), day)
            if hit is None:
                pending.append(event)
                continue
            expr, res = hit
            event.date = self._when(article, expr, res, day)
            if not res.is_resolved:
                unresolved.append(f"'{event.date.text}' ({event.id})")
            else:
                dated.setdefault(event.sentence, []).append(event.date)
        self._fallback(article, _from_previous(pending, dated, doc, day))
        if unresolved:
            article.notes.append("the article has no date: relative time expressions left "
                                 "unresolved: " + ", ".join(unresolved))

    def _date_for(self, tok: Any, exprs: list[TimeExpression],
                  day: dt.date | None) -> tuple[TimeExpression, Resolved] | None:
        if not exprs:
            return None
        doc = tok.doc
        for expr in candidates_for(tok, exprs):
            anchor = doc[expr.governor] if expr.governor is not None else tok
            res = resolve_expression(expr.text, day, clause_tense(anchor))
            if res is not None:
                return expr, res
        return None

    def _anchored(self, tok: Any, exprs: list[TimeExpression],
                  day: dt.date | None) -> tuple[TimeExpression, Resolved] | None:
        """A date given through a dated noun: "stormed the airport during the 2008 war"."""
        for expr in anchored(tok, exprs):
            res = resolve_expression(expr.text, day, clause_tense(tok))
            if res is not None and res.is_resolved:
                return expr, res
        return None

    def _background(self, article: Article, tok: Any, bg: Background,
                    exprs: list[TimeExpression], sent: Any) -> When:
        """The date of an event that lies before the news (see :mod:`redline.when.history`):
        an earlier time given in its own clause, else no start or end, granularity what the
        cue gives, ``historical`` and the cue in ``text``; never the article date."""
        day = article.date
        verb = verb_of(tok) or tok
        for expr in clause_times(verb, exprs, sent):
            res = resolve_expression(expr.text, day, "past")
            if res is None or not res.is_resolved:
                continue
            assert res.end is not None
            if day is None and res.relative:
                continue
            if day is not None and not res.end < day - HISTORICAL_AFTER:
                continue  # not earlier than the news: the time of something else
            when = self._when(article, expr, res, day)
            when.historical = True
            return when
        return When("", "", bg.granularity, bg.text, historical=True)

    def _when(self, article: Article, expr: TimeExpression, res: Resolved,
              day: dt.date | None) -> When:
        text = article.text[expr.display_start:expr.end]
        if not res.is_resolved:
            return When("", "", "unknown", text)
        assert res.start is not None and res.end is not None
        start, end = res.start, res.end
        continuing = expr.prep == "since"
        if continuing and day is not None:
            end = max(end, day)
        elif (day is not None and end >= day and article.doc is not None
              and res.granularity in ("year", "decade")):  # "over the past decade"
            continuing = reaches_back(article.doc[expr.first:expr.last + 1])
        # a state that began long before the article and still holds ("since 2011", "over
        # the past decade") is historical, like an event that ended long before it
        historical = day is not None and (end < day - HISTORICAL_AFTER or (
            continuing and start < day - HISTORICAL_AFTER))
        return When(start.isoformat(), end.isoformat(), res.granularity, text,
                    historical=historical)

    def _fallback(self, article: Article, events: list[Event]) -> None:
        if article.date is None:
            if events:
                article.notes.append(f"the article has no date: {len(events)} event(s) without "
                                     "a time expression are undated")
            return
        day = article.date.isoformat()
        for event in events:
            if event.date is None:
                event.date = When(day, day, "day", None, from_article_date=True)


class _SentenceTimes:
    """The time expressions of each sentence of a document, found when first asked for."""

    def __init__(self, doc: Any) -> None:
        self.sents = list(doc.sents)
        starts = [s.start for s in self.sents]
        self._ents_in: dict[int, list[Any]] = {}
        for ent in doc.ents:
            if ent.label_ in ("DATE", "TIME"):
                self._ents_in.setdefault(bisect_right(starts, ent.start) - 1, []).append(ent)
        self._found: dict[int, list[TimeExpression]] = {}

    def __call__(self, i: int) -> list[TimeExpression]:
        if i not in self._found:
            self._found[i] = find_expressions(self.sents[i], self._ents_in.get(i, []))
        return self._found[i]


def _from_previous(pending: list[Event], dated: dict[int, list[When]], doc: Any,
                   day: dt.date | None) -> list[Event]:
    """Date each pending event whose subject points back ("the attack", "it") with the
    previous sentence's dates; the events still without a date."""
    still: list[Event] = []
    for event in pending:
        tok = event_token(doc, event)
        earlier = dated.get(event.sentence - 1)
        if tok is not None and earlier and anaphoric_subject(tok):
            event.date = _combine(earlier, day)
        else:
            still.append(event)
    return still


def _combine(dates: list[When], day: dt.date | None) -> When:
    """One date for an event that refers back to several: from the first to the last."""
    start = min(d.start for d in dates)
    end = max(d.end for d in dates)
    granularity = max((d.granularity for d in dates), key=_COARSE.index)
    texts = list(dict.fromkeys(d.text for d in dates if d.text))
    historical = day is not None and dt.date.fromisoformat(end) < day - HISTORICAL_AFTER
    return When(start, end, granularity, "; ".join(texts), historical=historical)


@stage("when", requires=["doc", "events"], assigns=["events.date"])
def make_when(settings: Settings) -> _WhenStage:
    """Event dates: the time expression governing each event, the background the text places
    it in, else the article date."""
    return _WhenStage()
