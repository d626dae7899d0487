"""``redline dyads``, ``series`` (alias ``dyad``) and ``watch``: escalation monitoring, each a
thin wrapper over one :mod:`redline.monitor` function."""

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


_SERIES_HELP = """One dyad's series per period, with escalation flags and a sparkline.

    \b
    SOURCE and TARGET are code prefixes or countries (RUS, RUSMIL, UKR, NATO); NATO+ is NATO
    and its member states; several may be given with commas.
    Example: redline {name} RUS NATO+ --by week --plot rus-nato.png
    """


def _series_command(name: str) -> click.Command:
    """``redline series`` and its alias ``redline dyad``: one command, two names."""

    @click.command(name, help=_SERIES_HELP.format(name=name))
    @click.argument("source")
    @click.argument("target")
    @_db_option
    @click.option("--by", type=_PERIODS, default="week", show_default=True)
    @click.option("--both-ways", is_flag=True, help="Add TARGET -> SOURCE.")
    @click.option("--since", callback=_date, metavar="YYYY-MM-DD")
    @click.option("--until", callback=_date, metavar="YYYY-MM-DD")
    @click.option("--include-hypothetical", is_flag=True,
                  help="Count hypothetical/future events.")
    @click.option("--format", "fmt", type=_FORMATS, default="table", show_default=True)
    @click.option("--plot", "plot", type=click.Path(dir_okay=False), metavar="FILE",
                  help="Also draw the series as a PNG (needs matplotlib).")
    def command(source: str, target: str, db: str, by: str, both_ways: bool, since: Any,
                until: Any, include_hypothetical: bool, fmt: str, plot: str | None) -> None:
        _series(source, target, db, by, both_ways, since, until, include_hypothetical, fmt,
                plot)

    return command


def _series(source: str, target: str, db: str, by: str, both_ways: bool, since: Any,
            until: Any, include_hypothetical: bool, fmt: str, plot: str | None) -> None:
    from redline.monitor import dyad_series, escalation_flags, sparkline

    try:
        rows = dyad_series(db, source, target, by=by, both_ways=both_ways, since=since,
                           until=until, include_hypothetical=include_hypothetical)
    except (RedlineError, ValueError) as exc:
        raise click.ClickException(str(exc)) from None
    found = escalation_flags(rows)
    flags: dict[str, list[str]] = {}
    for f in found:
        flags.setdefault(f.period, []).append(f"{f.kind}: {f.detail}")
    out = [{**r.to_dict(), "flags": "; ".join(flags.get(r.period, []))} for r in rows]
    if fmt == "csv":
        for row in out:
            row["plover"] = ";".join(f"{k}:{v}" for k, v in row["plover"].items())
    _show(out, fmt, _SERIES_TABLE, "periods")
    if fmt == "table" and rows:
        click.echo(f"clusters {sparkline([r.clusters for r in rows])}")
        click.echo(f"rung     {sparkline([r.max_rung for r in rows])}")
    if plot:
        from redline.monitor.plot import plot_series

        arrow = "<->" if both_ways else "->"
        try:
            plot_series(rows, plot, flags=found, title=f"{source} {arrow} {target} (by {by})")
        except RedlineError as exc:
            raise _fail(exc) from None
        click.echo(f"plot written to {plot}", err=True)


series_cmd = _series_command("series")
dyad_cmd = _series_command("dyad")
"""``redline dyad``: the issue's name for ``redline series`` (same options)."""


EXIT_UNDELIVERED = 3
"""``redline watch``'s exit status when some alert could not be delivered to some sink."""

_WATCH_HELP = """Alert on events stored since the last run that match watchlist rules.

    Running it again without new events fires nothing new. Each alert goes to each sink
    (standard output unless --quiet, --jsonl FILE, each --webhook URL) at least once: one a
    sink did not take (a webhook that failed, timed out or answered with a redirect) is sent
    again on the next run, to that sink only, and nothing is sent twice to a sink that got it.

    Webhooks: http:// or https:// only, checked before anything is sent; redirects are never
    followed; one alert takes at most --send-timeout seconds per webhook, retries included;
    webhooks are sent to concurrently (4 at once each) and a run stops sending after
    --run-timeout seconds (the rest waits for the next run).

    With --follow --feeds FILE, poll the feeds every --interval seconds (feed redirects: only
    to http(s), at most 5), ingest what is new and alert, until Ctrl-C or --max-polls; a
    broken feed is logged and skipped.

    Exit status: 0 all alerts delivered; 1 bad rules, webhook URL or database (one line, and
    nothing sent); 2 bad options; 3 some alert not delivered to some sink (after --follow: still
    pending after the last poll).
    """


