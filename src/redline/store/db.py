"""Opening the event database: one writer connection, read-only readers with a time limit.

The writer (:func:`open_writer`) creates the file if needed, brings the schema up to date, and
runs in WAL mode with foreign keys on; it is in autocommit mode so that every write goes
through :func:`redline.store.writer.transaction`. Readers (:func:`open_db`) open the file
read-only, so a query can never change it, and give up after ``time_limit`` seconds.

Faults become one :class:`~redline.store.errors.StoreError` naming the file (see
:func:`database_fault`): a full disk, a file or folder that cannot be written, a damaged
file, another application's database. The writer refuses a file that is not a redline store,
or fails ``PRAGMA quick_check``, before it writes anything; a reader that cannot open the
file read-only (read-only media, a folder it cannot write its ``-shm`` file to) opens it
``immutable``.
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


def fault_kind(exc: BaseException) -> str | None:
    """What an SQLite error says about the database file: ``full``, ``readonly``,
    ``corrupt``, ``notadb``, ``cantopen``, ``io``, ``busy`` or ``other``; None for an error
    that is not about the file (a constraint, a programming error)."""
    if not isinstance(exc, sqlite3.DatabaseError) or isinstance(
            exc, (sqlite3.IntegrityError, sqlite3.ProgrammingError, sqlite3.InterfaceError)):
        return None
    name = getattr(exc, "sqlite_errorname", "") or ""
    text = str(exc).lower()
    for kind, names, words in _FAULTS:
        if name.startswith(names) or any(w in text for w in words):
            return kind
    return "other"


_FAULTS: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...] = (
    ("full", ("SQLITE_FULL",), ("database or disk is full", "no space left")),
    ("readonly", ("SQLITE_READONLY",), ("readonly database", "read-only")),
    ("corrupt", ("SQLITE_CORRUPT",), ("malformed", "corrupt")),
    ("notadb", ("SQLITE_NOTADB",), ("not a database",)),
    ("cantopen", ("SQLITE_CANTOPEN",), ("unable to open",)),
    ("io", ("SQLITE_IOERR",), ("disk i/o error",)),
    ("busy", ("SQLITE_BUSY", "SQLITE_LOCKED"), ("database is locked", "table is locked")),
)


def database_fault(path: str, exc: BaseException) -> DatabaseError:
    """One message for an SQLite error on the database at ``path``: what is wrong with the
    file and what to do."""
    kind = fault_kind(exc)
    name = os.path.basename(path)
    if kind == "full":
        return DatabaseError(
            f"{path}: the disk is full ({exc}); the write in progress was undone and everything "
            "committed before is kept: free some space and run the same command again")
    if kind == "readonly":
        return DatabaseError(
            f"{path}: the database cannot be written ({exc}): redline needs write access to "
            f"the file and to its folder (for {name}-wal and {name}-shm); the reading "
            "commands (stats, events, dyads, export, serve) can still read it")
    if kind == "corrupt":
        return DatabaseError(
            f"{path}: the database file is damaged ({exc}); redline will not write to it: "
            f"restore it from a backup, or salvage it with: sqlite3 {path} .recover")
    if kind == "notadb":
        return DatabaseError(
            f"{path}: cannot be used as an event database: it is not an SQLite database, or "
            f"its header is damaged ({exc})")
    if kind == "cantopen":
        return DatabaseError(f"{path}: the database cannot be opened ({exc}): check that the "
                          "file and its folder exist and can be read")
    if kind == "io":
        return DatabaseError(f"{path}: the disk reported an error ({exc}); check the disk and "
                          "run the command again")
    if kind == "busy":
        return DatabaseError(f"{path}: the database is locked by another process ({exc}); run "
                          "the command again when it has finished")
    return DatabaseError(f"{path}: cannot be used as an event database ({exc})")


class WriteConnection(sqlite3.Connection):
    """The writer's connection: an SQLite fault in :meth:`execute` or :meth:`executemany`
    (full disk, read-only or damaged file) raises a :class:`StoreError` naming the file."""

    path: str = ""

    def execute(self, sql: str, parameters: Any = (), /) -> sqlite3.Cursor:
        try:
            return super().execute(sql, parameters)
        except sqlite3.DatabaseError as exc:
            if fault_kind(exc) is None:
                raise
            raise database_fault(self.path, exc) from None

    def executemany(self, sql: str, parameters: Any, /) -> sqlite3.Cursor:
        try:
            return super().executemany(sql, parameters)
        except sqlite3.DatabaseError as exc:
            if fault_kind(exc) is None:
                raise
            raise database_fault(self.path, exc) from None


def open_writer(path: str | os.PathLike[str], *, busy_timeout_s: float = 30.0,
                check: bool = True) -> sqlite3.Connection:
    """The writing connection: creates and migrates the database as needed.

    Before anything is written, a non-empty file that is not a redline store (another
    application's database) is refused, and with ``check`` (the default) so is a file that
    fails ``PRAGMA quick_check``. Every fault raises a :class:`StoreError` naming the file.
    """
    path = os.fspath(path)
    parent = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(parent):
        raise DatabaseError(f"{path}: the folder {parent} does not exist")
    if os.path.isdir(path):
        raise DatabaseError(f"{path} is a folder, not an event database file")
    conn: WriteConnection | None = None
    try:
        conn = sqlite3.connect(path, isolation_level=None, timeout=busy_timeout_s,
                               check_same_thread=False, factory=WriteConnection)
        assert isinstance(conn, WriteConnection)
        conn.path = path
        version = current_version(conn, path)  # refuses another application's database
        check_version(version, path)
        if check and version:
            _check_intact(conn, path)
        conn.execute("PRAGMA journal_mode=WAL")
        # NORMAL in WAL mode is safe against a killed process (not against power loss).
        conn.execute("PRAGMA synchronous=NORMAL")
        conn.execute("PRAGMA foreign_keys=ON")
        migrate(conn, path)
    except BaseException as exc:
        if conn is not None:
            conn.close()
        if isinstance(exc, sqlite3.DatabaseError) and fault_kind(exc) is not None:
            raise database_fault(path, exc) from None
        raise
    return conn


def _check_intact(conn: sqlite3.Connection, path: str) -> None:
    """Refuse a damaged database (``PRAGMA quick_check``: every page and index entry is
    read, a second or two per gigabyte)."""
    problems = [r[0] for r in conn.execute("PRAGMA quick_check(5)").fetchall()]
    if problems != ["ok"]:
        raise DatabaseError(
            f"{path}: the database file is damaged ({'; '.join(problems)}); redline will not "
            f"write to it: restore it from a backup, or salvage it with: sqlite3 {path} "
            ".recover")


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
            _migrate_older(path, version)
            conn = _connect_ro(path, time_limit)
            conn.version = current_version(conn, path)
    except BaseException as exc:
        if conn is not None:
            conn.close()
        if isinstance(exc, sqlite3.DatabaseError):
            raise database_fault(path, exc) from None
        raise
    return conn


def _migrate_older(path: str, version: int) -> None:
    try:
        open_writer(path).close()
    except StoreError as exc:
        if "cannot be written" not in str(exc):
            raise
        raise DatabaseError(
            f"{path} has schema version {version}, older than this redline's "
            f"{SCHEMA_VERSION}, and cannot be brought up to date because it cannot be written: "
            "copy it to a folder you can write to, or read it with the redline that wrote it"
        ) from None


def _connect_ro(path: str, time_limit: float | None) -> ReadConnection:
    """A read-only connection; ``immutable`` when even that cannot open the file (read-only
    media, or a WAL database whose folder this process cannot write its ``-shm`` file to)."""
    try:
        return _connect(path, time_limit, immutable=False)
    except sqlite3.DatabaseError as exc:
        if fault_kind(exc) not in ("readonly", "cantopen"):
            raise
        log.info("%s: cannot be opened read-only (%s); opening it as immutable", path, exc)
    conn = _connect(path, time_limit, immutable=True)
    try:
        if os.path.getsize(f"{path}-wal") > 0:
            log.warning("%s is read as immutable (its folder cannot be written): the changes "
                        "still in %s-wal are not seen", path, path)
    except OSError:
        pass
    return conn


def _connect(path: str, time_limit: float | None, *, immutable: bool) -> ReadConnection:
    uri = f"{Path(path).resolve().as_uri()}?mode=ro" + ("&immutable=1" if immutable else "")
    conn = sqlite3.connect(uri, uri=True, timeout=30.0, check_same_thread=False,
                           factory=ReadConnection)
    assert isinstance(conn, ReadConnection)
    try:
        conn.path, conn.time_limit, conn.immutable = path, time_limit, immutable
        conn.row_factory = sqlite3.Row
        conn.execute("PRAGMA query_only=ON")
        # the first read opens the WAL index (the -shm file): a failure shows here
        conn.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()
    except BaseException:
        conn.close()
        raise
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
    immutable: bool = False
    """Opened ``immutable=1``: the file could not be opened read-only (see :func:`open_db`)."""

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
    except sqlite3.DatabaseError as exc:
        slow = _too_slow(conn, exc) if isinstance(exc, sqlite3.OperationalError) else None
        if slow is not None:
            raise slow from None
        if fault_kind(exc) is None:
            raise
        raise database_fault(getattr(conn, "path", "") or "the event database", exc) from None


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
