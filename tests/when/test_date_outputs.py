"""A date's granularity and background flag reach every output: the CSV of ``redline code``,
its table, and the CSV of ``redline export`` (no model)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

from redline.article import Actor, Article, Event, Plover, Sentence, When
from redline.output import CSV_COLUMNS, Writer
from redline.store import export, open_writer
from redline.store.rows import article_rows
from redline.store.writer import write_article


def _country(text: str, code: str, start: int) -> Actor:
    return Actor(text, start, start + len(text), code=code, country=code, name=text,
                 kind="country")


def dated_article() -> Article:
    """Three events: one in a year, one in the background with no date, one on the article's
    date."""
    text = "Chad attacked Sudan in 2018. Chad had attacked Libya. Mali attacked Niger."
    art = Article(id="dates", text=text, date=dt.date(2025, 9, 5),
                  sentences=[Sentence(0, 28), Sentence(29, 53), Sentence(54, len(text))])
    dates = [When("2018-01-01", "2018-12-31", "year", "in 2018", historical=True),
             When("", "", "unknown", "had + past participle", historical=True),
             When("2025-09-05", "2025-09-05", "day", None, from_article_date=True)]
    pairs = [("Chad", "Sudan", 0), ("Chad", "Libya", 29), ("Mali", "Niger", 54)]
    for i, ((src, tgt, start), when) in enumerate(zip(pairs, dates, strict=True)):
        src_at, tgt_at = start, text.index(tgt, start)
        end = text.index(".", start)
        art.events.append(Event(
            id=f"e{i + 1}", sentence=i, evidence=art.span(start, end), cameo="190",
            cameo_name="Use conventional military force", plover=Plover("ASSAULT"),
            goldstein=-10.0, quad_class=4, source=_country(src, src[:3].upper(), src_at),
            target=_country(tgt, tgt[:3].upper(), tgt_at), date=when, confidence=0.8,
            rule="test"))
    return art


def _write(fmt: str) -> str:
    out = io.StringIO()
    w = Writer(out, fmt)
    w.write(dated_article())
    w.close()
    return out.getvalue()


def test_code_csv_carries_granularity_end_and_background() -> None:
    assert {"event_date", "event_date_end", "date_granularity", "historical"} <= set(CSV_COLUMNS)
    rows = list(csv.DictReader(io.StringIO(_write("csv"))))
    year, background, today = rows
    assert (year["event_date"], year["event_date_end"], year["date_granularity"],
            year["historical"]) == ("2018-01-01", "2018-12-31", "year", "1")
    assert (background["event_date"], background["date_granularity"],
            background["historical"]) == ("", "unknown", "1")
    assert (today["event_date"], today["date_granularity"], today["historical"]) == (
        "2025-09-05", "day", "0")


def test_table_says_a_year_is_a_year() -> None:
    table = _write("table")
    assert "2018-01-01..2018-12-31 (year, historical)" in table
    assert "? (historical, had + past participle)" in table
    assert "2025-09-05*" in table


def test_export_csv_carries_granularity_and_background(tmp_path: Path) -> None:
    conn = open_writer(tmp_path / "r.db")
    write_article(conn, article_rows(dated_article()), None)
    conn.close()
    out = io.StringIO()
    export(tmp_path / "r.db", "csv", out)
    rows = {r["target_code"]: r for r in csv.DictReader(io.StringIO(out.getvalue()))}
    assert (rows["SUD"]["event_date_start"], rows["SUD"]["event_date_granularity"],
            rows["SUD"]["historical"]) == ("2018-01-01", "year", "1")
    assert (rows["LIB"]["event_date_granularity"], rows["LIB"]["historical"],
            rows["LIB"]["date_from_article"]) == ("unknown", "1", "0")
    assert rows["NIG"]["date_from_article"] == "1"
