"""The dashboard: server-rendered HTML pages, each built from one API call's JSON.

Each page calls the same :class:`~redline.web.data.WebStore` method as its JSON endpoint and
links to that endpoint with the same parameters, so what a page shows can always be fetched
as data. Filters travel as plain GET parameters: every view is a URL that can be shared.
Templates are Jinja2 with autoescaping; charts are inline SVG from :mod:`redline.web.charts`;
``static/app.js`` only adds conveniences (clicking evidence, clean filter URLs).
"""

from __future__ import annotations

import os
from functools import cache
from typing import Annotated, Any
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup, escape

from redline._version import __version__
from redline.monitor.ladder import actor_key
from redline.web import charts
from redline.web.api import store
from redline.web.data import DEFAULT_LIMIT, QUADS, BadParameter, EventParams, WebStore
from redline.web.highlight import Run, runs, spans_of

router = APIRouter(include_in_schema=False)

Text = Annotated[str | None, Query(max_length=300)]


@cache
def _env() -> Environment:
    env = Environment(loader=PackageLoader("redline.web", "templates"),
                      autoescape=select_autoescape(["html"]), trim_blocks=True,
                      lstrip_blocks=True)
    env.filters["q"] = lambda v: quote(str(v), safe="")
    env.globals.update(version=__version__, quads=QUADS, article_url=article_url,
                       dyad_url=dyad_url, party=_party)
    return env


def article_url(article_id: str, event_id: int | None = None) -> str:
    """The article page's URL (at one event's evidence when ``event_id`` is given)."""
    return f"/article/{quote(article_id, safe='')}" + (f"#e{event_id}" if event_id else "")


def _party(event: dict[str, Any], role: str) -> str | None:
    """The actor an event's dyad is counted under (``NATO``, not its class ``IGO``)."""
    return actor_key(event, role)


def dyad_url(source: str, target: str, **params: Any) -> str:
    """The dyad page's URL; ``params`` that are None, False or empty are left out."""
    kept = {k: ("1" if v is True else v) for k, v in params.items() if v not in (None, False, "")}
    path = f"/dyad/{quote(source, safe='+,')}/{quote(target, safe='+,')}"
    return path + (f"?{urlencode(kept)}" if kept else "")


def _render(request: Request, template: str, status: int = 200, **context: Any
            ) -> HTMLResponse:
    ws: WebStore = store(request)
    html = _env().get_template(template).render(
        request=request, db_name=os.path.basename(ws.path), **context)
    return HTMLResponse(html, status_code=status)


def error_page(request: Request, error: dict[str, Any]) -> HTMLResponse:
    """The HTML form of an error, for browsers (see :mod:`redline.web.errors`)."""
    return _render(request, "error.html", status=error["status"], page="error",
                   title=f"{error['status']} {error['code'].replace('_', ' ')}", error=error,
                   json_url=None)


def _clean(value: str | None) -> str | None:
    """An empty form field is no filter."""
    if value is None:
        return None
    value = value.strip()
    return value or None


def _flag(value: str | None) -> bool:
    return (value or "").lower() in ("1", "true", "on", "yes")


def _choice(value: str | None, allowed: tuple[str, ...], default: str, what: str) -> str:
    value = _clean(value) or default
    if value not in allowed:
        raise BadParameter(f"{what} {value[:40]!r} is not one of {', '.join(allowed)}", what)
    return value


def _query(**params: Any) -> str:
    kept = {k: ("true" if v is True else v) for k, v in params.items()
            if v not in (None, False, "")}
    return f"?{urlencode(kept)}" if kept else ""


# --- pages -------------------------------------------------------------------------------------


@router.get("/", response_class=HTMLResponse)
def overview_page(request: Request, since: Text = None, until: Text = None,
                  by: Text = None) -> HTMLResponse:
    ws = store(request)
    s, u = _clean(since), _clean(until)
    period = _choice(by, ("auto", "week", "month", "year"), "auto", "by")
    data = ws.overview(since=s, until=u, by=period)
    return _render(
        request, "overview.html", page="overview", title="Overview", data=data,
        form={"since": s or "", "until": u or "", "by": period},
        timeline_svg=charts.timeline(data["timeline"]["periods"]),
        map_svg=charts.world_map(data["locations"]["places"]),
        json_url="/api/overview" + _query(since=s, until=u,
                                          by=period if period != "auto" else None))


