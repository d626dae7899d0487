"""Low-level checks on one input: open it, size it, sniff for binary content, decode it.

Everything here raises an :class:`~redline.errors.InputError` subclass (never ``OSError`` or
``UnicodeDecodeError``) whose ``source`` names the input; the callers turn those into yielded
errors.
"""

from __future__ import annotations

import datetime as dt
import errno
import hashlib
import logging
import os
import re
import stat
import unicodedata
from collections.abc import Iterator
from typing import BinaryIO

from redline.errors import (
    BinaryInputError,
    EmptyInputError,
    EncodingError,
    FormatError,
    InputError,
    TooLargeError,
)

log = logging.getLogger(__name__)

DEFAULT_MAX_BYTES = 5_000_000
"""Largest article accepted, in bytes of UTF-8 text (a whole text file, or one record's text)."""

SNIFF_BYTES = 8192
SKIP_FACTOR = 16
"""An over-long line is skipped up to this many times the line limit; beyond that the rest of
the input is given up (an endless line, e.g. from a device, is never read to its end)."""
UTF8_BOM = b"\xef\xbb\xbf"

# Known file signatures, checked at the start of every input.
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"%PDF-", "PDF"),
    (b"PK\x03\x04", "ZIP archive, e.g. .docx, .xlsx, .epub"),
    (b"PK\x05\x06", "ZIP archive"),
    (b"\x1f\x8b", "gzip archive"),
    (b"\xfd7zXZ\x00", "xz archive"),
    (b"\x28\xb5\x2f\xfd", "zstd archive"),
    (b"7z\xbc\xaf\x27\x1c", "7z archive"),
    (b"\x7fELF", "executable"),
)


def normalise_newlines(text: str) -> str:
    """Turn ``\\r\\n`` and lone ``\\r`` into ``\\n`` (offsets downstream refer to the result)."""
    if "\r" not in text:
        return text
    return text.replace("\r\n", "\n").replace("\r", "\n")


def human_size(n: int) -> str:
    return f"{n:,} bytes"


def too_large(source: str, size: int | None, limit: int, what: str = "the file") -> TooLargeError:
    said = f"is {human_size(size)}, over" if size is not None else "is over"
    return TooLargeError(
        source,
        f"{what} {said} the limit of {human_size(limit)} for one article; "
        "split it into smaller articles (e.g. one per line in a .jsonl file) "
        "or raise the size limit",
    )


def iconv_hint(source: str) -> str:
    return (
        "if it is Latin-1/Windows-1252 text, convert it with "
        f"iconv -f cp1252 -t utf-8 '{source}' > converted.txt"
    )


def sniff_binary(head: bytes, source: str) -> None:
    """Raise :class:`BinaryInputError` (or :class:`EncodingError` for UTF-16) if ``head``,
    the first bytes of an input, is not UTF-8 text."""
    for magic, kind in _MAGIC:
        if head.startswith(magic):
            raise BinaryInputError(source, f"looks like a binary file ({kind}), not text")
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise EncodingError(
            source,
            "is UTF-16 text, not UTF-8; convert it with "
            f"iconv -f utf-16 -t utf-8 '{source}' > converted.txt",
        )
    nul = head.find(b"\x00")
    if nul >= 0:
        raise BinaryInputError(
            source, f"looks like a binary file (a NUL byte at byte {nul}), not text"
        )


def decode_utf8(data: bytes, source: str, *, offset: int = 0) -> str:
    """Decode strictly as UTF-8, dropping a leading BOM.

    ``offset`` is where ``data`` starts in the input, so the error names the byte in the file.
    """
    bom = len(UTF8_BOM) if data.startswith(UTF8_BOM) else 0
    try:
        return data[bom:].decode("utf-8")
    except UnicodeDecodeError as e:
        at = offset + bom + e.start
        raise EncodingError(
            source, f"is not valid UTF-8 at byte {at}; {iconv_hint(source)}"
        ) from None


