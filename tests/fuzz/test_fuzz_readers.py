"""Property-based tests of the readers (src/redline/readers/): every generated input, hostile
or valid-looking, gives articles or named redline errors, never another exception, and ends.

The reader layer is called directly (no spaCy parse), so each example is fast. The safety nets
that turn an unexpected exception into an error record (``records.isolated`` for one record,
``inputs._guarded`` for one input) are switched off here: an input that reaches them is a bug
the fuzzing should show with its traceback, not a "could not be read" line.
"""

from __future__ import annotations

import datetime as dt
import io
import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from unittest import mock

import pytest
from fuzz_strategies import (
    any_date,
    bounded,
    csv_files,
    feed_files,
    html_files,
    json_files,
    jsonl_files,
    text_files,
)
from hypothesis import given
from hypothesis import strategies as st

from redline.article import Article
from redline.errors import FormatError, InputError, RedlineError
from redline.readers import feeds, inputs, records
from redline.readers.files import MAX_DATE, MIN_DATE

MAX_BYTES = st.sampled_from([300, 5_000, 5_000_000])
DEFAULT_DATE = st.sampled_from([None, dt.date(2025, 3, 5)])


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One folder for the module; each example overwrites its one file."""
    return tmp_path_factory.mktemp("fuzz")


def _unguarded(items: Iterator, source: str) -> Iterator:
    yield from items


def read_strictly(path: str, *, max_bytes: int, default_date: dt.date | None,
                  stdin: io.TextIOBase | None = None) -> list[Article | InputError]:
    """Everything ``read_inputs`` yields for ``path``, with the catch-all nets off, within the
    hang bound."""
    with bounded(), mock.patch.object(records, "RECORD_ERRORS", ()), \
            mock.patch.object(inputs, "_guarded", _unguarded):
        return list(inputs.read_inputs([path], max_bytes=max_bytes, default_date=default_date,
                                       stdin=stdin))


def _utf8(value: object) -> None:
    if value is not None:
        assert isinstance(value, str)
        value.encode("utf-8")  # no lone surrogate can reach any output


def check(items: Iterable[object], source: str, max_bytes: int) -> None:
    """Each item is a well-formed Article or a one-line InputError naming ``source``."""
    items = list(items)
    assert items, "an input gave neither an article nor an error"
    for item in items:
        if isinstance(item, InputError):
            assert isinstance(item, RedlineError)
            message = str(item)
            assert item.source.startswith(source), (item.source, source)
            assert "\n" not in message and "\r" not in message, message
            assert "could not be read (" not in message, message
            message.encode("utf-8")  # it can be printed
            continue
        assert isinstance(item, Article), type(item)
        assert isinstance(item.id, str) and item.id
        assert isinstance(item.text, str) and item.text.strip()
        assert len(item.text.encode("utf-8")) <= max_bytes
        assert "\r" not in item.text
        for value in (item.id, item.text, item.title, item.source, item.url, *item.notes):
            _utf8(value)
        assert item.date is None or (isinstance(item.date, dt.date)
                                     and MIN_DATE <= item.date <= MAX_DATE), item.date


def _write(workdir: Path, name: str, data: bytes) -> str:
    path = workdir / name
    path.write_bytes(data)
    return os.fspath(path)


def _run(workdir: Path, name: str, data: bytes, max_bytes: int,
         default_date: dt.date | None) -> None:
    path = _write(workdir, name, data)
    check(read_strictly(path, max_bytes=max_bytes, default_date=default_date), path, max_bytes)


@given(data=text_files(), name=st.sampled_from(["story.txt", "story.md", "story", "story.dat"]),
       max_bytes=MAX_BYTES, default_date=DEFAULT_DATE)
def test_fuzz_text_files(workdir: Path, data: bytes, name: str, max_bytes: int,
                         default_date: dt.date | None) -> None:
    _run(workdir, name, data, max_bytes, default_date)


@given(data=jsonl_files(), name=st.sampled_from(["news.jsonl", "news.ndjson"]),
       max_bytes=MAX_BYTES, default_date=DEFAULT_DATE)
def test_fuzz_jsonl(workdir: Path, data: bytes, name: str, max_bytes: int,
                    default_date: dt.date | None) -> None:
    _run(workdir, name, data, max_bytes, default_date)


@given(data=json_files(), max_bytes=MAX_BYTES, default_date=DEFAULT_DATE)
def test_fuzz_json(workdir: Path, data: bytes, max_bytes: int,
                   default_date: dt.date | None) -> None:
    _run(workdir, "news.json", data, max_bytes, default_date)


@given(data=csv_files(), name=st.sampled_from(["news.csv", "news.tsv"]), max_bytes=MAX_BYTES,
       default_date=DEFAULT_DATE)
def test_fuzz_csv(workdir: Path, data: bytes, name: str, max_bytes: int,
                  default_date: dt.date | None) -> None:
    _run(workdir, name, data, max_bytes, default_date)


@given(data=html_files(), name=st.sampled_from(["page.html", "page.htm"]), max_bytes=MAX_BYTES,
       default_date=DEFAULT_DATE)
def test_fuzz_html(workdir: Path, data: bytes, name: str, max_bytes: int,
                   default_date: dt.date | None) -> None:
    _run(workdir, name, data, max_bytes, default_date)


@given(data=feed_files(), name=st.sampled_from(["feed.rss", "feed.atom", "feed.xml"]),
       max_bytes=MAX_BYTES, default_date=DEFAULT_DATE)
def test_fuzz_feeds(workdir: Path, data: bytes, name: str, max_bytes: int,
                    default_date: dt.date | None) -> None:
    _run(workdir, name, data, max_bytes, default_date)


@given(data=st.one_of(jsonl_files(), text_files()), max_bytes=MAX_BYTES,
       default_date=DEFAULT_DATE)
def test_fuzz_stdin(data: bytes, max_bytes: int, default_date: dt.date | None) -> None:
    stdin = io.TextIOWrapper(io.BytesIO(data), encoding="utf-8")
    items = read_strictly("-", max_bytes=max_bytes, default_date=default_date, stdin=stdin)
    check(items, "<stdin>", max_bytes)


@given(value=st.one_of(any_date, st.none(), st.integers(), st.floats(), st.lists(st.integers())))
def test_fuzz_record_dates(value: object) -> None:
    """``date`` of a JSON/CSV record: a date in range, None (with a note when out of range), or
    a FormatError naming the record."""
    notes: list[str] = []
    try:
        with bounded():
            date = records.parse_date(value, "news.jsonl:1", "line 1", notes)
    except FormatError as e:
        assert e.source == "news.jsonl:1" and "\n" not in str(e)
        return
    assert date is None or MIN_DATE <= date <= MAX_DATE
    if date is None and isinstance(value, str) and value.strip():
        assert notes, value  # an ignored date is said so


@given(value=st.one_of(any_date, st.none()))
def test_fuzz_feed_dates(value: str | None) -> None:
    """A feed item's ``pubDate``/``published``: in range, ignored with a note, or a
    FormatError."""
    notes: list[str] = []
    try:
        with bounded():
            date = feeds._date(value, "feed.rss[0]", notes)
    except FormatError as e:
        assert e.source == "feed.rss[0]" and "\n" not in str(e)
        return
    assert date is None or MIN_DATE <= date <= MAX_DATE
    if date is None and value and value.strip():
        assert notes, value
