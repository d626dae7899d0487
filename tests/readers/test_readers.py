"""Tests for redline.readers: every input kind, and every kind of bad input."""

from __future__ import annotations

import datetime as dt
import gzip
import io
import json
import os
import sys
import zipfile
from pathlib import Path

import pytest

from redline.article import Article
from redline.errors import (
    BinaryInputError,
    EmptyInputError,
    EncodingError,
    FormatError,
    InputError,
    TooLargeError,
)
from redline.readers import DEFAULT_MAX_BYTES, count_hint, read_inputs
from redline.readers import files as files_mod
from redline.readers.files import default_id

STORY = "The council met on Monday.\nIt agreed to reopen the bridge.\n"


def read(*paths: Path | str, **kw) -> list[Article | InputError]:
    return list(read_inputs([str(p) for p in paths], **kw))


def only(items: list[Article | InputError]) -> Article | InputError:
    assert len(items) == 1, items
    return items[0]


def write(path: Path, data: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        path.write_bytes(data.encode("utf-8"))
    else:
        path.write_bytes(data)
    return path


def jsonl(*records: dict | str) -> str:
    return "".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in records)


def kinds(items: list) -> list[str]:
    return [type(x).__name__ for x in items]


def base(article_id: str) -> str:
    """A default id without its hash of the text (``news.jsonl:2~1a2b...`` -> ``news.jsonl:2``)."""
    return article_id.rsplit("~", 1)[0]


# --- plain text -------------------------------------------------------------------------------


def test_txt_is_one_article_with_basename_id(tmp_path: Path) -> None:
    p = write(tmp_path / "story.txt", STORY)
    a = only(read(p))
    assert isinstance(a, Article)
    assert a.id == default_id("story.txt", STORY)
    assert a.id.startswith("story.txt~")
    assert a.text == STORY
    assert a.date is None and a.title is None


@pytest.mark.parametrize("name", ["notes.md", "STORY.TXT", "a.text", "README", "feed.dat"])
def test_text_like_and_unknown_extensions_read_as_text(tmp_path: Path, name: str) -> None:
    a = only(read(write(tmp_path / name, STORY)))
    assert isinstance(a, Article)
    assert (base(a.id), a.text) == (name, STORY)


def test_default_date_is_given_to_undated_articles(tmp_path: Path) -> None:
    day = dt.date(2024, 3, 5)
    p = write(tmp_path / "story.txt", STORY)
    q = write(tmp_path / "a.jsonl", jsonl({"text": "x", "date": "2020-01-02"}, {"text": "y"}))
    got = read(p, q, default_date=day)
    assert [a.date for a in got] == [day, dt.date(2020, 1, 2), day]


def test_crlf_and_lone_cr_become_lf(tmp_path: Path) -> None:
    p = write(tmp_path / "crlf.txt", b"One.\r\nTwo.\rThree.\r\n")
    assert only(read(p)).text == "One.\nTwo.\nThree.\n"
    q = write(tmp_path / "a.jsonl", jsonl({"text": "a\r\nb"}).replace("\n", "\r\n"))
    assert only(read(q)).text == "a\nb"


def test_utf8_bom_is_stripped(tmp_path: Path) -> None:
    bom = b"\xef\xbb\xbf"
    p = write(tmp_path / "bom.txt", bom + "Café.".encode())
    assert only(read(p)).text == "Café."
    q = write(tmp_path / "bom.jsonl", bom + jsonl({"id": "x", "text": "t"}).encode())
    assert only(read(q)).id == "x"
    c = write(tmp_path / "bom.csv", bom + b"text,id\nhello,r1\n")
    assert only(read(c)).id == "r1"


def test_text_is_kept_as_read(tmp_path: Path) -> None:
    body = "  Leading spaces,\ttabs,  double  spaces and a trailing newline.\n\n"
    assert only(read(write(tmp_path / "raw.txt", body))).text == body


# --- bad files --------------------------------------------------------------------------------


def test_missing_file(tmp_path: Path) -> None:
    e = only(read(tmp_path / "nope.txt"))
    assert type(e) is InputError
    assert "nope.txt" in str(e) and "no such file" in str(e)


