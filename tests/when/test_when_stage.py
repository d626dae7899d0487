"""The when stage on hand-built parses with hand-made events (no model needed)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from redline.article import Article, Event, Sentence, Span
from redline.settings import load_settings
from redline.when import HISTORICAL_AFTER, make_when


def _article(doc: Any, date: str | None, triggers: list[str],
             modality: str = "asserted") -> Article:
    text = doc.text
    art = Article(id="t", text=text, date=dt.date.fromisoformat(date) if date else None)
    art.clean_text, art.doc = text, doc
    art.sentences = [Sentence(s.start_char, s.end_char) for s in doc.sents]
    for n, word in enumerate(triggers):
        tok = next(t for t in doc if t.text == word)
        span = Span(tok.text, tok.idx, tok.idx + len(tok.text))
        art.events.append(Event(
            id=f"e{n + 1}", sentence=art.sentence_of(tok.idx), evidence=span, cameo="190",
            cameo_name="", plover=None, goldstein=0.0, quad_class=4, source=None, target=None,
            modality=modality, predicate=span))
    make_when(load_settings())(art)
    return art


TWO_YEARS = ("The army took the port in 2016 by storming its harbour, and again in 2021 with a "
             "full assault on the town.")


def test_historical_events_carry_their_own_years(parse) -> None:
    art = _article(parse(TWO_YEARS), "2025-09-05", ["storming", "assault"])
    first, second = (e.date for e in art.events)
    assert (first.start, first.end, first.granularity) == ("2016-01-01", "2016-12-31", "year")
    assert (second.start, second.end) == ("2021-01-01", "2021-12-31")
    assert first.historical and second.historical
    assert first.text == "in 2016" and not first.from_article_date


def test_this_week_is_the_article_week(parse) -> None:
    art = _article(parse("Officials announced in Geneva this week that talks would resume."),
                   "2025-09-05", ["announced"])
    when = art.events[0].date
    assert (when.start, when.end, when.granularity) == ("2025-09-01", "2025-09-07", "week")
    assert not when.historical and when.text == "this week"


def test_weekday_placed_by_tense(parse) -> None:
    art = _article(parse("She said on Monday that rebels had shelled Kharkiv."), "2025-09-05",
                   ["said", "shelled"])
    assert [e.date.start for e in art.events] == ["2025-09-01", "2025-09-01"]
    art = _article(parse("The minister will travel to Rome on Thursday."), "2025-09-05",
                   ["travel"])
    assert art.events[0].date.start == "2025-09-11"


def test_no_expression_takes_the_article_date_marked(parse) -> None:
    art = _article(parse("Moscow said it would respond."), "2025-09-05", ["said"])
    when = art.events[0].date
    assert (when.start, when.end, when.granularity) == ("2025-09-05", "2025-09-05", "day")
    assert when.from_article_date and when.text is None and not when.historical


def test_since_runs_to_the_article_date(parse) -> None:
    art = _article(parse("Troops have occupied the area since 2014."), "2025-09-05",
                   ["occupied"])
    when = art.events[0].date
    assert (when.start, when.end, when.text) == ("2014-01-01", "2025-09-05", "since 2014")
    # still going on, but begun long before the article: a continuing state in the background
    assert when.historical and not when.from_article_date


def test_a_circumstance_sentence_lends_its_date(parse) -> None:
    doc = parse("The minister warned rivals. The threat came on Tuesday as she addressed a "
                "summit in Jakarta.")
    art = _article(doc, "2025-09-05", ["warned"])
    assert art.events[0].date.start == "2025-09-02"
    assert art.events[0].date.text == "on Tuesday"


def test_undated_article_keeps_relative_expressions_unresolved(parse) -> None:
    art = _article(parse("Officials announced in Geneva this week that talks would resume."),
                   None, ["announced"])
    when = art.events[0].date
    assert (when.start, when.end, when.granularity, when.text) == ("", "", "unknown",
                                                                   "this week")
    assert any("no date" in n and "this week" in n for n in art.notes)


def test_undated_article_still_resolves_absolute_years(parse) -> None:
    art = _article(parse(TWO_YEARS), None, ["storming"])
    when = art.events[0].date
    assert (when.start, when.granularity, when.historical) == ("2016-01-01", "year", False)


def test_undated_article_leaves_events_without_expression_undated(parse) -> None:
    art = _article(parse("Moscow said it would respond."), None, ["said"])
    assert art.events[0].date is None
    assert any("undated" in n for n in art.notes)


def test_historical_means_over_more_than_the_threshold_before(parse) -> None:
    assert dt.timedelta(days=90) == HISTORICAL_AFTER
    # 2016 ended 91 days before 2017-04-01 and 89 days before 2017-03-30
    assert _article(parse(TWO_YEARS), "2017-04-01", ["storming"]).events[0].date.historical
    assert not _article(parse(TWO_YEARS), "2017-03-30", ["storming"]).events[0].date.historical


def test_relative_past_is_not_historical(parse) -> None:
    art = _article(parse("Rebels seized the town two days ago and have held it since."),
                   "2025-09-05", ["seized", "held"])
    assert [e.date.start for e in art.events] == ["2025-09-03", "2025-09-03"]
    assert not any(e.date.historical for e in art.events)


def test_an_event_referring_back_takes_the_earlier_dates(parse) -> None:
    doc = parse("Rebels seized the port in 2016 and the airport in 2019. Both moves drew "
                "condemnation.")
    art = _article(doc, "2025-09-05", ["seized", "condemnation"])
    when = art.events[1].date
    assert (when.start, when.end, when.granularity, when.text) == (
        "2016-01-01", "2016-12-31", "year", "in 2016")
    assert when.historical and not when.from_article_date


def test_several_earlier_dates_give_their_span() -> None:
    from redline.article import When
    from redline.when.stage import _combine

    got = _combine([When("2014-01-01", "2014-12-31", "year", "in 2014"),
                    When("2022-02-24", "2022-02-24", "day", "on 24 February 2022")],
                   dt.date(2025, 9, 5))
    assert (got.start, got.end, got.granularity, got.historical) == (
        "2014-01-01", "2022-02-24", "year", True)
    assert got.text == "in 2014; on 24 February 2022"
