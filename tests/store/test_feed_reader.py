"""RSS/Atom feed files as inputs (redline.readers.feeds, through read_inputs)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from redline.article import Article
from redline.errors import EmptyInputError, FormatError, InputError
from redline.readers import count_hint, read_inputs

RSS = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel>
  <title>World  Desk</title>
  <item>
    <title>Talks in Geneva</title>
    <link>https://example.org/geneva</link>
    <guid isPermaLink="false">desk-1</guid>
    <pubDate>Tue, 04 Mar 2025 22:30:00 +0000</pubDate>
    <description>Short teaser.</description>
    <content:encoded><![CDATA[<p>The ministers met in Geneva.</p><p>They agreed
      to meet again &amp; talk.</p><script>x()</script>]]></content:encoded>
  </item>
  <item>
    <title>Only a headline: Iran threatens Israel</title>
    <link>https://example.org/headline</link>
  </item>
  <item>
    <description>&lt;b&gt;Bold&lt;/b&gt; claims were made.</description>
    <pubDate>sometime last week</pubDate>
  </item>
  <item><link>https://example.org/empty</link></item>
</channel>
</rss>
"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>Atom Wire</title>
  <entry>
    <title type="html">Sanctions &lt;em&gt;imposed&lt;/em&gt;</title>
    <id>tag:example.org,2025:1</id>
    <link rel="alternate" href="https://example.org/atom/1"/>
    <link rel="edit" href="https://example.org/edit/1"/>
    <updated>2025-05-02T09:00:00Z</updated>
    <published>2025-05-01T23:00:00-05:00</published>
    <content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>The EU imposed
      sanctions on Belarus.</p></div></content>
  </entry>
  <entry>
    <link href="https://example.org/atom/2"/>
    <summary>Protesters marched in Tbilisi.</summary>
  </entry>
</feed>
"""

RDF = """<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
         xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
  <channel rdf:about="https://example.org/"><title>Old Feed</title></channel>
  <item rdf:about="https://example.org/r1">
    <title>One</title><description>Troops withdrew from the border.</description>
    <dc:date>2024-12-30</dc:date>
  </item>
</rdf:RDF>
"""


def _read(path: Path) -> list[Article | InputError]:
    return list(read_inputs([str(path)]))


def test_rss_items_become_articles_and_bad_items_errors(tmp_path: Path) -> None:
    path = tmp_path / "desk.rss"
    path.write_text(RSS, encoding="utf-8")
    items = _read(path)
    assert len(items) == 4
    first, headline, bad_date, empty = items
    assert isinstance(first, Article)
    assert first.id == "desk-1" and first.url == "https://example.org/geneva"
    assert first.text == "The ministers met in Geneva.\nThey agreed to meet again & talk."
    assert first.date == dt.date(2025, 3, 4) and first.title == "Talks in Geneva"
    assert first.source == "World Desk"
    assert isinstance(headline, Article)
    assert headline.text == "Only a headline: Iran threatens Israel"
    assert headline.id == "https://example.org/headline" and headline.notes
    assert isinstance(bad_date, FormatError) and bad_date.source == f"{path}[2]"
    assert isinstance(empty, EmptyInputError) and empty.source == f"{path}[3]"
    assert count_hint([str(path)]) == 4


def test_atom_entries(tmp_path: Path) -> None:
    path = tmp_path / "wire.atom"
    path.write_text(ATOM, encoding="utf-8")
    first, second = _read(path)
    assert isinstance(first, Article) and isinstance(second, Article)
    assert first.text == "The EU imposed sanctions on Belarus."
    assert first.title == "Sanctions imposed" and first.id == "tag:example.org,2025:1"
    assert first.url == "https://example.org/atom/1"
    assert first.date == dt.date(2025, 5, 1)  # published, as written
    assert second.id == "https://example.org/atom/2" and second.source == "Atom Wire"
    assert second.text == "Protesters marched in Tbilisi."


def test_rss1_rdf_feed_in_an_xml_file(tmp_path: Path) -> None:
    path = tmp_path / "old.xml"
    path.write_text(RDF, encoding="utf-8")
    (item,) = _read(path)
    assert isinstance(item, Article)
    assert (item.id, item.date, item.source) == ("https://example.org/r1",
                                                 dt.date(2024, 12, 30), "Old Feed")


def test_other_xml_is_still_read_as_text(tmp_path: Path) -> None:
    path = tmp_path / "notes.xml"
    path.write_text("<notes><n>The army withdrew.</n></notes>\n")
    (item,) = _read(path)
    assert isinstance(item, Article) and item.id.startswith("notes.xml~")


def test_broken_and_wrong_feeds_are_named(tmp_path: Path) -> None:
    broken = tmp_path / "broken.rss"
    broken.write_text("<rss><channel><item><title>x</item></channel></rss>")
    (err,) = _read(broken)
    assert isinstance(err, FormatError) and "not well-formed XML" in err.reason
    assert "line 1" in err.reason
    other = tmp_path / "other.atom"
    other.write_text("<html><body>hi</body></html>")
    (err,) = _read(other)
    assert isinstance(err, FormatError) and "<html> root" in err.reason
    empty = tmp_path / "empty.rss"
    empty.write_text("<rss><channel><title>t</title></channel></rss>")
    (err,) = _read(empty)
    assert isinstance(err, EmptyInputError)


def test_entity_expansion_bombs_are_refused(tmp_path: Path) -> None:
    lol = "".join(f'<!ENTITY l{i} "' + f"&l{i - 1};" * 10 + '">' for i in range(1, 10))
    path = tmp_path / "bomb.rss"
    path.write_text(f'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY l0 "lol">{lol}]>'
                    "<rss><channel><item><description>&l9;</description></item></channel></rss>")
    (err,) = _read(path)
    assert isinstance(err, InputError)