@pytest.mark.skipif(
    sys.platform == "win32" or (hasattr(os, "geteuid") and os.geteuid() == 0),
    reason="permissions are not enforced here",
)
def test_permission_denied(tmp_path: Path) -> None:
    p = write(tmp_path / "secret.txt", STORY)
    p.chmod(0)
    try:
        e = only(read(p))
    finally:
        p.chmod(0o644)
    assert type(e) is InputError
    assert "secret.txt" in str(e) and "permission denied" in str(e)


@pytest.mark.parametrize("content", [b"", b"   \n\t\r\n  "])
def test_empty_or_blank_file(tmp_path: Path, content: bytes) -> None:
    e = only(read(write(tmp_path / "empty.txt", content)))
    assert isinstance(e, EmptyInputError)
    assert e.source.endswith("empty.txt")


@pytest.mark.parametrize(
    ("head", "kind"),
    [
        (b"\x89PNG\r\n\x1a\n", "PNG"),
        (b"\xff\xd8\xff\xe0", "JPEG"),
        (b"GIF89a", "GIF"),
        (b"%PDF-1.7\n", "PDF"),
        (b"PK\x03\x04", "ZIP"),
        (b"\x1f\x8b\x08", "gzip"),
    ],
)
def test_binary_signatures(tmp_path: Path, head: bytes, kind: str) -> None:
    p = write(tmp_path / "file.txt", head + b"some more bytes that are text")
    e = only(read(p))
    assert isinstance(e, BinaryInputError)
    assert "file.txt" in str(e)
    assert f"looks like a binary file ({kind}" in str(e)


def test_real_archives_are_binary(tmp_path: Path) -> None:
    z = tmp_path / "a.zip"
    with zipfile.ZipFile(z, "w") as zf:
        zf.writestr("story.txt", STORY)
    g = write(tmp_path / "b.txt.gz", gzip.compress(STORY.encode()))
    assert kinds(read(z, g)) == ["BinaryInputError", "BinaryInputError"]


def test_nul_byte_means_binary(tmp_path: Path) -> None:
    e = only(read(write(tmp_path / "data.bin", b"abc\x00def")))
    assert isinstance(e, BinaryInputError)
    assert "NUL byte at byte 3" in str(e)


def test_invalid_utf8_names_the_byte_offset(tmp_path: Path) -> None:
    p = write(tmp_path / "latin.txt", b"Caf\xe9 au lait")
    e = only(read(p))
    assert isinstance(e, EncodingError)
    assert "latin.txt" in str(e)
    assert "not valid UTF-8 at byte 3" in str(e)
    assert "iconv" in str(e)
    # The offset counts from the start of the file, BOM included.
    p2 = write(tmp_path / "bom-latin.txt", b"\xef\xbb\xbfab\xff")
    assert "at byte 5" in str(only(read(p2)))


def test_utf16_is_an_encoding_error(tmp_path: Path) -> None:
    e = only(read(write(tmp_path / "u16.txt", "Hello".encode("utf-16"))))
    assert isinstance(e, EncodingError)
    assert "UTF-16" in str(e)


def test_unknown_extension_that_is_not_utf8_is_binary(tmp_path: Path) -> None:
    e = only(read(write(tmp_path / "blob.dat", b"\x80\x81\xfe plain ...")))
    assert isinstance(e, BinaryInputError)
    assert "blob.dat" in str(e)


def test_too_large_text_is_rejected_without_reading_it(tmp_path: Path, monkeypatch) -> None:
    big = tmp_path / "big.txt"
    with open(big, "wb") as f:
        f.write(b"word " * 4_000_000)  # 20 MB
    opened: list[str] = []
    real_open = open

    def spy(path, *args, **kw):
        opened.append(str(path))
        return real_open(path, *args, **kw)

    monkeypatch.setattr(files_mod, "open", spy, raising=False)
    e = only(read(big))
    assert isinstance(e, TooLargeError)
    assert "big.txt" in str(e)
    assert "20,000,000 bytes" in str(e) and f"{DEFAULT_MAX_BYTES:,} bytes" in str(e)
    assert "split" in str(e)
    assert opened == []  # rejected from os.stat alone


def test_max_bytes_is_configurable(tmp_path: Path) -> None:
    p = write(tmp_path / "story.txt", STORY)
    assert isinstance(only(read(p, max_bytes=10)), TooLargeError)
    assert isinstance(only(read(p, max_bytes=len(STORY))), Article)


