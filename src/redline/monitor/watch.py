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

:func:`run_watch` clusters the stored events, looks at the clusters that gained an event since
its last run (the highest ``event_id`` it saw is kept in the ``monitor_watch_state`` table of
the same database), and fires each matching rule once per cluster, per dyad or per rule as
``once`` says (fired alerts are kept in ``monitor_alerts``), so running it again fires nothing
new. Each alert is then delivered at least once to each sink: ``monitor_deliveries`` holds one
row per alert and sink, marked delivered only after the sink took the alert, so an alert a
webhook did not take is sent again on the next run, to that webhook only. The tables belong to
the store's schema (:mod:`redline.store.schema`, migrations 5 and 6).

Every field of a rule is checked when the file is loaded (:func:`load_rules`): wrong TOML
types, unknown keys or values, empty lists, blank strings (which would match everything),
out-of-range numbers and files that are not small regular UTF-8 files are each one
:class:`RuleError` line naming the file, the rule and the field.

Sending is bounded: one alert to one webhook takes at most ``send timeout`` seconds, retries
included (:mod:`redline.monitor.net`); each sink sends from its own threads, so a hanging
webhook holds up no other sink; a run stops sending after ``run_timeout`` seconds; a sink that
fails :data:`MAX_CONSECUTIVE_FAILURES` times in a row is not tried again in that run.
"""

from __future__ import annotations

import collections
import dataclasses
import http.client
import json
import logging
import math
import os
import queue
import sqlite3
import stat
import threading
import time
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol, TextIO

from redline.article import MODALITIES
from redline.errors import DeliveryError, RedlineError, RuleError
from redline.monitor.clusters import DEFAULT_WINDOW_DAYS, Cluster, cluster_events, load_events
from redline.monitor.ladder import RUNGS, expand_actors, rung_index
from redline.monitor.net import RequestTimeout, check_url, request
from redline.monitor.series import _cluster_matches, period_of
from redline.store.db import open_writer
from redline.store.schema import now
from redline.store.writer import transaction

log = logging.getLogger(__name__)

ONCE = ("cluster", "dyad", "rule")
DEFAULT_SEND_TIMEOUT = 10.0
"""Seconds one alert may take to reach one webhook, retries included."""
DEFAULT_RUN_TIMEOUT = 120.0
"""Seconds one run may spend sending; what is unsent then is retried on the next run."""
DEFAULT_SEND_WORKERS = 4
"""Alerts sent to one webhook at once."""
MAX_CONSECUTIVE_FAILURES = 3
"""A sink that fails this many times in a row is not tried again until the next run."""

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


MAX_RULES_BYTES = 1_000_000
"""The largest rules file :func:`load_rules` reads."""

_KEYS = ("name", "description", "source", "target", "plover", "cameo", "rungs", "min_rung",
         "min_confidence", "min_corroboration", "modality", "once")
_TOML_KINDS = ((bool, "a boolean"), (int, "an integer"), (float, "a number with a fraction"),
               (str, "a string"), (list, "a list"), (dict, "a table"))


def _kind(value: Any) -> str:
    """The TOML type of ``value``, for messages (bool first: it is an int in Python)."""
    return next((name for t, name in _TOML_KINDS if isinstance(value, t)), "a date or time")


def _shown(text: str) -> str:
    return text if text.isprintable() else repr(text)


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _strings(t: Mapping[str, Any], key: str, at: str, *, split: bool = False
             ) -> tuple[str, ...]:
    """``t[key]``: a string or a non-empty list of non-blank strings (with ``split``, each
    split on commas: ``"RUS, POL"``); () when absent."""
    if key not in t:
        return ()
    value = t[key]
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list):
        raise RuleError(f"{at}: {key} must be a string or a list of strings, not {_kind(value)}")
    if not items:
        raise RuleError(f"{at}: {key} is an empty list; leave {key} out to match any")
    for item in items:
        if not isinstance(item, str):
            raise RuleError(f"{at}: {key} must list strings, not {_kind(item)}")
    parts = [p for item in items for p in (item.split(",") if split else [item])]
    if any(not p.strip() for p in parts):
        raise RuleError(f"{at}: {key} has an empty string (it would match everything)")
    return tuple(p.strip() for p in parts)


def _rung(value: Any, key: str, at: str) -> int:
    if not (_is_int(value) or isinstance(value, str)):
        raise RuleError(f"{at}: {key} must be a rung name or a whole number 0-"
                        f"{len(RUNGS) - 1}, not {_kind(value)}")
    try:
        return rung_index(value)
    except ValueError as exc:
        raise RuleError(f"{at}: {key}: {exc}") from None


def _rungs(t: Mapping[str, Any], at: str) -> tuple[int, ...]:
    value = t.get("rungs")
    items = value if isinstance(value, list) else ([] if value is None else [value])
    if isinstance(value, list) and not value:
        raise RuleError(f"{at}: rungs is an empty list; leave rungs out to match any")
    rungs = {_rung(v, "rungs", at) for v in items}
    if "min_rung" in t:
        rungs |= set(range(_rung(t["min_rung"], "min_rung", at), len(RUNGS)))
    return tuple(sorted(rungs))


def _cameo(t: Mapping[str, Any], at: str) -> tuple[str, ...]:
    if _is_int(t.get("cameo")) or (isinstance(t.get("cameo"), list)
                                    and any(_is_int(v) for v in t["cameo"])):
        raise RuleError(f'{at}: cameo codes must be strings (cameo = ["13"], "0" kept)')
    codes = _strings(t, "cameo", at)
    bad = next((c for c in codes if not (c.isascii() and c.isdigit() and 2 <= len(c) <= 4)),
               None)
    if bad is not None:
        raise RuleError(f"{at}: cameo {_shown(bad)!r} is not a CAMEO code (2 to 4 digits)")
    return codes


def _modality(t: Mapping[str, Any], at: str) -> tuple[str, ...]:
    valid = ", ".join(MODALITIES)
    if t.get("modality") == []:
        raise RuleError(f"{at}: modality is an empty list, which matches nothing; use one or "
                        f"more of {valid}")
    found = _strings(t, "modality", at) or ("asserted",)
    bad = next((m for m in found if m not in MODALITIES), None)
    if bad is not None:
        raise RuleError(f"{at}: modality {_shown(bad)!r} is not one of {valid}")
    return found


def _number(t: Mapping[str, Any], key: str, at: str, default: float, low: float,
            high: float, *, whole: bool = False) -> float:
    value = t.get(key, default)
    kind = "a whole number" if whole else "a number"
    if isinstance(value, bool) or not isinstance(value, int | float) or (
            whole and not _is_int(value)):
        raise RuleError(f"{at}: {key} must be {kind}, not {_kind(value)} ({value!r})")
    if not math.isfinite(value) or not low <= value <= high:
        raise RuleError(f"{at}: {key} = {value!r} is not between {low:g} and {high:g}")
    return value


def _text(t: Mapping[str, Any], key: str, at: str, default: str) -> str:
    value = t.get(key, default)
    if not isinstance(value, str):
        raise RuleError(f"{at}: {key} must be a string, not {_kind(value)}")
    return value


def _parse_rule(t: Mapping[str, Any], at: str, default_name: str) -> Rule:
    unknown = sorted(_shown(str(k)) for k in set(t) - set(_KEYS))
    if unknown:
        raise RuleError(f"{at}: unknown keys {', '.join(unknown)}; known keys: "
                        f"{', '.join(_KEYS)}")
    once = _text(t, "once", at, "cluster")
    if once not in ONCE:
        raise RuleError(f"{at}: once must be one of {', '.join(ONCE)}, not {_shown(once)!r}")
    return Rule(
        name=default_name, description=_text(t, "description", at, ""),
        source=expand_actors(_strings(t, "source", at, split=True)),
        target=expand_actors(_strings(t, "target", at, split=True)),
        plover=tuple(p.upper() for p in _strings(t, "plover", at)),
        cameo=_cameo(t, at), rungs=_rungs(t, at),
        min_confidence=float(_number(t, "min_confidence", at, 0.0, 0.0, 1.0)),
        min_corroboration=int(_number(t, "min_corroboration", at, 1, 1, 1_000_000,
                                      whole=True)),
        modality=_modality(t, at), once=once)


def _rule_name(t: Mapping[str, Any], at: str, index: int) -> str:
    name = t.get("name", f"rule{index}")
    if not isinstance(name, str):
        raise RuleError(f"{at}: name must be a string, not {_kind(name)}")
    if not name.strip() or not name.isprintable() or len(name) > 200:
        raise RuleError(f"{at}: name must be 1 to 200 printable characters")
    return name


def parse_rules(data: Mapping[str, Any], where: str = "rules") -> list[Rule]:
    """Rules from parsed TOML (a ``rule`` array of tables); :class:`RuleError` names the
    file, the rule and the field of the first fault."""
    other = sorted(_shown(str(k)) for k in set(data) - {"rule"})
    if other:
        raise RuleError(f"{where}: unknown top-level keys {', '.join(other)}; "
                        "write each rule as a [[rule]] table")
    tables = data.get("rule")
    if not isinstance(tables, list) or not tables:
        raise RuleError(f"{where}: no [[rule]] tables")
    rules: list[Rule] = []
    for i, t in enumerate(tables, 1):
        at = f"{where}: rule {i}"
        if not isinstance(t, dict):
            raise RuleError(f"{at}: must be a table ([[rule]]), not {_kind(t)}")
        name = _rule_name(t, at, i)
        at = f"{where}: rule {i} ({name})" if "name" in t else at
        rule = _parse_rule(t, at, name)
        if any(r.name == name for r in rules):
            raise RuleError(f"{at}: rule names must be unique")
        rules.append(rule)
    return rules


def _read_rules_text(path: str) -> str:
    """The rules file's text: a regular file, at most :data:`MAX_RULES_BYTES`, UTF-8."""
    try:
        st = os.stat(path)
        if not stat.S_ISREG(st.st_mode):
            raise RuleError(f"{path}: not a regular file; rules must be a TOML file")
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(fd, "rb") as f:
            if not stat.S_ISREG(os.fstat(f.fileno()).st_mode):  # swapped since the stat
                raise RuleError(f"{path}: not a regular file; rules must be a TOML file")
            raw = f.read(MAX_RULES_BYTES + 1)
    except OSError as exc:
        raise RuleError(f"{path}: cannot read rules ({exc.strerror or exc})") from None
    if len(raw) > MAX_RULES_BYTES:
        raise RuleError(f"{path}: rules file is larger than {MAX_RULES_BYTES} bytes")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise RuleError(f"{path}: not UTF-8 text (byte {exc.start})") from None


