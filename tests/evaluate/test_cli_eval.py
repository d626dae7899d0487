"""``redline eval`` through click's CliRunner: commands, errors, and one real run."""

from __future__ import annotations

import json
import re

import pytest
from click.testing import CliRunner

from redline.cli.main import cli

KINDS = ("plover", "conflibert-quad", "conflibert-actors", "case2021", "polnear")

# Three invented sentences in the PLOVER GSR format.
RECORDS = [
    {"id": "t1", "text": "French and German ministers agreed on Tuesday to share border data.",
     "event": "AGREE", "mode": None, "context": "diplomatic",
     "source": [{"text": "French", "code": "FRA", "sector": "GOV"},
                {"text": "German", "code": "DEU", "sector": "GOV"}],
     "target": [], "event_location": None},
    {"id": "t2", "text": "Russian artillery shelled Ukrainian positions near Kharkiv.",
     "event": "ASSAULT", "mode": "heavy-weapons", "context": "military",
     "source": [{"text": "Russian artillery", "code": "RUS", "sector": "MIL"}],
     "target": [{"text": "Ukrainian positions", "code": "UKR", "sector": "MIL"}],
     "event_location": {"name": "Kharkiv", "country code": "UA"}},
    {"id": "t3", "text": "Thousands of students protested in Nairobi against the new tax.",
     "event": "PROTEST", "mode": "demo", "context": "economic",
     "source": [{"text": "students", "code": "KEN", "sector": "EDU"}],
     "target": [], "event_location": {"name": "Nairobi"}},
]


def test_eval_lists_every_set() -> None:
    r = CliRunner().invoke(cli, ["eval", "--help"])
    assert r.exit_code == 0
    for kind in KINDS:
        assert kind in r.output


@pytest.mark.parametrize("kind", KINDS)
def test_every_set_takes_the_shared_options(kind: str) -> None:
    r = CliRunner().invoke(cli, ["eval", kind, "--help"])
    assert r.exit_code == 0
    for option in ("--limit", "--misses", "--json", "--modality", "asserted-or-reported"):
        assert option in r.output


def test_missing_gold_file_is_a_clear_error(tmp_path) -> None:
    missing = tmp_path / "gold.jsonl"
    r = CliRunner().invoke(cli, ["eval", "plover", str(missing)])
    assert r.exit_code == 1
    assert f"{missing}: no such gold file" in r.output
    assert "Traceback" not in r.output


def test_malformed_gold_file_names_the_line(tmp_path) -> None:
    bad = tmp_path / "gold.tsv"
    bad.write_text("A sentence.\t9\n", encoding="utf-8")
    r = CliRunner().invoke(cli, ["eval", "conflibert-quad", str(bad)])
    assert r.exit_code == 1
    assert f"{bad}:1: label '9' is not 0-4" in r.output
    assert "Traceback" not in r.output


@pytest.mark.model
def test_plover_eval_prints_a_report_and_json(tmp_path) -> None:
    gold = tmp_path / "tiny.jsonl"
    gold.write_text("".join(json.dumps(r) + "\n" for r in RECORDS), encoding="utf-8")
    out = tmp_path / "report.json"
    r = CliRunner().invoke(cli, ["eval", "plover", str(gold), "--misses", "2",
                                 "--json", str(out)])
    assert r.exit_code == 0, r.output
    assert "events counted: all" in r.output
    micro = [line for line in r.output.splitlines() if line.strip().startswith("micro")]
    assert len(micro) == 2  # event types and triples
    assert re.search(r"micro\s+\d\.\d{3}\s+\d\.\d{3}\s+\d\.\d{3}\s+\d+/\d+\s+\d+/3", micro[0])
    assert "Location country accuracy" in r.output
    report = json.loads(out.read_text(encoding="utf-8"))
    assert report["records"] == 3 and report["micro"]["gold"] == 3
    assert report["triples"]["gold"] == 4  # 2 (compound source) + 1 + 1
    assert report["location"]["records"] == 2
