"""Table-driven resolution of time expressions against an article date (no model needed).

Cases live in ``time_expressions.tsv`` beside this file (written by us).
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest

from redline.when.resolve import resolve_expression

CASES = [
    r for r in csv.DictReader(
        (line for line in (Path(__file__).parent / "time_expressions.tsv").open(encoding="utf-8")
         if not line.startswith("#")),
        delimiter="\t")
]


def _day(cell: str) -> dt.date | None:
    return None if cell == "-" else dt.date.fromisoformat(cell)


def test_table_is_large_enough() -> None:
    assert len(CASES) >= 150


def test_cases_are_unique() -> None:
    keys = [(c["expression"], c["article_date"], c["tense"]) for c in CASES]
    assert len(keys) == len(set(keys))


@pytest.mark.parametrize("case", CASES, ids=[
    f"{c['expression']}@{c['article_date']}/{c['tense']}" for c in CASES])
def test_resolution(case: dict[str, str]) -> None:
    got = resolve_expression(case["expression"], _day(case["article_date"]), case["tense"])
    if case["granularity"] == "-":
        assert got is None, got
        return
    assert got is not None
    assert (got.start, got.end, got.granularity) == (
        _day(case["start"]), _day(case["end"]), case["granularity"])


def test_unresolved_relative_is_marked_relative() -> None:
    got = resolve_expression("this week", None)
    assert got is not None and got.relative and not got.is_resolved


def test_absolute_is_not_relative() -> None:
    got = resolve_expression("in 2014", dt.date(2025, 9, 5))
    assert got is not None and not got.relative


def test_dateparser_only_sees_the_expression() -> None:
    # words dateparser alone would read as dates are not expressions here
    for word in ("we", "may we", "sat", "march on the capital"):
        assert resolve_expression(word, dt.date(2025, 9, 5)) is None
