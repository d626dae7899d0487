"""Hostile inputs (issue 16): each gives articles or named errors, never a traceback, a hang or
silent loss. Every input is generated here; a SIGALRM safety net turns a hang into a failure."""

from __future__ import annotations

import datetime as dt
import io
import json
import logging
import os
import signal
from collections.abc import Iterator
from pathlib import Path

import pytest

from redline.article import Article
from redline.errors import BinaryInputError, FormatError, InputError, TooLargeError
from redline.output import Writer
from redline.readers import count_hint, read_inputs
from redline.readers import records as records_mod
from redline.readers.files import MAX_DATE, default_id

SAFETY_S = 60  # a hang, not a speed target: these inputs take well under a second each


@pytest.fixture(autouse=True)
def no_hang() -> Iterator[None]:
    def hung(signum, frame):  # pragma: no cover - only when a reader hangs
        raise TimeoutError(f"a reader ran past the {SAFETY_S} s safety limit")

    old = signal.signal(signal.SIGALRM, hung)
    signal.alarm(SAFETY_S)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, old)


def read(*paths: Path | str, **kw) -> list[Article | InputError]:
    return list(read_inputs([str(p) for p in paths], **kw))


def jsonl_line(rec: dict) -> str:
    return json.dumps(rec) + "\n"  # ensure_ascii: a lone surrogate is written as \udXXX


# --- 1. lone surrogates --------------------------------------------------------------------


@pytest.mark.parametrize("lone", ["\ud800", "\udfff", "\udc80"])
def test_lone_surrogates_are_replaced_and_output_can_be_written(
        tmp_path: Path, lone: str, caplog) -> None:
    p = tmp_path / "s.jsonl"
    p.write_text(
        jsonl_line({"id": f"a{lone}", "title": f"T{lone}", "url": f"http://x/{lone}",
                    "source": f"S{lone}", "text": f"Talks {lone} began."})
        + jsonl_line({"text": f"Only the text{lone}."}),
        encoding="ascii",
    )
    with caplog.at_level(logging.WARNING):
        a, b = read(p)
    assert (a.id, a.title, a.url, a.source, a.text) == (
        "a\ufffd", "T\ufffd", "http://x/\ufffd", "S\ufffd", "Talks \ufffd began.")
    assert b.text == "Only the text\ufffd."  # the record is kept, not dropped
    assert any("surrogate" in n for n in a.notes) and any("surrogate" in n for n in b.notes)
    assert f"{p}:1" in caplog.text and "surrogate" in caplog.text
    for fmt in ("jsonl", "json", "csv", "table"):
        out = io.TextIOWrapper(io.BytesIO(), encoding="utf-8")  # strict, as -o is
        writer = Writer(out, fmt)
        writer.write(a)
        writer.write(b)
        writer.close()


# --- 2. special files, sizes, the progress count --------------------------------------------


@pytest.mark.parametrize("name", ["z.csv", "z.jsonl", "z.txt", "z.html", "z.xml", "z.json"])
def test_a_symlink_to_a_device_is_refused_by_type(tmp_path: Path, name: str) -> None:
    if not os.path.exists("/dev/zero"):
        pytest.skip("no /dev/zero")
    link = tmp_path / name
    link.symlink_to("/dev/zero")
    assert count_hint([str(link)]) == 1
    (e,) = read(link)
    assert type(e) is InputError and "is a character device, not a regular file" in str(e)


@pytest.mark.parametrize("name", ["f.csv", "f.jsonl", "f.txt", "f.rss", "f.xml"])
def test_a_fifo_with_no_writer_is_refused(tmp_path: Path, name: str) -> None:
    fifo = tmp_path / name
    os.mkfifo(fifo)
    assert count_hint([str(fifo)]) == 1
    (e,) = read(fifo)
    assert "is a named pipe (FIFO), not a regular file" in str(e)


def test_a_huge_sparse_file_is_not_read_whole(tmp_path: Path) -> None:
    for name in ("big.jsonl", "big.csv", "big.txt", "big.rss"):
        p = tmp_path / name
        with p.open("wb") as f:
            f.truncate(1 << 30)  # 1 GiB of NUL bytes, sparse
        assert count_hint([str(p)]) >= 1  # reads at most 16 MiB
        (e,) = read(p)
        assert isinstance(e, BinaryInputError | TooLargeError), e


