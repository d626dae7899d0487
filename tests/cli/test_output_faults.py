"""Output that cannot be written (a full disk) is one line naming it, never a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from redline.article import Article
from redline.errors import OutputError
from redline.output import FORMATS, Writer

ROOT = Path(__file__).resolve().parents[2]
full = pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")


@full
@pytest.mark.parametrize("fmt", FORMATS)
def test_a_full_disk_is_an_output_error_naming_the_file(fmt: str) -> None:
    article = Article(id="a1", text="Nothing happened today.")
    with open("/dev/full", "w", encoding="utf-8") as out:  # closed by the writer
        writer = Writer(out, fmt)
        with pytest.raises(OutputError, match="^/dev/full: cannot write the output "
                                              r"\(No space left on device\)"):
            writer.write(article)
            writer.close()  # buffered: the disk is found full when the buffer is flushed


@full
@pytest.mark.model
def test_code_to_a_full_disk_is_one_line_and_exit_1(tmp_path: Path) -> None:
    story = tmp_path / "story.txt"
    story.write_text("Russia threatened Ukraine on Monday.\n", encoding="utf-8")
    for args in (["-o", "/dev/full"], ["--format", "json", "-o", "/dev/full"]):
        r = subprocess.run([sys.executable, "-m", "redline.cli.main", "code", str(story), *args],
                           capture_output=True, text=True, timeout=600, cwd=ROOT)
        assert r.returncode == 1, r.stderr
        assert "Traceback" not in r.stderr
        assert "Error: /dev/full: cannot write the output (No space left on device)" in r.stderr