def os_error(source: str, e: OSError) -> InputError:
    """Translate an ``OSError`` from opening or reading ``source``."""
    if e.errno == errno.ENOENT or isinstance(e, FileNotFoundError):
        return InputError(source, "no such file or directory")
    if e.errno in (errno.EACCES, errno.EPERM) or isinstance(e, PermissionError):
        return InputError(source, "permission denied; check the file's permissions")
    if isinstance(e, IsADirectoryError):
        return InputError(source, "is a directory")
    return InputError(source, f"cannot be read: {e.strerror or e}")


def check_exists(path: str) -> None:
    """Raise :class:`InputError` if ``path`` does not exist (or is a broken link)."""
    if not os.path.exists(path):
        if os.path.islink(path):
            raise InputError(path, "no such file (a broken symbolic link)")
        raise InputError(path, "no such file or directory")


def _kind(mode: int) -> str | None:
    """What a file that is not a regular file is, from its ``st_mode``; None for a regular one."""
    if stat.S_ISREG(mode):
        return None
    kinds = ((stat.S_ISDIR, "a directory"), (stat.S_ISCHR, "a character device"),
             (stat.S_ISBLK, "a block device"), (stat.S_ISFIFO, "a named pipe (FIFO)"),
             (stat.S_ISSOCK, "a socket"))
    return next((name for test, name in kinds if test(mode)), "not a regular file")


def not_regular(path: str, mode: int) -> InputError:
    kind = _kind(mode) or "not a regular file"
    if kind == "a directory":
        return InputError(path, "is a directory")
    return InputError(path, f"is {kind}, not a regular file; only regular files are read "
                            "(pipe data through standard input, -, instead)")


def open_regular(path: str) -> tuple[BinaryIO, os.stat_result]:
    """Open a regular file for reading; refuse devices, FIFOs, sockets and directories.

    The type is checked with ``os.stat`` (following symbolic links) before opening, and again
    on the open descriptor (opened non-blocking, so a FIFO with no writer cannot hang us).
    Raises :class:`InputError`; never ``OSError``.
    """
    try:
        st = os.stat(path)
        if _kind(st.st_mode):
            raise not_regular(path, st.st_mode)
        flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
        fd = os.open(path, flags | getattr(os, "O_CLOEXEC", 0))
        try:
            st = os.fstat(fd)
            if _kind(st.st_mode):
                raise not_regular(path, st.st_mode)
            return os.fdopen(fd, "rb"), st
        except BaseException:
            os.close(fd)
            raise
    except OSError as e:
        raise os_error(path, e) from None


def read_bytes(path: str, limit: int, *, what: str = "the file") -> bytes:
    """Read a whole regular file of at most ``limit`` bytes, after checking its size.

    Anything but a regular file is refused before it is opened (:func:`open_regular`); a file
    over the limit is rejected without being read, and at most ``limit + 1`` bytes are ever
    read (a file growing meanwhile). The data is checked for binary content; an empty file
    raises :class:`EmptyInputError`.
    """
    f, st = open_regular(path)
    with f:
        if st.st_size > limit:
            raise too_large(path, st.st_size, limit, what)
        try:
            data = f.read(limit + 1)
        except OSError as e:
            raise os_error(path, e) from None
    if len(data) > limit:
        raise too_large(path, None, limit, what)
    if not data:
        raise EmptyInputError(path, "is empty")
    sniff_binary(data[:SNIFF_BYTES], path)
    nul = data.find(b"\x00", SNIFF_BYTES)
    if nul >= 0:
        raise BinaryInputError(
            path, f"looks like a binary file (a NUL byte at byte {nul}), not text"
        )
    return data


PROSE_MIN_CHARS = 10_000
PROSE_MIN_SHARE = 0.1
"""A text of at least ``PROSE_MIN_CHARS`` characters of which fewer than this share are letters
or digits is refused as not prose (a page of 1 M ``<``, 500 k entities): coding it would only
spin."""


