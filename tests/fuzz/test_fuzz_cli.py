"""A few generated inputs end to end through ``redline code`` (in-process, the full pipeline):
the run ends with exit status 0 or 1, writes valid JSONL, and reports each bad input on one line
naming it, never a traceback. Few examples: each one codes its articles with spaCy."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import pytest
from fuzz_strategies import (
    bounded,
    csv_files,
    feed_files,
    html_files,
    jsonl_files,
    text_files,
)
from hypothesis import event, given, settings
from hypothesis import strategies as st

FILES = {"story.txt": text_files(), "news.jsonl": jsonl_files(), "news.csv": csv_files(),
         "page.html": html_files(), "feed.rss": feed_files()}


@pytest.mark.model
@settings(max_examples=3, deadline=None)
@given(data=st.data())
def test_fuzz_code_end_to_end(data: st.DataObject) -> None:
    names = data.draw(st.lists(st.sampled_from(sorted(FILES)), min_size=3, unique=True))
    files = {name: data.draw(FILES[name], label=name) for name in names}
    from click.testing import CliRunner

    from redline.cli.main import cli

    with tempfile.TemporaryDirectory(prefix="redline-fuzz-") as tmp:
        folder = Path(tmp) / "in"
        folder.mkdir()
        for name, data in files.items():
            (folder / name).write_bytes(data)
        out = Path(tmp) / "out.jsonl"
        with bounded(300):
            result = CliRunner().invoke(cli, ["code", str(folder), "--format", "jsonl",
                                              "-o", str(out), "--date", "2025-03-05"])
        assert result.exception is None or isinstance(result.exception, SystemExit), \
            result.exception
        assert result.exit_code in (0, 1), (result.exit_code, result.output)
        assert "Traceback" not in result.output
        coded = [json.loads(line) for line in out.read_text("utf-8").splitlines()] \
            if out.exists() else []
        assert all(isinstance(a.get("id"), str) and a["id"] for a in coded)
        event(f"articles coded: {min(len(coded), 3)}")
        for line in result.output.splitlines():
            if "error" in line.lower():
                assert str(folder) in line, line
