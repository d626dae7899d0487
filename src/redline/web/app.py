"""The web app: the JSON API under ``/api`` and the dashboard pages, on one event database.

:func:`create_app` builds it; ``redline serve`` runs it with uvicorn. The database is checked
once at start (:func:`check_database`): a missing file, or one from another redline version,
stops the server with one clear message instead of failing every request. The app only reads:
requests take read-only connections from a small pool, with a time limit per query.

It answers only to the host names it is given (``Host`` header; by default this machine's
loopback names), so that a page on another site cannot read it through DNS rebinding; see
:class:`~redline.web.errors.Guard`, which also answers ``HEAD`` and puts the security headers
on every response, errors included.

Offline by construction: FastAPI's Swagger and ReDoc pages (which load scripts from a CDN) are
turned off (``/api/docs`` renders the OpenAPI schema itself), every asset is served from
``/static``, and a Content-Security-Policy forbids loading anything from another origin.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Collection
from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from redline._version import __version__
from redline.store.db import open_db
from redline.store.errors import MissingDatabaseError, SchemaVersionError
from redline.store.schema import SCHEMA_VERSION
from redline.web.data import DEFAULT_TIME_LIMIT, POOL_SIZE, WebStore
from redline.web.errors import CSP, Guard, HostRule

__all__ = ["CSP", "check_database", "create_app"]

log = logging.getLogger(__name__)

STATIC = Path(__file__).parent / "static"

DB_ENV = "REDLINE_SERVE_DB"
TIME_LIMIT_ENV = "REDLINE_SERVE_TIME_LIMIT"
HOSTS_ENV = "REDLINE_SERVE_HOSTS"
"""Comma-separated host names; a leading ``+`` entry means any IP address literal too."""


def check_database(path: str | os.PathLike[str]) -> None:
    """Refuse, with one message that says what to do, a database the server cannot serve:
    missing, not a redline database, written by a newer redline (all three decided by
    :func:`~redline.store.db.open_db`), or from an older one (the server never writes, so it
    cannot migrate it; any reading CLI command does)."""
    path = os.fspath(path)
    conn = open_db(path, time_limit=None, migrate=False)
    version = conn.version
    conn.close()
    if version == 0:
        raise MissingDatabaseError(
            f"{path} is empty: no event database yet; create one with: "
            f"redline ingest INPUT... --db {path}")
    if version < SCHEMA_VERSION:
        raise SchemaVersionError(
            f"{path} has schema version {version}, older than this redline's "
            f"{SCHEMA_VERSION}; the server only reads, so upgrade the file once with: "
            f"redline stats --db {path}")


def create_app(db: str | os.PathLike[str], *, time_limit: float | None = DEFAULT_TIME_LIMIT,
               check: bool = True, hosts: Collection[str] | None = None,
               any_ip_host: bool = False, pool_size: int = POOL_SIZE) -> FastAPI:
    """The app serving ``db`` (checked first with :func:`check_database` unless ``check`` is
    false); each query may run ``time_limit`` seconds. It answers to the ``Host`` names
    ``localhost``, ``127.0.0.1`` and ``::1`` plus ``hosts`` (``*.example.org`` for a domain's
    names, ``*`` for any), and to any IP address literal if ``any_ip_host``; any other Host
    gets a 400. Up to ``pool_size`` read-only connections are kept open between requests."""
    from redline.web import api, errors, pages

    path = os.fspath(db)
    if check:
        check_database(path)
    app = FastAPI(
        title="redline",
        version=__version__,
        summary="Political events coded from news: a read-only API over one event database.",
        description=(
            "Every error has one shape: `{\"error\": {\"status\", \"code\", \"message\", "
            "\"detail\"}}`. Lists page with an opaque `cursor`: pass the `cursor` a page "
            "returns (or follow its `next` URL) for the next page. `limit` is at most "
            f"{api.MAX_LIMIT}."),
        docs_url=None, redoc_url=None, openapi_url="/openapi.json")
    app.state.store = WebStore(path, time_limit, pool_size=pool_size)
    app.include_router(api.router)
    app.include_router(pages.router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    renderer = errors.install(app, pages.error_page)
    rule = HostRule.of(hosts, any_ip=any_ip_host)
    app.add_middleware(Guard, hosts=rule, renderer=renderer)
    log.info("serving %s (query time limit %s s; hosts %s%s)", path, time_limit,
             ", ".join(sorted(rule.names)), " and any IP address" if rule.any_ip else "")
    return app


def app_from_env() -> FastAPI:
    """The app for ``redline serve --reload`` or ``--workers``: uvicorn imports it in fresh
    processes, so the database, time limit and host names travel in environment variables."""
    limit = os.environ.get(TIME_LIMIT_ENV, "")
    names = [n for n in os.environ.get(HOSTS_ENV, "").split(",") if n]
    any_ip = bool(names) and names[0] == "+"
    return create_app(os.environ.get(DB_ENV, "redline.db"),
                      time_limit=float(limit) if limit else None,
                      hosts=names[1:] if any_ip else names, any_ip_host=any_ip)