def check_text(text: str, source: str, limit: int, what: str = "the text") -> str:
    """Reject blank, over-long or symbol-only article text; return it with newlines
    normalised."""
    if not text.strip():
        raise EmptyInputError(source, f"{what} is empty or only whitespace")
    # A str has at most as many characters as its UTF-8 encoding has bytes.
    if len(text) > limit or len(text.encode("utf-8", "surrogatepass")) > limit:
        raise too_large(source, len(text.encode("utf-8", "surrogatepass")), limit, what)
    if len(text) >= PROSE_MIN_CHARS:
        words = sum(map(str.isalnum, text))
        if words < PROSE_MIN_SHARE * len(text):
            raise FormatError(
                source, f"{what} is not prose: {len(text):,} characters of which only "
                f"{words:,} are letters or digits (markup or symbols, not an article)")
    return normalise_newlines(text)


def open_binary(path: str) -> BinaryIO:
    """Open a regular file for streaming (JSONL, CSV) and sniff its head for binary content.

    A file whose head has carriage returns but no line feed (old Mac line endings) is read
    with each ``\\r`` taken as the end of a line.
    """
    f, _ = open_regular(path)
    try:
        head = f.read(SNIFF_BYTES)
        if not head:
            raise EmptyInputError(path, "is empty")
        sniff_binary(head, path)
        f.seek(0)
    except OSError as e:
        f.close()
        raise os_error(path, e) from None
    except InputError:
        f.close()
        raise
    if b"\r" in head and b"\n" not in head:
        return CRLines(f)  # type: ignore[return-value]
    return f


class CRLines:
    """A binary stream whose lines end in a lone ``\\r``, read as lines ending in ``\\n``."""

    _CHUNK = 1 << 16

    def __init__(self, stream: BinaryIO) -> None:
        self._stream = stream
        self._buf = b""
        self._eof = False

    def readline(self, size: int = -1) -> bytes:
        while b"\r" not in self._buf and not self._eof and (size < 0 or len(self._buf) < size):
            chunk = self._stream.read(self._CHUNK)
            if not chunk:
                self._eof = True
            self._buf += chunk
        end = self._buf.find(b"\r")
        cut = len(self._buf) if end < 0 else end + 1
        if 0 <= size < cut:
            cut = size
        line, self._buf = self._buf[:cut], self._buf[cut:]
        if line.endswith(b"\r"):
            line = line[:-1] + b"\n"
        return line

    def close(self) -> None:
        self._stream.close()

    def __enter__(self) -> CRLines:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


Line = tuple[int, "str | InputError"]


def iter_lines(stream: BinaryIO, source: str, line_limit: int) -> Iterator[Line]:
    """Yield ``(line number, text)`` for each line of a binary stream, endings kept.

    A line that is not UTF-8 or longer than ``line_limit`` bytes yields an
    :class:`InputError` in place of its text (naming ``source:line``); reading goes on.
    A UTF-8 BOM on the first line is dropped.
    """
    offset = 0
    lineno = 0
    while True:
        try:
            raw = stream.readline(line_limit + 1)
        except OSError as e:
            yield lineno + 1, os_error(source, e)
            return
        if not raw:
            return
        lineno += 1
        start = offset
        offset += len(raw)
        where = f"{source}:{lineno}"
        if len(raw) > line_limit and not raw.endswith(b"\n"):
            yield lineno, _over_long(lineno, where, line_limit)
            # Skip the rest of the line without keeping it, but never read an endless one.
            skipped = 0
            while raw and not raw.endswith(b"\n"):
                if skipped > SKIP_FACTOR * line_limit:
                    yield lineno, TooLargeError(
                        source, f"line {lineno} does not end within "
                        f"{human_size(skipped)}; the rest of the input is not read")
                    return
                raw = stream.readline(1 << 20)
                skipped += len(raw)
                offset += len(raw)
            continue
        nul = raw.find(b"\x00")
        if nul >= 0:
            yield lineno, _salvage(BinaryInputError(
                where, f"line {lineno} has a NUL byte (at byte {start + nul}): binary data, "
                "not text"
            ), raw)
            continue
        if lineno == 1 and raw.startswith(UTF8_BOM):
            raw = raw[len(UTF8_BOM):]
            start += len(UTF8_BOM)
        try:
            yield lineno, raw.decode("utf-8")
        except UnicodeDecodeError as e:
            yield lineno, _salvage(EncodingError(
                where,
                f"line {lineno} is not valid UTF-8 at byte {start + e.start}; "
                f"{iconv_hint(source)}",
            ), raw)


