"""Pure scoring functions: precision/recall/F1, set scoring, span overlap, triples, confusion.

Nothing here codes text or reads files; every function takes plain values so that it can be
checked by hand.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from itertools import product
from typing import Any

from redline import ontology
from redline.article import Actor, Event

Spans = Sequence[tuple[int, int]]

CLIP = 160


@dataclass(frozen=True, slots=True)
class Miss:
    """A gold item redline did not get right, for a person to read."""

    id: str
    gold: str
    predicted: tuple[str, ...]
    text: str

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "gold": self.gold, "predicted": list(self.predicted),
                "text": self.text}


def clip(text: str, n: int = CLIP) -> str:
    """``text`` on one line, cut to ``n`` characters with an ellipsis."""
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "\u2026"


@dataclass(frozen=True, slots=True)
class PRF:
    """Counts behind precision and recall.

    ``pred_ok`` of ``pred`` predictions were right, ``gold_ok`` of ``gold`` gold items were
    found. For exact set matching ``pred_ok == gold_ok == tp``; overlap matching may differ.
    """

    pred_ok: int = 0
    pred: int = 0
    gold_ok: int = 0
    gold: int = 0

    @classmethod
    def from_counts(cls, tp: int, fp: int, fn: int) -> PRF:
        return cls(tp, tp + fp, tp, tp + fn)

    @property
    def precision(self) -> float:
        return self.pred_ok / self.pred if self.pred else 0.0

    @property
    def recall(self) -> float:
        return self.gold_ok / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def __add__(self, other: PRF) -> PRF:
        return PRF(self.pred_ok + other.pred_ok, self.pred + other.pred,
                   self.gold_ok + other.gold_ok, self.gold + other.gold)

    def to_dict(self) -> dict[str, Any]:
        return {"precision": round(self.precision, 4), "recall": round(self.recall, 4),
                "f1": round(self.f1, 4), "pred_ok": self.pred_ok, "pred": self.pred,
                "gold_ok": self.gold_ok, "gold": self.gold}


def set_prf(gold: Iterable[Hashable], pred: Iterable[Hashable]) -> PRF:
    """Exact set matching for one record: present gold = TP, missing = FN, extra = FP."""
    g, p = set(gold), set(pred)
    return PRF.from_counts(len(g & p), len(p - g), len(g - p))


def micro_prf(pairs: Iterable[tuple[Iterable[Hashable], Iterable[Hashable]]]) -> PRF:
    """Micro-averaged set scoring over records given as (gold set, predicted set) pairs."""
    total = PRF()
    for gold, pred in pairs:
        total = total + set_prf(gold, pred)
    return total


def per_label_prf(pairs: Iterable[tuple[Iterable[Hashable], Iterable[Hashable]]]
                  ) -> dict[Hashable, PRF]:
    """Set scoring per label over records: each label's TP, FP and FN summed over records."""
    tp: Counter[Hashable] = Counter()
    fp: Counter[Hashable] = Counter()
    fn: Counter[Hashable] = Counter()
    for gold, pred in pairs:
        g, p = set(gold), set(pred)
        tp.update(g & p)
        fp.update(p - g)
        fn.update(g - p)
    labels = set(tp) | set(fp) | set(fn)
    return {lab: PRF.from_counts(tp[lab], fp[lab], fn[lab]) for lab in labels}


# --- actors and triples ----------------------------------------------------------------------


def actor_country(actor: Actor | None) -> str | None:
    """The README's country of a predicted actor: ``country``, else ``code[:3]``, else None."""
    if actor is None:
        return None
    if actor.country:
        return actor.country
    return actor.code[:3] if actor.code else None


def gold_triples(sources: Iterable[str | None], event: str, targets: Iterable[str | None]
                 ) -> set[tuple[str | None, str, str | None]]:
    """(source country, type, target country) for every source x target member.

    A compound actor lists several members and each counts. An empty side stands for "no
    such actor" and contributes ``None``, so a gold record with sources and no target yields
    ``(src, TYPE, None)`` triples; predictions follow the same rule (see
    :func:`event_triple`), so a predicted event without a target matches them.
    """
    src = list(sources) or [None]
    tgt = list(targets) or [None]
    return {(s, event, t) for s, t in product(src, tgt)}


def event_triple(event: Event) -> tuple[str | None, str, str | None] | None:
    """The triple of one predicted event (None when it has no PLOVER type)."""
    if event.plover is None:
        return None
    return actor_country(event.source), event.plover.type, actor_country(event.target)


# --- spans -----------------------------------------------------------------------------------


def overlap(a: Spans, b: Spans) -> int:
    """Characters shared by two span lists (each a list of (start, end) pairs)."""
    return sum(max(0, min(ae, be) - max(as_, bs)) for as_, ae in a for bs, be in b)


