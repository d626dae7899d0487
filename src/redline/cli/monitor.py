"""``redline dyads``, ``series`` and ``watch``: escalation monitoring, each a thin wrapper over
one :mod:`redline.monitor` function."""

from __future__ import annotations

import json
from typing import Any

import click

from redline.cli.store import _date, _db_option, _fail, _show
from redline.errors import RedlineError

_PERIODS = click.Choice(["day", "week", "month", "year"])
_FORMATS = click.Choice(["table", "csv", "jsonl"])
_DYAD_TABLE = (("source", "source"), ("target", "target"), ("clusters", "clusters"),
               ("events", "events"), ("highest rung", "rung"), ("goldstein", "goldstein_mean"),
               ("trend", "trend"), ("per period", "sparkline"))
_SERIES_TABLE = (("period", "period"), ("clusters", "clusters"), ("events", "events"),
                 ("q1", "quad1"), ("q2", "quad2"), ("q3", "quad3"), ("q4", "quad4"),
                 ("goldstein", "goldstein_mean"), ("rung", "rung"), ("flags", "flags"))


@click.command("dyads")
@_db_option
@click.option("--top", type=click.IntRange(min=1), default=10, show_default=True)
@click.option("--by", type=_PERIODS, default="week", show_default=True)
@click.option("--since", callback=_date, metavar="YYYY-MM-DD")
@click.option("--until", callback=_date, metavar="YYYY-MM-DD")
@click.option("--include-hypothetical", is_flag=True, help="Count hypothetical/future events.")
@click.option("--format", "fmt", type=_FORMATS, default="table", show_default=True)
def dyads_cmd(db: str, top: int, by: str, since: Any, until: Any, include_hypothetical: bool,
              fmt: str) -> None:
    """The most active dyads (counted on event clusters), with their trend."""
    from redline.monitor import top_dyads

    try:
        rows = top_dyads(db, top=top, by=by, since=since, until=until,
                         include_hypothetical=include_hypothetical)
    except RedlineError as exc:
        raise _fail(exc) from None
    _show(rows, fmt, _DYAD_TABLE, "dyads")


@click.command("series")
@click.argument("source")
@click.argument("target")
@_db_option
@click.option("--by", type=_PERIODS, default="week", show_default=True)
@click.option("--both-ways", is_flag=True, help="Add TARGET -> SOURCE.")
@click.option("--since", callback=_date, metavar="YYYY-MM-DD")
@click.option("--until", callback=_date, metavar="YYYY-MM-DD")
@click.option("--include-hypothetical", is_flag=True, help="Count hypothetical/future events.")
@click.option("--format", "fmt", type=_FORMATS, default="table", show_default=True)
def series_cmd(source: str, target: str, db: str, by: str, both_ways: bool, since: Any,
               until: Any, include_hypothetical: bool, fmt: str) -> None:
    """One dyad's series per period, with escalation flags and a sparkline.

    \b
    SOURCE and TARGET are code prefixes or countries (RUS, RUSMIL, UKR, NATO); NATO+ is NATO
    and its member states; several may be given with commas.
    Example: redline series RUS NATO+ --by week
    """
    from redline.monitor import dyad_series, escalation_flags, sparkline

    try:
        rows = dyad_series(db, source, target, by=by, both_ways=both_ways, since=since,
                           until=until, include_hypothetical=include_hypothetical)
    except (RedlineError, ValueError) as exc:
        raise click.ClickException(str(exc)) from None
    flags: dict[str, list[str]] = {}
    for f in escalation_flags(rows):
        flags.setdefault(f.period, []).append(f"{f.kind}: {f.detail}")
    out = [{**r.to_dict(), "flags": "; ".join(flags.get(r.period, []))} for r in rows]
    if fmt == "csv":
        for row in out:
            row["plover"] = ";".join(f"{k}:{v}" for k, v in row["plover"].items())
    _show(out, fmt, _SERIES_TABLE, "periods")
    if fmt == "table" and rows:
        click.echo(f"clusters {sparkline([r.clusters for r in rows])}")
        click.echo(f"rung     {sparkline([r.max_rung for r in rows])}")


@click.command("watch")
@_db_option
@click.option("--rules", "rules_path", required=True, type=click.Path(dir_okay=False),
              help="Watchlist rules (TOML).")
@click.option("--jsonl", "jsonl", type=click.Path(dir_okay=False),
              help="Also append alerts to this JSONL file.")
@click.option("--webhook", metavar="URL", help="Also POST each alert as JSON to this URL.")
@click.option("--state", default="watch", show_default=True,
              help="Name under which the last run is remembered in the database.")
@click.option("--quiet", is_flag=True, help="No alerts on standard output.")
def watch_cmd(db: str, rules_path: str, jsonl: str | None, webhook: str | None, state: str,
              quiet: bool) -> None:
    """Alert on events stored since the last run that match watchlist rules.

    Running it again without new events emits nothing.
    """
    from redline.monitor import JsonlSink, TerminalSink, WebhookSink, load_rules, watch

    sinks: list[Any] = [] if quiet else [TerminalSink()]
    if jsonl:
        sinks.append(JsonlSink(jsonl))
    if webhook:
        sinks.append(WebhookSink(webhook))
    try:
        alerts = watch(db, load_rules(rules_path), sinks=sinks, state=state)
    except RedlineError as exc:
        raise _fail(exc) from None
    click.echo(json.dumps({"alerts": len(alerts)}), err=True)
