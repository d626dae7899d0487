"""Dispatch inputs (files, directories, ``-``) to the right reader; estimate their size."""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import sys
from collections.abc import Iterable, Iterator
from typing import BinaryIO, TextIO

from redline.article import Article
from redline.errors import BinaryInputError, EmptyInputError, EncodingError, InputError
from redline.readers.feeds import FEED_EXTENSIONS, feed_hint, is_feed, read_feed
from redline.readers.files import (
    DEFAULT_MAX_BYTES,
    SNIFF_BYTES,
    check_exists,
    check_text,
    decode_utf8,
    default_id,
    iter_lines,
    open_regular,
    os_error,
    read_bytes,
    sniff_binary,
    too_large,
)
from redline.readers.html import read_html
from redline.readers.records import (
    LINE_SIZE_FACTOR,
    read_csv,
    read_json,
    read_jsonl,
    read_jsonl_lines,
)

log = logging.getLogger(__name__)

Item = Article | InputError

STDIN = "-"
STDIN_NAME = "<stdin>"
TEXT_EXTENSIONS = frozenset({".txt", ".text", ".md"})
JSONL_EXTENSIONS = frozenset({".jsonl", ".ndjson"})
CSV_EXTENSIONS = frozenset({".csv", ".tsv"})
HTML_EXTENSIONS = frozenset({".html", ".htm"})


def read_inputs(
    paths: Iterable[str],
    *,
    default_date: dt.date | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    stdin: TextIO | None = None,
) -> Iterator[Article | InputError]:
    """Yield, in order, an :class:`Article` per article found and an :class:`InputError` per
    input (or line, row, item) that cannot be read; errors are yielded, never raised.

    ``default_date`` is given to articles that carry no date of their own. ``max_bytes``
    limits one article (a text file, or one record's text). ``-`` reads ``stdin`` (default
    ``sys.stdin``).
    """
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    for path in paths:
        path = os.fspath(path)
        opts = {"max_bytes": max_bytes, "default_date": default_date}
        if path == STDIN:
            items = _read_stdin(stdin if stdin is not None else sys.stdin, **opts)
        else:
            items = _read_path(path, **opts)
        yield from _guarded(items, STDIN_NAME if path == STDIN else path)


def count_hint(paths: Iterable[str]) -> int | None:
    """A cheap estimate of how many items :func:`read_inputs` will yield (for progress bars).

    Counts lines of JSONL, lines of CSV less the header, items of a small JSON list, and one per
    other file or unreadable input. ``None`` when ``-`` (stdin) is among the paths, or when a
    large JSON list cannot be counted cheaply. Pass a list: a generator would be used up.
    """
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    total = 0
    for path in paths:
        path = os.fspath(path)
        if path == STDIN:
            return None
        if os.path.isdir(path):
            hints = [
                1 if isinstance(entry, InputError) else _file_hint(entry[0])
                for entry in _walk(path, "")
            ]
            if any(h is None for h in hints):
                return None
            total += max(1, sum(h or 0 for h in hints))
        else:
            hint = _file_hint(path)
            if hint is None:
                return None
            total += hint
    return total


# --- paths -------------------------------------------------------------------------------------


def _guarded(items: Iterator[Item], source: str) -> Iterator[Item]:
    """Never let an unexpected exception end the whole batch: report it for this input.

    The last resort only: the readers isolate each record (a bad record costs that record,
    :func:`~redline.readers.records.isolated`), so what reaches here is a bug, reported for
    the one input it happened in (the batch goes on with the next input)."""
    try:
        yield from items
    except Exception as e:
        log.debug("unexpected error reading %s", source, exc_info=True)
        yield InputError(source, f"could not be read ({type(e).__name__}: {e})")


def _read_path(path: str, *, max_bytes: int, default_date: dt.date | None) -> Iterator[Item]:
    try:
        check_exists(path)
    except InputError as e:
        yield e
        return
    if not os.path.isdir(path):
        yield from _read_file(path, os.path.basename(path) or path, max_bytes, default_date)
        return
    found = False
    for entry in _walk(path, ""):
        found = True
        if isinstance(entry, InputError):
            yield entry
        else:
            full, rel = entry
            yield from _guarded(_read_file(full, rel, max_bytes, default_date), full)
    if not found:
        yield EmptyInputError(
            path, "is a directory with no files to read (hidden files and folders are skipped)"
        )


