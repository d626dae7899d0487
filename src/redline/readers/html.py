"""HTML pages: the main article text via trafilatura, with a plain fallback.

The article text is what trafilatura extracts (comments and tables left out, precision
favoured); span offsets later refer to that text, not to the HTML. When trafilatura finds
nothing, the page's visible text (scripts, styles and ``<head>`` dropped) is used instead.
Title, date, url and site name come from the page's own metadata (``og:`` tags, ``<title>``
without the site name, a single ``<h1>``, ``article:published_time``, canonical link); the date
is never guessed from the page's text. A page that declares a non-UTF-8 charset in a ``<meta>``
tag is decoded with it; otherwise the page must be UTF-8. A declared UTF-16/32 charset over
bytes with no BOM and no NUL pattern (an 8-bit page) is implausible: such a page, not being
UTF-8, is read as Windows-1252 with a warning, never decoded into garbage.

Pathological markup (over 10,000 ``<`` that open no tag, or over 100,000 character entities)
is never given to trafilatura or ``html.parser``: a linear regex stripper reads it, and the
result is then usually refused as not prose, in well under a second.
"""

from __future__ import annotations

import codecs
import datetime as dt
import html as htmllib
import logging
import re
from collections.abc import Iterator
from html.parser import HTMLParser

from redline.article import Article
from redline.errors import EmptyInputError, EncodingError, InputError
from redline.readers.files import (
    check_text,
    date_in_range,
    decode_utf8,
    default_id,
    iconv_hint,
    read_bytes,
)

log = logging.getLogger(__name__)

HTML_SIZE_FACTOR = 4
"""An HTML page may be this many times ``max_bytes`` (markup, scripts, inline styles)."""

_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_SKIP = {"script", "style", "noscript", "template", "head", "svg", "iframe", "object"}
_BLOCK = {
    "p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "table",
    "section", "article", "header", "footer", "nav", "aside", "blockquote", "pre", "hr",
    "figure", "figcaption", "main", "dd", "dt", "dl", "td", "th",
}


def decode_html(data: bytes, source: str) -> str:
    """UTF-8, or the charset the page declares in a ``<meta>`` tag."""
    try:
        return decode_utf8(data, source)
    except EncodingError as e:
        m = _CHARSET.search(data[:4096])
        if not m:
            raise
        try:
            codec = codecs.lookup(m.group(1).decode("ascii")).name
        except LookupError:
            raise EncodingError(
                source,
                f"{e.reason.split(';')[0]}, and its declared charset "
                f"{m.group(1).decode('ascii', 'replace')!r} is unknown; {iconv_hint(source)}",
            ) from None
        if codec == "utf-8":
            raise
        if codec.startswith(("utf-16", "utf-32")) and not _wide_pattern(data):
            return _legacy(data, source, codec)
        if codec in ("latin-1", "iso8859-1", "ascii"):
            codec = "cp1252"  # what browsers do with these labels
        try:
            return data.decode(codec)
        except UnicodeDecodeError as e2:
            raise EncodingError(
                source,
                f"is not valid {codec} (its declared charset) at byte {e2.start}; "
                "convert it to UTF-8",
            ) from None


