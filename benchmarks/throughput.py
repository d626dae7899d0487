"""Throughput of redline against a plain spaCy parse of the same texts, in one process.

    python benchmarks/throughput.py PATH/guardian_sample.csv [--limit N] [--batch-size 16]

Reads the CSV's ``text`` (and ``date``) columns, loads the spaCy model redline uses once, and
warms both paths up on one short text so that model and knowledge-base loading are out of
both timings. Then it times, in this order:

1. raw parse: ``nlp.pipe`` over all texts with the same model and batch size (docs consumed);
2. redline: ``redline.code_many`` end to end over the same texts (articles consumed).

The raw parse runs first, so any warm-cache advantage goes to redline's run; the ratio is
therefore, if anything, flattering to redline. Prints figures only and asserts nothing.
"""

from __future__ import annotations

import argparse
import csv
import logging
import resource
import sys
import time
from pathlib import Path
from typing import Any

log = logging.getLogger("benchmarks.throughput")


def read_texts(path: Path, limit: int | None) -> list[dict[str, Any]]:
    """``{"id", "text", "date"}`` for each row with a non-blank text."""
    csv.field_size_limit(sys.maxsize)
    rows: list[dict[str, Any]] = []
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        if "text" not in (reader.fieldnames or []):
            raise SystemExit(f"{path}: no 'text' column (columns: {reader.fieldnames})")
        for n, row in enumerate(reader, 1):
            if not (row.get("text") or "").strip():
                continue
            rows.append({"id": row.get("id") or f"row-{n}", "text": row["text"],
                         "date": (row.get("date") or "")[:10] or None})
            if limit is not None and len(rows) >= limit:
                break
    return rows


def peak_rss_mb() -> float:
    """Peak resident set size of this process so far, in MB (Linux reports KB)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 1024 / (1024 if sys.platform == "darwin" else 1)


def line(name: str, articles: int, words: int, seconds: float) -> str:
    """One row of figures; the peak RSS is read when the row is made."""
    wps = words / seconds if seconds else 0.0
    aps = articles / seconds if seconds else 0.0
    return (f"{name:<10} {articles:>8} {words:>10} {seconds:>9.2f} {wps:>10.0f} {aps:>10.2f}"
            f" {peak_rss_mb():>12.0f}")


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("csv", type=Path, help="a CSV with a 'text' column (and optional 'date')")
    ap.add_argument("--limit", type=int, default=None, help="only the first N articles")
    ap.add_argument("--batch-size", type=int, default=16, help="batch size for both paths")
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)

    import redline
    from redline.api import get_pipeline
    from redline.nlp import load_model
    from redline.settings import load_settings

    rows = read_texts(args.csv, args.limit)
    if not rows:
        raise SystemExit(f"{args.csv}: no texts")
    texts = [r["text"] for r in rows]
    words = sum(len(t.split()) for t in texts)

    settings = load_settings(nlp={"batch_size": args.batch_size})
    nlp = load_model(settings.nlp.model)
    warm = "The minister met her counterpart in Paris on Monday."
    list(nlp.pipe([warm]))
    list(redline.code_many([warm], settings=settings))  # builds every stage, loads the KB
    model = f"{nlp.meta.get('lang')}_{nlp.meta.get('name')}-{nlp.meta.get('version')}"

    t0 = time.perf_counter()
    tokens = 0
    for doc in nlp.pipe(texts, batch_size=args.batch_size):
        tokens += len(doc)
    raw_s = time.perf_counter() - t0
    raw_line = line("raw parse", len(texts), words, raw_s)

    t0 = time.perf_counter()
    events = coded = 0
    for article in redline.code_many(rows, settings=settings, batch_size=args.batch_size):
        events += len(article.events)
        coded += 1
        article.doc = None
    red_s = time.perf_counter() - t0
    red_line = line("redline", coded, words, red_s)

    print(f"model {model}, batch size {args.batch_size}, stages "
          f"{', '.join(get_pipeline(settings).names)}")
    print(f"{len(texts)} articles, {words} words (whitespace-split), {tokens} spaCy tokens, "
          f"{events} events coded")
    print(f"{'run':<10} {'articles':>8} {'words':>10} {'wall s':>9} {'words/s':>10} "
          f"{'articles/s':>10} {'peak RSS MB':>12}")
    print(raw_line)
    print(red_line)
    print(f"ratio redline / raw parse (wall time): {red_s / raw_s if raw_s else float('nan'):.2f}x")


if __name__ == "__main__":
    main()
