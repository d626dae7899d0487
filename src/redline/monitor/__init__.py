"""Escalation monitoring over the event store: clusters, dyad series, escalation, watchlists.

    from redline import monitor

    monitor.clusters("redline.db", since="2025-01-01")       # one row per real-world event
    monitor.dyad_series("redline.db", "RUS", "NATO+", by="week")
    monitor.escalation_flags(series)                        # see redline.monitor.escalation
    monitor.top_dyads("redline.db", top=10)
    monitor.watch("redline.db", monitor.load_rules("rules.toml"), sinks=[...])
    monitor.plot_series(series, "dyad.png")                 # matplotlib, imported lazily
    monitor.follow("redline.db", rules, monitor.read_feed_list("feeds.txt"), interval=300)

Everything counts *clusters* (:mod:`~redline.monitor.clusters`), not stored events, so one
event reported by forty articles counts once. Only asserted events count unless asked
otherwise; an event counts on its own date (a historical reference on its own year).
Actor specs are a code prefix or a country (``RUS``, ``RUSMIL``, ``UKR``, ``NATO``);
``NATO+`` is NATO and its member states (see :mod:`~redline.monitor.ladder`).
"""

from __future__ import annotations

from redline.monitor.clusters import Cluster, cluster_events, clusters, load_events
from redline.monitor.escalation import EscalationFlag, escalation_flags
from redline.monitor.follow import FeedError, PollReport, fetch_feed, follow, read_feed_list
from redline.monitor.ladder import NATO_MEMBERS, RUNGS, actor_matches, expand_actors, rung_of
from redline.monitor.plot import PlotError, plot_series
from redline.monitor.series import (
    PeriodRow,
    dyad_series,
    period_of,
    series_from_clusters,
    sparkline,
    top_dyads,
)
from redline.monitor.watch import (
    Alert,
    Delivery,
    JsonlSink,
    Rule,
    TerminalSink,
    WatchReport,
    WebhookSink,
    load_rules,
    parse_rules,
    run_watch,
    watch,
)

__all__ = [
    "NATO_MEMBERS",
    "RUNGS",
    "Alert",
    "Cluster",
    "Delivery",
    "EscalationFlag",
    "FeedError",
    "JsonlSink",
    "PeriodRow",
    "PlotError",
    "PollReport",
    "Rule",
    "TerminalSink",
    "WatchReport",
    "WebhookSink",
    "actor_matches",
    "cluster_events",
    "clusters",
    "dyad_series",
    "escalation_flags",
    "expand_actors",
    "fetch_feed",
    "follow",
    "load_events",
    "load_rules",
    "parse_rules",
    "period_of",
    "plot_series",
    "read_feed_list",
    "run_watch",
    "rung_of",
    "series_from_clusters",
    "sparkline",
    "top_dyads",
    "watch",
]