def _wide_pattern(data: bytes) -> bool:
    """Whether ``data`` could be UTF-16/32: a BOM, or NUL bytes beside most ASCII ones."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return True
    head = data[:4096]
    return head.count(b"\x00") * 4 >= len(head)


def _legacy(data: bytes, source: str, declared: str) -> str:
    """An 8-bit page that declares a UTF-16/32 charset it cannot be in (no BOM, no NUL bytes),
    and is not UTF-8 either: read as Windows-1252, as browsers do, with a warning."""
    log.warning("%s: declares charset %s but has no UTF-16/32 byte pattern and is not UTF-8; "
                "read as Windows-1252", source, declared)
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:  # the five bytes cp1252 leaves undefined
        return data.decode("latin-1")


# Markup that makes parsers spin: far more "<" than tags, or entity after entity.
_TAG_START = re.compile(r"<[A-Za-z/!?]")
_ENTITY = re.compile(r"&#?\w{1,32};?")
STRAY_LT_LIMIT = 10_000
ENTITY_LIMIT = 100_000


def pathological(html: str) -> str | None:
    """Why ``html`` is markup no parser should be given whole (1 M stray ``<``, 500 k
    entities), or None. Cheap: two regex counts."""
    lt = html.count("<")
    if lt > STRAY_LT_LIMIT:
        stray = lt - len(_TAG_START.findall(html))
        if stray > STRAY_LT_LIMIT:
            return f"{stray:,} '<' that open no tag"
    if html.count("&") > ENTITY_LIMIT:
        entities = len(_ENTITY.findall(html))
        if entities > ENTITY_LIMIT:
            return f"{entities:,} character entities"
    return None


_STRIP_TAG = re.compile(r"<[A-Za-z/!?][^<>]{0,2000}>")


def strip_tags(html: str) -> str:
    """Visible text by a plain regex: tags dropped, entities decoded (linear time)."""
    html = re.sub(r"(?is)<(script|style)\b[^>]{0,2000}>.*?</\1\s*>", " ", html)
    text = htmllib.unescape(_STRIP_TAG.sub("\n", html))
    lines = (" ".join(line.split()) for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


class _TextParser(HTMLParser):
    """Visible text of a page, one line per block element, plus its ``<title>``."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.title_parts: list[str] = []
        self._skip = 0
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "title":
            self._in_title = True
        elif tag in _SKIP:
            self._skip += 1
        elif tag in _BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False
        elif tag in _SKIP:
            self._skip = max(0, self._skip - 1)
        elif tag in _BLOCK:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title_parts.append(data)
        elif not self._skip:
            self.parts.append(data)

    def text(self) -> str:
        lines = (" ".join(line.split()) for line in "".join(self.parts).split("\n"))
        return "\n".join(line for line in lines if line)

    def title(self) -> str | None:
        return " ".join("".join(self.title_parts).split()) or None


def _plain(html: str) -> _TextParser:
    parser = _TextParser()
    try:
        parser.feed(html)
        parser.close()
    except (ValueError, AssertionError, TypeError, RecursionError, IndexError) as e:
        log.debug("html.parser failed: %s", e)  # it is lenient; be safe with odd input
    return parser


def html_to_article(
    html: str, *, source: str, id: str, max_bytes: int, default_date: dt.date | None
) -> Article:
    """Extract one article from an HTML page; raise :class:`InputError` naming ``source``."""
    why = pathological(html)
    if why is not None:
        log.warning("%s: the page has %s; read with a plain tag stripper", source, why)
        text = check_text(strip_tags(html), source, max_bytes, "the extracted text")
        return Article(id=id, text=text, date=default_date,
                       notes=[f"the page has {why}; its text was read without trafilatura"])
    import trafilatura  # slow to import; only pay for it when there is HTML

    text: str | None = None
    try:
        text = trafilatura.extract(
            html, include_comments=False, include_tables=False, favor_precision=True
        )
    except Exception as e:  # a third-party parser: never let it crash a batch
        log.warning("%s: trafilatura failed (%s); using the page's plain text", source, e)
    plain: _TextParser | None = None
    if not text or not text.strip():
        plain = _plain(html)
        text = plain.text()
    if not text.strip():
        raise EmptyInputError(source, "has no article text (only markup, scripts or styles)")
    text = check_text(text, source, max_bytes, "the extracted text")

    title = url = site = None
    date: dt.date | None = None
    notes: list[str] = []
    try:
        meta = trafilatura.extract_metadata(html, extensive=False)
    except Exception as e:
        log.debug("%s: no metadata (%s)", source, e)
        meta = None
    if meta is not None:
        title, url, site = meta.title or None, meta.url or None, meta.sitename or None
        if meta.date:
            try:
                date = dt.date.fromisoformat(str(meta.date)[:10])
            except ValueError:
                date = None
            date = date_in_range(date, meta.date, source, notes)
    if not title:
        title = (plain or _plain(html)).title()
    return Article(
        id=id, text=text, date=date or default_date, title=title, source=site, url=url,
        notes=notes,
    )


def read_html(
    path: str, *, name: str, max_bytes: int, default_date: dt.date | None
) -> Iterator[Article | InputError]:
    """Read one ``.html``/``.htm`` file as one article."""
    try:
        data = read_bytes(path, max_bytes * HTML_SIZE_FACTOR, what="the HTML file")
        html = decode_html(data, path)
        article = html_to_article(
            html, source=path, id=name, max_bytes=max_bytes, default_date=default_date
        )
        article.id = default_id(name, article.text)
        yield article
    except InputError as e:
        yield e
