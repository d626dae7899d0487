"""Generators of hostile and valid-looking inputs for the fuzz tests, and a hang guard.

Every strategy here builds its own content (no fixture files): random bytes, random Unicode
including lone surrogates and NUL, mixed or CR-only line endings, unbalanced quotes, deep or
garbage markup, entity floods within the size limits, odd dates, wrong declared encodings and
truncated files, next to records that look right.
"""

from __future__ import annotations

import contextlib
import json
import signal
from collections.abc import Iterator

from hypothesis import strategies as st

HANG_SECONDS = 120
"""One example taking this long is a hang (far beyond any input's normal time)."""


class Hang(AssertionError):
    """An example ran past :data:`HANG_SECONDS`."""


@contextlib.contextmanager
def bounded(seconds: int = HANG_SECONDS) -> Iterator[None]:
    """Raise :class:`Hang` in the main thread if the block runs longer than ``seconds``."""

    def alarm(signum: int, frame: object) -> None:
        raise Hang(f"no result after {seconds} s: a hang")

    old = signal.signal(signal.SIGALRM, alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


# --- characters and text -----------------------------------------------------------------------

# Every code point, lone surrogates (category Cs) and NUL included.
any_char = st.characters(exclude_categories=())
odd_chars = st.sampled_from([
    "\x00", "\r", "\n", "\t", "\x0b", "\x0c", "\x1c", "\x85", "\u2028", "\u2029",
    "\ufeff", "\ufffd", "\ud800", "\udfff", "\udc80", "\U0010ffff", "\u202e", "\u0301",
    '"', "'", ",", ";", "<", ">", "&", "\\", "{", "}", "[", "]", "#", "=",
])
words = st.sampled_from([
    "Russia", "Ukraine", "troops", "attacked", "said", "on", "Monday", "the", "minister",
    "accused", "Poland", "of", "threatening", "talks", "in", "Warsaw", "he said,", "NATO",
    "über", "Kyiv", "Москва", "北京", "مصر", "2025-03-05", "12", ".", ",",
])
prose = st.lists(words, min_size=1, max_size=40).map(" ".join)
hostile_text = st.text(st.one_of(any_char, odd_chars), max_size=300)
some_text = st.one_of(prose, hostile_text, st.text(max_size=80))
line_end = st.sampled_from(["\n", "\r\n", "\r", "\n\r", "\r\r\n", ""])


def joined(parts: st.SearchStrategy[list[str]]) -> st.SearchStrategy[str]:
    """Parts joined with a random line ending each (mixed, CR-only, none)."""
    return st.tuples(parts, st.lists(line_end, min_size=1, max_size=8)).map(
        lambda t: "".join(p + t[1][i % len(t[1])] for i, p in enumerate(t[0])))


def encode(text: str, how: str) -> bytes:
    """``text`` as bytes: UTF-8 with surrogates passed through (invalid UTF-8), or a legacy
    codec (replacing what it cannot hold), optionally behind a BOM."""
    if how == "utf-8":
        return text.encode("utf-8", "surrogatepass")
    if how == "utf-8-bom":
        return b"\xef\xbb\xbf" + text.encode("utf-8", "surrogatepass")
    return text.encode(how, "replace")


codec = st.sampled_from(["utf-8", "utf-8", "utf-8", "utf-8-bom", "latin-1", "cp1252", "utf-16",
                         "utf-16-le", "utf-32", "koi8-r", "shift_jis", "cp037"])


@st.composite
def mangled(draw: st.DrawFn, data: bytes) -> bytes:
    """``data`` as is, truncated, with a NUL or a random byte run spliced in, or a known binary
    signature in front."""
    how = draw(st.sampled_from(["keep", "keep", "truncate", "splice", "nul", "magic"]))
    at = draw(st.integers(0, len(data)))
    if how == "truncate":
        return data[:at]
    if how == "splice":
        return data[:at] + draw(st.binary(max_size=40)) + data[at:]
    if how == "nul":
        return data[:at] + b"\x00" + data[at:]
    if how == "magic":
        return draw(st.sampled_from([b"\x89PNG\r\n\x1a\n", b"%PDF-", b"PK\x03\x04", b"\x1f\x8b",
                                     b"\xff\xfe", b"\xfe\xff", b"\x7fELF"])) + data
    return data


# --- dates -------------------------------------------------------------------------------------


@st.composite
def iso_dates(draw: st.DrawFn) -> str:
    """ISO-looking dates and datetimes with odd years (0, 1, 999, 9999, 5 digits), months,
    days, zones and signs, plus strings that only look like dates."""
    year = draw(st.one_of(st.integers(0, 99999), st.sampled_from([1, 999, 1000, 2999, 3000,
                                                                   9999, 10000])))
    month = draw(st.integers(0, 13))
    day = draw(st.integers(0, 32))
    sign = draw(st.sampled_from(["", "", "+", "-"]))
    base = f"{sign}{year:04d}-{month:02d}-{day:02d}"
    tail = draw(st.sampled_from([
        "", "", "T00:00:00", "T23:59:59Z", "T24:00:00", "T12:00:00+14:00", "T12:00:00-23:59",
        "T12:00:00.123456789", "z", " 12:00", "T99:99:99", "T12:00:00+99:00"]))
    return base + tail


@st.composite
def rfc822_dates(draw: st.DrawFn) -> str:
    """RFC 822 ``pubDate`` strings with odd years, days, zones and names."""
    day = draw(st.sampled_from(["Mon, ", "Xyz, ", ""]))
    return (f"{day}{draw(st.integers(0, 99))} "
            f"{draw(st.sampled_from(['Jan', 'Feb', 'Dec', 'Foo']))} "
            f"{draw(st.one_of(st.integers(0, 99999), st.sampled_from([1, 99, 9999])))} "
            f"{draw(st.sampled_from(['00:00:00', '25:61:61', '12:00', '']))} "
            f"{draw(st.sampled_from(['GMT', '+0000', '-9999', '+2400', 'EST', 'XYZ', '']))}")


any_date = st.one_of(iso_dates(), rfc822_dates(), some_text,
                     st.sampled_from(["9999-12-31", "0001-01-01", "10000-01-01", "2025-02-29",
                                      "yesterday", "", " ", "-0001-01-01", "2025-13-01"]))


# --- JSON records --------------------------------------------------------------------------------

json_scalar = st.one_of(
    st.none(), st.booleans(), st.integers(), st.integers(-(10**400), 10**400),
    st.floats(allow_nan=True, allow_infinity=True), some_text, any_date)
json_value = st.recursive(json_scalar, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(some_text, inner, max_size=4)), max_leaves=12)
FIELDS = ["text", "id", "date", "title", "url", "source"]


