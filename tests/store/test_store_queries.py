"""Queries, stats and exports over a small hand-built database."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
import sys
from pathlib import Path

import pytest

from redline.article import When
from redline.store import StoreError, export, open_writer, query_articles, query_events, stats
from redline.store.gdelt import GDELT_COLUMNS
from redline.store.rows import article_rows
from redline.store.writer import write_article


@pytest.fixture
def db(tmp_path: Path, toy_article) -> Path:
    """Four events: RUSGOV attacked UKRMIL (Jan), Iran threatened Israel (Jan, negated),
    France praised Germany (Feb), China threatened Taiwan (the whole of March, undated article
    otherwise)."""
    path = tmp_path / "r.db"
    conn = open_writer(path)
    a1 = toy_article("a1", "Russia attacked Ukraine. Iran threatened Israel.", "2025-01-05")
    a1.events[0].source.code, a1.events[0].source.sector = "RUSGOV", "GOV"
    a1.events[0].target.code = "UKRMIL"
    a1.events[1].modality = "negated"
    a2 = toy_article("a2", "France praised Germany.", "2025-02-11")
    a2.url = "https://example.org/a2"
    a3 = toy_article("a3", "China threatened Taiwan.", None)
    a3.events[0].date = When("2025-03-01", "2025-03-31", "month", "in March")
    for art in (a1, a2, a3):
        write_article(conn, article_rows(art), None)
    conn.close()
    return path


def _events(db: Path, **filters) -> list[tuple[str, str]]:
    return [(e["article_id"], e["cameo"]) for e in query_events(db, **filters)]


def test_actor_matches_source_or_target_by_code_prefix_or_country(db: Path) -> None:
    assert _events(db, actor="RUS") == [("a1", "190")]
    assert _events(db, actor="rusgov") == [("a1", "190")]
    assert _events(db, actor="RUSMIL") == []
    assert _events(db, actor="UKR") == [("a1", "190")]  # the target, by prefix
    assert _events(db, source="UKR") == []
    assert _events(db, target="UKR") == [("a1", "190")]
    assert _events(db, actor="ISR") == [("a1", "130")]


def test_cameo_prefix_plover_and_modality(db: Path) -> None:
    assert _events(db, cameo="13") == [("a1", "130"), ("a3", "130")]
    assert _events(db, cameo="1") == [("a1", "190"), ("a1", "130"), ("a3", "130")]
    assert _events(db, plover="threaten") == [("a1", "130"), ("a3", "130")]
    assert _events(db, modality="negated") == [("a1", "130")]
    assert _events(db, cameo="13", modality="asserted") == [("a3", "130")]


def test_since_and_until_use_the_events_own_date(db: Path) -> None:
    assert _events(db, since="2025-02-01") == [("a2", "051"), ("a3", "130")]
    assert _events(db, until="2025-01-31") == [("a1", "190"), ("a1", "130")]
    # a month-long event overlaps a day inside it
    assert _events(db, since="2025-03-15", until="2025-03-15") == [("a3", "130")]


def test_results_carry_the_article_and_respect_the_limit(db: Path) -> None:
    rows = query_events(db, limit=1, plover="AGREE")
    assert len(rows) == 1
    assert rows[0]["article_url"] == "https://example.org/a2"
    assert rows[0]["article_date"] == "2025-02-11"
    assert len(query_events(db, limit=2)) == 2


@pytest.mark.parametrize("bad", [{"cameo": "1x"}, {"actor": "RUS%"}, {"since": "2025/01/01"},
                                 {"modality": "maybe"}, {"since": "2025-02-01",
                                                         "until": "2025-01-01"}])
def test_bad_filters_are_errors(db: Path, bad: dict) -> None:
    with pytest.raises(StoreError):
        query_events(db, **bad)


def test_articles_with_counts(db: Path) -> None:
    rows = query_articles(db)
    assert [(r["id"], r["events"]) for r in rows] == [("a1", 2), ("a2", 1), ("a3", 1)]
    assert [r["id"] for r in query_articles(db, since="2025-02-01")] == ["a2"]


def test_stats_count_by_root_and_month(db: Path) -> None:
    s = stats(db)
    assert (s["articles"], s["events"], s["failed_inputs"]) == (3, 4, 0)
    assert s["events_by_root"] == [
        {"root": "05", "name": "Engage in diplomatic cooperation", "events": 1},
        {"root": "13", "name": "Threaten", "events": 2},
        {"root": "19", "name": "Fight", "events": 1},
    ]
    assert s["events_by_month"] == {"2025-01": 2, "2025-02": 1, "2025-03": 1}
    json.dumps(s)  # serialisable as it is


def test_a_connection_can_be_passed_instead_of_a_path(db: Path) -> None:
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    assert len(query_events(conn, cameo="13")) == 2


def test_export_csv_and_jsonl_have_every_event_column(db: Path) -> None:
    out = io.StringIO()
    assert export(db, "csv", out) == 4
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert rows[0]["source_code"] == "RUSGOV" and rows[0]["article_date"] == "2025-01-05"
    out = io.StringIO()
    assert export(db, "jsonl", out, cameo="13") == 2
    assert [json.loads(line)["target_code"] for line in out.getvalue().splitlines()] == [
        "ISR", "TAI"]


def test_export_other_tables(db: Path, tmp_path: Path) -> None:
    path = tmp_path / "articles.csv"
    assert export(db, "csv", path, table="articles") == 3
    assert "content_hash" in path.read_text().splitlines()[0]
    with pytest.raises(StoreError, match="events table only"):
        export(db, "gdelt", io.StringIO(), table="articles")


def test_gdelt_export_has_the_61_columns_in_place(db: Path) -> None:
    out = io.StringIO()
    assert export(db, "gdelt", out) == 4
    lines = out.getvalue().splitlines()
    assert len(lines) == 4
    rows = [dict(zip(GDELT_COLUMNS, line.split("\t"), strict=True)) for line in lines]
    first = rows[0]
    assert first["SQLDATE"] == "20250105" and first["MonthYear"] == "202501"
    assert first["Year"] == "2025" and first["FractionDate"] == "2025.0110"
    assert (first["Actor1Code"], first["Actor1CountryCode"], first["Actor1Type1Code"]) == (
        "RUSGOV", "RUS", "GOV")
    assert first["Actor1Name"] == "RUSSIA" and first["Actor2Code"] == "UKRMIL"
    assert (first["EventCode"], first["EventBaseCode"], first["EventRootCode"]) == (
        "190", "190", "19")
    assert (first["QuadClass"], first["GoldsteinScale"], first["IsRootEvent"]) == ("4", "-10",
                                                                                   "1")
    assert first["NumArticles"] == "1" and first["AvgTone"] == ""
    assert len(first["DATEADDED"]) == 14 and first["SOURCEURL"] == "a1"
    assert rows[1]["IsRootEvent"] == "0"
    assert rows[2]["SOURCEURL"] == "https://example.org/a2"
    assert rows[3]["SQLDATE"] == "20250301"  # the event's own date, not the article's
    assert len(set(r["GLOBALEVENTID"] for r in rows)) == 4
    # a placed event carries its country as GDELT's FIPS code
    from redline.store.gdelt import gdelt_row

    placed = {**first_row(db), "location_name": "Kharkiv", "location_country": "UKR",
              "location_feature": "city", "location_lat": 49.99, "location_lon": 36.23}
    geo = dict(zip(GDELT_COLUMNS, gdelt_row(placed), strict=True))
    assert (geo["ActionGeo_Type"], geo["ActionGeo_FullName"], geo["ActionGeo_CountryCode"]) == (
        "4", "Kharkiv", "UP")


def first_row(db: Path) -> dict:
    from redline.store.queries import query_events

    return query_events(db, limit=1)[0]


def test_fips_codes_are_gdelt_s() -> None:
    from redline.store.gdelt import fips

    assert (fips("UKR"), fips("DEU"), fips("RUS"), fips("GBR")) == ("UP", "GM", "RS", "UK")
    assert fips(None) == "" and fips("IGO") == ""


def test_parquet_export(db: Path, tmp_path: Path) -> None:
    pq = pytest.importorskip("pyarrow.parquet")
    path = tmp_path / "events.parquet"
    assert export(db, "parquet", path) == 4
    table = pq.read_table(path)
    assert table.num_rows == 4
    assert str(table.schema.field("goldstein").type) == "double"
    assert table.column("source_code").to_pylist()[0] == "RUSGOV"
    empty = tmp_path / "none.parquet"
    assert export(db, "parquet", empty, cameo="20") == 0
    assert pq.read_table(empty).num_rows == 0


def test_parquet_without_pyarrow_says_how_to_install_it(db: Path, tmp_path: Path,
                                                        monkeypatch) -> None:
    monkeypatch.setitem(sys.modules, "pyarrow", None)  # import pyarrow -> ImportError
    with pytest.raises(StoreError, match=r"redline\[parquet\]"):
        export(db, "parquet", tmp_path / "x.parquet")
    assert not (tmp_path / "x.parquet").exists()
