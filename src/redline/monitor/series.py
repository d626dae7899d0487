"""Dyad series: per period, what one actor did to another, counted on event clusters."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from redline.monitor.clusters import DEFAULT_WINDOW_DAYS, Cluster, clusters
from redline.monitor.ladder import RUNGS, expand_actors
from redline.store.db import DbLike

PERIODS = ("day", "week", "month", "year")
_BARS = "▁▂▃▄▅▆▇█"
_MAX_FILL = 2000


@dataclass(slots=True)
class PeriodRow:
    """One period of a dyad series."""

    period: str
    start: str
    clusters: int = 0
    events: int = 0
    by_quad: dict[int, int] = field(default_factory=dict)
    by_plover: dict[str, int] = field(default_factory=dict)
    goldstein_sum: float = 0.0
    goldstein_mean: float | None = None
    max_rung: int | None = None
    cluster_keys: list[str] = field(default_factory=list)

    @property
    def rung_name(self) -> str | None:
        return RUNGS[self.max_rung] if self.max_rung is not None else None

    def to_dict(self) -> dict[str, Any]:
        return {
            "period": self.period, "start": self.start, "clusters": self.clusters,
            "events": self.events,
            **{f"quad{q}": self.by_quad.get(q, 0) for q in (1, 2, 3, 4)},
            "plover": dict(sorted(self.by_plover.items())),
            "goldstein_sum": round(self.goldstein_sum, 3),
            "goldstein_mean": (None if self.goldstein_mean is None
                               else round(self.goldstein_mean, 3)),
            "max_rung": self.max_rung, "rung": self.rung_name,
        }


def period_of(date: str | dt.date, by: str = "week") -> tuple[str, dt.date]:
    """The period a date falls in: its label (``2025-W07``, ``2025-02``, ...) and first day.
    Weeks are ISO weeks, starting on Monday."""
    d = date if isinstance(date, dt.date) else dt.date.fromisoformat(str(date)[:10])
    if by == "day":
        return d.isoformat(), d
    if by == "week":
        year, week, _ = d.isocalendar()
        return f"{year}-W{week:02d}", d - dt.timedelta(days=d.weekday())
    if by == "month":
        return f"{d.year:04d}-{d.month:02d}", d.replace(day=1)
    if by == "year":
        return f"{d.year:04d}", d.replace(month=1, day=1)
    raise ValueError(f"period {by!r} is not one of {', '.join(PERIODS)}")


def _next(start: dt.date, by: str) -> dt.date:
    if by == "day":
        return start + dt.timedelta(days=1)
    if by == "week":
        return start + dt.timedelta(days=7)
    if by == "month":
        return (start.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return start.replace(year=start.year + 1)


def _in(values: Sequence[str], specs: Sequence[str]) -> bool:
    return any(v.startswith(s) or v == s for v in values for s in specs)


def _cluster_matches(c: Cluster, sources: Sequence[str], targets: Sequence[str]) -> bool:
    return ((_in([c.source, *c.source_codes], sources) or not sources)
            and (_in([c.target, *c.target_codes], targets) or not targets))


def series_from_clusters(items: Iterable[Cluster], *, by: str = "week",
                         fill: bool = True) -> list[PeriodRow]:
    """Per-period rows over the given clusters, oldest first; with ``fill``, empty periods
    between the first and the last are included (unless there would be very many)."""
    rows: dict[str, PeriodRow] = {}
    scored: Counter[str] = Counter()
    for c in items:
        label, start = period_of(c.date, by)
        row = rows.setdefault(label, PeriodRow(label, start.isoformat()))
        row.clusters += 1
        row.events += len(c.event_ids)
        row.cluster_keys.append(c.key)
        if c.quad_class is not None:
            row.by_quad[c.quad_class] = row.by_quad.get(c.quad_class, 0) + 1
        if c.plover_type:
            row.by_plover[c.plover_type] = row.by_plover.get(c.plover_type, 0) + 1
        if c.goldstein is not None:
            row.goldstein_sum += c.goldstein
            scored[label] += 1
        if c.rung is not None:
            row.max_rung = c.rung if row.max_rung is None else max(row.max_rung, c.rung)
    for label, row in rows.items():
        row.goldstein_mean = row.goldstein_sum / scored[label] if scored[label] else None
    out = sorted(rows.values(), key=lambda r: r.start)
    if fill and out:
        first = dt.date.fromisoformat(out[0].start)
        last = dt.date.fromisoformat(out[-1].start)
        labels, cursor = [], first
        while cursor <= last and len(labels) <= _MAX_FILL:
            labels.append(cursor)
            cursor = _next(cursor, by)
        if len(labels) <= _MAX_FILL:
            filled = []
            for start in labels:
                label, _ = period_of(start, by)
                filled.append(rows.get(label) or PeriodRow(label, start.isoformat()))
            out = filled
    return out


def dyad_series(db: DbLike, source: str | Sequence[str], target: str | Sequence[str], *,
                by: str = "week", both_ways: bool = False, since: dt.date | str | None = None,
                until: dt.date | str | None = None, include_hypothetical: bool = False,
                window_days: int = DEFAULT_WINDOW_DAYS, fill: bool = True) -> list[PeriodRow]:
    """The series of ``source`` -> ``target`` (actor specs; ``NATO+`` for NATO and its
    members), counted on clusters; ``both_ways`` adds ``target`` -> ``source``."""
    if by not in PERIODS:
        raise ValueError(f"period {by!r} is not one of {', '.join(PERIODS)}")
    src, tgt = expand_actors(source), expand_actors(target)
    found = clusters(db, since=since, until=until, include_hypothetical=include_hypothetical,
                     window_days=window_days)
    chosen = [c for c in found if _cluster_matches(c, src, tgt)
              or (both_ways and _cluster_matches(c, tgt, src))]
    return series_from_clusters(chosen, by=by, fill=fill)


def sparkline(values: Sequence[float | int | None]) -> str:
    """A plain-text sparkline: one bar per value, scaled from 0 to the maximum
    (a space for None)."""
    nums = [v for v in values if v is not None]
    top = max(nums, default=0)
    out = []
    for v in values:
        if v is None:
            out.append(" ")
        elif top <= 0:
            out.append(_BARS[0])
        else:
            out.append(_BARS[min(len(_BARS) - 1, int(round(v / top * (len(_BARS) - 1))))])
    return "".join(out)


def top_dyads(db: DbLike, *, top: int = 10, by: str = "week",
              since: dt.date | str | None = None, until: dt.date | str | None = None,
              include_hypothetical: bool = False,
              window_days: int = DEFAULT_WINDOW_DAYS) -> list[dict[str, Any]]:
    """The ``top`` most active directed dyads (by clusters) with their highest rung, mean
    Goldstein, a count sparkline per period, and a trend: clusters in the later half of the
    periods minus the earlier half."""
    found = clusters(db, since=since, until=until, include_hypothetical=include_hypothetical,
                     window_days=window_days)
    counts = Counter((c.source, c.target) for c in found)
    all_periods = sorted({period_of(c.date, by)[0] for c in found})
    out = []
    for (s, t), n in counts.most_common(top):
        mine = [c for c in found if (c.source, c.target) == (s, t)]
        per = Counter(period_of(c.date, by)[0] for c in mine)
        values = [per.get(p, 0) for p in all_periods]
        half = len(values) // 2
        rungs = [c.rung for c in mine if c.rung is not None]
        scores = [c.goldstein for c in mine if c.goldstein is not None]
        out.append({
            "source": s, "target": t, "clusters": n, "events": sum(len(c.event_ids) for c in mine),
            "max_rung": max(rungs) if rungs else None,
            "rung": RUNGS[max(rungs)] if rungs else None,
            "goldstein_mean": round(sum(scores) / len(scores), 3) if scores else None,
            "trend": sum(values[half:]) - sum(values[:half]),
            "sparkline": sparkline(values),
        })
    return out
