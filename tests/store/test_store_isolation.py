"""ingest codes through the one fault-isolated loop: a set-up error (a broken knowledge-base
file) stops the run with one message instead of failing every article, and an article past
the time limit is recorded as a failure while the next one is stored. Toy stage, no model."""

from __future__ import annotations

import json
import sqlite3
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from redline.article import Article
from redline.errors import KnowledgeBaseError
from redline.limits import can_interrupt
from redline.pipeline import stage
from redline.settings import NlpSettings, PipelineSettings, Settings
from redline.store import ingest


@stage("store_iso_toy", requires=["text"], assigns=["sentences"])
def make_store_iso_toy(settings: Settings):
    """Test stage: every article fails on a broken KB file when the text says KB; SPIN loops."""

    def run(article: Article) -> None:
        if "KB" in article.text:
            raise KnowledgeBaseError("actors.tsv line 7: a row needs 4 fields, has 2")
        if "SPIN" in article.text:
            end = time.monotonic() + 30  # a broken time limit fails the test, never hangs it
            while time.monotonic() < end:
                pass

    return run


def _settings(time_limit: float = 60) -> Settings:
    return Settings(nlp=NlpSettings(batch_size=2),
                    pipeline=PipelineSettings(stages=("store_iso_toy",), time_limit=time_limit))


def _jsonl(path: Path, texts: list[str]) -> Path:
    path.write_text("".join(json.dumps({"id": f"a{i}", "text": t}) + "\n"
                            for i, t in enumerate(texts, 1)), encoding="utf-8")
    return path


def _rows(db: Path, sql: str) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        return conn.execute(sql).fetchall()


def test_a_knowledge_base_error_stops_ingest_instead_of_failing_every_article(tmp_path):
    src = _jsonl(tmp_path / "news.jsonl", ["KB one.", "KB two.", "KB three."])
    db = tmp_path / "r.db"
    seen: list = []
    with pytest.raises(KnowledgeBaseError, match="actors.tsv line 7"):
        ingest([src], db, workers=1, settings=_settings(), on_failure=seen.append)
    assert seen == []
    assert _rows(db, "SELECT count(*) FROM failures") == [(0,)]
    assert _rows(db, "SELECT status FROM runs") == [("failed",)]


def test_the_cli_says_it_once(tmp_path):
    src = _jsonl(tmp_path / "news.jsonl", ["KB one.", "KB two.", "KB three."])
    config = tmp_path / "toy.toml"
    config.write_text('[pipeline]\nstages = ["store_iso_toy"]\n[nlp]\nbatch_size = 2\n')
    from redline.cli.main import cli

    result = CliRunner().invoke(cli, ["ingest", str(src), "--db", str(tmp_path / "r.db"),
                                      "--workers", "1", "--config", str(config)])
    assert result.exit_code == 1
    lines = [ln for ln in result.output.splitlines() if ln.strip()]
    assert len(lines) == 1 and "actors.tsv line 7" in lines[0], result.output
    assert "Traceback" not in result.output


@pytest.mark.skipif(not can_interrupt(), reason="no interval timer here")
def test_an_article_past_the_time_limit_is_a_failure_and_the_next_is_stored(tmp_path):
    src = _jsonl(tmp_path / "news.jsonl", ["First.", "SPIN forever.", "Third."])
    db = tmp_path / "r.db"
    started = time.monotonic()
    report = ingest([src], db, workers=1, settings=_settings(time_limit=0.5))
    assert time.monotonic() - started < 30
    assert report.added == 2
    assert [(f.kind, "a2" in f.source) for f in report.failures] == [("TimeLimitError", True)]
    assert "time limit of 0.5 s" in report.failures[0].reason
    assert _rows(db, "SELECT id FROM articles ORDER BY id") == [("a1",), ("a3",)]
    assert _rows(db, "SELECT kind FROM failures") == [("TimeLimitError",)]
