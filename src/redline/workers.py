"""The coding worker pool: runs the pipeline, in this process or in worker processes.

A :class:`Coder` takes batches of :class:`Job` (an uncoded Article, its content hash, the input
it came from) and gives back, per article, its :class:`~redline.store.rows.ArticleRows` or a
:class:`~redline.store.rows.Failure`. With more than one worker, each worker is a fresh
process (``spawn``: no inherited locks or model state) that loads the pipeline once and sends
back plain rows; spaCy Docs never cross a process boundary. Results come back in submission
order, so a run writes articles in input order whatever the number of workers.

It stores nothing (``redline.store.ingest`` writes what comes back). Coding goes through
:meth:`redline.pipeline.Pipeline.pipe` with ``on_error="collect"``: an article that breaks a
stage or runs past the time limit becomes a Failure and the batch goes on; a set-up error
(:data:`redline.pipeline.FATAL_ERRORS`: no model, a bad setting, a broken data file) stops
the run, raised from :meth:`Coder.submit`'s future.
"""

from __future__ import annotations

import logging
import multiprocessing
import multiprocessing.connection
import os
import signal
import threading
from collections.abc import Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from typing import Any

from redline.article import Article
from redline.settings import Settings
from redline.store.rows import ArticleRows, Failure, article_rows

log = logging.getLogger(__name__)

Result = ArticleRows | Failure

_WARM_UP = "The minister met her counterpart in Paris on Monday."
_THREAD_VARS = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")


@dataclass(slots=True)
class Job:
    article: Article
    hash: str
    input: str


def code_jobs(pipeline: Any, jobs: Sequence[Job]) -> list[Result]:
    """Code a batch through the one fault-isolated loop; one result per job, in order."""
    from redline.pipeline import Failed

    coded = pipeline.pipe([job.article for job in jobs], len(jobs), on_error="collect")
    results: list[Result] = []
    for job, item in zip(jobs, coded, strict=True):
        if isinstance(item, Failed):
            results.append(Failure(f"{job.input} (id {job.article.id})", item.error.reason,
                                   type(item.error).__name__))
        else:
            results.append(article_rows(item, hash=job.hash, input=job.input))
    return results


# --- worker processes --------------------------------------------------------------------------

_worker_pipeline: Any = None
_worker_error: BaseException | None = None


def _exit_with_parent() -> None:
    """A worker ends when the process that started it dies (even by kill -9)."""
    parent = multiprocessing.parent_process()
    if parent is None:
        return

    def watch() -> None:
        multiprocessing.connection.wait([parent.sentinel])
        os._exit(1)

    threading.Thread(target=watch, name="redline-parent-watch", daemon=True).start()


def _init_worker(settings: Settings) -> None:
    global _worker_pipeline, _worker_error
    for var in _THREAD_VARS:  # one thread per worker: the workers share the cores
        os.environ.setdefault(var, "1")
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the main process handles Ctrl-C
    _exit_with_parent()
    try:
        from redline.api import get_pipeline

        _worker_pipeline = get_pipeline(settings)
        _worker_pipeline(Article(id="warm-up", text=_WARM_UP))  # load the model now
    except BaseException as exc:  # reported on the first batch, where the caller sees it
        _worker_error = exc


def _code_in_worker(jobs: list[Job]) -> list[Result]:
    if _worker_error is not None:
        raise _worker_error
    return code_jobs(_worker_pipeline, jobs)


class Coder:
    """Codes batches of jobs in ``workers`` processes (1: in this process).

    Use as a context manager; :meth:`submit` returns a future whose result is the list of
    results for the batch, in order.
    """

    def __init__(self, workers: int, settings: Settings) -> None:
        self.workers = max(1, workers)
        self.settings = settings
        self._pool: ProcessPoolExecutor | None = None
        self._pipeline: Any = None

    def __enter__(self) -> Coder:
        if self.workers > 1:
            self._pool = ProcessPoolExecutor(
                self.workers, mp_context=multiprocessing.get_context("spawn"),
                initializer=_init_worker, initargs=(self.settings,))
        else:
            from redline.api import get_pipeline

            self._pipeline = get_pipeline(self.settings)
        return self

    def submit(self, jobs: list[Job]) -> Future[list[Result]]:
        if self._pool is not None:
            return self._pool.submit(_code_in_worker, jobs)
        done: Future[list[Result]] = Future()
        try:
            done.set_result(code_jobs(self._pipeline, jobs))
        except Exception as exc:
            done.set_exception(exc)
        return done

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=exc_type is None, cancel_futures=True)
            self._pool = None
