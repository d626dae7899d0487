"""Ingest throughput with 1 and 2 (or more) coding workers, and a check that re-ingesting adds
nothing.

    python benchmarks/ingest_scaling.py PATH/guardian_sample.csv [--workers 1 2] [--repeat 1]
                                        [--model md|sm] [--keep DIR]

Each run is a fresh ``redline ingest PATH --db <new file> --workers N`` in its own process,
as a user would run it, so every figure includes start-up: imports, the model loading in each
worker (in parallel), reading, hashing and writing. While a run goes, this script polls the
database (every 0.1 s, read-only) for its article count, which gives a second figure that
leaves start-up out: articles/s between the first and the last commit ("steady").

For each run it prints: wall seconds, articles, events, articles/s end to end, steady
articles/s, and the CPU seconds the run used (user + system, all its processes) divided by
its wall time, i.e. how many cores it kept busy on average: on a machine shared with other
work that figure shows how much of the machine the run actually had (Linux's autogroup
scheduler gives each login session one fair share, however many processes it runs, so on a
busy shared machine two workers may get no more CPU than one). It also prints the CPU seconds
of each process of the run (read from /proc): the busiest one bounds the wall time on an
otherwise idle machine. Then the speed-up of each worker count over the first, measured, and
as that bound; with ``--repeat``, runs alternate (1, 2, 1, 2, ...) and medians are used.

Last, the database of the final run is ingested again: the script prints the articles and
events the second run added (should be 0 and 0) and whether ``redline stats --json`` is the
same before and after. Prints figures only; asserts nothing about time.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path


@dataclass
class Run:
    workers: int
    wall: float
    articles: int
    events: int
    first_commit: float | None
    last_commit: float | None
    cpu: float
    per_process: dict[int, float]

    @property
    def rate(self) -> float:
        return self.articles / self.wall if self.wall else 0.0

    @property
    def steady(self) -> float:
        if self.first_commit is None or self.last_commit is None:
            return float("nan")
        span = self.last_commit - self.first_commit
        return (self.articles - 1) / span if span > 0 else float("nan")


def _redline(*args: str) -> list[str]:
    return [sys.executable, "-m", "redline.cli.main", *args]


def _count(db: Path) -> int:
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)
        try:
            return conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.Error:
        return 0


def _totals(db: Path) -> tuple[int, int]:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return (conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0],
                conn.execute("SELECT COUNT(*) FROM events").fetchone()[0])
    finally:
        conn.close()


_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def _process_cpu(root: int) -> dict[int, float]:
    """CPU seconds (user + system) so far of ``root`` and its descendants, from /proc (Linux;
    empty elsewhere)."""
    parents: dict[int, int] = {}
    cpu: dict[int, float] = {}
    for entry in os.listdir("/proc") if os.path.isdir("/proc") else ():
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        pid = int(entry)
        parents[pid] = int(fields[1])
        cpu[pid] = (int(fields[11]) + int(fields[12])) / _TICKS
    mine = {root}
    grew = True
    while grew:
        grew = False
        for pid, ppid in parents.items():
            if ppid in mine and pid not in mine:
                mine.add(pid)
                grew = True
    return {pid: cpu[pid] for pid in mine if pid in cpu}


def _children_cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def ingest_once(corpus: Path, db: Path, workers: int, model: str | None) -> Run:
    args = ["ingest", str(corpus), "--db", str(db), "--workers", str(workers), "--no-progress"]
    if model:
        args += ["--model", model]
    cpu0 = _children_cpu()
    t0 = time.perf_counter()
    proc = subprocess.Popen(_redline(*args), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            text=True)
    first = last = None
    seen = 0
    per_process: dict[int, float] = {}
    while proc.poll() is None:
        time.sleep(0.1)
        per_process.update(_process_cpu(proc.pid))
        n = _count(db)
        if n > seen:
            now = time.perf_counter() - t0
            if seen == 0:
                first = now
            last, seen = now, n
    wall = time.perf_counter() - t0
    err = proc.stderr.read() if proc.stderr else ""
    if proc.returncode not in (0, 1):  # 1: some input failed, the rest is stored
        raise SystemExit(f"ingest failed ({proc.returncode}):\n{err}")
    articles, events = _totals(db)
    if _count(db) > seen:  # the last commits came after the last poll
        last = wall
    return Run(workers, wall, articles, events, first, last, _children_cpu() - cpu0,
               per_process)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpus", type=Path, help="any input redline ingest reads, e.g. a CSV")
    ap.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--repeat", type=int, default=1, help="runs per worker count (alternating)")
    ap.add_argument("--model", default=None, help="md, sm or a path (default: auto)")
    ap.add_argument("--keep", type=Path, default=None, help="keep the databases in this folder")
    args = ap.parse_args(argv)
    if not args.corpus.exists():
        raise SystemExit(f"{args.corpus}: no such file")

    folder = args.keep or Path(tempfile.mkdtemp(prefix="redline-scaling-"))
    folder.mkdir(parents=True, exist_ok=True)
    runs: dict[int, list[Run]] = {w: [] for w in args.workers}
    last_db = None
    print(f"{args.corpus}, {os.cpu_count()} cores, load average before: "
          f"{', '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"{'workers':>7} {'wall s':>8} {'articles':>8} {'events':>7} {'art/s':>7} "
          f"{'steady art/s':>12} {'cores busy':>10}  CPU s of each process (main first)")
    for rep in range(args.repeat):
        for w in args.workers:
            db = folder / f"w{w}-r{rep}.db"
            for suffix in ("", "-wal", "-shm"):
                Path(f"{db}{suffix}").unlink(missing_ok=True)
            r = ingest_once(args.corpus, db, w, args.model)
            runs[w].append(r)
            last_db = db
            cpus = " ".join(f"{c:.1f}" for c in r.per_process.values() if c >= 0.5)
            print(f"{w:>7} {r.wall:>8.1f} {r.articles:>8} {r.events:>7} {r.rate:>7.2f} "
                  f"{r.steady:>12.2f} {r.cpu / r.wall:>10.2f}  {cpus}", flush=True)

    base = args.workers[0]
    wall = {w: statistics.median(r.wall for r in rs) for w, rs in runs.items()}
    steady = {w: statistics.median(r.steady for r in rs) for w, rs in runs.items()}
    busiest = {w: statistics.median(max(r.per_process.values(), default=float("nan"))
                                    for r in rs) for w, rs in runs.items()}
    for w in args.workers[1:]:
        print(f"speed-up {w} workers over {base}: {wall[base] / wall[w]:.2f}x end to end, "
              f"{steady[w] / steady[base]:.2f}x steady (medians of {args.repeat})")
        print(f"  if each process had a core of its own (the busiest process's CPU seconds, "
              f"{busiest[base]:.1f} vs {busiest[w]:.1f}): {busiest[base] / busiest[w]:.2f}x")

    assert last_db is not None
    stats_cmd = _redline("stats", "--db", str(last_db), "--json")
    before = subprocess.run(stats_cmd, capture_output=True, text=True, check=True).stdout
    a0, e0 = _totals(last_db)
    again = ingest_once(args.corpus, last_db, args.workers[-1], args.model)
    after = subprocess.run(stats_cmd, capture_output=True, text=True, check=True).stdout
    print(f"second ingest into {last_db.name}: +{again.articles - a0} articles, "
          f"+{again.events - e0} events in {again.wall:.1f} s; stats --json identical: "
          f"{'yes' if before == after else 'NO'}")
    s = json.loads(after)
    print(f"stored: {s['articles']} articles, {s['events']} events, {s['quotes']} quotes, "
          f"{s['failed_inputs']} failed inputs")
    print(f"load average after: {', '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