@st.composite
def records(draw: st.DrawFn) -> dict:
    """A record that mostly looks right: a text, some optional fields, odd values."""
    rec: dict = {}
    keys = draw(st.lists(st.sampled_from([*FIELDS, "extra", "Text", ""]), max_size=7))
    if draw(st.booleans()):
        keys = ["text", *keys]
    for key in keys:
        if key == "text":
            rec[key] = draw(st.one_of(prose, some_text, json_value))
        elif key == "date":
            rec[key] = draw(st.one_of(any_date, json_value))
        else:
            rec[key] = draw(st.one_of(some_text, json_value))
    return rec


def dumps(value: object, ascii_only: bool) -> str:
    """JSON text of ``value``; ``ascii_only`` writes lone surrogates as ``\\ud800`` escapes."""
    return json.dumps(value, ensure_ascii=ascii_only, allow_nan=True)


@st.composite
def jsonl_line(draw: st.DrawFn) -> str:
    kind = draw(st.sampled_from(["record", "record", "record", "value", "garbage", "deep",
                                 "cut", "blank"]))
    if kind == "record":
        return dumps(draw(records()), draw(st.booleans()))
    if kind == "value":
        return dumps(draw(json_value), draw(st.booleans()))
    if kind == "deep":
        n = draw(st.integers(1, 100_000))
        return draw(st.sampled_from(["[", "{\"a\":", "{\"text\":["])) * n
    if kind == "cut":
        line = dumps(draw(records()), draw(st.booleans()))
        return line[: draw(st.integers(0, len(line)))]
    if kind == "blank":
        return draw(st.sampled_from(["", " ", "\t", "\ufeff"]))
    return draw(hostile_text)