def test_an_endless_line_on_stdin_is_given_up(tmp_path: Path) -> None:
    class Endless(io.RawIOBase):
        def readable(self) -> bool:
            return True

        def readinto(self, b) -> int:
            b[:] = b"y" * len(b)
            return len(b)

    stdin = io.TextIOWrapper(io.BufferedReader(
        _Prefix(b'{"text": "first"}\n', Endless())), encoding="utf-8")
    got = list(read_inputs(["-"], stdin=stdin, max_bytes=1000))
    assert isinstance(got[0], Article) and got[0].text == "first"
    assert all(isinstance(x, TooLargeError) for x in got[1:]) and got[-1].source == "<stdin>"


class _Prefix(io.RawIOBase):
    def __init__(self, head: bytes, rest: io.RawIOBase) -> None:
        self.head, self.rest = head, rest

    def readable(self) -> bool:
        return True

    def readinto(self, b) -> int:
        if self.head:
            n = min(len(b), len(self.head))
            b[:n], self.head = self.head[:n], self.head[n:]
            return n
        return self.rest.readinto(b)


def test_count_hint_extrapolates_past_its_read_limit(tmp_path: Path, monkeypatch) -> None:
    from redline.readers import inputs

    monkeypatch.setattr(inputs, "COUNT_READ_LIMIT", 1000)
    p = tmp_path / "many.jsonl"
    p.write_text(jsonl_line({"text": "x" * 80}) * 1000)
    assert 900 <= count_hint([str(p)]) <= 1100


# --- 3. pathological HTML --------------------------------------------------------------------


@pytest.mark.parametrize("body", ["<" * 1_000_000, "&amp;" * 500_000, "&#x41;" * 500_000])
def test_pathological_html_is_refused_by_name(tmp_path: Path, body: str) -> None:
    p = tmp_path / "bad.html"
    p.write_text(f"<html><body><p>{body}</p></body></html>")
    (item,) = read(p)
    if isinstance(item, Article):  # 500 k "A" is prose of a sort: read without trafilatura
        assert item.text.startswith("AAAA") and "without trafilatura" in item.notes[0]
    else:
        assert isinstance(item, FormatError) and "is not prose" in str(item)


def test_symbol_only_text_file_is_not_prose(tmp_path: Path) -> None:
    p = tmp_path / "lt.txt"
    p.write_text("<" * 200_000)
    (e,) = read(p)
    assert isinstance(e, FormatError) and "not prose" in str(e)


# --- 4. default ids ----------------------------------------------------------------------------


def test_same_base_name_in_two_folders_gives_different_ids(tmp_path: Path) -> None:
    for day, text in (("monday", "Talks began."), ("tuesday", "Talks ended.")):
        (tmp_path / day).mkdir()
        (tmp_path / day / "news.jsonl").write_text(jsonl_line({"text": text}))
        (tmp_path / day / "story.txt").write_text(text)
    mon = read(tmp_path / "monday" / "news.jsonl", tmp_path / "monday" / "story.txt")
    tue = read(tmp_path / "tuesday" / "news.jsonl", tmp_path / "tuesday" / "story.txt")
    assert {a.id for a in mon}.isdisjoint(a.id for a in tue)
    assert mon[0].id == default_id("news.jsonl:1", "Talks began.")
    again = read(tmp_path / "monday" / "news.jsonl", tmp_path / "monday" / "story.txt")
    assert [a.id for a in again] == [a.id for a in mon]  # stable across re-runs


def test_explicit_ids_are_kept_as_given(tmp_path: Path) -> None:
    p = tmp_path / "n.jsonl"
    p.write_text(jsonl_line({"id": "wire-1", "text": "A."}))
    assert read(p)[0].id == "wire-1"


# --- 5. CSV ------------------------------------------------------------------------------------


def test_csv_unbalanced_quote_is_reported_naming_its_line(tmp_path: Path) -> None:
    p = tmp_path / "q.csv"
    p.write_text('id,text\nr1,Fine.\nr2,"Never closed\nr3,Swallowed.\nr4,Also swallowed.\n')
    a, e = read(p)
    assert a.id == "r1"
    assert isinstance(e, FormatError) and e.source == f"{p}:3"
    assert "never closed" in str(e) and "line 3" in str(e)