def load_rules(path: str | os.PathLike[str]) -> list[Rule]:
    """Rules from a TOML file (see the module docstring); any fault is one
    :class:`RuleError` line naming the file, the rule and the field."""
    where = os.fspath(path)
    text = _read_rules_text(where)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise RuleError(f"{where}: not valid TOML ({exc})") from None
    except RecursionError:
        raise RuleError(f"{where}: not valid TOML (nested too deeply)") from None
    return parse_rules(data, where)


@dataclass(slots=True)
class Alert:
    rule: str
    description: str
    period: str
    cluster: dict[str, Any]
    fired_at: str = field(default_factory=now)
    dedupe_key: str = field(default="", compare=False)  # with rule: the alert's record

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
    """Where alerts go. ``emit`` raises (:class:`~redline.errors.RedlineError` or
    :class:`OSError`) when the alert did not get there. A sink may also have ``name`` (its
    identity in the delivery records; default: its class name) and ``workers`` (how many
    alerts it takes at once; default 1)."""

    def emit(self, alert: Alert) -> None: ...


class TerminalSink:
    """Writes each alert's message as one line to a stream (default: standard output)."""

    name = "terminal"

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
        self.name = f"jsonl:{self.path.resolve()}"

    def emit(self, alert: Alert) -> None:
        with self.path.open("a", encoding="utf-8") as f:
            f.write(json.dumps(alert.to_dict(), ensure_ascii=False) + "\n")


