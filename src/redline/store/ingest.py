"""``ingest``: read inputs, code what is new, store it; idempotent and crash-safe.

For each article read, in input order:

1. its content hash (:func:`~redline.store.rows.content_hash`) is looked up: content already
   stored, under any id, or already read in this run, is skipped before any coding;
2. new content goes to the coders (:class:`redline.workers.Coder`, which runs the pipeline)
   in batches;
3. the one writer (this process) stores each coded article with all its rows in one
   transaction. An article whose id is already stored with other content is, per
   ``on_conflict``, stored beside it under ``<id>~<hash>`` (``"keep"``, the default: nothing
   stored is lost), refused and recorded as a failure (``"refuse"``), or replaced in that same
   transaction (``"replace"``); each case is logged as a warning.

Bad input is recorded in ``failures`` and the batch goes on. Killed at any moment, the
database holds every article committed so far and nothing half-written; running the same
ingest again codes only what is missing. Two different texts under one id in the same run:
the first is kept and the second recorded as a failure (otherwise every re-run would flip
between them).
"""

from __future__ import annotations

import datetime as dt
import logging
import math
import os
import sqlite3
import sys
from collections import deque
from collections.abc import Callable, Iterable
from concurrent.futures import Future
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from redline.errors import InputError
from redline.settings import Settings
from redline.store.db import DEFAULT_DB, open_writer
from redline.store.errors import StoreError
from redline.store.rows import Failure, content_hash
from redline.store.writer import record_failure, start_run, update_run, write_article

if TYPE_CHECKING:  # imported where used: redline.workers imports redline.store.rows
    from redline.workers import Coder, Job, Result

log = logging.getLogger(__name__)

_UPDATE_RUN_EVERY = 200  # articles written between refreshes of the run's counts
ON_CONFLICT = ("keep", "refuse", "replace")


@dataclass(slots=True)
class IngestReport:
    """What one run did. ``skipped``: already stored, or read twice in the run."""

    run_id: int
    db: str
    read: int = 0
    added: int = 0
    replaced: int = 0
    skipped: int = 0
    renamed: int = 0  # stored under <id>~<hash>: their id was stored with other text
    events: int = 0
    failures: list[Failure] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        return {"articles_read": self.read, "articles_added": self.added,
                "articles_replaced": self.replaced, "articles_skipped": self.skipped,
                "events_added": self.events, "failures": len(self.failures)}

    def summary(self) -> str:
        renamed = (f" ({self.renamed} under a new id <id>~<hash>: their id was stored with "
                   "other text)" if self.renamed else "")
        return (f"run {self.run_id}: {self.read} articles read, {self.added} added{renamed}, "
                f"{self.replaced} replaced, {self.skipped} already stored; "
                f"{self.events} events stored; {len(self.failures)} failed inputs")


