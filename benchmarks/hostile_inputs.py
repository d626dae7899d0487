"""Hostile inputs (issue 16, inputs): how long each class takes to give articles or errors.

    python benchmarks/hostile_inputs.py [--no-code]

For each input class below, generated in a temporary folder, the script times, in one process:
``count_hint`` (the progress-bar count), reading (``read_inputs``) and coding every article read
with redline's pipeline (built once beforehand, so model loading is left out), and writing the
coded articles as JSONL to a strict UTF-8 stream. It prints one line per class: the seconds of
each step, the total, and what came out (articles, and the error classes). A class that runs
past 60 s is stopped and shown as a hang. ``--no-code`` times the readers only (no model).
Asserts nothing: compare figures between runs on the same machine.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import signal
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

LIMIT_S = 60


def _jsonl(*recs: dict) -> str:
    return "".join(json.dumps(r) + "\n" for r in recs)


def _surrogates(d: Path) -> list[str]:
    p = d / "s.jsonl"
    recs = [{"id": f"a{s}", "title": f"T{s}", "url": f"u{s}", "source": f"S{s}",
             "text": f"Russia attacked Ukraine {s} on Monday."}
            for s in ("\ud800", "\udfff", "\udc80")]
    p.write_text(_jsonl(*recs), encoding="ascii")
    return [str(p)]


def _devzero(name: str) -> Callable[[Path], list[str]]:
    def make(d: Path) -> list[str]:
        (d / name).symlink_to("/dev/zero")
        return [str(d / name)]
    return make


def _fifo(name: str) -> Callable[[Path], list[str]]:
    def make(d: Path) -> list[str]:
        os.mkfifo(d / name)
        return [str(d / name)]
    return make


def _sparse(d: Path) -> list[str]:
    p = d / "sparse.jsonl"
    with p.open("wb") as f:
        f.truncate(1 << 30)
    return [str(p)]


def _html(body: str) -> Callable[[Path], list[str]]:
    def make(d: Path) -> list[str]:
        p = d / "page.html"
        p.write_text(f"<html><body><p>{body}</p></body></html>")
        return [str(p)]
    return make


def _same_base(d: Path) -> list[str]:
    out = []
    days = (("monday", "France praised Germany."), ("tuesday", "Iran threatened Israel."))
    for day, text in days:
        (d / day).mkdir()
        (d / day / "news.jsonl").write_text(_jsonl({"text": text}))
        out.append(str(d / day / "news.jsonl"))
    return out


def _write(name: str, data: bytes) -> Callable[[Path], list[str]]:
    def make(d: Path) -> list[str]:
        (d / name).write_bytes(data)
        return [str(d / name)]
    return make


_FEED = ('<?xml version="1.0" encoding="ISO-8859-1"?>\n<rss><channel><title>Caf\xe9</title>'
         "<item><guid>g1</guid><description>Le minist\xe8re a critiqu\xe9 la d\xe9cision."
         "</description></item></channel></rss>\n")
_U16 = ('<html><head><meta charset="utf-16"></head><body><article>'
        + "<p>Le minist\xe8re fran\xe7ais a critiqu\xe9 la Russie. </p>" * 10
        + "</article></body></html>")

CLASSES: list[tuple[str, Callable[[Path], list[str]]]] = [
    ("lone surrogates in id/title/url/source/text", _surrogates),
    ("symlink to /dev/zero named .csv", _devzero("zero.csv")),
    ("symlink to /dev/zero named .jsonl", _devzero("zero.jsonl")),
    ("FIFO with no writer (.jsonl)", _fifo("pipe.jsonl")),
    ("FIFO with no writer (.txt)", _fifo("pipe.txt")),
    ("1 GiB sparse .jsonl", _sparse),
    ("HTML of 1 M '<'", _html("<" * 1_000_000)),
    ("HTML of 500 k entities", _html("&amp;" * 500_000)),
    ("same base name, two folders, no ids", _same_base),
    ("CSV unbalanced quote", _write("q.csv", b'text\nRussia attacked Ukraine.\n"never closed\n'
                                    + b"more text\n" * 50_000)),
    ("CSV CR-only line endings", _write("cr.csv", b"text\rRussia attacked Ukraine.\r"
                                        b"France praised Germany.\r")),
    ("CSV NUL byte after 8 KB", _write("nul.csv", b"text\n" + b"France praised Germany. " * 500
                                       + b"\nbad\x00row\nIran threatened Israel.\n")),
    ("JSONL bad line in the middle", _write("bad.jsonl", b'{"text": "France praised Germany."}\n'
                                            b'{"text": 1}\n{"text": "Iran threatened Israel."}\n')),
    ("JSONL dates 9999-12-31 / 0001-01-01 / 99999", _write("d.jsonl", _jsonl(
        {"text": "Russia attacked Ukraine.", "date": "9999-12-31"},
        {"text": "France praised Germany.", "date": "0001-01-01"},
        {"text": "Iran threatened Israel.", "date": "99999-01-01"}).encode())),
    ("feed with pubDate in year 9999", _write("f.rss", (
        b"<rss><channel><item><guid>x</guid><description>Russia attacked Ukraine.</description>"
        b"<pubDate>Fri, 31 Dec 9999 23:59:59 GMT</pubDate></item></channel></rss>"))),
    ("feed declaring ISO-8859-1", _write("latin.rss", _FEED.encode("latin-1"))),
    ("HTML declaring utf-16 over 8-bit bytes", _write("u16.html", _U16.encode("latin-1"))),
]


class _Hang(Exception):
    pass


def _alarm(signum: int, frame: object) -> None:
    raise _Hang


def run_class(make: Callable[[Path], list[str]],
              pipeline: Callable | None) -> tuple[list[float], str]:
    from redline.article import Article
    from redline.output import Writer
    from redline.readers import count_hint, read_inputs

    with tempfile.TemporaryDirectory() as tmp:
        paths = make(Path(tmp))
        times = []
        t = time.perf_counter()
        count_hint(paths)
        times.append(time.perf_counter() - t)
        t = time.perf_counter()
        items = list(read_inputs(paths))
        times.append(time.perf_counter() - t)
        arts = [x for x in items if isinstance(x, Article)]
        t = time.perf_counter()
        out = io.TextIOWrapper(io.BytesIO(), encoding="utf-8")
        writer = Writer(out, "jsonl")
        for a in arts:
            writer.write(pipeline(a) if pipeline is not None else a)
        writer.close()
        times.append(time.perf_counter() - t)
    errors = Counter(type(x).__name__ for x in items if not isinstance(x, Article))
    what = f"{len(arts)} articles" + "".join(f", {n} {k}" for k, n in sorted(errors.items()))
    return times, what


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--no-code", action="store_true", help="time the readers only")
    args = ap.parse_args()
    pipeline = None
    if not args.no_code:
        from redline.api import get_pipeline

        pipeline = get_pipeline()
        pipeline(__import__("redline.article").article.Article(id="warm", text="Hi there."))
    signal.signal(signal.SIGALRM, _alarm)
    print(f"{'input class':46} {'count':>6} {'read':>6} {'code':>6} {'total':>6}  outcome")
    for name, make in CLASSES:
        signal.alarm(LIMIT_S)
        try:
            times, what = run_class(make, pipeline)
        except _Hang:
            print(f"{name:46} {'':>6} {'':>6} {'':>6} {'>' + str(LIMIT_S):>6}  HANG")
            continue
        except Exception as e:  # noqa: BLE001 - a figure, not a test: show it and go on
            print(f"{name:46} traceback: {type(e).__name__}: {e}")
            continue
        finally:
            signal.alarm(0)
        total = sum(times)
        print(f"{name:46} {times[0]:6.2f} {times[1]:6.2f} {times[2]:6.2f} {total:6.2f}  {what}")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