class WebhookSink:
    """POSTs each alert as JSON to an http(s) URL (checked when the sink is made: a bad URL
    is a :class:`~redline.errors.ConfigError`). One alert takes at most ``timeout`` seconds
    in all, retries included; connection errors, HTTP 429 and 5xx are retried up to
    ``retries`` more times with doubling waits while time is left. Redirects are never
    followed: a 3xx is a failed delivery. Up to ``workers`` alerts are sent at once."""

    def __init__(self, url: str, *, timeout: float = DEFAULT_SEND_TIMEOUT, retries: int = 2,
                 backoff: float = 0.5, workers: int = DEFAULT_SEND_WORKERS) -> None:
        self.url = check_url(url, "webhook")
        self.timeout, self.retries, self.backoff = timeout, retries, backoff
        self.workers = workers
        self.name = f"webhook:{url}"

    def _attempt(self, body: bytes, remaining: float) -> str | None:
        """One POST: None when delivered, else why it failed and may be retried."""
        try:
            resp = request("POST", self.url, body=body, timeout=remaining,
                           headers={"Content-Type": "application/json"})
        except RequestTimeout:
            raise DeliveryError(f"webhook {self.url}: no complete answer within "
                                f"{self.timeout:g} s") from None
        except (OSError, http.client.HTTPException) as exc:
            return str(exc) or type(exc).__name__
        if 200 <= resp.status < 300:
            return None
        if 300 <= resp.status < 400:
            raise DeliveryError(f"webhook {self.url} answered HTTP {resp.status} (redirect to "
                                f"{resp.location!r}), which is not followed")
        if resp.status != 429 and resp.status < 500:
            raise DeliveryError(f"webhook {self.url} refused the alert: HTTP {resp.status}")
        return f"HTTP {resp.status}"

    def emit(self, alert: Alert) -> None:
        body = json.dumps(alert.to_dict(), ensure_ascii=False).encode("utf-8")
        deadline = time.monotonic() + self.timeout
        wait, tries, reason = self.backoff, 0, "no time left"
        while tries <= self.retries:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                break
            tries += 1
            failed = self._attempt(body, remaining)
            if failed is None:
                return
            reason = failed
            if tries <= self.retries and wait < deadline - time.monotonic():
                log.warning("webhook %s failed (%s); retrying in %.1f s", self.url, reason, wait)
                time.sleep(wait)
                wait *= 2
            else:
                break
        raise DeliveryError(f"webhook {self.url} failed {tries} times ({reason})")


