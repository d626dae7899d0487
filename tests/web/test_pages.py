"""The dashboard's HTML, in-process: each page renders what its JSON says, keeps its filters in
the URL, links to its JSON, escapes what it shows and loads nothing from elsewhere."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import parse_qs, urlsplit

import pytest
from web_corpus import FEATURE_TEXT, HTML_TITLE, SLASH_ID

from redline.web import charts
from redline.web.highlight import runs

PAGES = ["/", "/events", "/events?actor=RUS&cameo=1", "/dyad/RUS/POL", "/article/feature-1",
         "/alerts", "/api/docs", "/dyad/RUS/NATO+?by=month&both_ways=1"]


class Links(HTMLParser):
    """Every URL a page names, by tag and attribute."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, str, str]] = []
        self.classes: dict[str, list[str]] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("href", "src", "action", "poster", "data") and value is not None:
                self.found.append((tag, name, value))
        cls = dict(attrs).get("class")
        if cls and tag == "a":
            for c in cls.split():
                self.classes.setdefault(c, []).append(dict(attrs).get("href") or "")


def parse(html: str) -> Links:
    p = Links()
    p.feed(html)
    return p


@pytest.mark.parametrize("url", PAGES)
def test_every_page_links_to_the_json_it_is_built_from(client, url: str) -> None:
    page = client.get(url)
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    json_links = parse(page.text).classes.get("json")
    assert json_links and len(json_links) == 1
    data = client.get(json_links[0])
    assert data.status_code == 200 and data.headers["content-type"] == "application/json"


@pytest.mark.parametrize("url", PAGES)
def test_pages_load_nothing_from_another_origin(client, url: str) -> None:
    links = parse(client.get(url).text)
    for tag, attr, value in links.found:
        if tag == "a" or tag == "form":
            continue  # navigation, not a load
        assert value.startswith("/static/"), (tag, attr, value)
    html = client.get(url).text
    assert "<script>" not in html and " style=" not in html  # the CSP forbids inline ones


def test_static_assets_are_served_and_small(client) -> None:
    for name, kind in (("style.css", "text/css"), ("app.js", "javascript"),
                       ("favicon.svg", "image/svg+xml"), ("world.svg", "image/svg+xml")):
        r = client.get(f"/static/{name}")
        assert r.status_code == 200 and kind in r.headers["content-type"], name
    world = client.get("/static/world.svg").text
    assert len(world) < 300_000 and "Natural Earth" in world
    assert world.count("<path") > 150 and 'id="POL"' in world
    assert "http" not in world.replace('xmlns="http://www.w3.org/2000/svg"', "")


def test_overview_shows_counts_timeline_dyads_and_map(client) -> None:
    html = client.get("/").text
    assert re.search(r"<b>28</b>\s*events", html)
    assert html.count('class="q4"') > 0 and 'class="chart timeline"' in html
    assert 'href="/dyad/RUS/POL"' in html
    assert 'class="chart map"' in html and html.count("<circle") == 5  # five places
    assert 'href="/static/world.svg"' in html
    # Each bar links to its period's events.
    assert 'href="/events?since=2025-04-14&amp;until=2025-04-20"' in html


def test_overview_filters_stay_in_the_url(client) -> None:
    html = client.get("/?since=2025-04-14&until=2025-04-30&by=week").text
    assert 'name="since" value="2025-04-14"' in html and 'value="week" selected' in html
    assert 'href="/api/overview?since=2025-04-14&amp;until=2025-04-30&amp;by=week"' in html


def test_events_page_filters_pages_and_links(client) -> None:
    html = client.get("/events?actor=RUS&modality=&q=&limit=3").text
    assert 'name="actor" value="RUS"' in html
    assert re.search(r'class="total">(\d+)<', html).group(1) == "20"
    assert html.count('<tr class="q') == 3
    json_href = parse(html).classes["json"][0]
    assert parse_qs(urlsplit(json_href).query) == {"actor": ["RUS"], "limit": ["3"]}
    next_href = parse(html).classes["next"][0].replace("&amp;", "&")
    nxt = client.get(next_href).text
    assert "first page" in nxt and nxt.count('<tr class="q') == 3
    assert 'href="/article/feature-1#e' in client.get("/events?article=feature-1").text


def test_dyad_page_draws_the_ladder_flags_and_the_events_behind_each_period(client) -> None:
    html = client.get("/dyad/RUS/POL").text
    assert "use of force" in html and 'class="flagmark"' in html
    assert 'id="p-2025-W16"' in html and 'href="#p-2025-W16"' in html
    section = html[html.index('id="p-2025-W16"'):]
    section = section[:section.index("</article>")]
    assert "step-up" in section or "score-drop" in section
    assert section.count('class="evlink"') == 3
    assert "/article/w7-rusmil-pol-195-reuters#e" in section