def test_csv_unbalanced_quote_in_a_huge_file_stops_at_the_record_limit(tmp_path: Path) -> None:
    p = tmp_path / "q.csv"
    p.write_text('text\nFine.\n"Never closed\n' + "more words here\n" * 20_000)
    a, e = read(p, max_bytes=1000)  # a record may be 6 * 1000 + 64 KiB
    assert a.text == "Fine."
    assert isinstance(e, FormatError) and e.source == f"{p}:3" and "is over" in str(e)


def test_csv_cr_only_line_endings(tmp_path: Path) -> None:
    p = tmp_path / "mac.csv"
    p.write_bytes(b'id,text\rr1,First.\rr2,"Two\rlines."\r')
    a, b = read(p)
    assert (a.id, a.text, b.id, b.text) == ("r1", "First.", "r2", "Two\nlines.")


def test_a_nul_byte_after_the_first_8_kb(tmp_path: Path) -> None:
    filler = "word " * 4000  # 20 KB
    c = tmp_path / "nul.csv"
    c.write_bytes(f"text\n{filler}\nbad \x00 row\nlast row\n".encode())
    first, e, last = read(c)
    assert first.text == filler.strip() or first.text == filler
    assert isinstance(e, BinaryInputError) and e.source == f"{c}:3"
    assert last.text == "last row"
    t = tmp_path / "nul.txt"
    t.write_bytes(f"{filler}\x00 tail".encode())
    (e2,) = read(t)
    assert isinstance(e2, BinaryInputError) and "NUL byte at byte 20000" in str(e2)
    j = tmp_path / "nul.jsonl"
    j.write_bytes((jsonl_line({"text": filler}) + '{"text": "a\x00"}\n'
                   + jsonl_line({"text": "after"})).encode())
    a, e3, b = read(j)
    assert isinstance(e3, BinaryInputError) and e3.source == f"{j}:2" and b.text == "after"


# --- 6. one bad record loses only itself -----------------------------------------------------


def test_an_unexpected_error_in_one_record_loses_only_that_record(
        tmp_path: Path, monkeypatch) -> None:
    real = records_mod.check_text

    def fragile(text, *args, **kw):
        if "boom" in text:
            raise OverflowError("unexpected")
        return real(text, *args, **kw)

    monkeypatch.setattr(records_mod, "check_text", fragile)
    j = tmp_path / "a.jsonl"
    j.write_text("".join(jsonl_line({"text": t}) for t in ("one", "boom", "three")))
    c = tmp_path / "a.csv"
    c.write_text("text\none\nboom\nthree\n")
    for p in (j, c):
        a, e, b = read(p)
        assert (a.text, b.text) == ("one", "three")
        assert isinstance(e, FormatError) and e.source == f"{p}:" + ("2" if p == j else "3")
        assert "OverflowError" in str(e)


# --- 7. dates ------------------------------------------------------------------------------------


@pytest.mark.parametrize("date", ["9999-12-31", "0001-01-01", "99999-01-01",
                                  "9999-12-31T23:59:59Z", "0001-01-01T00:00:00+14:00"])
def test_extreme_record_dates_are_ignored_with_a_warning(tmp_path: Path, date: str,
                                                         caplog) -> None:
    p = tmp_path / "d.jsonl"
    p.write_text(jsonl_line({"text": "Talks began.", "date": date}))
    with caplog.at_level(logging.WARNING):
        (a,) = read(p, default_date=dt.date(2024, 1, 2))
    assert isinstance(a, Article) and a.date == dt.date(2024, 1, 2)
    assert any("outside 1000-01-01..2999-12-31" in n for n in a.notes)
    assert f"{p}:1" in caplog.text
    (b,) = read(p)
    assert b.date is None


@pytest.mark.parametrize("pub", ["Fri, 31 Dec 9999 23:59:59 GMT", "Mon, 01 Jan 0001 00:00:00 GMT",
                                 "Mon, 01 Jan 99999 00:00:00 GMT", "9999-12-31T23:59:59Z",
                                 "Fri, 31 Dec 9999 23:59:59 -1200"])
