"""Event clusters: the same real-world event, reported by several articles, counted once.

Stored events are grouped when they share the source actor (country, else code), the target
actor, the CAMEO root and the modality, and their own dates lie within ``window_days`` of the
cluster's first date. A cluster's corroboration is its number of distinct articles; ``sources``
is its number of distinct outlets. Its best evidence is the event with the highest confidence.
Events lacking a source, a target or a date are not clustered (logged).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from redline.article import party_of
from redline.monitor.ladder import actor_key, rung_of
from redline.store import query_events
from redline.store.db import DbLike

log = logging.getLogger(__name__)

DEFAULT_WINDOW_DAYS = 2
ASSERTED: tuple[str, ...] = ("asserted",)
WITH_HYPOTHETICAL: tuple[str, ...] = ("asserted", "hypothetical", "future")


@dataclass(slots=True)
class Cluster:
    """One real-world event and the stored events that report it."""

    key: str
    source: str
    target: str
    cameo_root: str
    rung: int | None
    modality: str
    date: str
    date_end: str
    cameo: str
    cameo_name: str | None
    plover_type: str | None
    quad_class: int | None
    goldstein: float | None
    confidence: float
    evidence: str
    best_event_id: int
    historical: bool
    event_ids: list[int] = field(default_factory=list)
    articles: list[str] = field(default_factory=list)
    outlets: list[str] = field(default_factory=list)
    source_codes: list[str] = field(default_factory=list)
    target_codes: list[str] = field(default_factory=list)

    @property
    def corroboration(self) -> int:
        return len(self.articles)

    @property
    def sources(self) -> int:
        return len(self.outlets)

    @property
    def last_event_id(self) -> int:
        return max(self.event_ids)

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["corroboration"] = self.corroboration
        d["sources"] = self.sources
        return d


def load_events(db: DbLike, *, since: dt.date | str | None = None,
                until: dt.date | str | None = None,
                modalities: Sequence[str] = ASSERTED) -> list[dict[str, Any]]:
    """Stored events (dicts, see :func:`redline.store.query_events`) with a date, a source and
    a target, whose modality is one of ``modalities``."""
    rows = joint_dyads(query_events(db, since=since, until=until))
    out = [r for r in rows if r["modality"] in modalities]
    usable = [r for r in out if r["event_date_start"] and actor_key(r, "source")
              and actor_key(r, "target")]
    if len(usable) < len(out):
        log.info("%d events without a date, source or target are left out",
                 len(out) - len(usable))
    return usable


_ACTOR_FIELDS = ("code", "country", "sector", "name", "text", "kind", "start", "end")


def joint_dyads(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows with each joint act ("France and Germany signed a pact": one stored event per
    source, no target) also counted with each partner as its target, so the pact is in the
    FRA -> DEU and the DEU -> FRA dyads. Other rows pass unchanged.

    The partners are the event's stored ``joint_with``; a row stored before that column
    existed (NULL) falls back to the ``joint`` mark in its rule, its partners being the other
    such rows of the same sentence, evidence, code and modality."""
    out: list[dict[str, Any]] = []
    groups: dict[tuple[Any, ...], list[dict[str, Any]]] = {}
    for r in rows:
        stored = _stored_partners(r)
        if stored is None and _old_joint(r):
            groups.setdefault((r["article_id"], r.get("sentence_index"), r.get("evidence_start"),
                               r["cameo"], r["modality"]), []).append(r)
        elif stored and not r.get("target_code") and not r.get("target_country"):
            out.extend(_paired(r, stored, "") or [r])
        else:
            out.append(r)
    for members in groups.values():
        for r in members:
            out.extend(_paired(r, members, "source_") or [r])
    return out


def _stored_partners(row: dict[str, Any]) -> list[dict[str, Any]] | None:
    """A row's ``joint_with`` (a JSON list of actor objects), or None for a row stored before
    the column existed."""
    value = row.get("joint_with")
    if value is None:
        return None
    return json.loads(value) if isinstance(value, str) else list(value)


def _old_joint(row: dict[str, Any]) -> bool:
    """Whether a row stored without ``joint_with`` is a joint act, as its rule marks it."""
    return " joint" in (row.get("rule") or "") and not row.get("target_code") \
        and not row.get("target_country")


