"""Every write to the event database, each inside :func:`transaction`.

An article is written with all its rows in one transaction, or not at all: a process killed at
any moment leaves the database as it was after the last committed article (SQLite's WAL
journal sees to that). The writer is the only process that writes; coding workers only send
it rows.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Literal

from redline._version import __version__
from redline.store.rows import ARTICLE_COLUMNS, CHILD_TABLES, ArticleRows, Failure
from redline.store.schema import now, rollback

Outcome = Literal["added", "replaced", "duplicate"]

_LINE = re.compile(r"^(?P<input>.*?)(?::(?P<line>\d+)|\[(?P<index>\d+)\])$")


@contextmanager
def transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """One write transaction (``BEGIN IMMEDIATE`` ... ``COMMIT``), rolled back on any error.

    ``conn`` must be a writer connection (autocommit mode, see
    :func:`redline.store.db.open_writer`).
    """
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
        conn.execute("COMMIT")
    except BaseException:
        rollback(conn)
        raise


def _insert_sql(table: str, columns: Sequence[str]) -> str:
    return (f"INSERT INTO {table} ({', '.join(columns)}) "
            f"VALUES ({', '.join('?' * len(columns))})")


_ARTICLE_SQL = _insert_sql("articles", (*ARTICLE_COLUMNS, "run_id", "coded_at"))
_CHILD_SQL = {table: _insert_sql(table, cols) for table, cols in CHILD_TABLES.items()}


def write_article(conn: sqlite3.Connection, rows: ArticleRows, run_id: int | None) -> Outcome:
    """Store one coded article with all its rows, in one transaction.

    An article with the same id and other content is replaced (its old rows go in the same
    transaction). If its content is already stored (under any id), nothing is written and
    ``"duplicate"`` is returned.
    """
    with transaction(conn):
        if conn.execute("SELECT 1 FROM articles WHERE content_hash = ?",
                        (rows.content_hash,)).fetchone():
            return "duplicate"
        replaced = conn.execute("DELETE FROM articles WHERE id = ?", (rows.id,)).rowcount > 0
        conn.execute(_ARTICLE_SQL, (*rows.article, run_id, now()))
        for table, table_rows in rows.children.items():
            if table_rows:
                conn.executemany(_CHILD_SQL[table], table_rows)
    return "replaced" if replaced else "added"


def split_source(source: str) -> tuple[str, int | None]:
    """``"news.jsonl:12"`` -> ``("news.jsonl", 12)``; ``"x.json[3]"`` -> ``("x.json", 3)``."""
    m = _LINE.match(source)
    if m is None:
        return source, None
    return m["input"], int(m["line"] or m["index"])


def record_failure(conn: sqlite3.Connection, run_id: int | None, failure: Failure) -> None:
    """Record one input that could not be read or coded."""
    input_path, line = split_source(failure.source)
    with transaction(conn):
        conn.execute(
            "INSERT INTO failures (run_id, source, input, line, kind, reason, recorded_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            (run_id, failure.source, input_path, line, failure.kind, failure.reason, now()),
        )


def start_run(conn: sqlite3.Connection, inputs: Sequence[str], workers: int) -> int:
    """Record the start of an ingest run; return its ``run_id``."""
    with transaction(conn):
        cur = conn.execute(
            "INSERT INTO runs (started_at, inputs, workers, redline_version) VALUES (?, ?, ?, ?)",
            (now(), json.dumps(list(inputs), ensure_ascii=False), workers, __version__),
        )
    assert cur.lastrowid is not None
    return cur.lastrowid


RUN_COUNTS = ("articles_read", "articles_added", "articles_replaced", "articles_skipped",
              "events_added", "failures")


def update_run(conn: sqlite3.Connection, run_id: int, counts: dict[str, int], *,
               status: str | None = None) -> None:
    """Store a run's counts so far; with ``status`` (finished, failed), close it."""
    values = [int(counts.get(k, 0)) for k in RUN_COUNTS]
    sets = ", ".join(f"{k} = ?" for k in RUN_COUNTS)
    with transaction(conn):
        if status is None:
            conn.execute(f"UPDATE runs SET {sets} WHERE run_id = ?", (*values, run_id))
        else:
            conn.execute(f"UPDATE runs SET {sets}, status = ?, finished_at = ? WHERE run_id = ?",
                         (*values, status, now(), run_id))
