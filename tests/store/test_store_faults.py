"""Store faults: a full disk, a read-only file or folder, a damaged file and another
application's SQLite file each give one message naming the file and a non-zero exit, never a
traceback; a foreign or damaged database is never written, and a read-only one can be read.

Every database here is built by the test (the toy coding stage of conftest.py).
"""

from __future__ import annotations

import hashlib
import importlib
import os
import shutil
import sqlite3
import subprocess
import sys
import traceback
from pathlib import Path

import pytest
from click.testing import CliRunner

from redline.cli.main import cli
from redline.store import SchemaVersionError, StoreError, ingest, open_db, open_writer
from redline.store.db import database_fault, fault_kind
from redline.store.schema import Migration, migrate

ingest_module = importlib.import_module("redline.store.ingest")  # the package shadows it

READ_COMMANDS = (("stats",), ("events",), ("articles",), ("failures",),
                 ("export", "--format", "csv"), ("dyads",), ("dyad", "RUS", "UKR"))
RULES = '[[rule]]\nname = "any"\nsource = ["RUS"]\n'


def _records(n: int, start: int = 0) -> list[dict]:
    return [{"id": f"s{i}", "date": "2025-03-01",
             "text": f"Russia attacked Ukraine. Iran threatened Israel. Note {i}: "
                     + "the desk adds a long paragraph of background. " * 40}
            for i in range(start, start + n)]


@pytest.fixture
def toy_config(tmp_path: Path) -> Path:
    path = tmp_path / "toy.toml"
    path.write_text('[pipeline]\nstages = ["toy_code"]\n', encoding="utf-8")
    return path


@pytest.fixture
def stored(tmp_path: Path, toy_settings, write_jsonl) -> Path:
    """An event database of 6 toy articles (12 events)."""
    db = tmp_path / "r.db"
    ingest([write_jsonl(tmp_path / "news.jsonl", _records(6))], db, workers=1,
           settings=toy_settings)
    return db


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _run(*args: str) -> tuple[int, str]:
    """Exit status and standard error of one command (an uncaught exception as a
    traceback)."""
    result = CliRunner().invoke(cli, list(args))
    err = result.stderr
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        err += "".join(traceback.format_exception(result.exception))
    return result.exit_code, err


def _one_error(code: int, err: str, *words: str) -> None:
    assert code != 0, err
    assert "Traceback" not in err, err
    lines = [line for line in err.splitlines() if line.startswith("Error:")]
    assert len(lines) == 1, err
    for w in words:
        assert w in lines[0], err


def _counts(db: Path) -> tuple[int, int]:
    with sqlite3.connect(db) as conn:
        return (conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0],
                conn.execute("SELECT COUNT(*) FROM events").fetchone()[0])


# --- disk full ---------------------------------------------------------------------------------


def _small_disk(monkeypatch: pytest.MonkeyPatch, pages: int) -> None:
    """Writers may grow the database by ``pages`` pages only (SQLite's max_page_count)."""
    real = ingest_module.open_writer

    def small(path, **kw):
        conn = real(path, **kw)
        size = conn.execute("PRAGMA page_count").fetchone()[0]
        conn.execute(f"PRAGMA max_page_count = {size + pages}")
        return conn

    monkeypatch.setattr(ingest_module, "open_writer", small)


def test_a_full_disk_stops_ingest_with_one_message_and_keeps_what_was_committed(
        tmp_path: Path, toy_settings, toy_config: Path, write_jsonl,
        monkeypatch: pytest.MonkeyPatch) -> None:
    news = write_jsonl(tmp_path / "news.jsonl", _records(40))
    db = tmp_path / "full.db"
    open_writer(db).close()
    _small_disk(monkeypatch, 12)
    with pytest.raises(StoreError, match=r"full.db: the disk is full \(database or disk is "
                                         r"full\).*free some space"):
        ingest([news], db, workers=1, settings=toy_settings)
    code, err = _run("ingest", str(news), "--db", str(db), "--workers", "1",
                     "--config", str(toy_config))
    _one_error(code, err, "full.db", "the disk is full")
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        kept, events = _counts(db)
        assert 0 < kept < 40 and events == 2 * kept  # whole articles only
    monkeypatch.undo()  # space freed: the same ingest finishes the job
    report = ingest([news], db, workers=1, settings=toy_settings)
    assert (report.added, report.skipped) == (40 - kept, kept)
    assert _counts(db) == (40, 80)


