from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner
from monitor_corpus import RULES, articles, write

from redline.cli.main import cli


def test_dyads_and_series_commands(corpus_db):
    runner = CliRunner()
    res = runner.invoke(cli, ["dyads", "--db", str(corpus_db), "--top", "3",
                              "--since", "2025-01-01"])
    assert res.exit_code == 0, res.output
    assert "RUS" in res.output and "use of force" in res.output
    res = runner.invoke(cli, ["series", "RUS", "NATO+", "--db", str(corpus_db)])
    assert res.exit_code == 0, res.output
    assert "2025-W15" in res.output and "step-up: verbal conflict -> threat" in res.output
    assert "rung" in res.output and "█" in res.output
    res = runner.invoke(cli, ["series", "RUS", "POL", "--db", str(corpus_db),
                              "--format", "jsonl"])
    rows = [json.loads(line) for line in res.output.splitlines()]
    assert [r["max_rung"] for r in rows] == [0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 4]
    res = runner.invoke(cli, ["series", "RUS", "POL", "--db", str(corpus_db),
                              "--format", "csv"])
    assert res.exit_code == 0 and "THREATEN:1" in res.output
    res = runner.invoke(cli, ["series", "RUS", "POL", "--db", str(corpus_db) + ".missing"])
    assert res.exit_code == 1 and "no event database" in res.output


def test_watch_command(tmp_path: Path):
    db = tmp_path / "w.db"
    write(db, articles())
    rules = tmp_path / "rules.toml"
    rules.write_text(RULES)
    jsonl = tmp_path / "a.jsonl"
    runner = CliRunner()
    args = ["watch", "--db", str(db), "--rules", str(rules), "--jsonl", str(jsonl)]
    res = runner.invoke(cli, args)
    assert res.exit_code == 0, res.output
    assert res.output.count("[rus-nato-force]") == 1 and "2025-W15" in res.output
    res = runner.invoke(cli, args)
    assert res.exit_code == 0 and "[rus-nato-force]" not in res.output
    assert len(jsonl.read_text().splitlines()) == 1
    bad = tmp_path / "bad.toml"
    bad.write_text("[[rule]]\nonce = 'sometimes'\n")
    res = runner.invoke(cli, ["watch", "--db", str(db), "--rules", str(bad)])
    assert res.exit_code == 1 and "once must be one of" in res.output
