"""The web app: the JSON API under ``/api`` and the dashboard pages, on one event database.

:func:`create_app` builds it; ``redline serve`` runs it with uvicorn. The database is checked
once at start (:func:`check_database`): a missing file, or one from another redline version,
stops the server with one clear message instead of failing every request. The app only reads:
each request opens the file read-only, with a time limit per query.

Offline by construction: FastAPI's Swagger and ReDoc pages (which load scripts from a CDN) are
turned off (``/api/docs`` renders the OpenAPI schema itself), every asset is served from
``/static``, and a Content-Security-Policy forbids loading anything from another origin.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Awaitable, Callable
from pathlib import Path

from fastapi import FastAPI, Request, Response
from fastapi.staticfiles import StaticFiles

from redline._version import __version__
from redline.store.db import open_db
from redline.store.errors import MissingDatabaseError, SchemaVersionError
from redline.store.schema import SCHEMA_VERSION
from redline.web.data import DEFAULT_TIME_LIMIT, WebStore

log = logging.getLogger(__name__)

STATIC = Path(__file__).parent / "static"

CSP = ("default-src 'self'; img-src 'self'; style-src 'self'; script-src 'self'; "
       "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; "
       "form-action 'self'; frame-ancestors 'none'")
"""Nothing from another origin, no inline script or style."""

DB_ENV = "REDLINE_SERVE_DB"
TIME_LIMIT_ENV = "REDLINE_SERVE_TIME_LIMIT"


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
               check: bool = True) -> FastAPI:
    """The app serving ``db`` (checked first with :func:`check_database` unless ``check`` is
    false); each query may run ``time_limit`` seconds."""
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
    app.state.store = WebStore(path, time_limit)

    @app.middleware("http")
    async def security_headers(request: Request,
                               call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        response = await call_next(request)
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "no-referrer")
        response.headers.setdefault("X-Frame-Options", "DENY")
        if request.url.path.startswith("/static/"):
            response.headers.setdefault("Cache-Control", "public, max-age=3600")
        return response

    app.include_router(api.router)
    app.include_router(pages.router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    errors.install(app, pages.error_page)
    log.info("serving %s (query time limit %s s)", path, time_limit)
    return app


def app_from_env() -> FastAPI:
    """The app for ``redline serve --reload``: uvicorn re-imports it in a fresh process, so
    the database and time limit travel in environment variables."""
    limit = os.environ.get(TIME_LIMIT_ENV, "")
    return create_app(os.environ.get(DB_ENV, "redline.db"),
                      time_limit=float(limit) if limit else None)