def test_mixed_batch_goes_on_past_bad_inputs(tmp_path: Path) -> None:
    good = write(tmp_path / "good.txt", STORY)
    empty = write(tmp_path / "empty.txt", b"")
    binary = write(tmp_path / "binary.bin", b"\x00\x01\x02\x03")
    bad_utf8 = write(tmp_path / "bad_utf8.txt", b"Fa\xe7ade")
    big = write(tmp_path / "big.txt", b"x" * 20_000_000)
    bad_jsonl = write(
        tmp_path / "bad.jsonl",
        jsonl({"id": "j1", "text": "First."}, '{"text": "Second." "oops"}', {"text": "Third."}),
    )
    nocol = write(tmp_path / "nocol.csv", "date,body\n2024-01-01,Hello\n")
    good_csv = write(tmp_path / "good.csv", "id,text\nc1,Row one.\nc2,Row two.\n")
    got = read(good, empty, binary, bad_utf8, big, bad_jsonl, nocol, good_csv)
    assert kinds(got) == [
        "Article",
        "EmptyInputError",
        "BinaryInputError",
        "EncodingError",
        "TooLargeError",
        "Article",
        "FormatError",
        "Article",
        "FormatError",
        "Article",
        "Article",
    ]
    assert [base(a.id) for a in got if isinstance(a, Article)] == [
        "good.txt", "j1", "bad.jsonl:3", "c1", "c2",
    ]
    errors = [e for e in got if isinstance(e, InputError)]
    names = ["empty.txt", "binary.bin", "bad_utf8.txt", "big.txt", "bad.jsonl:2", "nocol.csv"]
    for e, name in zip(errors, names, strict=True):
        assert name in str(e)
        assert e.source.endswith(name)


# --- JSONL ------------------------------------------------------------------------------------


def test_jsonl_fields_and_default_ids(tmp_path: Path) -> None:
    p = write(
        tmp_path / "feed.jsonl",
        jsonl(
            {
                "id": "a1",
                "text": "Ministers met.",
                "date": "2024-03-05",
                "title": "Ministers meet",
                "url": "https://example.org/a1",
                "source": "Example Wire",
                "extra": [1, 2],
            },
            {"text": "No id here.", "date": "2024-03-06T23:30:00+05:00"},
        )
        + "\n   \n"
        + jsonl({"id": 7, "text": "Numeric id.", "date": "2024-03-07T01:02:03Z"}),
    )
    a, b, c = read(p)
    assert (a.id, a.text, a.date, a.title, a.url, a.source) == (
        "a1",
        "Ministers met.",
        dt.date(2024, 3, 5),
        "Ministers meet",
        "https://example.org/a1",
        "Example Wire",
    )
    assert (b.id, b.date, b.title) == (default_id("feed.jsonl:2", "No id here."),
                                       dt.date(2024, 3, 6), None)
    assert (c.id, c.date) == ("7", dt.date(2024, 3, 7))


def test_ndjson_extension(tmp_path: Path) -> None:
    p = write(tmp_path / "x.NDJSON", jsonl({"text": "hello"}))
    assert base(only(read(p)).id) == "x.NDJSON:1"


@pytest.mark.parametrize(
    ("line", "cls", "reason"),
    [
        ('{"text": "a" "b"}', FormatError, "line 2 is not valid JSON: Expecting ',' delimiter"),
        ("[1, 2]", FormatError, "line 2 is an array, not an object"),
        ('"just text"', FormatError, "line 2 is a string, not an object"),
        ('{"body": "x", "id": "q"}', FormatError, "line 2 has no 'text' field (fields: body, id)"),
        ('{"text": 42}', FormatError, "'text' must be a string, not a number"),
        ('{"text": "   "}', EmptyInputError, "line 2 has an empty 'text'"),
        ('{"text": "x", "date": "yesterday"}', FormatError, "'date' 'yesterday' is not an ISO"),
        ('{"text": "x", "date": "2024-02-30"}', FormatError, "is not an ISO date"),
        ('{"text": "x", "date": 20240305}', FormatError, "'date' must be a string"),
        ('{"text": "x", "title": {"a": 1}}', FormatError, "'title' must be a string"),
    ],
)
def test_jsonl_bad_line_is_reported_and_others_read(
    tmp_path: Path, line: str, cls: type, reason: str
) -> None:
    p = write(tmp_path / "bad.jsonl", jsonl({"text": "first"}, line, {"text": "third"}))
    first, err, third = read(p)
    assert (first.text, third.text) == ("first", "third")
    assert type(err) is cls
    assert err.source == f"{p}:2"
    assert reason in str(err)


