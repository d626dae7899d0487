"""Opening the event database: one writer connection, read-only readers with a time limit.

The writer (:func:`open_writer`) creates the file if needed, brings the schema up to date, and
runs in WAL mode with foreign keys on; it is in autocommit mode so that every write goes
through :func:`redline.store.writer.transaction`. Readers (:func:`open_db`) open the file
read-only, so a query can never change it, and give up after ``time_limit`` seconds.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import Any

from redline.store.errors import DatabaseError, MissingDatabaseError, QueryTimeout, StoreError
from redline.store.schema import SCHEMA_VERSION, check_version, current_version, migrate

log = logging.getLogger(__name__)

DEFAULT_DB = "redline.db"
DEFAULT_TIME_LIMIT = 60.0
"""Seconds a reader's query may run before it is stopped (None: no limit)."""

DbLike = str | os.PathLike[str] | sqlite3.Connection


def _sqlite_error(path: str, exc: sqlite3.Error) -> StoreError:
    return DatabaseError(f"{path}: cannot be used as an event database ({exc})")


def open_writer(path: str | os.PathLike[str], *, busy_timeout_s: float = 30.0
                ) -> sqlite3.Connection:
    """The writing connection: creates and migrates the database as needed."""
    path = os.fspath(path)
    parent = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(parent):
        raise DatabaseError(f"{path}: the folder {parent} does not exist")
    try:
        conn = sqlite3.connect(path, isolation_level=None, timeout=busy_timeout_s,
                               check_same_thread=False)
        conn.execute("PRAGMA journal_mode=WAL")
        # NORMAL in WAL mode is safe against a killed process (not against power loss).
        conn.execute("PRAGMA synchronous=NORMAL")
        conn.execute("PRAGMA foreign_keys=ON")
        migrate(conn, path)
    except sqlite3.DatabaseError as exc:
        raise _sqlite_error(path, exc) from None
    return conn


def open_db(path: str | os.PathLike[str] = DEFAULT_DB, *,
            time_limit: float | None = DEFAULT_TIME_LIMIT,
            migrate: bool = True) -> ReadConnection:
    """A read-only connection to an existing event database (rows as :class:`sqlite3.Row`).

    A database from an older redline is migrated first (unless ``migrate`` is false: then it
    is left as it is, and the caller reads its version, 0 for an empty file, from the
    connection's ``version``); a missing file, a folder, a file that is not a redline
    database or one from a newer redline raises a :class:`~redline.store.errors.StoreError`
    naming it. A query running longer than ``time_limit`` seconds is stopped with a
    ``StoreError``.
    """
    path = os.fspath(path)
    if not os.path.exists(path):
        raise MissingDatabaseError(
            f"no event database at {path}; create one with: redline ingest INPUT... --db {path}"
        )
    if os.path.isdir(path):
        raise DatabaseError(f"{path} is a folder, not an event database file")
    conn: ReadConnection | None = None
    try:
        conn = _connect_ro(path, time_limit)
        version = current_version(conn, path)
        check_version(version, path)
        conn.version = version
        if migrate and version < SCHEMA_VERSION:
            conn.close()
            conn = None
            log.info("%s: schema version %d is older than %d; migrating", path, version,
                     SCHEMA_VERSION)
            open_writer(path).close()
            conn = _connect_ro(path, time_limit)
            conn.version = current_version(conn, path)
    except BaseException as exc:
        if conn is not None:
            conn.close()
        if isinstance(exc, sqlite3.DatabaseError):
            raise _sqlite_error(path, exc) from None
        raise
    return conn


def _connect_ro(path: str, time_limit: float | None) -> ReadConnection:
    uri = f"{Path(path).resolve().as_uri()}?mode=ro"
    conn = sqlite3.connect(uri, uri=True, timeout=30.0, check_same_thread=False,
                           factory=ReadConnection)
    assert isinstance(conn, ReadConnection)
    conn.path, conn.time_limit = path, time_limit
    conn.row_factory = sqlite3.Row
    conn.execute("PRAGMA query_only=ON")
    if time_limit is not None:
        conn.set_progress_handler(partial(_over_time, conn), 1000)
    return conn


class ReadConnection(sqlite3.Connection):
    """A read-only connection whose statements stop after ``time_limit`` seconds.

    :func:`run` starts the clock for each query; a statement still running when it runs out
    raises ``sqlite3.OperationalError`` ("interrupted"), turned into a
    :class:`~redline.errors.QueryTimeout` there.
    """

    time_limit: float | None = None
    deadline: float = 0.0
    path: str = ""
    version: int = 0
    """The schema version the file had when :func:`open_db` opened it."""

    def start_clock(self) -> None:
        self.deadline = time.monotonic() + self.time_limit if self.time_limit else 0.0


def _over_time(conn: ReadConnection) -> int:
    return 1 if conn.deadline and time.monotonic() > conn.deadline else 0


def _too_slow(conn: sqlite3.Connection, exc: sqlite3.OperationalError) -> StoreError | None:
    if isinstance(conn, ReadConnection) and "interrupted" in str(exc):
        return QueryTimeout(
            f"{conn.path}: the query took longer than {conn.time_limit:g} s and was stopped; "
            "narrow it with filters or a limit"
        )
    return None


def run(conn: sqlite3.Connection, sql: str, params: Sequence[Any] = ()) -> Iterator[Any]:
    """Stream the rows of one read query on ``conn``, under its time limit if it has one."""
    if isinstance(conn, ReadConnection):
        conn.start_clock()
    try:
        yield from conn.execute(sql, params)
    except sqlite3.OperationalError as exc:
        raise (_too_slow(conn, exc) or exc) from None


def fetch_all(conn: sqlite3.Connection, sql: str, params: Sequence[Any] = ()) -> list[Any]:
    """All rows of one read query, under the connection's time limit (``fetchall``: several
    times faster than streaming the rows through :func:`run` one by one)."""
    if isinstance(conn, ReadConnection):
        conn.start_clock()
    try:
        return conn.execute(sql, params).fetchall()
    except sqlite3.OperationalError as exc:
        raise (_too_slow(conn, exc) or exc) from None


@contextmanager
def connection(db: DbLike, *, time_limit: float | None = DEFAULT_TIME_LIMIT
               ) -> Iterator[sqlite3.Connection]:
    """``db`` as a connection: a path is opened read-only (and closed after), a connection
    is used as it is."""
    if isinstance(db, sqlite3.Connection):
        yield db
        return
    conn = open_db(db, time_limit=time_limit)
    try:
        yield conn
    finally:
        conn.close()