def test_a_full_disk_from_sqlite_itself_is_recognised() -> None:
    exc = sqlite3.OperationalError("database or disk is full")
    assert fault_kind(exc) == "full"
    assert "x.db: the disk is full" in str(database_fault("x.db", exc))
    assert fault_kind(sqlite3.IntegrityError("UNIQUE constraint failed")) is None


# --- damaged file ------------------------------------------------------------------------------


def _damage(db: Path, *, header: bool = False) -> None:
    with sqlite3.connect(db) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    data = bytearray(db.read_bytes())
    if header:
        data[:100] = b"\x13" * 100
    else:
        page = int.from_bytes(data[16:18], "big")
        for offset in range(page, len(data), page):  # every page but the first
            data[offset:offset + page] = bytes([0xA5]) * page
    db.write_bytes(bytes(data))


@pytest.mark.parametrize("header", [False, True], ids=["pages", "header"])
def test_a_damaged_database_is_named_by_every_command_and_never_written(
        stored: Path, tmp_path: Path, toy_config: Path, write_jsonl, header: bool) -> None:
    _damage(stored, header=header)
    before = _sha(stored)
    rules = tmp_path / "rules.toml"
    rules.write_text(RULES, encoding="utf-8")
    news = write_jsonl(tmp_path / "more.jsonl", _records(3, start=100))
    words = "not an SQLite database" if header else "damaged"
    for args in (*READ_COMMANDS, ("watch", "--rules", str(rules)),
                 ("ingest", str(news), "--workers", "1", "--config", str(toy_config))):
        code, err = _run(*args, "--db", str(stored))
        _one_error(code, err, "r.db", words)
        assert _sha(stored) == before, args


def test_ingest_refuses_a_damaged_database_before_writing(stored: Path, toy_settings,
                                                          write_jsonl, tmp_path: Path) -> None:
    # Only the index pages of one table are damaged: reading the articles still works, but
    # quick_check finds it and nothing is written.
    with sqlite3.connect(stored) as conn:
        root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = "
                            "'sqlite_autoindex_articles_2'").fetchone()[0]
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        page = conn.execute("PRAGMA page_size").fetchone()[0]
    data = bytearray(stored.read_bytes())
    data[(root - 1) * page + 8:(root - 1) * page + 40] = b"\xff" * 32
    stored.write_bytes(bytes(data))
    before = _sha(stored)
    news = write_jsonl(tmp_path / "more.jsonl", _records(2, start=50))
    with pytest.raises(StoreError, match="r.db: the database file is damaged"):
        ingest([news], stored, workers=1, settings=toy_settings)
    assert _sha(stored) == before


# --- another application's database ------------------------------------------------------------


def _foreign(path: Path, table: str = "customers") -> Path:
    with sqlite3.connect(path) as conn:
        conn.execute(f"CREATE TABLE {table} (id INTEGER PRIMARY KEY, name TEXT)")
        conn.execute(f"INSERT INTO {table} VALUES (1, 'Ada')")
    return path


def test_another_applications_database_is_refused_before_anything_is_written(
        tmp_path: Path, toy_config: Path, write_jsonl) -> None:
    db = _foreign(tmp_path / "shop.db")
    before = _sha(db)
    news = write_jsonl(tmp_path / "news.jsonl", _records(2))
    rules = tmp_path / "rules.toml"
    rules.write_text(RULES, encoding="utf-8")
    for args in (("ingest", str(news), "--workers", "1", "--config", str(toy_config)),
                 ("watch", "--rules", str(rules)), *READ_COMMANDS):
        code, err = _run(*args, "--db", str(db))
        _one_error(code, err, "shop.db", "not a redline event store", "customers")
    for open_ in (open_writer, open_db):
        with pytest.raises(SchemaVersionError, match="not a redline event store"):
            open_(db)
    assert _sha(db) == before
    assert sorted(os.listdir(tmp_path)) == ["news.jsonl", "rules.toml", "shop.db", "toy.toml"]


@pytest.mark.parametrize("table", ["events", "articles", "schema_migrations"])
def test_a_clashing_table_leaves_no_schema_migrations_behind(tmp_path: Path,
                                                               table: str) -> None:
    db = _foreign(tmp_path / "clash.db", table)
    conn = sqlite3.connect(db, isolation_level=None)
    with pytest.raises(SchemaVersionError, match="not a redline event store"):
        migrate(conn, str(db))
    names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
    assert names == {table}
    conn.close()


def test_a_leftover_schema_migrations_beside_other_tables_is_still_foreign(
        tmp_path: Path) -> None:
    # what an older redline left in another application's database when its migration failed
    db = _foreign(tmp_path / "shop.db")
    with sqlite3.connect(db) as conn:
        conn.execute("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, "
                     "name TEXT NOT NULL, applied_at TEXT NOT NULL)")
    with pytest.raises(SchemaVersionError, match="customers"):
        open_writer(db)