def length(spans: Spans) -> int:
    return sum(max(0, e - s) for s, e in spans)


def overlaps(a: Spans, b: Spans) -> bool:
    """True when the two span lists share at least one character."""
    return overlap(a, b) > 0


def overlap_half(a: Spans, b: Spans) -> bool:
    """True when ``a`` and ``b`` overlap by at least half of the shorter one."""
    shorter = min(length(a), length(b))
    return shorter > 0 and 2 * overlap(a, b) >= shorter


def overlap_prf(gold: Iterable[tuple[int, int]], pred: Iterable[tuple[int, int]]) -> PRF:
    """Lenient span scoring for one text over unique spans.

    A predicted span is right when it overlaps some gold span; a gold span is found when
    some predicted span overlaps it.
    """
    g, p = sorted(set(gold)), sorted(set(pred))
    pred_ok = sum(1 for s in p if any(overlaps([s], [t]) for t in g))
    gold_ok = sum(1 for t in g if any(overlaps([s], [t]) for s in p))
    return PRF(pred_ok, len(p), gold_ok, len(g))


def match_one_to_one(gold: Sequence[Spans], pred: Sequence[Spans]) -> list[tuple[int, int]]:
    """Pair gold and predicted span lists one to one under :func:`overlap_half`.

    Greedy by overlap size (largest first), so a long prediction cannot be counted twice.
    Returns (gold index, predicted index) pairs.
    """
    candidates = sorted(
        ((overlap(g, p), gi, pi) for gi, g in enumerate(gold) for pi, p in enumerate(pred)
         if overlap_half(g, p)),
        key=lambda c: (-c[0], c[1], c[2]),
    )
    used_g: set[int] = set()
    used_p: set[int] = set()
    pairs = []
    for _, gi, pi in candidates:
        if gi not in used_g and pi not in used_p:
            used_g.add(gi)
            used_p.add(pi)
            pairs.append((gi, pi))
    return sorted(pairs)


# --- classification --------------------------------------------------------------------------


def confusion(pairs: Iterable[tuple[Hashable, Hashable]]) -> Counter[tuple[Hashable, Hashable]]:
    """Counts of (gold, predicted) pairs."""
    return Counter(pairs)


def set_confusions(gold: str, pred: Iterable[str], none: str = "(none)"
                   ) -> list[tuple[str, str]]:
    """Confusion pairs for one record whose gold type was missed.

    ``gold -> p`` for each predicted type ``p``, or ``gold -> none`` when nothing was
    predicted; no pairs when the gold type is among the predictions.
    """
    p = sorted(set(pred))
    if gold in p:
        return []
    return [(gold, x) for x in p] or [(gold, none)]


def accuracy(pairs: Sequence[tuple[Hashable, Hashable]]) -> float:
    return sum(1 for g, p in pairs if g == p) / len(pairs) if pairs else 0.0


def class_prf(pairs: Sequence[tuple[Hashable, Hashable]], labels: Iterable[Hashable]
              ) -> dict[Hashable, PRF]:
    """Single-label classification P/R/F1 per label from (gold, predicted) pairs."""
    out = {}
    for lab in labels:
        tp = sum(1 for g, p in pairs if g == lab and p == lab)
        fp = sum(1 for g, p in pairs if g != lab and p == lab)
        fn = sum(1 for g, p in pairs if g == lab and p != lab)
        out[lab] = PRF.from_counts(tp, fp, fn)
    return out


def macro_f1(per_label: dict[Hashable, PRF]) -> float:
    return sum(s.f1 for s in per_label.values()) / len(per_label) if per_label else 0.0


def matrix(pairs: Iterable[tuple[Hashable, Hashable]], labels: Sequence[Hashable]
           ) -> list[list[int]]:
    """Confusion matrix: rows gold, columns predicted, in the order of ``labels``."""
    index = {lab: i for i, lab in enumerate(labels)}
    m = [[0] * len(labels) for _ in labels]
    for g, p in pairs:
        if g in index and p in index:
            m[index[g]][index[p]] += 1
    return m


def quad_prediction(events: Iterable[Event]) -> int:
    """Quad class of the most confident event (first among equals), 0 when there is none.

    Neutral statements and appeals (CAMEO roots 01 and 02) do not count: the set's class 0
    holds "no cooperation or conflict, or a neutral statement", and reading its errors by
    class shows appeals ("called on", "urged") labelled 0 throughout.
    """
    best: Event | None = None
    for e in events:
        if ontology.root_has(e.cameo, "neutral"):
            continue
        if best is None or e.confidence > best.confidence:
            best = e
    return best.quad_class if best is not None else 0
