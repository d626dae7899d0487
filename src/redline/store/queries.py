"""Reading the event database: the one set of query functions behind the CLI, API and dashboard.

Every function takes ``db``: a path (opened read-only with a time limit, and closed after) or
an open connection (used as it is). Filters are checked here, so that every front end gives the
same answer and the same error for the same question.

Event filters (all optional, combined with AND):

``actor``
    a source *or* target actor: a code prefix (``RUS`` matches ``RUS``, ``RUSGOV``,
    ``RUSMIL``; ``RUSGOV`` only that) or a country (``UKR`` matches every Ukrainian actor,
    whatever its code);
``source``, ``target``
    the same, for the source or the target alone;
``cameo``
    a CAMEO code prefix: ``13`` is every threat, ``138`` threats of force;
``plover``
    a PLOVER type, e.g. ``THREATEN`` (any case);
``since``, ``until``
    ISO dates; the event's own date range must overlap them (undated events are left out);
``modality``
    asserted, negated, hypothetical or future;
``article``
    one article's id;
``text``
    words the event's evidence, actor names or place contain (case-insensitive substring
    match on ASCII letters; ``%`` and ``_`` match themselves).

Listing functions for front ends that page through results (:func:`page_events`,
:func:`query_alerts`) use keyset pagination: each page returns the key of its last row, and
the next page starts after it, so a page is as fast at the end as at the start and rows stored
meanwhile do not shift the pages.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from redline.article import MODALITIES
from redline.store.db import DEFAULT_TIME_LIMIT, DbLike, connection, fetch_all, run
from redline.store.errors import StoreInputError

_CODE = re.compile(r"^[A-Za-z0-9]{1,20}$")
_CAMEO = re.compile(r"^\d{1,4}$")
_PLOVER = re.compile(r"^[A-Za-z_]{1,40}$")

EVENT_SELECT = """SELECT e.*, a.date AS article_date, a.title AS article_title,
       a.url AS article_url, a.source AS article_source, a.coded_at AS article_coded_at
FROM events e JOIN articles a ON a.id = e.article_id"""


@dataclass(frozen=True, slots=True)
class EventFilters:
    """Checked event filters; build with :meth:`of` (raises ``StoreInputError`` on a bad value)."""

    actor: str | None = None
    source: str | None = None
    target: str | None = None
    cameo: str | None = None
    plover: str | None = None
    since: str | None = None
    until: str | None = None
    modality: str | None = None
    article: str | None = None
    text: str | None = None

    @classmethod
    def of(cls, *, actor: str | None = None, source: str | None = None,
           target: str | None = None, cameo: str | None = None, plover: str | None = None,
           since: dt.date | str | None = None, until: dt.date | str | None = None,
           modality: str | None = None, article: str | None = None,
           text: str | None = None) -> EventFilters:
        if cameo is not None and not _CAMEO.match(cameo):
            raise StoreInputError(
                f"cameo filter {cameo!r} is not a CAMEO code prefix like 13 or 138")
        if plover is not None and not _PLOVER.match(plover):
            raise StoreInputError(f"plover filter {plover!r} is not a PLOVER type like THREATEN")
        if modality is not None and modality not in MODALITIES:
            raise StoreInputError(
                f"modality {modality!r} is not one of {', '.join(MODALITIES)}")
        s, u = _iso(since, "since"), _iso(until, "until")
        if s and u and s > u:
            raise StoreInputError(f"since ({s}) is after until ({u})")
        if text is not None:
            text = " ".join(text.split()) or None
            if text and len(text) > MAX_TEXT:
                raise StoreInputError(f"text filter is longer than {MAX_TEXT} characters")
        return cls(_actor(actor, "actor"), _actor(source, "source"), _actor(target, "target"),
                   cameo, plover.upper() if plover else None, s, u, modality, article, text)

    def where(self) -> tuple[str, list[Any]]:
        """The SQL condition (over ``events e``) and its parameters."""
        clauses: list[str] = []
        params: list[Any] = []
        if self.actor:
            clauses.append(f"({_actor_sql('source')} OR {_actor_sql('target')})")
            params += [f"{self.actor}*", self.actor] * 2
        for role in ("source", "target"):
            value = getattr(self, role)
            if value:
                clauses.append(_actor_sql(role))
                params += [f"{value}*", value]
        if self.cameo:
            clauses.append("e.cameo GLOB ?")
            params.append(f"{self.cameo}*")
        if self.plover:
            clauses.append("e.plover_type = ?")
            params.append(self.plover)
        if self.since:
            clauses.append("COALESCE(e.event_date_end, e.event_date_start) >= ?")
            params.append(self.since)
        if self.until:
            clauses.append("e.event_date_start <= ?")
            params.append(self.until)
        if self.modality:
            clauses.append("e.modality = ?")
            params.append(self.modality)
        if self.article is not None:
            clauses.append("e.article_id = ?")
            params.append(self.article)
        if self.text:
            pattern = f"%{_like_escape(self.text)}%"
            clauses.append("(" + " OR ".join(f"e.{col} LIKE ? ESCAPE '\\'"
                                             for col in _TEXT_COLUMNS) + ")")
            params += [pattern] * len(_TEXT_COLUMNS)
        return (" AND ".join(clauses) or "1"), params


MAX_TEXT = 200
"""The longest text filter accepted (characters)."""

_TEXT_COLUMNS = ("evidence_text", "source_name", "source_text", "target_name", "target_text",
                 "location_name", "cameo_name")


def _like_escape(text: str) -> str:
    """``text`` as a literal inside a LIKE pattern (with ``ESCAPE '\\'``)."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _actor_sql(role: str) -> str:
    return f"(e.{role}_code GLOB ? OR e.{role}_country = ?)"


