"""Crash safety: ``kill -9`` an ingest at random moments, re-run it, lose and repeat nothing.

One uninterrupted ingest of a 30-article corpus is the reference. Another database is then
ingested by processes killed with SIGKILL at five or more moments (during start-up or the
schema migration, and after a random number of articles, plus a random few milliseconds, so
the kill lands while coding, between articles or inside a commit); after each kill the database
must pass SQLite's integrity and foreign-key checks and every article in it must be complete.
A last run finishes the job: the articles and events must then equal the reference's.
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.model

ROOT = Path(__file__).resolve().parents[2]
SEED = int(os.environ.get("REDLINE_CRASH_SEED", "612"))
N_ARTICLES = 30


def _command(corpus: Path, config: Path, db: Path) -> list[str]:
    return [sys.executable, "-m", "redline.cli.main", "ingest", str(corpus), "--db", str(db),
            "--workers", "1", "--config", str(config), "--model", "sm", "--no-progress"]


def _connect(db: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=30)


def _articles_stored(db: Path) -> int:
    if not db.exists():
        return 0
    try:
        with _connect(db) as conn:
            return conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
    except sqlite3.OperationalError:  # no table yet: still migrating
        return 0


def _snapshot(db: Path) -> dict[str, Any]:
    """Everything that must survive a crash, without the ids and times that may differ."""
    with _connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        per_article = {
            row[0]: row[1:] for row in conn.execute(
                "SELECT a.id, a.content_hash, "
                "(SELECT COUNT(*) FROM events e WHERE e.article_id = a.id), "
                "(SELECT COUNT(*) FROM actors x WHERE x.article_id = a.id), "
                "(SELECT COUNT(*) FROM sentences s WHERE s.article_id = a.id) FROM articles a")
        }
        events = conn.execute(  # (article_id, event_index) is unique: duplicates would differ
            "SELECT article_id, event_index, cameo, source_code, target_code, evidence_start, "
            "evidence_end, modality, event_date_start FROM events "
            "ORDER BY article_id, event_index").fetchall()
        duplicates = conn.execute(
            "SELECT article_id, cameo, evidence_start, evidence_end, source_code, target_code, "
            "COUNT(*) FROM events GROUP BY 1, 2, 3, 4, 5, 6 HAVING COUNT(*) > 1").fetchall()
        statuses = [r[0] for r in conn.execute("SELECT status FROM runs ORDER BY run_id")]
    return {"articles": per_article, "events": events, "duplicates": duplicates,
            "statuses": statuses}


def test_kill_9_at_random_moments_loses_and_repeats_nothing(tmp_path: Path,
                                                            small_corpus) -> None:
    corpus = small_corpus(tmp_path / "corpus.jsonl", N_ARTICLES)
    config = tmp_path / "small-batches.toml"
    config.write_text("[nlp]\nbatch_size = 2\n")  # commits come two by two: more moments
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}

    ref_db = tmp_path / "reference.db"
    subprocess.run(_command(corpus, config, ref_db), check=True, cwd=tmp_path, env=env,
                   capture_output=True, timeout=300)
    want = _snapshot(ref_db)
    assert len(want["articles"]) == N_ARTICLES and len(want["events"]) > N_ARTICLES
    # (The coder itself may give two events with the same span, codes and actors, by two
    # rules; the store must add no more than the coder gave.)

    rng = random.Random(SEED)
    db = tmp_path / "killed.db"
    # the first kill lands during start-up (imports, schema migration, model loading); each
    # later one after 1-5 more articles are stored, plus 0-80 ms
    moments = [("start-up", rng.uniform(0.05, 1.5))] + [("articles", 0)] * 5
    kills = []
    for what, when in moments:
        proc = subprocess.Popen(_command(corpus, config, db), cwd=tmp_path, env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            if what == "start-up":
                time.sleep(when)
            else:
                # never the last articles, so that the run is still going when killed
                when = min(_articles_stored(db) + rng.randint(1, 5), N_ARTICLES - 3)
                deadline = time.monotonic() + 240
                while (proc.poll() is None and _articles_stored(db) < when
                       and time.monotonic() < deadline):
                    time.sleep(0.005)
                time.sleep(rng.uniform(0, 0.08))
        finally:
            if proc.poll() is None:
                os.kill(proc.pid, signal.SIGKILL)
                kills.append((what, when, _articles_stored(db)))
            proc.wait(timeout=60)
        if db.exists():
            got = _snapshot(db)
            for article_id, counts in got["articles"].items():  # all rows or none
                assert counts == want["articles"][article_id], article_id
            stored = set(got["articles"])
            assert got["duplicates"] == [d for d in want["duplicates"] if d[0] in stored]
    print("kills (moment, target, articles stored when killed):", kills)
    assert len(kills) >= 5, f"only {len(kills)} runs were killed: {kills}"

    done = subprocess.run(_command(corpus, config, db), cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    got = _snapshot(db)
    assert got["articles"] == want["articles"]
    assert got["events"] == want["events"]  # so no article has an event twice
    assert got["duplicates"] == want["duplicates"]
    # each killed run that had started keeps status "running"; only the last one finished
    # (a kill aimed late may land just after that run finished: it then reads "finished")
    assert got["statuses"][-1] == "finished"
    assert set(got["statuses"]) <= {"running", "finished"}
    assert got["statuses"].count("running") <= len(kills)
