"""Time and peak memory of ``redline code`` on one long generated article.

    python benchmarks/long_article.py [--sizes 100000 1000000] [--timeout 600] [-- CODE-OPTIONS]

For each size (bytes), writes an article of generated news-like prose of that size (sentences
built from small word lists of our own, a paragraph every few sentences) to a temporary file
and runs ``python -m redline.cli.main code FILE --format jsonl -o /dev/null`` on it in a fresh
process. Prints: size, wall seconds, exit status, peak RSS of that process (``ru_maxrss`` of
the finished child, MB) and the last line it wrote to standard error (the error, if any).
Extra arguments after ``--`` go to ``redline code`` (e.g. ``--time-limit 0``). Asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import subprocess
import sys
import tempfile
import time

_WHO = ["The foreign minister", "A government spokesman", "The president", "Rebel leaders",
        "The defence ministry", "Opposition lawmakers", "The prime minister", "Police"]
_DID = ["met", "criticised", "accused", "thanked", "warned", "visited", "praised", "called on"]
_WHOM = ["officials from Germany", "the United Nations", "protesters in the capital",
         "the army", "Russia", "neighbouring countries", "the central bank", "aid groups"]
_WHEN = ["on Monday", "last week", "on Tuesday evening", "earlier this month", "in March"]
_WHY = ["over the border dispute", "after the talks collapsed", "about new sanctions",
        "before the election", "as fighting continued in the north", "to discuss trade"]


def prose(size: int, seed: int = 7) -> str:
    rng = random.Random(seed)
    parts: list[str] = []
    n = 0
    while n < size:
        sentence = (f"{rng.choice(_WHO)} {rng.choice(_DID)} {rng.choice(_WHOM)} "
                    f"{rng.choice(_WHEN)} {rng.choice(_WHY)}.")
        sep = "\n\n" if rng.random() < 0.2 else " "
        parts.append(sentence + sep)
        n += len(sentence) + len(sep)
    return "".join(parts)[:size].rsplit(" ", 1)[0] + "."


def run(size: int, timeout: float, extra: list[str]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "long.txt")
        with open(path, "w", encoding="utf-8") as fh:
            fh.write(prose(size))
        cmd = [sys.executable, "-m", "redline.cli.main", "code", path, "--format", "jsonl",
               "-o", os.devnull, *extra]
        t0 = time.perf_counter()
        try:
            proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
            status, err = str(proc.returncode), (proc.stderr.strip().splitlines() or [""])[-1]
        except subprocess.TimeoutExpired:
            status, err = "timeout", f"still running after {timeout:.0f} s"
        seconds = time.perf_counter() - t0
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        print(f"{size:>9} {seconds:>8.1f} {status:>7} {peak:>9.0f}  {err[:120]}", flush=True)


def main() -> None:
    argv = sys.argv[1:]
    extra = argv[argv.index("--") + 1:] if "--" in argv else []
    argv = argv[:argv.index("--")] if "--" in argv else argv
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    ap.add_argument("--timeout", type=float, default=600)
    args = ap.parse_args(argv)
    print(f"{'bytes':>9} {'seconds':>8} {'exit':>7} {'peak MB':>9}  last message")
    for size in args.sizes:  # peak RSS is the largest child so far: run small sizes first
        run(size, args.timeout, extra)


if __name__ == "__main__":
    main()