def sink_name(sink: Sink) -> str:
    """A sink's identity in the ``monitor_deliveries`` table."""
    return str(getattr(sink, "name", None) or type(sink).__qualname__)


# --- delivery -----------------------------------------------------------------------------


@dataclass(slots=True)
class Delivery:
    """One alert to one sink: sent this run (``delivered``) or not (``error`` says why)."""

    rule: str
    dedupe_key: str
    sink: str
    alert: Alert
    attempts: int = 0
    delivered: bool = False
    error: str | None = None


@dataclass(slots=True)
class WatchReport:
    """What one run did: the new alerts, how many earlier ones were sent again, and the
    deliveries that failed (they stay pending for the next run)."""

    alerts: list[Alert] = field(default_factory=list)
    retried: int = 0
    delivered: int = 0
    failed: list[Delivery] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failed


class _SinkQueue:
    """Sends one sink's deliveries from ``workers`` daemon threads, until the queue is empty,
    the run's deadline passes or the sink failed :data:`MAX_CONSECUTIVE_FAILURES` times in a
    row (the rest are then reported as not tried, to be retried on the next run)."""

    def __init__(self, sink: Sink, items: Sequence[Delivery], results: queue.Queue[Delivery],
                 deadline: float) -> None:
        self.sink, self.results, self.deadline = sink, results, deadline
        self.items = collections.deque(items)
        self.lock = threading.Lock()
        self.failures_in_a_row = 0

    def start(self) -> None:
        workers = max(1, min(int(getattr(self.sink, "workers", 1)), len(self.items)))
        for _ in range(workers):
            threading.Thread(target=self._work, daemon=True,
                             name=f"redline-sink-{sink_name(self.sink)[:40]}").start()

    def _next(self) -> Delivery | None:
        with self.lock:
            if not self.items or time.monotonic() >= self.deadline:
                return None
            if self.failures_in_a_row >= MAX_CONSECUTIVE_FAILURES:
                while self.items:
                    skipped = self.items.popleft()
                    skipped.error = (f"not tried: {sink_name(self.sink)} failed "
                                     f"{self.failures_in_a_row} times in a row this run")
                    self.results.put(skipped)
                return None
            return self.items.popleft()

    def _work(self) -> None:
        while (d := self._next()) is not None:
            d.attempts += 1
            try:
                self.sink.emit(d.alert)
                d.delivered, d.error = True, None
            except Exception as exc:  # noqa: BLE001 - a sink's failure is this delivery's
                if not isinstance(exc, RedlineError | OSError):
                    log.error("sink %s crashed", sink_name(self.sink), exc_info=True)
                d.error = str(exc) or type(exc).__name__
            with self.lock:
                self.failures_in_a_row = 0 if d.delivered else self.failures_in_a_row + 1
            self.results.put(d)


