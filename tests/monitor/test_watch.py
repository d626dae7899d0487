from __future__ import annotations

import http.server
import io
import json
import threading
from pathlib import Path

import pytest
from monitor_corpus import RULES, articles, write

from redline import monitor
from redline.errors import RedlineError
from redline.monitor.watch import RuleError


def test_watch_fires_once_in_the_threat_week_and_not_on_rerun(tmp_path: Path):
    db = tmp_path / "w.db"
    rules = monitor.parse_rules(__import__("tomllib").loads(RULES))
    out = io.StringIO()
    jsonl = tmp_path / "alerts.jsonl"
    sinks = [monitor.TerminalSink(out), monitor.JsonlSink(jsonl)]
    write(db, articles(max_week=5))  # talks and accusations, a hypothetical strike
    assert monitor.watch(db, rules, sinks=sinks) == []
    write(db, articles(min_week=6))
    alerts = monitor.watch(db, rules, sinks=sinks)
    assert len(alerts) == 1
    a = alerts[0]
    assert a.period == "2025-W15" and a.cluster["cameo"] == "138"
    assert a.cluster["corroboration"] == 4
    assert out.getvalue().count("\n") == 1 and "[rus-nato-force]" in out.getvalue()
    lines = jsonl.read_text().splitlines()
    assert len(lines) == 1 and json.loads(lines[0])["period"] == "2025-W15"
    assert monitor.watch(db, rules, sinks=sinks) == []  # re-run: nothing new
    assert len(jsonl.read_text().splitlines()) == 1


def test_watch_once_per_cluster(tmp_path: Path):
    db = tmp_path / "w.db"
    write(db, articles())
    rules = monitor.parse_rules(__import__("tomllib").loads(
        RULES.replace('once = "dyad"', 'min_corroboration = 2')))
    alerts = monitor.watch(db, rules)
    # threats in weeks 6 and 7, strikes in 10 and 11 (week 12 has one article only)
    assert [a.period for a in alerts] == ["2025-W15", "2025-W16", "2025-W19", "2025-W20"]
    assert monitor.watch(db, rules) == []
    assert len(monitor.watch(db, rules, state="other")) == 4  # another watch, its own state


def test_rules_file(tmp_path: Path):
    path = tmp_path / "rules.toml"
    path.write_text(RULES + '\n[[rule]]\nname = "force"\nmin_rung = "coercion"\n')
    rules = monitor.load_rules(path)
    assert rules[0].rungs == (2, 4) and "POL" in rules[0].target and "NATO" in rules[0].target
    assert rules[1].rungs == (3, 4)
    path.write_text('[[rule]]\nname = "x"\ncolour = "red"\n')
    with pytest.raises(RuleError, match="unknown keys colour"):
        monitor.load_rules(path)
    path.write_text('[[rule]]\nrungs = ["panic"]\n')
    with pytest.raises(RuleError, match="unknown rung"):
        monitor.load_rules(path)
    with pytest.raises(RuleError, match="cannot read"):
        monitor.load_rules(tmp_path / "missing.toml")


class _Server:
    """A local HTTP server failing the first ``fail`` POSTs with 503."""

    def __init__(self, fail: int) -> None:
        self.fail, self.bodies, self.calls = fail, [], 0
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802
                outer.calls += 1
                body = self.rfile.read(int(self.headers["Content-Length"]))
                if outer.calls <= outer.fail:
                    self.send_response(503)
                else:
                    outer.bodies.append(json.loads(body))
                    self.send_response(200)
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = http.server.HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_port}/hook"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def _alert() -> monitor.Alert:
    return monitor.Alert("r", "d", "2025-W15", {
        "date": "2025-04-08", "source": "RUS", "target": "POL", "cameo": "138",
        "cameo_name": "Threaten", "rung": 2, "corroboration": 1, "sources": 1,
        "evidence": "x"})


def test_webhook_retries_then_delivers():
    server = _Server(fail=2)
    try:
        monitor.WebhookSink(server.url, timeout=2, retries=3, backoff=0.01).emit(_alert())
    finally:
        server.close()
    assert server.calls == 3 and server.bodies[0]["rule"] == "r"


def test_webhook_gives_up():
    server = _Server(fail=10)
    try:
        with pytest.raises(RedlineError, match="failed 3 times"):
            monitor.WebhookSink(server.url, timeout=2, retries=2, backoff=0.01).emit(_alert())
    finally:
        server.close()
    assert server.calls == 3
