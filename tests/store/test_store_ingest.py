"""Ingest with the toy coding stage (no model): idempotence, replacement, bad input, runs."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from redline.readers.files import default_id
from redline.store import ingest, query_runs, stats


def _count(db: Path, table: str) -> int:
    with sqlite3.connect(db) as conn:
        return conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]


RECORDS = [
    {"id": "a1", "text": "Russia attacked Ukraine. Iran threatened Israel.", "date": "2025-01-05"},
    {"id": "a2", "text": "France praised Germany.", "date": "2025-02-11"},
    {"id": "a3", "text": "China threatened Taiwan. Nobody else did anything.",
     "date": "2025-02-12"},
]


def test_a_second_ingest_adds_nothing(tmp_path: Path, toy_settings, write_jsonl) -> None:
    src = write_jsonl(tmp_path / "news.jsonl", RECORDS)
    db = tmp_path / "r.db"
    first = ingest([src], db, workers=1, settings=toy_settings)
    assert (first.read, first.added, first.skipped, first.events) == (3, 3, 0, 4)
    before = stats(db)
    second = ingest([src], db, workers=1, settings=toy_settings)
    assert (second.read, second.added, second.replaced, second.events) == (3, 0, 0, 0)
    assert second.skipped == 3
    assert stats(db) == before
    runs = query_runs(db)
    assert [r["status"] for r in runs] == ["finished", "finished"]
    assert runs[0]["articles_skipped"] == 3 and runs[1]["events_added"] == 4


def test_same_content_under_another_name_is_skipped(tmp_path: Path, toy_settings,
                                                    write_jsonl) -> None:
    db = tmp_path / "r.db"
    ingest([write_jsonl(tmp_path / "news.jsonl", RECORDS)], db, workers=1,
           settings=toy_settings)
    (tmp_path / "copy.txt").write_text("France  praised\nGermany.\n")
    report = ingest([tmp_path / "copy.txt"], db, workers=1, settings=toy_settings)
    assert (report.added, report.skipped) == (0, 1)
    assert _count(db, "articles") == 3


def test_a_changed_article_replaces_its_events(tmp_path: Path, toy_settings,
                                               write_jsonl) -> None:
    db = tmp_path / "r.db"
    ingest([write_jsonl(tmp_path / "news.jsonl", RECORDS)], db, workers=1,
           settings=toy_settings)
    changed = [{"id": "a1", "text": "Russia praised Ukraine.", "date": "2025-01-06"}]
    report = ingest([write_jsonl(tmp_path / "fix.jsonl", changed)], db, workers=1,
                    settings=toy_settings, on_conflict="replace")
    assert (report.added, report.replaced, report.events) == (0, 1, 1)
    with sqlite3.connect(db) as conn:
        rows = conn.execute("SELECT cameo, event_date_start FROM events "
                            "WHERE article_id = 'a1'").fetchall()
    assert rows == [("051", "2025-01-06")]
    assert _count(db, "events") == 3


def test_bad_input_is_recorded_and_the_batch_goes_on(tmp_path: Path, toy_settings,
                                                     write_jsonl) -> None:
    src = write_jsonl(tmp_path / "news.jsonl", RECORDS)
    with src.open("a") as f:
        f.write("{not json\n")
        f.write('{"id": "boom", "text": "EXPLODE here. Russia attacked Ukraine."}\n')
        f.write('{"id": "a9", "text": "Iran praised Iraq."}\n')
    (tmp_path / "empty.txt").write_text("")
    seen = []
    db = tmp_path / "r.db"
    report = ingest([src, tmp_path / "empty.txt", tmp_path / "missing.txt"], db, workers=1,
                    settings=toy_settings, on_failure=seen.append)
    assert report.added == 4
    assert sorted(f.kind for f in report.failures) == ["CodingError", "EmptyInputError",
                                                       "FormatError", "InputError"]
    assert seen == report.failures
    with sqlite3.connect(db) as conn:
        rows = conn.execute("SELECT input, line, kind, run_id FROM failures "
                            "ORDER BY failure_id").fetchall()
    assert rows[0] == (str(src), 4, "FormatError", report.run_id)
    coding = next(f for f in report.failures if f.kind == "CodingError")
    assert "boom" in coding.source and "exploded" in coding.reason
    assert stats(db)["failed_inputs"] == 4
    ingest([src, tmp_path / "empty.txt", tmp_path / "missing.txt"], db, workers=1,
           settings=toy_settings)
    assert stats(db)["failed_inputs"] == 4  # the same failures again: counted once


def test_two_texts_under_one_id_in_a_run_keep_the_first(tmp_path: Path, toy_settings,
                                                        write_jsonl) -> None:
    records = [{"id": "dup", "text": "Russia attacked Ukraine."},
               {"id": "dup", "text": "France praised Germany."}]
    src = write_jsonl(tmp_path / "news.jsonl", records)
    db = tmp_path / "r.db"
    first = ingest([src], db, workers=1, settings=toy_settings)
    assert first.added == 1 and [f.kind for f in first.failures] == ["DuplicateIdError"]
    second = ingest([src], db, workers=1, settings=toy_settings)
    assert (second.added, second.replaced) == (0, 0)  # no flip-flop between the two texts
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT cameo FROM events").fetchall() == [("190",)]


def test_a_folder_and_a_feed_are_ingested(tmp_path: Path, toy_settings) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "one.txt").write_text("Russia attacked Ukraine.")
    (folder / "news.rss").write_text(
        "<?xml version='1.0'?><rss version='2.0'><channel><title>Wire</title>"
        "<item><guid>w1</guid><title>T</title><description>Iran threatened Israel."
        "</description><pubDate>Tue, 04 Mar 2025 10:00:00 GMT</pubDate></item>"
        "</channel></rss>")
    db = tmp_path / "r.db"
    report = ingest([folder], db, workers=1, settings=toy_settings)
    assert report.added == 2 and not report.failures
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT id, date, source, input FROM articles ORDER BY id"
                            ).fetchall() == [(default_id("one.txt", "Russia attacked Ukraine."),
                                              None, None, str(folder)),
                                             ("w1", "2025-03-04", "Wire", str(folder))]


def test_a_changed_article_is_kept_beside_the_stored_one_by_default(
        tmp_path: Path, toy_settings, write_jsonl, caplog) -> None:
    db = tmp_path / "r.db"
    ingest([write_jsonl(tmp_path / "news.jsonl", RECORDS)], db, workers=1,
           settings=toy_settings)
    changed = [{"id": "a1", "text": "Russia praised Ukraine.", "date": "2025-01-06"}]
    report = ingest([write_jsonl(tmp_path / "fix.jsonl", changed)], db, workers=1,
                    settings=toy_settings)
    assert (report.added, report.replaced, report.renamed) == (1, 0, 1)
    assert "their id was stored with other text" in report.summary()
    assert "already stored with other text" in caplog.text
    with sqlite3.connect(db) as conn:
        ids = [r[0] for r in conn.execute("SELECT id FROM articles WHERE id LIKE 'a1%' "
                                          "ORDER BY id")]
        old = conn.execute("SELECT cameo FROM events WHERE article_id = 'a1'").fetchall()
    assert ids[0] == "a1" and ids[1].startswith("a1~") and len(ids) == 2
    assert old  # the first version and its events are still there
    again = ingest([tmp_path / "fix.jsonl"], db, workers=1, settings=toy_settings)
    assert (again.added, again.renamed, again.skipped) == (0, 0, 1)  # exactly once


def test_a_changed_article_can_be_refused(tmp_path: Path, toy_settings, write_jsonl) -> None:
    db = tmp_path / "r.db"
    ingest([write_jsonl(tmp_path / "news.jsonl", RECORDS)], db, workers=1,
           settings=toy_settings)
    changed = [{"id": "a1", "text": "Russia praised Ukraine.", "date": "2025-01-06"}]
    report = ingest([write_jsonl(tmp_path / "fix.jsonl", changed)], db, workers=1,
                    settings=toy_settings, on_conflict="refuse")
    assert (report.added, report.replaced) == (0, 0)
    (failure,) = report.failures
    assert failure.kind == "IdConflictError" and "'a1'" in failure.reason
    assert _count(db, "articles") == 3


def test_same_file_name_from_two_folders_keeps_both(tmp_path: Path, toy_settings,
                                                    write_jsonl) -> None:
    """monday/news.jsonl and tuesday/news.jsonl, records without ids: nothing is replaced."""
    db = tmp_path / "r.db"
    (tmp_path / "monday").mkdir()
    (tmp_path / "tuesday").mkdir()
    monday = write_jsonl(tmp_path / "monday" / "news.jsonl", [
        {"text": "Russia attacked Ukraine."}, {"text": "France praised Germany."}])
    tuesday = write_jsonl(tmp_path / "tuesday" / "news.jsonl", [
        {"text": "China threatened Taiwan."}, {"text": "Iran threatened Israel."}])
    first = ingest([monday], db, workers=1, settings=toy_settings)
    second = ingest([tuesday], db, workers=1, settings=toy_settings)
    assert (first.added, second.added, second.replaced, second.renamed) == (2, 2, 0, 0)
    assert _count(db, "articles") == 4
    with sqlite3.connect(db) as conn:
        ids = sorted(r[0] for r in conn.execute("SELECT id FROM articles"))
    assert [i.split("~")[0] for i in ids] == ["news.jsonl:1", "news.jsonl:1",
                                              "news.jsonl:2", "news.jsonl:2"]
    again = ingest([monday, tuesday], db, workers=1, settings=toy_settings)
    assert (again.added, again.skipped) == (0, 4)  # the same ids on a re-run
