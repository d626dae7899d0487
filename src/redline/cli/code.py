"""``redline code``, ``redline resolve`` and ``redline stages``."""

from __future__ import annotations

import datetime as dt
import logging
import sys
from collections.abc import Iterator

import click

from redline.errors import InputError, RedlineError

log = logging.getLogger("redline.cli")

FORMATS = ("table", "jsonl", "json", "csv")


def _date(ctx: click.Context, param: click.Parameter, value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"'{value}' is not a date in the form YYYY-MM-DD") from None


def _article_date(ctx: click.Context, param: click.Parameter,
                  value: str | None) -> dt.date | None:
    """An article date: ISO, and within the range the readers accept."""
    from redline.readers.files import MAX_DATE, MIN_DATE

    date = _date(ctx, param, value)
    if date is not None and not MIN_DATE <= date <= MAX_DATE:
        raise click.BadParameter(f"'{value}' is outside the supported range "
                                 f"{MIN_DATE.isoformat()}..{MAX_DATE.isoformat()}")
    return date


def _settings(config: str | None, model: str | None, time_limit: float | None = None):
    from redline.settings import load_settings

    overrides: dict = {"nlp": {"model": model}} if model else {}
    if time_limit is not None:
        overrides["pipeline"] = {"time_limit": time_limit}
    return load_settings(config, **overrides)


def time_limit_option(f):
    """``--time-limit SECONDS``, shared by ``code`` and ``ingest``."""
    return click.option(
        "--time-limit", "time_limit", type=click.FloatRange(min=0), metavar="SECONDS",
        help="Seconds one article may take to code; a slower one is reported as failed and "
             "the others go on (default: [pipeline] time_limit, 60; 0: no limit).")(f)


@click.command("code")
@click.argument("inputs", nargs=-1, required=True, metavar="INPUT...")
@click.option("--date", "date", callback=_article_date, metavar="YYYY-MM-DD",
              help="Article date for inputs that carry none (anchors 'yesterday', office-holders).")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True,
              help="table: readable; jsonl: one article a line (the output contract); "
                   "json: one list; csv: one row per event.")
@click.option("-o", "--output", type=click.File("w", encoding="utf-8"), default="-",
              help="Write here instead of standard output.")
@click.option("--config", type=click.Path(exists=True, dir_okay=False),
              help="A TOML file overriding the default settings.")
@click.option("--model", help="spaCy model: auto (default), md, sm, or a model path.")
@click.option("--progress/--no-progress", default=None,
              help="Progress bar on standard error (default: when on a terminal and more "
                   "than 5 articles).")
@time_limit_option
def code_cmd(inputs: tuple[str, ...], date: dt.date | None, fmt: str, output, config: str | None,
             model: str | None, progress: bool | None, time_limit: float | None) -> None:
    """Code articles into events.

    \b
    INPUT is any of:
      story.txt            one article (id = the file name, ~, a hash of the text)
      news.jsonl           one article a line: {"id", "text", "date", "title", "url", "source"}
      news.csv             a header with a 'text' column (and optional id, date, title)
      page.html            a web page; the article text is extracted
      folder/              every file inside
      -                    standard input

    Bad inputs, and articles that break a stage or take longer than the time limit, are
    reported on standard error, naming the file (and line), and skipped; the others are still
    coded. A set-up error (no model, a bad setting) stops the run with one message. Exit
    status: 0 all coded, 1 some input failed, 2 usage error.
    """
    from redline.api import get_pipeline
    from redline.output import Writer
    from redline.pipeline import Failed
    from redline.readers import count_hint, read_inputs

    try:
        settings = _settings(config, model, time_limit)
        pipeline = get_pipeline(settings)
    except RedlineError as exc:
        raise click.ClickException(str(exc)) from None
    failures: list[InputError] = []
    coded = 0

    def articles() -> Iterator:
        for item in read_inputs(list(inputs), default_date=date,
                                max_bytes=settings.input.max_bytes):
            if isinstance(item, InputError):
                failures.append(item)
                click.echo(f"error: {item}", err=True)
            else:
                yield item

    total = count_hint(list(inputs))
    show = progress if progress is not None else (sys.stderr.isatty() and (total or 99) > 5)
    writer = Writer(output, fmt)
    from tqdm import tqdm

    bar = tqdm(total=total, unit="article", disable=not show, file=sys.stderr)
    try:
        for item in pipeline.pipe(articles(), on_error="collect"):
            bar.update(1)
            if isinstance(item, Failed):
                failures.append(item.error)
                click.echo(f"error: {item.error}", err=True)
                continue
            writer.write(item)
            coded += 1
    except RedlineError as exc:
        raise click.ClickException(str(exc)) from None
    finally:
        bar.close()
        writer.close()
    if failures:
        click.echo(f"{coded} coded, {len(failures)} failed", err=True)
        sys.exit(1)
    if coded == 0:
        click.echo("nothing was coded", err=True)
        sys.exit(1)


@click.command("resolve")
@click.argument("phrases", nargs=-1, required=True)
@click.option("--date", "date", callback=_article_date, metavar="YYYY-MM-DD",
              help="The date office-holders are looked up on (default: today's holders).")
def resolve_cmd(phrases: tuple[str, ...], date: dt.date | None) -> None:
    """Show how actor phrases resolve with the knowledge base (no model needed).

    \b
    Example:
      redline resolve "Russian troops" "Kyiv" "the coalition of the willing" "Putin" \\
          --date 2010-05-01
    """
    from redline.actors.resolver import resolve_text

    try:
        for phrase in phrases:
            a = resolve_text(phrase, date)
            if a is None:
                click.echo(f"{phrase!r:40} -> not in the knowledge base")
                continue
            parts = [a.code or "-", f"country={a.country}", f"sector={a.sector}",
                     f"kind={a.kind}"]
            if a.name:
                parts.append(f"name={a.name}")
            if a.role:
                parts.append(f"role={a.role}")
            click.echo(f"{phrase!r:40} -> {' '.join(parts)}  [{a.resolved_by}]")
    except RedlineError as exc:
        raise click.ClickException(str(exc)) from None


@click.command("stages")
def stages_cmd() -> None:
    """List the registered pipeline stages, what each needs and sets."""
    from redline.pipeline import registered_stages
    from redline.settings import load_settings

    active = load_settings().pipeline.stages
    for name, spec in registered_stages().items():
        mark = "*" if name in active else " "
        click.echo(f"{mark} {name:10} needs {', '.join(spec.requires) or '-':24} "
                   f"sets {', '.join(spec.assigns):28} {spec.doc}")
