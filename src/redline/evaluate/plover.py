"""PLOVER GSR: event types per record, (source, type, target) triples, event location.

Conventions (``/work/shared/eval/README.md`` of the project's evaluation data):

* types: per record, the set of PLOVER types among the counted events against the gold
  type; micro P/R/F1 over records, and per type.
* triples: (source country, PLOVER type, target country), country = the actor's ``country``
  or the first three letters of its ``code``. Gold triples are the product of the source
  members x target members; an empty side is ``None`` (see
  :func:`redline.evaluate.scoring.gold_triples`). A predicted event without a source or
  target, or with an actor that has no code, gives ``None`` on that side in the same way.
* location: for records with an ``event_location``, the share where some counted event's
  ``location.country`` equals the gold place's country (from its ISO2 code, else its name);
  gold places whose country cannot be told are listed and left out.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from redline.article import Article
from redline.evaluate.coding import counted_events
from redline.evaluate.gold import PloverRecord
from redline.evaluate.places import place_country
from redline.evaluate.scoring import (
    PRF,
    Miss,
    clip,
    event_triple,
    gold_triples,
    micro_prf,
    per_label_prf,
    set_confusions,
)


@dataclass(slots=True)
class LocationScore:
    records: int = 0  # records with a gold location
    resolved: int = 0  # ... whose gold country could be told
    correct: int = 0
    unresolved: list[str] = field(default_factory=list)

    @property
    def accuracy(self) -> float:
        return self.correct / self.resolved if self.resolved else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {"records": self.records, "resolved": self.resolved, "correct": self.correct,
                "accuracy": round(self.accuracy, 4), "unresolved": list(self.unresolved)}


@dataclass(slots=True)
class PloverResult:
    modality: str
    records: int
    micro: PRF
    per_type: dict[str, PRF]
    triples: PRF
    confusions: list[tuple[str, str, int]]
    misses: list[Miss]
    location: LocationScore

    def to_dict(self) -> dict[str, Any]:
        return {
            "set": "plover",
            "modality": self.modality,
            "records": self.records,
            "micro": self.micro.to_dict(),
            "per_type": {k: v.to_dict() for k, v in sorted(self.per_type.items())},
            "triples": self.triples.to_dict(),
            "confusions": [{"gold": g, "predicted": p, "count": n}
                           for g, p, n in self.confusions],
            "location": self.location.to_dict(),
            "misses": [m.to_dict() for m in self.misses],
        }


def items(records: Sequence[PloverRecord]) -> list[dict[str, Any]]:
    """What redline codes: one article per record (the set gives no dates)."""
    return [{"id": r.id, "text": r.text, "date": None} for r in records]


def score(records: Sequence[PloverRecord], articles: Sequence[Article], modality: str = "all",
          top_confusions: int = 10) -> PloverResult:
    """Score coded ``articles`` (in the order of ``records``) against the PLOVER gold."""
    if len(records) != len(articles):
        raise ValueError("one coded article per gold record is needed")
    type_pairs = []
    triple_pairs = []
    confusions: Counter[tuple[str, str]] = Counter()
    misses = []
    location = LocationScore()
    for rec, art in zip(records, articles, strict=True):
        events = counted_events(art, modality)
        pred_types = {e.plover.type for e in events if e.plover is not None}
        type_pairs.append(({rec.event}, pred_types))
        gold = gold_triples([a.country for a in rec.source], rec.event,
                            [a.country for a in rec.target])
        pred = {t for e in events if (t := event_triple(e)) is not None}
        triple_pairs.append((gold, pred))
        pairs = set_confusions(rec.event, pred_types)
        confusions.update(pairs)
        if pairs:
            misses.append(Miss(rec.id, rec.event, tuple(sorted(pred_types)), clip(rec.text)))
        if rec.location is not None:
            location.records += 1
            country = place_country(rec.location.name, rec.location.country_code)
            if country is None:
                location.unresolved.append(rec.location.name)
                continue
            location.resolved += 1
            if any(e.location is not None and (e.location.country or "").upper() == country
                   for e in events):
                location.correct += 1
    top = sorted(confusions.items(), key=lambda kv: (-kv[1], kv[0]))[:top_confusions]
    return PloverResult(
        modality=modality,
        records=len(records),
        micro=micro_prf(type_pairs),
        per_type={str(k): v for k, v in per_label_prf(type_pairs).items()},
        triples=micro_prf(triple_pairs),
        confusions=[(g, p, n) for (g, p), n in top],
        misses=misses,
        location=location,
    )
