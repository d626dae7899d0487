"""Watchlist rules, evaluated on events stored since the last run, and alert sinks.

Rules live in a TOML file, one ``[[rule]]`` table each::

    [[rule]]
    name = "rus-nato-force"
    description = "any threat or use of force by RUS against NATO or a NATO member"
    source = ["RUS"]
    target = ["NATO+"]               # NATO and its member states
    rungs = ["threat", "use of force"]   # or plover = ["THREATEN", "ASSAULT"], cameo = ["13"]
    min_confidence = 0.0
    min_corroboration = 1            # distinct articles
    modality = ["asserted"]
    once = "dyad"                    # cluster (default) | dyad | rule

:func:`watch` clusters the stored events, looks at the clusters that gained an event since its
last run (the highest ``event_id`` it saw is kept in the ``monitor_watch_state`` table of the
same database), and fires each matching rule once per cluster, per dyad or per rule as
``once`` says (fired alerts are kept in ``monitor_alerts``), so running it again emits nothing
new. Both tables belong to the store's schema (:mod:`redline.store.schema`, migration 5).
"""

from __future__ import annotations

import json
import logging
import os
import sqlite3
import time
import tomllib
import urllib.error
import urllib.request
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol, TextIO

from redline.errors import RedlineError, RuleError
from redline.monitor.clusters import DEFAULT_WINDOW_DAYS, Cluster, cluster_events, load_events
from redline.monitor.ladder import RUNGS, expand_actors, rung_index
from redline.monitor.series import _cluster_matches, period_of
from redline.store.db import open_writer
from redline.store.schema import now
from redline.store.writer import transaction

log = logging.getLogger(__name__)

ONCE = ("cluster", "dyad", "rule")

@dataclass(frozen=True, slots=True)
class Rule:
    name: str
    description: str = ""
    source: tuple[str, ...] = ()
    target: tuple[str, ...] = ()
    plover: tuple[str, ...] = ()
    cameo: tuple[str, ...] = ()
    rungs: tuple[int, ...] = ()
    min_confidence: float = 0.0
    min_corroboration: int = 1
    modality: tuple[str, ...] = ("asserted",)
    once: str = "cluster"

    def matches(self, c: Cluster) -> bool:
        if c.modality not in self.modality or not _cluster_matches(c, self.source, self.target):
            return False
        if self.rungs and c.rung not in self.rungs:
            return False
        if self.plover and (c.plover_type or "").upper() not in self.plover:
            return False
        if self.cameo and not any(c.cameo.startswith(p) for p in self.cameo):
            return False
        return c.confidence >= self.min_confidence and c.corroboration >= self.min_corroboration

    def dedupe_key(self, c: Cluster) -> str:
        if self.once == "dyad":
            return f"{c.source}>{c.target}"
        if self.once == "rule":
            return self.name
        return c.key


def _list(value: Any, what: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str | int) for v in value):
        raise RuleError(f"{what} must be a string or a list of strings")
    return tuple(str(v) for v in value)


_KEYS = {"name", "description", "source", "target", "plover", "cameo", "rungs", "min_rung",
         "min_confidence", "min_corroboration", "modality", "once"}


def parse_rules(data: Mapping[str, Any], where: str = "rules") -> list[Rule]:
    """Rules from parsed TOML (a ``rule`` array of tables)."""
    tables = data.get("rule")
    if not isinstance(tables, list) or not tables:
        raise RuleError(f"{where}: no [[rule]] tables")
    rules: list[Rule] = []
    for i, t in enumerate(tables):
        at = f"{where}: rule {i + 1}"
        unknown = set(t) - _KEYS
        if unknown:
            raise RuleError(f"{at}: unknown keys {', '.join(sorted(unknown))}")
        name = t.get("name") or f"rule{i + 1}"
        try:
            rungs = tuple(rung_index(r) for r in _list(t.get("rungs"), f"{at}: rungs"))
            if "min_rung" in t:
                low = rung_index(t["min_rung"])
                rungs = tuple(sorted(set(rungs) | set(range(low, len(RUNGS)))))
        except ValueError as exc:
            raise RuleError(f"{at}: {exc}") from None
        once = t.get("once", "cluster")
        if once not in ONCE:
            raise RuleError(f"{at}: once must be one of {', '.join(ONCE)}")
        try:
            rules.append(Rule(
                name=str(name), description=str(t.get("description", "")),
                source=expand_actors(_list(t.get("source"), f"{at}: source")),
                target=expand_actors(_list(t.get("target"), f"{at}: target")),
                plover=tuple(p.upper() for p in _list(t.get("plover"), f"{at}: plover")),
                cameo=_list(t.get("cameo"), f"{at}: cameo"), rungs=rungs,
                min_confidence=float(t.get("min_confidence", 0.0)),
                min_corroboration=int(t.get("min_corroboration", 1)),
                modality=_list(t.get("modality", ["asserted"]), f"{at}: modality"),
                once=once))
        except (TypeError, ValueError) as exc:
            raise RuleError(f"{at}: {exc}") from None
    names = [r.name for r in rules]
    if len(set(names)) != len(names):
        raise RuleError(f"{where}: rule names must be unique")
    return rules


def load_rules(path: str | os.PathLike[str]) -> list[Rule]:
    """Rules from a TOML file (see the module docstring)."""
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise RuleError(f"{path}: cannot read rules ({exc.strerror})") from None
    except tomllib.TOMLDecodeError as exc:
        raise RuleError(f"{path}: not valid TOML ({exc})") from None
    return parse_rules(data, str(path))


