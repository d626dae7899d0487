"""The ``quotes`` stage: quotations and reported speech with resolved speakers.

Direct quotations come from the quotation marks (:mod:`.marks`) and are attributed from the
words around them (:mod:`.attribution`); reported clauses come from speech verbs and
"according to" (:mod:`.indirect`). Then:

- a quotation split by its own attribution ("If ...," he said, "then ...") and an unattributed
  quotation that goes on in the same paragraph ("...," he said. "...") are one quotation;
- a paragraph that opens with an unattributed quotation continues the speaker of the
  previous paragraph's last quotation or report (a separate quotation);
- a quotation in marks no cue attributes and nothing continues (a title, a scare quote) is not
  a quotation; inside a reported clause it makes that clause ``mixed``;
- every event whose predicate lies inside a quotation or reported clause, and that has no
  reporter yet, gets ``reported_by`` = the speaker.
"""

from __future__ import annotations

import logging
from bisect import bisect_right
from dataclasses import dataclass

from redline.article import Actor, Article, Quote
from redline.pipeline import stage
from redline.quotes.attribution import Attributor
from redline.quotes.cues import Cues, load_cues
from redline.quotes.frames import is_title
from redline.quotes.indirect import Reported, reported_clauses
from redline.quotes.marks import Quoted, find_quoted, paragraphs
from redline.quotes.speakers import Speakers
from redline.settings import Settings

log = logging.getLogger(__name__)

_MIN_CONTINUED = 3  # words of a quotation that continues a speaker ("Related:" does not)
_LOOK_BACK = 3  # quotations that may overlap one another (a report around a quotation)

_CONFIDENCE = {"before": 0.9, "after": 0.9, "colon": 0.75, "dash": 0.8, "according": 0.85,
               "continued": 0.7, "reported": 0.75}


@dataclass(slots=True)
class _Draft:
    start: int
    end: int
    para: int  # paragraph index of the end
    speaker: Actor | None
    cue: tuple[int, int] | None
    verb: int | None
    how: str
    closed: bool
    partial: bool  # a partial quotation finishing a sentence begun outside the marks


class _Paragraphs:
    """The article's paragraphs (lines), found by offset."""

    def __init__(self, text: str) -> None:
        self.spans = paragraphs(text)
        self._starts = [s for s, _ in self.spans]

    def index(self, offset: int) -> int:
        return max(bisect_right(self._starts, offset) - 1, 0)

    def opens(self, offset: int, text: str) -> bool:
        """True when only space stands between the paragraph start and ``offset``."""
        return not text[self.spans[self.index(offset)][0]:offset].strip()


def find_quotes(article: Article, cues: Cues) -> list[Quote]:
    """All quotations and reported clauses of a parsed article, in text order."""
    text = article.text
    speakers = Speakers(article)
    attributor = Attributor(article, speakers, cues)
    paras = _Paragraphs(text)
    reported = reported_clauses(article, speakers, cues)
    quoted = find_quoted(text)
    drafts = _direct(article, quoted, attributor, paras, reported)
    used = {d.verb for d in drafts if d.verb is not None}
    direct_spans = [(d.start, d.end) for d in drafts]
    quotes = [_quote(article, d) for d in drafts]
    marks = [(q.start, q.end) for q in quoted]
    for r in reported:
        if r.verb in used or _mostly_covered(r.content, direct_spans) or _crosses(r, marks):
            continue
        kind = "mixed" if _contains_any(r.content, marks) else "indirect"
        quotes.append(Quote(r.speaker, article.span(*r.cue), article.span(*r.content), kind,
                            article.sentence_of(r.content[0]), _CONFIDENCE["reported"]))
    quotes.sort(key=lambda q: q.content.start)
    return quotes


def _direct(article: Article, quoted: list[Quoted], attributor: Attributor,
            paras: _Paragraphs, reported: list[Reported]) -> list[_Draft]:
    """Attribute each quotation in marks; merge those that go on in the same paragraph,
    continue the previous paragraph's speaker, drop the unattributed rest."""
    text = article.text
    drafts: list[_Draft] = []
    last_report = _LastReport(reported)
    for k, q in enumerate(quoted):
        floor = quoted[k - 1].end if k else 0
        ceiling = quoted[k + 1].start if k + 1 < len(quoted) else len(text)
        if is_title(text[q.start:q.end]):
            continue
        p_start, p_end = paras.index(q.start), paras.index(max(q.end - 1, q.start))
        opens_para = paras.opens(q.start, text)
        lead = _colon_lead(paras, p_start, text) if opens_para and p_start > 0 else None
        a = attributor.attribute(q, floor, ceiling, lead)
        last = drafts[-1] if drafts else None
        if last is not None and last.para == p_start and (
                (a is None and attributor.frames.opens_sentence(q, floor)
                 and attributor.frames.ends_clause(q, ceiling))
                or (a is not None and a.verb is not None and a.verb == last.verb)):
            last.end, last.para, last.closed = q.end, p_end, last.closed and q.closed
            continue
        if a is not None:
            start = a.partial_from if a.partial_from is not None else q.start
            drafts.append(_Draft(start, q.end, p_end, a.speaker, a.cue, a.verb, a.how,
                                 q.closed, a.partial_from is not None))
            continue
        if (not opens_para or p_start == 0 or not attributor.frames.ends_clause(q, ceiling)
                or len(text[q.start:q.end].split()) < _MIN_CONTINUED):
            continue
        prev = last_report.before(q.start, last)
        if prev is not None and paras.index(prev[0]) == p_start - 1:
            drafts.append(_Draft(q.start, q.end, p_end, prev[1], None, None, "continued",
                                 q.closed, False))
    return drafts