def _walk(top: str, rel: str) -> Iterator[tuple[str, str] | InputError]:
    """Files under a directory, sorted by name, recursively; hidden entries and symlinked
    directories skipped. Yields ``(full path, path relative to the top, with /)``."""
    here = os.path.join(top, rel) if rel else top
    try:
        with os.scandir(here) as it:
            entries = sorted(it, key=lambda e: e.name)
    except OSError as e:
        yield os_error(here, e)
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        sub = f"{rel}/{entry.name}" if rel else entry.name
        try:
            if entry.is_dir(follow_symlinks=False):
                yield from _walk(top, sub)
            elif entry.is_dir():
                log.debug("skipping symlinked directory %s", entry.path)
            elif entry.is_file():
                yield entry.path, sub
            elif not os.path.exists(entry.path):
                yield InputError(entry.path, "no such file (a broken symbolic link)")
            # sockets, pipes, devices: skipped
        except OSError as e:
            yield os_error(entry.path, e)


def _read_file(
    path: str, name: str, max_bytes: int, default_date: dt.date | None
) -> Iterator[Item]:
    ext = os.path.splitext(path)[1].lower()
    opts = {"name": name, "max_bytes": max_bytes, "default_date": default_date}
    if ext in JSONL_EXTENSIONS:
        yield from read_jsonl(path, **opts)
    elif ext == ".json":
        yield from read_json(path, **opts)
    elif ext in CSV_EXTENSIONS:
        yield from read_csv(path, **opts)
    elif ext in HTML_EXTENSIONS:
        yield from read_html(path, **opts)
    elif ext in FEED_EXTENSIONS and (ext != ".xml" or is_feed(path)):
        yield from read_feed(path, **opts)
    else:
        try:
            yield _read_text_file(path, name, max_bytes, default_date, ext)
        except InputError as e:
            yield e


def _read_text_file(
    path: str, name: str, max_bytes: int, default_date: dt.date | None, ext: str
) -> Article:
    data = read_bytes(path, max_bytes)
    try:
        text = decode_utf8(data, path)
    except EncodingError as e:
        if ext in TEXT_EXTENSIONS:
            raise
        what = f"unknown extension {ext!r}" if ext else "no extension"
        raise BinaryInputError(
            path, f"is not UTF-8 text ({what}; {e.reason.removeprefix('is ')})"
        ) from None
    text = check_text(text, path, max_bytes, "the file")
    return Article(id=default_id(name, text), text=text, date=default_date)


# --- stdin -------------------------------------------------------------------------------------


