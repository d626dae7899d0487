"""Bounded work per article: a time limit that interrupts the stages, and why it works so.

:func:`deadline` arms a POSIX interval timer (``signal.setitimer(ITIMER_REAL)``) for the
article (or batch) being coded; when it rings, the signal handler raises :class:`TimeUp` in
the main thread, wherever the stages are. :class:`TimeUp` derives from ``BaseException`` so
that a stage's own ``except Exception`` cannot swallow it; :meth:`redline.pipeline.Pipeline.pipe`
turns it into a :class:`~redline.errors.TimeLimitError` for that article and goes on.

Why a signal and not a thread or a killed process: a Python signal handler runs at the next
bytecode boundary of the main thread. spaCy's parse is a sequence of compiled calls driven
from Python (the tokenizer per text, each component per batch, thinc's layers one by one), so
the handler runs soon after the limit even in the middle of a long parse; the redline stages
after it are plain Python. Measured on a 100,000-character article: with a 1 s limit coding
stops after 1.3 s, with 3 s after 3.7 s. What no signal can interrupt is one compiled call
that runs long by itself: the length cap on the text the parser is given (``[nlp]
max_chars``, :class:`~redline.errors.TooLargeError` above it) keeps every such call short,
and bounds memory too. A thread cannot be interrupted at all, and a process per article would
pay a model load (seconds) after each kill and pickle spaCy Docs across; ``ingest`` with
``--workers`` does run the pipeline in worker processes, where the same timer runs in each
worker's main thread.

Fallback: where ``setitimer`` is missing (Windows) or the pipeline runs outside the main
thread (a web server's worker thread, a notebook's background thread), no timer is armed and
the time limit is not enforced; the text-length cap still bounds each article's work. A debug
log line says so once.
"""

from __future__ import annotations

import logging
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

log = logging.getLogger(__name__)

_warned = False


class TimeUp(BaseException):  # noqa: N818 - a signal, not an error a caller handles
    """Raised inside the stages when the article's time is up; caught by the pipeline."""


def can_interrupt() -> bool:
    """Whether :func:`deadline` can interrupt work here (POSIX, main thread)."""
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


@contextmanager
def deadline(seconds: float | None) -> Iterator[None]:
    """Raise :class:`TimeUp` in the body after ``seconds`` (None or <= 0: no limit).

    Not re-entrant: an inner deadline replaces the outer one until it ends.
    """
    global _warned
    if not seconds or seconds <= 0:
        yield
        return
    if not can_interrupt():
        if not _warned:
            log.debug("no time limit outside the main thread or without setitimer")
            _warned = True
        yield
        return

    def ring(signum: int, frame: Any) -> None:
        raise TimeUp()

    previous = signal.signal(signal.SIGALRM, ring)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