class _LastReport:
    """The speaker of the last reported clause that ends before an offset."""

    def __init__(self, reported: list[Reported]) -> None:
        self.reported = sorted(reported, key=lambda r: r.content[1])
        self._ends = [r.content[1] for r in self.reported]

    def before(self, offset: int, last: _Draft | None) -> tuple[int, Actor | None] | None:
        i = bisect_right(self._ends, offset) - 1
        best: tuple[int, Actor | None] | None = None
        if i >= 0:
            best = (self.reported[i].content[1] - 1, self.reported[i].speaker)
        if last is not None and (best is None or last.end > best[0]):
            best = (last.end - 1, last.speaker)
        return best


def _colon_lead(paras: _Paragraphs, p: int, text: str) -> int | None:
    """The end of paragraph ``p - 1`` when it ends in a colon ("He said:")."""
    start, end = paras.spans[p - 1]
    return end if text[start:end].rstrip().endswith(":") else None


def _quote(article: Article, d: _Draft) -> Quote:
    conf = _CONFIDENCE[d.how] * (1.0 if d.closed else 0.8)
    if d.speaker is not None and d.speaker.resolved_by == "unresolved-speaker":
        conf -= 0.1
    cue = article.span(*d.cue) if d.cue else None
    return Quote(d.speaker, cue, article.span(d.start, d.end),
                 "mixed" if d.partial else "direct",
                 article.sentence_of(d.start), round(conf, 3))


def _mostly_covered(span: tuple[int, int], spans: list[tuple[int, int]]) -> bool:
    """Does some span in the sorted ``spans`` cover at least half of ``span``?"""
    i = bisect_right(spans, (span[1], span[1]))
    while i > 0:
        i -= 1
        s, e = spans[i]
        if e <= span[0]:
            break
        if 2 * (min(e, span[1]) - max(s, span[0])) >= span[1] - span[0]:
            return True
    return False


def _crosses(r: Reported, spans: list[tuple[int, int]]) -> bool:
    """A cue inside a quotation whose content reaches out of it is a misparse."""
    i = bisect_right(spans, (r.cue[0], float("inf"))) - 1
    if i < 0 or not spans[i][0] <= r.cue[0] < spans[i][1]:
        return False
    return r.content[0] < spans[i][0] or r.content[1] > spans[i][1]


def _contains_any(span: tuple[int, int], spans: list[tuple[int, int]]) -> bool:
    i = bisect_right(spans, (span[0], -1))
    return i < len(spans) and spans[i][0] < span[1]


def link_events(article: Article) -> None:
    """Set ``reported_by`` on events stated inside a quotation or reported clause."""
    quotes = sorted((q for q in article.quotes if q.speaker is not None),
                    key=lambda q: q.content.start)
    starts = [q.content.start for q in quotes]
    for ev in article.events:
        if ev.reported_by is not None:
            continue
        at = ev.predicate.start if ev.predicate is not None else ev.evidence.start
        i = bisect_right(starts, at) - 1
        for q in quotes[max(i - _LOOK_BACK, 0):i + 1][::-1]:
            if q.content.start <= at < q.content.end and q.speaker is not None:
                if not _same_actor(ev.source, q.speaker):
                    ev.reported_by = q.speaker
                break


def _same_actor(a: Actor | None, b: Actor) -> bool:
    """One actor, maybe at two mentions: a speaker does not report its own act."""
    if a is None:
        return False
    if (a.start, a.end) == (b.start, b.end):
        return True
    return a.name is not None and a.name == b.name and a.code == b.code


class _QuoteStage:
    def __init__(self, settings: Settings) -> None:
        self.cues = load_cues()

    def __call__(self, article: Article) -> None:
        if article.doc is None:
            article.quotes = []
            return
        article.quotes = find_quotes(article, self.cues)
        link_events(article)
        log.debug("%s: %d quotations", article.id, len(article.quotes))


@stage("quotes", requires=["doc", "sentences", "mentions", "events"],
       assigns=["quotes", "events.reported_by"])
def make_quotes(settings: Settings) -> _QuoteStage:
    """Quotations and reported speech, with speakers resolved and events linked."""
    return _QuoteStage(settings)
