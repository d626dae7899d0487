"""Running ``redline serve`` for a test: a child process on a free loopback port."""

from __future__ import annotations

from pathlib import Path


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(db: Path, log: Path, *extra: str):
    """``redline serve`` on ``db`` in a child process, on a free port; returns (process, base
    URL) once it answers. The real command, as a user runs it."""
    import subprocess
    import sys
    import time
    import urllib.request

    port = free_port()
    out = log.open("w")
    proc = subprocess.Popen(
        [sys.executable, "-c", "from redline.cli.main import main; main()", "serve", "--db",
         str(db), "--port", str(port), "--log-level", "warning", *extra],
        stdout=out, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            with urllib.request.urlopen(f"{base}/api/health", timeout=2) as r:
                if r.status == 200:
                    return proc, base
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                raise RuntimeError(f"redline serve did not start: {log.read_text()}") from None
            time.sleep(0.1)


def stop_server(proc) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except Exception:  # noqa: BLE001 - a server that will not stop is killed
        proc.kill()
        proc.wait()
