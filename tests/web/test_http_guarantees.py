"""The HTTP API's guarantees against a hostile client (issue 16): a bad parameter is a 422
naming it, never a 500; an unknown ``Host`` is a 400; ``HEAD`` answers wherever ``GET`` does;
every response, a 500 included, carries the security headers; one handler maps each error
class to its status and code; the connection pool never serves a replaced or deleted file."""

from __future__ import annotations

import http.client
import inspect
import shutil
from pathlib import Path
from typing import Any

import pytest
from fastapi.routing import APIRoute
from web_corpus import build
from web_server import start_server, stop_server

import redline.errors as errors_module
from redline.errors import RedlineError
from redline.web.data import encode_cursor

LOCAL = "http://localhost"
SECURITY = ("content-security-policy", "x-frame-options", "x-content-type-options",
            "referrer-policy")
HUGE = 2**70


def error_of(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text[:300]
    return response.json()["error"]


def names_parameter(err: dict[str, Any], param: str) -> bool:
    params = {d.get("parameter") for d in err.get("detail") or []}
    return param in params or err["message"].startswith(param) or f" {param}" in err["message"]


# --- 422, never 500 ----------------------------------------------------------------------------


@pytest.mark.parametrize(("url", "param"), [
    (f"/api/events?cursor={encode_cursor(['2024-01-01', HUGE])}", "cursor"),
    (f"/api/events?cursor={encode_cursor(['2024-01-01', -HUGE])}", "cursor"),
    (f"/api/alerts?cursor={encode_cursor(HUGE)}", "cursor"),
    (f"/events?cursor={encode_cursor(['2024-01-01', HUGE])}", "cursor"),
    (f"/alerts?cursor={encode_cursor(HUGE)}", "cursor"),
    ("/api/timeline?since=9999-12-20&until=9999-12-31", "until"),
    ("/api/timeline?since=9999-12-31&until=9999-12-31&by=year", "until"),
    ("/api/overview?since=9999-12-20&until=9999-12-31", "until"),
    ("/?since=9999-12-20&until=9999-12-31", "until"),
    ("/api/events?since=10000-01-01", "since"),
    ("/api/events?since=2024-02-30", "since"),
    ("/api/events?until=yesterday", "until"),
    ("/api/events?limit=-1", "limit"),
    ("/api/events?limit=0", "limit"),
    ("/api/events?limit=100000000000000000000000", "limit"),
    ("/api/events?limit=nan", "limit"),
    ("/api/events?limit=1e309", "limit"),
    ("/api/alerts?limit=-5", "limit"),
    ("/api/dyads?top=nan", "top"),
    ("/api/dyads?top=-3", "top"),
    ("/api/overview?top=100000", "top"),
    ("/api/events?modality=maybe", "modality"),
    ("/api/timeline?by=fortnight", "by"),
    ("/api/dyads?by=decade", "by"),
    ("/api/dyads/RUS/UKR?both_ways=perhaps", "both_ways"),
    ("/dyad/RUS/UKR?by=fortnight", "by"),
    ("/?by=fortnight", "by"),
    (f"/api/events/{HUGE}", "event_id"),
    ("/api/events/-1", "event_id"),
])
def test_a_bad_parameter_is_422_naming_it(client, url: str, param: str) -> None:
    err = error_of(client.get(url), 422)
    assert err["code"] == "bad_parameter"
    assert names_parameter(err, param), err


def test_an_event_id_past_sqlites_integers_on_a_page_is_404(client) -> None:
    assert error_of(client.get(f"/event/{HUGE}"), 404)["code"] == "not_found"


HOSTILE = ["9999-12-31", "0001-01-01", "-1", "nan", "1e309", str(HUGE), "", "\x00x",
           "%27;DROP", encode_cursor(["9999-12-31", HUGE]), encode_cursor(-HUGE)]


def _get_routes() -> list[tuple[str, list[str]]]:
    """Every GET route of the app (API and pages) with its query parameters, path parameters
    filled with a plausible value."""
    from redline.web import api, pages

    out = []
    for route in [*api.router.routes, *pages.router.routes]:
        if isinstance(route, APIRoute) and "GET" in route.methods:
            path = (route.path.replace("{event_id}", "1").replace("{source}", "RUS")
                    .replace("{target}", "UKR").replace("{article_id:path}", "a1")
                    .replace("{article_id}", "a1"))
            out.append((path, [p.alias for p in route.dependant.query_params]))
    return out


def test_no_query_parameter_of_any_route_gives_a_500(client) -> None:
    """Every declared query parameter of every GET route, API and pages, with hostile
    values; and the dates at the calendar's ends in pairs."""
    seen = 0
    for path, params in _get_routes():
        for param in params:
            for value in HOSTILE:
                r = client.get(path, params={param: value})
                assert r.status_code < 500, (path, param, value, r.text[:200])
                seen += 1
        if "since" in params and "until" in params:
            for since, until in (("9999-12-31", "9999-12-31"), ("0001-01-01", "0001-01-02"),
                                 ("0001-01-01", "9999-12-31")):
                r = client.get(path, params={"since": since, "until": until})
                assert r.status_code < 500, (path, since, until, r.text[:200])
    assert seen > 300  # the routes were found


# --- Host --------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def app(web_db: Path):
    from redline.web import create_app

    return create_app(web_db)


def _with_host(app: Any, base: str):
    from fastapi.testclient import TestClient

    return TestClient(app, base_url=base)


@pytest.mark.parametrize("base", ["http://evil.example", "http://attacker.com:8000",
                                  "http://localhost.evil.example", "http://10.0.0.5"])
def test_an_unknown_host_is_400(app, base: str) -> None:
    with _with_host(app, base) as c:
        for url in ("/api/stats", "/", "/static/style.css"):
            r = c.get(url)
            err = error_of(r, 400)
            assert err["code"] == "host_not_allowed" and "--allow-host" in err["message"]
            assert all(h in r.headers for h in SECURITY)


@pytest.mark.parametrize("base", ["http://localhost", "http://localhost:8000",
                                  "http://127.0.0.1:9", "http://[::1]:8000", "http://LOCALHOST."])
def test_the_loopback_names_are_served(app, base: str) -> None:
    with _with_host(app, base) as c:
        assert c.get("/api/health").status_code == 200


def test_allowed_hosts_and_ip_literals(web_db: Path) -> None:
    from redline.web import create_app

    app = create_app(web_db, hosts=["dash.example.org", "*.corp.example"], any_ip_host=True)
    for base, status in (("http://dash.example.org", 200), ("http://a.corp.example", 200),
                         ("http://corp.example", 400), ("http://10.0.0.5:80", 200),
                         ("http://[fe80::1]", 200), ("http://evil.example", 400)):
        with _with_host(app, base) as c:
            assert c.get("/api/health").status_code == status, base


def test_which_hosts_the_cli_serves() -> None:
    import socket

    from redline.cli.serve import served_hosts

    assert served_hosts("127.0.0.1", ()) == (["127.0.0.1"], False)
    assert served_hosts("192.168.1.5", ("proxy.example",)) == (
        ["192.168.1.5", "proxy.example"], False)
    names, any_ip = served_hosts("0.0.0.0", ("proxy.example",))
    assert any_ip and "proxy.example" in names and socket.gethostname() in names
    assert "0.0.0.0" not in names


def _raw_get(base: str, path: str, host: str, method: str = "GET") -> http.client.HTTPResponse:
    port = int(base.rsplit(":", 1)[1])
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request(method, path, headers={"Host": host})
    return conn.getresponse()


def test_the_real_server_checks_host_with_allow_host_and_workers(web_db: Path,
                                                                 tmp_path: Path) -> None:
    proc, base = start_server(web_db, tmp_path / "serve.log", "--allow-host",
                              "dash.example.org", "--workers", "2")
    try:
        assert _raw_get(base, "/api/health", "evil.example").status == 400
        assert _raw_get(base, "/api/health", "dash.example.org:443").status == 200
        assert _raw_get(base, "/api/health", "localhost").status == 200
        head = _raw_get(base, "/api/stats", "localhost", "HEAD")
        assert head.status == 200 and head.read() == b""
    finally:
        stop_server(proc)


# --- HEAD --------------------------------------------------------------------------------------


def test_head_answers_wherever_get_does(client) -> None:
    urls = [path for path, _ in _get_routes()] + [
        "/api/events/1", "/static/style.css", "/openapi.json", "/dyad/RUS/UKR"]
    ok = 0
    for url in urls:
        got = client.get(url, follow_redirects=False)
        head = client.head(url, follow_redirects=False)
        assert head.status_code == got.status_code, url
        assert head.content == b"", url
        assert head.headers.get("content-type") == got.headers.get("content-type"), url
        assert all(h in head.headers for h in SECURITY), url
        ok += got.status_code == 200
    assert ok >= 15


# --- security headers on errors and 500s -------------------------------------------------------


def test_a_500_carries_the_security_headers(web_db: Path) -> None:
    from fastapi.testclient import TestClient

    from redline.web import create_app

    app = create_app(web_db)

    @app.get("/api/boom")
    def boom() -> None:
        raise RuntimeError("secret internals")

    @app.get("/boom-page")
    def boom_page() -> None:
        raise ZeroDivisionError("more secrets")

    with TestClient(app, raise_server_exceptions=False, base_url=LOCAL) as c:
        for url, accept in (("/api/boom", "application/json"), ("/boom-page", "text/html")):
            r = c.get(url, headers={"Accept": accept})
            assert r.status_code == 500
            assert all(h in r.headers for h in SECURITY), (url, dict(r.headers))
            assert "secret" not in r.text and "Traceback" not in r.text
            assert r.headers["x-frame-options"] == "DENY"
        assert "internal_error" in c.get("/api/boom").text


# --- one handler, each class its status --------------------------------------------------------


def _error_classes() -> list[type[RedlineError]]:
    found, todo = [], [RedlineError]
    while todo:
        cls = todo.pop()
        found.append(cls)
        todo += cls.__subclasses__()
    return sorted(set(found), key=lambda c: c.__name__)


def _instance(cls: type[RedlineError]) -> RedlineError:
    n = len([p for p in inspect.signature(cls.__init__).parameters.values()
             if p.name != "self" and p.default is inspect.Parameter.empty
             and p.kind is p.POSITIONAL_OR_KEYWORD])
    return cls(*(["thing", "what is wrong"][2 - min(n, 2):] or ["what is wrong"]))


def test_every_error_class_declares_a_status_and_a_code() -> None:
    classes = _error_classes()
    assert len(classes) >= 20
    for cls in classes:
        assert 400 <= cls.status <= 599 and cls.code.isidentifier(), cls
    from redline.errors import QueryTimeout, StoreInputError

    assert StoreInputError.status == 422 and QueryTimeout.status == 503


def test_old_import_paths_are_the_same_classes() -> None:
    from redline.monitor.follow import FeedError
    from redline.monitor.plot import PlotError
    from redline.monitor.watch import RuleError
    from redline.store import errors as store_errors
    from redline.web import data

    assert data.BadParameter is errors_module.BadParameter
    assert data.NotFound is errors_module.NotFound
    assert data.QueryTimeout is errors_module.QueryTimeout
    assert store_errors.StoreError is errors_module.StoreError
    assert (RuleError, FeedError, PlotError) == (
        errors_module.RuleError, errors_module.FeedError, errors_module.PlotError)


def test_one_handler_maps_each_error_class_to_its_status(web_db: Path) -> None:
    from fastapi.testclient import TestClient

    from redline.web import create_app

    app = create_app(web_db)
    classes = {cls.__name__: cls for cls in _error_classes()}

    @app.get("/api/raise/{name}")
    def raise_it(name: str) -> None:
        raise _instance(classes[name])

    with TestClient(app, raise_server_exceptions=False, base_url=LOCAL) as c:
        for name, cls in classes.items():
            r = c.get(f"/api/raise/{name}")
            err = error_of(r, cls.status)
            assert err["code"] == cls.code, name
            assert "what is wrong" in err["message"], name
            assert all(h in r.headers for h in SECURITY), name
            for header, value in cls.headers.items():
                assert r.headers[header] == value

    @app.get("/raise/{name}")
    def raise_on_a_page(name: str) -> None:
        raise _instance(classes[name])

    with TestClient(app, raise_server_exceptions=False, base_url=LOCAL) as c:
        for name, cls in classes.items():
            page = c.get(f"/raise/{name}", headers={"Accept": "text/html"})
            assert page.status_code == cls.status, name
            assert "text/html" in page.headers["content-type"] and cls.code.replace(
                "_", " ") in page.text, name


def test_a_store_input_error_is_422_and_a_database_error_503(web_db: Path) -> None:
    from redline.store import queries
    from redline.store.errors import DatabaseError, StoreInputError

    with pytest.raises(StoreInputError) as bad:
        queries.page_events(web_db, limit=0)
    assert bad.value.status == 422 and isinstance(bad.value, errors_module.StoreError)
    from redline.store.db import open_db

    with pytest.raises(DatabaseError) as gone:
        open_db(web_db.parent / "nothing-here.db")
    assert gone.value.status == 503 and gone.value.code == "database_missing"


# --- the connection pool ----------------------------------------------------------------------


def test_the_pool_never_serves_a_replaced_or_deleted_file(tmp_path: Path) -> None:
    from fastapi.testclient import TestClient

    from redline.web import create_app

    db = build(tmp_path / "served.db", alerts=False)
    other = build(tmp_path / "other.db", alerts=False)
    app = create_app(db)
    with TestClient(app, base_url=LOCAL) as c:
        first = c.get("/api/health").json()
        assert first["events"] == 28
        assert app.state.store.pool._idle.qsize() >= 1  # a connection is kept
        # another file at the path (an atomic replace, as a copy-then-rename would do)
        shutil.copy(other, tmp_path / "next.db")
        for p in tmp_path.glob("served.db*"):
            p.unlink()
        (tmp_path / "next.db").rename(db)
        assert c.get("/api/health").status_code == 200
        assert app.state.store.pool._idle.qsize() == 1  # the old connection was closed
        for p in tmp_path.glob("served.db*"):
            p.unlink()
        err = error_of(c.get("/api/stats"), 503)
        assert err["code"] == "database_missing"


def test_pooled_connections_are_read_only(web_db: Path, fingerprint) -> None:
    import sqlite3

    from redline.web.data import WebStore

    before = fingerprint(web_db)
    ws = WebStore(str(web_db))
    for _ in range(3):
        with ws.connect() as conn, pytest.raises(sqlite3.OperationalError):
            conn.execute("DELETE FROM events")
    assert ws.pool._idle.qsize() == 1
    assert fingerprint(web_db) == before
