"""Shared fixtures. Tests that load the spaCy model are marked ``model``; they run in CI."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def coded():
    """Code a text once per session with the default pipeline: coded(text, date) -> Article."""
    import redline

    cache: dict[tuple[str, str | None], object] = {}

    def run(text: str, date: str | None = "2025-06-12"):
        key = (text, date)
        if key not in cache:
            cache[key] = redline.code(text, date=date)
        return cache[key]

    return run
