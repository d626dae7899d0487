"""The event store: coded articles in one SQLite file, idempotent and crash-safe.

    from redline import store

    report = store.ingest(["news.jsonl", "feeds/"], "redline.db", workers=2)
    store.query_events("redline.db", actor="RUS", cameo="13", since="2025-01-01")
    store.stats("redline.db")
    store.export("redline.db", "gdelt", "events.tsv")

    conn = store.open_db("redline.db")       # read-only, with a time limit per query

Modules: :mod:`~redline.store.schema` (every table, as numbered migrations),
:mod:`~redline.store.db` (connections), :mod:`~redline.store.writer` (every write, each in a
transaction), :mod:`~redline.store.rows` (an Article as rows; the content hash),
:mod:`~redline.store.ingest` (coding in :mod:`redline.workers`),
:mod:`~redline.store.queries` (the one set of read functions for CLI, API and dashboard),
:mod:`~redline.store.export` and :mod:`~redline.store.gdelt`.

Importing this package loads neither spaCy nor the model.
"""

from __future__ import annotations

from redline.store.db import DEFAULT_DB, open_db, open_writer
from redline.store.errors import MissingDatabaseError, SchemaVersionError, StoreError
from redline.store.export import FORMATS as EXPORT_FORMATS
from redline.store.export import TABLES as EXPORT_TABLES
from redline.store.export import export
from redline.store.ingest import IngestReport, default_workers, ingest
from redline.store.queries import (
    EventFilters,
    query_articles,
    query_events,
    query_failures,
    query_runs,
    stats,
)
from redline.store.rows import content_hash
from redline.store.schema import SCHEMA_VERSION

__all__ = [
    "DEFAULT_DB",
    "EXPORT_FORMATS",
    "EXPORT_TABLES",
    "SCHEMA_VERSION",
    "EventFilters",
    "IngestReport",
    "MissingDatabaseError",
    "SchemaVersionError",
    "StoreError",
    "content_hash",
    "default_workers",
    "export",
    "ingest",
    "open_db",
    "open_writer",
    "query_articles",
    "query_events",
    "query_failures",
    "query_runs",
    "stats",
]