@st.composite
def jsonl_files(draw: st.DrawFn) -> bytes:
    text = draw(joined(st.lists(jsonl_line(), max_size=8)))
    return draw(mangled(encode(text, draw(st.sampled_from(["utf-8", "utf-8", "utf-8-bom",
                                                            "latin-1", "utf-16"])))))


@st.composite
def json_files(draw: st.DrawFn) -> bytes:
    doc = draw(st.one_of(records(), st.lists(st.one_of(records(), json_value), max_size=5),
                         json_value))
    text = dumps(doc, draw(st.booleans()))
    return draw(mangled(encode(text, "utf-8")))


# --- CSV ---------------------------------------------------------------------------------------


@st.composite
def csv_cell(draw: st.DrawFn) -> str:
    value = draw(st.one_of(prose, some_text, any_date))
    how = draw(st.sampled_from(["plain", "quoted", "quoted", "unbalanced", "stray"]))
    if how == "quoted":
        return '"' + value.replace('"', '""') + '"'
    if how == "unbalanced":
        return '"' + value
    if how == "stray":
        at = draw(st.integers(0, len(value)))
        return value[:at] + '"' + value[at:]
    return value


@st.composite
def csv_files(draw: st.DrawFn) -> bytes:
    sep = draw(st.sampled_from([",", ",", "\t", ";"]))
    header = draw(st.lists(st.sampled_from([*FIELDS, "Text", " text ", "extra", "", '"text"',
                                            "te\"xt"]), max_size=7))
    if draw(st.booleans()):
        header = ["text", *header]
    rows = [sep.join(header)]
    for _ in range(draw(st.integers(0, 6))):
        rows.append(sep.join(draw(st.lists(csv_cell(), max_size=len(header) + 2))))
    text = draw(joined(st.just(rows)))
    return draw(mangled(encode(text, draw(st.sampled_from(["utf-8", "utf-8", "utf-8-bom",
                                                            "cp1252"])))))


# --- HTML --------------------------------------------------------------------------------------

TAGS = ["p", "div", "span", "article", "main", "h1", "title", "script", "style", "a", "br",
        "table", "td", "li", "head", "body", "html", "svg", "iframe", "template", "x-y", "!--",
        "![CDATA[", "?xml", "!DOCTYPE html", "meta", "noscript", "pre", "b"]
ENTITIES = ["&amp;", "&lt;", "&#0;", "&#x110000;", "&#99999999999;", "&#xd800;", "&bogus;",
            "&nbsp", "&#65", "&amp", "&", "&#;", "&#x;"]


@st.composite
def html_fragment(draw: st.DrawFn, depth: int = 0) -> str:
    kind = draw(st.sampled_from(["text", "text", "tag", "entities", "stray", "deep", "meta"]))
    if kind == "text":
        return draw(st.one_of(prose, some_text))
    if kind == "entities":
        return "".join(draw(st.lists(st.sampled_from(ENTITIES), max_size=50))) * \
            draw(st.sampled_from([1, 1, 100, 3000]))
    if kind == "stray":
        return draw(st.sampled_from(["<", "< ", "<<", "</", "<!", "<?", "<a", "<!--"])) * \
            draw(st.sampled_from([1, 10, 2000, 12000]))
    if kind == "deep":
        tag = draw(st.sampled_from(["div", "b", "span", "table", "a"]))
        n = draw(st.sampled_from([10, 500, 5000]))
        close = draw(st.booleans())
        return f"<{tag}>" * n + draw(prose) + (f"</{tag}>" * n if close else "")
    if kind == "meta":
        return draw(st.sampled_from([
            '<meta property="article:published_time" content="{}">',
            '<meta name="date" content="{}">', '<time datetime="{}">x</time>',
            '<meta charset="{}">', '<meta http-equiv="Content-Type" content="text/html; '
            'charset={}">', '<link rel="canonical" href="{}">',
            '<meta property="og:title" content="{}">'])).format(
                draw(st.one_of(any_date, st.sampled_from(
                    ["utf-16", "UTF-32", "latin-1", "bogus", "utf-8", "koi8-r", "x-user-defined",
                     "utf-7", "cp037"]), some_text)))
    tag = draw(st.sampled_from(TAGS))
    attrs = draw(st.sampled_from(["", ' class="x"', " a='", ' b="<p>"', " c=d e", " =="]))
    inner = "" if depth > 2 else "".join(
        draw(st.lists(html_fragment(depth + 1), max_size=3)))
    end = draw(st.sampled_from([f"</{tag}>", "", f"</{tag}", ">"]))
    return f"<{tag}{attrs}>{inner}{end}"


