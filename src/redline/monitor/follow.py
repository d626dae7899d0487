"""Follow RSS/Atom feeds: poll, ingest what is new, alert.

Each poll reads every feed in the list (a local file, or an ``http(s)`` URL fetched within a
time bound, following redirects only to http(s) URLs and at most five times), checks that it
is a well-formed RSS or Atom document, and hands the good ones to
:func:`redline.store.ingest` (which skips content already stored, so a re-read feed costs no
coding). A feed whose bytes have not changed since the previous poll is not read again. Then
the watch rules are evaluated on the events stored since the last run (:func:`run_watch`),
and the new alerts, with any an earlier poll could not deliver, go to the sinks. A broken
feed (missing file, bad XML, network error, refused redirect) is logged as a warning naming
it and skipped; the loop goes on until ``max_polls`` or Ctrl-C.
"""

from __future__ import annotations

import hashlib
import http.client
import logging
import os
import re
import tempfile
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from redline.errors import ConfigError, FeedError, RedlineError
from redline.monitor.net import RequestTimeout, check_url, get_following
from redline.monitor.watch import DEFAULT_RUN_TIMEOUT, Alert, Rule, Sink, run_watch
from redline.readers.feeds import FEED_SIZE_FACTOR
from redline.store.rows import Failure

log = logging.getLogger(__name__)

DEFAULT_INTERVAL = 300.0
DEFAULT_FETCH_TIMEOUT = 20.0
_FEED_ROOTS = ("rss", "feed", "RDF")
_USER_AGENT = "redline-follow/0.1"


@dataclass(slots=True)
class PollReport:
    """What one poll did."""

    poll: int
    feeds_read: int = 0
    feeds_unchanged: int = 0
    feeds_broken: list[str] = field(default_factory=list)
    articles_added: int = 0
    events_added: int = 0
    alerts: list[Alert] = field(default_factory=list)
    undelivered: int = 0  # deliveries still pending after this poll's watch


def read_feed_list(path: str | os.PathLike[str]) -> list[str]:
    """The feeds listed in ``path``: one path or URL a line; blank lines and ``#`` comments
    (whole-line or trailing after whitespace) are ignored. Relative paths are taken from the
    list file's folder."""
    path = os.fspath(path)
    try:
        with open(path, encoding="utf-8") as f:
            lines = f.read().splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise FeedError(path, f"cannot read the feed list: {exc}") from None
    base = os.path.dirname(os.path.abspath(path))
    feeds: list[str] = []
    for line in lines:
        line = re.sub(r"(^|\s)#.*$", "", line).strip()
        if not line:
            continue
        if _is_url(line) or _OTHER_URL.match(line):
            try:
                check_url(line, "feed URL")
            except ConfigError as exc:
                raise FeedError(path, str(exc)) from None
        elif not os.path.isabs(line):
            line = os.path.join(base, os.path.expanduser(line))
        feeds.append(line)
    if not feeds:
        raise FeedError(path, "the feed list names no feeds")
    return feeds


def _is_url(feed: str) -> bool:
    return feed.lower().startswith(("http://", "https://"))