def test_dyad_form_redirects_to_the_dyads_url(client) -> None:
    r = client.get("/dyad?source=rus&target=nato%2B&by=month&both_ways=on&since=",
                   follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/dyad/RUS/NATO+?by=month&both_ways=1"
    assert client.get("/dyad?source=RUS").status_code == 422


def test_article_page_highlights_evidence_actors_and_quotes(client) -> None:
    html = client.get("/article/feature-1").text
    api = client.get("/api/articles/feature-1").json()
    for e in api["events"]:
        assert f'id="e{e["event_id"]}"' in html  # its card, the target of dyad links
        marked = re.findall(rf'<span class="m[^"]*\bev\b[^"]*" data-ev="[^"]*\b{e["event_id"]}'
                            r'\b[^"]*"[^>]*>([^<]*)</span>', html)
        assert "".join(marked) == e["evidence_text"]
    assert 'class="m quote' in html or 'class="m ev actor quote' in html
    assert "quote cue" in html and 'data-actor="POLGOV"' in html
    assert "rule verb:V:threaten" in html  # on hover: the title
    assert "negated" in html and "Kaliningrad" in html


def test_article_dyad_links_name_an_igo_by_its_code_not_its_class(client) -> None:
    html = client.get("/article/feature-1").text
    assert "dyad NATO → POL" in html and "/dyad/NATO/POL" in html
    assert "dyad IGO" not in html


def test_article_page_escapes_what_it_shows(client) -> None:
    html = client.get(f"/article/{SLASH_ID}").text
    assert HTML_TITLE not in html and "&lt;script&gt;" in html
    assert "<script>alert" not in html


def test_event_page_redirects_to_the_evidence(client) -> None:
    event_id = client.get("/api/events?article=feature-1").json()["events"][0]["event_id"]
    r = client.get(f"/event/{event_id}", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == f"/article/feature-1#e{event_id}"


def test_alerts_page_and_api_docs(client) -> None:
    html = client.get("/alerts").text
    assert html.count("rus-pol-force") >= 3 and 'href="/event/' in html
    docs = client.get("/api/docs").text
    for path in ("/api/events", "/api/dyads/{source}/{target}", "/api/alerts"):
        assert f"<code>{path}</code>" in docs
    assert "maximum <code>500</code>" in docs


def test_pages_with_bad_parameters_are_error_pages(client) -> None:
    for url in ("/events?cameo=thirteen", "/?by=decade", "/dyad/RUS/POL?since=x",
                "/events?cursor=%%%"):
        r = client.get(url, headers={"accept": "text/html"})
        assert r.status_code == 422 and 'class="card error"' in r.text, url
    r = client.get("/article/nope", headers={"accept": "text/html"})
    assert r.status_code == 404 and "no article" in r.text


# --- the pieces ------------------------------------------------------------------------------


def test_runs_cut_overlapping_spans() -> None:
    text = "Russia threatened Poland today."
    out = runs(text, [("event", 1, 0, 24), ("actor", 0, 0, 6), ("actor", 1, 18, 24),
                      ("quote", 0, 7, 30), ("event", 2, 40, 50), ("actor", 9, 5, 5)])
    assert "".join(r.text for r in out) == text
    assert [(r.text, r.spans) for r in out] == [
        ("Russia", {"event": [1], "actor": [0]}),
        (" ", {"event": [1]}),
        ("threatened ", {"event": [1], "quote": [0]}),
        ("Poland", {"event": [1], "quote": [0], "actor": [1]}),
        (" today", {"quote": [0]}),
        (".", {}),
    ]


def test_highlighted_text_is_the_text(client) -> None:
    from html import unescape

    from redline.web.pages import highlighted_text

    article = client.get("/api/articles/feature-1").json()
    html = str(highlighted_text(article))
    assert unescape(re.sub(r"<[^>]+>", "", html)) == FEATURE_TEXT == article["text"]
    assert html.count("<span") > 10


def test_chart_helpers() -> None:
    assert charts.project(0, 0) == (1800.0, 900.0)
    assert charts.project(52.23, 21.01) == pytest.approx((2010.1, 377.7))
    assert [charts._nice_max(v) for v in (0, 1, 7, 596, 1001)] == [1, 1, 8, 600, 1500]
    assert "No dated events" in charts.timeline([])
    assert "No events" in charts.dyad({"periods": [], "ladder": []})
