"""``redline ingest``, ``events``, ``articles``, ``stats``, ``export`` and ``failures``: the
event store's commands, each a thin wrapper over one :mod:`redline.store` function."""

from __future__ import annotations

import csv
import datetime as dt
import json
import sys
from collections.abc import Callable
from typing import Any, TextIO

import click

from redline.cli.code import _article_date, _date, _settings, time_limit_option
from redline.errors import RedlineError

DB_HELP = "The event database (SQLite file). Default: redline.db, or $REDLINE_DB."
VIEW_FORMATS = ("table", "csv", "jsonl")


def _db_option(f: Callable[..., Any]) -> Callable[..., Any]:
    return click.option("--db", default="redline.db", envvar="REDLINE_DB", show_default=True,
                        metavar="PATH", help=DB_HELP)(f)


def _event_filters(f: Callable[..., Any]) -> Callable[..., Any]:
    options = [
        click.option("--actor", metavar="X", help="Source or target: a code prefix (RUS, "
                     "RUSGOV, NATO) or a country (UKR)."),
        click.option("--source", metavar="X", help="Source actor: code prefix or country."),
        click.option("--target", metavar="X", help="Target actor: code prefix or country."),
        click.option("--cameo", metavar="CODE", help="CAMEO code prefix: 13 (threaten), 190."),
        click.option("--plover", metavar="TYPE", help="PLOVER type, e.g. THREATEN."),
        click.option("--since", callback=_date, metavar="YYYY-MM-DD",
                     help="Events whose own date is on or after this day."),
        click.option("--until", callback=_date, metavar="YYYY-MM-DD",
                     help="Events whose own date is on or before this day."),
        click.option("--modality",
                     type=click.Choice(["asserted", "negated", "hypothetical", "future"]),
                     help="Only events with this modality."),
        click.option("--article", metavar="ID", help="Only this article's events."),
        click.option("--text", metavar="WORDS", help="Text in the evidence, an actor's name "
                     "or text, the place or the event name (case-insensitive), as the "
                     "dashboard's search."),
    ]
    for option in reversed(options):
        f = option(f)
    return f


def _filters(kw: dict[str, Any]) -> dict[str, Any]:
    keys = ("actor", "source", "target", "cameo", "plover", "since", "until", "modality",
            "article", "text")
    return {k: kw.pop(k) for k in keys}


def _fail(exc: RedlineError) -> click.ClickException:
    return click.ClickException(str(exc))


def _closed_pipe() -> None:
    """The reader of standard output went away (``| head``): stop quietly, like other tools."""
    import os

    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())  # no second error when Python flushes at exit
    sys.exit(141)


# --- ingest ------------------------------------------------------------------------------------


@click.command("ingest")
@click.argument("inputs", nargs=-1, required=True, metavar="INPUT...")
@_db_option
@click.option("--workers", type=click.IntRange(min=1), metavar="N",
              help="Coding processes (default: the number of cores).")
@click.option("--date", "date", callback=_article_date, metavar="YYYY-MM-DD",
              help="Article date for inputs that carry none.")
@click.option("--config", type=click.Path(exists=True, dir_okay=False),
              help="A TOML file overriding the default settings.")
@click.option("--model", help="spaCy model: auto (default), md, sm, or a model path.")
@click.option("--progress/--no-progress", default=None,
              help="Progress bar on standard error (default: when on a terminal).")
@click.option("--on-conflict", type=click.Choice(["keep", "refuse", "replace"]),
              default="keep", show_default=True,
              help="An article whose id is already stored with other text: keep both (the "
                   "new one as ID~HASH), refuse it (a failure), or replace the stored one.")
