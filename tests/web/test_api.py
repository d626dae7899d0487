"""The JSON API, in-process (FastAPI's TestClient) on the web corpus: every endpoint, bad
parameters, injection attempts in every text parameter, the page-size cap, the error shape."""

from __future__ import annotations

import base64
import json
import sqlite3
from pathlib import Path
from urllib.parse import quote

import pytest
from web_corpus import HTML_TITLE, SLASH_ID

from redline import monitor, store
from redline.store import queries

ENDPOINTS = ["/api", "/api/health", "/api/stats", "/api/overview", "/api/events",
             "/api/events/{event_id}", "/api/articles/{article_id}", "/api/timeline",
             "/api/locations", "/api/dyads", "/api/dyads/{source}/{target}", "/api/alerts"]


def error_of(response, status: int) -> dict:
    """The error object, after checking the one shape every error has."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"}
    err = body["error"]
    assert set(err) == {"status", "code", "message", "detail"}
    assert err["status"] == status and isinstance(err["message"], str) and err["message"]
    return err


def all_ids(db: Path, **filters) -> set[int]:
    return {e["event_id"] for e in store.query_events(db, **filters)}


# --- index, schema, health, stats ------------------------------------------------------------


def test_index_lists_every_endpoint_and_the_schema_documents_them(client) -> None:
    index = client.get("/api").json()
    assert set(ENDPOINTS) <= set(index["endpoints"]) | {"/api"}
    schema = client.get("/openapi.json").json()
    documented = set(schema["paths"])
    for path in ENDPOINTS:
        assert path.replace("{article_id}", "{article_id}") in documented or path == "/api"
    events = schema["paths"]["/api/events"]["get"]
    limit = next(p for p in events["parameters"] if p["name"] == "limit")
    assert limit["schema"]["maximum"] == 500
    assert not any(p.startswith(("/docs", "/redoc")) for p in documented)


def test_swagger_and_redoc_pages_are_off_because_they_load_from_a_cdn(client) -> None:
    for path in ("/docs", "/redoc"):
        error_of(client.get(path), 404)


def test_health_and_stats_agree_with_the_store(client, web_db: Path) -> None:
    health = client.get("/api/health").json()
    s = store.stats(web_db)
    assert health["status"] == "ok" and health["events"] == s["events"] == 28
    assert health["articles"] == s["articles"] == 24
    assert client.get("/api/stats").json() == json.loads(json.dumps(s))


# --- events ----------------------------------------------------------------------------------


def test_events_first_page_is_newest_first_with_every_column(client, web_db: Path) -> None:
    body = client.get("/api/events").json()
    assert body["total"] == 28 and body["count"] == 28 and body["limit"] == 50
    assert body["cursor"] is None and body["next"] is None
    keys = [(e["event_date_start"] or "", e["event_id"]) for e in body["events"]]
    assert keys == sorted(keys, reverse=True)
    assert body["events"][-1]["event_date_start"] is None  # undated last
    first = body["events"][0]
    for col in ("evidence_text", "cameo", "plover_type", "source_code", "modality",
                "location_lat", "article_title", "article_url", "rule"):
        assert col in first


@pytest.mark.parametrize("filters", [
    {"actor": "RUS"}, {"actor": "UKR"}, {"source": "RUSMIL"}, {"target": "POL"},
    {"cameo": "19"}, {"cameo": "138"}, {"plover": "threaten"}, {"modality": "negated"},
    {"since": "2025-04-01", "until": "2025-04-10"}, {"article": "feature-1"},
    {"actor": "RUS", "cameo": "1", "modality": "asserted"},
])
def test_event_filters_give_what_the_store_gives(client, web_db: Path, filters) -> None:
    want = all_ids(web_db, **filters)
    assert want, "the filter should match something in the corpus"
    body = client.get("/api/events", params={**filters, "limit": 500}).json()
    assert {e["event_id"] for e in body["events"]} == want
    assert body["total"] == len(want)
    assert body["filters"] == filters


def test_text_search_matches_evidence_names_and_places(client) -> None:
    def ids(q: str) -> list[str]:
        return sorted(e["evidence_text"] for e in
                      client.get("/api/events", params={"q": q}).json()["events"])

    assert ids("air strikes") and all("air strikes" in t for t in ids("air strikes"))
    assert ids("RZESZOW")  # the place name, any case
    assert ids("Polish foreign minister") == []  # a speaker, not in any event
    assert ids("Russian_gas") == ["Poland imposed a 5% levy on Russian_gas imports"]


def test_text_search_wildcards_match_themselves(client) -> None:
    """``%`` and ``_`` are LIKE wildcards; unescaped they would match every event."""
    for q in ("%", "_", "5%"):
        found = client.get("/api/events", params={"q": q}).json()["events"]
        assert [e["evidence_text"] for e in found] == [
            "Poland imposed a 5% levy on Russian_gas imports"], q


def test_cursor_pagination_walks_every_event_once(client, web_db: Path) -> None:
    seen: list[int] = []
    url = "/api/events?limit=4&actor=RUS"
    pages = 0
    while url:
        body = client.get(url).json()
        assert body["count"] <= 4
        seen += [e["event_id"] for e in body["events"]]
        url = body["next"]
        pages += 1
        if url:
            assert url.startswith("/api/events?") and "actor=RUS" in url
    assert len(seen) == len(set(seen)) == len(all_ids(web_db, actor="RUS"))
    assert pages == -(-len(seen) // 4)


def test_the_cursor_is_opaque_but_a_forged_one_is_just_a_key(client) -> None:
    body = client.get("/api/events", params={"limit": 3}).json()
    assert body["cursor"] and "2025" not in body["cursor"]
    forged = base64.urlsafe_b64encode(
        json.dumps(["9999-12-31' OR 1=1 --", 10**6]).encode()).decode().rstrip("=")
    page = client.get("/api/events", params={"cursor": forged, "limit": 500}).json()
    # The forged date sorts after every real one: a valid key, so every event comes back.
    assert page["count"] == 28


def test_page_size_cap(client) -> None:
    assert client.get("/api/events", params={"limit": 500}).status_code == 200
    for limit in (501, 100000, 0, -1):
        err = error_of(client.get("/api/events", params={"limit": limit}), 422)
        assert err["code"] == "bad_parameter" and err["detail"][0]["parameter"] == "limit"
    err = error_of(client.get("/api/alerts", params={"limit": 501}), 422)
    assert err["detail"][0]["parameter"] == "limit"


def test_one_event(client, web_db: Path) -> None:
    some = store.query_events(web_db, article="feature-1")[0]
    body = client.get(f"/api/events/{some['event_id']}").json()
    assert body["evidence_text"] == some["evidence_text"]
    err = error_of(client.get("/api/events/99999"), 404)
    assert err["code"] == "not_found" and "99999" in err["message"]


# --- articles --------------------------------------------------------------------------------


def test_one_article_with_text_events_quotes_and_actors(client) -> None:
    a = client.get("/api/articles/feature-1").json()
    text = a["text"]
    assert a["title"] == "Russia threatens Poland" and a["notes"] == []
    assert [e["event_key"] for e in a["events"]] == ["e1", "e2", "e3", "e4", "e5"]
    for e in a["events"]:
        assert text[e["evidence_start"]:e["evidence_end"]] == e["evidence_text"]
    assert {e["modality"] for e in a["events"]} == {"asserted", "negated"}
    assert len(a["quotes"]) == 2
    q = a["quotes"][0]
    assert text[q["content_start"]:q["content_end"]] == q["content_text"]
    assert q["speaker_code"] == "POLGOV" and q["cue_text"] == "said"
    assert {x["code"] for x in a["actors"]} >= {"RUS", "POL", "RUSMIL", "NATO", "POLGOV"}
    for x in a["actors"]:
        assert text[x["actor_start"]:x["actor_end"]] == x["text"]
    assert {p["name"] for p in a["places"]} == {"Kaliningrad", "Brussels", "Warsaw"}


@pytest.mark.parametrize("path", [f"/api/articles/{SLASH_ID}",
                                  f"/api/articles/{quote(SLASH_ID, safe='')}"])
def test_article_ids_with_slashes_and_colons(client, path: str) -> None:
    a = client.get(path).json()
    assert a["id"] == SLASH_ID and a["title"] == HTML_TITLE


def test_missing_article_is_404(client) -> None:
    err = error_of(client.get("/api/articles/no-such-article"), 404)
    assert "no-such-article" in err["message"]


# --- timeline, locations, overview -----------------------------------------------------------


def test_timeline_counts_every_event_once(client, web_db: Path) -> None:
    t = client.get("/api/timeline", params={"by": "week"}).json()
    assert t["by"] == "week" and t["from"] == "2025-03-04"
    inside = sum(p["events"] for p in t["periods"])
    assert inside + t["before"] + t["after"] + t["undated"] == 28
    assert t["before"] == 1 and t["undated"] == 1  # the 2014 recollection; the undated one
    for p in t["periods"]:
        assert p["events"] == sum(p[f"quad{q}"] for q in (1, 2, 3, 4))
    threats = next(p for p in t["periods"] if p["period"] == "2025-W14")
    assert threats["quad3"] >= 3
    filtered = client.get("/api/timeline", params={"actor": "USA", "by": "month"}).json()
    assert sum(p["events"] for p in filtered["periods"]) + filtered["undated"] == len(
        all_ids(web_db, actor="USA"))


def test_timeline_refuses_too_many_bars(client) -> None:
    err = error_of(client.get("/api/timeline", params={
        "by": "week", "since": "1900-01-01", "until": "2025-01-01"}), 422)
    assert err["code"] == "bad_parameter" and "more than" in err["message"]


def test_locations(client) -> None:
    body = client.get("/api/locations").json()
    by_name = {p["name"]: p for p in body["places"]}
    assert by_name["Rzeszow"]["events"] == 4 and by_name["Rzeszow"]["material_conflict"] == 4
    assert by_name["Kaliningrad"]["lat"] == pytest.approx(54.71)
    assert body["events"] == sum(p["events"] for p in body["places"])
    only = client.get("/api/locations", params={"source": "USA"}).json()
    assert {p["name"] for p in only["places"]} == {"Kyiv"}


def test_overview_bundles_counts_timeline_dyads_and_map(client) -> None:
    o = client.get("/api/overview").json()
    assert o["stats"]["events"] == 28
    assert o["articles_from"] == "2025-03-04" and o["articles_to"] == "2025-04-22"
    assert o["timeline"]["periods"] and o["locations"]["places"]
    assert o["top_dyads"][0]["source"] == "RUS" and o["top_dyads"][0]["target"] == "POL"
    narrow = client.get("/api/overview", params={"since": "2025-04-14",
                                                 "until": "2025-04-30"}).json()
    assert narrow["top_dyads"][0]["rung"] == "use of force"
    assert {p["name"] for p in narrow["locations"]["places"]} == {"Rzeszow"}


# --- dyads -----------------------------------------------------------------------------------


def test_top_dyads_are_the_monitors(client, web_db: Path) -> None:
    body = client.get("/api/dyads", params={"top": 3}).json()
    assert body["dyads"] == monitor.top_dyads(web_db, top=3)
    monthly = client.get("/api/dyads", params={"by": "month"}).json()["dyads"]
    assert monthly == monitor.top_dyads(web_db, by="month")


def test_dyad_series_is_the_monitors_with_its_clusters_and_events(client, web_db: Path) -> None:
    body = client.get("/api/dyads/RUS/POL").json()
    rows = monitor.dyad_series(web_db, "RUS", "POL")
    assert [p["period"] for p in body["periods"]] == [r.period for r in rows]
    for got, want in zip(body["periods"], rows, strict=True):
        expected = want.to_dict()
        assert {k: got[k] for k in expected} == expected
    flags = [f.to_dict() for f in monitor.escalation_flags(rows)]
    assert body["flags"] == flags and any(f["kind"] == "step-up" for f in flags)
    assert body["ladder"][4] == "use of force"
    strikes = next(p for p in body["periods"] if p["period"] == "2025-W16")
    assert strikes["rung"] == "use of force" and strikes["flags"]
    cluster = strikes["clusters_detail"][0]
    assert cluster["cameo"] == "195" and len(cluster["events"]) == 3
    assert all(e["source_code"] == "RUSMIL" for e in cluster["events"])
    assert body["events"] == sum(p["events"] for p in body["periods"])


def test_dyad_options(client, web_db: Path) -> None:
    both = client.get("/api/dyads/POL/RUS", params={"both_ways": True, "by": "month"}).json()
    assert both["clusters"] == len(
        [c for c in monitor.clusters(web_db)
         if {c.source, c.target} == {"RUS", "POL"}])
    alone = client.get("/api/dyads/POL/RUS").json()
    assert alone["clusters"] == 0 and alone["periods"] == []  # the negated event is not counted
    hyp = client.get("/api/dyads/RUS/NATO+", params={"include_hypothetical": True}).json()
    assert "POL" in hyp["target_actors"] and hyp["clusters"] == 9
    several = client.get("/api/dyads/RUS,USA/POL,UKR").json()
    assert several["source_actors"] == ["RUS", "USA"] and several["clusters"] >= 12


# --- alerts ----------------------------------------------------------------------------------


def test_alerts_newest_first_with_pages_and_a_rule_filter(client) -> None:
    body = client.get("/api/alerts").json()
    assert body["count"] == 5
    ids = [a["alert_id"] for a in body["alerts"]]
    assert ids == sorted(ids, reverse=True)
    assert {a["rule"] for a in body["alerts"]} == {"rus-pol-force", "any-conflict"}
    first = body["alerts"][-1]
    assert first["cluster"]["cameo"] == "138" and first["message"].startswith("[rus-pol-force]")
    walked, url = [], "/api/alerts?limit=2"
    while url:
        page = client.get(url).json()
        walked += [a["alert_id"] for a in page["alerts"]]
        url = page["next"]
    assert walked == ids
    only = client.get("/api/alerts", params={"rule": "any-conflict"}).json()["alerts"]
    assert only and all(a["rule"] == "any-conflict" for a in only)


def test_no_alerts_where_watch_never_ran(tmp_path: Path) -> None:
    from fastapi.testclient import TestClient
    from web_corpus import build

    from redline.web import create_app

    db = build(tmp_path / "quiet.db", alerts=False)
    with TestClient(create_app(db), base_url="http://localhost") as c:
        assert c.get("/api/alerts").json() == {"count": 0, "limit": 50, "alerts": [],
                                               "cursor": None, "next": None}


# --- bad parameters --------------------------------------------------------------------------


@pytest.mark.parametrize(("url", "param"), [
    ("/api/events?actor=R%20U%20S", "actor"),
    ("/api/events?source=RUS-GOV", "source"),
    ("/api/events?target=", "target"),
    ("/api/events?cameo=13x", "cameo"),
    ("/api/events?plover=THREATEN!", "plover"),
    ("/api/events?modality=maybe", "modality"),
    ("/api/events?since=2025-13-01", "since"),
    ("/api/events?until=yesterday", "until"),
    ("/api/events?since=2025-05-01&until=2025-04-01", None),
    ("/api/events?limit=ten", "limit"),
    ("/api/events?cursor=not%20base64!", "cursor"),
    (f"/api/events?cursor={'x' * 201}", "cursor"),
    ("/api/events?cursor=WzEsMl0", "cursor"),  # [1,2]: not an events key
    (f"/api/events?q={'w' * 201}", "q"),
    ("/api/events/abc", "event_id"),
    ("/api/events/0", "event_id"),
    ("/api/timeline?by=fortnight", "by"),
    ("/api/overview?top=0", "top"),
    ("/api/overview?since=2025-02-30", "since"),
    ("/api/dyads?top=0", "top"),
    ("/api/dyads?by=decade", "by"),
    ("/api/dyads?include_hypothetical=perhaps", "include_hypothetical"),
    ("/api/dyads/RUS/POL?by=hour", "by"),
    ("/api/dyads/RUS%20GOV/POL", "source"),
    ("/api/dyads/RUS/NATO++", "target"),
    ("/api/dyads/RUS/POL?since=2025-04-01&until=2025-03-01", None),
    ("/api/alerts?cursor=WyJhIl0", "cursor"),  # ["a"]: not an alerts key
])
def test_bad_parameters_are_422_with_the_error_shape(client, url: str, param) -> None:
    err = error_of(client.get(url), 422)
    assert err["code"] == "bad_parameter"
    if param:
        assert param in err["message"] or any(
            d.get("parameter") == param for d in err["detail"] or []), err


def test_unknown_routes_and_methods_have_the_error_shape(client) -> None:
    for url in ("/api/nope", "/api/events/1/more", "/nope"):
        err = error_of(client.get(url), 404)
        assert err["code"] == "not_found"
    err = error_of(client.post("/api/events"), 405)
    assert err["code"] == "method_not_allowed"
    err = error_of(client.delete("/api/articles/feature-1"), 405)


def test_a_browser_gets_errors_as_a_page_and_the_api_still_json(client) -> None:
    html = {"accept": "text/html,application/xhtml+xml"}
    page = client.get("/events?since=not-a-date", headers=html)
    assert page.status_code == 422 and page.headers["content-type"].startswith("text/html")
    assert "not a date" in page.text
    assert client.get("/no/such/page", headers=html).status_code == 404
    error_of(client.get("/api/events?since=not-a-date", headers=html), 422)


# --- injection ---------------------------------------------------------------------------------

INJECTIONS = ["' OR '1'='1", "RUS' OR 1=1 --", "x'; DROP TABLE events; --",
              "\" OR \"\"=\"", "1) UNION SELECT sql, 1 FROM sqlite_master --", "%' --"]
STRICT = ["actor", "source", "target", "cameo", "plover", "modality"]
FREE = ["q", "article"]


@pytest.mark.parametrize("attack", INJECTIONS)
def test_sql_injection_in_every_text_parameter_has_no_effect(client, web_db: Path, attack: str,
                                                             fingerprint) -> None:
    before = fingerprint(web_db)
    for param in STRICT:  # pattern-checked: refused
        error_of(client.get("/api/events", params={param: attack}), 422)
        error_of(client.get("/api/timeline", params={param: attack}), 422)
        error_of(client.get("/api/locations", params={param: attack}), 422)
    for param in FREE:  # free text: a literal that matches nothing
        body = client.get("/api/events", params={param: attack}).json()
        assert body["total"] == 0 and body["events"] == []
        assert client.get("/api/locations", params={param: attack}).json()["places"] == []
    for param in ("rule", "state"):
        assert client.get("/api/alerts", params={param: attack}).json()["alerts"] == []
    for param in ("since", "until"):
        error_of(client.get("/api/events", params={param: attack}), 422)
        error_of(client.get("/api/dyads", params={param: attack}), 422)
    error_of(client.get(f"/api/articles/{quote(attack, safe='')}"), 404)
    error_of(client.get(f"/api/dyads/{quote(attack, safe='')}/POL"), 422)
    error_of(client.get(f"/api/dyads/RUS/{quote(attack, safe='')}"), 422)
    error_of(client.get("/api/events", params={"cursor": attack}), 422)
    for page in ("/events", "/alerts"):
        assert client.get(page, params={"q": attack, "rule": attack}).status_code == 200
    assert fingerprint(web_db) == before
    assert client.get("/api/health").json()["events"] == 28
    conn = sqlite3.connect(web_db)
    try:
        assert conn.execute("SELECT COUNT(*) FROM events").fetchone()[0] == 28
    finally:
        conn.close()


# --- limits and failures ---------------------------------------------------------------------


def test_a_query_past_the_time_limit_is_stopped_with_503(web_db: Path) -> None:
    from fastapi.testclient import TestClient

    from redline.web import create_app

    with TestClient(create_app(web_db, time_limit=1e-9), base_url="http://localhost") as c:
        err = error_of(c.get("/api/events"), 503)
        assert err["code"] == "query_timeout" and "longer than" in err["message"]


def test_connections_are_read_only(web_db: Path) -> None:
    from redline.web.data import WebStore

    with WebStore(str(web_db)).connect() as conn, pytest.raises(sqlite3.OperationalError):
        conn.execute("DELETE FROM events")


def test_a_database_that_goes_away_is_503(tmp_path: Path) -> None:
    from fastapi.testclient import TestClient
    from web_corpus import build

    from redline.web import create_app

    db = build(tmp_path / "gone.db", alerts=False)
    app = create_app(db)
    for p in tmp_path.glob("gone.db*"):
        p.unlink()
    with TestClient(app, base_url="http://localhost") as c:
        err = error_of(c.get("/api/stats"), 503)
        assert err["code"] == "database_missing" and "redline ingest" in err["message"]


def test_an_unexpected_error_is_500_without_a_traceback(web_db: Path) -> None:
    from fastapi.testclient import TestClient

    from redline.web import create_app

    app = create_app(web_db)

    @app.get("/api/boom")
    def boom() -> None:
        raise RuntimeError("secret internals")

    with TestClient(app, raise_server_exceptions=False,
                    base_url="http://localhost") as c:
        err = error_of(c.get("/api/boom"), 500)
        assert err["code"] == "internal_error" and "secret" not in err["message"]


def test_every_response_forbids_off_origin_loads(client) -> None:
    for url in ("/", "/api/stats", "/static/style.css", "/api/nope"):
        csp = client.get(url).headers["content-security-policy"]
        assert "default-src 'self'" in csp and "script-src 'self'" in csp
        assert "http" not in csp


def test_store_page_functions_refuse_bad_page_sizes(web_db: Path) -> None:
    with pytest.raises(store.StoreError, match="between 1 and 500"):
        queries.page_events(web_db, limit=501)
    with pytest.raises(store.StoreError, match="between 1 and 500"):
        queries.query_alerts(web_db, limit=0)