def _paired(row: dict[str, Any], partners: list[dict[str, Any]], prefix: str
            ) -> list[dict[str, Any]]:
    """``row`` once per partner of another party (each distinct party once), with that
    partner as its target; the partner's fields are ``{prefix}code``, ``{prefix}country``..."""
    own = actor_key(row, "source")
    out: list[dict[str, Any]] = []
    seen: set[str | None] = set()
    for p in partners:
        key = party_of(p.get(f"{prefix}code"), p.get(f"{prefix}country"),
                       p.get(f"{prefix}sector"))
        if key == own or key in seen:
            continue
        seen.add(key)
        pair = dict(row)
        for f in _ACTOR_FIELDS:
            pair[f"target_{f}"] = p.get(f"{prefix}{f}")
        out.append(pair)
    return out


def _key(parts: Iterable[Any]) -> str:
    return hashlib.sha1("|".join(map(str, parts)).encode()).hexdigest()[:16]


def cluster_events(events: Iterable[Mapping[str, Any]], *,
                   window_days: int = DEFAULT_WINDOW_DAYS) -> list[Cluster]:
    """Group event rows into clusters (see the module docstring), ordered by date."""
    groups: dict[tuple[str, str, str, str], list[Mapping[str, Any]]] = {}
    for e in events:
        src, tgt = actor_key(e, "source"), actor_key(e, "target")
        if not (src and tgt and e.get("event_date_start")):
            continue
        groups.setdefault((src, tgt, e["cameo_root"], e["modality"]), []).append(e)
    out: list[Cluster] = []
    for (src, tgt, root, modality), rows in groups.items():
        rows = sorted(rows, key=lambda r: (r["event_date_start"], r["event_id"]))
        current: list[Mapping[str, Any]] = []
        first: dt.date | None = None
        for r in rows:
            d = dt.date.fromisoformat(r["event_date_start"][:10])
            if first is not None and (d - first).days > window_days:
                out.append(_make(src, tgt, root, modality, current))
                current, first = [], None
            if first is None:
                first = d
            current.append(r)
        if current:
            out.append(_make(src, tgt, root, modality, current))
    out.sort(key=lambda c: (c.date, c.best_event_id))
    return out


def _make(src: str, tgt: str, root: str, modality: str,
          rows: list[Mapping[str, Any]]) -> Cluster:
    best = max(rows, key=lambda r: (r.get("confidence") or 0.0, -r["event_id"]))
    cameos = Counter(r["cameo"] for r in rows)
    cameo = max(cameos, key=lambda c: (cameos[c], len(c), c))
    date = min(r["event_date_start"] for r in rows)
    date_end = max(r.get("event_date_end") or r["event_date_start"] for r in rows)
    scores = [r["goldstein"] for r in rows if r.get("goldstein") is not None]
    return Cluster(
        key=_key((src, tgt, root, modality, date)),
        source=src, target=tgt, cameo_root=root, rung=rung_of(root), modality=modality,
        date=date, date_end=date_end, cameo=cameo,
        cameo_name=next((r.get("cameo_name") for r in rows if r["cameo"] == cameo), None),
        plover_type=best.get("plover_type"), quad_class=best.get("quad_class"),
        goldstein=round(sum(scores) / len(scores), 3) if scores else None,
        confidence=float(best.get("confidence") or 0.0),
        evidence=best.get("evidence_text") or "", best_event_id=best["event_id"],
        historical=any(r.get("historical") for r in rows),
        event_ids=sorted(r["event_id"] for r in rows),
        articles=sorted({r["article_id"] for r in rows}),
        outlets=sorted({r.get("article_source") or r["article_id"] for r in rows}),
        source_codes=sorted({r["source_code"] for r in rows if r.get("source_code")}),
        target_codes=sorted({r["target_code"] for r in rows if r.get("target_code")}),
    )


def clusters(db: DbLike, *, since: dt.date | str | None = None,
             until: dt.date | str | None = None, include_hypothetical: bool = False,
             window_days: int = DEFAULT_WINDOW_DAYS) -> list[Cluster]:
    """The event clusters in the store (only asserted events unless ``include_hypothetical``:
    then hypothetical and future ones too, in clusters of their own)."""
    mods = WITH_HYPOTHETICAL if include_hypothetical else ASSERTED
    return cluster_events(load_events(db, since=since, until=until, modalities=mods),
                          window_days=window_days)