def test_jsonl_json_error_names_the_column(tmp_path: Path) -> None:
    p = write(tmp_path / "bad.jsonl", '{"text": "a",, "b": 1}\n')
    e = only(read(p))
    assert str(e).endswith("line 1 is not valid JSON: Expecting property name enclosed in "
                           "double quotes at column 14")


def test_jsonl_invalid_utf8_line_is_reported_and_others_read(tmp_path: Path) -> None:
    p = write(tmp_path / "enc.jsonl", b'{"text": "ok"}\n{"text": "caf\xe9"}\n{"text": "ok2"}\n')
    a, e, b = read(p)
    assert isinstance(e, EncodingError)
    assert e.source == f"{p}:2"
    assert "at byte 28" in str(e)  # 15 bytes of line 1, then 13 into line 2
    assert (a.text, b.text) == ("ok", "ok2")


def test_jsonl_record_over_the_limit(tmp_path: Path) -> None:
    p = write(tmp_path / "big.jsonl", jsonl({"text": "x" * 200}, {"text": "short"}))
    e, a = read(p, max_bytes=100)
    assert isinstance(e, TooLargeError) and e.source == f"{p}:1"
    assert "200 bytes" in str(e)
    assert a.text == "short"


def test_jsonl_over_long_line_is_skipped_without_keeping_it(tmp_path: Path) -> None:
    huge = {"text": "y" * 5000}
    p = write(tmp_path / "huge.jsonl", jsonl(huge, {"text": "after"}))
    e, a = read(p, max_bytes=10)  # line limit is 6 * 10 + 64 KiB
    assert isinstance(e, TooLargeError)
    assert a.text == "after"
    p2 = write(tmp_path / "huge2.jsonl", jsonl({"text": "y" * 100_000}, {"text": "after"}))
    e, a = read(p2, max_bytes=10)
    assert isinstance(e, TooLargeError) and "line 1 is over" in str(e)
    assert a.text == "after" and base(a.id) == "huge2.jsonl:2"


def test_jsonl_blank_file(tmp_path: Path) -> None:
    e = only(read(write(tmp_path / "blank.jsonl", "\n\n  \n")))
    assert isinstance(e, EmptyInputError)


# --- JSON -------------------------------------------------------------------------------------


def test_json_single_object(tmp_path: Path) -> None:
    p = write(tmp_path / "one.json", json.dumps({"text": "Solo.", "title": "T"}))
    a = only(read(p))
    assert (base(a.id), a.text, a.title) == ("one.json", "Solo.", "T")


def test_json_list(tmp_path: Path) -> None:
    p = write(
        tmp_path / "many.json",
        json.dumps([{"id": "m1", "text": "One."}, {"text": "Two."}, 3, {"text": ""}]),
    )
    a, b, e1, e2 = read(p)
    assert (a.id, base(b.id)) == ("m1", "many.json[1]")
    assert isinstance(e1, FormatError) and e1.source == f"{p}[2]"
    assert isinstance(e2, EmptyInputError) and e2.source == f"{p}[3]"


@pytest.mark.parametrize(
    ("content", "cls", "reason"),
    [
        ('{"text": "x",}', FormatError, "not valid JSON"),
        ("42", FormatError, "expected an object or a list"),
        ("[]", EmptyInputError, "empty list"),
        ("", EmptyInputError, "is empty"),
    ],
)
def test_json_bad_file(tmp_path: Path, content: str, cls: type, reason: str) -> None:
    e = only(read(write(tmp_path / "bad.json", content)))
    assert type(e) is cls and reason in str(e) and e.source == str(tmp_path / "bad.json")


# --- CSV / TSV --------------------------------------------------------------------------------


