"""The store's commands: ingest, events, articles, stats, export, failures."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from redline.cli.main import cli
from redline.store import ingest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def toy_db(tmp_path: Path, toy_settings, write_jsonl) -> Path:
    records = [
        {"id": "a1", "text": "Russia attacked Ukraine. Iran threatened Israel.",
         "date": "2025-01-05"},
        {"id": "a2", "text": "France praised Germany.", "date": "2025-02-11"},
    ]
    src = write_jsonl(tmp_path / "news.jsonl", records)
    with src.open("a") as f:
        f.write("{oops\n")
    db = tmp_path / "r.db"
    ingest([src], db, workers=1, settings=toy_settings)
    return db


def _run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_every_store_command_has_help() -> None:
    for cmd in ("ingest", "events", "articles", "stats", "export", "failures"):
        code, out, _ = _run(cmd, "--help")
        assert code == 0 and "--db" in out, cmd


def test_a_missing_database_is_a_clear_error(tmp_path: Path) -> None:
    for cmd in ("events", "articles", "stats", "failures"):
        code, _, err = _run(cmd, "--db", str(tmp_path / "none.db"))
        assert code == 1 and "no event database at" in err and "none.db" in err, cmd
        assert "Traceback" not in err
    assert not (tmp_path / "none.db").exists()


def test_stats_json_and_text(toy_db: Path) -> None:
    code, out, _ = _run("stats", "--db", str(toy_db), "--json")
    assert code == 0
    s = json.loads(out)
    assert (s["articles"], s["events"], s["failed_inputs"]) == (2, 3, 1)
    code, out, _ = _run("stats", "--db", str(toy_db))
    assert code == 0 and "2 articles, 3 events" in out and "Threaten" in out


def test_events_filters_and_formats(toy_db: Path) -> None:
    code, out, _ = _run("events", "--db", str(toy_db), "--cameo", "13", "--format", "jsonl")
    assert code == 0
    rows = [json.loads(line) for line in out.splitlines()]
    assert [(r["source_code"], r["target_code"]) for r in rows] == [("IRA", "ISR")]
    code, out, _ = _run("events", "--db", str(toy_db), "--actor", "fra", "--format", "csv")
    assert code == 0 and out.splitlines()[0].startswith("event_id,article_id")
    assert len(out.splitlines()) == 2
    code, out, _ = _run("events", "--db", str(toy_db), "--since", "2025-02-01")
    assert code == 0 and "France praised Germany" in out and "Russia" not in out
    code, _, err = _run("events", "--db", str(toy_db), "--cameo", "threat")
    assert code == 1 and "not a CAMEO code prefix" in err
    code, _, err = _run("events", "--db", str(toy_db), "--since", "05/01/2025")
    assert code == 2 and "YYYY-MM-DD" in err
    code, out, _ = _run("events", "--db", str(toy_db), "--text", "praised", "--format", "jsonl")
    assert code == 0 and [json.loads(x)["cameo"][:2] for x in out.splitlines()] == ["05"]
    code, out, _ = _run("events", "--db", str(toy_db), "--text", "%' OR 1=1 --",
                        "--format", "jsonl")
    assert code == 0 and out.strip() == ""


def test_articles_and_failures(toy_db: Path) -> None:
    code, out, _ = _run("articles", "--db", str(toy_db), "--format", "jsonl")
    assert code == 0 and [json.loads(x)["events"] for x in out.splitlines()] == [2, 1]
    code, out, _ = _run("failures", "--db", str(toy_db), "--format", "jsonl")
    (failure,) = [json.loads(x) for x in out.splitlines()]
    assert failure["line"] == 3 and failure["kind"] == "FormatError"


def test_export_gdelt_to_a_file(toy_db: Path, tmp_path: Path) -> None:
    out_path = tmp_path / "events.export.CSV"
    code, _, err = _run("export", "--db", str(toy_db), "--format", "gdelt", "-o", str(out_path))
    assert code == 0 and "3 rows of events exported" in err
    lines = out_path.read_text().splitlines()
    assert len(lines) == 3 and all(len(line.split("\t")) == 61 for line in lines)


@pytest.mark.model
def test_ingest_twice_with_two_workers_matches_one_worker(tmp_path: Path, small_corpus) -> None:
    """--workers 2 stores what --workers 1 stores; a second run adds nothing."""
    corpus = small_corpus(tmp_path / "corpus.jsonl", 12)

    def redline(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "redline.cli.main", *args],
                              capture_output=True, text=True, cwd=tmp_path, timeout=600)

    one, two = tmp_path / "one.db", tmp_path / "two.db"
    r1 = redline("ingest", str(corpus), "--db", str(one), "--workers", "1")
    r2 = redline("ingest", str(corpus), "--db", str(two), "--workers", "2")
    assert r1.returncode == 0 and r2.returncode == 0, r1.stderr + r2.stderr
    assert "12 added" in r2.stderr

    def events(db: Path) -> list[tuple]:
        with sqlite3.connect(db) as conn:
            return conn.execute("SELECT article_id, event_index, cameo, source_code, "
                                "target_code, evidence_start, evidence_end FROM events "
                                "ORDER BY article_id, event_index").fetchall()

    assert events(one) == events(two) and events(one)
    before = redline("stats", "--db", str(two), "--json").stdout
    again = redline("ingest", str(corpus), "--db", str(two), "--workers", "2")
    assert again.returncode == 0
    assert "0 added, 0 replaced, 12 already stored; 0 events stored" in again.stderr
    assert redline("stats", "--db", str(two), "--json").stdout == before