def default_workers() -> int:
    """The cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def ingest(
    inputs: Iterable[str | os.PathLike[str]],
    db: str | os.PathLike[str] = DEFAULT_DB,
    *,
    workers: int | None = None,
    settings: Settings | None = None,
    default_date: dt.date | None = None,
    progress: bool = False,
    on_failure: Callable[[Failure], None] | None = None,
    on_conflict: str = "keep",
) -> IngestReport:
    """Ingest ``inputs`` (anything :func:`redline.readers.read_inputs` reads) into ``db``.

    ``workers``: coding processes (default: the cores; 1 codes in this process).
    ``on_failure`` is called with each failure as it happens (the CLI prints them).
    ``on_conflict``: what to do with an article whose id is stored with other text:
    ``"keep"`` both (the new one as ``<id>~<hash>``), ``"refuse"`` it, or ``"replace"`` the
    stored one.
    """
    if on_conflict not in ON_CONFLICT:
        raise ValueError(f"on_conflict must be one of {', '.join(ON_CONFLICT)}")
    from redline.readers import count_hint, read_inputs
    from redline.settings import load_settings
    from redline.workers import Coder

    paths = [os.fspath(p) for p in inputs]
    settings = settings or load_settings()
    workers = max(1, workers or default_workers())
    conn = open_writer(db)
    try:
        run_id = start_run(conn, paths, workers)
    except BaseException:
        conn.close()
        raise
    report = IngestReport(run_id, os.fspath(db))
    hint = count_hint(paths)
    bar = _progress_bar(hint, progress)
    batch_size = settings.nlp.batch_size
    if workers > 1 and hint:  # small inputs: enough batches to keep every worker busy
        batch_size = max(1, min(batch_size, math.ceil(hint / (2 * workers))))
    status = "failed"
    try:
        with Coder(workers, settings) as coder:
            run = _Run(conn, report, coder, batch_size, workers, bar, on_failure)
            run.on_conflict = on_conflict
            for path in paths:
                for item in read_inputs([path], default_date=default_date,
                                        max_bytes=settings.input.max_bytes):
                    run.take(item, path)
            run.finish()
        status = "finished"
    except KeyboardInterrupt:
        status = "interrupted"
        raise
    finally:
        bar.close()
        try:
            update_run(conn, run_id, report.counts(), status=status)
        except (sqlite3.Error, StoreError):  # a full disk, say: the first error is reported
            log.debug("could not close run %d", run_id, exc_info=True)
        conn.close()
    return report


class _Run:
    """The state of one ingest run: what was seen, what is being coded."""

    def __init__(self, conn: sqlite3.Connection, report: IngestReport, coder: Coder,
                 batch_size: int, workers: int, bar: Any,
                 on_failure: Callable[[Failure], None] | None) -> None:
        self.conn, self.report, self.coder = conn, report, coder
        self.batch_size = max(1, batch_size)
        self.max_in_flight = 2 * workers
        self.bar = bar
        self.on_failure = on_failure
        self.ids: dict[str, str] = {}  # id -> content hash, for every article read this run
        self.hashes: set[str] = set()  # content sent for coding this run
        self.batch: list[Job] = []
        self.in_flight: deque[Future[list[Result]]] = deque()
        self.written = 0
        self.on_conflict = "keep"

    def take(self, item: object, path: str) -> None:
        if isinstance(item, InputError):
            self.fail(Failure.of(item))
            return
        from redline.article import Article

        assert isinstance(item, Article)
        self.report.read += 1
        h = content_hash(item.text)
        seen = self.ids.get(item.id)
        if seen is not None and seen != h:
            self.fail(Failure(
                f"{path} (id {item.id})",
                f"the id {item.id!r} was already read in this run with other text; the first "
                "was kept (give every article its own id)", "DuplicateIdError"))
            return
        self.ids[item.id] = h
        if seen is not None or h in self.hashes or self._stored(h):
            self.report.skipped += 1
            self.bar.update(1)
            return
        if not self._settle_conflict(item, h, path):
            return
        self.hashes.add(h)
        from redline.workers import Job

        self.batch.append(Job(item, h, path))
        if len(self.batch) >= self.batch_size:
            self._send()

    def _settle_conflict(self, item: Any, h: str, path: str) -> bool:
        """An id stored with other text: keep both (renaming this one), refuse this one, or
        let it replace the stored one, per ``on_conflict``; say so. False: do not store."""
        row = self.conn.execute("SELECT content_hash FROM articles WHERE id = ?",
                                (item.id,)).fetchone()
        if row is None or row[0] == h:
            return True
        if self.on_conflict == "replace":
            log.warning("%s: replaces the stored article %r, whose text differs "
                        "(--on-conflict replace)", path, item.id)
            return True
        if self.on_conflict == "refuse":
            self.fail(Failure(
                f"{path} (id {item.id})",
                f"an article with the id {item.id!r} is already stored with other text; the "
                "stored one is kept and this one is not stored (--on-conflict keep stores "
                "both, replace replaces it)", "IdConflictError"))
            return False
        new_id = f"{item.id}~{h[:10]}"
        log.warning("%s: the id %r is already stored with other text; this article is stored "
                    "as %r and both are kept", path, item.id, new_id)
        item.id = new_id
        self.report.renamed += 1
        return True

    def _stored(self, h: str) -> bool:
        return self.conn.execute("SELECT 1 FROM articles WHERE content_hash = ?",
                                 (h,)).fetchone() is not None

    def _send(self) -> None:
        self.in_flight.append(self.coder.submit(self.batch))
        self.batch = []
        while len(self.in_flight) >= self.max_in_flight:
            self._write(self.in_flight.popleft())

    def _write(self, future: Future[list[Result]]) -> None:
        try:
            results = future.result()
        except BrokenProcessPool:
            raise StoreError(
                f"a coding worker process died (out of memory?); everything stored so far is "
                f"kept in {self.report.db}: run the same ingest again to finish, perhaps with "
                "fewer --workers"
            ) from None
        for result in results:
            if isinstance(result, Failure):
                self.fail(result)
                continue
            outcome = write_article(self.conn, result, self.report.run_id)
            if outcome == "duplicate":  # stored meanwhile, e.g. by another ingest
                self.report.skipped += 1
            else:
                self.report.added += outcome == "added"
                self.report.replaced += outcome == "replaced"
                self.report.events += result.n_events
            self.bar.update(1)
            self.written += 1
            if self.written % _UPDATE_RUN_EVERY == 0:
                update_run(self.conn, self.report.run_id, self.report.counts())

    def fail(self, failure: Failure) -> None:
        self.report.failures.append(failure)
        record_failure(self.conn, self.report.run_id, failure)
        self.bar.update(1)
        if self.on_failure is not None:
            self.on_failure(failure)

    def finish(self) -> None:
        if self.batch:
            self.in_flight.append(self.coder.submit(self.batch))
            self.batch = []
        while self.in_flight:
            self._write(self.in_flight.popleft())


def _progress_bar(total: int | None, show: bool) -> Any:
    from tqdm import tqdm

    # always articles/s (tqdm would switch to s/article when slow), then the ETA
    return tqdm(total=total, unit=" articles", disable=not show, file=sys.stderr,
                dynamic_ncols=True, smoothing=0.1,
                bar_format="{l_bar}{bar}| {n_fmt}/{total_fmt} [{elapsed}<{remaining}, "
                           "{rate_noinv_fmt}]")