def test_extreme_feed_dates_are_ignored(tmp_path: Path, pub: str) -> None:
    p = tmp_path / "f.rss"
    p.write_text(f"<rss><channel><title>W</title><item><guid>g1</guid><description>Talks."
                 f"</description><pubDate>{pub}</pubDate></item></channel></rss>")
    (a,) = read(p)
    assert isinstance(a, Article) and a.date is None and a.notes


def test_extreme_html_date_is_ignored(tmp_path: Path) -> None:
    p = tmp_path / "d.html"
    p.write_text('<html><head><meta property="article:published_time" content="9999-12-31">'
                 "</head><body><article><p>" + "The ministers met and talked. " * 20
                 + "</p></article></body></html>")
    (a,) = read(p)
    assert isinstance(a, Article) and (a.date is None or a.date <= MAX_DATE)


# --- 8. declared encodings -------------------------------------------------------------------


@pytest.mark.parametrize("decl", ["ISO-8859-1", "iso-8859-1", "windows-1252"])
@pytest.mark.parametrize("lead", ["", "\n  ", "\ufeff"])
def test_a_feed_in_a_declared_8_bit_encoding(tmp_path: Path, decl: str, lead: str) -> None:
    body = (f'<?xml version="1.0" encoding="{decl}"?>\n<rss version="2.0"><channel>'
            "<title>Caf\xe9 Wire</title><item><guid>g1</guid><description>Le minist\xe8re "
            "a critiqu\xe9 la d\xe9cision.</description></item></channel></rss>\n")
    p = tmp_path / "latin.rss"
    p.write_bytes(lead.encode("utf-8") + body.encode("latin-1"))
    (a,) = read(p)
    assert isinstance(a, Article), a
    assert (a.source, a.text) == ("Café Wire", "Le ministère a critiqué la décision.")


# Found by tests/fuzz: a declared encoding expat cannot use raised LookupError or ValueError
# out of the feed reader (reported only by the last-resort "could not be read (...)").
@pytest.mark.parametrize("decl", ["bogus", "UTF-32"])
def test_a_feed_declaring_an_encoding_it_cannot_be_read_in_is_named(tmp_path: Path,
                                                                    decl: str) -> None:
    p = tmp_path / "feed.rss"
    p.write_bytes(f'<?xml version="1.0" encoding="{decl}"?><rss version="2.0"><channel><title>'
                  "</title></channel></rss>".encode())
    (e,) = read(p)
    assert isinstance(e, FormatError), e
    assert e.source == str(p) and f"encoding {decl!r} cannot be read" in str(e)
    assert "could not be read (" not in str(e) and "\n" not in str(e)


# Found by tests/fuzz: field names with a line break (or a lone surrogate) made the "no 'text'
# field" message two lines (or one that cannot be printed).
def test_odd_field_names_keep_the_error_on_one_printable_line(tmp_path: Path) -> None:
    p = tmp_path / "news.jsonl"
    p.write_text('{"\\r": null}\n{"a\\nb": 1, "\\ud800": 2, "ok": 3}\n', encoding="utf-8")
    first, second = read(p)
    assert isinstance(first, FormatError) and isinstance(second, FormatError)
    assert str(first).endswith("has no 'text' field (fields: '\\r')"), str(first)
    assert "(fields: 'a\\nb', '\\ud800', ok)" in str(second), str(second)
    for e in (first, second):
        assert "\n" not in str(e) and "\r" not in str(e)
        str(e).encode("utf-8")


def test_html_declaring_utf16_over_8_bit_bytes_is_not_garbage(tmp_path: Path) -> None:
    page = ('<html><head><meta charset="utf-16"><title>Caf\xe9</title></head><body><article>'
            + "<p>Le minist\xe8re a critiqu\xe9 la d\xe9cision du conseil. </p>" * 10
            + "</article></body></html>")
    p = tmp_path / "u16.html"
    p.write_bytes(page.encode("latin-1"))
    (a,) = read(p)
    assert isinstance(a, Article)
    assert "Le ministère a critiqué la décision" in a.text
    assert not any("\u3000" <= ch <= "\u9fff" or "\uac00" <= ch <= "\ud7a3" for ch in a.text)
