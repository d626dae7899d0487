"""The monitor expands a joint act to both dyads from the stored partners (``joint_with``),
and only falls back to the rule's ``joint`` mark for rows stored before the column."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from redline.article import Actor, Article, Event, Plover, Sentence, When
from redline.monitor.clusters import clusters, joint_dyads
from redline.store.db import open_writer
from redline.store.rows import article_rows
from redline.store.writer import write_article


def _partner(code: str) -> dict:
    return {"code": code, "country": code, "sector": None, "name": code, "text": code,
            "kind": "country", "start": 0, "end": 3}


def _row(eid: int, src: str, rule: str, partners: list[str] | None, *,
         target: str | None = None) -> dict:
    return {"event_id": eid, "article_id": "a1", "sentence_index": 0, "evidence_start": 0,
            "cameo": "057", "modality": "asserted", "rule": rule,
            "joint_with": None if partners is None else json.dumps([_partner(p)
                                                                    for p in partners]),
            "source_code": src, "source_country": src, "source_sector": None,
            "target_code": target, "target_country": target, "target_sector": None}


def _pairs(rows: list[dict]) -> list[tuple[str, str | None]]:
    return sorted((r["source_code"], r["target_code"]) for r in joint_dyads(rows))


def test_stored_partners_give_both_dyads() -> None:
    rows = [_row(1, "KEN", "verb:V:sign joint", ["TZA", "UGA"]),
            _row(2, "TZA", "verb:V:sign joint", ["KEN", "UGA"]),
            _row(3, "UGA", "verb:V:sign joint", ["KEN", "TZA"]),
            _row(4, "ETH", "verb:V:attack", [], target="ERI")]
    assert _pairs(rows) == [("ETH", "ERI"), ("KEN", "TZA"), ("KEN", "UGA"), ("TZA", "KEN"),
                            ("TZA", "UGA"), ("UGA", "KEN"), ("UGA", "TZA")]


def test_the_field_is_used_even_when_the_partners_own_event_is_missing() -> None:
    # the rule-text fallback pairs rows of one sentence, so it could not find Tanzania here
    assert _pairs([_row(1, "KEN", "verb:V:sign joint", ["TZA"])]) == [("KEN", "TZA")]


def test_the_field_wins_over_the_rule_text() -> None:
    # stored after the migration with no partners: not expanded, whatever the rule says
    rows = [_row(1, "KEN", "verb:V:sign joint", []), _row(2, "TZA", "verb:V:sign joint", [])]
    assert _pairs(rows) == [("KEN", None), ("TZA", None)]


def test_rows_stored_before_the_column_fall_back_to_the_rule() -> None:
    rows = [_row(1, "KEN", "verb:V:sign joint", None), _row(2, "TZA", "verb:V:sign joint", None)]
    assert _pairs(rows) == [("KEN", "TZA"), ("TZA", "KEN")]


def test_a_partner_of_the_same_party_is_not_a_dyad() -> None:
    rows = [_row(1, "KEN", "verb:V:sign joint", ["KEN", "TZA", "TZA"])]
    assert _pairs(rows) == [("KEN", "TZA")]


def test_a_stored_joint_act_is_clustered_in_both_dyads(tmp_path: Path) -> None:
    text = "Kenya and Tanzania signed a border accord."
    ken = Actor("Kenya", 0, 5, code="KEN", country="KEN", name="Kenya", kind="country")
    tza = Actor("Tanzania", 10, 18, code="TZA", country="TZA", name="Tanzania",
                kind="country")
    art = Article(id="accord", text=text, date=dt.date(2025, 5, 6),
                  sentences=[Sentence(0, len(text))], actors=[ken, tza])
    day = When("2025-05-06", "2025-05-06", "day")
    art.events = [Event(id=f"e{i + 1}", sentence=0, evidence=art.span(0, 41), cameo="057",
                        cameo_name="Sign formal agreement", plover=Plover("AGREE"),
                        goldstein=8.0, quad_class=1, source=src, target=None, date=day,
                        confidence=0.6, rule="verb:V:sign", joint_with=[other])
                  for i, (src, other) in enumerate(((ken, tza), (tza, ken)))]
    db = tmp_path / "accord.db"
    conn = open_writer(db)
    write_article(conn, article_rows(art), None)
    conn.close()
    assert {(c.source, c.target) for c in clusters(db)} == {("KEN", "TZA"), ("TZA", "KEN")}
