"""RSS and Atom feed files: one article per item (``<item>``) or entry (``<entry>``).

Read with the standard library's ``xml.etree`` (expat: external entities are never fetched,
and entity-expansion bombs are refused). Supported roots: ``<rss>`` (RSS 0.9x/2.0),
``<feed>`` (Atom 1.0) and ``<rdf:RDF>`` (RSS 1.0).

Per item:

* text: the full content (``content:encoded``, Atom ``<content>``) when there is one, else the
  description or summary; HTML in it is turned into plain text (one line per block). An item
  with neither takes its title as text, with a note saying so;
* id: the item's ``<guid>`` / Atom ``<id>``, else its link, else ``<file>[<index>]~<hash>``;
* date: ``pubDate`` (RFC 822), ``published``, ``updated`` or ``dc:date`` (ISO), its date part
  as written (one outside 1000..2999 is ignored with a note); title, url (the link) and
  source (the channel's or feed's title) as given.

The encoding is the one the XML declaration names (``ISO-8859-1``, ``windows-1252``, ...),
white space or a BOM before the declaration allowed.

A bad item yields an error naming ``<file>[<index>]`` (index from 0) and reading goes on; a
file that is not well-formed XML yields one error with its line and column.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import functools
import html
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from html.parser import HTMLParser
from typing import BinaryIO

from redline.article import Article
from redline.errors import EmptyInputError, FormatError, InputError
from redline.readers.files import (
    MAX_DATE,
    MIN_DATE,
    SNIFF_BYTES,
    check_text,
    date_in_range,
    default_id,
    open_regular,
    out_of_range,
    read_bytes,
)
from redline.readers.html import pathological, strip_tags
from redline.readers.records import isolated

Item = Article | InputError

FEED_EXTENSIONS = frozenset({".rss", ".atom", ".xml"})
FEED_SIZE_FACTOR = 20
"""A feed file may hold up to this many times ``max_bytes`` (it is parsed whole)."""

ATOM = "{http://www.w3.org/2005/Atom}"
RSS1 = "{http://purl.org/rss/1.0/}"
CONTENT = "{http://purl.org/rss/1.0/modules/content/}"
DC = "{http://purl.org/dc/elements/1.1/}"
RDF = "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}"

_ROOT = re.compile(rb"<([A-Za-z_][\w.:-]*)")
_TAG_LIKE = re.compile(r"<[A-Za-z/!][^>]*>")
_BLOCK = {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "blockquote",
          "pre", "hr", "section", "article", "figcaption", "dd", "dt", "table"}
_SKIP = {"script", "style", "noscript", "template", "iframe", "svg"}


def root_name(head: bytes) -> str | None:
    """Local name of the first element in ``head`` (after the XML declaration, comments and
    doctype), or None."""
    text = re.sub(rb"<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^>]*>", b"", head, flags=re.S)
    m = _ROOT.search(text)
    return m.group(1).decode("ascii").split(":")[-1] if m else None


def is_feed(path: str) -> bool:
    """Whether the file's root element is ``rss``, ``feed`` or ``RDF`` (reads 8 KB of a regular
    file; anything else is not a feed)."""
    try:
        f, _ = open_regular(path)
        with f:
            head = f.read(SNIFF_BYTES)
    except (InputError, OSError):
        return False
    return root_name(head) in ("rss", "feed", "RDF")


FEED_COUNT_LIMIT = 16 << 20
_ITEM = re.compile(rb"<(?:\w+:)?(?:item|entry)[\s>]")


def feed_hint(f: BinaryIO, size: int, limit: int = FEED_COUNT_LIMIT) -> int:
    """About how many items an open feed file of ``size`` bytes holds (for progress bars):
    counted in its first ``limit`` bytes, extrapolated beyond."""
    data = f.read(limit)
    n = len(_ITEM.findall(data))
    if size > len(data) and data:
        n = int(n * size / len(data))
    return max(1, n)


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP:
            self._skip += 1
        elif tag in _BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP:
            self._skip = max(0, self._skip - 1)
        elif tag in _BLOCK:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._skip:  # in HTML a newline is a space; blocks make the lines
            self.parts.append(data.replace("\r", " ").replace("\n", " "))


def html_text(value: str) -> str:
    """Plain text of an HTML fragment (or of plain text with entities), one line per block."""
    if pathological(value):  # 1 M stray "<", 500 k entities: no parser, a linear stripper
        return strip_tags(value)
    if not _TAG_LIKE.search(value):
        lines = html.unescape(value).split("\n")
    else:
        parser = _Text()
        try:
            parser.feed(value)
            parser.close()
        except (ValueError, AssertionError, TypeError, RecursionError, IndexError):  # lenient
            return " ".join(html.unescape(_TAG_LIKE.sub(" ", value)).split())
        lines = "".join(parser.parts).split("\n")
    return "\n".join(" ".join(line.split()) for line in lines if line.strip())


def _text(el: ET.Element | None) -> str | None:
    if el is None:
        return None
    if el.get("type") == "xhtml":  # Atom: the content is XHTML elements, not text
        value = "".join(ET.tostring(child, encoding="unicode") for child in el)
        value = re.sub(r"<(/?)[\w.-]+:", r"<\1", value)  # drop namespace prefixes
    else:
        value = "".join(el.itertext())
    value = value.strip()
    return value or None


def _first(el: ET.Element, *tags: str) -> ET.Element | None:
    for tag in tags:
        found = el.find(tag)
        if found is not None and (_text(found) or found.get("href")):
            return found
    return None


def _date(value: str | None, where: str, notes: list[str]) -> dt.date | None:
    """The date part of an RFC 822 or ISO 8601 date; one outside the supported range (year
    9999, year 1, ...) is ignored with a note (:func:`~redline.readers.files.date_in_range`)."""
    if not value:
        return None
    value = value.strip()
    if re.match(r"^[+-]?\d{5,}-", value) or _odd_rfc822_year(value):
        notes.append(out_of_range(value, where))
        return None
    try:
        if re.match(r"^\d{4}-\d{2}-\d{2}", value):
            date = dt.date.fromisoformat(value[:10])
        else:
            date = email.utils.parsedate_to_datetime(value).date()
    except OverflowError:
        notes.append(out_of_range(value, where))
        return None
    except (ValueError, TypeError, IndexError):
        raise FormatError(where, f"has a date {value!r} that is neither RFC 822 nor ISO 8601"
                          ) from None
    return date_in_range(date, value, where, notes)


_RFC822_YEAR = re.compile(r"\b[A-Za-z]{3}\s+(\d{3,})\b")


def _odd_rfc822_year(value: str) -> bool:
    """An RFC 822 date with a written-out year outside the supported range (``0001``, which
    ``email.utils`` would read as 2001, or ``99999``)."""
    m = _RFC822_YEAR.search(value)
    return m is not None and not MIN_DATE.year <= int(m.group(1)) <= MAX_DATE.year


def _link(item: ET.Element, atom: bool) -> str | None:
    if not atom:
        return _text(item.find("link")) or _text(item.find(f"{RSS1}link")) or \
            item.get(f"{RDF}about")
    for link in item.findall(f"{ATOM}link"):
        if link.get("rel", "alternate") == "alternate" and link.get("href"):
            return link.get("href")
    return None


def _item_article(item: ET.Element, *, atom: bool, where: str, id_base: str,
                  source: str | None, max_bytes: int, default_date: dt.date | None) -> Article:
    if atom:
        body = _first(item, f"{ATOM}content", f"{ATOM}summary")
        title = _text(item.find(f"{ATOM}title"))
        ident = _text(item.find(f"{ATOM}id"))
        date_el = _first(item, f"{ATOM}published", f"{ATOM}updated", f"{DC}date")
    else:
        body = _first(item, f"{CONTENT}encoded", "description", f"{RSS1}description")
        title = _text(item.find("title")) or _text(item.find(f"{RSS1}title"))
        ident = _text(item.find("guid"))
        date_el = _first(item, "pubDate", f"{DC}date")
    title = " ".join(html_text(title).split()) if title else None
    link = _link(item, atom)
    notes: list[str] = []
    text = html_text(_text(body) or "") if body is not None else ""
    if not text.strip():
        if not title:
            raise EmptyInputError(where, "has no text: no content, description or title")
        text = title
        notes.append("the text is the item's title: the feed gives no description or content")
    text = check_text(text, where, max_bytes, "the item's text")
    date = _date(_text(date_el), where, notes)
    return Article(
        id=ident or link or default_id(id_base, text), text=text,
        date=date or default_date, title=title, source=source, url=link,
        notes=notes,
    )


def read_feed(
    path: str, *, name: str, max_bytes: int, default_date: dt.date | None
) -> Iterator[Item]:
    """Read an RSS or Atom file, one article per item."""
    try:
        data = read_bytes(path, max_bytes * FEED_SIZE_FACTOR, what="the feed file")
    except InputError as e:
        yield e
        return
    try:
        root = parse_xml(data)
    except ET.ParseError as e:
        line, col = e.position
        yield FormatError(path, f"is not well-formed XML: {_reason(e)} (line {line}, "
                                f"column {col + 1})")
        return
    except (LookupError, ValueError) as e:  # a declared encoding that cannot be read
        yield FormatError(path, f"is not a feed that can be read: {e}; convert it to UTF-8")
        return
    local = root.tag.rsplit("}", 1)[-1]
    atom = local == "feed"
    if local == "rss":
        channel = root.find("channel")
        holder = channel if channel is not None else root
        items = holder.findall("item")
        source = _text(holder.find("title"))
    elif atom:
        items = root.findall(f"{ATOM}entry")
        source = _text(root.find(f"{ATOM}title"))
    elif local == "RDF":
        items = root.findall(f"{RSS1}item")
        channel = root.find(f"{RSS1}channel")
        source = _text(channel.find(f"{RSS1}title")) if channel is not None else None
    else:
        yield FormatError(path, f"is XML with a <{local}> root, not an RSS (<rss>) or Atom "
                                "(<feed>) feed")
        return
    if not items:
        yield EmptyInputError(path, "is a feed with no items")
        return
    source = " ".join(source.split()) if source else None
    for i, item in enumerate(items):
        where = f"{path}[{i}]"
        yield isolated(functools.partial(
            _item_article, item, atom=atom, where=where, id_base=f"{name}[{i}]", source=source,
            max_bytes=max_bytes, default_date=default_date), where, f"item {i}")


_DECL = re.compile(rb"""^<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._:-]+)["']""")


