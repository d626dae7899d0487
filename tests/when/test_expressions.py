"""Time expressions in hand-built parses: what they modify, which one an event takes, and
the tense that places a weekday (no model needed)."""

from __future__ import annotations

from typing import Any

from redline.when.expressions import candidates_for, clause_tense, find_expressions

TWO_YEARS = ("The army took the port in 2016 by storming its harbour, and again in 2021 with a "
             "full assault on the town.")


def _tok(doc: Any, word: str) -> Any:
    return next(t for t in doc if t.text == word)


def _first(doc: Any, word: str) -> str | None:
    exprs = find_expressions(doc[:])
    best = next(candidates_for(_tok(doc, word), exprs), None)
    return best.text if best else None


def test_a_year_the_recogniser_calls_cardinal_is_still_found(parse) -> None:
    doc = parse(TWO_YEARS)
    exprs = find_expressions(doc[:])
    assert [e.text for e in exprs] == ["2016", "2021"]
    assert all(e.prep == "in" and doc[e.governor].text == "took" for e in exprs)


def test_each_branch_takes_the_nearest_year(parse) -> None:
    doc = parse(TWO_YEARS)
    assert _first(doc, "storming") == "2016"
    assert _first(doc, "assault") == "2021"


def test_a_relative_clause_takes_its_noun_date_but_the_noun_does_not_date_its_verb(parse) -> None:
    doc = parse("The 1994 treaty, which guaranteed the border, was later broken.")
    assert _first(doc, "guaranteed") == "1994"
    assert _first(doc, "broken") is None  # breaking the 1994 treaty did not happen in 1994


def test_a_reported_event_takes_the_reporting_date(parse) -> None:
    doc = parse("She said on Monday that rebels had shelled Kharkiv.")
    assert _first(doc, "shelled") == "Monday"


def test_a_bare_noun_phrase_date_modifies_its_verb(parse) -> None:
    doc = parse("Officials announced in Geneva this week that talks would resume.")
    exprs = find_expressions(doc[:])
    assert [(e.text, e.prep, doc[e.governor].text) for e in exprs] == [
        ("this week", None, "announced")]
    assert _first(doc, "resume") == "this week"


def test_tense(parse) -> None:
    assert clause_tense(_tok(parse("The minister will travel to Rome on Thursday."),
                             "travel")) == "future"
    assert clause_tense(_tok(parse("She said on Monday that rebels had shelled Kharkiv."),
                             "said")) == "past"
    assert clause_tense(_tok(parse("The talks are expected to resume next week."),
                             "resume")) == "future"


def test_no_expression_no_candidate(parse) -> None:
    doc = parse("Moscow said it would respond.")
    assert find_expressions(doc[:]) == []
    assert _first(doc, "said") is None
