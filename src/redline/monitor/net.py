"""Bounded HTTP for the monitor: webhook POSTs and feed GETs.

One request (:func:`request`) has a deadline over its whole life - name lookup aside,
connect, TLS handshake, sending, and reading the status, headers and body: a timer shuts the
socket down when the deadline passes, so a server that trickles one byte a second cannot hold
it longer than ``timeout`` (a per-socket-operation timeout alone would let it). Redirects are
never followed here: a 3xx comes back as a :class:`Response` whose ``location`` the caller may
follow (:func:`get_following`, for feeds: http(s) only, at most :data:`MAX_REDIRECTS` hops).

:func:`check_url` is the load-time check for a URL redline will contact: http or https, a
host, and no spaces, control characters or non-ASCII characters (CR/LF would split headers).
"""

from __future__ import annotations

import contextlib
import http.client
import socket
import ssl
import threading
import time
import urllib.parse
from collections.abc import Mapping
from dataclasses import dataclass

from redline.errors import ConfigError

SCHEMES = ("http", "https")
MAX_REDIRECTS = 5
_USER_AGENT = "redline/0.1"


@dataclass(frozen=True, slots=True)
class Response:
    """The status, the ``Location`` header (for a 3xx) and the body (at most ``max_bytes``+1
    bytes, so that a caller can tell an over-long one)."""

    status: int
    reason: str
    location: str | None
    body: bytes


class RequestTimeout(TimeoutError):
    """The request's overall deadline passed."""


def check_url(url: str, what: str = "URL") -> str:
    """``url`` if redline may contact it; else :class:`ConfigError` naming it and the fault."""
    if not isinstance(url, str) or not url:
        raise ConfigError(f"{what} is empty")
    shown = url if url.isprintable() else repr(url)
    bad = next((c for c in url if ord(c) <= 0x20 or ord(c) >= 0x7F), None)
    if bad is not None:
        kind = "a space" if bad == " " else ("a non-ASCII character" if ord(bad) > 0x7F
                                              else "a control character (CR, LF, tab, ...)")
        raise ConfigError(f"{what} {shown} contains {kind}; percent-encode it")
    try:
        parts = urllib.parse.urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise ConfigError(f"{what} {shown} is not a valid URL ({exc})") from None
    if parts.scheme.lower() not in SCHEMES:
        scheme = f"{parts.scheme}:" if parts.scheme else "no scheme"
        raise ConfigError(f"{what} {shown}: {scheme} is not allowed; use http:// or https://")
    if not parts.hostname:
        raise ConfigError(f"{what} {shown} names no host")
    if parts.username is not None or parts.password is not None:
        raise ConfigError(f"{what} {shown}: user names and passwords in the URL are not "
                          "supported (put a token in the path or query)")
    if port == 0:
        raise ConfigError(f"{what} {shown}: port 0 is not a valid port")
    return url


def _connection(url: str, timeout: float) -> tuple[http.client.HTTPConnection, str]:
    parts = urllib.parse.urlsplit(url)
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    if parts.scheme.lower() == "https":
        conn: http.client.HTTPConnection = http.client.HTTPSConnection(
            parts.hostname or "", parts.port, timeout=timeout,
            context=ssl.create_default_context())
    else:
        conn = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=timeout)
    return conn, path


class _Deadline:
    """Shuts ``conn``'s socket down when ``seconds`` have passed."""

    def __init__(self, conn: http.client.HTTPConnection, seconds: float) -> None:
        self.conn, self.passed = conn, False
        self.timer = threading.Timer(max(seconds, 0.0), self._fire)
        self.timer.daemon = True
        self.timer.start()

    def _fire(self) -> None:
        self.passed = True
        sock = self.conn.sock
        if sock is not None:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)

    def check(self) -> None:
        if self.passed:
            raise RequestTimeout("timed out")

    def cancel(self) -> None:
        self.timer.cancel()


def request(method: str, url: str, *, body: bytes | None = None,
            headers: Mapping[str, str] | None = None, timeout: float = 10.0,
            max_bytes: int = 65_536) -> Response:
    """One HTTP request to ``url`` (checked by :func:`check_url` first) that takes at most
    ``timeout`` seconds in all; redirects are returned, not followed. Raises
    :class:`RequestTimeout` when the deadline passes, :class:`OSError` (or
    :class:`http.client.HTTPException`) when the connection fails."""
    check_url(url)
    start = time.monotonic()
    conn, path = _connection(url, timeout)
    deadline = _Deadline(conn, timeout)
    try:
        conn.connect()
        deadline.check()
        conn.request(method, path, body=body, headers={
            "User-Agent": _USER_AGENT, **(headers or {})})
        resp = conn.getresponse()
        data = resp.read(max_bytes + 1)
        deadline.check()
        return Response(resp.status, resp.reason, resp.getheader("Location"), data)
    except (OSError, http.client.HTTPException, ValueError) as exc:
        if deadline.passed or time.monotonic() - start >= timeout:
            raise RequestTimeout(f"timed out after {timeout:g} s") from None
        if isinstance(exc, ValueError):  # http.client's own check of a URL or header
            raise OSError(str(exc)) from None
        raise
    finally:
        deadline.cancel()
        conn.close()


def get_following(url: str, *, timeout: float, max_bytes: int,
                  max_redirects: int = MAX_REDIRECTS,
                  headers: Mapping[str, str] | None = None) -> tuple[Response, str]:
    """GET ``url``, following at most ``max_redirects`` redirects, each to an http(s) URL
    (checked before it is contacted); ``timeout`` bounds each hop. Returns the final response
    and its URL. Raises :class:`ConfigError` for a redirect redline refuses to follow."""
    hops = 0
    while True:
        resp = request("GET", url, headers=headers, timeout=timeout, max_bytes=max_bytes)
        if resp.status not in (301, 302, 303, 307, 308):
            return resp, url
        if not resp.location:
            return resp, url
        if hops >= max_redirects:
            raise ConfigError(f"more than {max_redirects} redirects (last to {resp.location})")
        target = urllib.parse.urljoin(url, resp.location)
        check_url(target, "redirect target")
        url, hops = target, hops + 1


__all__ = ["MAX_REDIRECTS", "SCHEMES", "RequestTimeout", "Response", "check_url",
           "get_following", "request"]