class _TextAsBinary:
    """Just enough of a binary stream over a text one (an ``io.StringIO``, say)."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def readline(self, size: int = -1) -> bytes:
        return self._stream.readline(size).encode("utf-8", "surrogatepass")

    def read(self, size: int = -1) -> bytes:
        return self._stream.read(size).encode("utf-8", "surrogatepass")


class _Prefixed:
    """A binary stream with some already-read lines put back in front."""

    def __init__(self, lines: list[bytes], rest: BinaryIO | _TextAsBinary) -> None:
        self._lines = lines
        self._rest = rest

    def readline(self, size: int = -1) -> bytes:
        return self._lines.pop(0) if self._lines else self._rest.readline(size)

    def read(self, size: int = -1) -> bytes:
        head = b"".join(self._lines)
        self._lines = []
        if size < 0:
            return head + self._rest.read()
        return head + (self._rest.read(size - len(head)) if size > len(head) else b"")


def _read_stdin(
    stream: TextIO, *, max_bytes: int, default_date: dt.date | None
) -> Iterator[Item]:
    """Standard input: JSONL if its first non-blank line is a JSON object, else one text
    article with id ``<stdin>``."""
    buffer = getattr(stream, "buffer", None)
    raw: BinaryIO | _TextAsBinary = buffer if buffer is not None else _TextAsBinary(stream)
    line_limit = max_bytes * LINE_SIZE_FACTOR + 65536
    head: list[bytes] = []
    try:
        while True:
            line = raw.readline(line_limit + 1)
            if not line:
                break
            head.append(line)
            if line.strip() or sum(map(len, head)) > SNIFF_BYTES:
                break
    except OSError as e:
        yield os_error(STDIN_NAME, e)
        return
    if not head:
        yield EmptyInputError(STDIN_NAME, "is empty")
        return
    try:
        sniff_binary(b"".join(head)[:SNIFF_BYTES], STDIN_NAME)
    except InputError as e:
        yield e
        return
    if _looks_like_json_object(head[-1]):
        lines = iter_lines(_Prefixed(head, raw), STDIN_NAME, line_limit)  # type: ignore[arg-type]
        yield from read_jsonl_lines(
            lines, source=STDIN_NAME, name=STDIN_NAME, max_bytes=max_bytes,
            default_date=default_date,
        )
        return
    try:
        data = _Prefixed(head, raw).read(max_bytes + 1)
        if len(data) > max_bytes:
            raise too_large(STDIN_NAME, None, max_bytes, "the text")
        sniff_binary(data[:SNIFF_BYTES], STDIN_NAME)
        text = check_text(decode_utf8(data, STDIN_NAME), STDIN_NAME, max_bytes, "the text")
    except InputError as e:
        yield e
        return
    except OSError as e:
        yield os_error(STDIN_NAME, e)
        return
    yield Article(id=default_id(STDIN_NAME, text), text=text, date=default_date)


def _looks_like_json_object(line: bytes) -> bool:
    line = line.removeprefix(b"\xef\xbb\xbf").strip()
    if not line.startswith(b"{"):
        return False
    try:
        return isinstance(json.loads(line), dict)
    except (ValueError, RecursionError):
        return False


# --- counting ----------------------------------------------------------------------------------

_JSON_COUNT_LIMIT = 16_000_000
COUNT_READ_LIMIT = 16 << 20
"""The progress count reads at most this many bytes of one input; beyond, it extrapolates."""


def _file_hint(path: str) -> int | None:
    """About how many items one file gives; never opens anything but a regular file and never
    reads more than :data:`COUNT_READ_LIMIT` bytes of it."""
    ext = os.path.splitext(path)[1].lower()
    if ext not in JSONL_EXTENSIONS | CSV_EXTENSIONS | FEED_EXTENSIONS | {".json"}:
        return 1
    try:
        f, st = open_regular(path)
    except InputError:
        return 1  # missing, a device, a FIFO: one error
    with f:
        try:
            if ext in JSONL_EXTENSIONS:
                return max(1, count_lines(f, st.st_size))
            if ext in CSV_EXTENSIONS:
                return max(1, count_lines(f, st.st_size) - 1)
            if ext == ".json":
                return _json_hint(f, st.st_size, path)
            return feed_hint(f, st.st_size)
        except OSError:
            return 1


def count_lines(f: BinaryIO, size: int, limit: int = COUNT_READ_LIMIT) -> int:
    """Lines in a file of ``size`` bytes: counted in its first ``limit`` bytes, extrapolated
    beyond. A NUL byte there (a binary or sparse file) counts as one line: one error."""
    n = cr = 0
    read = 0
    last = b"\n"
    while read < limit and (chunk := f.read(min(1 << 20, limit - read))):
        if b"\x00" in chunk:
            return 1
        n += chunk.count(b"\n")
        cr += chunk.count(b"\r")
        read += len(chunk)
        last = chunk[-1:]
    if n == 0 and cr:  # CR-only line endings
        n, last = cr, last.replace(b"\r", b"\n")
    n += last != b"\n"
    if read < size and read:
        n = int(n * size / read)
    return n


def _json_hint(f: BinaryIO, size: int, path: str) -> int | None:
    head = f.read(SNIFF_BYTES).lstrip(b"\xef\xbb\xbf \t\r\n")
    if not head.startswith(b"["):
        return 1
    if size > _JSON_COUNT_LIMIT:
        return None
    f.seek(0)
    try:
        doc = json.loads(decode_utf8(f.read(_JSON_COUNT_LIMIT + 1), path))
    except (InputError, ValueError, RecursionError):
        return 1
    return max(1, len(doc)) if isinstance(doc, list) else 1
