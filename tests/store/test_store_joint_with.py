"""A joint act's partners (``Event.joint_with``) are kept by the store, exported, and added
to databases written before the column existed (migration 3)."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from pathlib import Path

from redline.article import Actor, Article, Event, Plover, Sentence, Span
from redline.store import export, open_db, open_writer, query_events
from redline.store.rows import article_rows
from redline.store.schema import SCHEMA_VERSION, migrate
from redline.store.writer import write_article


def _country(text: str, code: str, start: int) -> Actor:
    return Actor(text, start, start + len(text), code=code, country=code, name=text,
                 kind="country")


def pact_article() -> Article:
    """'Ghana and Togo signed a customs pact. Mali attacked Niger.': a joint act of two
    sources (one event each, no target) and an ordinary act with a target."""
    text = "Ghana and Togo signed a customs pact. Mali attacked Niger."
    gha, tgo = _country("Ghana", "GHA", 0), _country("Togo", "TGO", 10)
    mli, ner = _country("Mali", "MLI", 38), _country("Niger", "NER", 52)
    art = Article(id="pact", text=text, sentences=[Sentence(0, 37), Sentence(38, len(text))],
                  actors=[gha, tgo, mli, ner])

    def event(i: int, src: Actor, tgt: Actor | None, partners: list[Actor], cameo: str,
              evidence: Span) -> Event:
        return Event(id=f"e{i}", sentence=0 if cameo == "057" else 1, evidence=evidence,
                     cameo=cameo, cameo_name="x", plover=Plover("AGREE"), goldstein=0.0,
                     quad_class=1, source=src, target=tgt, confidence=0.6,
                     rule="verb:V:sign joint" if partners else "verb:V:attack",
                     joint_with=partners)

    pact, attack = art.span(0, 36), art.span(38, 57)
    art.events = [event(1, gha, None, [tgo], "057", pact), event(2, tgo, None, [gha], "057", pact),
                  event(3, mli, ner, [], "190", attack)]
    return art


def test_the_store_keeps_a_joint_acts_partners(tmp_path: Path) -> None:
    conn = open_writer(tmp_path / "r.db")
    write_article(conn, article_rows(pact_article()), None)
    conn.close()
    rows = query_events(tmp_path / "r.db")
    stored = {r["source_code"]: json.loads(r["joint_with"]) for r in rows}
    assert [p["code"] for p in stored["GHA"]] == ["TGO"]
    assert [p["code"] for p in stored["TGO"]] == ["GHA"]
    assert stored["GHA"][0] == {"code": "TGO", "country": "TGO", "sector": None, "name": "Togo",
                                "text": "Togo", "kind": "country", "start": 10, "end": 14}
    assert stored["MLI"] == []


def test_export_carries_joint_with(tmp_path: Path) -> None:
    conn = open_writer(tmp_path / "r.db")
    write_article(conn, article_rows(pact_article()), None)
    conn.close()
    out = io.StringIO()
    export(tmp_path / "r.db", "csv", out)
    by_source = {r["source_code"]: r for r in csv.DictReader(io.StringIO(out.getvalue()))}
    assert [p["code"] for p in json.loads(by_source["TGO"]["joint_with"])] == ["GHA"]
    out = io.StringIO()
    export(tmp_path / "r.db", "jsonl", out)
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [json.loads(r["joint_with"]) != [] for r in lines] == [True, True, False]


def test_an_older_database_gains_the_column_and_keeps_its_rows(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    conn = sqlite3.connect(path, isolation_level=None)
    migrate(conn, str(path), target=2)
    conn.execute("INSERT INTO articles (id, content_hash, text, coded_at) "
                 "VALUES ('old', 'h', 'Ghana and Togo met.', 'now')")
    conn.execute("INSERT INTO events (article_id, event_index, event_key, evidence_text, "
                 "evidence_start, evidence_end, cameo, cameo_root, modality, source_code, rule) "
                 "VALUES ('old', 0, 'e1', 'Ghana and Togo met', 0, 18, '040', '04', "
                 "'asserted', 'GHA', 'verb:V:meet joint')")
    conn.close()
    ro = open_db(path)  # migrates
    assert ro.execute("SELECT MAX(version) FROM schema_migrations").fetchone()[0] == \
        SCHEMA_VERSION >= 3
    ro.close()
    old = query_events(path)
    assert len(old) == 1 and old[0]["joint_with"] is None  # unknown, not "no partners"
    conn = open_writer(path)
    write_article(conn, article_rows(pact_article()), None)
    conn.close()
    assert [r["joint_with"] is None for r in query_events(path)] == [True, False, False, False]
