"""Webhooks and feeds: http(s) only, no redirects for webhooks (bounded ones for feeds), a
time bound on each send and on the run, and delivery at least once per sink (an alert a sink
did not take is retried on the next run, nothing is sent twice to a sink that got it)."""

from __future__ import annotations

import http.server
import json
import socket
import sqlite3
import sys
import threading
import time
import tomllib
from pathlib import Path

import pytest
from click.testing import CliRunner
from monitor_corpus import RULES, articles, write

from redline import monitor
from redline.cli.main import cli
from redline.errors import ConfigError, DeliveryError
from redline.monitor.follow import FeedError, fetch_feed, read_feed_list
from redline.monitor.net import check_url
from redline.store.db import open_writer
from redline.store.ingest import IngestReport

# four alerts on the corpus: threats in weeks 6 and 7, strikes in 10 and 11
FOUR = RULES.replace('once = "dyad"', "min_corroboration = 2")
SAFETY = 30  # seconds: far above the bounds under test, only there to catch a hang


class Hook:
    """A local HTTP server: ``mode`` ok (200), fail (503), redirect (302 to ``location``);
    ``fail_if`` (a predicate on the JSON body) fails only some alerts."""

    def __init__(self, mode: str = "ok", location: str = "", body: bytes = b"") -> None:
        self.mode, self.location, self.body = mode, location, body
        self.fail_if = None
        self.bodies: list[dict] = []
        self.calls = 0
        self.lock = threading.Lock()
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def _answer(self) -> None:
                with outer.lock:
                    outer.calls += 1
                n = int(self.headers.get("Content-Length") or 0)
                data = json.loads(self.rfile.read(n)) if n else None
                failing = outer.mode == "fail" or (outer.fail_if and outer.fail_if(data))
                if outer.mode == "redirect":
                    self.send_response(302)
                    self.send_header("Location", outer.location)
                elif failing:
                    self.send_response(503)
                else:
                    if data is not None:
                        with outer.lock:
                            outer.bodies.append(data)
                    self.send_response(200)
                self.send_header("Content-Length", str(len(outer.body)))
                self.end_headers()
                self.wfile.write(outer.body)

            do_POST = do_GET = _answer  # noqa: N815

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_port}/hook"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