def _record(conn: sqlite3.Connection, state: str, d: Delivery) -> None:
    conn.execute("UPDATE monitor_deliveries SET attempts = attempts + ?, last_error = ?, "
                 "delivered_at = ? WHERE state = ? AND rule = ? AND dedupe_key = ? "
                 "AND sink = ?", (d.attempts, d.error, now() if d.delivered else None, state,
                                  d.rule, d.dedupe_key, d.sink))


def send(conn: sqlite3.Connection, state: str, sinks: Mapping[str, Sink],
         pending: Sequence[Delivery], run_timeout: float) -> list[Delivery]:
    """Send ``pending`` deliveries, each sink's from its own threads (a hanging sink does not
    hold the others), recording each outcome in ``monitor_deliveries`` as it comes; stop
    waiting after ``run_timeout`` seconds (what is unsent then stays pending). Returns the
    outcomes as recorded: one not back by then is a failure, whatever its thread does later."""
    deadline = time.monotonic() + run_timeout
    results: queue.Queue[Delivery] = queue.Queue()
    for name in dict.fromkeys(d.sink for d in pending):
        _SinkQueue(sinks[name], [d for d in pending if d.sink == name], results,
                   deadline).start()
    done: dict[int, Delivery] = {}
    for _ in pending:
        try:
            d = results.get(timeout=max(0.0, deadline - time.monotonic()))
        except queue.Empty:
            break
        _record(conn, state, d)
        done[id(d)] = dataclasses.replace(d)
    late = f"not sent within the run's time limit ({run_timeout:g} s)"
    return [done.get(id(d)) or Delivery(d.rule, d.dedupe_key, d.sink, d.alert, error=late)
            for d in pending]


def _state(conn: sqlite3.Connection, state: str) -> int:
    row = conn.execute("SELECT last_event_id FROM monitor_watch_state WHERE state = ?",
                       (state,)).fetchone()
    return int(row[0]) if row else 0


def _fire(conn: sqlite3.Connection, db: str | os.PathLike[str], rules: Sequence[Rule],
          state: str, window_days: int, sinks: Sequence[str]) -> list[Alert]:
    """Evaluate the rules on the clusters touched since the last run; record the new alerts,
    one pending delivery per alert and sink, and the new state, in one transaction."""
    last = _state(conn, state)
    newest = int(conn.execute("SELECT COALESCE(MAX(event_id), 0) FROM events").fetchone()[0])
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
                              c.to_dict(), dedupe_key=key)
                conn.execute("INSERT INTO monitor_alerts VALUES (?, ?, ?, ?, ?, ?)",
                             (state, rule.name, key, c.key, alert.fired_at,
                              json.dumps(alert.to_dict(), ensure_ascii=False)))
                conn.executemany("INSERT INTO monitor_deliveries (state, rule, dedupe_key, "
                                 "sink) VALUES (?, ?, ?, ?)",
                                 [(state, rule.name, key, s) for s in sinks])
                alerts.append(alert)
        conn.execute("INSERT INTO monitor_watch_state (state, last_event_id, last_run_at) "
                     "VALUES (?, ?, ?) ON CONFLICT(state) DO UPDATE SET "
                     "last_event_id = excluded.last_event_id, "
                     "last_run_at = excluded.last_run_at", (state, newest, now()))
    alerts.sort(key=lambda a: (a.cluster["date"], a.rule))
    log.info("watch %s: events %d-%d, %d new alerts", state, last + 1, newest, len(alerts))
    return alerts