@dataclass(slots=True)
class Alert:
    rule: str
    description: str
    period: str
    cluster: dict[str, Any]
    fired_at: str = field(default_factory=now)

    @property
    def message(self) -> str:
        c = self.cluster
        rung = RUNGS[c["rung"]] if c["rung"] is not None else "?"
        return (f"[{self.rule}] {c['date']} ({self.period}) {c['source']} -> {c['target']}: "
                f"{c['cameo']} {c['cameo_name'] or ''} ({rung}; "
                f"{c['corroboration']} articles, {c['sources']} outlets) "
                f"\"{c['evidence']}\"")

    def to_dict(self) -> dict[str, Any]:
        return {"rule": self.rule, "description": self.description, "period": self.period,
                "fired_at": self.fired_at, "message": self.message, "cluster": self.cluster}


class Sink(Protocol):
    def emit(self, alert: Alert) -> None: ...


class TerminalSink:
    """Writes each alert's message as one line to a stream (default: standard output)."""

    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream

    def emit(self, alert: Alert) -> None:
        import sys

        stream = self.stream or sys.stdout
        stream.write(alert.message + "\n")
        stream.flush()


class JsonlSink:
    """Appends each alert as one JSON line to a file."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)

    def emit(self, alert: Alert) -> None:
        with self.path.open("a", encoding="utf-8") as f:
            f.write(json.dumps(alert.to_dict(), ensure_ascii=False) + "\n")


class WebhookSink:
    """POSTs each alert as JSON to a URL, with a timeout, retrying failures (connection errors,
    timeouts, HTTP 429 and 5xx) up to ``retries`` more times with doubling waits."""

    def __init__(self, url: str, *, timeout: float = 5.0, retries: int = 3,
                 backoff: float = 0.5) -> None:
        self.url, self.timeout, self.retries, self.backoff = url, timeout, retries, backoff

    def emit(self, alert: Alert) -> None:
        body = json.dumps(alert.to_dict(), ensure_ascii=False).encode("utf-8")
        wait = self.backoff
        for attempt in range(self.retries + 1):
            req = urllib.request.Request(self.url, data=body, method="POST",
                                         headers={"Content-Type": "application/json"})
            try:
                with urllib.request.urlopen(req, timeout=self.timeout) as resp:
                    resp.read()
                return
            except urllib.error.HTTPError as exc:
                if exc.code != 429 and exc.code < 500:
                    raise RedlineError(f"webhook {self.url} refused the alert: HTTP {exc.code}"
                                       ) from None
                reason = f"HTTP {exc.code}"
            except (urllib.error.URLError, TimeoutError, OSError) as exc:
                reason = str(getattr(exc, "reason", exc))
            if attempt < self.retries:
                log.warning("webhook %s failed (%s); retrying in %.1f s", self.url, reason, wait)
                time.sleep(wait)
                wait *= 2
        raise RedlineError(f"webhook {self.url} failed {self.retries + 1} times ({reason})")


def _state(conn: sqlite3.Connection, state: str) -> int:
    row = conn.execute("SELECT last_event_id FROM monitor_watch_state WHERE state = ?",
                       (state,)).fetchone()
    return int(row[0]) if row else 0


def watch(db: str | os.PathLike[str], rules: Sequence[Rule], *, sinks: Iterable[Sink] = (),
          state: str = "watch", window_days: int = DEFAULT_WINDOW_DAYS) -> list[Alert]:
    """Evaluate ``rules`` on the events stored since the last run of ``state``; record and
    return the new alerts (ordered by event date) and send each to every sink. A sink that
    fails is logged; the alert stays recorded."""
    conn = open_writer(db)
    try:
        last = _state(conn, state)
        newest = int(conn.execute("SELECT COALESCE(MAX(event_id), 0) FROM events")
                     .fetchone()[0])
        if newest <= last:
            log.info("watch %s: no events since event %d", state, last)
            return []
        modalities = sorted({m for r in rules for m in r.modality})
        found = cluster_events(load_events(db, modalities=modalities), window_days=window_days)
        touched = [c for c in found if c.last_event_id > last]
        alerts: list[Alert] = []
        with transaction(conn):
            for rule in rules:
                for c in touched:
                    if not rule.matches(c):
                        continue
                    key = rule.dedupe_key(c)
                    if conn.execute("SELECT 1 FROM monitor_alerts WHERE state = ? AND rule = ? "
                                    "AND dedupe_key = ?", (state, rule.name, key)).fetchone():
                        continue
                    alert = Alert(rule.name, rule.description, period_of(c.date, "week")[0],
                                  c.to_dict())
                    conn.execute("INSERT INTO monitor_alerts VALUES (?, ?, ?, ?, ?, ?)",
                                 (state, rule.name, key, c.key, alert.fired_at,
                                  json.dumps(alert.to_dict(), ensure_ascii=False)))
                    alerts.append(alert)
            conn.execute("INSERT INTO monitor_watch_state (state, last_event_id, last_run_at) "
                         "VALUES (?, ?, ?) ON CONFLICT(state) DO UPDATE SET "
                         "last_event_id = excluded.last_event_id, "
                         "last_run_at = excluded.last_run_at", (state, newest, now()))
    finally:
        conn.close()
    alerts.sort(key=lambda a: (a.cluster["date"], a.rule))
    log.info("watch %s: events %d-%d, %d new alerts", state, last + 1, newest, len(alerts))
    for alert in alerts:
        for sink in sinks:
            try:
                sink.emit(alert)
            except (RedlineError, OSError) as exc:
                log.error("alert %s could not be sent: %s", alert.rule, exc)
    return alerts
