"""One error shape for every error the app returns, and the guard around every request.

Every error, whether raised by redline, by FastAPI's parameter checks, by routing (unknown
path, wrong method), by the guard or unexpected, comes out as::

    {"error": {"status": 422, "code": "bad_parameter", "message": "...", "detail": ...}}

with that HTTP status, so a client needs one error handler. A browser asking for a dashboard
page (``Accept: text/html``, outside ``/api``) gets the same information as an HTML page.

The status and code of redline's own errors are those the exception class carries (see the
tree in :mod:`redline.errors`: ``bad_parameter`` 422, ``not_found`` 404,
``host_not_allowed`` 400, ``database_missing``, ``database_unusable`` and ``query_timeout``
503, ...); one handler renders them all. FastAPI's and Starlette's own errors are mapped onto
the same shape (``bad_parameter`` 422, ``not_found`` 404, ``method_not_allowed`` 405); anything
unexpected is ``internal_error`` 500, with the traceback in the log and never in the response.

:class:`Guard` is the outermost layer (a plain ASGI middleware, so that it sees every response,
500s included): it refuses a ``Host`` header the server does not serve (DNS rebinding), answers
``HEAD`` like ``GET`` without the body, turns an unexpected exception into the 500 above, and
puts the security headers (Content-Security-Policy, nosniff, Referrer-Policy,
X-Frame-Options) on every response.
"""

from __future__ import annotations

import ipaddress
import logging
from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from starlette.datastructures import MutableHeaders
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from redline.errors import BadParameter, HostNotAllowed, RedlineError

log = logging.getLogger(__name__)

_CODES = {400: "bad_request", 404: "not_found", 405: "method_not_allowed",
          422: "bad_parameter", 500: "internal_error", 503: "database_unusable"}

HtmlRenderer = Callable[[Request, dict[str, Any]], HTMLResponse]

CSP = ("default-src 'self'; img-src 'self'; style-src 'self'; script-src 'self'; "
       "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; "
       "form-action 'self'; frame-ancestors 'none'")
"""Nothing from another origin, no inline script or style."""

SECURITY_HEADERS = (
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
)

LOCAL_HOSTS = ("localhost", "127.0.0.1", "::1")
"""The host names a server always answers to: this machine's loopback names."""


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


class ErrorRenderer:
    """Turns an error into the response: JSON, or an HTML page for a browser."""

    def __init__(self, render_html: HtmlRenderer | None) -> None:
        self.render_html = render_html

    def respond(self, request: Request, status: int, code: str, message: str,
                detail: Any = None, headers: dict[str, str] | None = None) -> Response:
        body = error_body(status, code, message, detail)
        if self.render_html is not None and _wants_html(request):
            try:
                page = self.render_html(request, body["error"])
                page.status_code = status
                if headers:
                    page.headers.update(headers)
                return page
            except Exception:  # noqa: BLE001 - the error page itself failed: answer in JSON
                log.exception("cannot render the error page for %s", request.url.path)
        return JSONResponse(body, status_code=status, headers=headers)

    def redline(self, request: Request, exc: RedlineError) -> Response:
        """The one handler for every :class:`~redline.errors.RedlineError`: its class's
        ``status``, ``code`` and ``headers``."""
        if exc.status >= 500:
            log.error("%s on %s: %s", type(exc).__name__, request.url.path, exc)
        param = getattr(exc, "param", None)
        detail = [{"parameter": param, "message": str(exc)}] if param else None
        return self.respond(request, exc.status, exc.code, str(exc), detail,
                            headers=dict(exc.headers) or None)

    def unexpected(self, request: Request, exc: BaseException) -> Response:
        if isinstance(exc, RedlineError):
            return self.redline(request, exc)
        log.error("unexpected error on %s", request.url.path, exc_info=exc)
        return self.respond(request, 500, "internal_error",
                            "an unexpected error occurred; the server log has the details")


