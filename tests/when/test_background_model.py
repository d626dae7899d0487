"""Background events through the default pipeline (loads the model): sentences of our own."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.model

DAY = "2025-06-12"  # a Thursday


def _date(coded, text: str, trigger: str):
    article = coded(text, DAY)
    found = [e for e in article.events if e.predicate and e.predicate.text == trigger]
    assert found, [(e.predicate.text if e.predicate else None, e.cameo) for e in article.events]
    return found[0].date


def _fields(when) -> tuple:
    return when.start, when.end, when.granularity, when.historical, when.from_article_date


def test_had_shot_down_is_background_without_a_date(coded) -> None:
    when = _date(coded, "Turkey had shot down a Russian jet near the Syrian border.", "shot")
    assert _fields(when) == ("", "", "unknown", True, False)
    assert when.text == "had + past participle"


def test_had_annexed_in_a_year_takes_the_year(coded) -> None:
    when = _date(coded, "Russia had annexed the peninsula in 2014.", "annexed")
    assert _fields(when) == ("2014-01-01", "2014-12-31", "year", True, False)


def test_a_decades_long_insurgency(coded) -> None:
    when = _date(coded, "Kurdish militants have fought a decades-long insurgency against "
                        "Turkey.", "fought")
    assert _fields(when) == ("", "", "decade", True, False)


def test_since_2011(coded) -> None:
    when = _date(coded, "Syrian rebels have attacked government forces since 2011.",
                 "attacked")
    assert _fields(when) == ("2011-01-01", DAY, "year", True, False)


def test_in_the_1990s(coded) -> None:
    when = _date(coded, "In the 1990s, the Serbian army shelled Sarajevo.", "shelled")
    assert _fields(when) == ("1990-01-01", "1999-12-31", "decade", True, False)


def test_during_a_dated_war(coded) -> None:
    when = _date(coded, "Russian troops stormed the airport during the 2008 war.", "stormed")
    assert _fields(when) == ("2008-01-01", "2008-12-31", "year", True, False)


def test_present_perfect_stays_current(coded) -> None:
    when = _date(coded, "Militants have attacked the convoy.", "attacked")
    assert _fields(when) == (DAY, DAY, "day", False, True)


def test_plain_past_on_monday_is_this_week(coded) -> None:
    when = _date(coded, "Militants attacked the convoy on Monday.", "attacked")
    assert _fields(when) == ("2025-06-09", "2025-06-09", "day", False, False)


def test_no_cue_keeps_the_article_date(coded) -> None:
    when = _date(coded, "Police arrested protesters in Atlanta.", "arrested")
    assert _fields(when) == (DAY, DAY, "day", False, True)


def test_reported_past_perfect_is_the_news(coded) -> None:
    when = _date(coded, "Ukrainian officials said Russian forces had shelled Kharkiv.",
                 "shelled")
    assert _fields(when) == (DAY, DAY, "day", False, True)
