"""Writing: one transaction per article, replacement, duplicates, the content hash."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from redline.store import content_hash, open_writer
from redline.store.rows import ArticleRows, Failure, article_rows
from redline.store.writer import record_failure, split_source, write_article


def _count(conn: sqlite3.Connection, table: str) -> int:
    return conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]


def test_content_hash_ignores_spacing_and_unicode_composition() -> None:
    a = content_hash("Russia  attacked\nUkraine.  Caf\u00e9 ")
    assert a == content_hash(" Russia attacked Ukraine. Cafe\u0301")
    assert a != content_hash("Russia attacked Ukraine. Cafe")


def test_an_article_is_stored_with_all_its_rows(tmp_path: Path, toy_article) -> None:
    conn = open_writer(tmp_path / "r.db")
    art = toy_article("a1", 'Russia attacked Ukraine. France praised Germany. "We stand firm."')
    assert write_article(conn, article_rows(art, input="news.jsonl"), run_id=None) == "added"
    assert _count(conn, "articles") == 1
    assert _count(conn, "events") == 2
    assert _count(conn, "actors") == 4
    assert _count(conn, "quotes") == 1
    assert _count(conn, "sentences") == 3
    row = conn.execute("SELECT source_code, cameo, cameo_root, plover_type, target_code, "
                       "evidence_text, event_date_start, date_from_article FROM events "
                       "WHERE event_index = 0").fetchone()
    assert row == ("RUS", "190", "19", "ASSAULT", "UKR", "Russia attacked Ukraine",
                   "2025-03-03", 1)
    text, start, end = conn.execute(
        "SELECT a.text, e.evidence_start, e.evidence_end FROM events e "
        "JOIN articles a ON a.id = e.article_id WHERE e.event_index = 1").fetchone()
    assert text[start:end] == "France praised Germany"


def test_same_content_is_a_duplicate_whatever_its_id(tmp_path: Path, toy_article) -> None:
    conn = open_writer(tmp_path / "r.db")
    write_article(conn, article_rows(toy_article("a1", "Russia attacked Ukraine.")), None)
    again = article_rows(toy_article("copy.txt", "Russia   attacked Ukraine.\n"))
    assert write_article(conn, again, None) == "duplicate"
    assert _count(conn, "articles") == 1 and _count(conn, "events") == 1


def test_changed_content_replaces_the_old_rows(tmp_path: Path, toy_article) -> None:
    conn = open_writer(tmp_path / "r.db")
    write_article(conn, article_rows(toy_article("a1", "Russia attacked Ukraine. Iran "
                                                       "threatened Israel.")), None)
    new = article_rows(toy_article("a1", "France praised Germany."))
    assert write_article(conn, new, None) == "replaced"
    assert conn.execute("SELECT cameo FROM events").fetchall() == [("051",)]
    assert _count(conn, "actors") == 2 and _count(conn, "articles") == 1


def test_a_failed_write_leaves_nothing_of_the_article(tmp_path: Path, toy_article) -> None:
    conn = open_writer(tmp_path / "r.db")
    good = article_rows(toy_article("a1", "Russia attacked Ukraine. Iran threatened Israel."))
    events = good.children["events"]
    broken = ArticleRows(good.article, {**good.children, "events": [events[0], events[0]]})
    with pytest.raises(sqlite3.IntegrityError):  # (article_id, event_index) twice
        write_article(conn, broken, None)
    for table in ("articles", "events", "actors", "sentences"):
        assert _count(conn, table) == 0, table
    assert write_article(conn, good, None) == "added"


def test_a_failed_replacement_keeps_the_old_version(tmp_path: Path, toy_article) -> None:
    conn = open_writer(tmp_path / "r.db")
    write_article(conn, article_rows(toy_article("a1", "Russia attacked Ukraine.")), None)
    new = article_rows(toy_article("a1", "Iran threatened Israel. France praised Germany."))
    ev = new.children["events"]
    with pytest.raises(sqlite3.IntegrityError):
        write_article(conn, ArticleRows(new.article, {**new.children, "events": [ev[0], ev[0]]}),
                      None)
    assert conn.execute("SELECT cameo FROM events").fetchall() == [("190",)]


def test_failures_keep_file_and_line(tmp_path: Path) -> None:
    conn = open_writer(tmp_path / "r.db")
    record_failure(conn, None, Failure("news.jsonl:12", "line 12 is not valid JSON",
                                       "FormatError"))
    assert conn.execute("SELECT input, line, kind FROM failures").fetchone() == (
        "news.jsonl", 12, "FormatError")
    assert split_source("list.json[3]") == ("list.json", 3)
    assert split_source("C:/x/story.txt") == ("C:/x/story.txt", None)