def _actor(value: str | None, what: str) -> str | None:
    if value is None:
        return None
    if not _CODE.match(value):
        raise StoreInputError(
            f"{what} filter {value!r} is not an actor code or country like RUS, RUSGOV or NATO")
    return value.upper()


def _iso(value: dt.date | str | None, what: str) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.date):
        return value.isoformat()[:10]
    try:
        return dt.date.fromisoformat(str(value)).isoformat()
    except ValueError:
        raise StoreInputError(f"{what} {value!r} is not a date in the form YYYY-MM-DD") from None


def _limit(limit: int | None) -> str:
    if limit is None:
        return ""
    if limit < 0:
        raise StoreInputError(f"limit {limit} is negative")
    return f" LIMIT {int(limit)}"


def iter_events(conn: sqlite3.Connection, filters: EventFilters | None = None,
                limit: int | None = None) -> Iterator[sqlite3.Row]:
    """Stream the matching events (with their article's date, title, url) in storage order."""
    where, params = (filters or EventFilters()).where()
    yield from run(conn, f"{EVENT_SELECT} WHERE {where} ORDER BY e.event_id{_limit(limit)}",
                   params)


def query_events(db: DbLike, *, limit: int | None = None,
                 time_limit: float | None = DEFAULT_TIME_LIMIT, **filters: Any
                 ) -> list[dict[str, Any]]:
    """The events matching ``filters`` (see the module docstring) as dicts, oldest stored
    first: every ``events`` column plus ``article_date``, ``article_title``, ``article_url``,
    ``article_source`` and ``article_coded_at``."""
    checked = EventFilters.of(**filters)
    where, params = checked.where()
    with connection(db, time_limit=time_limit) as conn:
        rows = fetch_all(
            conn, f"{EVENT_SELECT} WHERE {where} ORDER BY e.event_id{_limit(limit)}", params)
    return _dicts(rows)


def _dicts(rows: list[sqlite3.Row]) -> list[dict[str, Any]]:
    """Rows as dicts. The column names are read once: ``dict(row)`` goes through the mapping
    protocol column by column, several times slower on the 90-column event rows."""
    if not rows:
        return []
    names = rows[0].keys()
    return [dict(zip(names, r, strict=True)) for r in rows]


ARTICLE_SELECT = """SELECT a.id, a.date, a.title, a.source, a.url, a.input, a.run_id, a.coded_at,
       a.content_hash, length(a.text) AS characters,
       (SELECT COUNT(*) FROM events e WHERE e.article_id = a.id) AS events,
       (SELECT COUNT(*) FROM quotes q WHERE q.article_id = a.id) AS quotes
FROM articles a"""


