"""Structured inputs: JSONL, JSON and CSV/TSV records, each turned into one :class:`Article`.

Fields (JSON keys exactly; CSV headers case-insensitively): ``text`` (required), ``id``,
``date``, ``title``, ``url``, ``source``; other fields are ignored. ``date`` is ``YYYY-MM-DD`` or
a full ISO datetime, of which the date part is kept as written (no time-zone conversion).
Default ids: ``<file>:<line>`` for JSONL and CSV (the line on which the record starts, the
header being line 1), ``<file>[<index>]`` (from 0) for the items of a JSON list, and ``<file>``
for a JSON file holding a single object.

A bad record yields one error naming ``file:line`` (or ``file[index]``) and reading goes on,
except in CSV, where an undecodable line or a quoting error ends the file (the parser cannot
resynchronise reliably).
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import os
from collections.abc import Iterable, Iterator
from typing import Any

from redline.article import Article
from redline.errors import EmptyInputError, FormatError, InputError
from redline.readers.files import (
    check_text,
    decode_utf8,
    iter_lines,
    normalise_newlines,
    open_binary,
    os_error,
    read_bytes,
)

Item = Article | InputError

OPTIONAL_FIELDS = ("id", "date", "title", "url", "source")
JSON_SIZE_FACTOR = 20
"""A ``.json`` file is parsed whole, so it may hold up to this many times ``max_bytes``."""
LINE_SIZE_FACTOR = 6
"""A JSONL/CSV line may be this many times ``max_bytes`` (JSON escapes like ``\\u00e9``)."""
_CSV_FIELD_LIMIT = 2**31 - 1  # fits a C long everywhere


def parse_date(value: Any, where: str, what: str) -> dt.date | None:
    """Parse an ISO date or datetime (keeping its date part); ``None``/``""`` give ``None``."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise FormatError(
            where, f"{what}: 'date' must be a string like 2024-03-05, not {_json_type(value)}"
        )
    s = value.strip()
    if not s:
        return None
    try:
        if len(s) == 10:
            return dt.date.fromisoformat(s)
        if s.endswith(("Z", "z")):  # Python 3.10's fromisoformat does not take "Z"
            s = s[:-1] + "+00:00"
        return dt.datetime.fromisoformat(s).date()
    except ValueError:
        raise FormatError(
            where,
            f"{what}: 'date' {value!r} is not an ISO date; use YYYY-MM-DD "
            "or an ISO datetime like 2024-03-05T14:30:00Z",
        ) from None


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


def _optional_str(rec: dict[str, Any], key: str, where: str, what: str) -> str | None:
    value = rec.get(key)
    if value is None:
        return None
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, (int, float)):
        return str(value)
    if not isinstance(value, str):
        raise FormatError(where, f"{what}: '{key}' must be a string, not {_json_type(value)}")
    value = value.strip()
    return value or None


def _field_list(keys: Iterable[str]) -> str:
    keys = list(keys)
    shown = ", ".join(keys[:12]) + (", ..." if len(keys) > 12 else "")
    return shown or "none"


def record_to_article(
    rec: dict[str, Any],
    *,
    default_id: str,
    where: str,
    what: str,
    max_bytes: int,
    default_date: dt.date | None,
) -> Article:
    """Build an Article from one record; raise an :class:`InputError` naming ``where``."""
    if "text" not in rec:
        raise FormatError(where, f"{what} has no 'text' field (fields: {_field_list(rec)})")
    text = rec["text"]
    if not isinstance(text, str):
        raise FormatError(where, f"{what}: 'text' must be a string, not {_json_type(text)}")
    if not text.strip():
        raise EmptyInputError(where, f"{what} has an empty 'text'")
    text = check_text(text, where, max_bytes, f"the text of {what}")
    date = parse_date(rec.get("date"), where, what)
    return Article(
        id=_optional_str(rec, "id", where, what) or default_id,
        text=text,
        date=date or default_date,
        title=_opt_clean(_optional_str(rec, "title", where, what)),
        source=_optional_str(rec, "source", where, what),
        url=_optional_str(rec, "url", where, what),
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
        try:
            yield record_to_article(
                rec,
                default_id=f"{name}:{lineno}",
                where=where,
                what=what,
                max_bytes=max_bytes,
                default_date=default_date,
            )
        except InputError as e:
            yield e
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
        try:
            yield record_to_article(doc, default_id=name, where=path, what="the object", **opts)
        except InputError as e:
            yield e
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
        try:
            yield record_to_article(rec, default_id=f"{name}[{i}]", where=where, what=what, **opts)
        except InputError as e:
            yield e


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


def _read_csv_stream(
    stream: Any,
    path: str,
    name: str,
    delimiter: str,
    *,
    max_bytes: int,
    default_date: dt.date | None,
) -> Iterator[Item]:
    failed: list[InputError] = []

    def feed() -> Iterator[str]:
        for _, line in iter_lines(stream, path, max_bytes * LINE_SIZE_FACTOR + 65536):
            if isinstance(line, InputError):
                failed.append(line)
                return
            yield line

    reader = csv.reader(feed(), delimiter=delimiter)
    header: list[str] | None = None
    prev_line = 0
    rows = 0
    try:
        for row in reader:
            start, prev_line = prev_line + 1, reader.line_num
            if failed:
                break  # a partial row cut short by the bad line
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
            where, what = f"{path}:{start}", f"line {start}"
            if len(row) > len(header) and any(c.strip() for c in row[len(header):]):
                yield FormatError(
                    where,
                    f"{what} has {len(row)} fields but the header has {len(header)}; "
                    "check the quoting",
                )
                continue
            rec: dict[str, Any] = {}
            for key, value in zip(header, row, strict=False):
                if key in ("text", *OPTIONAL_FIELDS) and key not in rec:
                    rec[key] = value
            rec.setdefault("text", "")
            try:
                yield record_to_article(
                    rec,
                    default_id=f"{name}:{start}",
                    where=where,
                    what=what,
                    max_bytes=max_bytes,
                    default_date=default_date,
                )
            except InputError as e:
                yield e
    except csv.Error as e:
        if failed:
            yield failed[0]
            return
        line = reader.line_num
        yield FormatError(f"{path}:{line}", f"line {line} cannot be parsed as CSV: {e}")
        return
    if failed:
        yield failed[0]
        return
    if header is None:
        yield EmptyInputError(path, "has no header row (the file is blank)")
    elif rows == 0:
        yield EmptyInputError(path, "has a header row but no data rows")