def test_csv_rows(tmp_path: Path) -> None:
    p = write(
        tmp_path / "rows.csv",
        'ID,Text,Date,Title,URL,Source,Other\n'
        'r1,"Line one,\nline two.",2024-01-02,A title,https://example.org/r1,Wire,x\n'
        ',Second row.,,,,,\n',
    )
    a, b = read(p)
    assert (a.id, a.text, a.date, a.title, a.url, a.source) == (
        "r1",
        "Line one,\nline two.",
        dt.date(2024, 1, 2),
        "A title",
        "https://example.org/r1",
        "Wire",
    )
    # Default id: the line the row starts on (the header is line 1).
    assert (base(b.id), b.date, b.title) == ("rows.csv:4", None, None)


def test_tsv(tmp_path: Path) -> None:
    p = write(tmp_path / "rows.tsv", "text\tid\nHello, there.\tt1\n")
    assert only(read(p)).id == "t1"


def test_csv_without_text_column(tmp_path: Path) -> None:
    e = only(read(write(tmp_path / "nocol.csv", "date,body\n2024-01-01,hi\n")))
    assert isinstance(e, FormatError)
    assert "no 'text' column (columns: date, body)" in str(e)
    assert e.source == str(tmp_path / "nocol.csv")


def test_csv_row_with_empty_text(tmp_path: Path) -> None:
    p = write(tmp_path / "gap.csv", "id,text\nr1,Fine.\nr2,  \nr3,Also fine.\n,\n")
    a, e, b = read(p)  # a row with nothing at all in it is skipped
    assert isinstance(e, EmptyInputError)
    assert e.source == f"{p}:3"
    assert (a.id, b.id) == ("r1", "r3")


def test_csv_row_with_bad_date_and_extra_fields(tmp_path: Path) -> None:
    p = write(tmp_path / "d.csv", "text,date\nA.,05/03/2024\nB.,2024-03-05,extra\nC.,\n")
    e1, e2, c = read(p)
    assert isinstance(e1, FormatError) and e1.source == f"{p}:2"
    assert isinstance(e2, FormatError) and "3 fields but the header has 2" in str(e2)
    assert c.text == "C."


def test_csv_long_field(tmp_path: Path) -> None:
    body = "word " * 100_000  # 500 KB: over the csv module's default field limit
    p = write(tmp_path / "long.csv", f'text\n"{body}"\n')
    assert only(read(p)).text == body


def test_csv_header_only_and_blank(tmp_path: Path) -> None:
    e1 = only(read(write(tmp_path / "h.csv", "id,text\n")))
    e2 = only(read(write(tmp_path / "b.csv", "\n\n")))
    assert isinstance(e1, EmptyInputError) and "no data rows" in str(e1)
    assert isinstance(e2, EmptyInputError)


def test_csv_invalid_utf8_line_costs_only_its_record(tmp_path: Path) -> None:
    p = write(tmp_path / "enc.csv", b'text\nfine\nbad \xff\n"two\nlines \xfe"\nlater\n')
    a, e, e2, b = read(p)
    assert a.text == "fine" and b.text == "later"
    assert isinstance(e, EncodingError) and e.source == f"{p}:3"
    assert isinstance(e2, EncodingError) and e2.source == f"{p}:5"
    assert base(b.id) == f"{p.name}:6"


# --- HTML -------------------------------------------------------------------------------------

PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Harbour talks resume after storm | The Example Gazette</title>
  <meta property="article:published_time" content="2024-03-05T09:00:00Z">
  <link rel="canonical" href="https://gazette.example/harbour-talks">
  <style>body { font-family: serif; }</style>
  <script>window.tracker = "abc";</script>
</head>
<body>
  <nav><ul>
    <li><a href="/">Home page</a></li><li><a href="/sport">Sport section</a></li>
    <li><a href="/subscribe">Subscribe to our newsletter</a></li>
  </ul></nav>
  <main><article>
    <p>Negotiators from the two coastal towns met on Tuesday to discuss the future of the
       shared harbour, officials said after a long morning session at the town hall.</p>
    <p>The mayor of Eastport said both sides had agreed to keep the ferry running through the
       winter months and to meet again early next week to settle the remaining questions.</p>
    <p>A spokesperson for Westhaven described the talks as frank and useful, adding that a
       written plan for the harbour repairs would be published before the end of the month.</p>
  </article></main>
  <footer><p>Copyright 2023 The Example Gazette. All rights reserved.</p>
    <p>Privacy policy | Cookie settings | Contact the newsroom</p></footer>