def query_articles(db: DbLike, *, since: dt.date | str | None = None,
                   until: dt.date | str | None = None, id: str | None = None,
                   limit: int | None = None, with_text: bool = False,
                   time_limit: float | None = DEFAULT_TIME_LIMIT) -> list[dict[str, Any]]:
    """Stored articles (by the article's own date), in id order, with their event and quote
    counts; ``with_text`` adds the text."""
    clauses, params = [], []
    s, u = _iso(since, "since"), _iso(until, "until")
    if s:
        clauses.append("a.date >= ?")
        params.append(s)
    if u:
        clauses.append("a.date <= ?")
        params.append(u)
    if id is not None:
        clauses.append("a.id = ?")
        params.append(id)
    select = ARTICLE_SELECT.replace("FROM articles a", ", a.text FROM articles a") \
        if with_text else ARTICLE_SELECT
    sql = f"{select} WHERE {' AND '.join(clauses) or '1'} ORDER BY a.id{_limit(limit)}"
    with connection(db, time_limit=time_limit) as conn:
        return [dict(r) for r in fetch_all(conn, sql, params)]


def query_failures(db: DbLike, *, run_id: int | None = None, limit: int | None = None,
                   time_limit: float | None = DEFAULT_TIME_LIMIT) -> list[dict[str, Any]]:
    """Recorded failures (newest run first), optionally of one run."""
    where, params = ("run_id = ?", [run_id]) if run_id is not None else ("1", [])
    sql = (f"SELECT * FROM failures WHERE {where} ORDER BY run_id DESC, failure_id"
           f"{_limit(limit)}")
    with connection(db, time_limit=time_limit) as conn:
        return [dict(r) for r in fetch_all(conn, sql, params)]


def query_runs(db: DbLike, *, limit: int | None = None,
               time_limit: float | None = DEFAULT_TIME_LIMIT) -> list[dict[str, Any]]:
    """Ingest runs, newest first. A run killed before it finished keeps status ``running``."""
    with connection(db, time_limit=time_limit) as conn:
        return [dict(r) for r in fetch_all(
            conn, f"SELECT * FROM runs ORDER BY run_id DESC{_limit(limit)}")]


def stats(db: DbLike, *, time_limit: float | None = DEFAULT_TIME_LIMIT) -> dict[str, Any]:
    """Counts of what is stored: articles, events, actors, quotes, places and failed inputs
    (distinct source and reason over all runs, so re-running an ingest does not change it),
    events by CAMEO root and by month of the event's own date (``unknown``: undated)."""
    from redline.ontology import root_name

    with connection(db, time_limit=time_limit) as conn:
        def one(sql: str) -> int:
            return int(fetch_all(conn, sql)[0][0] or 0)

        out: dict[str, Any] = {
            "articles": one("SELECT COUNT(*) FROM articles"),
            "events": one("SELECT COUNT(*) FROM events"),
            "actors": one("SELECT COUNT(*) FROM actors"),
            "quotes": one("SELECT COUNT(*) FROM quotes"),
            "places": one("SELECT COUNT(*) FROM places"),
            "failed_inputs": one(
                "SELECT COUNT(*) FROM (SELECT DISTINCT source, reason FROM failures)"),
        }
        roots = fetch_all(conn, "SELECT cameo_root, COUNT(*) FROM events "
                                "GROUP BY cameo_root ORDER BY cameo_root")
        months = fetch_all(conn, "SELECT COALESCE(substr(event_date_start, 1, 7), 'unknown'), "
                                 "COUNT(*) FROM events GROUP BY 1 ORDER BY 1")
        modality = fetch_all(conn, "SELECT modality, COUNT(*) FROM events "
                                   "GROUP BY modality ORDER BY modality")

    def name(root: str) -> str | None:
        try:
            return root_name(root)
        except KeyError:
            return None

    out["events_by_root"] = [{"root": r, "name": name(r), "events": n} for r, n in roots]
    out["events_by_month"] = {m: n for m, n in months}
    out["events_by_modality"] = {m: n for m, n in modality}
    return out


# --- for front ends that page, and for the dashboard --------------------------------------------

MAX_PAGE = 500
"""The most rows one page may hold (:func:`page_events`, :func:`query_alerts`)."""

EventKey = tuple[str, int]
"""Where a page of events ends: the event's own start date ('' when undated) and its id."""

