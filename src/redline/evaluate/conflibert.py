"""ConfliBERT CAMEO sets: quad class per sentence, and source/target actor spans.

* quad: the predicted class of a sentence is 0 when no event counts, else the quad class
  (1-4) of the most confident counted event.
* actors: each sentence is rebuilt by joining its tokens with single spaces, so gold tags
  become character spans; a predicted ``event.source`` span is right when it overlaps a gold
  S or R span (``event.target``: T or R), over the unique spans of each sentence.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from redline import ontology
from redline.article import Article
from redline.evaluate.coding import counted_events
from redline.evaluate.gold import ClassRecord, TaggedSentence
from redline.evaluate.scoring import (
    PRF,
    Miss,
    accuracy,
    class_prf,
    clip,
    macro_f1,
    matrix,
    overlap_prf,
    quad_prediction,
)

QUAD_LABELS: tuple[int, ...] = (0, 1, 2, 3, 4)
QUAD_NAMES = {0: "none", **{q: ontology.quad_name(q, short=True) for q in ontology.QUADS}}


@dataclass(slots=True)
class QuadResult:
    modality: str
    records: int
    accuracy: float
    per_class: dict[int, PRF]
    macro_f1: float
    matrix: list[list[int]]
    misses: list[Miss]

    def to_dict(self) -> dict[str, Any]:
        return {"set": "conflibert-quad", "modality": self.modality, "records": self.records,
                "accuracy": round(self.accuracy, 4), "macro_f1": round(self.macro_f1, 4),
                "per_class": {str(k): v.to_dict() for k, v in self.per_class.items()},
                "labels": list(QUAD_LABELS), "matrix": self.matrix,
                "misses": [m.to_dict() for m in self.misses]}


@dataclass(slots=True)
class ActorResult:
    modality: str
    records: int
    source: PRF
    target: PRF
    misses: list[Miss]

    def to_dict(self) -> dict[str, Any]:
        return {"set": "conflibert-actors", "modality": self.modality, "records": self.records,
                "source": self.source.to_dict(), "target": self.target.to_dict(),
                "misses": [m.to_dict() for m in self.misses]}


def quad_items(records: Sequence[ClassRecord]) -> list[dict[str, Any]]:
    return [{"id": r.id, "text": r.text, "date": None} for r in records]


def actor_items(records: Sequence[TaggedSentence]) -> list[dict[str, Any]]:
    return [{"id": r.id, "text": r.text, "date": None} for r in records]


def score_quad(records: Sequence[ClassRecord], articles: Sequence[Article],
               modality: str = "all") -> QuadResult:
    """Accuracy, per-class P/R/F1, macro F1 and the 5x5 matrix (rows gold, columns predicted)."""
    pairs = [(rec.label, quad_prediction(counted_events(art, modality)))
             for rec, art in zip(records, articles, strict=True)]
    misses = [Miss(rec.id, str(g), (str(p),), clip(rec.text))
              for rec, (g, p) in zip(records, pairs, strict=True) if g != p]
    per_class = class_prf(pairs, QUAD_LABELS)
    return QuadResult(modality, len(pairs), accuracy(pairs),
                      {int(k): v for k, v in per_class.items()}, macro_f1(per_class),
                      matrix(pairs, QUAD_LABELS), misses)


def score_actors(records: Sequence[TaggedSentence], articles: Sequence[Article],
                 modality: str = "all") -> ActorResult:
    """Span P/R/F1 of predicted event sources and targets against S/T (R = both) spans."""
    source, target = PRF(), PRF()
    misses = []
    for rec, art in zip(records, articles, strict=True):
        events = counted_events(art, modality)
        pred_s = [(e.source.start, e.source.end) for e in events if e.source is not None]
        pred_t = [(e.target.start, e.target.end) for e in events if e.target is not None]
        s = overlap_prf(rec.spans("S"), pred_s)
        t = overlap_prf(rec.spans("T"), pred_t)
        source, target = source + s, target + t
        if s.gold_ok < s.gold or t.gold_ok < t.gold:
            text = rec.text
            gold = "; ".join([*(f"S:{text[a:b]}" for a, b in rec.spans("S")),
                              *(f"T:{text[a:b]}" for a, b in rec.spans("T"))])
            pred = tuple([*(f"S:{text[a:b]}" for a, b in sorted(set(pred_s))),
                          *(f"T:{text[a:b]}" for a, b in sorted(set(pred_t)))])
            misses.append(Miss(rec.id, gold, pred, clip(text)))
    return ActorResult(modality, len(records), source, target, misses)