_OTHER_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:(//|[^\\/])")


def _fetch_url(feed: str, timeout: float, max_bytes: int) -> bytes:
    """GET one feed URL: ``timeout`` bounds each hop in all; redirects are followed only to
    http(s) URLs and at most :data:`~redline.monitor.net.MAX_REDIRECTS` times."""
    try:
        resp, _ = get_following(feed, timeout=timeout, max_bytes=max_bytes,
                                headers={"User-Agent": _USER_AGENT})
    except ConfigError as exc:
        raise FeedError(feed, f"refused: {exc}") from None
    except RequestTimeout:
        raise FeedError(feed, f"cannot fetch: no complete answer within {timeout:g} s") from None
    except (OSError, http.client.HTTPException) as exc:
        raise FeedError(feed, f"cannot fetch: {exc or type(exc).__name__}") from None
    if not 200 <= resp.status < 300:
        raise FeedError(feed, f"HTTP {resp.status} {resp.reason}")
    return resp.body


def fetch_feed(feed: str, *, timeout: float = DEFAULT_FETCH_TIMEOUT,
               max_bytes: int = 50_000_000) -> bytes:
    """The bytes of one feed (a local path, or an http(s) URL: ``timeout`` seconds at most
    per hop, redirects only to http(s) and at most five), checked to be a well-formed RSS or
    Atom document; raises :class:`FeedError`."""
    if _is_url(feed):
        data = _fetch_url(feed, timeout, max_bytes)
    else:
        try:
            with open(feed, "rb") as f:
                data = f.read(max_bytes + 1)
        except OSError as exc:
            raise FeedError(feed, f"cannot read: {exc.strerror or exc}") from None
    if len(data) > max_bytes:
        raise FeedError(feed, f"is larger than {max_bytes} bytes")
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        raise FeedError(feed, f"is not well-formed XML: {exc}") from None
    local = root.tag.rsplit("}", 1)[-1]
    if local not in _FEED_ROOTS:
        raise FeedError(feed, f"is XML with a <{local}> root, not an RSS or Atom feed")
    return data


def _stem(feed: str, index: int, used: set[str]) -> str:
    """A stable, safe file name for a feed's staged copy (the reader names items by it)."""
    tail = feed.rstrip("/").rsplit("/", 1)[-1] if _is_url(feed) else os.path.basename(feed)
    stem = re.sub(r"[^\w.-]+", "_", os.path.splitext(tail)[0]).strip("._") or f"feed{index}"
    name = stem
    n = 1
    while name in used:
        n += 1
        name = f"{stem}-{n}"
    used.add(name)
    return f"{name}.xml"


def _log_failure(failure: Failure) -> None:
    log.warning("skipping feed item %s: %s", failure.source, failure.reason)


def follow(
    db: str | os.PathLike[str],
    rules: Sequence[Rule],
    feeds: Sequence[str],
    *,
    interval: float = DEFAULT_INTERVAL,
    max_polls: int | None = None,
    sinks: Iterable[Sink] = (),
    state: str = "watch",
    timeout: float = DEFAULT_FETCH_TIMEOUT,
    on_poll: Callable[[PollReport], None] | None = None,
    sleep: Callable[[float], None] = time.sleep,
    run_timeout: float = DEFAULT_RUN_TIMEOUT,
) -> list[PollReport]:
    """Poll ``feeds`` every ``interval`` seconds: ingest what is new into ``db`` (one coding
    process), then run :func:`~redline.monitor.watch.run_watch` with ``rules`` and ``sinks``
    (each poll also retries the deliveries earlier polls could not make; sending stops after
    ``run_timeout`` seconds). Stops after ``max_polls`` polls (None: never) or on Ctrl-C, and
    returns one report per finished poll. A broken feed is logged as a warning and skipped; a
    failing ingest or watch is logged as an error and the loop goes on."""
    from redline.settings import load_settings

    if not feeds:
        raise FeedError("feeds", "no feeds to follow")
    sinks = list(sinks)
    settings = load_settings()
    seen: dict[str, str] = {}  # feed -> sha256 of the bytes last ingested
    reports: list[PollReport] = []
    try:
        while max_polls is None or len(reports) < max_polls:
            if reports:
                sleep(interval)
            report = PollReport(len(reports) + 1)
            _poll(db, feeds, report, seen, settings, timeout)
            try:
                done = run_watch(db, rules, sinks=sinks, state=state, run_timeout=run_timeout)
            except (RedlineError, OSError) as exc:
                log.error("poll %d: watch failed: %s", report.poll, exc)
            else:
                report.alerts, report.undelivered = done.alerts, len(done.failed)
            log.info("poll %d: %d feeds read, %d unchanged, %d broken; %d articles and %d "
                     "events added; %d alerts, %d deliveries pending", report.poll,
                     report.feeds_read, report.feeds_unchanged, len(report.feeds_broken),
                     report.articles_added, report.events_added, len(report.alerts),
                     report.undelivered)
            reports.append(report)
            if on_poll is not None:
                on_poll(report)
    except KeyboardInterrupt:
        log.info("follow stopped after %d polls", len(reports))
    return reports


def _stage(feeds: Sequence[str], report: PollReport, seen: dict[str, str], tmp: str,
           max_bytes: int, timeout: float) -> tuple[list[str], dict[str, str]]:
    """Fetch the feeds into ``tmp``: the staged paths and the digests of their bytes (a
    feed unchanged since it was last ingested is counted, not staged)."""
    staged: list[str] = []
    digests: dict[str, str] = {}
    used: set[str] = set()
    for i, feed in enumerate(feeds):
        try:
            data = fetch_feed(feed, timeout=timeout, max_bytes=max_bytes)
        except FeedError as exc:
            log.warning("poll %d: skipping feed %s", report.poll, exc)
            report.feeds_broken.append(feed)
            continue
        digest = hashlib.sha256(data).hexdigest()
        if seen.get(feed) == digest:
            report.feeds_unchanged += 1
            continue
        target = os.path.join(tmp, _stem(feed, i, used))
        with open(target, "wb") as f:
            f.write(data)
        staged.append(target)
        digests[feed] = digest
    return staged, digests


def _poll(db: str | os.PathLike[str], feeds: Sequence[str], report: PollReport,
          seen: dict[str, str], settings: Any, timeout: float) -> None:
    """Fetch the feeds and ingest what changed (one coding process); fills ``report``."""
    from redline.store.ingest import ingest

    max_bytes = settings.input.max_bytes * FEED_SIZE_FACTOR
    with tempfile.TemporaryDirectory(prefix="redline-follow-") as tmp:
        staged, digests = _stage(feeds, report, seen, tmp, max_bytes, timeout)
        report.feeds_read = len(staged)
        if not staged:
            return
        try:
            done = ingest(staged, db, workers=1, settings=settings, on_failure=_log_failure)
        except (RedlineError, OSError) as exc:
            log.error("poll %d: ingest failed: %s", report.poll, exc)
            return
        seen.update(digests)
        report.articles_added = done.added + done.replaced
        report.events_added = done.events


__all__ = ["FeedError", "PollReport", "fetch_feed", "follow", "read_feed_list"]