def _watch_sinks(quiet: bool, jsonl: str | None, webhooks: tuple[str, ...],
                 send_timeout: float) -> list[Any]:
    from redline.monitor import JsonlSink, TerminalSink, WebhookSink

    sinks: list[Any] = [] if quiet else [TerminalSink()]
    if jsonl:
        sinks.append(JsonlSink(jsonl))
    sinks.extend(WebhookSink(url, timeout=send_timeout) for url in webhooks)
    return sinks


@click.command("watch", help=_WATCH_HELP)
@_db_option
@click.option("--rules", "rules_path", required=True, type=click.Path(dir_okay=False),
              help="Watchlist rules (TOML, at most 1 MB).")
@click.option("--jsonl", "jsonl", type=click.Path(dir_okay=False),
              help="Also append alerts to this JSONL file.")
@click.option("--webhook", "webhooks", metavar="URL", multiple=True,
              help="Also POST each alert as JSON to this http(s) URL (repeatable).")
@click.option("--send-timeout", type=click.FloatRange(min=0, min_open=True), default=10.0,
              show_default=True, metavar="SECONDS",
              help="Most time one alert may take to reach one webhook, retries included.")
@click.option("--run-timeout", type=click.FloatRange(min=0, min_open=True), default=120.0,
              show_default=True, metavar="SECONDS",
              help="Most time one run (one poll with --follow) spends sending.")
@click.option("--state", default="watch", show_default=True,
              help="Name under which the last run is remembered in the database.")
@click.option("--quiet", is_flag=True, help="No alerts on standard output.")
@click.option("--follow", is_flag=True,
              help="Keep polling the --feeds, ingesting what is new, until Ctrl-C.")
@click.option("--feeds", "feeds_path", type=click.Path(dir_okay=False), metavar="FILE",
              help="With --follow: feed paths or http(s) URLs, one a line (# comments).")
@click.option("--interval", type=click.FloatRange(min=0), default=300.0, show_default=True,
              metavar="SECONDS", help="With --follow: seconds between polls.")
@click.option("--max-polls", type=click.IntRange(min=1), metavar="N",
              help="With --follow: stop after N polls (default: never).")
@click.option("--timeout", "fetch_timeout", type=click.FloatRange(min=0, min_open=True),
              default=20.0, show_default=True, metavar="SECONDS",
              help="With --follow: most time for fetching one feed URL (per redirect hop).")
def watch_cmd(db: str, rules_path: str, jsonl: str | None, webhooks: tuple[str, ...],
              send_timeout: float, run_timeout: float, state: str, quiet: bool, follow: bool,
              feeds_path: str | None, interval: float, max_polls: int | None,
              fetch_timeout: float) -> None:
    from redline.monitor import load_rules, run_watch

    if follow != bool(feeds_path):
        raise click.UsageError("--follow and --feeds go together")
    try:
        rules = load_rules(rules_path)
        sinks = _watch_sinks(quiet, jsonl, webhooks, send_timeout)
        if follow:
            _follow(db, rules, feeds_path or "", sinks, state=state, interval=interval,
                    max_polls=max_polls, timeout=fetch_timeout, run_timeout=run_timeout)
            return
        report = run_watch(db, rules, sinks=sinks, state=state, run_timeout=run_timeout)
    except RedlineError as exc:
        raise _fail(exc) from None
    click.echo(json.dumps({"alerts": len(report.alerts), "retried": report.retried,
                           "delivered": report.delivered,
                           "undelivered": len(report.failed)}), err=True)
    _exit_if_undelivered(len(report.failed), {d.sink for d in report.failed})


def _exit_if_undelivered(count: int, sinks: set[str]) -> None:
    if count:
        click.echo(f"Error: {count} deliveries failed ({', '.join(sorted(sinks)) or 'sinks'}); "
                   "they will be retried on the next run", err=True)
        raise SystemExit(EXIT_UNDELIVERED)


def _follow(db: str, rules: Any, feeds_path: str, sinks: list[Any], **options: Any) -> None:
    from redline.monitor.follow import follow as follow_feeds
    from redline.monitor.follow import read_feed_list

    reports = follow_feeds(db, rules, read_feed_list(feeds_path), sinks=sinks, **options)
    pending = reports[-1].undelivered if reports else 0
    click.echo(json.dumps({"polls": len(reports),
                           "articles_added": sum(r.articles_added for r in reports),
                           "alerts": sum(len(r.alerts) for r in reports),
                           "undelivered": pending}), err=True)
    _exit_if_undelivered(pending, set())
