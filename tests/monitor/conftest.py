"""Fixtures for the monitor tests; the corpus itself is in ``monitor_corpus.py``."""

from __future__ import annotations

from pathlib import Path

import pytest
from monitor_corpus import articles, write


@pytest.fixture(scope="session")
def corpus_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The whole corpus in one database (read-only use)."""
    db = tmp_path_factory.mktemp("monitor") / "corpus.db"
    write(db, articles())
    return db