@router.get("/events", response_class=HTMLResponse)
def events_page(request: Request, actor: Text = None, source: Text = None,
                target: Text = None, cameo: Text = None, plover: Text = None,
                modality: Text = None, since: Text = None, until: Text = None,
                article: Text = None, q: Text = None, cursor: Text = None,
                limit: Annotated[int, Query(ge=1, le=500)] = DEFAULT_LIMIT) -> HTMLResponse:
    params = EventParams(actor=_clean(actor), source=_clean(source), target=_clean(target),
                         cameo=_clean(cameo), plover=_clean(plover),
                         modality=_clean(modality), since=_clean(since), until=_clean(until),
                         article=_clean(article), q=_clean(q))
    cursor = _clean(cursor)
    data = store(request).events(params, limit=limit, cursor=cursor)
    query = params.query()
    if limit != DEFAULT_LIMIT:
        query["limit"] = str(limit)
    page_query = _query(**query, cursor=cursor)
    next_url = ("/events" + _query(**query, cursor=data["cursor"])) if data["cursor"] else None
    return _render(request, "events.html", page="events", title="Events", data=data,
                   form=query, q=params.q or "", next_url=next_url,
                   first_url=("/events" + _query(**query)) if cursor else None,
                   json_url="/api/events" + page_query)


@router.get("/event/{event_id}")
def event_page(request: Request, event_id: int) -> RedirectResponse:
    """An event lives on its article's page: go there, to its evidence."""
    e = store(request).event(event_id)
    return RedirectResponse(article_url(e["article_id"], e["event_id"]), status_code=303)


@router.get("/dyad")
def dyad_form(source: Text = None, target: Text = None, by: Text = None,
              both_ways: Text = None, since: Text = None, until: Text = None,
              include_hypothetical: Text = None) -> RedirectResponse:
    """The dyad form's target: on to the dyad's own URL."""
    s, t = _clean(source), _clean(target)
    if not s or not t:
        raise BadParameter("give both a source and a target actor, like RUS and UKR", "source")
    return RedirectResponse(
        dyad_url(s.upper(), t.upper(), by=_clean(by), both_ways=_flag(both_ways),
                 since=_clean(since), until=_clean(until),
                 include_hypothetical=_flag(include_hypothetical)), status_code=303)


@router.get("/dyad/{source}/{target}", response_class=HTMLResponse)
def dyad_page(request: Request, source: str, target: str, by: Text = None,
              both_ways: Text = None, since: Text = None, until: Text = None,
              include_hypothetical: Text = None) -> HTMLResponse:
    period = _choice(by, ("day", "week", "month", "year"), "week", "by")
    opts = {"by": period, "both_ways": _flag(both_ways), "since": _clean(since),
            "until": _clean(until), "include_hypothetical": _flag(include_hypothetical)}
    data = store(request).dyad(source, target, **opts)
    active = [p for p in data["periods"] if p["clusters"]]
    json_query = _query(by=period if period != "week" else None, **{
        k: v for k, v in opts.items() if k != "by"})
    return _render(
        request, "dyad.html", page="dyad", title=f"{data['source']} → {data['target']}",
        data=data, form={**opts, "source": data["source"], "target": data["target"]},
        active=active, chart_svg=charts.dyad(data),
        json_url=f"/api/dyads/{quote(data['source'], safe='+,')}/"
                 f"{quote(data['target'], safe='+,')}{json_query}")


@router.get("/article/{article_id:path}", response_class=HTMLResponse)
def article_page(request: Request, article_id: str) -> HTMLResponse:
    data = store(request).article(article_id)
    return _render(request, "article.html", page="article",
                   title=data.get("title") or data["id"], data=data,
                   text_html=highlighted_text(data),
                   json_url=f"/api/articles/{quote(data['id'], safe='')}")


@router.get("/alerts", response_class=HTMLResponse)
def alerts_page(request: Request, rule: Text = None, state: Text = None,
                cursor: Text = None) -> HTMLResponse:
    r, st, c = _clean(rule), _clean(state), _clean(cursor)
    data = store(request).alerts(rule=r, state=st, cursor=c)
    return _render(request, "alerts.html", page="alerts", title="Alerts", data=data,
                   form={"rule": r or "", "state": st or ""},
                   next_url=("/alerts" + _query(rule=r, state=st, cursor=data["cursor"]))
                   if data["cursor"] else None,
                   json_url="/api/alerts" + _query(rule=r, state=st, cursor=c))