_EVENT_ORDER = "COALESCE(e.event_date_start, '')"


def _page_size(limit: int) -> int:
    if not 1 <= limit <= MAX_PAGE:
        raise StoreInputError(f"limit {limit} is not between 1 and {MAX_PAGE}")
    return int(limit)


def page_events(db: DbLike, *, limit: int = 50, after: EventKey | None = None,
                time_limit: float | None = DEFAULT_TIME_LIMIT, **filters: Any
                ) -> tuple[list[dict[str, Any]], EventKey | None]:
    """One page of the events matching ``filters``, newest first (by the event's own date,
    then id; undated events last), and the key to pass as ``after`` for the next page (None
    on the last page). Rows are as :func:`query_events` gives them."""
    n = _page_size(limit)
    where, params = EventFilters.of(**filters).where()
    if after is not None:
        date, event_id = after
        where += f" AND ({_EVENT_ORDER}, e.event_id) < (?, ?)"
        params += [str(date), int(event_id)]
    sql = (f"{EVENT_SELECT} WHERE {where} ORDER BY {_EVENT_ORDER} DESC, e.event_id DESC "
           f"LIMIT {n + 1}")
    with connection(db, time_limit=time_limit) as conn:
        rows = _dicts(fetch_all(conn, sql, params))
    if len(rows) <= n:
        return rows, None
    last = rows[n - 1]
    return rows[:n], (last["event_date_start"] or "", int(last["event_id"]))


def count_events(db: DbLike, *, time_limit: float | None = DEFAULT_TIME_LIMIT,
                 **filters: Any) -> int:
    """How many events match ``filters``."""
    where, params = EventFilters.of(**filters).where()
    with connection(db, time_limit=time_limit) as conn:
        return int(fetch_all(conn, f"SELECT COUNT(*) FROM events e WHERE {where}", params)[0][0])


def events_by_id(db: DbLike, ids: Iterable[int], *,
                 time_limit: float | None = DEFAULT_TIME_LIMIT) -> list[dict[str, Any]]:
    """The events with these ids (rows as :func:`query_events` gives them), in id order;
    ids not stored are left out."""
    wanted = sorted({int(i) for i in ids})
    out: list[dict[str, Any]] = []
    with connection(db, time_limit=time_limit) as conn:
        for i in range(0, len(wanted), 500):
            chunk = wanted[i:i + 500]
            marks = ", ".join("?" * len(chunk))
            out += _dicts(fetch_all(
                conn, f"{EVENT_SELECT} WHERE e.event_id IN ({marks}) ORDER BY e.event_id",
                chunk))
    return out


def article_detail(db: DbLike, article_id: str, *,
                   time_limit: float | None = DEFAULT_TIME_LIMIT) -> dict[str, Any] | None:
    """One article with everything stored about it, or None when no article has this id:
    its columns (``notes`` decoded), ``text``, and lists of its ``events`` (as
    :func:`query_events` gives them), ``quotes``, ``actors``, ``places`` and ``sentences``,
    each in the article's order."""
    with connection(db, time_limit=time_limit) as conn:
        rows = fetch_all(conn, "SELECT * FROM articles WHERE id = ?", [article_id])
        if not rows:
            return None
        out = dict(rows[0])
        out["notes"] = json.loads(out["notes"]) if out.get("notes") else []
        out["events"] = _dicts(fetch_all(
            conn, f"{EVENT_SELECT} WHERE e.article_id = ? ORDER BY e.event_index", [article_id]))
        for table, order in (("quotes", "quote_index"), ("actors", "actor_index"),
                             ("places", "place_index"), ("sentences", "sentence_index")):
            out[table] = _dicts(fetch_all(
                conn, f"SELECT * FROM {table} WHERE article_id = ? ORDER BY {order}",
                [article_id]))
    return out


def events_per_day(db: DbLike, *, time_limit: float | None = DEFAULT_TIME_LIMIT,
                   **filters: Any) -> list[dict[str, Any]]:
    """Matching events counted per own start day and quad class (``date`` None: undated;
    ``historical``: how many of them the text dates to a time before the article's)."""
    where, params = EventFilters.of(**filters).where()
    sql = ("SELECT substr(e.event_date_start, 1, 10) AS date, e.quad_class, COUNT(*) AS events, "
           "SUM(COALESCE(e.historical, 0)) AS historical "
           f"FROM events e WHERE {where} GROUP BY 1, 2 ORDER BY 1, 2")
    with connection(db, time_limit=time_limit) as conn:
        return [dict(r) for r in fetch_all(conn, sql, params)]