def install(app: FastAPI, render_html: HtmlRenderer) -> ErrorRenderer:
    """Register the handler for redline's errors and the adapters that put FastAPI's and
    Starlette's own errors into the same shape; returns the renderer (for :class:`Guard`)."""
    renderer = ErrorRenderer(render_html)

    @app.exception_handler(RedlineError)
    async def redline_error(request: Request, exc: RedlineError) -> Response:
        return renderer.redline(request, exc)

    @app.exception_handler(RequestValidationError)
    async def validation(request: Request, exc: RequestValidationError) -> Response:
        detail = _validation_detail(exc)
        first = detail[0] if detail else {"parameter": None, "message": "invalid request"}
        message = (f"{first['parameter']}: {first['message']}" if first["parameter"]
                   else first["message"])
        bad = BadParameter(message, first["parameter"])
        return renderer.respond(request, bad.status, bad.code, message, detail)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        status = exc.status_code
        message = str(exc.detail)
        if status == 404 and message == "Not Found":
            message = f"nothing at {request.url.path[:200]}; the API's paths are listed at /api"
        return renderer.respond(request, status, _CODES.get(status, f"http_{status}"), message,
                                headers=getattr(exc, "headers", None))

    return renderer


# --- the guard -----------------------------------------------------------------------------


@dataclass(frozen=True)
class HostRule:
    """Which ``Host`` headers a server answers: exact ``names`` (lower case, IPv6 without
    brackets), ``*.example.org`` suffixes, ``*`` for any; ``any_ip`` also accepts any IP
    address literal (safe against DNS rebinding, which needs a name; used when the server
    listens on every address)."""

    names: frozenset[str]
    any_ip: bool = False

    @classmethod
    def of(cls, names: Collection[str] | None = None, *, any_ip: bool = False) -> HostRule:
        given = LOCAL_HOSTS if names is None else (*LOCAL_HOSTS, *names)
        return cls(frozenset(_bare(n) for n in given if n), any_ip)

    def allows(self, header: str) -> bool:
        host = _bare(header)
        if not host:
            return False
        if "*" in self.names or host in self.names:
            return True
        if any(n.startswith("*.") and host.endswith(n[1:]) for n in self.names):
            return True
        return self.any_ip and _is_ip(host)


def _bare(host: str) -> str:
    """A Host header's name: lower case, without the port, the IPv6 brackets or a final dot."""
    host = host.strip().lower()
    if host.startswith("["):
        host = host[1:].partition("]")[0]
    elif host.count(":") == 1:
        host = host.partition(":")[0]
    return host.rstrip(".")


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


class Guard:
    """The outermost ASGI layer: Host check, ``HEAD``, security headers, the last-resort 500."""

    def __init__(self, app: ASGIApp, *, hosts: HostRule, renderer: ErrorRenderer) -> None:
        self.app, self.hosts, self.renderer = app, hosts, renderer

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        head = scope["method"] == "HEAD"
        if head:
            scope = {**scope, "method": "GET"}
        started = False
        static = scope["path"].startswith("/static/")

        async def guarded_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                _secure(message, static)
            elif head and message["type"] == "http.response.body":
                message = {**message, "body": b""}
            await send(message)

        try:
            host = next((v.decode("latin-1") for k, v in scope["headers"] if k == b"host"), "")
            if not self.hosts.allows(host):
                raise HostNotAllowed(
                    f"this server does not answer to the host {host[:100]!r}; it answers to "
                    f"{', '.join(sorted(self.hosts.names))} (add others with "
                    "redline serve --allow-host NAME)")
            await self.app(scope, receive, guarded_send)
        except Exception as exc:  # noqa: BLE001 - the last resort: one shape, headers, no trace
            if started:
                raise
            response = self.renderer.unexpected(_request(scope), exc)
            await response(scope, receive, guarded_send)


def _request(scope: Scope) -> Request:
    return Request(scope)


def _secure(message: Message, static: bool) -> None:
    headers = MutableHeaders(scope=message)
    for name, value in SECURITY_HEADERS:
        headers.setdefault(name.decode(), value.decode())
    if static:
        headers.setdefault("cache-control", "public, max-age=3600")
