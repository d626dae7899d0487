"""Table-driven actor resolution: names, demonyms, capitals, roles, IGOs, office-holders at
two dates. Cases live in resolution_cases.tsv beside this file (written by us)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from redline.actors.resolver import resolve_text

CASES = [
    r for r in csv.DictReader(
        (line for line in (Path(__file__).parent / "resolution_cases.tsv").open(encoding="utf-8")
         if not line.startswith("#")),
        delimiter="\t")
]


def test_table_is_large_enough() -> None:
    assert len(CASES) >= 300


@pytest.mark.parametrize("case", CASES, ids=[f"{c['phrase']}@{c['date']}" for c in CASES])
def test_resolution(case: dict[str, str]) -> None:
    actor = resolve_text(case["phrase"], case["date"])
    code = case["code"]
    if code == "-":
        assert actor is None or actor.country is None, actor
        return
    assert actor is not None, f"{case['phrase']!r} did not resolve"
    if code.startswith("~"):
        assert actor.country is None and actor.code is None
        assert actor.sector == code[1:]
        return
    assert actor.code == code, (actor.code, actor.resolved_by)
    if case["name"]:
        assert actor.name == case["name"]
    if case["kind"]:
        assert actor.kind == case["kind"]