def test_a_failing_migration_rolls_back_whole(tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    from redline.store import schema

    broken = Migration(1, "broken", ("CREATE TABLE a (x)", "CREATE TABLE a (x)"))
    monkeypatch.setattr(schema, "MIGRATIONS", (broken,))
    monkeypatch.setattr(schema, "SCHEMA_VERSION", 1)
    db = tmp_path / "new.db"
    conn = sqlite3.connect(db, isolation_level=None)
    with pytest.raises(sqlite3.OperationalError, match="already exists"):
        migrate(conn, str(db))
    assert conn.execute("SELECT name FROM sqlite_master").fetchall() == []
    assert not conn.in_transaction
    conn.close()


# --- read-only files and folders ---------------------------------------------------------------


def test_a_database_that_cannot_be_opened_read_only_is_read_immutable(
        stored: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # SQLite refuses a read-only open of a WAL database whose folder cannot be written
    # (SQLITE_READONLY_DIRECTORY: no -shm file can be made; read-only media the same); root
    # writes anywhere, so the refusal is simulated here, and tested for real below.
    from redline.store import db as db_module

    real = db_module._connect
    tried: list[bool] = []

    def connect(path, time_limit, *, immutable):
        tried.append(immutable)
        if not immutable:
            raise sqlite3.OperationalError("attempt to write a readonly database")
        return real(path, time_limit, immutable=immutable)

    monkeypatch.setattr(db_module, "_connect", connect)
    conn = open_db(stored)
    assert conn.immutable and tried == [False, True]
    assert conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0] == 6
    conn.close()
    code, err = _run("stats", "--db", str(stored))
    assert code == 0, err


def _unprivileged() -> list[str]:
    """A command prefix under which file permissions apply (root bypasses them: drop the
    capabilities that let it), or skip."""
    if os.geteuid() != 0:
        return []
    prefix = ["setpriv", "--bounding-set", "-dac_override,-dac_read_search,-fowner", "--"]
    if shutil.which("setpriv") is None or subprocess.run(
            [*prefix, "true"], capture_output=True).returncode != 0:
        pytest.skip("running as root without setpriv: permissions cannot be tested")
    return prefix


def test_a_read_only_file_in_a_read_only_folder_is_read_and_not_written(
        stored: Path, tmp_path: Path, toy_config: Path, write_jsonl) -> None:
    prefix = _unprivileged()
    with sqlite3.connect(stored) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    for suffix in ("-wal", "-shm"):
        Path(f"{stored}{suffix}").unlink(missing_ok=True)
    folder = tmp_path / "media"
    folder.mkdir()
    db = folder / "r.db"
    shutil.copy(stored, db)
    news = write_jsonl(tmp_path / "more.jsonl", _records(2, start=70))
    toy = tmp_path / "toy_stage.py"  # the subprocess registers the toy stage itself
    toy.write_text(f"import sys\nsys.path.insert(0, {str(Path(__file__).parent)!r})\n"
                   "import conftest\nfrom redline.cli.main import main\nmain()\n",
                   encoding="utf-8")
    db.chmod(0o444)
    folder.chmod(0o555)
    before = _sha(db)
    env = {**os.environ, "REDLINE_CACHE_DIR": "off"}

    def redline(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([*prefix, sys.executable, str(toy), *args, "--db", str(db)],
                              capture_output=True, text=True, env=env, timeout=300)

    try:
        stats = redline("stats", "--json")
        assert stats.returncode == 0, stats.stderr
        assert '"articles": 6' in stats.stdout and '"events": 12' in stats.stdout
        for args in (("events", "--format", "jsonl"), ("export", "--format", "csv"),
                     ("dyads",)):
            r = redline(*args)
            assert r.returncode == 0 and "Traceback" not in r.stderr, (args, r.stderr)
        r = redline("ingest", str(news), "--workers", "1", "--config", str(toy_config))
        _one_error(r.returncode, r.stderr, "r.db", "cannot be written")
        assert _sha(db) == before and sorted(os.listdir(folder)) == ["r.db"]
        folder.chmod(0o755)  # the file alone read-only: readers read, writers are refused
        assert redline("stats").returncode == 0
        r = redline("ingest", str(news), "--workers", "1", "--config", str(toy_config))
        _one_error(r.returncode, r.stderr, "r.db", "cannot be written")
        assert _sha(db) == before
    finally:
        folder.chmod(0o755)
        db.chmod(0o644)
