"""The JSON API: thin routes over :mod:`redline.web.data`, which the dashboard pages share.

Parameters are declared here (so the OpenAPI schema at ``/openapi.json`` documents their types,
patterns and bounds) and checked again by the store's own filters. Routes return their JSON
already encoded (:func:`json_response`, pydantic's encoder in Rust), which is several times
faster than letting FastAPI walk the result with ``jsonable_encoder``.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Path, Query, Request, Response
from pydantic import TypeAdapter

from redline.web.data import DEFAULT_LIMIT, MAX_LIMIT, SQLITE_INT, EventParams, WebStore

router = APIRouter(prefix="/api", tags=["api"])

_ENCODER: TypeAdapter[Any] = TypeAdapter(Any)
Obj = dict[str, Any]
"""The documented response model of every route (a JSON object)."""


def json_response(content: Obj) -> Response:
    """``content`` (JSON-ready: dicts, lists, strings, numbers, None) as a JSON response."""
    return Response(_ENCODER.dump_json(content), media_type="application/json")

ACTOR = r"^[A-Za-z0-9]{1,20}$"
SPEC = r"^[A-Za-z0-9]{1,20}\+?(,[A-Za-z0-9]{1,20}\+?)*$"
Period = Literal["day", "week", "month", "year"]
TimelinePeriod = Literal["auto", "week", "month", "year"]
Modality = Literal["asserted", "negated", "hypothetical", "future"]


def store(request: Request) -> WebStore:
    """The app's :class:`WebStore`."""
    return request.app.state.store  # type: ignore[no-any-return]


async def _store_dependency(request: Request) -> WebStore:
    # async, as event_params below: FastAPI runs a sync dependency in the thread pool, a
    # second trip through its queue per request for no work
    return store(request)


Store = Annotated[WebStore, Depends(_store_dependency)]


def _day(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


async def event_params(
    actor: Annotated[str | None, Query(pattern=ACTOR, description=(
        "Source or target actor: a code prefix (RUS matches RUSGOV, RUSMIL) or a country "
        "(UKR)."))] = None,
    source: Annotated[str | None, Query(pattern=ACTOR, description="Source actor.")] = None,
    target: Annotated[str | None, Query(pattern=ACTOR, description="Target actor.")] = None,
    cameo: Annotated[str | None, Query(pattern=r"^\d{1,4}$", description=(
        "CAMEO code prefix: 13 is every threat, 138 threats of force."))] = None,
    plover: Annotated[str | None, Query(pattern=r"^[A-Za-z_]{1,40}$",
                                        description="PLOVER type, e.g. THREATEN.")] = None,
    modality: Annotated[Modality | None, Query()] = None,
    since: Annotated[dt.date | None, Query(description=(
        "The event's own date range must reach this day or later."))] = None,
    until: Annotated[dt.date | None, Query(description=(
        "The event's own date range must start on or before this day."))] = None,
    article: Annotated[str | None, Query(max_length=300,
                                         description="Only this article's events.")] = None,
    q: Annotated[str | None, Query(max_length=200, description=(
        "Text search: words in the evidence, actor names, place or event name."))] = None,
) -> EventParams:
    return EventParams(actor=actor, source=source, target=target, cameo=cameo, plover=plover,
                       modality=modality, since=_day(since), until=_day(until),
                       article=article, q=q)


Filters = Annotated[EventParams, Depends(event_params)]
Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description=(
    f"Rows per page (at most {MAX_LIMIT})."))]
Cursor = Annotated[str | None, Query(max_length=200, pattern=r"^[A-Za-z0-9_-]+$",
                                     description="The cursor a previous page returned.")]
Since = Annotated[dt.date | None, Query()]
Until = Annotated[dt.date | None, Query()]


def _next(request: Request, cursor: str | None) -> str | None:
    """The relative URL of the next page: this request's, with the new cursor."""
    if cursor is None:
        return None
    params = {**request.query_params, "cursor": cursor}
    return f"{request.url.path}?{urlencode(params)}"


@router.get("", response_model=Obj, summary="What this API offers")
def index(request: Request) -> Obj:
    """The endpoints, and where the OpenAPI schema is."""
    paths = sorted(p for p in request.app.openapi()["paths"] if p.startswith("/api"))
    return {"name": "redline", "openapi": "/openapi.json", "docs": "/api/docs",
            "endpoints": paths}