@router.get("/api/docs", response_class=HTMLResponse)
def api_docs(request: Request) -> HTMLResponse:
    """The OpenAPI schema as a page, drawn here: FastAPI's own docs load from a CDN."""
    schema = request.app.openapi()
    ops = []
    for path, methods in schema.get("paths", {}).items():
        for method, op in methods.items():
            params = []
            for p in op.get("parameters", []):
                sch = p.get("schema", {})
                kinds = sch.get("anyOf", [sch])
                types = [k.get("type") or k.get("format") for k in kinds if k.get("type") != "null"]
                enum = next((k["enum"] for k in kinds if "enum" in k), None)
                bounds = {k: v for kk in kinds for k, v in kk.items()
                          if k in ("pattern", "minimum", "maximum", "maxLength", "format")}
                params.append({"name": p["name"], "in": p["in"],
                               "required": p.get("required", False),
                               "type": "/".join(t for t in types if t) or "",
                               "enum": enum, "bounds": bounds, "default": sch.get("default"),
                               "description": p.get("description", "")})
            ops.append({"method": method.upper(), "path": path, "summary": op.get("summary", ""),
                        "description": op.get("description", ""), "params": params})
    return _render(request, "apidocs.html", page="apidocs", title="API", ops=ops,
                   info=schema.get("info", {}), json_url="/openapi.json")


# --- the article's text, highlighted -------------------------------------------------------------


def _event_tip(e: dict[str, Any]) -> str:
    parts = [f"{e['cameo']} {e.get('cameo_name') or ''}".strip()]
    if e.get("plover_type"):
        parts.append(e["plover_type"] + (f" ({e['plover_mode']})" if e.get("plover_mode")
                                         else ""))
    who = f"{e.get('source_code') or '?'} → {e.get('target_code') or '?'}"
    parts.append(who)
    parts.append(e["modality"])
    if e.get("event_date_start"):
        parts.append(e["event_date_start"] + (
            f"–{e['event_date_end']}" if e.get("event_date_end") not in (
                None, e["event_date_start"]) else ""))
    if e.get("location_name"):
        parts.append(e["location_name"])
    if e.get("rule"):
        parts.append(f"rule {e['rule']}")
    return "event: " + " · ".join(parts)


def _actor_tip(a: dict[str, Any]) -> str:
    bits = [a.get("name") or a["text"]]
    if a.get("code"):
        bits.append(a["code"])
    if a.get("role"):
        bits.append(a["role"])
    return "actor: " + " · ".join(bits) if a.get("code") else f"actor: {a['text']} (unresolved)"


def _quote_tip(q: dict[str, Any]) -> str:
    who = q.get("speaker_name") or q.get("speaker_text") or "unattributed"
    return f"{q.get('kind') or 'quote'} quotation: {who}"


def highlighted_text(article: dict[str, Any]) -> Markup:
    """The article's text with event evidence, actor mentions, quotations and cues wrapped in
    ``<span class="m ...">`` runs; each run's ``title`` lists what covers it and ``data-ev``
    the ids of the events whose evidence it is part of."""
    events = {e["event_id"]: e for e in article.get("events", [])}
    actors = {a["actor_index"]: a for a in article.get("actors", [])}
    quotes = {q["quote_index"]: q for q in article.get("quotes", [])}
    out = []
    for run in runs(article["text"], spans_of(article)):
        if not run.marked:
            out.append(str(escape(run.text)))
            continue
        out.append(_run_html(run, events, actors, quotes))
    return Markup("".join(out))


def _run_html(run: Run, events: dict[int, Any], actors: dict[int, Any],
              quotes: dict[int, Any]) -> str:
    classes = ["m"]
    attrs = []
    tips = []
    ev = run.ids("event")
    if ev:
        classes.append("ev")
        attrs.append(f'data-ev="{" ".join(str(i) for i in ev)}"')
        tips += [_event_tip(events[i]) for i in ev]
    if run.ids("actor"):
        classes.append("actor")
        code = actors[run.ids("actor")[0]].get("code")
        if code:
            attrs.append(f'data-actor="{escape(code)}"')
        else:
            classes.append("unresolved")
        tips += [_actor_tip(actors[i]) for i in run.ids("actor")]
    if run.ids("quote"):
        classes.append("quote")
        tips += [_quote_tip(quotes[i]) for i in run.ids("quote")]
    if run.ids("cue"):
        classes.append("cue")
        tips += ["quote cue"]
    return (f'<span class="{" ".join(classes)}" {" ".join(attrs)} '
            f'title="{escape(chr(10).join(tips))}">{escape(run.text)}</span>')