def _alert_of(row: str, key: str) -> Alert:
    d = json.loads(row)
    return Alert(d["rule"], d.get("description", ""), d["period"], d["cluster"],
                 d.get("fired_at") or now(), dedupe_key=key)


def pending_deliveries(conn: sqlite3.Connection, state: str,
                       sinks: Sequence[str]) -> list[Delivery]:
    """The deliveries of ``state`` not yet made to ``sinks``, oldest event first; pending
    deliveries to other sinks (not given this run) are logged."""
    rows = conn.execute(
        "SELECT d.rule, d.dedupe_key, d.sink, a.alert FROM monitor_deliveries d "
        "JOIN monitor_alerts a USING (state, rule, dedupe_key) "
        "WHERE d.state = ? AND d.delivered_at IS NULL", (state,)).fetchall()
    out = [Delivery(rule, key, sink, _alert_of(alert, key)) for rule, key, sink, alert in rows
           if sink in sinks]
    others = sorted({r[2] for r in rows if r[2] not in sinks})
    for other in others:
        log.warning("watch %s: alerts wait for %s, which this run does not send to", state,
                    other)
    out.sort(key=lambda d: (d.alert.cluster.get("date") or "", d.rule, d.dedupe_key))
    return out


def _sinks_by_name(sinks: Iterable[Sink]) -> dict[str, Sink]:
    named: dict[str, Sink] = {}
    for sink in sinks:
        named.setdefault(sink_name(sink), sink)  # the same URL or file twice: once
    return named


def run_watch(db: str | os.PathLike[str], rules: Sequence[Rule], *,
              sinks: Iterable[Sink] = (), state: str = "watch",
              window_days: int = DEFAULT_WINDOW_DAYS,
              run_timeout: float = DEFAULT_RUN_TIMEOUT) -> WatchReport:
    """Evaluate ``rules`` on the events stored since the last run of ``state``, record the
    new alerts, and deliver them, and every earlier alert a sink of this run has not yet
    taken, to the ``sinks`` (at least once per sink: an alert is marked delivered to a sink
    only after the sink took it). Sending stops after ``run_timeout`` seconds."""
    named = _sinks_by_name(sinks)
    conn = open_writer(db)
    try:
        alerts = _fire(conn, db, rules, state, window_days, list(named))
        pending = send(conn, state, named, pending_deliveries(conn, state, list(named)),
                       run_timeout)
    finally:
        conn.close()
    new = {(a.rule, a.dedupe_key) for a in alerts}
    report = WatchReport(alerts=alerts, delivered=sum(d.delivered for d in pending),
                         failed=[d for d in pending if not d.delivered])
    report.retried = len({(d.rule, d.dedupe_key) for d in pending} - new)
    for d in report.failed:
        log.error("alert %s (%s) not delivered to %s: %s", d.rule, d.alert.period, d.sink,
                  d.error)
    return report


def watch(db: str | os.PathLike[str], rules: Sequence[Rule], *, sinks: Iterable[Sink] = (),
          state: str = "watch", window_days: int = DEFAULT_WINDOW_DAYS,
          run_timeout: float = DEFAULT_RUN_TIMEOUT) -> list[Alert]:
    """The new alerts of :func:`run_watch` (ordered by event date), which also sends them;
    a failed delivery is logged and retried on the next run."""
    return run_watch(db, rules, sinks=sinks, state=state, window_days=window_days,
                     run_timeout=run_timeout).alerts
