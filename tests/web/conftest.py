"""Fixtures for the web tests: the corpus of ``web_corpus.py`` in a database, the app on it
(in-process, through FastAPI's TestClient), and the app's database file's fingerprint."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from web_corpus import build
from web_server import start_server, stop_server


@pytest.fixture(scope="session")
def web_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The web corpus, with the watch rules' alerts (read-only use)."""
    return build(tmp_path_factory.mktemp("web") / "web.db")


@pytest.fixture(scope="session")
def client(web_db: Path):
    from fastapi.testclient import TestClient

    from redline.web import create_app

    with TestClient(create_app(web_db), base_url="http://localhost") as c:
        yield c


@pytest.fixture
def fingerprint():
    """fingerprint(path) -> sha256 of the database file and its WAL, to prove nothing wrote."""

    def digest(path: Path) -> str:
        h = hashlib.sha256()
        for p in (path, Path(f"{path}-wal")):
            if p.exists():
                h.update(p.read_bytes())
        return h.hexdigest()

    return digest


@pytest.fixture(scope="session")
def server(web_db: Path, tmp_path_factory: pytest.TempPathFactory):
    """The base URL of ``redline serve`` on the web corpus (stopped after the session)."""
    import os

    db = Path(os.environ.get("REDLINE_BROWSER_DB") or web_db)
    proc, base = start_server(db, tmp_path_factory.mktemp("serve") / "serve.log")
    yield base
    stop_server(proc)