@router.get("/health", response_model=Obj, summary="Whether the database answers")
def health(s: Store) -> Response:
    return json_response(s.health())


@router.get("/stats", response_model=Obj, summary="Counts of what is stored")
def stats(s: Store) -> Response:
    """Articles, events, actor mentions, quotes, places, failed inputs; events by CAMEO root,
    by month of their own date and by modality (as ``redline stats --json``)."""
    return json_response(s.stats())


@router.get("/overview", response_model=Obj, summary="What the overview page shows")
def overview(s: Store, since: Since = None, until: Until = None,
             by: Annotated[TimelinePeriod, Query()] = "auto",
             top: Annotated[int, Query(ge=1, le=50)] = 10) -> Response:
    """Counts, events per period by quad class, the top dyads and the event locations."""
    return json_response(s.overview(since=_day(since), until=_day(until), by=by, top=top))


@router.get("/events", response_model=Obj,
            summary="Events, filtered, newest first, a page at a time")
def events(request: Request, s: Store, f: Filters, limit: Limit = DEFAULT_LIMIT,
           cursor: Cursor = None) -> Response:
    """Every column of each event plus its article's date, title, url and source. Follow
    ``next`` for the next page (absent on the last one)."""
    out = s.events(f, limit=limit, cursor=cursor)
    out["next"] = _next(request, out["cursor"])
    return json_response(out)


@router.get("/events/{event_id}", response_model=Obj, summary="One event")
def event(s: Store, event_id: Annotated[int, Path(ge=1, le=SQLITE_INT[1])]) -> Response:
    return json_response(s.event(event_id))


@router.get("/articles/{article_id:path}", response_model=Obj,
            summary="One article, its text and what was coded")
def article(s: Store, article_id: Annotated[str, Path(max_length=300)]) -> Response:
    """The article's columns and text, with its events, quotes, actor mentions, places and
    sentences (offsets are character offsets into ``text``)."""
    return json_response(s.article(article_id))


@router.get("/timeline", response_model=Obj, summary="Events per period by quad class")
def timeline(s: Store, f: Filters,
             by: Annotated[TimelinePeriod, Query()] = "auto") -> Response:
    """Over since-until, or else the span of the articles' dates; events outside the range
    are counted in ``before``/``after``."""
    return json_response(s.timeline(f, by))


@router.get("/locations", response_model=Obj, summary="Where events happened")
def locations(s: Store, f: Filters) -> Response:
    return json_response(s.locations(f))


@router.get("/dyads", response_model=Obj, summary="The most active dyads")
def dyads(s: Store, top: Annotated[int, Query(ge=1, le=100)] = 10,
          by: Annotated[Period, Query()] = "week", since: Since = None, until: Until = None,
          include_hypothetical: bool = False) -> Response:
    """Directed dyads by number of event clusters, with highest rung, mean Goldstein score,
    trend and sparkline (as ``redline dyads``)."""
    return json_response(s.top_dyads(top=top, by=by, since=_day(since), until=_day(until),
                                     include_hypothetical=include_hypothetical))


@router.get("/dyads/{source}/{target}", response_model=Obj,
            summary="One dyad's series and escalation flags")
def dyad(s: Store,
         source: Annotated[str, Path(pattern=SPEC, max_length=200, description=(
             "Actor specs: RUS, RUSMIL, NATO+ (NATO and its members), comma-separated."))],
         target: Annotated[str, Path(pattern=SPEC, max_length=200)],
         by: Annotated[Period, Query()] = "week", both_ways: bool = False,
         since: Since = None, until: Until = None,
         include_hypothetical: bool = False) -> Response:
    """Per period (as ``redline series``): clusters, events, quad classes, PLOVER types,
    Goldstein mean, highest ladder rung, escalation flags, and the clusters behind the period
    with their events."""
    return json_response(s.dyad(source, target, by=by, both_ways=both_ways, since=_day(since),
                                until=_day(until), include_hypothetical=include_hypothetical))


@router.get("/alerts", response_model=Obj, summary="Alerts fired by redline watch, newest first")
def alerts(request: Request, s: Store,
           rule: Annotated[str | None, Query(max_length=200)] = None,
           state: Annotated[str | None, Query(max_length=200)] = None,
           limit: Limit = DEFAULT_LIMIT, cursor: Cursor = None) -> Response:
    out = s.alerts(rule=rule, state=state, limit=limit, cursor=cursor)
    out["next"] = _next(request, out["cursor"])
    return json_response(out)