def parse_xml(data: bytes) -> ET.Element:
    """Parse a feed's bytes with expat, in the encoding its XML declaration names.

    White space or a UTF-8 BOM before the declaration is dropped, and a declared encoding
    expat does not know itself (``windows-1252``, ``koi8-r``, ...) is decoded by Python
    first. Raises ``ET.ParseError``, or ``LookupError``/``ValueError`` for a declared encoding
    that neither expat nor Python can read (``bogus``, ``UTF-32`` over 8-bit bytes).
    """
    stripped = data.removeprefix(b"\xef\xbb\xbf").lstrip(b" \t\r\n")
    m = _DECL.match(stripped)
    if m is not None and not data.startswith(b"<?xml"):
        data = stripped if not data.startswith(b"\xef\xbb\xbf") else data[:3] + stripped
    try:
        return ET.fromstring(data)
    except (ET.ParseError, LookupError, ValueError) as first:
        # LookupError: an encoding expat does not know; ValueError: one it will not read
        if m is None:
            raise
        declared = m.group(1).decode("ascii")
        try:
            text = stripped.decode(declared)
        except (LookupError, UnicodeDecodeError):
            text = ""
        end = text.find("?>")  # gone when the bytes decode to other characters
        if end < 0:
            if isinstance(first, ET.ParseError):
                raise first from None
            raise ValueError(f"its declared encoding {declared!r} cannot be read: {first}"
                             ) from None
        return ET.fromstring(text[end + 2:].encode("utf-8"))


def _reason(e: ET.ParseError) -> str:
    return str(e).split(":")[0]
