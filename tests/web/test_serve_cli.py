"""``redline serve``: the start-up check, the real server, and a fast ``redline --help``."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner
from web_corpus import build
from web_server import start_server, stop_server

from redline.cli.main import cli
from redline.cli.serve import _loopback
from redline.store.schema import SCHEMA_VERSION, migrate


def serve(*args: str):
    return CliRunner().invoke(cli, ["serve", *args])


def test_a_missing_database_is_one_message_and_exit_2(tmp_path: Path) -> None:
    result = serve("--db", str(tmp_path / "none.db"))
    assert result.exit_code == 2
    assert "no event database at" in result.output and "redline ingest" in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "none.db").exists()  # not created by looking


def test_an_older_schema_is_refused_until_upgraded(tmp_path: Path) -> None:
    db = tmp_path / "old.db"
    conn = sqlite3.connect(db, isolation_level=None)
    migrate(conn, str(db), target=SCHEMA_VERSION - 1)
    conn.close()
    result = serve("--db", str(db))
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert f"schema version {SCHEMA_VERSION - 1}" in result.output
    assert f"redline stats --db {db}" in result.output
    # The command it names does upgrade the file.
    assert CliRunner().invoke(cli, ["stats", "--db", str(db)]).exit_code == 0
    from redline.web import check_database

    check_database(db)


@pytest.mark.parametrize("kind", ["newer", "foreign", "garbage", "empty", "folder"])
def test_other_unusable_files_are_refused(tmp_path: Path, kind: str) -> None:
    db = tmp_path / "x.db"
    if kind == "newer":
        build(db, alerts=False)
        conn = sqlite3.connect(db)
        conn.execute("INSERT INTO schema_migrations VALUES (?, 'future', 'now')",
                     (SCHEMA_VERSION + 5,))
        conn.commit()
        conn.close()
    elif kind == "foreign":
        conn = sqlite3.connect(db)
        conn.execute("CREATE TABLE customers (id INTEGER)")
        conn.close()
    elif kind == "garbage":
        db.write_bytes(b"this is not sqlite" * 100)
    elif kind == "empty":
        db.touch()
    else:
        db.mkdir()
    result = serve("--db", str(db))
    assert result.exit_code == 2 and result.output.startswith("Error: "), result.output
    assert "Traceback" not in result.output and str(db) in result.output


def test_the_real_server_on_loopback(web_db: Path, tmp_path: Path) -> None:
    log = tmp_path / "serve.log"
    proc, base = start_server(web_db, log)
    try:
        assert base.startswith("http://127.0.0.1:")
        with urllib.request.urlopen(f"{base}/api/stats") as r:
            assert json.load(r)["events"] == 28
        with urllib.request.urlopen(f"{base}/") as r:
            assert b"redline" in r.read()
    finally:
        stop_server(proc)
    assert f"on {base}" in log.read_text()


def test_loopback_hosts() -> None:
    assert _loopback("127.0.0.1") and _loopback("::1") and _loopback("localhost")
    assert not _loopback("0.0.0.0") and not _loopback("192.168.1.4") and not _loopback("example")


def test_help_stays_fast_without_the_web_stack() -> None:
    code = ("import sys; from redline.cli.main import cli; "
            "print(any(m.split('.')[0] in ('fastapi', 'uvicorn', 'starlette') "
            "for m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out.strip() == "False"
    result = CliRunner().invoke(cli, ["--help"])
    assert "serve" in result.output
    result = CliRunner().invoke(cli, ["serve", "--help"])
    assert "--reload" in result.output and "127.0.0.1" in result.output
