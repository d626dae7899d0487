"""Event dates on whole sentences through the default pipeline (loads the model)."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.model



def _event(article, trigger: str):
    found = [e for e in article.events if e.predicate and e.predicate.text == trigger]
    assert found, [(e.predicate.text if e.predicate else None, e.cameo) for e in article.events]
    return found[0]


def test_weekday_in_the_past(coded) -> None:
    e = _event(coded("Russian artillery shelled Kharkiv on Thursday.", "2025-09-05"), "shelled")
    assert (e.date.start, e.date.granularity, e.date.text) == ("2025-09-04", "day",
                                                               "on Thursday")
    assert not e.date.historical and not e.date.from_article_date


def test_a_year_in_the_past_is_historical(coded) -> None:
    e = _event(coded("Russia annexed Crimea in 2014.", "2025-09-05"), "annexed")
    assert (e.date.start, e.date.end, e.date.granularity) == ("2014-01-01", "2014-12-31",
                                                              "year")
    assert e.date.historical


def test_a_full_date(coded) -> None:
    e = _event(coded("Russia invaded Ukraine on 24 February 2022.", "2025-09-05"), "invaded")
    assert (e.date.start, e.date.end, e.date.granularity) == ("2022-02-24", "2022-02-24", "day")
    assert e.date.historical


def test_a_decade(coded) -> None:
    e = _event(coded("In the 1990s, NATO bombed Serbia.", "2025-09-05"), "bombed")
    assert (e.date.start, e.date.end, e.date.granularity) == ("1990-01-01", "1999-12-31",
                                                              "decade")


def test_no_time_expression_takes_the_article_date(coded) -> None:
    e = _event(coded("Police arrested protesters in Atlanta.", "2025-09-05"), "arrested")
    assert e.date.from_article_date and e.date.start == "2025-09-05"


def test_undated_article(coded) -> None:
    art = coded("Russian artillery shelled Kharkiv on Thursday.", None)
    e = _event(art, "shelled")
    assert e.date.granularity == "unknown" and e.date.text == "on Thursday"
    assert any("no date" in n for n in art.notes)