@time_limit_option
def ingest_cmd(inputs: tuple[str, ...], db: str, workers: int | None, date: dt.date | None,
               config: str | None, model: str | None, progress: bool | None,
               on_conflict: str, time_limit: float | None) -> None:
    """Code articles and store them in the event database.

    \b
    INPUT is anything `redline code` reads (.txt, .jsonl, .json, .csv, .html, a folder, -)
    and RSS/Atom feed files (.rss, .atom, .xml). Content already stored (same text under any
    name) is skipped before coding, so running the same ingest again adds nothing. An
    article whose id is already stored with other text is, per --on-conflict, stored beside
    it as ID~HASH (keep, the default: nothing stored is lost), refused, or made to replace it;
    each case is reported. Each article is committed with all its rows at once: an
    interrupted ingest loses nothing committed, and re-running it finishes the job.

    \b
    Bad input, and an article that breaks a stage or takes longer than the time limit, is
    recorded in the database (see `redline failures`), reported, and skipped; a set-up error
    (no model, a bad setting, a broken data file) stops the run with one message. Exit
    status: 0 all stored, 1 some input failed, 2 usage error.
    """
    from redline import store

    def report_failure(failure: Any) -> None:
        click.echo(f"error: {failure}", err=True)

    show = progress if progress is not None else sys.stderr.isatty()
    try:
        report = store.ingest(list(inputs), db, workers=workers,
                              settings=_settings(config, model, time_limit),
                              default_date=date,
                              progress=show, on_failure=report_failure,
                              on_conflict=on_conflict)
    except RedlineError as exc:
        raise _fail(exc) from None
    except KeyboardInterrupt:
        click.echo(f"interrupted: every article committed so far is kept in {db}; run the "
                   "same command again to finish", err=True)
        sys.exit(130)
    click.echo(report.summary(), err=True)
    if report.failures:
        click.echo(f"{len(report.failures)} inputs failed; list them with: "
                   f"redline failures --db {db} --run {report.run_id}", err=True)
        sys.exit(1)


# --- events, articles, failures ----------------------------------------------------------------

_EVENT_TABLE = (
    ("id", "event_id"), ("date", "event_date_start"), ("source", "source_code"),
    ("cameo", "cameo"), ("event", "cameo_name"), ("PLOVER", "plover_type"),
    ("target", "target_code"), ("modality", "modality"), ("article", "article_id"),
    ("evidence", "evidence_text"),
)


@click.command("events")
@_db_option
@_event_filters
@click.option("--limit", type=click.IntRange(min=0), default=None,
              help="At most this many events (table format: default 100).")
@click.option("--format", "fmt", type=click.Choice(VIEW_FORMATS), default="table",
              show_default=True, help="table: readable; csv, jsonl: every column.")
def events_cmd(db: str, limit: int | None, fmt: str, **kw: Any) -> None:
    """List stored events, filtered.

    \b
    Examples:
      redline events --actor RUS --cameo 19 --since 2022-02-01
      redline events --source USAGOV --plover THREATEN --format csv > threats.csv
      redline events --modality negated --limit 20
    """
    from redline.store import query_events

    if fmt == "table" and limit is None:
        limit = 100
    try:
        rows = query_events(db, limit=limit, **_filters(kw))
    except RedlineError as exc:
        raise _fail(exc) from None
    try:
        _show(rows, fmt, _EVENT_TABLE, "events")
    except BrokenPipeError:
        _closed_pipe()


_ARTICLE_TABLE = (("id", "id"), ("date", "date"), ("events", "events"), ("quotes", "quotes"),
                  ("chars", "characters"), ("title", "title"))


@click.command("articles")
@_db_option
@click.option("--since", callback=_date, metavar="YYYY-MM-DD", help="Article date on or after.")
@click.option("--until", callback=_date, metavar="YYYY-MM-DD", help="Article date on or before.")
@click.option("--id", "article_id", metavar="ID", help="Only this article.")
@click.option("--limit", type=click.IntRange(min=0), default=None,
              help="At most this many articles (table format: default 100).")
@click.option("--format", "fmt", type=click.Choice(VIEW_FORMATS), default="table",
              show_default=True, help="table: readable; csv, jsonl: every column.")
def articles_cmd(db: str, since: dt.date | None, until: dt.date | None,
                 article_id: str | None, limit: int | None, fmt: str) -> None:
    """List stored articles with their event and quote counts."""
    from redline.store import query_articles

    if fmt == "table" and limit is None:
        limit = 100
    try:
        rows = query_articles(db, since=since, until=until, id=article_id, limit=limit)
    except RedlineError as exc:
        raise _fail(exc) from None
    try:
        _show(rows, fmt, _ARTICLE_TABLE, "articles")
    except BrokenPipeError:
        _closed_pipe()


_FAILURE_TABLE = (("run", "run_id"), ("source", "source"), ("kind", "kind"),
                  ("reason", "reason"))


@click.command("failures")
@_db_option
@click.option("--run", "run_id", type=int, help="Only this ingest run's failures.")
@click.option("--format", "fmt", type=click.Choice(VIEW_FORMATS), default="table",
              show_default=True)
