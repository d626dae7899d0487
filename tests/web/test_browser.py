"""The dashboard in headless Chromium (Debian's ``chromium``, driven by Playwright), against
``redline serve`` running as a child process: overview -> dyad -> article, the highlighted
evidence, filters in the URL; no console error, no request leaving 127.0.0.1.

Screenshots of the three views go to ``tests/web/artefacts/`` (git-ignored; the README's
copies are in ``docs/img/``). ``REDLINE_BROWSER_DB=PATH`` runs the same tests on another
database (that is how the README's screenshots were made); ``REDLINE_CHROMIUM`` names the
browser binary when it is not ``chromium`` on the PATH. Without a Chromium the tests skip.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

pytestmark = pytest.mark.browser

ARTEFACTS = Path(__file__).parent / "artefacts"
# Headless, no sandbox (root in CI), and none of Chromium's own calls home.
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


def chromium_path() -> str | None:
    for candidate in (os.environ.get("REDLINE_CHROMIUM"), shutil.which("chromium"),
                      shutil.which("chromium-browser"), "/usr/bin/chromium"):
        if candidate and os.path.isfile(candidate) and os.access(candidate, os.X_OK):
            return candidate
    return None


@pytest.fixture(scope="module")
def browser():
    path = chromium_path()
    if path is None:
        pytest.skip("no chromium binary found: install Debian's chromium package (scripts/test "
                    "does when run as root) or set REDLINE_CHROMIUM")
    sync_api = pytest.importorskip("playwright.sync_api",
                                   reason="playwright is not installed (pip install -e .[dev])")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        yield b
        b.close()


class Watch:
    """What a page did that it should not: console errors, uncaught exceptions, requests
    to anywhere but 127.0.0.1 (recorded, then aborted), failed requests."""

    def __init__(self) -> None:
        self.problems: list[str] = []
        self.hosts: set[str] = set()
        self.requests = 0


@pytest.fixture
def page(browser, server: str):
    context = browser.new_context(viewport={"width": 1400, "height": 950}, base_url=server)
    watch = Watch()

    def route(r) -> None:
        host = urlsplit(r.request.url).hostname or r.request.url
        watch.hosts.add(host)
        watch.requests += 1
        if host == "127.0.0.1":
            r.continue_()
        else:
            watch.problems.append(f"off-host request: {r.request.url}")
            r.abort()

    context.route("**/*", route)
    pg = context.new_page()
    pg.on("console", lambda m: watch.problems.append(f"console {m.type}: {m.text}")
          if m.type in ("error", "warning") else None)
    pg.on("pageerror", lambda e: watch.problems.append(f"page error: {e}"))
    # A request cut short by leaving the page (ERR_ABORTED) is not a failure of the app.
    pg.on("requestfailed", lambda r: watch.problems.append(f"failed: {r.url} {r.failure}")
          if "ERR_ABORTED" not in (r.failure or "") else None)
    pg.watch = watch  # type: ignore[attr-defined]
    yield pg
    context.close()


def shot(pg, name: str, *, full: bool = False) -> None:
    ARTEFACTS.mkdir(exist_ok=True)
    pg.screenshot(path=str(ARTEFACTS / f"{name}.png"), full_page=full)


def test_overview_to_dyad_to_highlighted_evidence(page, server: str) -> None:
    pg = page
    pg.goto("/")
    pg.wait_for_load_state("networkidle")
    assert pg.title().startswith("Overview")
    assert pg.locator("svg.timeline rect.hit").count() > 0
    assert pg.locator("svg.map circle").count() > 0
    # The map's countries are an image from /static: it must have loaded.
    assert pg.evaluate("() => performance.getEntriesByType('resource')"
                       ".some(e => e.name.endsWith('/static/world.svg'))")
    shot(pg, "overview", full=True)

    # Open the most active dyad.
    link = pg.locator("a.dyad-link").first
    dyad_name = link.inner_text()
    link.click()
    pg.wait_for_url(re.compile(r"/dyad/[^/]+/[^/?]+"))
    assert pg.locator("h1").inner_text().startswith(dyad_name.split(" → ")[0])
    assert pg.locator("svg.dyad circle.rungdot").count() > 0
    shot(pg, "dyad")

    # Click a flagged period (or else any active one) in the chart: its events show below.
    target = pg.locator("svg.dyad path.flagmark")
    if target.count() == 0:
        target = pg.locator("svg.dyad a.col rect")
    target.first.click()
    period = urlsplit(pg.url).fragment
    assert period.startswith("p-")
    section = pg.locator(f"article.period[id='{period}']")
    assert section.is_visible()

    # Through to the article, at the evidence.
    evlink = section.locator("a.evlink").first
    quoted = evlink.inner_text().strip("“”")
    evlink.click()
    pg.wait_for_url(re.compile(r"/article/.+#e\d+$"))
    event_id = urlsplit(pg.url).fragment[1:]
    selected = pg.locator("#text .m.ev.sel")
    selected.first.wait_for(state="visible")
    marked = "".join(selected.all_inner_texts())
    assert marked and (marked in quoted or quoted.rstrip(".…").startswith(marked[:20]))
    assert "sel" in (pg.locator(f"#e{event_id}").get_attribute("class") or "")
    # The evidence is in view and drawn as highlighted.
    assert selected.first.evaluate("e => { const r = e.getBoundingClientRect(); "
                                   "return r.top >= 0 && r.bottom <= innerHeight; }")
    background = selected.first.evaluate("e => getComputedStyle(e).backgroundColor")
    assert background not in ("rgba(0, 0, 0, 0)", "transparent")
    assert pg.locator("#text .m.actor").count() > 0
    shot(pg, "article")

    # Clicking other evidence selects that event's card instead.
    others = pg.locator(f"#text .m.ev:not([data-ev~='{event_id}'])")
    if others.count():
        other = others.first
        other_id = other.get_attribute("data-ev").split()[0]
        other.click()
        assert "sel" in (pg.locator(f"#e{other_id}").get_attribute("class") or "")
        assert "sel" not in (pg.locator(f"#e{event_id}").get_attribute("class") or "")

    assert pg.watch.problems == []
    assert pg.watch.hosts == {"127.0.0.1"} and pg.watch.requests > 5


def test_search_and_filters_stay_in_the_url(page, server: str) -> None:
    import json
    import urllib.request

    pg = page
    pg.goto("/events")
    pg.fill("form.filters input[name=q]", "Poland")
    pg.select_option("form.filters select[name=modality]", "asserted")
    pg.click("form.filters button[type=submit]")
    pg.wait_for_url(re.compile(r"/events\?"))
    query = parse_qs(urlsplit(pg.url).query)
    assert query == {"q": ["Poland"], "modality": ["asserted"]}  # no empty fields
    with urllib.request.urlopen(f"{server}/api/events?q=Poland&modality=asserted") as r:
        total = json.load(r)["total"]
    assert pg.locator("b.total").inner_text().replace(",", "") == str(total)

    # The URL is the view: opened afresh, it shows the same filters.
    shared = pg.url
    pg.goto("/")
    pg.goto(shared)
    assert pg.input_value("form.filters input[name=q]") == "Poland"
    assert pg.input_value("form.filters select[name=modality]") == "asserted"

    # The header search box and the dyad form lead to URLs too.
    pg.fill("header input[name=q]", "air strikes")
    pg.press("header input[name=q]", "Enter")
    pg.wait_for_url(re.compile(r"/events\?q=air\+strikes$"))
    pg.goto("/")
    pg.fill("form.inline input[name=source]", "RUS")
    pg.fill("form.inline input[name=target]", "NATO+")
    pg.click("form.inline button")
    pg.wait_for_url(re.compile(r"/dyad/RUS/NATO\+$"))
    assert pg.locator("h1").inner_text().startswith("RUS → NATO+")

    # Every page links to its JSON, and the link works.
    href = pg.get_attribute("a.json", "href")
    assert href and href.startswith("/api/dyads/RUS/NATO+")
    with urllib.request.urlopen(f"{server}{href}") as r:
        assert json.load(r)["source"] == "RUS"
    assert pg.watch.problems == []
    assert pg.watch.hosts == {"127.0.0.1"}
