"""Check one article against a careful coder's expectations (``expected.json``).

The expectation file lists required events (constraints on source/target country or text,
CAMEO root, the event's own year), forbidden events (e.g. a threat coded as an attack in the
article's year), quotations (speaker and content words) and places. Each constraint is a
list of acceptable values; an event satisfies a rule when every constraint it names holds.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from redline.article import Article, Event
from redline.errors import InputError


@dataclass
class SeedResult:
    article: str
    required: list[tuple[str, bool, str]] = field(default_factory=list)  # id, met, by event
    forbidden: list[tuple[str, list[str]]] = field(default_factory=list)  # why, offending
    quotes: list[tuple[str, bool]] = field(default_factory=list)
    places: list[tuple[str, bool]] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return (all(ok for _, ok, _ in self.required) and not any(e for _, e in self.forbidden)
                and all(ok for _, ok in self.quotes) and all(ok for _, ok in self.places))


def _country(actor: Any) -> str | None:
    if actor is None:
        return None
    return actor.country or (actor.code[:3] if actor.code else None)


def _text(actor: Any) -> str:
    if actor is None:
        return ""
    return " ".join(x for x in (actor.text, actor.name or "") if x).lower()


def _holds(rule: dict[str, Any], e: Event) -> bool:
    checks = {
        "source_country": lambda v: _country(e.source) in v,
        "target_country": lambda v: _country(e.target) in v,
        "source_any": lambda v: any(w.lower() in _text(e.source) for w in v),
        "target_any": lambda v: any(w.lower() in _text(e.target) for w in v),
        "cameo_root": lambda v: e.cameo[:2] in v,
        "date_year": lambda v: e.date is not None and e.date.start[:4] <= str(v)
        <= e.date.end[:4],
        "modality": lambda v: e.modality in v,
    }
    return all(checks[k](v) for k, v in rule.items() if k in checks)


def check(article: Article, expected: dict[str, Any]) -> SeedResult:
    res = SeedResult(article.id)
    for rule in expected.get("events", []):
        hit = next((e for e in article.events if _holds(rule, e)), None)
        if rule.get("required", True):
            res.required.append((rule.get("id", "?"), hit is not None,
                                 f"{hit.id} {hit.cameo} {_country(hit.source)}->"
                                 f"{_country(hit.target)}" if hit else ""))
    for rule in expected.get("forbidden", []):
        bad = [f"{e.id} {e.cameo} {_country(e.source)}->{_country(e.target)}"
               for e in article.events if _holds(rule, e)]
        res.forbidden.append((rule.get("why", "forbidden"), bad))
    for q in expected.get("quotes", []):
        ok = any(any(w.lower() in q_.content.text.lower() for w in q.get("content_any", []))
                 and q_.speaker is not None
                 and any(w.lower() in _text(q_.speaker) for w in q.get("speaker_any", []))
                 for q_ in article.quotes)
        res.quotes.append((q.get("id", "?"), ok))
    for p in expected.get("places", []):
        ok = any(e.location is not None and e.location.name == p["name"]
                 and e.location.country == p.get("country", e.location.country)
                 for e in article.events)
        res.places.append((p["name"], ok))
    return res


def run_seed(folder: str | Path) -> SeedResult:
    """Code the article named in ``folder/expected.json`` and check it."""
    folder = Path(folder)
    spec_path = folder / "expected.json"
    try:
        expected = json.loads(spec_path.read_text(encoding="utf-8"))
        text = (folder / expected["article"]).read_text(encoding="utf-8")
    except (OSError, ValueError, KeyError) as exc:
        raise InputError(str(spec_path), f"cannot read the expectations: {exc}") from None
    from redline.api import code

    day = dt.date.fromisoformat(expected["date"]) if expected.get("date") else None
    return check(code(text, date=day, id=expected["article"]), expected)


def report(res: SeedResult) -> str:
    lines = [f"Seed check: {res.article}", ""]
    for rid, ok, by in res.required:
        lines.append(f"  {'ok  ' if ok else 'MISS'} {rid:4} {by}")
    for why, bad in res.forbidden:
        lines.append(f"  {'ok  ' if not bad else 'BAD '} must not: {why} {', '.join(bad)}")
    for qid, ok in res.quotes:
        lines.append(f"  {'ok  ' if ok else 'MISS'} quote {qid}")
    for name, ok in res.places:
        lines.append(f"  {'ok  ' if ok else 'MISS'} place {name}")
    met = sum(ok for _, ok, _ in res.required)
    lines += ["", f"required events {met}/{len(res.required)}, forbidden "
              f"{sum(bool(b) for _, b in res.forbidden)}, quotes "
              f"{sum(ok for _, ok in res.quotes)}/{len(res.quotes)}, places "
              f"{sum(ok for _, ok in res.places)}/{len(res.places)}: "
              f"{'PASS' if res.passed else 'FAIL'}"]
    return "\n".join(lines)