def failures_cmd(db: str, run_id: int | None, fmt: str) -> None:
    """List inputs that could not be read or coded, newest run first."""
    from redline.store import query_failures

    try:
        rows = query_failures(db, run_id=run_id)
    except RedlineError as exc:
        raise _fail(exc) from None
    _show(rows, fmt, _FAILURE_TABLE, "failures")


def _show(rows: list[dict[str, Any]], fmt: str, table: tuple[tuple[str, str], ...],
          what: str) -> None:
    out = sys.stdout
    if fmt == "jsonl":
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    elif fmt == "csv":
        if rows:
            w = csv.DictWriter(out, fieldnames=list(rows[0]))
            w.writeheader()
            w.writerows(rows)
    else:
        _table(rows, table, what, out)


def _table(rows: list[dict[str, Any]], columns: tuple[tuple[str, str], ...], what: str,
           out: TextIO) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console(file=out, width=max(120, Console(file=out).width) if out.isatty()
                      else 160, highlight=False)
    if not rows:
        console.print(f"no {what} match")
        return
    table = Table(title=f"{len(rows)} {what}", title_justify="left")
    for title, _ in columns:
        table.add_column(title, overflow="fold", ratio=3 if title in ("evidence", "title",
                                                                      "reason") else None)
    for row in rows:
        table.add_row(*("-" if row[key] is None else str(row[key]) for _, key in columns))
    console.print(table)


# --- stats, export -----------------------------------------------------------------------------


@click.command("stats")
@_db_option
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a summary.")
def stats_cmd(db: str, as_json: bool) -> None:
    """Counts of stored articles, events, quotes and failed inputs; events by CAMEO root and
    by month of the event's own date."""
    from redline.store import stats

    try:
        s = stats(db)
    except RedlineError as exc:
        raise _fail(exc) from None
    if as_json:
        click.echo(json.dumps(s, indent=2, ensure_ascii=False))
        return
    click.echo(f"{s['articles']} articles, {s['events']} events, {s['actors']} actor mentions, "
               f"{s['quotes']} quotes, {s['places']} places, {s['failed_inputs']} failed inputs")
    if s["events_by_root"]:
        click.echo("\nevents by CAMEO root:")
        for r in s["events_by_root"]:
            click.echo(f"  {r['root']}  {r['name'] or '?':<40} {r['events']:>8}")
    if s["events_by_month"]:
        click.echo("\nevents by month (the event's own date):")
        for month, n in s["events_by_month"].items():
            click.echo(f"  {month:<8} {n:>8}")


@click.command("export")
@_db_option
@click.option("--format", "fmt", type=click.Choice(["csv", "jsonl", "parquet", "gdelt"]),
              required=True, help="csv, jsonl, parquet (needs redline[parquet]), or gdelt: "
                                  "the GDELT 2.0 event table layout (61 columns, tab-separated, "
                                  "no header).")
@click.option("-o", "--output", metavar="PATH", help="Write here (default: standard output).")
@click.option("--table", default="events", show_default=True,
              type=click.Choice(["events", "articles", "actors", "quotes", "places", "sentences",
                                 "failures", "runs"]),
              help="What to export; filters and gdelt apply to events only.")
@click.option("--limit", type=click.IntRange(min=0), default=None, help="At most this many rows.")
@_event_filters
def export_cmd(db: str, fmt: str, output: str | None, table: str, limit: int | None,
               **kw: Any) -> None:
    """Export events (or another table) for other tools.

    \b
    Examples:
      redline export --format gdelt -o events.export.CSV
      redline export --format parquet -o events.parquet --since 2024-01-01
      redline export --format csv --table articles -o articles.csv
    """
    from redline.store import export
    from redline.store.export import default_out

    filters = {k: v for k, v in _filters(kw).items() if v is not None}
    if fmt == "parquet" and output is None and sys.stdout.isatty():
        raise click.UsageError("parquet is binary: give -o FILE (or redirect standard output)")
    try:
        n = export(db, fmt, output if output is not None else default_out(fmt), table=table,
                   limit=limit, **filters)
    except RedlineError as exc:
        raise _fail(exc) from None
    except BrokenPipeError:
        _closed_pipe()
    click.echo(f"{n} rows of {table} exported" + (f" to {output}" if output else ""), err=True)
