"""Table-driven place resolution with context (no model needed): namesakes ranked by
population and by the countries and US states an article names.

Cases live in ``place_cases.tsv`` beside this file (written by us).
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from redline.kb.gazetteer import Context, load_gazetteer

CASES = [
    r for r in csv.DictReader(
        (line for line in (Path(__file__).parent / "place_cases.tsv").open(encoding="utf-8")
         if not line.startswith("#")),
        delimiter="\t")
]


def _context(cell: str) -> Context:
    ctx = Context()
    if cell == "-":
        return ctx
    for pair in cell.split(";"):
        name, _, value = pair.partition("=")
        codes = [v.strip() for v in value.split(",") if v.strip()]
        if name == "within":
            if "/" in codes[0]:
                country, admin1 = codes[0].split("/")
                ctx.within_state = (country, admin1)
            else:
                ctx.within_country = codes[0]
        elif name.endswith("_states"):
            getattr(ctx, name).update(tuple(c.split("/")) for c in codes)
        else:
            getattr(ctx, name).update(codes)
    return ctx


def test_table_is_large_enough() -> None:
    assert len(CASES) >= 100


def test_table_covers_the_ambiguous_names() -> None:
    mentions = {c["mention"] for c in CASES}
    for name in ("Paris", "Georgia", "Kiev", "Kyiv", "Odessa", "Odesa", "Gaza City", "Tripoli",
                 "Alexandria", "Hyderabad"):
        assert name in mentions


@pytest.mark.parametrize("case", CASES, ids=[f"{c['mention']}|{c['context']}" for c in CASES])
def test_place(case: dict[str, str]) -> None:
    entry = load_gazetteer().resolve(case["mention"], _context(case["context"]))
    if case["name"] == "-":
        assert entry is None, entry
        return
    assert entry is not None
    assert (entry.name, entry.country, entry.feature) == (
        case["name"], case["country"], case["feature"])
    assert entry.lat is not None and entry.lon is not None
