"""CASE 2021 task 2: ACLED-style sub-event types from redline events.

Each event is mapped with ``data/acled_map.tsv``; a snippet's predicted label is the mapped
type of its most confident mapped event, else ``(none)``. "Conflict-event recall" is the
share of snippets with a conflict label (:data:`CONFLICT_LABELS`) for which redline coded any
counted event of quad class 4 (material conflict).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from redline.article import Article, Event
from redline.errors import KnowledgeBaseError
from redline.evaluate.coding import counted_events
from redline.evaluate.gold import LabelledSnippet
from redline.evaluate.scoring import Miss, accuracy, clip

NONE = "(none)"

#: The set's 30 sub-event type names (ACLED sub-event types plus a few of its own).
LABELS: frozenset[str] = frozenset({
    "ABDUCT_DISSAP", "AGREEMENT", "AIR_STRIKE", "ARMED_CLASH", "ARREST", "ART_MISS_ATTACK",
    "ATTACK", "ATTRIB", "CHANGE_TO_GROUP_ACT", "CHEM_WEAP", "DIPLO", "DISR_WEAP",
    "FORCE_AGAINST_PROTEST", "GOV_REGAINS_TERIT", "GRENADE", "HQ_ESTABLISHED",
    "MAN_MADE_DISASTER", "MOB_VIOL", "NATURAL_DISASTER", "NON_STATE_ACTOR_OVERTAKES_TER",
    "NON_VIOL_TERRIT_TRANSFER", "ORG_CRIME", "OTHER", "PEACE_PROTEST", "PROPERTY_DISTRUCT",
    "PROTEST_WITH_INTER", "REM_EXPLOS", "SEX_VIOL", "SUIC_BOMB", "VIOL_DEMONSTR",
})

#: Labels of events that are physical political violence or coercion, which redline should
#: code as material conflict (CAMEO roots 15-20). Left out: DIPLO, AGREEMENT, ATTRIB (words,
#: not force), ORG_CRIME (not political), NATURAL_DISASTER, MAN_MADE_DISASTER, OTHER, and the
#: non-violent strategic developments HQ_ESTABLISHED, CHANGE_TO_GROUP_ACT,
#: NON_VIOL_TERRIT_TRANSFER, DISR_WEAP; PEACE_PROTEST too, as CAMEO protest (14) is verbal
#: conflict (quad 3). Protests met with force and riots stay in.
CONFLICT_LABELS: frozenset[str] = frozenset({
    "ARMED_CLASH", "GOV_REGAINS_TERIT", "NON_STATE_ACTOR_OVERTAKES_TER",
    "AIR_STRIKE", "ART_MISS_ATTACK", "SUIC_BOMB", "REM_EXPLOS", "GRENADE", "CHEM_WEAP",
    "ATTACK", "ABDUCT_DISSAP", "SEX_VIOL",
    "VIOL_DEMONSTR", "MOB_VIOL", "PROTEST_WITH_INTER", "FORCE_AGAINST_PROTEST",
    "ARREST", "PROPERTY_DISTRUCT",
})


@dataclass(frozen=True, slots=True)
class AcledMap:
    """The mapping table: CAMEO prefixes, PLOVER type+mode and PLOVER type rows."""

    cameo: dict[str, str]
    plover_mode: dict[tuple[str, str], str]
    plover_any: dict[str, str]

    def label(self, event: Event) -> str | None:
        """ACLED-style label of one event, or None when no row covers it."""
        p = event.plover
        if p is not None and p.mode and (p.type, p.mode) in self.plover_mode:
            return self.plover_mode[(p.type, p.mode)]
        code = event.cameo or ""
        for n in range(len(code), 1, -1):
            if code[:n] in self.cameo:
                return self.cameo[code[:n]]
        if p is not None:
            return self.plover_any.get(p.type)
        return None

    @property
    def labels(self) -> set[str]:
        return {*self.cameo.values(), *self.plover_mode.values(), *self.plover_any.values()}


def parse_acled_map(text: str, source: str = "acled_map.tsv") -> AcledMap:
    """Parse the mapping table (see the header of ``data/acled_map.tsv``)."""
    cameo: dict[str, str] = {}
    plover_mode: dict[tuple[str, str], str] = {}
    plover_any: dict[str, str] = {}
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith("#") or line.startswith("key\t"):
            continue
        parts = [p.strip() for p in line.split("\t")]
        if len(parts) != 3 or not all(parts):
            raise KnowledgeBaseError(f"{source}:{n}: expected 'key<TAB>mode<TAB>label'")
        key, mode, label = parts
        if key.isdigit():
            if mode != "*":
                raise KnowledgeBaseError(f"{source}:{n}: a CAMEO row takes mode '*'")
            cameo[key] = label
        elif key.isupper():
            if mode == "*":
                plover_any[key] = label
            else:
                plover_mode[(key, mode)] = label
        else:
            raise KnowledgeBaseError(f"{source}:{n}: key {key!r} is neither CAMEO nor PLOVER")
    return AcledMap(cameo, plover_mode, plover_any)


@cache
def acled_map() -> AcledMap:
    """The packaged mapping table, read once."""
    text = resources.files("redline.evaluate").joinpath("data", "acled_map.tsv").read_text(
        encoding="utf-8")
    return parse_acled_map(text)


def predict_label(events: Sequence[Event], table: AcledMap) -> str:
    """Mapped label of the most confident mapped event (first among equals), else NONE."""
    best: tuple[float, str] | None = None
    for e in events:
        label = table.label(e)
        if label is not None and (best is None or e.confidence > best[0]):
            best = (e.confidence, label)
    return best[1] if best else NONE


@dataclass(slots=True)
class LabelStat:
    gold: int = 0
    correct: int = 0
    predicted: int = 0

    @property
    def recall(self) -> float:
        return self.correct / self.gold if self.gold else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {"gold": self.gold, "correct": self.correct, "predicted": self.predicted,
                "recall": round(self.recall, 4)}


@dataclass(slots=True)
class CaseResult:
    modality: str
    records: int
    accuracy: float
    per_label: dict[str, LabelStat]
    unmapped_labels: list[str]  # gold labels no mapping row can produce
    conflict_records: int
    conflict_found: int
    confusions: list[tuple[str, str, int]]
    misses: list[Miss]

    @property
    def conflict_recall(self) -> float:
        return self.conflict_found / self.conflict_records if self.conflict_records else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {"set": "case2021", "modality": self.modality, "records": self.records,
                "accuracy": round(self.accuracy, 4),
                "per_label": {k: v.to_dict() for k, v in sorted(self.per_label.items())},
                "unmapped_labels": self.unmapped_labels,
                "conflict_labels": sorted(CONFLICT_LABELS),
                "conflict_recall": round(self.conflict_recall, 4),
                "conflict_records": self.conflict_records,
                "conflict_found": self.conflict_found,
                "confusions": [{"gold": g, "predicted": p, "count": n}
                               for g, p, n in self.confusions],
                "misses": [m.to_dict() for m in self.misses]}


def items(records: Sequence[LabelledSnippet]) -> list[dict[str, Any]]:
    return [{"id": r.id, "text": r.text, "date": None} for r in records]


def score(records: Sequence[LabelledSnippet], articles: Sequence[Article], modality: str = "all",
          table: AcledMap | None = None, top_confusions: int = 10) -> CaseResult:
    """Accuracy, per-label recall and conflict-event recall of the coded snippets."""
    table = table or acled_map()
    pairs: list[tuple[str, str]] = []
    per_label: dict[str, LabelStat] = {}
    conflict_records = conflict_found = 0
    misses = []
    for rec, art in zip(records, articles, strict=True):
        events = counted_events(art, modality)
        pred = predict_label(events, table)
        pairs.append((rec.label, pred))
        per_label.setdefault(rec.label, LabelStat()).gold += 1
        per_label.setdefault(pred, LabelStat()).predicted += 1
        if pred == rec.label:
            per_label[rec.label].correct += 1
        else:
            misses.append(Miss(rec.id, rec.label, (pred,), clip(rec.text)))
        if rec.label in CONFLICT_LABELS:
            conflict_records += 1
            conflict_found += any(e.quad_class == 4 for e in events)
    wrong = Counter((g, p) for g, p in pairs if g != p)
    top = sorted(wrong.items(), key=lambda kv: (-kv[1], kv[0]))[:top_confusions]
    gold_labels = {r.label for r in records}
    return CaseResult(
        modality=modality,
        records=len(records),
        accuracy=accuracy(pairs),
        per_label=per_label,
        unmapped_labels=sorted(gold_labels - table.labels),
        conflict_records=conflict_records,
        conflict_found=conflict_found,
        confusions=[(g, p, n) for (g, p), n in top],
        misses=misses,
    )
