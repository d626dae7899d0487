"""Export a table of the event database: CSV, JSON Lines, Parquet or the GDELT 2.0 layout.

``events`` (the default) are exported one row per event with their article's date, title and
url, filtered like :func:`redline.store.queries.query_events`; the other tables (``articles``,
``actors``, ``quotes``, ``places``, ``sentences``, ``failures``, ``runs``) are exported whole.
Rows are streamed, so an export of millions of events keeps little in memory.

Parquet needs pyarrow: ``pip install 'redline[parquet]'``.
"""

from __future__ import annotations

import csv
import json
import os
import sqlite3
import sys
from collections.abc import Generator, Iterator
from typing import IO, Any

from redline.store.db import DbLike, connection, run
from redline.store.errors import StoreInputError
from redline.store.gdelt import GDELT_COLUMNS, gdelt_row
from redline.store.queries import EventFilters, iter_events

FORMATS = ("csv", "jsonl", "parquet", "gdelt")
TABLES = ("events", "articles", "actors", "quotes", "places", "sentences", "failures", "runs")
_PARQUET_BATCH = 10_000

Out = str | os.PathLike[str] | IO[Any]


def export(db: DbLike, fmt: str, out: Out, *, table: str = "events",
           limit: int | None = None, **filters: Any) -> int:
    """Write ``table`` of ``db`` to ``out`` (a path, or an open file: text for csv, jsonl and
    gdelt, binary for parquet) in ``fmt``; return the number of rows written."""
    if fmt not in FORMATS:
        raise StoreInputError(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}")
    if table not in TABLES:
        raise StoreInputError(f"unknown table {table!r}; choose one of {', '.join(TABLES)}")
    if table != "events" and (fmt == "gdelt" or any(v is not None for v in filters.values())):
        raise StoreInputError(
            "the gdelt format and the event filters apply to the events table only")
    checked = EventFilters.of(**filters) if table == "events" else None
    write_parquet = _parquet_writer() if fmt == "parquet" else None
    with connection(db, time_limit=None) as conn:
        rows, columns = _rows(conn, table, checked, limit)
        try:
            if write_parquet is not None:
                return write_parquet(rows, columns, _types(conn, table, columns), out)
            with _open_text(out) as fh:
                if fmt == "gdelt":
                    return _write_gdelt(rows, fh)
                if fmt == "csv":
                    return _write_csv(rows, columns, fh)
                return _write_jsonl(rows, fh)
        finally:
            rows.close()  # before the connection closes


def _rows(conn: sqlite3.Connection, table: str, filters: EventFilters | None,
          limit: int | None) -> tuple[Generator[sqlite3.Row, None, None], list[str]]:
    if table == "events":
        rows = iter_events(conn, filters, limit)
    else:
        order = {"failures": "failure_id", "runs": "run_id", "articles": "id"}.get(
            table, f"article_id, {table[:-1]}_index")  # actors -> actor_index, ...
        rows = run(conn, f"SELECT * FROM {table} ORDER BY {order}"
                         + (f" LIMIT {int(limit)}" if limit is not None else ""))
    first = next(rows, None)

    def all_rows() -> Generator[sqlite3.Row, None, None]:
        if first is not None:
            yield first
            yield from rows

    return all_rows(), list(first.keys()) if first is not None else _columns(conn, table)


def _columns(conn: sqlite3.Connection, table: str) -> list[str]:
    cols = [r[1] for r in conn.execute(f"PRAGMA table_info({table})")]
    if table == "events":
        cols += ["article_date", "article_title", "article_url", "article_source",
                 "article_coded_at"]
    return cols


def _types(conn: sqlite3.Connection, table: str, columns: list[str]) -> dict[str, str]:
    declared = {r[1]: (r[2] or "TEXT").upper() for r in conn.execute(f"PRAGMA table_info({table})")}
    return {c: declared.get(c, "TEXT") for c in columns}


class _open_text:
    """A path opened for writing UTF-8 text (closed after), or an open text file as it is."""

    def __init__(self, out: Out) -> None:
        self.out = out
        self.fh: IO[str] | None = None

    def __enter__(self) -> IO[str]:
        if isinstance(self.out, (str, os.PathLike)):
            self.fh = open(self.out, "w", encoding="utf-8", newline="")  # noqa: SIM115
            return self.fh
        return self.out  # type: ignore[return-value]

    def __exit__(self, *exc: object) -> None:
        if self.fh is not None:
            self.fh.close()
        else:
            self.out.flush()  # type: ignore[union-attr]


def _write_csv(rows: Iterator[sqlite3.Row], columns: list[str], fh: IO[str]) -> int:
    w = csv.writer(fh)
    w.writerow(columns)
    n = 0
    for row in rows:
        w.writerow(["" if v is None else v for v in row])
        n += 1
    return n


def _write_jsonl(rows: Iterator[sqlite3.Row], fh: IO[str]) -> int:
    n = 0
    for row in rows:
        fh.write(json.dumps(dict(row), ensure_ascii=False) + "\n")
        n += 1
    return n


def _write_gdelt(rows: Iterator[sqlite3.Row], fh: IO[str]) -> int:
    n = 0
    for row in rows:
        fh.write("\t".join(gdelt_row(row)) + "\n")
        n += 1
    return n


def gdelt_header() -> str:
    """The GDELT column names, tab-separated (GDELT files have no header; this is for people)."""
    return "\t".join(GDELT_COLUMNS)


def _parquet_writer() -> Any:
    try:
        import pyarrow  # noqa: F401
        import pyarrow.parquet  # noqa: F401
    except ImportError:
        raise StoreInputError(
            "Parquet export needs pyarrow, which is not installed; install it with "
            "pip install 'redline[parquet]' (or pip install pyarrow), or export csv or jsonl"
        ) from None
    return _write_parquet


def _write_parquet(rows: Iterator[sqlite3.Row], columns: list[str], types: dict[str, str],
                   out: Out) -> int:
    import pyarrow as pa
    import pyarrow.parquet as pq

    def arrow_type(decl: str) -> Any:
        if "INT" in decl:
            return pa.int64()
        if "REAL" in decl or "FLOA" in decl or "DOUB" in decl:
            return pa.float64()
        return pa.string()

    schema = pa.schema([(c, arrow_type(types[c])) for c in columns])
    sink = os.fspath(out) if isinstance(out, (str, os.PathLike)) else out
    n = 0
    with pq.ParquetWriter(sink, schema) as writer:
        batch: list[tuple[Any, ...]] = []

        def flush() -> None:
            cols = list(zip(*batch, strict=True)) if batch else [[] for _ in columns]
            writer.write_table(pa.Table.from_arrays(
                [pa.array(list(col), type=schema.field(i).type) for i, col in enumerate(cols)],
                schema=schema))
            batch.clear()

        for row in rows:
            batch.append(tuple(row))
            n += 1
            if len(batch) >= _PARQUET_BATCH:
                flush()
        if batch or n == 0:
            flush()
    return n


def default_out(fmt: str) -> IO[Any]:
    """Standard output, binary for parquet."""
    return sys.stdout.buffer if fmt == "parquet" else sys.stdout
