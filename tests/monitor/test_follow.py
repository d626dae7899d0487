from __future__ import annotations

import http.server
import logging
import sys
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner
from monitor_corpus import RULES, articles, write

from redline import monitor
from redline.cli.main import cli
from redline.monitor.follow import FeedError, fetch_feed, follow, read_feed_list
from redline.store.ingest import IngestReport


def _rss(title: str, items: list[tuple[str, str, str]]) -> str:
    body = "".join(
        f"<item><guid>{guid}</guid><title>{t}</title><description>{text}</description>"
        "<pubDate>Tue, 15 Apr 2025 09:00:00 GMT</pubDate></item>"
        for guid, t, text in items)
    return (f'<?xml version="1.0"?><rss version="2.0"><channel><title>{title}</title>'
            f"{body}</channel></rss>")


def _feeds(tmp_path: Path) -> Path:
    (tmp_path / "wire.rss").write_text(_rss("Wire", [
        ("wire-1", "Russia threatens Poland",
         "Russia threatened to strike Poland on Tuesday, the Kremlin said."),
        ("wire-2", "Talks in Warsaw", "Poland and Germany held talks in Warsaw on Monday."),
    ]))
    (tmp_path / "broken.xml").write_text("<rss><channel><item>oops</channel>")
    (tmp_path / "feeds.txt").write_text(
        "# test feeds\n\nwire.rss\n" f"{tmp_path / 'missing.rss'}  # gone\nbroken.xml\n")
    return tmp_path / "feeds.txt"


def test_read_feed_list(tmp_path: Path):
    listed = read_feed_list(_feeds(tmp_path))
    assert listed == [str(tmp_path / "wire.rss"), str(tmp_path / "missing.rss"),
                      str(tmp_path / "broken.xml")]
    (tmp_path / "empty.txt").write_text("# nothing\n")
    with pytest.raises(FeedError, match="names no feeds"):
        read_feed_list(tmp_path / "empty.txt")
    with pytest.raises(FeedError, match="cannot read the feed list"):
        read_feed_list(tmp_path / "nope.txt")


def test_fetch_feed_checks(tmp_path: Path):
    _feeds(tmp_path)
    assert fetch_feed(str(tmp_path / "wire.rss")).startswith(b"<?xml")
    with pytest.raises(FeedError, match="missing.rss: cannot read"):
        fetch_feed(str(tmp_path / "missing.rss"))
    with pytest.raises(FeedError, match="not well-formed XML"):
        fetch_feed(str(tmp_path / "broken.xml"))
    (tmp_path / "page.xml").write_text("<html><body/></html>")
    with pytest.raises(FeedError, match="<html> root"):
        fetch_feed(str(tmp_path / "page.xml"))


def _serve(body: bytes, status: int = 200) -> http.server.HTTPServer:
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802
            self.send_response(status)
            self.send_header("Content-Type", "application/rss+xml")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def test_fetch_feed_over_http():
    feed = _rss("Local", [("l-1", "t", "Some text.")]).encode()
    ok = _serve(feed)
    bad = _serve(b"nope", status=500)
    try:
        assert fetch_feed(f"http://127.0.0.1:{ok.server_port}/feed.rss", timeout=5) == feed
        with pytest.raises(FeedError, match="HTTP 500"):
            fetch_feed(f"http://127.0.0.1:{bad.server_port}/feed.rss", timeout=5)
    finally:
        ok.shutdown()
        bad.shutdown()
    with pytest.raises(FeedError, match="cannot fetch"):
        fetch_feed(f"http://127.0.0.1:{ok.server_port}/feed.rss", timeout=2)


class _FakeIngest:
    """Stands in for the NLP ingest: stores the constructed corpus instead."""

    def __init__(self) -> None:
        self.calls: list[list[str]] = []

    def __call__(self, inputs: list[str], db: Path, **kwargs: object) -> IngestReport:
        assert kwargs["workers"] == 1
        self.calls.append([Path(p).name for p in inputs])
        write(Path(db), articles())
        return IngestReport(len(self.calls), str(db), read=32, added=32, events=40)


def test_follow_polls_skips_broken_feeds_and_alerts_once(tmp_path: Path, monkeypatch,
                                                         caplog):
    fake = _FakeIngest()
    monkeypatch.setattr(sys.modules["redline.store.ingest"], "ingest", fake)
    db = tmp_path / "f.db"
    rules = monitor.parse_rules(__import__("tomllib").loads(RULES))
    slept: list[float] = []
    with caplog.at_level(logging.WARNING, logger="redline.monitor.follow"):
        reports = follow(db, rules, read_feed_list(_feeds(tmp_path)), interval=0,
                         max_polls=2, sleep=slept.append)
    assert len(reports) == 2 and slept == [0]
    assert fake.calls == [["wire.xml"]]  # second poll: the feed is unchanged, not re-read
    first, second = reports
    assert first.feeds_read == 1 and second.feeds_unchanged == 1
    assert len(first.feeds_broken) == len(second.feeds_broken) == 2
    assert [a.rule for a in first.alerts] == ["rus-nato-force"] and second.alerts == []
    warned = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert sum("missing.rss" in m for m in warned) == 2
    assert sum("broken.xml" in m and "not well-formed" in m for m in warned) == 2


def test_follow_stops_cleanly_on_ctrl_c(tmp_path: Path, monkeypatch):
    monkeypatch.setattr(sys.modules["redline.store.ingest"], "ingest", _FakeIngest())
    rules = monitor.parse_rules(__import__("tomllib").loads(RULES))

    def interrupt(seconds: float) -> None:
        raise KeyboardInterrupt

    reports = follow(tmp_path / "f.db", rules, read_feed_list(_feeds(tmp_path)),
                     interval=5, sleep=interrupt)
    assert len(reports) == 1


def test_watch_follow_command(tmp_path: Path, monkeypatch):
    monkeypatch.setattr(sys.modules["redline.store.ingest"], "ingest", _FakeIngest())
    feeds = _feeds(tmp_path)
    rules = tmp_path / "rules.toml"
    rules.write_text(RULES)
    runner = CliRunner()
    args = ["watch", "--db", str(tmp_path / "f.db"), "--rules", str(rules), "--follow",
            "--feeds", str(feeds), "--interval", "0", "--max-polls", "2"]
    res = runner.invoke(cli, args)
    assert res.exit_code == 0, res.output
    assert res.output.count("[rus-nato-force]") == 1
    assert '"polls": 2' in res.output
    res = runner.invoke(cli, ["watch", "--db", str(tmp_path / "f.db"), "--rules", str(rules),
                              "--follow"])
    assert res.exit_code == 2 and "--follow and --feeds go together" in res.output
    res = runner.invoke(cli, [*args[:6], "--follow", "--feeds", str(tmp_path / "none.txt")])
    assert res.exit_code == 1 and "cannot read the feed list" in res.output


@pytest.mark.model
def test_follow_ingests_feeds_with_the_real_pipeline(tmp_path: Path, caplog):
    feeds = _feeds(tmp_path)
    db = tmp_path / "real.db"
    rules = monitor.parse_rules({"rule": [{"name": "any", "source": ["RUS", "POL"]}]})
    with caplog.at_level(logging.WARNING, logger="redline.monitor.follow"):
        reports = follow(db, rules, read_feed_list(feeds), interval=0, max_polls=2)
    assert [r.feeds_read for r in reports] == [1, 0]
    assert reports[0].articles_added == 2 and reports[1].articles_added == 0
    assert len(reports[0].feeds_broken) == 2
    assert any("broken.xml" in r.getMessage() for r in caplog.records)
    import sqlite3

    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0] == 2
