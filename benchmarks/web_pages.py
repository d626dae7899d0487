"""How long each page and JSON endpoint of ``redline serve`` takes, cold and warm.

    python benchmarks/web_pages.py PATH/redline.db [--repeat 5] [--no-browser]

Serves the database with the real command (``redline serve --db PATH`` in a child process, on
a free loopback port) and times every page type: the overview, the events list (plain and
with a text search), the busiest dyad, the article with the most events, the alerts, and each
JSON endpoint behind them.

For each target a fresh server is started, so "cold" is the first request a new server gets
(nothing cached: clustering for the dyads runs in that request; the operating system's file
cache is warm, as it is after any earlier use of the file). "warm" is the median (and the
maximum) of ``--repeat`` further requests to the same server. Both are HTTP times measured by
this client: request sent to last byte received.

With Chromium (Debian's ``chromium``, driven by Playwright; ``--no-browser`` skips it), each
HTML page is also loaded in a headless browser on another fresh server: "browser cold" is
that first navigation (server and browser caches empty) from navigation start to the load
event, i.e. HTML, stylesheet, script, favicon and the map's SVG fetched, parsed and laid out;
"browser warm" is the median of ``--repeat`` loads in fresh pages afterwards.

Prints a table, then the slowest figure of each kind. Asserts nothing about time: compare
figures only between runs on the same machine.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


@dataclass
class Result:
    name: str
    path: str
    html: bool
    size: int = 0
    cold: float = 0.0
    warm: list[float] = field(default_factory=list)
    browser_cold: float | None = None
    browser_warm: list[float] = field(default_factory=list)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    """``redline serve`` on a database, in a child process, until closed."""

    def __init__(self, db: str, log: Path) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = log.open("a")
        self.proc = subprocess.Popen(
            [sys.executable, "-c", "from redline.cli.main import main; main()", "serve",
             "--db", db, "--port", str(self.port), "--log-level", "warning"],
            stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 60
        while True:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return
            except OSError:
                if self.proc.poll() is not None or time.monotonic() > deadline:
                    raise SystemExit(f"redline serve did not start; see {log}") from None
                time.sleep(0.05)

    def close(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=10)
        self.log.close()


def get(url: str) -> tuple[float, bytes]:
    start = time.perf_counter()
    with urllib.request.urlopen(url, timeout=120) as r:
        body = r.read()
        if r.status != 200:
            raise SystemExit(f"{url}: HTTP {r.status}")
    return time.perf_counter() - start, body


def targets(base: str) -> list[tuple[str, str, bool]]:
    """(name, path, is a page): the busiest dyad and article are looked up first."""
    _, body = get(f"{base}/api/dyads?top=1")
    dyads = json.loads(body)["dyads"]
    src, tgt = (dyads[0]["source"], dyads[0]["target"]) if dyads else ("USA", "USA")
    _, body = get(f"{base}/api/events?limit=500")
    counts: dict[str, int] = {}
    for e in json.loads(body)["events"]:
        counts[e["article_id"]] = counts.get(e["article_id"], 0) + 1
    article = max(counts, key=lambda k: counts[k]) if counts else "none"
    a = quote(article, safe="")
    dyad = f"{quote(src, safe='+,')}/{quote(tgt, safe='+,')}"
    return [
        ("overview", "/", True),
        ("events list", "/events", True),
        ("events, text search", "/events?q=said", True),
        ("dyad", f"/dyad/{dyad}", True),
        ("article", f"/article/{a}", True),
        ("alerts", "/alerts", True),
        ("API docs", "/api/docs", True),
        ("/api/overview", "/api/overview", False),
        ("/api/stats", "/api/stats", False),
        ("/api/events", "/api/events", False),
        ("/api/events (500, q)", "/api/events?limit=500&q=said", False),
        ("/api/articles/ID", f"/api/articles/{a}", False),
        ("/api/dyads", "/api/dyads", False),
        ("/api/dyads/S/T", f"/api/dyads/{dyad}", False),
        ("/api/timeline", "/api/timeline", False),
        ("/api/locations", "/api/locations", False),
        ("/api/alerts", "/api/alerts", False),
    ]


def find_chromium() -> str | None:
    for c in (os.environ.get("REDLINE_CHROMIUM"), shutil.which("chromium"), "/usr/bin/chromium"):
        if c and os.path.isfile(c):
            return c
    return None


def browser_times(browser: object, base: str, path: str, repeat: int) -> tuple[float, list[float]]:
    def load(context: object) -> float:
        page = context.new_page()  # type: ignore[attr-defined]
        page.goto(base + path, wait_until="load")
        ms = page.evaluate("() => { const n = performance.getEntriesByType('navigation')[0];"
                           " return n.loadEventEnd - n.startTime; }")
        page.close()
        return float(ms) / 1000

    context = browser.new_context()  # type: ignore[attr-defined]
    try:
        cold = load(context)
        warm = [load(context) for _ in range(repeat)]
    finally:
        context.close()
    return cold, warm


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("db", help="the event database to serve")
    ap.add_argument("--repeat", type=int, default=5, help="warm requests per target")
    ap.add_argument("--no-browser", action="store_true", help="HTTP times only")
    args = ap.parse_args()
    if not os.path.isfile(args.db):
        raise SystemExit(f"no database at {args.db}")
    log = Path(tempfile.mkdtemp(prefix="redline-web-bench-")) / "serve.log"

    probe = Server(args.db, log)
    try:
        plan = targets(probe.base)
        _, body = get(f"{probe.base}/api/health")
        health = json.loads(body)
    finally:
        probe.close()

    results = []
    for name, path, html in plan:
        r = Result(name, path, html)
        server = Server(args.db, log)
        try:
            r.cold, body = get(server.base + path)
            r.size = len(body)
            r.warm = [get(server.base + path)[0] for _ in range(args.repeat)]
        finally:
            server.close()
        results.append(r)

    chromium = None if args.no_browser else find_chromium()
    if chromium:
        from playwright.sync_api import sync_playwright

        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
            for r in results:
                if not r.html:
                    continue
                server = Server(args.db, log)
                try:
                    r.browser_cold, r.browser_warm = browser_times(browser, server.base,
                                                                   r.path, args.repeat)
                finally:
                    server.close()
            browser.close()

    ms = lambda s: f"{s * 1000:8.0f}"  # noqa: E731
    print(f"{args.db}: {health['articles']} articles, {health['events']} events; "
          f"{os.cpu_count()} cores; warm = median of {args.repeat} (max)")
    head = (f"{'target':<22} {'KB':>6} {'cold ms':>8} {'warm ms':>8} {'(max)':>7}"
            + (f" {'browser cold':>12} {'browser warm':>12}" if chromium else ""))
    print(head)
    print("-" * len(head))
    for r in results:
        line = (f"{r.name:<22} {r.size / 1024:6.0f} {ms(r.cold)} "
                f"{ms(statistics.median(r.warm))} {max(r.warm) * 1000:7.0f}")
        if chromium:
            line += (f" {ms(r.browser_cold):>12} {ms(statistics.median(r.browser_warm)):>12}"
                     if r.browser_cold is not None else f" {'':>12} {'':>12}")
        print(line)
    print(f"slowest cold request: {max(r.cold for r in results) * 1000:.0f} ms; slowest warm: "
          f"{max(max(r.warm) for r in results) * 1000:.0f} ms")
    if chromium:
        pages = [r for r in results if r.browser_cold is not None]
        print(f"slowest page load in the browser: cold "
              f"{max(r.browser_cold or 0 for r in pages) * 1000:.0f} ms, warm "
              f"{max(max(r.browser_warm) for r in pages) * 1000:.0f} ms")


if __name__ == "__main__":
    main()
