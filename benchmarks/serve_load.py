"""Load on ``redline serve``: N concurrent clients for T seconds over a mix of API routes.

    PYTHONPATH=src .venv/bin/python benchmarks/serve_load.py --db guardian.db \
        [--clients 200] [--seconds 30] [--workers 1] [--url http://127.0.0.1:8000]

With ``--db`` and no ``--url`` it starts ``redline serve`` on that database (on a free
loopback port, ``--workers`` processes) and stops it after; with ``--input CSV`` it first
builds the database with ``redline ingest``. With ``--url`` it drives a server already running
(``--db`` is then only read for ids to ask for).

Each client is one keep-alive HTTP/1.1 connection (a small asyncio client, so the load
generator itself costs little CPU on the same machine) that sends one request after another,
round-robin over the routes below, starting at a different point. It prints requests/s, the
50th/90th/99th percentile and maximum latency, errors (any status but 200, a dropped
connection or a request over 30 s), and the same per route. When it started the server it
also prints the CPU time the server's processes used (Linux ``/proc``) per request: a figure
that depends less on what else runs on the machine than requests/s does. Figures depend on the
machine and on what else runs on it: compare runs on the same machine, and say its load.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import defaultdict
from pathlib import Path
from urllib.parse import quote, urlsplit

TIMEOUT = 30.0


def routes(db: Path) -> list[str]:
    """The route mix: the API's list, detail and analysis endpoints, on ids, actors and dyads
    spread over ``db`` (so that row pages and details differ from request to request)."""
    conn = sqlite3.connect(f"{db.resolve().as_uri()}?mode=ro", uri=True)
    try:
        top = conn.execute("SELECT MAX(event_id) FROM events").fetchone()[0] or 1
        arts = [r[0] for r in conn.execute("SELECT id FROM articles ORDER BY id")]
        pairs = conn.execute(
            "SELECT source_code, target_code FROM events WHERE source_code IS NOT NULL "
            "AND target_code IS NOT NULL GROUP BY 1, 2 ORDER BY COUNT(*) DESC LIMIT 4"
        ).fetchall()
    finally:
        conn.close()
    actors = sorted({p[0][:3] for p in pairs}) or ["USA"]
    out = ["/api/health", "/api/stats", "/api/events?limit=20", "/api/events?cameo=1&limit=20",
           "/api/timeline", "/api/locations", "/api/dyads?top=10",
           "/api/events?q=minister&limit=20", "/api/alerts"]
    out += [f"/api/events?actor={a}&limit=50" for a in actors]
    out += [f"/api/events/{top * k // 8 or 1}" for k in range(1, 9)]
    out += [f"/api/articles/{quote(a, safe='')}" for a in arts[:: max(1, len(arts) // 8)][:8]]
    out += [f"/api/dyads/{s}/{t}" for s, t in pairs]
    return out


async def _one(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, host: str,
               path: str) -> int:
    writer.write(f"GET {path} HTTP/1.1\r\nHost: {host}\r\nAccept: application/json\r\n\r\n"
                 .encode())
    await writer.drain()
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    length = 0
    chunked = False
    for line in lines[1:]:
        name, _, value = line.partition(":")
        if name.lower() == "content-length":
            length = int(value)
        elif name.lower() == "transfer-encoding" and "chunked" in value.lower():
            chunked = True
    if chunked:
        while True:
            size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
            await reader.readexactly(size + 2)
            if size == 0:
                break
    else:
        await reader.readexactly(length)
    return status


async def _client(n: int, url: str, paths: list[str], until: float,
                  out: list[tuple[str, float, bool]]) -> None:
    parts = urlsplit(url)
    host, port = parts.hostname or "127.0.0.1", parts.port or 80
    i = n
    conn = None
    while time.monotonic() < until:
        path = paths[i % len(paths)]
        i += 1
        start = time.monotonic()
        try:
            if conn is None:
                conn = await asyncio.wait_for(asyncio.open_connection(host, port), TIMEOUT)
            status = await asyncio.wait_for(_one(*conn, parts.netloc, path), TIMEOUT)
            ok = status == 200
        except (TimeoutError, OSError, asyncio.IncompleteReadError, ValueError):
            ok = False
            if conn is not None:
                conn[1].close()
            conn = None
        out.append((path, time.monotonic() - start, ok))
    if conn is not None:
        conn[1].close()


def server_cpu(pid: int) -> float:
    """CPU seconds (user + system) used so far by process ``pid`` and its descendants (their
    threads included; 0 where ``/proc`` cannot be read)."""
    total, todo = 0.0, [pid]
    tick = os.sysconf("SC_CLK_TCK")
    while todo:
        p = todo.pop()
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / tick
            for task in Path(f"/proc/{p}/task").iterdir():
                todo += [int(c) for c in (task / "children").read_text().split()]
        except (OSError, ValueError, IndexError):
            continue
    return total


def _pct(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    s = sorted(values)
    return s[min(len(s) - 1, int(p / 100 * len(s)))]


def report(results: list[tuple[str, float, bool]], seconds: float, cpu: float | None) -> None:
    lat = [t for _, t, _ in results]
    errors = sum(1 for *_, ok in results if not ok)
    print(f"requests {len(results)} in {seconds:.1f} s: {len(results) / seconds:.1f} req/s; "
          f"p50 {_pct(lat, 50):.3f} s, p90 {_pct(lat, 90):.3f} s, p99 {_pct(lat, 99):.3f} s, "
          f"max {max(lat, default=float('nan')):.3f} s; errors {errors}")
    if cpu is not None and results:
        print(f"server CPU {cpu:.1f} s: {cpu / len(results) * 1000:.2f} ms per request "
              f"(at most {len(results) / cpu:.0f} req/s per free core)")
    by: dict[str, list[float]] = defaultdict(list)
    for path, t, _ in results:
        by[path].append(t)
    for path, ts in sorted(by.items()):
        print(f"  {path[:60]:60} {len(ts):6d}  mean {statistics.fmean(ts):.3f}  "
              f"p99 {_pct(ts, 99):.3f}")


async def drive(url: str, paths: list[str], clients: int, seconds: float,
                pid: int | None = None) -> None:
    results: list[tuple[str, float, bool]] = []
    cpu = server_cpu(pid) if pid else 0.0
    start = time.monotonic()
    await asyncio.gather(*(_client(n, url, paths, start + seconds, results)
                           for n in range(clients)))
    report(results, time.monotonic() - start, server_cpu(pid) - cpu if pid else None)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _cli() -> list[str]:
    return [sys.executable, "-c", "from redline.cli.main import main; main()"]


def start_server(db: Path, workers: int, extra: list[str]) -> tuple[subprocess.Popen, str]:
    port = _free_port()
    cmd = [*_cli(), "serve", "--db", str(db), "--port", str(port), "--log-level", "warning",
           *extra]
    if workers != 1:
        cmd += ["--workers", str(workers)]
    proc = subprocess.Popen(cmd)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/api/health", timeout=2):
                return proc, url
        except OSError:
            if proc.poll() is not None:
                break
            time.sleep(0.2)
    proc.kill()
    sys.exit("redline serve did not start")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--db", type=Path, help="the event database (built from --input if given)")
    ap.add_argument("--input", type=Path, help="a CSV/JSONL to ingest into --db first")
    ap.add_argument("--url", help="drive this running server instead of starting one")
    ap.add_argument("--clients", type=int, default=200)
    ap.add_argument("--seconds", type=float, default=30.0)
    ap.add_argument("--workers", type=int, default=1, help="redline serve --workers")
    ap.add_argument("--warmup", type=float, default=3.0, help="seconds of load not counted")
    args, extra = ap.parse_known_args()
    db = args.db or Path(tempfile.mkdtemp()) / "load.db"
    if args.input:
        subprocess.run([*_cli(), "ingest", str(args.input), "--db", str(db)], check=True)
    if not db.exists():
        sys.exit(f"no database at {db}: give --db, or --input to build one")
    paths = routes(db)
    proc = None
    url = args.url
    if url is None:
        proc, url = start_server(db, args.workers, extra)
    load = os.getloadavg()
    print(f"{url}: {args.clients} clients, {args.seconds:g} s, {args.workers} worker(s), "
          f"{os.cpu_count()} CPUs, load average before {load[0]:.2f} {load[1]:.2f} "
          f"{load[2]:.2f}")
    try:
        if args.warmup:
            asyncio.run(drive(url, paths, min(args.clients, 20), args.warmup))
            print("(warm-up above, not counted)")
        asyncio.run(drive(url, paths, args.clients, args.seconds,
                          proc.pid if proc is not None else None))
    finally:
        if proc is not None:
            proc.terminate()
            proc.wait(timeout=30)
    load = os.getloadavg()
    print(f"load average after {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")


if __name__ == "__main__":
    main()
