"""A joint act ("Brazil and Argentina signed a pact") is coded as the text says it, one event
per source with no target; the monitor counts it in both dyads."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from redline.monitor.clusters import clusters, joint_dyads

pytestmark = pytest.mark.model


def _row(eid: int, src: str, rule: str, *, target: str | None = None, start: int = 0) -> dict:
    return {"event_id": eid, "article_id": "a1", "sentence_index": 0, "evidence_start": start,
            "cameo": "057", "modality": "asserted", "rule": rule,
            "source_code": src, "source_country": src, "source_sector": None,
            "target_code": target, "target_country": target, "target_sector": None}


def test_joint_rows_pair_up_and_others_pass_unchanged():
    rows = [_row(1, "BRA", "verb:V:sign joint"), _row(2, "ARG", "verb:V:sign joint"),
            _row(3, "CHL", "verb:V:sign"), _row(4, "PER", "verb:V:sign", target="BOL")]
    out = joint_dyads(rows)
    pairs = sorted((r["source_code"], r["target_code"]) for r in out)
    assert pairs == [("ARG", "BRA"), ("BRA", "ARG"), ("CHL", None), ("PER", "BOL")]


def test_a_joint_act_of_one_party_stays_one_sided():
    rows = [_row(1, "BRA", "verb:V:sign joint"), _row(2, "BRA", "verb:V:sign joint", start=0)]
    assert [(r["source_code"], r["target_code"]) for r in joint_dyads(rows)] == [
        ("BRA", None), ("BRA", None)]


def test_a_stored_joint_act_is_in_both_dyads(tmp_path: Path):
    from redline.store import ingest

    story = tmp_path / "pact.txt"
    story.write_text("Brazil and Argentina signed a trade pact in Brasilia on Monday.\n",
                     encoding="utf-8")
    db = tmp_path / "joint.db"
    ingest([str(story)], db, default_date=dt.date(2025, 3, 5), workers=1)
    dyads = {(c.source, c.target) for c in clusters(db)}
    assert {("BRA", "ARG"), ("ARG", "BRA")} <= dyads
