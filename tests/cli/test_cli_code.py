"""``redline code`` end to end in a subprocess: formats, bad input, exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "coalition_summit.txt"


def redline(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "redline.cli.main", *args], input=stdin,
                          capture_output=True, text=True, cwd=ROOT, timeout=300)


def test_help_does_not_load_spacy() -> None:
    code = ("import sys; from click.testing import CliRunner; from redline.cli.main import cli;"
            "r = CliRunner().invoke(cli, ['--help']); assert r.exit_code == 0, r.output;"
            "print('spacy' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_code_help_explains_inputs() -> None:
    r = redline("code", "--help")
    assert r.returncode == 0
    for word in ("news.jsonl", "news.csv", "page.html", "standard input", "Exit status"):
        assert word in r.stdout


def test_bad_date_is_a_usage_error() -> None:
    r = redline("code", str(EXAMPLE), "--date", "12/06/2025")
    assert r.returncode == 2
    assert "YYYY-MM-DD" in r.stderr
    assert "Traceback" not in r.stderr


@pytest.mark.model
def test_bad_inputs_are_named_and_the_rest_is_coded(tmp_path: Path) -> None:
    good = tmp_path / "good.txt"
    good.write_text("Russian troops attacked Ukrainian positions near Kharkiv on Monday.\n")
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    binary = tmp_path / "image.bin"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    latin = tmp_path / "latin.txt"
    latin.write_bytes("Caf\xe9 owners protested in Paris.".encode("latin-1"))
    big = tmp_path / "big.txt"
    with big.open("wb") as f:
        f.truncate(20 * 1024 * 1024)  # 20 MB (sparse), rejected before it is read
    jsonl = tmp_path / "news.jsonl"
    jsonl.write_text(
        json.dumps({"id": "a1", "text": "Israel struck targets in Lebanon.", "date": "2025-01-02"})
        + "\n{not json\n"
        + json.dumps({"id": "a3", "text": "The EU imposed sanctions on Belarus."}) + "\n"
        # lone surrogates (issue 16): replaced by U+FFFD, the record is coded and written
        + json.dumps({"id": "s\ud800", "title": "T\udfff", "url": "u\udc80",
                      "source": "S\ud800", "text": "Turkey \udc80 shelled Syria."}) + "\n")
    nocol = tmp_path / "nocol.csv"
    nocol.write_text("date,body\n2025-01-01,Something happened.\n")
    r = redline("code", str(good), str(empty), str(binary), str(latin), str(big), str(jsonl),
                str(nocol), "--format", "jsonl", "--date", "2025-06-12")
    assert r.returncode == 1, r.stderr
    assert "Traceback" not in r.stderr
    errors = [line for line in r.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 6, r.stderr
    for path in (empty, binary, latin, big, nocol):
        assert any(str(path) in e for e in errors), (path, errors)
    assert any(f"{jsonl}:2" in e for e in errors)
    ids = [json.loads(line)["id"] for line in r.stdout.splitlines()]
    assert ids[0].startswith("good.txt~") and ids[1:] == ["a1", "a3", "s\ufffd"]
    assert "4 coded, 6 failed" in r.stderr and "surrogate" in r.stderr


@pytest.mark.model
def test_formats_and_contract(tmp_path: Path) -> None:
    r = redline("code", str(EXAMPLE), "--date", "2025-06-12", "--format", "jsonl")
    assert r.returncode == 0, r.stderr
    art = json.loads(r.stdout)
    assert set(art) >= {"id", "date", "title", "events", "quotes", "entities"}
    assert art["date"] == "2025-06-12"
    text = EXAMPLE.read_text(encoding="utf-8")
    assert art["events"], "the example article codes to events"
    for e in art["events"]:
        assert set(e) >= {"id", "sentence", "evidence", "cameo", "cameo_name", "plover",
                          "goldstein", "quad_class", "source", "target", "modality",
                          "reported_by", "date", "location", "confidence", "rule"}
        ev = e["evidence"]
        assert text[ev["start"]:ev["end"]] == ev["text"]
        assert e["modality"] in ("asserted", "negated", "hypothetical", "future")
        assert 0 <= e["confidence"] <= 1 and e["rule"]
        for who in (e["source"], e["target"]):
            if who is not None:
                assert text[who["start"]:who["end"]] == who["text"]
    for ent in art["entities"]:
        assert text[ent["start"]:ent["end"]] == ent["text"]
    r = redline("code", str(EXAMPLE), "--date", "2025-06-12", "--format", "csv")
    assert r.returncode == 0
    assert r.stdout.splitlines()[0].startswith("article_id,article_date,event_id")
    r = redline("code", str(EXAMPLE), "--date", "2025-06-12")
    assert r.returncode == 0 and "Events" in r.stdout and "Actors" in r.stdout


@pytest.mark.model
def test_stdin() -> None:
    r = redline("code", "-", "--format", "jsonl", "--date", "2025-01-01",
                stdin="Hamas fighters attacked Israeli soldiers in Gaza.")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["id"].startswith("<stdin>~")


def test_resolve_command_needs_no_model() -> None:
    r = redline("resolve", "Russian troops", "Kyiv", "--date", "2025-09-05")
    assert r.returncode == 0, r.stderr
    assert "RUSMIL" in r.stdout and "UKRGOV" in r.stdout