def event_locations(db: DbLike, *, time_limit: float | None = DEFAULT_TIME_LIMIT,
                    **filters: Any) -> list[dict[str, Any]]:
    """Places where matching events happened, with coordinates: name, country, lat, lon,
    feature, how many events, and of them how many are material conflict (quad class 4);
    most events first."""
    where, params = EventFilters.of(**filters).where()
    sql = ("SELECT e.location_name AS name, e.location_country AS country, "
           "e.location_lat AS lat, e.location_lon AS lon, "
           "MIN(e.location_feature) AS feature, COUNT(*) AS events, "
           "SUM(e.quad_class = 4) AS material_conflict "
           f"FROM events e WHERE {where} AND e.location_lat IS NOT NULL "
           "AND e.location_lon IS NOT NULL "
           "GROUP BY 1, 2, 3, 4 ORDER BY events DESC, name")
    with connection(db, time_limit=time_limit) as conn:
        return [dict(r) for r in fetch_all(conn, sql, params)]


def article_span(db: DbLike, *, time_limit: float | None = DEFAULT_TIME_LIMIT
                 ) -> tuple[str | None, str | None]:
    """The first and last article (publication) dates stored."""
    with connection(db, time_limit=time_limit) as conn:
        row = fetch_all(conn, "SELECT MIN(date), MAX(date) FROM articles")[0]
    return row[0], row[1]


def data_version(db: DbLike, *, time_limit: float | None = DEFAULT_TIME_LIMIT
                 ) -> tuple[int, int, int]:
    """A fingerprint of the stored data: (highest event id, events, articles). Event ids are
    never reused, so any ingest that adds, replaces or removes articles changes it; a front
    end may cache what it computed from the store under it."""
    with connection(db, time_limit=time_limit) as conn:
        row = fetch_all(conn, "SELECT (SELECT COALESCE(MAX(event_id), 0) FROM events), "
                              "(SELECT COUNT(*) FROM events), "
                              "(SELECT COUNT(*) FROM articles)")[0]
    return int(row[0]), int(row[1]), int(row[2])


def query_alerts(db: DbLike, *, rule: str | None = None, state: str | None = None,
                 limit: int = 50, after: int | None = None,
                 time_limit: float | None = DEFAULT_TIME_LIMIT
                 ) -> tuple[list[dict[str, Any]], int | None]:
    """One page of the alerts ``redline watch`` fired (kept in the ``monitor_alerts`` table,
    see :mod:`redline.monitor.watch`), newest first, optionally of one rule or watch state,
    and the key for the next page (``after``; None on the last page). Each alert is the
    stored alert (rule, description, period, fired_at, message, cluster) plus ``state``,
    ``dedupe_key`` and ``alert_id``. A database ``watch`` never ran on has none."""
    n = _page_size(limit)
    clauses, params = [], []
    for column, value in (("rule", rule), ("state", state)):
        if value is not None:
            clauses.append(f"{column} = ?")
            params.append(value)
    if after is not None:
        clauses.append("rowid < ?")
        params.append(int(after))
    with connection(db, time_limit=time_limit) as conn:
        tables = {r[0] for r in fetch_all(
            conn, "SELECT name FROM sqlite_master WHERE type = 'table'")}
        if "monitor_alerts" not in tables:
            return [], None
        rows = fetch_all(conn, "SELECT rowid AS alert_id, state, dedupe_key, alert "
                               f"FROM monitor_alerts WHERE {' AND '.join(clauses) or '1'} "
                               f"ORDER BY rowid DESC LIMIT {n + 1}", params)
    out = []
    for r in rows[:n]:
        alert = json.loads(r["alert"])
        out.append({"alert_id": r["alert_id"], "state": r["state"],
                    "dedupe_key": r["dedupe_key"], **alert})
    return out, (int(rows[n - 1]["alert_id"]) if len(rows) > n else None)