</body>
</html>
"""


def test_html_main_text_and_metadata(tmp_path: Path) -> None:
    a = only(read(write(tmp_path / "page.html", PAGE)))
    assert isinstance(a, Article)
    assert a.id == default_id("page.html", a.text)
    assert "Negotiators from the two coastal towns met on Tuesday" in a.text
    assert "written plan for the harbour repairs" in a.text
    for boilerplate in ("Home page", "Subscribe", "Copyright", "Privacy policy", "tracker",
                        "font-family"):
        assert boilerplate not in a.text
    assert a.title == "Harbour talks resume after storm"
    assert a.date == dt.date(2024, 3, 5)
    assert a.url == "https://gazette.example/harbour-talks"
    assert "\r" not in a.text


def test_html_date_is_not_guessed_from_page_text(tmp_path: Path) -> None:
    page = PAGE.replace('<meta property="article:published_time" content="2024-03-05T09:00:00Z">',
                        "")
    a = only(read(write(tmp_path / "page.HTM", page), default_date=dt.date(2025, 1, 1)))
    assert a.date == dt.date(2025, 1, 1)  # not 2023 from the copyright line


def test_html_fallback_when_trafilatura_finds_nothing(tmp_path: Path, monkeypatch) -> None:
    import trafilatura

    monkeypatch.setattr(trafilatura, "extract", lambda *a, **kw: None)
    p = write(tmp_path / "tiny.html", PAGE)
    a = only(read(p))
    assert "Negotiators from the two coastal towns" in a.text
    assert "tracker" not in a.text and "font-family" not in a.text
    assert a.title == "Harbour talks resume after storm"


def test_html_with_no_text_is_empty(tmp_path: Path) -> None:
    p = write(tmp_path / "blank.html", "<html><head><script>go()</script></head><body></body>")
    e = only(read(p))
    assert isinstance(e, EmptyInputError) and "blank.html" in str(e)


def test_html_declared_charset(tmp_path: Path) -> None:
    page = ('<html><head><meta charset="iso-8859-1"><title>Caf\xe9</title></head>'
            "<body><p>Caf\xe9 owners met the mayor.</p></body></html>")
    a = only(read(write(tmp_path / "latin.html", page.encode("latin-1"))))
    assert "Café owners met the mayor." in a.text


def test_html_undeclared_latin1_is_an_encoding_error(tmp_path: Path) -> None:
    page = "<html><body><p>Caf\xe9 owners met.</p></body></html>".encode("latin-1")
    assert isinstance(only(read(write(tmp_path / "l.html", page))), EncodingError)


# --- directories ------------------------------------------------------------------------------


def test_directory_is_read_recursively_sorted_skipping_hidden(tmp_path: Path) -> None:
    root = tmp_path / "in"
    write(root / "b.txt", "Bee.")
    write(root / "a.txt", "Ay.")
    write(root / "sub" / "c.jsonl", jsonl({"text": "Sea."}))
    write(root / "sub" / "deeper" / "d.md", "Dee.")
    write(root / ".hidden.txt", "secret")
    write(root / ".git" / "config.txt", "secret")
    write(root / "z.bin", b"\x00\x01")
    got = read(root)
    assert [(base(x.id), x.text) for x in got if isinstance(x, Article)] == [
        ("a.txt", "Ay."),
        ("b.txt", "Bee."),
        ("sub/c.jsonl:1", "Sea."),
        ("sub/deeper/d.md", "Dee."),
    ]
    assert isinstance(got[-1], BinaryInputError) and got[-1].source.endswith("z.bin")


def test_empty_directory(tmp_path: Path) -> None:
    d = tmp_path / "nothing"
    write(d / ".only-hidden", "x")
    e = only(read(d))
    assert isinstance(e, EmptyInputError) and "nothing" in str(e)


# --- stdin ------------------------------------------------------------------------------------


def test_stdin_text() -> None:
    a = only(list(read_inputs(["-"], stdin=io.StringIO("Talks began.\r\nThey ended."))))
    assert (base(a.id), a.text) == ("<stdin>", "Talks began.\nThey ended.")


def test_stdin_jsonl() -> None:
    data = "\n" + jsonl({"id": "s1", "text": "One."}, "not json", {"text": "Three."})
    got = list(read_inputs(["-"], stdin=io.StringIO(data)))
    assert kinds(got) == ["Article", "FormatError", "Article"]
    assert got[0].id == "s1"
    assert got[1].source == "<stdin>:3"
    assert base(got[2].id) == "<stdin>:4"


def test_stdin_text_starting_with_a_brace_is_text() -> None:
    a = only(list(read_inputs(["-"], stdin=io.StringIO("{not json} said the sign.\n"))))
    assert base(a.id) == "<stdin>"


@pytest.mark.parametrize(
    ("data", "cls"),
    [("", EmptyInputError), ("  \n \n", EmptyInputError), ("a\x00b", BinaryInputError)],
)
def test_stdin_bad(data: str, cls: type) -> None:
    e = only(list(read_inputs(["-"], stdin=io.StringIO(data))))
    assert type(e) is cls and e.source == "<stdin>"


def test_stdin_too_large() -> None:
    e = only(list(read_inputs(["-"], stdin=io.StringIO("x" * 1000), max_bytes=100)))
    assert isinstance(e, TooLargeError)


def test_stdin_binary_buffer_checks_utf8() -> None:
    stream = io.TextIOWrapper(io.BytesIO(b"Fa\xe7ade"), encoding="utf-8")
    e = only(list(read_inputs(["-"], stdin=stream)))
    assert isinstance(e, EncodingError) and "at byte 2" in str(e)


# --- API details ------------------------------------------------------------------------------


def test_accepts_path_objects_and_is_lazy(tmp_path: Path) -> None:
    p = write(tmp_path / "story.txt", STORY)
    items = read_inputs([p, tmp_path / "missing.txt"])
    assert base(next(items).id) == "story.txt"
    assert isinstance(next(items), InputError)


def test_count_hint(tmp_path: Path) -> None:
    t = write(tmp_path / "a.txt", STORY)
    j = write(tmp_path / "b.jsonl", jsonl({"text": "1"}, {"text": "2"}, {"text": "3"}))
    c = write(tmp_path / "c.csv", "text\none\ntwo\n")
    js = write(tmp_path / "d.json", json.dumps([{"text": "1"}, {"text": "2"}]))
    d = tmp_path / "dir"
    write(d / "x.txt", "x")
    write(d / "y.jsonl", jsonl({"text": "1"}, {"text": "2"}))
    assert count_hint([str(t)]) == 1
    assert count_hint([str(j)]) == 3
    assert count_hint([str(c)]) == 2
    assert count_hint([str(js)]) == 2
    assert count_hint([str(d)]) == 3
    assert count_hint([str(t), str(tmp_path / "missing")]) == 2
    assert count_hint([str(t), "-"]) is None


def test_permission_error_from_open(tmp_path: Path, monkeypatch) -> None:
    p = write(tmp_path / "locked.txt", STORY)
    q = write(tmp_path / "fine.txt", STORY)

    real_open = os.open

    def deny(path, *args, **kw):
        if str(path) == str(p):
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, *args, **kw)

    monkeypatch.setattr(files_mod.os, "open", deny)
    e, a = read(p, q)
    assert type(e) is InputError and "locked.txt: permission denied" in str(e)
    assert base(a.id) == "fine.txt"


def test_unexpected_failure_is_reported_not_raised(tmp_path: Path, monkeypatch) -> None:
    import trafilatura

    from redline.readers import inputs

    def boom(*args, **kw):
        raise RuntimeError("parser exploded")

    monkeypatch.setattr(trafilatura, "extract", boom)  # HTML falls back to plain text
    monkeypatch.setattr(inputs, "read_jsonl", boom)  # anything else: one error, batch goes on
    h = write(tmp_path / "page.html", PAGE)
    j = write(tmp_path / "a.jsonl", jsonl({"text": "x"}))
    t = write(tmp_path / "b.txt", STORY)
    page, err, text = read(h, j, t)
    assert "Negotiators from the two coastal towns" in page.text
    assert type(err) is InputError and "parser exploded" in str(err) and "a.jsonl" in str(err)
    assert base(text.id) == "b.txt"
