"""Low-level checks on one input: open it, size it, sniff for binary content, decode it.

Everything here raises an :class:`~redline.errors.InputError` subclass (never ``OSError`` or
``UnicodeDecodeError``) whose ``source`` names the input; the callers turn those into yielded
errors.
"""

from __future__ import annotations

import errno
import os
from collections.abc import Iterator
from typing import BinaryIO

from redline.errors import (
    BinaryInputError,
    EmptyInputError,
    EncodingError,
    InputError,
    TooLargeError,
)

DEFAULT_MAX_BYTES = 5_000_000
"""Largest article accepted, in bytes of UTF-8 text (a whole text file, or one record's text)."""

SNIFF_BYTES = 8192
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


def read_bytes(path: str, limit: int, *, what: str = "the file") -> bytes:
    """Read a whole file of at most ``limit`` bytes, after checking its size with ``os.stat``.

    A regular file over the limit is rejected without being opened; anything else (a pipe, a
    device) is read up to ``limit + 1`` bytes. The head is sniffed for binary content; an
    empty file raises :class:`EmptyInputError`.
    """
    try:
        st = os.stat(path)
        if os.path.isdir(path):
            raise InputError(path, "is a directory")
        regular = os.path.isfile(path)
        if regular and st.st_size > limit:
            raise too_large(path, st.st_size, limit, what)
        with open(path, "rb") as f:
            data = f.read(limit + 1)
    except OSError as e:
        raise os_error(path, e) from None
    if len(data) > limit:
        raise too_large(path, None, limit, what)
    if not data:
        raise EmptyInputError(path, "is empty")
    sniff_binary(data[:SNIFF_BYTES], path)
    return data


def check_text(text: str, source: str, limit: int, what: str = "the text") -> str:
    """Reject blank or over-long article text; return it with newlines normalised."""
    if not text.strip():
        raise EmptyInputError(source, f"{what} is empty or only whitespace")
    # A str has at most as many characters as its UTF-8 encoding has bytes.
    if len(text) > limit or len(text.encode("utf-8")) > limit:
        raise too_large(source, len(text.encode("utf-8")), limit, what)
    return normalise_newlines(text)


def open_binary(path: str) -> BinaryIO:
    """Open a file for streaming (JSONL, CSV) and sniff its head for binary content."""
    try:
        if os.path.isdir(path):
            raise InputError(path, "is a directory")
        f = open(path, "rb")  # noqa: SIM115 - the caller closes it
    except OSError as e:
        raise os_error(path, e) from None
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
    return f


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
            # Skip the rest of the over-long line without keeping it.
            while raw and not raw.endswith(b"\n"):
                raw = stream.readline(1 << 20)
                offset += len(raw)
            yield lineno, TooLargeError(
                where,
                f"line {lineno} is over {human_size(line_limit)}, too long for one article; "
                "split it into several records",
            )
            continue
        if lineno == 1 and raw.startswith(UTF8_BOM):
            raw = raw[len(UTF8_BOM):]
            start += len(UTF8_BOM)
        try:
            yield lineno, raw.decode("utf-8")
        except UnicodeDecodeError as e:
            yield lineno, EncodingError(
                where,
                f"line {lineno} is not valid UTF-8 at byte {start + e.start}; "
                f"{iconv_hint(source)}",
            )
