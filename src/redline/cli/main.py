"""The ``redline`` command: a thin skin over the Python API.

Each command group lives in its own module; this one only assembles them. Nothing here
imports spaCy: ``redline --help`` stays fast.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sys

import click

from redline import __version__
from redline.cli.code import code_cmd, resolve_cmd, stages_cmd
from redline.cli.eval import eval_group
from redline.cli.monitor import dyad_cmd, dyads_cmd, series_cmd, watch_cmd
from redline.cli.serve import serve_cmd
from redline.cli.store import (
    articles_cmd,
    events_cmd,
    export_cmd,
    failures_cmd,
    ingest_cmd,
    stats_cmd,
)
from redline.cli.train import train_cmd
from redline.errors import RedlineError


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="redline")
@click.option("-v", "--verbose", count=True, help="More log output (-vv for debug).")
def cli(verbose: int) -> None:
    """redline reads news articles and turns them into political event data.

    \b
    Each article comes out with CAMEO and PLOVER coded events (who did what to whom),
    actors resolved to country and role, modality (asserted, negated, hypothetical,
    future), evidence spans and quotations. Everything runs offline.

    \b
    Start with:
      redline code examples/coalition_summit.txt --date 2025-06-12
      redline code news.jsonl --format jsonl > events.jsonl
      redline resolve "Russian troops" "the Kremlin" "Putin" --date 2010-05-01
    """
    level = logging.WARNING - 10 * verbose
    logging.basicConfig(level=max(level, logging.DEBUG), stream=sys.stderr,
                        format="%(levelname)s %(name)s: %(message)s")


cli.add_command(code_cmd)
cli.add_command(resolve_cmd)
cli.add_command(stages_cmd)
cli.add_command(eval_group)
cli.add_command(train_cmd)
for _cmd in (ingest_cmd, events_cmd, articles_cmd, stats_cmd, export_cmd, failures_cmd):
    cli.add_command(_cmd)
for _cmd in (dyads_cmd, series_cmd, dyad_cmd, watch_cmd):
    cli.add_command(_cmd)
cli.add_command(serve_cmd)


def main() -> None:
    try:
        cli(prog_name="redline")
    except SystemExit as exc:
        code = exc.code
    except RedlineError as exc:  # one raised where a command does not catch it (a finally)
        click.echo(f"Error: {exc}", err=True)
        code = 1
    else:
        code = 0
    _exit(code)


def _exit(code: object) -> None:
    """Exit without tearing down the interpreter when a language model was loaded.

    Freeing the parser, vectors, gazetteer and knowledge base object by object at exit takes
    longer (about 1.3 s) than loading half of them did. Every command has finished its work
    and closed its files and databases by now, so the streams are flushed and logging shut
    down, and the process ends at once. Commands that loaded no model exit normally.
    """
    status = code if isinstance(code, int) else (0 if code is None else 1)
    if isinstance(code, str):
        print(code, file=sys.stderr)
    from redline import nlp

    if not nlp.model_loaded():
        sys.exit(status)
    logging.shutdown()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # a closed pipe ("| head")
            stream.flush()
    os._exit(status)


if __name__ == "__main__":
    main()
