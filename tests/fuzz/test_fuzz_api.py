"""Property-based test of the HTTP API's parameters: any value of any query or path parameter
of any ``/api`` route gives a status below 500 (a bad value is a 4xx error, never a crash).

The routes and their parameters are read from the app's own OpenAPI schema, so a route or a
parameter added later is fuzzed too. The app runs in-process (Starlette's TestClient) on the
web tests' small corpus, built into a database of this module's own.
"""

from __future__ import annotations

import base64
import json
import sys
from pathlib import Path
from urllib.parse import quote, quote_from_bytes

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "web"))
from web_corpus import build  # noqa: E402  (the web tests' corpus builder)

from redline.web.api import router  # noqa: E402


def _cursor(value: object) -> str:
    raw = json.dumps(value, allow_nan=True).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


HUGE = [10**30, -(10**30), 2**63, 2**63 - 1, -(2**63) - 1, 10**400]
crafted = st.sampled_from([
    "", " ", "0", "-1", "1", "500", "501", "99999999999999999999999", "1e309", "nan", "inf",
    "-0", "0x10", "true", "false", "null", "9999-12-31", "0001-01-01", "10000-01-01",
    "9999-12-20", "2025-02-29", "2025-13-01", "1970-01-01", "auto", "week", "day", "year",
    "RUS", "RUS+", "NATO+", "RUS,POL", "'; DROP TABLE events; --", "%", "_", "*", "..",
    "../../etc/passwd", "a" * 201, "a" * 5000, "\x00", "<script>", "\u202e", "Москва",
])
cursors = st.one_of(
    st.builds(_cursor, st.one_of(
        st.sampled_from(HUGE), st.lists(st.one_of(st.sampled_from(HUGE), st.text(max_size=5),
                                                  st.integers(), st.floats()), max_size=3),
        st.just(["2025-03-05", 10**30]), st.just(["9999-12-31", 2**63]), st.just([None, 1]))),
    st.text("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_", max_size=60))
no_surrogates = st.characters(exclude_categories=["Cs"])
values = st.one_of(
    crafted, cursors, st.text(no_surrogates, max_size=40),
    st.integers().map(str), st.floats().map(str), st.dates().map(str),
    st.binary(max_size=30),  # raw bytes, percent-encoded as they are (invalid UTF-8 too)
)

ROUTES = sorted({r.path.replace(":path}", "}") for r in router.routes})
DUMMY = {"event_id": "1", "article_id": "a", "source": "RUS", "target": "POL"}


def _enc(value: str | bytes) -> str:
    return quote_from_bytes(value, safe="") if isinstance(value, bytes) else quote(value, safe="")


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory):
    """(client, [(route, [(name, where)])]) for every /api route of an app on a fresh corpus."""
    from fastapi.testclient import TestClient

    from redline.web import create_app

    db = build(tmp_path_factory.mktemp("fuzz-api") / "web.db")
    with TestClient(create_app(db), base_url="http://localhost",
                    raise_server_exceptions=False) as client:
        paths = client.get("/openapi.json").json()["paths"]
        routes = {route: [(p["name"], p["in"]) for p in op["get"].get("parameters", [])]
                  for route, op in paths.items() if route.startswith("/api") and "get" in op}
        assert set(routes) == set(ROUTES)
        yield client, routes


@pytest.mark.parametrize("route", ROUTES)
@settings(max_examples=min(settings.default.max_examples, 1000))  # per route
@given(data=st.data())
def test_fuzz_api_parameters(api, route: str, data: st.DataObject) -> None:
    client, routes = api
    params = routes[route]
    names = [*params, ("junk", "query")]
    chosen = data.draw(st.lists(st.sampled_from(names), min_size=1, max_size=3, unique=True),
                       label="parameters")
    segments = {name: DUMMY.get(name, "x") for name, where in params if where == "path"}
    query = []
    for name, where in chosen:
        value = data.draw(values, label=name)
        if where == "path":
            segments[name] = value
        else:
            query.append(f"{quote(name)}={_enc(value)}")
    path = route
    for name, value in segments.items():
        path = path.replace("{" + name + "}", _enc(value))
    url = path + ("?" + "&".join(query) if query else "")
    response = client.get(url)
    assert response.status_code < 500, (url, response.status_code, response.text[:300])
