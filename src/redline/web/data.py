"""What the web app shows, as JSON-ready dicts: one function per endpoint, shared by the API and
the dashboard, so a page is built from exactly the JSON it links to.

Everything goes through :mod:`redline.store.queries` and :mod:`redline.monitor`, the functions
the CLI uses, on read-only connections with a per-query time limit, taken from a small pool
(:class:`ConnectionPool`) so that a request does not pay for opening and checking the file, and
requests in the server's thread pool run their queries side by side (SQLite releases the GIL
while it works). Parameters are checked here first; a bad one raises :class:`BadParameter`
(HTTP 422), so that any other ``StoreError`` raised later is the database's fault (HTTP 503),
never the caller's.

Clustering (behind the dyad series and the top dyads) reads every stored event; its results,
and the counts and aggregates every visitor asks for again (stats, the number of events that
match a filter, the timeline, event locations, a dyad's whole series), are cached under the store's
:func:`~redline.store.queries.data_version`, so they are recomputed after an ingest changes
the data and not otherwise. Pages of rows are always read afresh.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
import logging
import os
import queue
import re
import sqlite3
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from redline import ontology
from redline.errors import BadParameter, NotFound, QueryTimeout, StoreError
from redline.monitor import clusters as monitor_clusters
from redline.monitor import escalation_flags, expand_actors, series_from_clusters, top_dyads
from redline.monitor.ladder import RUNGS
from redline.monitor.series import _cluster_matches, period_of
from redline.store import queries
from redline.store.db import ReadConnection, open_db

__all__ = ["BadParameter", "ConnectionPool", "EventParams", "NotFound", "QueryTimeout",
           "WebStore", "decode_cursor", "encode_cursor"]

log = logging.getLogger(__name__)

DEFAULT_LIMIT = 50
MAX_LIMIT = queries.MAX_PAGE
DEFAULT_TIME_LIMIT = 10.0
"""Seconds one query of the web app may run (``redline serve --time-limit``)."""

QUADS = ontology.QUADS
_SPEC = re.compile(r"^[A-Za-z0-9]{1,20}\+?$")
_CACHE_SIZE = 256
MAX_PERIODS = 1000
"""The most periods a timeline may have."""


POOL_SIZE = 16
"""Idle read-only connections a :class:`WebStore` keeps open for the next requests."""
SQLITE_INT = (-(2**63), 2**63 - 1)
"""The range of an SQLite INTEGER: ids and cursor keys outside it cannot be stored."""


@dataclass(frozen=True, slots=True)
class EventParams:
    """The event filters a request may carry (see :mod:`redline.store.queries`)."""

    actor: str | None = None
    source: str | None = None
    target: str | None = None
    cameo: str | None = None
    plover: str | None = None
    modality: str | None = None
    since: str | None = None
    until: str | None = None
    article: str | None = None
    q: str | None = None

    def checked(self) -> dict[str, Any]:
        """Keyword filters for the store, checked (raises :class:`BadParameter`)."""
        kw = {"actor": self.actor, "source": self.source, "target": self.target,
              "cameo": self.cameo, "plover": self.plover, "modality": self.modality,
              "since": self.since, "until": self.until, "article": self.article,
              "text": self.q}
        kw = {k: v for k, v in kw.items() if v is not None}
        with _bad_parameter():
            queries.EventFilters.of(**kw)
        return kw

    def query(self) -> dict[str, str]:
        """The filters as URL query parameters (set ones only)."""
        return {k: v for k, v in (
            ("actor", self.actor), ("source", self.source), ("target", self.target),
            ("cameo", self.cameo), ("plover", self.plover), ("modality", self.modality),
            ("since", self.since), ("until", self.until), ("article", self.article),
            ("q", self.q)) if v}


@contextmanager
def _bad_parameter() -> Iterator[None]:
    try:
        yield
    except (StoreError, ValueError) as exc:
        raise BadParameter(str(exc)) from None


def encode_cursor(key: Sequence[Any] | int) -> str:
    """An opaque page cursor: the last row's key as URL-safe base64 JSON."""
    raw = json.dumps(key, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> Any:
    """The key inside a cursor from :func:`encode_cursor` (raises :class:`BadParameter`)."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        return json.loads(raw)
    except (binascii.Error, ValueError, UnicodeDecodeError):
        raise BadParameter(f"cursor {cursor[:40]!r} is not a cursor this server gave",
                           "cursor") from None


def _event_cursor(cursor: str | None) -> queries.EventKey | None:
    if cursor is None:
        return None
    key = decode_cursor(cursor)
    if (not isinstance(key, list) or len(key) != 2 or not isinstance(key[0], str)
            or not _sqlite_int(key[1])):
        raise BadParameter("cursor is not an events cursor", "cursor")
    return key[0], key[1]


def _sqlite_int(value: Any) -> bool:
    return type(value) is int and SQLITE_INT[0] <= value <= SQLITE_INT[1]


def check_specs(value: str, what: str) -> tuple[str, ...]:
    """Actor specs of a dyad (``RUS``, ``NATO+``, ``RUS,BLR``), checked and expanded."""
    parts = [p.strip() for p in value.split(",")]
    if not parts or not all(_SPEC.match(p) for p in parts):
        raise BadParameter(f"{what} {value[:40]!r} is not an actor code, country or group "
                           "like RUS, RUSMIL or NATO+ (several: comma-separated)", what)
    return expand_actors(parts)


def _date(value: str | None, what: str) -> str | None:
    if value is None or value == "":
        return None
    try:
        return dt.date.fromisoformat(value).isoformat()
    except ValueError:
        raise BadParameter(f"{what} {value[:40]!r} is not a date in the form YYYY-MM-DD",
                           what) from None


def _window(since: str | None, until: str | None) -> tuple[str | None, str | None]:
    s, u = _date(since, "since"), _date(until, "until")
    if s and u and s > u:
        raise BadParameter(f"since ({s}) is after until ({u})", "since")
    return s, u


def event_summary(e: dict[str, Any]) -> dict[str, Any]:
    """The fields of an event row a list shows (the API's events carry every column)."""
    return {k: e.get(k) for k in (
        "event_id", "article_id", "article_title", "article_date", "event_date_start",
        "event_date_end", "cameo", "cameo_name", "plover_type", "quad_class", "goldstein",
        "source_code", "source_name", "target_code", "target_name", "modality",
        "evidence_text", "location_name", "confidence", "rule")}


def _file_identity(path: str) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_dev, st.st_ino


class ConnectionPool:
    """Read-only connections to one database file, reused from request to request.

    :meth:`get` hands out an idle connection, or opens one (``open_db``, which checks the
    file) when none is idle; :meth:`put` keeps at most ``size`` idle. Each connection
    remembers which file (device, inode) it opened: when the path names another file, or none
    (the database was replaced or deleted), the old connections are closed instead of reused,
    and a missing file raises ``MissingDatabaseError`` as before. The pool never migrates or
    writes.
    """

    def __init__(self, path: str, time_limit: float | None, size: int = POOL_SIZE) -> None:
        self.path, self.time_limit, self.size = path, time_limit, size
        self._idle: queue.LifoQueue[ReadConnection] = queue.LifoQueue()
        self._ids: dict[int, tuple[int, int] | None] = {}

    def get(self) -> ReadConnection:
        """A connection for one request (give it back with :meth:`put`)."""
        current = _file_identity(self.path)
        while True:
            try:
                conn = self._idle.get_nowait()
            except queue.Empty:
                break
            if current is not None and self._ids.get(id(conn)) == current:
                return conn
            self._discard(conn)
        conn = open_db(self.path, time_limit=self.time_limit, migrate=False)
        self._ids[id(conn)] = current
        return conn

    def put(self, conn: ReadConnection, *, healthy: bool = True) -> None:
        """Take ``conn`` back: kept for the next request if it is healthy and room is left."""
        if healthy and self._idle.qsize() < self.size:
            self._idle.put(conn)
        else:
            self._discard(conn)

    def _discard(self, conn: ReadConnection) -> None:
        self._ids.pop(id(conn), None)
        conn.close()

    def close(self) -> None:
        """Close every idle connection."""
        while True:
            try:
                self._discard(self._idle.get_nowait())
            except queue.Empty:
                return


class WebStore:
    """The event database as the web app reads it: a path, a time limit, a connection pool,
    a cache."""

    def __init__(self, path: str, time_limit: float | None = DEFAULT_TIME_LIMIT, *,
                 pool_size: int = POOL_SIZE) -> None:
        self.path = path
        self.time_limit = time_limit
        self.pool = ConnectionPool(path, time_limit, pool_size)
        self._cache: OrderedDict[tuple[Any, ...], Any] = OrderedDict()
        self._lock = threading.Lock()

    # -- plumbing ---------------------------------------------------------------------------

    @contextmanager
    def connect(self) -> Iterator[sqlite3.Connection]:
        """A read-only connection from the pool for one request; a query stopped by the time
        limit comes out as :class:`QueryTimeout` (and the connection is reused); after any
        other database error the connection is closed."""
        conn = self.pool.get()
        healthy = False
        try:
            yield conn
            healthy = True
        except StoreError as exc:
            if isinstance(exc, QueryTimeout):
                healthy = True
                raise
            if conn.deadline and time.monotonic() > conn.deadline:
                healthy = True
                raise QueryTimeout(str(exc)) from None
            raise
        except (BadParameter, NotFound):
            healthy = True
            raise
        finally:
            self.pool.put(conn, healthy=healthy)

    def _cached(self, conn: sqlite3.Connection, key: tuple[Any, ...],
                compute: Callable[[], Any]) -> Any:
        full = (queries.data_version(conn), *key)
        with self._lock:
            if full in self._cache:
                self._cache.move_to_end(full)
                return self._cache[full]
        value = compute()
        with self._lock:
            self._cache[full] = value
            while len(self._cache) > _CACHE_SIZE:
                self._cache.popitem(last=False)
        return value

    def _memo(self, conn: sqlite3.Connection, name: str, kw: dict[str, Any],
              compute: Callable[..., Any]) -> Any:
        """``compute(conn, **kw)``, cached under the data version."""
        return self._cached(conn, (name, *sorted(kw.items())), lambda: compute(conn, **kw))

    def _clusters(self, conn: sqlite3.Connection, since: str | None, until: str | None,
                  include_hypothetical: bool) -> list[Any]:
        return self._cached(conn, ("clusters", since, until, include_hypothetical),
                            lambda: monitor_clusters(conn, since=since, until=until,
                                                     include_hypothetical=include_hypothetical))

    def _top_dyads(self, conn: sqlite3.Connection, top: int, by: str, since: str | None,
                   until: str | None, include_hypothetical: bool) -> list[dict[str, Any]]:
        return self._cached(conn, ("top", top, by, since, until, include_hypothetical),
                            lambda: top_dyads(conn, top=top, by=by, since=since, until=until,
                                              include_hypothetical=include_hypothetical))

    # -- endpoints --------------------------------------------------------------------------

    def health(self) -> dict[str, Any]:
        from redline.store.schema import SCHEMA_VERSION

        with self.connect() as conn:
            last, events, articles = queries.data_version(conn)
        return {"status": "ok", "schema_version": SCHEMA_VERSION, "articles": articles,
                "events": events, "last_event_id": last}

    def stats(self) -> dict[str, Any]:
        with self.connect() as conn:
            return dict(self._memo(conn, "stats", {}, queries.stats))

    def events(self, params: EventParams, *, limit: int = DEFAULT_LIMIT,
               cursor: str | None = None) -> dict[str, Any]:
        """One page of matching events (every column), the total that match, and the cursor
        of the next page."""
        kw = params.checked()
        after = _event_cursor(cursor)
        if not 1 <= limit <= MAX_LIMIT:
            raise BadParameter(f"limit {limit} is not between 1 and {MAX_LIMIT}", "limit")
        with self.connect() as conn:
            rows, key = queries.page_events(conn, limit=limit, after=after, **kw)
            total = self._memo(conn, "count", kw, queries.count_events)
        return {"total": total, "count": len(rows), "limit": limit,
                "filters": params.query(), "events": rows,
                "cursor": encode_cursor(list(key)) if key else None}

    def event(self, event_id: int) -> dict[str, Any]:
        if not _sqlite_int(event_id):
            raise NotFound(f"no event with id {event_id}")
        with self.connect() as conn:
            rows = queries.events_by_id(conn, [event_id])
        if not rows:
            raise NotFound(f"no event with id {event_id}")
        return rows[0]

    def article(self, article_id: str) -> dict[str, Any]:
        with self.connect() as conn:
            found = queries.article_detail(conn, article_id)
        if found is None:
            raise NotFound(f"no article with id {article_id[:200]!r}")
        return found

    def timeline(self, params: EventParams, by: str = "auto") -> dict[str, Any]:
        """Matching events per period and quad class. The range is ``since``-``until`` when
        given, else the span of the articles' own dates, so that a passing mention of 1956
        does not stretch the chart over seventy years; events outside it are counted as
        ``before`` and ``after``, undated ones as ``undated``."""
        kw = params.checked()
        with self.connect() as conn:
            return self._memo(conn, "timeline", {**kw, "by": by}, self._timeline_of)

    def _timeline_of(self, conn: sqlite3.Connection, *, by: str, **kw: Any) -> dict[str, Any]:
        days = queries.events_per_day(conn, **kw)
        first, last = queries.article_span(conn)
        return _timeline(days, kw.get("since") or first, kw.get("until") or last, by)

    def locations(self, params: EventParams) -> dict[str, Any]:
        kw = params.checked()
        with self.connect() as conn:
            places = self._memo(conn, "places", kw, queries.event_locations)
        return {"filters": params.query(), "places": places,
                "events": sum(p["events"] for p in places)}

    def top_dyads(self, *, top: int = 10, by: str = "week", since: str | None = None,
                  until: str | None = None, include_hypothetical: bool = False
                  ) -> dict[str, Any]:
        s, u = _window(since, until)
        with self.connect() as conn:
            rows = self._top_dyads(conn, top, by, s, u, include_hypothetical)
        return {"top": top, "by": by, "since": s, "until": u,
                "include_hypothetical": include_hypothetical, "dyads": rows}

    def overview(self, *, since: str | None = None, until: str | None = None,
                 by: str = "auto", top: int = 10) -> dict[str, Any]:
        """Counts, the timeline by quad class, the top dyads and the event locations, over
        the same window."""
        s, u = _window(since, until)
        params = EventParams(since=s, until=u)
        with self.connect() as conn:
            window = {k: v for k, v in (("since", s), ("until", u)) if v}
            counts = dict(self._memo(conn, "stats", {}, queries.stats))
            timeline = self._memo(conn, "timeline", {**window, "by": by}, self._timeline_of)
            first, last = self._memo(conn, "span", {}, queries.article_span)
            places = self._memo(conn, "places", window, queries.event_locations)
            dyads = self._top_dyads(conn, top, "week", s, u, False)
        counts.pop("events_by_month", None)  # the timeline says it better
        return {"since": s, "until": u, "articles_from": first, "articles_to": last,
                "stats": counts, "timeline": timeline,
                "top_dyads": dyads,
                "locations": {"filters": params.query(), "places": places,
                              "events": sum(p["events"] for p in places)}}

    def dyad(self, source: str, target: str, *, by: str = "week", both_ways: bool = False,
             since: str | None = None, until: str | None = None,
             include_hypothetical: bool = False) -> dict[str, Any]:
        """One dyad's series (as ``redline series`` computes it), its escalation flags, and
        for each active period the clusters behind it with their stored events."""
        src, tgt = check_specs(source, "source"), check_specs(target, "target")
        s, u = _window(since, until)
        kw = {"source": source, "target": target, "src": src, "tgt": tgt, "by": by,
              "both_ways": both_ways, "s": s, "u": u,
              "include_hypothetical": include_hypothetical}
        with self.connect() as conn:
            return dict(self._memo(conn, "dyad", kw, self._dyad_of))

    def _dyad_of(self, conn: sqlite3.Connection, *, source: str, target: str,
                 src: tuple[str, ...], tgt: tuple[str, ...], by: str, both_ways: bool,
                 s: str | None, u: str | None, include_hypothetical: bool) -> dict[str, Any]:
        found = self._clusters(conn, s, u, include_hypothetical)
        chosen = [c for c in found if _cluster_matches(c, src, tgt)
                  or (both_ways and _cluster_matches(c, tgt, src))]
        events = {e["event_id"]: event_summary(e) for e in queries.events_by_id(
            conn, [i for c in chosen for i in c.event_ids])}
        rows = series_from_clusters(chosen, by=by)
        flags = escalation_flags(rows)
        by_period: dict[str, list[dict[str, Any]]] = {}
        for f in flags:
            by_period.setdefault(f.period, []).append(f.to_dict())
        by_key = {c.key: c for c in chosen}
        periods = []
        for r in rows:
            d = r.to_dict()
            d["flags"] = by_period.get(r.period, [])
            d["clusters_detail"] = [
                {**_cluster_dict(by_key[k]),
                 "events": [events[i] for i in by_key[k].event_ids if i in events]}
                for k in r.cluster_keys]
            periods.append(d)
        return {"source": source.upper(), "target": target.upper(), "source_actors": src,
                "target_actors": tgt, "by": by, "both_ways": both_ways, "since": s,
                "until": u, "include_hypothetical": include_hypothetical, "ladder": RUNGS,
                "flags": [f.to_dict() for f in flags], "periods": periods,
                "clusters": len(chosen), "events": len(events)}

    def alerts(self, *, rule: str | None = None, state: str | None = None,
               limit: int = DEFAULT_LIMIT, cursor: str | None = None) -> dict[str, Any]:
        after = None
        if cursor is not None:
            after = decode_cursor(cursor)
            if not _sqlite_int(after):
                raise BadParameter("cursor is not an alerts cursor", "cursor")
        if not 1 <= limit <= MAX_LIMIT:
            raise BadParameter(f"limit {limit} is not between 1 and {MAX_LIMIT}", "limit")
        with self.connect() as conn:
            rows, key = queries.query_alerts(conn, rule=rule, state=state, limit=limit,
                                             after=after)
        return {"count": len(rows), "limit": limit, "alerts": rows,
                "cursor": encode_cursor(key) if key is not None else None}


def _cluster_dict(c: Any) -> dict[str, Any]:
    d = c.to_dict()
    d["rung_name"] = RUNGS[c.rung] if c.rung is not None else None
    return d


def _step(start: dt.date, by: str) -> dt.date:
    if by == "week":
        return start + dt.timedelta(days=7)
    if by == "month":
        return (start.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return start.replace(year=start.year + 1)


def auto_period(first: str, last: str) -> str:
    """A period that gives a readable number of bars over ``first``-``last``."""
    days = (dt.date.fromisoformat(last) - dt.date.fromisoformat(first)).days
    return "week" if days <= 200 else "month" if days <= 366 * 12 else "year"


def _periods(first: str, last: str, by: str) -> dict[str, dict[str, Any]]:
    """The empty periods from ``first`` to ``last`` (raises :class:`BadParameter` past
    :data:`MAX_PERIODS`, ``OverflowError``/``ValueError`` at the calendar's ends)."""
    cursor = period_of(first, by)[1]
    end = dt.date.fromisoformat(last)
    span = (end - cursor).days // {"week": 7, "month": 28, "year": 365}[by]
    if span > MAX_PERIODS:
        raise BadParameter(f"{first} to {last} is more than {MAX_PERIODS} {by}s; choose a "
                           "longer period (by) or a shorter range (since, until)", "by")
    periods: dict[str, dict[str, Any]] = {}
    while cursor <= end:
        label = period_of(cursor, by)[0]
        nxt = _step(cursor, by)
        periods[label] = {"period": label, "start": cursor.isoformat(),
                          "end": (nxt - dt.timedelta(days=1)).isoformat(), "events": 0,
                          **{f"quad{q}": 0 for q in QUADS}}
        cursor = nxt
    return periods


def _timeline(days: list[dict[str, Any]], first: str | None, last: str | None,
              by: str) -> dict[str, Any]:
    undated = sum(d["events"] for d in days if not d["date"])
    dated = [d for d in days if d["date"]]
    if not first or not last:
        first = min((d["date"] for d in dated), default=None)
        last = max((d["date"] for d in dated), default=None)
    if not first or not last:
        return {"by": by if by != "auto" else "month", "from": None, "to": None,
                "periods": [], "before": 0, "after": 0, "undated": undated}
    first, last = first[:10], last[:10]
    if by == "auto":
        by = auto_period(first, last)
    try:
        periods = _periods(first, last, by)
    except (OverflowError, ValueError):
        # a week or month that starts before year 1 or ends after 9999
        raise BadParameter(f"a timeline from {first} to {last} by {by} reaches outside the "
                           "calendar (years 1 to 9999); choose since and until inside it",
                           "since" if first < "1000" else "until") from None
    before = after = 0
    for d in dated:
        day = d["date"]
        if day < first:
            before += d["events"]
        elif day > last:
            after += d["events"]
        else:
            row = periods[period_of(day, by)[0]]
            row["events"] += d["events"]
            if d["quad_class"] in QUADS:
                row[f"quad{d['quad_class']}"] += d["events"]
    return {"by": by, "from": first, "to": last, "periods": list(periods.values()),
            "before": before, "after": after, "undated": undated}
