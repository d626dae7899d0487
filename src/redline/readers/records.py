"""Structured inputs: JSONL, JSON and CSV/TSV records, each turned into one :class:`Article`.

Fields (JSON keys exactly; CSV headers case-insensitively): ``text`` (required), ``id``,
``date``, ``title``, ``url``, ``source``; other fields are ignored. ``date`` is ``YYYY-MM-DD`` or
a full ISO datetime, of which the date part is kept as written (no time-zone conversion).
Default ids (``~`` and a hash of the text added, see :func:`~redline.readers.files.default_id`):
``<file>:<line>~<hash>`` for JSONL and CSV (the line on which the record starts, the header
being line 1), ``<file>[<index>]~<hash>`` (from 0) for the items of a JSON list, and
``<file>~<hash>`` for a JSON file holding a single object.

A bad record yields one error naming ``file:line`` (or ``file[index]``) and reading goes on.
In CSV a line that is not UTF-8 or holds a NUL byte costs only the record it is part of; a
quote that is never closed (a record reaching the end of the file inside quotes, or growing
past the line limit) is reported naming the line the record starts on and ends the file, since
the parser cannot find the next record after it. CR-only line endings are read as line ends.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import json
import logging
import os
import re
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from redline.article import Article
from redline.errors import EmptyInputError, FormatError, InputError
from redline.readers.files import (
    check_text,
    date_in_range,
    decode_utf8,
    default_id,
    human_size,
    iter_lines,
    normalise_newlines,
    open_binary,
    os_error,
    out_of_range,
    read_bytes,
    replace_surrogates,
)

Item = Article | InputError

log = logging.getLogger(__name__)

RECORD_ERRORS = (ValueError, TypeError, OverflowError, RecursionError, LookupError)
"""Unexpected errors one record's data can raise: they cost that record only (reported, naming
it), never the rest of the file."""


def isolated(build: Callable[[], Article], where: str, what: str) -> Item:
    """``build()``, or the error that one record raised (the file goes on)."""
    try:
        return build()
    except InputError as e:
        return e
    except RECORD_ERRORS as e:
        log.debug("reading %s failed", where, exc_info=True)
        return FormatError(where, f"{what} could not be read ({type(e).__name__}: {e})")

OPTIONAL_FIELDS = ("id", "date", "title", "url", "source")
JSON_SIZE_FACTOR = 20
"""A ``.json`` file is parsed whole, so it may hold up to this many times ``max_bytes``."""
LINE_SIZE_FACTOR = 6
"""A JSONL/CSV line may be this many times ``max_bytes`` (JSON escapes like ``\\u00e9``)."""
_CSV_FIELD_LIMIT = 2**31 - 1  # fits a C long everywhere


_HUGE_YEAR = re.compile(r"^[+-]?\d{5,}-\d")


def parse_date(value: Any, where: str, what: str, notes: list[str] | None = None
               ) -> dt.date | None:
    """Parse an ISO date or datetime (keeping its date part); ``None``/``""`` give ``None``.

    A date outside :data:`~redline.readers.files.MIN_DATE` ..
    :data:`~redline.readers.files.MAX_DATE` (or with a year of five digits) gives ``None`` and
    a note in ``notes`` (and a warning naming ``where``); anything else that is not an ISO
    date raises :class:`FormatError`.
    """
    notes = notes if notes is not None else []
    if value is None:
        return None
    if not isinstance(value, str):
        raise FormatError(
            where, f"{what}: 'date' must be a string like 2024-03-05, not {_json_type(value)}"
        )
    s = value.strip()
    if not s:
        return None
    if _HUGE_YEAR.match(s):
        notes.append(out_of_range(s, where))
        return None
    try:
        if len(s) == 10:
            date = dt.date.fromisoformat(s)
        else:
            if s.endswith(("Z", "z")):  # Python 3.10's fromisoformat does not take "Z"
                s = s[:-1] + "+00:00"
            date = dt.datetime.fromisoformat(s).date()
    except (ValueError, OverflowError):
        raise FormatError(
            where,
            f"{what}: 'date' {value!r} is not an ISO date; use YYYY-MM-DD "
            "or an ISO datetime like 2024-03-05T14:30:00Z",
        ) from None
    return date_in_range(date, s, where, notes)


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


def _optional_str(rec: dict[str, Any], key: str, where: str, what: str,
                  notes: list[str]) -> str | None:
    value = rec.get(key)
    if value is None:
        return None
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, (int, float)):
        return str(value)
    if not isinstance(value, str):
        raise FormatError(where, f"{what}: '{key}' must be a string, not {_json_type(value)}")
    value, note = replace_surrogates(value.strip(), where, f"its '{key}'")
    if note:
        notes.append(note)
    return value or None


def _field_list(keys: Iterable[str]) -> str:
    """The field names for a message, on one line: a name with a line break, another
    unprintable character or a lone surrogate is shown as a Python literal."""
    keys = list(keys)
    shown = ", ".join(k if k.isprintable() else repr(k) for k in keys[:12]) + \
        (", ..." if len(keys) > 12 else "")
    return shown or "none"


def record_to_article(
    rec: dict[str, Any],
    *,
    id_base: str,
    where: str,
    what: str,
    max_bytes: int,
    default_date: dt.date | None,
) -> Article:
    """Build an Article from one record; raise an :class:`InputError` naming ``where``.

    A record without an id gets :func:`~redline.readers.files.default_id` of ``id_base``.
    Lone UTF-16 surrogates in any field are replaced by U+FFFD, with a note and a warning.
    """
    if "text" not in rec:
        raise FormatError(where, f"{what} has no 'text' field (fields: {_field_list(rec)})")
    text = rec["text"]
    if not isinstance(text, str):
        raise FormatError(where, f"{what}: 'text' must be a string, not {_json_type(text)}")
    if not text.strip():
        raise EmptyInputError(where, f"{what} has an empty 'text'")
    notes: list[str] = []
    text, note = replace_surrogates(text, where, "its 'text'")
    if note:
        notes.append(note)
    text = check_text(text, where, max_bytes, f"the text of {what}")
    date = parse_date(rec.get("date"), where, what, notes)
    fields = {key: _optional_str(rec, key, where, what, notes)
              for key in ("id", "title", "source", "url")}
    return Article(
        id=fields["id"] or default_id(id_base, text),
        text=text,
        date=date or default_date,
        title=_opt_clean(fields["title"]),
        source=fields["source"],
        url=fields["url"],
        notes=notes,
    )


def _opt_clean(value: str | None) -> str | None:
    return normalise_newlines(value) if value else value


# --- JSONL -------------------------------------------------------------------------------------


def read_jsonl_lines(
    lines: Iterable[tuple[int, str | InputError]],
    *,
    source: str,
    name: str,
    max_bytes: int,
    default_date: dt.date | None,
) -> Iterator[Item]:
    """Read JSONL from numbered lines (text or a per-line error already found)."""
    seen = False
    for lineno, line in lines:
        if isinstance(line, InputError):
            seen = True
            yield line
            continue
        if not line.strip():
            continue
        seen = True
        where, what = f"{source}:{lineno}", f"line {lineno}"
        try:
            rec = json.loads(line)
        except json.JSONDecodeError as e:
            yield FormatError(where, f"{what} is not valid JSON: {e.msg} at column {e.colno}")
            continue
        except (ValueError, RecursionError) as e:
            yield FormatError(where, f"{what} is not valid JSON: {e}")
            continue
        if not isinstance(rec, dict):
            yield FormatError(
                where, f"{what} is {_json_type(rec)}, not an object like {{\"text\": \"...\"}}"
            )
            continue
        yield isolated(functools.partial(
            record_to_article, rec, id_base=f"{name}:{lineno}", where=where, what=what,
            max_bytes=max_bytes, default_date=default_date), where, what)
    if not seen:
        yield EmptyInputError(source, "has no records (every line is blank)")


def read_jsonl(
    path: str, *, name: str, max_bytes: int, default_date: dt.date | None
) -> Iterator[Item]:
    """Read a JSONL/NDJSON file, one article per non-blank line, streaming."""
    try:
        stream = open_binary(path)
    except InputError as e:
        yield e
        return
    with stream:
        yield from read_jsonl_lines(
            iter_lines(stream, path, max_bytes * LINE_SIZE_FACTOR + 65536),
            source=path,
            name=name,
            max_bytes=max_bytes,
            default_date=default_date,
        )


# --- JSON --------------------------------------------------------------------------------------


def read_json(
    path: str, *, name: str, max_bytes: int, default_date: dt.date | None
) -> Iterator[Item]:
    """Read a ``.json`` file: one object (one article) or a list of objects."""
    try:
        data = read_bytes(path, max_bytes * JSON_SIZE_FACTOR, what="the JSON file")
        doc = json.loads(decode_utf8(data, path))
    except InputError as e:
        if e.reason.startswith("the JSON file is"):
            e = type(e)(e.source, e.reason + "; for large collections use JSONL")
        yield e
        return
    except json.JSONDecodeError as e:
        yield FormatError(
            path, f"is not valid JSON: {e.msg} at line {e.lineno}, column {e.colno}"
        )
        return
    except (ValueError, RecursionError) as e:
        yield FormatError(path, f"is not valid JSON: {e}")
        return
    opts: dict[str, Any] = {"max_bytes": max_bytes, "default_date": default_date}
    if isinstance(doc, dict):
        yield isolated(functools.partial(
            record_to_article, doc, id_base=name, where=path, what="the object", **opts),
            path, "the object")
        return
    if not isinstance(doc, list):
        yield FormatError(
            path, f"holds {_json_type(doc)}; expected an object or a list of objects"
        )
        return
    if not doc:
        yield EmptyInputError(path, "holds an empty list")
        return
    for i, rec in enumerate(doc):
        where, what = f"{path}[{i}]", f"item {i}"
        if not isinstance(rec, dict):
            yield FormatError(where, f"{what} is {_json_type(rec)}, not an object")
            continue
        yield isolated(functools.partial(
            record_to_article, rec, id_base=f"{name}[{i}]", where=where, what=what, **opts),
            where, what)


# --- CSV / TSV ---------------------------------------------------------------------------------


def _raise_field_limit() -> None:
    # Articles are long; the csv default (128 KiB per field) is not enough. Only ever raised.
    if csv.field_size_limit() < _CSV_FIELD_LIMIT:
        csv.field_size_limit(_CSV_FIELD_LIMIT)


def read_csv(
    path: str,
    *,
    name: str,
    max_bytes: int,
    default_date: dt.date | None,
    delimiter: str | None = None,
) -> Iterator[Item]:
    """Read a CSV (or, with ``delimiter='\\t'`` / a ``.tsv`` name, TSV) file with a header row."""
    if delimiter is None:
        delimiter = "\t" if os.path.splitext(path)[1].lower() == ".tsv" else ","
    _raise_field_limit()
    try:
        stream = open_binary(path)
    except InputError as e:
        yield e
        return
    with stream:
        try:
            yield from _read_csv_stream(
                stream, path, name, delimiter, max_bytes=max_bytes, default_date=default_date
            )
        except OSError as e:
            yield os_error(path, e)


class _CsvRows:
    """The rows of a CSV stream, each with the line it starts on, or the error that stops it.

    A line that cannot be read (not UTF-8, a NUL byte) costs only the record it is part of.
    A record longer than ``row_limit`` (a quote never closed swallowing the file) or one that
    reaches the end of the file inside a quoted field is reported naming the line it starts
    on, and ends the file: after an unbalanced quote the parser cannot find the next record.
    """

    def __init__(self, stream: Any, path: str, delimiter: str, row_limit: int) -> None:
        self.path, self.row_limit = path, row_limit
        self.lines = iter_lines(stream, path, row_limit)
        self.raw: list[str] = []  # the lines of the row being read
        self.size = 0
        self.errors: list[InputError] = []  # lines of the row being read that failed
        self.stop: InputError | None = None  # the rest of the file cannot be read
        self.eof = False
        self.reader = csv.reader(self._feed(), delimiter=delimiter)

    def _feed(self) -> Iterator[str]:
        for _, line in self.lines:
            if isinstance(line, InputError):
                if line.source == self.path:  # an endless line: nothing more to read
                    self.stop = line
                    return
                self.errors.append(line)
                # the line as best it decodes keeps the quoting in step; its record is dropped
                line = getattr(line, "salvage", "\n")
            self.size += len(line)
            if self.size > self.row_limit:
                self.stop = self._unbalanced(f"is over {human_size(self.row_limit)}")
                return
            self.raw.append(line)
            yield line
        self.eof = True

    def _unbalanced(self, how: str) -> FormatError:
        start = self.reader.line_num - len(self.raw) + 1 if self.raw else self.reader.line_num
        return FormatError(
            f"{self.path}:{start}",
            f"the record starting at line {start} {how}: a quote (\") that is never closed "
            "swallows the rest of the file, which is not read; check the quoting")

    def _open_at_eof(self) -> bool:
        try:
            for _ in csv.reader(self.raw, strict=True, delimiter=self.reader.dialect.delimiter):
                pass
        except csv.Error as e:
            return "unexpected end of data" in str(e)
        return False

    def __iter__(self) -> Iterator[tuple[int, list[str] | InputError]]:
        prev = 0
        while True:
            self.raw, self.size, self.errors = [], 0, []
            try:
                row = next(self.reader)
            except StopIteration:
                break
            except csv.Error as e:
                line = self.reader.line_num
                yield line, FormatError(f"{self.path}:{line}",
                                        f"line {line} cannot be parsed as CSV: {e}")
                return
            start, prev = prev + 1, self.reader.line_num
            if self.stop is None and self.eof and len(self.raw) > 1 and self._open_at_eof():
                self.stop = self._unbalanced(f"runs to the end of the file (line {prev})")
            if self.stop is not None:
                break
            yield start, (self.errors[0] if self.errors else row)
        if self.stop is not None:
            yield prev, self.stop


def _read_csv_stream(
    stream: Any,
    path: str,
    name: str,
    delimiter: str,
    *,
    max_bytes: int,
    default_date: dt.date | None,
) -> Iterator[Item]:
    header: list[str] | None = None
    rows = 0
    for start, row in _CsvRows(stream, path, delimiter, max_bytes * LINE_SIZE_FACTOR + 65536):
        if isinstance(row, InputError):
            yield row
            if header is None:
                return  # without its header the file cannot be read
            continue
        if not any(cell.strip() for cell in row):
            continue
        if header is None:
            header = [h.strip().lower() for h in row]
            if "text" not in header:
                yield FormatError(
                    path,
                    f"no 'text' column (columns: {_field_list(h for h in header if h)}); "
                    "the first row must be a header naming the columns",
                )
                return
            continue
        rows += 1
        yield _csv_record(row, header, start, path, name, max_bytes, default_date)
    if header is None:
        yield EmptyInputError(path, "has no header row (the file is blank)")
    elif rows == 0:
        yield EmptyInputError(path, "has a header row but no data rows")


def _csv_record(row: list[str], header: list[str], start: int, path: str, name: str,
                max_bytes: int, default_date: dt.date | None) -> Item:
    where, what = f"{path}:{start}", f"line {start}"
    if len(row) > len(header) and any(c.strip() for c in row[len(header):]):
        return FormatError(
            where,
            f"{what} has {len(row)} fields but the header has {len(header)}; "
            "check the quoting",
        )
    rec: dict[str, Any] = {}
    for key, value in zip(header, row, strict=False):
        if key in ("text", *OPTIONAL_FIELDS) and key not in rec:
            rec[key] = value
    rec.setdefault("text", "")
    return isolated(functools.partial(
        record_to_article, rec, id_base=f"{name}:{start}", where=where, what=what,
        max_bytes=max_bytes, default_date=default_date), where, what)
