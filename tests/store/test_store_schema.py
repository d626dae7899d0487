"""Schema, migrations and connections: readable tables, versions checked, readers read-only."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from redline.store import (
    SCHEMA_VERSION,
    MissingDatabaseError,
    SchemaVersionError,
    StoreError,
    open_db,
    open_writer,
)
from redline.store.db import fetch_all
from redline.store.rows import ARTICLE_COLUMNS, CHILD_TABLES
from redline.store.schema import MIGRATIONS, migrate

TABLES = {"articles", "sentences", "actors", "events", "quotes", "places", "runs", "failures",
          "schema_migrations"}


def _columns(conn: sqlite3.Connection, table: str) -> set[str]:
    return {r[1] for r in conn.execute(f"PRAGMA table_info({table})")}


def test_a_new_database_has_every_table_and_the_latest_version(tmp_path: Path) -> None:
    conn = open_writer(tmp_path / "r.db")
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert tables >= TABLES
    versions = [r[0] for r in conn.execute("SELECT version FROM schema_migrations")]
    assert versions == [m.version for m in MIGRATIONS]
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1


def test_row_builders_name_only_columns_the_schema_has(tmp_path: Path) -> None:
    conn = open_writer(tmp_path / "r.db")
    assert set(ARTICLE_COLUMNS) <= _columns(conn, "articles")
    for table, columns in CHILD_TABLES.items():
        assert set(columns) <= _columns(conn, table), table


def test_event_columns_are_readable_names(tmp_path: Path) -> None:
    conn = open_writer(tmp_path / "r.db")
    cols = _columns(conn, "events")
    for name in ("cameo", "cameo_name", "plover_type", "plover_mode", "goldstein", "quad_class",
                 "source_code", "source_country", "source_sector", "source_name", "target_code",
                 "modality", "reported_by_code", "event_date_start", "event_date_granularity",
                 "historical", "location_name", "location_lat", "evidence_text",
                 "evidence_start", "confidence", "rule"):
        assert name in cols


def test_an_older_database_is_migrated_when_opened(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    conn = sqlite3.connect(path, isolation_level=None)
    migrate(conn, str(path), target=1)
    conn.close()
    ro = open_db(path)
    assert fetch_all(ro, "SELECT MAX(version) FROM schema_migrations")[0][0] == SCHEMA_VERSION
    assert fetch_all(ro, "SELECT COUNT(*) FROM event_summary")[0][0] == 0


def test_a_newer_database_is_refused_with_its_version(tmp_path: Path) -> None:
    path = tmp_path / "new.db"
    conn = open_writer(path)
    conn.execute("INSERT INTO schema_migrations VALUES (?, 'from the future', 'now')",
                 (SCHEMA_VERSION + 1,))
    conn.close()
    with pytest.raises(SchemaVersionError, match=rf"new.db has schema version "
                                                 rf"{SCHEMA_VERSION + 1}.*upgrade redline"):
        open_db(path)
    with pytest.raises(SchemaVersionError):
        open_writer(path)


def test_a_missing_database_is_named(tmp_path: Path) -> None:
    path = tmp_path / "nowhere.db"
    with pytest.raises(MissingDatabaseError, match="no event database at .*nowhere.db.*ingest"):
        open_db(path)
    assert not path.exists()


def test_a_foreign_sqlite_file_or_a_text_file_is_refused(tmp_path: Path) -> None:
    other = tmp_path / "other.db"
    sqlite3.connect(other).execute("CREATE TABLE shopping (item TEXT)").connection.commit()
    with pytest.raises(SchemaVersionError, match="not a redline event store.*shopping"):
        open_db(other)
    text = tmp_path / "notes.db"
    text.write_text("these are my notes, not a database\n" * 200)
    with pytest.raises(StoreError, match="notes.db: cannot be used as an event database"):
        open_db(text)


def test_readers_cannot_write(tmp_path: Path) -> None:
    path = tmp_path / "r.db"
    open_writer(path).close()
    ro = open_db(path)
    with pytest.raises(sqlite3.OperationalError, match="readonly|read-only|query_only"):
        ro.execute("DELETE FROM articles")


def test_a_reader_query_over_its_time_limit_is_stopped(tmp_path: Path) -> None:
    path = tmp_path / "r.db"
    open_writer(path).close()
    ro = open_db(path, time_limit=0.05)
    slow = ("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) "
            "SELECT COUNT(*) FROM n")
    with pytest.raises(StoreError, match="took longer than 0.05 s"):
        fetch_all(ro, slow)
    assert fetch_all(ro, "SELECT 1")[0][0] == 1  # the clock restarts for each query
