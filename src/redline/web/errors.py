"""One error shape for every error the app returns.

Every error, whether raised by redline, by FastAPI's parameter checks, by routing (unknown
path, wrong method) or unexpected, comes out as::

    {"error": {"status": 422, "code": "bad_parameter", "message": "...", "detail": ...}}

with that HTTP status, so a client needs one error handler. A browser asking for a dashboard
page (``Accept: text/html``, outside ``/api``) gets the same information as an HTML page.

Codes: ``bad_parameter`` (422), ``not_found`` (404), ``method_not_allowed`` (405),
``database_missing``, ``database_unusable`` and ``query_timeout`` (503: the request was fine,
the database could not answer it), ``internal_error`` (500; the traceback goes to the log,
never to the client).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from redline.store.errors import MissingDatabaseError, StoreError
from redline.web.data import BadParameter, NotFound, QueryTimeout

log = logging.getLogger(__name__)

_CODES = {400: "bad_request", 404: "not_found", 405: "method_not_allowed",
          422: "bad_parameter", 500: "internal_error", 503: "database_unusable"}

HtmlRenderer = Callable[[Request, dict[str, Any]], HTMLResponse]


def error_body(status: int, code: str, message: str, detail: Any = None) -> dict[str, Any]:
    """The error object every error response carries."""
    return {"error": {"status": status, "code": code, "message": message, "detail": detail}}


def _wants_html(request: Request) -> bool:
    path = request.url.path
    return (not path.startswith("/api") and path != "/openapi.json"
            and "text/html" in request.headers.get("accept", ""))


def _validation_detail(exc: RequestValidationError) -> list[dict[str, Any]]:
    out = []
    for err in exc.errors():
        loc = [str(p) for p in err.get("loc", ())]
        out.append({"parameter": loc[-1] if loc else None, "in": loc[0] if loc else None,
                    "message": str(err.get("msg", "")), "type": str(err.get("type", ""))})
    return out


def install(app: FastAPI, render_html: HtmlRenderer) -> None:
    """Register the handlers that turn every error into the one shape."""

    def respond(request: Request, status: int, code: str, message: str,
                detail: Any = None, headers: dict[str, str] | None = None) -> Response:
        body = error_body(status, code, message, detail)
        if _wants_html(request):
            page = render_html(request, body["error"])
            page.status_code = status
            return page
        return JSONResponse(body, status_code=status, headers=headers)

    @app.exception_handler(RequestValidationError)
    async def validation(request: Request, exc: RequestValidationError) -> Response:
        detail = _validation_detail(exc)
        first = detail[0] if detail else {"parameter": None, "message": "invalid request"}
        message = (f"{first['parameter']}: {first['message']}" if first["parameter"]
                   else first["message"])
        return respond(request, 422, "bad_parameter", message, detail)

    @app.exception_handler(BadParameter)
    async def bad_parameter(request: Request, exc: BadParameter) -> Response:
        detail = [{"parameter": exc.param, "message": str(exc)}] if exc.param else None
        return respond(request, 422, "bad_parameter", str(exc), detail)

    @app.exception_handler(NotFound)
    async def not_found(request: Request, exc: NotFound) -> Response:
        return respond(request, 404, "not_found", str(exc))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        status = exc.status_code
        message = str(exc.detail)
        if status == 404 and message == "Not Found":
            message = f"nothing at {request.url.path[:200]}; the API's paths are listed at /api"
        return respond(request, status, _CODES.get(status, f"http_{status}"), message,
                       headers=getattr(exc, "headers", None))

    @app.exception_handler(QueryTimeout)
    async def timeout(request: Request, exc: QueryTimeout) -> Response:
        return respond(request, 503, "query_timeout", str(exc), headers={"Retry-After": "5"})

    @app.exception_handler(MissingDatabaseError)
    async def missing(request: Request, exc: MissingDatabaseError) -> Response:
        return respond(request, 503, "database_missing", str(exc))

    @app.exception_handler(StoreError)
    async def store_error(request: Request, exc: StoreError) -> Response:
        log.error("database error on %s: %s", request.url.path, exc)
        return respond(request, 503, "database_unusable", str(exc))

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> Response:
        log.exception("unexpected error on %s", request.url.path)
        return respond(request, 500, "internal_error",
                       "an unexpected error occurred; the server log has the details")