@st.composite
def html_files(draw: st.DrawFn) -> bytes:
    body = "".join(draw(st.lists(html_fragment(), max_size=6)))
    if draw(st.booleans()):
        body = f"<html><head><title>{draw(prose)}</title></head><body><article><p>" \
            f"{draw(prose)}</p>{body}</article></body></html>"
    return draw(mangled(encode(body, draw(codec))))


# --- feeds -------------------------------------------------------------------------------------


def _xml_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


@st.composite
def feed_text(draw: st.DrawFn) -> str:
    value = draw(st.one_of(prose, some_text, html_fragment()))
    how = draw(st.sampled_from(["escaped", "escaped", "cdata", "raw"]))
    if how == "escaped":
        return _xml_escape(value)
    if how == "cdata":
        return f"<![CDATA[{value}]]>"
    return value


@st.composite
def feed_files(draw: st.DrawFn) -> bytes:
    atom = draw(st.booleans())
    items = []
    for _ in range(draw(st.integers(0, 4))):
        parts = []
        for tag in draw(st.lists(st.sampled_from(
                ["title", "body", "date", "id", "link", "junk"]), max_size=6)):
            value = draw(feed_text())
            if tag == "body":
                tag = draw(st.sampled_from(["content", "summary"] if atom else
                                           ["description", "content:encoded"]))
            elif tag == "date":
                tag = draw(st.sampled_from(["published", "updated", "dc:date"] if atom else
                                           ["pubDate", "dc:date"]))
                value = _xml_escape(draw(any_date))
            elif tag == "id":
                tag = "id" if atom else "guid"
            elif tag == "link" and atom:
                parts.append(f'<link rel="alternate" href="{_xml_escape(draw(some_text))}"/>')
                continue
            elif tag == "junk":
                tag = draw(st.sampled_from(["x", "item", "entry", "channel"]))
            parts.append(f"<{tag}>{value}</{tag}>")
        item = "entry" if atom else "item"
        items.append(f"<{item}>{''.join(parts)}</{item}>")
    ns = ('xmlns="http://www.w3.org/2005/Atom" xmlns:dc="http://purl.org/dc/elements/1.1/"'
          if atom else 'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
          'xmlns:dc="http://purl.org/dc/elements/1.1/"')
    title = f"<title>{_xml_escape(draw(some_text))}</title>"
    body = (f"<feed {ns}>{title}{''.join(items)}</feed>" if atom else
            f'<rss version="2.0" {ns}><channel>{title}{"".join(items)}</channel></rss>')
    declared = draw(st.sampled_from([None, "utf-8", "ISO-8859-1", "windows-1252", "utf-16",
                                     "UTF-32", "koi8-r", "bogus", "ascii", "utf-7", "cp037"]))
    prefix = draw(st.sampled_from(["", "", " \n", "\ufeff", "<!-- c -->",
                                   '<!DOCTYPE rss [<!ENTITY a "aaaa">]>']))
    if declared is not None:
        body = f'<?xml version="1.0" encoding="{declared}"?>' + prefix + body
    else:
        body = prefix + body
    if draw(st.booleans()):
        body = draw(st.sampled_from(["", " ", "\n", "\ufeff"])) + body
    return draw(mangled(encode(body, draw(codec))))


# --- plain text --------------------------------------------------------------------------------


@st.composite
def text_files(draw: st.DrawFn) -> bytes:
    kind = draw(st.sampled_from(["prose", "hostile", "bytes", "symbols", "lines"]))
    if kind == "bytes":
        return draw(st.binary(max_size=2000))
    if kind == "symbols":
        return draw(st.sampled_from(["<", "&amp;", ".", " ", "-\n", "\u00a0"])).encode() * \
            draw(st.sampled_from([1, 9999, 10_000, 20_000]))
    if kind == "lines":
        text = draw(joined(st.lists(st.one_of(prose, hostile_text), max_size=10)))
    else:
        text = draw(prose if kind == "prose" else hostile_text)
    return draw(mangled(encode(text, draw(codec))))
