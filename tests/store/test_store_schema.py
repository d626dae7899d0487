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
          "monitor_watch_state", "monitor_alerts", "schema_migrations"}

# What redline.monitor.watch executed itself, on each run, before migration 5 took the two
# tables over: kept here verbatim to build a database the old way.
OLD_WATCH_SQL = (
    """CREATE TABLE IF NOT EXISTS monitor_watch_state (
    state TEXT PRIMARY KEY,              -- the watch's name (default: watch)
    last_event_id INTEGER NOT NULL,      -- the highest event_id seen by the last run
    last_run_at TEXT NOT NULL
)""",
    """CREATE TABLE IF NOT EXISTS monitor_alerts (
    state TEXT NOT NULL,
    rule TEXT NOT NULL,
    dedupe_key TEXT NOT NULL,            -- cluster key, source>target, or the rule name
    cluster_key TEXT NOT NULL,
    fired_at TEXT NOT NULL,
    alert TEXT NOT NULL,                 -- the alert as JSON
    PRIMARY KEY (state, rule, dedupe_key)
)""",
)
WATCH_TABLES = ("monitor_watch_state", "monitor_alerts")


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


def _table_sql(conn: sqlite3.Connection) -> dict[str, str]:
    return {r[0]: r[1] for r in conn.execute(
        f"SELECT name, sql FROM sqlite_master WHERE name IN {WATCH_TABLES}")}


def test_a_database_watch_ran_on_before_migration_5_keeps_its_rows(tmp_path: Path) -> None:
    # An event database of schema version 4 on which the old `redline watch` had created its
    # two tables itself and recorded a run and an alert.
    path = tmp_path / "watched.db"
    conn = sqlite3.connect(path, isolation_level=None)
    migrate(conn, str(path), target=4)
    for sql in OLD_WATCH_SQL:
        conn.execute(sql)
    conn.execute("INSERT INTO monitor_watch_state VALUES ('watch', 42, '2026-01-02T03:04:05Z')")
    conn.execute("INSERT INTO monitor_alerts VALUES ('watch', 'rus-nato', 'RUS>NATO', "
                 "'c1', '2026-01-02T03:04:05Z', '{\"rule\": \"rus-nato\"}')")
    conn.close()

    ro = open_db(path)
    versions = [r[0] for r in fetch_all(ro, "SELECT version FROM schema_migrations")]
    assert 5 in versions and max(versions) == SCHEMA_VERSION
    assert [tuple(r) for r in fetch_all(ro, "SELECT * FROM monitor_watch_state")] == [
        ("watch", 42, "2026-01-02T03:04:05Z")]
    assert [tuple(r) for r in fetch_all(ro, "SELECT * FROM monitor_alerts")] == [
        ("watch", "rus-nato", "RUS>NATO", "c1", "2026-01-02T03:04:05Z",
         '{"rule": "rus-nato"}')]
    # The tables are the ones a new database gets from migration 5, column for column.
    old_sql = _table_sql(ro)
    ro.close()
    fresh = open_writer(tmp_path / "fresh.db")
    assert old_sql == _table_sql(fresh) and set(old_sql) == set(WATCH_TABLES)


def test_the_watch_tables_come_from_migration_5(tmp_path: Path) -> None:
    path = tmp_path / "r.db"
    conn = sqlite3.connect(path, isolation_level=None)
    migrate(conn, str(path), target=4)
    assert not _table_sql(conn)
    assert migrate(conn, str(path), target=5) == [5]
    assert set(_table_sql(conn)) == set(WATCH_TABLES)


def test_open_db_without_migrating_leaves_an_older_database_as_it_is(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    conn = sqlite3.connect(path, isolation_level=None)
    migrate(conn, str(path), target=2)
    conn.close()
    ro = open_db(path, migrate=False)
    assert ro.version == 2
    assert fetch_all(ro, "SELECT MAX(version) FROM schema_migrations")[0][0] == 2
    ro.close()
    empty = tmp_path / "empty.db"
    empty.touch()
    ro = open_db(empty, migrate=False)
    assert ro.version == 0
    ro.close()
    assert empty.stat().st_size == 0
    assert open_db(path).version == SCHEMA_VERSION


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