class Trickle:
    """A server that reads the request, then sends a valid-looking answer one byte every
    0.2 s, for ever: per-socket-operation timeouts never fire on it."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.stop = threading.Event()
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}/slow"
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while not self.stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self._drip, args=(conn,), daemon=True).start()

    def _drip(self, conn: socket.socket) -> None:
        answer = b"HTTP/1.1 200 OK\r\nX-Pad: " + b"a" * 100_000
        try:
            conn.recv(65536)
            for byte in answer:
                if self.stop.wait(0.2):
                    break
                conn.sendall(bytes([byte]))
        except OSError:
            pass
        finally:
            conn.close()

    def close(self) -> None:
        self.stop.set()
        self.sock.close()


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "w.db"
    write(path, articles())
    return path


def _rules() -> list[monitor.Rule]:
    return monitor.parse_rules(tomllib.loads(FOUR))


def _rows(db: Path) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT rule, dedupe_key, sink, delivered_at IS NOT NULL, "
                            "attempts, last_error FROM monitor_deliveries "
                            "ORDER BY dedupe_key, sink").fetchall()


BAD_URLS = ["file:///etc/passwd", "data:text/plain,hello", "ftp://127.0.0.1:21/x",
            "gopher://127.0.0.1/", "javascript:alert(1)", "http://127.0.0.1/a\r\nX-Evil: 1",
            "http://127.0.0.1/a\nb", "http://exa mple.com/", "http://127.0.0.1/\x00",
            "http:///path", "http://", "https://:80/", "127.0.0.1:8080/hook",
            "http://127.0.0.1:99999/", "http://user:pw@127.0.0.1/", "http://bücher.de/", ""]


@pytest.mark.parametrize("url", BAD_URLS)
def test_bad_urls_are_refused(url: str):
    with pytest.raises(ConfigError) as err:
        monitor.WebhookSink(url)
    assert "\n" not in str(err.value) and "\r" not in str(err.value)


def test_good_urls_pass():
    for url in ("http://127.0.0.1:8080/hook", "https://hooks.example.com/x?token=a%20b",
                "HTTPS://Example.com"):
        assert check_url(url) == url


def test_cli_refuses_a_bad_webhook_before_sending_anything(db: Path, tmp_path: Path):
    (tmp_path / "r.toml").write_text(FOUR)
    good = Hook()
    runner = CliRunner()
    try:
        for url in ("file:///etc/passwd", "data:,x", "ftp://127.0.0.1/", "http://h/\r\nX: 1"):
            res = runner.invoke(cli, ["watch", "--db", str(db), "--rules",
                                      str(tmp_path / "r.toml"), "--webhook", good.url,
                                      "--webhook", url])
            assert res.exit_code == 1, res.output
            assert len(res.output.strip().splitlines()) == 1 and "webhook" in res.output
    finally:
        good.close()
    assert good.calls == 0
    with sqlite3.connect(db) as conn:  # the rules were not even evaluated
        assert conn.execute("SELECT COUNT(*) FROM monitor_alerts").fetchone()[0] == 0


def test_webhook_redirect_is_a_failed_delivery_and_never_followed(db: Path):
    internal = Hook()  # the "admin" URL a redirect points at
    hook = Hook("redirect", location=internal.url + "?admin=1")
    try:
        with pytest.raises(DeliveryError, match="HTTP 302.*not followed"):
            monitor.WebhookSink(hook.url).emit(_alert())
        report = monitor.run_watch(db, _rules(), sinks=[monitor.WebhookSink(hook.url)])
    finally:
        hook.close()
        internal.close()
    assert internal.calls == 0
    assert len(report.alerts) == 4 and report.delivered == 0
    assert report.failed and all("302" in (d.error or "") or "not tried" in (d.error or "")
                                 for d in report.failed)


def test_feed_redirects_only_to_http_and_at_most_five(tmp_path: Path):
    feed = (b'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>'
            b"</channel></rss>")
    target = Hook(body=feed)
    hop = Hook("redirect", location=target.url)
    to_file = Hook("redirect", location="file:///etc/passwd")
    to_ftp = Hook("redirect", location="ftp://127.0.0.1/feed")
    loop = Hook("redirect")
    loop.location = loop.url
    try:
        assert fetch_feed(hop.url, timeout=5) == feed
        assert target.calls == 1
        with pytest.raises(FeedError, match="refused: redirect target file:///etc/passwd"):
            fetch_feed(to_file.url, timeout=5)
        with pytest.raises(FeedError, match="refused: redirect target ftp:"):
            fetch_feed(to_ftp.url, timeout=5)
        with pytest.raises(FeedError, match="more than 5 redirects"):
            fetch_feed(loop.url, timeout=5)
    finally:
        for server in (target, hop, to_file, to_ftp, loop):
            server.close()
    assert loop.calls == 6


def test_feed_list_refuses_other_schemes(tmp_path: Path):
    listing = tmp_path / "feeds.txt"
    for bad in ("ftp://127.0.0.1/feed.xml", "file:///etc/passwd", "http://a b/feed"):
        listing.write_text(f"# feeds\n{bad}\n")
        with pytest.raises(FeedError, match="feeds.txt: feed URL"):
            read_feed_list(listing)


def _alert() -> monitor.Alert:
    return monitor.Alert("r", "d", "2025-W15", {
        "date": "2025-04-08", "source": "RUS", "target": "POL", "cameo": "138",
        "cameo_name": "Threaten", "rung": 2, "corroboration": 1, "sources": 1,
        "evidence": "x"})


def test_a_trickling_webhook_is_cut_at_the_send_timeout():
    slow = Trickle()
    start = time.monotonic()
    try:
        with pytest.raises(DeliveryError, match="no complete answer within 1 s"):
            monitor.WebhookSink(slow.url, timeout=1).emit(_alert())
    finally:
        slow.close()
    assert time.monotonic() - start < SAFETY


def test_a_trickling_feed_is_cut_at_its_timeout():
    slow = Trickle()
    start = time.monotonic()
    try:
        with pytest.raises(FeedError, match="no complete answer within 1 s"):
            fetch_feed(slow.url, timeout=1)
    finally:
        slow.close()
    assert time.monotonic() - start < SAFETY


def test_a_hanging_webhook_holds_up_no_other_sink_and_the_run_ends(db: Path,
                                                                   tmp_path: Path):
    slow, good = Trickle(), Hook()
    jsonl = tmp_path / "a.jsonl"
    start = time.monotonic()
    try:
        report = monitor.run_watch(
            db, _rules(), run_timeout=8,
            sinks=[monitor.WebhookSink(slow.url, timeout=1), monitor.WebhookSink(good.url),
                   monitor.JsonlSink(jsonl)])
    finally:
        slow.close()
        good.close()
    assert time.monotonic() - start < SAFETY
    assert len(good.bodies) == 4 and len(jsonl.read_text().splitlines()) == 4
    assert report.delivered == 8
    assert {d.sink for d in report.failed} == {f"webhook:{slow.url}"}
    assert len(report.failed) == 4


def test_the_run_timeout_bounds_the_whole_run(db: Path):
    slow = Trickle()
    start = time.monotonic()
    try:
        report = monitor.run_watch(db, _rules(), run_timeout=1,
                                   sinks=[monitor.WebhookSink(slow.url, timeout=20)])
    finally:
        slow.close()
    assert time.monotonic() - start < SAFETY
    assert len(report.failed) == 4 and report.delivered == 0
    assert any("time limit (1 s)" in (d.error or "") for d in report.failed)
    assert all(not delivered for *_, delivered, _a, _e in _rows(db))


def test_failed_hook_is_retried_next_run_and_nothing_is_sent_twice(db: Path, tmp_path: Path,
                                                                   monkeypatch):
    # every alert is tried (however the threads interleave), so each has one failed try
    monkeypatch.setattr(sys.modules["redline.monitor.watch"], "MAX_CONSECUTIVE_FAILURES", 99)
    hook = Hook("fail")
    jsonl = tmp_path / "a.jsonl"

    def sinks() -> list[monitor.watch.Sink]:
        return [monitor.JsonlSink(jsonl), monitor.WebhookSink(hook.url, retries=0)]

    try:
        first = monitor.run_watch(db, _rules(), sinks=sinks())
        assert len(first.alerts) == 4 and first.delivered == 4  # the JSONL file took them
        assert len(first.failed) == 4 and hook.bodies == []
        assert sum(not delivered for *_, delivered, _a, _e in _rows(db)) == 4
        hook.mode = "ok"
        second = monitor.run_watch(db, _rules(), sinks=sinks())
        assert second.alerts == [] and second.retried == 4 and second.delivered == 4
        assert second.ok
        assert sorted(b["period"] for b in hook.bodies) == [
            "2025-W15", "2025-W16", "2025-W19", "2025-W20"]
        third = monitor.run_watch(db, _rules(), sinks=sinks())
        assert third.alerts == [] and third.retried == 0 and third.delivered == 0
    finally:
        hook.close()
    assert len(hook.bodies) == 4 and len(jsonl.read_text().splitlines()) == 4
    rows = _rows(db)
    assert all(delivered for *_, delivered, _a, _e in rows)
    hook_rows = [r for r in rows if r[2].startswith("webhook:")]
    assert [r[4] for r in hook_rows] == [2, 2, 2, 2]  # one failed try, one good one


def test_only_the_undelivered_alert_is_sent_again(db: Path):
    hook = Hook()
    hook.fail_if = lambda body: body["period"] == "2025-W16"
    try:
        first = monitor.run_watch(db, _rules(), sinks=[monitor.WebhookSink(hook.url,
                                                                           retries=0)])
        assert first.delivered == 3 and [d.alert.period for d in first.failed] == ["2025-W16"]
        hook.fail_if = None
        second = monitor.run_watch(db, _rules(), sinks=[monitor.WebhookSink(hook.url)])
    finally:
        hook.close()
    assert second.retried == 1 and second.delivered == 1
    periods = [b["period"] for b in hook.bodies]
    assert sorted(periods) == ["2025-W15", "2025-W16", "2025-W19", "2025-W20"]


def test_a_failing_sink_is_not_tried_again_in_the_same_run(db: Path):
    hook = Hook("fail")
    sink = monitor.WebhookSink(hook.url, retries=0, workers=1)
    try:
        report = monitor.run_watch(db, _rules(), sinks=[sink])
    finally:
        hook.close()
    assert hook.calls == 3 and len(report.failed) == 4
    assert "not tried" in (report.failed[-1].error or "")
    attempts = sorted(r[4] for r in _rows(db))
    assert attempts == [0, 1, 1, 1]


def test_alerts_fired_before_deliveries_were_recorded_are_not_resent(db: Path):
    assert len(monitor.watch(db, _rules())) == 4  # no sinks: nothing to deliver
    hook = Hook()
    try:
        report = monitor.run_watch(db, _rules(), sinks=[monitor.WebhookSink(hook.url)])
    finally:
        hook.close()
    assert report.alerts == [] and report.retried == 0 and hook.calls == 0


def test_cli_exit_status_3_until_delivered(db: Path, tmp_path: Path):
    (tmp_path / "r.toml").write_text(FOUR)
    hook = Hook("fail")
    args = ["watch", "--db", str(db), "--rules", str(tmp_path / "r.toml"), "--quiet",
            "--webhook", hook.url, "--send-timeout", "2"]
    runner = CliRunner()
    try:
        res = runner.invoke(cli, args)
        assert res.exit_code == 3, res.output
        assert "4 deliveries failed" in res.output and "retried on the next run" in res.output
        assert '"undelivered": 4' in res.output
        hook.mode = "ok"
        res = runner.invoke(cli, args)
        assert res.exit_code == 0, res.output
        assert '"retried": 4' in res.output and '"delivered": 4' in res.output
        res = runner.invoke(cli, args)
        assert res.exit_code == 0 and '"delivered": 0' in res.output
    finally:
        hook.close()
    assert len(hook.bodies) == 4


class _FakeIngest:
    """Stands in for the NLP ingest: stores the constructed corpus once."""

    def __call__(self, inputs: list[str], db: Path, **kwargs: object) -> IngestReport:
        conn = open_writer(db)
        try:
            stored = conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
        finally:
            conn.close()
        if not stored:
            write(Path(db), articles())
        return IngestReport(1, str(db), read=32, added=0 if stored else 32, events=40)


def test_follow_retries_on_the_next_poll_and_exits_3_while_pending(tmp_path: Path,
                                                                   monkeypatch):
    monkeypatch.setattr(sys.modules["redline.store.ingest"], "ingest", _FakeIngest())
    (tmp_path / "wire.rss").write_text(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>w</title>'
        "<item><guid>1</guid><title>t</title><description>x</description></item>"
        "</channel></rss>")
    (tmp_path / "feeds.txt").write_text("wire.rss\n")
    (tmp_path / "r.toml").write_text(FOUR)
    hook = Hook("fail")
    args = ["watch", "--db", str(tmp_path / "f.db"), "--rules", str(tmp_path / "r.toml"),
            "--quiet", "--webhook", hook.url, "--follow", "--feeds",
            str(tmp_path / "feeds.txt"), "--interval", "0", "--max-polls", "1"]
    runner = CliRunner()
    try:
        res = runner.invoke(cli, args)
        assert res.exit_code == 3 and '"undelivered": 4' in res.output, res.output
        hook.mode = "ok"
        res = runner.invoke(cli, args)
        assert res.exit_code == 0 and '"undelivered": 0' in res.output, res.output
    finally:
        hook.close()
    assert len(hook.bodies) == 4