def _salvage(error: InputError, raw: bytes) -> InputError:
    """Attach the line as best it decodes (``error.salvage``), so that a CSV parser can keep
    its quoting in step past the bad line, whose record is reported, not read."""
    error.salvage = raw.replace(b"\x00", b"").decode("utf-8", "replace")  # type: ignore[attr-defined]
    return error


def _over_long(lineno: int, where: str, line_limit: int) -> TooLargeError:
    return TooLargeError(
        where,
        f"line {lineno} is over {human_size(line_limit)}, too long for one article; "
        "split it into several records",
    )


# --- ids and lone surrogates ---------------------------------------------------------------------

ID_HASH_CHARS = 10
"""Hex digits of the text's hash in a default id (``news.jsonl:2~<hash>``)."""


def text_digest(text: str) -> str:
    """sha256 (hex) of the text in Unicode NFC with every run of whitespace made one space, the
    same normalisation as the store's content hash, so re-wrapped text keeps its id."""
    norm = " ".join(unicodedata.normalize("NFC", text).split())
    return hashlib.sha256(norm.encode("utf-8", "surrogatepass")).hexdigest()


def default_id(base: str, text: str) -> str:
    """The id of an article that brings none: where it was read (``news.jsonl:2``,
    ``story.txt``) and the start of its text's hash. Two inputs with the same base name (from
    different folders or days) thus never share an id unless their texts are the same, and a
    re-run of the same file gives the same ids."""
    return f"{base}~{text_digest(text)[:ID_HASH_CHARS]}"


_SURROGATE = re.compile("[\ud800-\udfff]")


def replace_surrogates(value: str, where: str, what: str) -> tuple[str, str | None]:
    """Replace lone UTF-16 surrogates (which JSON's ``\\ud800`` escapes can produce, and which
    no UTF-8 output can hold) by U+FFFD; return the value and a note when any were replaced
    (also logged as a warning naming the record)."""
    if not _SURROGATE.search(value):
        return value, None
    n = len(_SURROGATE.findall(value))
    note = (f"{what} had {n} lone UTF-16 surrogate{'s' if n > 1 else ''} (invalid Unicode), "
            "replaced by U+FFFD")
    log.warning("%s: %s", where, note)
    return _SURROGATE.sub("\ufffd", value), note


# --- dates -------------------------------------------------------------------------------------

MIN_DATE = dt.date(1000, 1, 1)
MAX_DATE = dt.date(2999, 12, 31)
"""An input's date outside these bounds (``0001-01-01``, ``9999-12-31``, a five-digit year) is
refused with a warning naming the record, and the article is coded without it (or with the
default date): the pipeline's date arithmetic cannot run at the ends of the calendar."""


def out_of_range(value: object, where: str) -> str:
    """Log and return the note for a date outside :data:`MIN_DATE` .. :data:`MAX_DATE`."""
    note = (f"the date {value!s} is outside {MIN_DATE.isoformat()}..{MAX_DATE.isoformat()} "
            "and was ignored")
    log.warning("%s: %s", where, note)
    return note


def date_in_range(date: dt.date | None, value: object, where: str,
                  notes: list[str]) -> dt.date | None:
    """``date`` if it lies within the supported range, else None (with a note and a warning)."""
    if date is None or MIN_DATE <= date <= MAX_DATE:
        return date
    notes.append(out_of_range(value, where))
    return None
