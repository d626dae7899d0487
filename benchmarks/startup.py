"""Start-up time: ``redline code`` on one short article, model load included, as a user runs it.

    python benchmarks/startup.py [--runs 5] [--model auto]

Each run is a fresh ``redline code`` process on a two-sentence article of our own (written to a
temporary file), timed from process start to exit. Two series:

* ``first run``: with an empty disk cache (``REDLINE_CACHE_DIR`` pointing at a new folder each
  time), as on the very first run after installing;
* ``later runs``: with the cache filled once beforehand, as on every run after that.

and two baselines, each a fresh process that only loads the same spaCy model:

* ``spacy.load``: the model loaded as spaCy's documentation shows (``spacy.load(path)``), what
  a user's own script pays before it parses anything;
* ``lean load``: redline's own loader (:func:`redline.nlp.load_model`), which leaves the
  string table and tokenizer on disk (see ``src/redline/nlp.py``).

Prints the median, minimum and maximum of each series (wall-clock seconds), the ratio of the
later runs' median to each baseline's, and the machine's load average, since other processes
on the machine slow every figure. The series run interleaved (one run of each in turn) so
that a change in the machine's load touches all of them alike. Asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ARTICLE = (
    "Russian President Vladimir Putin warned on Tuesday that any foreign troops deployed in "
    "Ukraine would be legitimate targets.\n"
    "French officials said the coalition would meet again in Paris next week.\n"
)


def redline_command() -> list[str]:
    exe = Path(sys.executable).with_name("redline")
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "redline.cli.main"]


def time_once(cmd: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    done = subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                          text=True)
    took = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"redline code failed ({done.returncode}):\n{done.stderr}")
    return took


def baseline_commands(model: str) -> dict[str, list[str]]:
    """Fresh-process commands that only load the model: spaCy's way and redline's."""
    from redline.nlp import _model_path

    path = _model_path(model)
    return {
        "spacy.load": [sys.executable, "-c", f"import spacy; spacy.load({path!r})"],
        "lean load": [sys.executable, "-c",
                      f"from redline.nlp import load_model; load_model({model!r})"],
    }


def summary(label: str, times: list[float]) -> str:
    return (f"{label:<13} median {statistics.median(times):5.2f} s   "
            f"min {min(times):5.2f} s   max {max(times):5.2f} s   ({len(times)} runs)")


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=5, help="runs per series (default 5)")
    ap.add_argument("--model", default="auto", help="spaCy model setting (default auto)")
    args = ap.parse_args(argv)

    work = Path(tempfile.mkdtemp(prefix="redline-startup-"))
    try:
        article = work / "short.txt"
        article.write_text(ARTICLE, encoding="utf-8")
        cmd = [*redline_command(), "code", str(article), "--date", "2025-09-05",
               "--format", "table", "--model", args.model]
        bases = baseline_commands(args.model)
        env = {**os.environ, "REDLINE_CACHE_DIR": str(work / "filled")}
        time_once(cmd, env)  # fills the cache
        first: list[float] = []
        later: list[float] = []
        base: dict[str, list[float]] = {k: [] for k in bases}
        for i in range(args.runs):
            empty = {**os.environ, "REDLINE_CACHE_DIR": str(work / f"empty-{i}")}
            first.append(time_once(cmd, empty))
            later.append(time_once(cmd, env))
            for k, c in bases.items():
                base[k].append(time_once(c, env))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"redline code on a 2-sentence article, model {args.model!r}")
    print(summary("first run", first))
    print(summary("later runs", later))
    for k, times in base.items():
        print(summary(k, times))
    for k, times in base.items():
        print(f"later runs / {k}: {statistics.median(later) / statistics.median(times):.2f}x")
    print(f"load average (1, 5, 15 min): {', '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
