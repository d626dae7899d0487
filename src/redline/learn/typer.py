"""The learned event-type model: what kind of event a sentence reports.

Two linear heads over the same sentence features (:mod:`redline.learn.features`):

* ``plover``: the 16 PLOVER types, trained on synthetic news stories labelled with their
  main event (``../shared/train/ngec_synthetic.jsonl``, the lead sentence of each story);
* ``quad``: CAMEO's quad class with 0 for "no event" (0 none, 1 verbal cooperation,
  2 material cooperation, 3 verbal conflict, 4 material conflict), trained on the ConfliBERT
  CAMEO class sentences (``conflibert_cameo_class.train.tsv``).

The events stage asks it, per sentence, how well the sentence supports each event the
rules proposed (:meth:`TypeModel.support`), vetoes a proposal both heads reject, and
records the scores on every event it keeps. Training: :func:`train_types`, from
``redline train``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

from redline.learn import modelfile
from redline.learn.features import DENSE_DIM, LinearHead, featurize

log = logging.getLogger(__name__)

NAME = "types"
PLOVER_TYPES: tuple[str, ...] = (
    "ACCUSE", "AGREE", "AID", "ASSAULT", "COERCE", "CONCEDE", "CONSULT", "COOPERATE",
    "MOBILIZE", "PROTEST", "REJECT", "REQUEST", "RETREAT", "SANCTION", "SUPPORT", "THREATEN")
QUADS: tuple[str, ...] = ("0", "1", "2", "3", "4")


@dataclass(frozen=True, slots=True)
class Support:
    """How a sentence's words support one proposed event."""

    type_p: float  # P(PLOVER type) from the plover head
    quad_p: float  # P(quad class) from the quad head
    none_p: float  # P(no event) from the quad head

    def to_dict(self) -> dict[str, float]:
        return {"type": round(self.type_p, 3), "quad": round(self.quad_p, 3),
                "none": round(self.none_p, 3)}


class TypeModel:
    """The shipped (or a given) type model; see the module docstring."""

    def __init__(self, model: modelfile.ModelFile) -> None:
        meta = model.meta
        self.meta = meta
        self.plover = LinearHead(meta["plover_labels"], model.arrays, "plover_")
        self.quad = LinearHead(meta["quad_labels"], model.arrays, "quad_")
        self.veto_type = float(meta.get("veto_type", 0.0))
        self.veto_quad = float(meta.get("veto_quad", 0.0))

    @classmethod
    def load(cls, folder: Path | None = None) -> TypeModel:
        return cls(modelfile.load(NAME, folder))

    def sentence(self, span: Any) -> tuple[dict[str, float], dict[str, float]]:
        """(P over PLOVER types, P over quad classes) for one sentence."""
        idx, dense = featurize(span)
        return self.plover.scores(idx, dense), self.quad.scores(idx, dense)

    def support(self, types: dict[str, float], quads: dict[str, float],
                plover_type: str | None, quad: int) -> Support:
        """The scores of one event's PLOVER type and quad class among a sentence's."""
        return Support(types.get(plover_type or "", 0.0), quads.get(str(quad), 0.0),
                       quads.get("0", 0.0))

    def vetoes(self, s: Support) -> bool:
        """Both heads reject the proposal: its type and its quad class are unlikely."""
        return s.type_p < self.veto_type and s.quad_p < self.veto_quad


@cache
def shipped() -> TypeModel:
    """The model shipped in the package, loaded once (hash-checked)."""
    return TypeModel.load()


# -- training ------------------------------------------------------------------------------

def _design(rows: Sequence[tuple[np.ndarray, np.ndarray]], buckets: np.ndarray) -> Any:
    import scipy.sparse as sp

    r, c, v = [], [], []
    for i, (idx, _) in enumerate(rows):
        pos = np.searchsorted(buckets, idx)
        ok = pos < buckets.size
        pos = pos[ok]
        hit = pos[buckets[pos] == idx[ok]]
        r.extend([i] * hit.size)
        c.extend(hit.tolist())
        v.extend([1.0 / np.sqrt(max(idx.size, 1))] * hit.size)
    sparse = sp.csr_matrix((np.asarray(v, np.float32), (r, c)),
                           shape=(len(rows), buckets.size))
    dense = sp.csr_matrix(np.stack([d for _, d in rows]) if rows
                          else np.zeros((0, DENSE_DIM), np.float32))
    return sp.hstack([sparse, dense]).tocsr()


def fit_head(rows: Sequence[tuple[np.ndarray, np.ndarray]], labels: Sequence[str],
             classes: Sequence[str], *, c: float = 10.0, seed: int = 0
             ) -> dict[str, np.ndarray]:
    """Fit one softmax head (L2 logistic regression) and return its arrays (no prefix)."""
    from sklearn.linear_model import LogisticRegression

    buckets = np.unique(np.concatenate([idx for idx, _ in rows])) if rows else \
        np.zeros(0, np.int64)
    x = _design(rows, buckets)
    y = np.array([classes.index(lab) for lab in labels])
    clf = LogisticRegression(C=c, max_iter=3000, random_state=seed)
    clf.fit(x, y)
    coef = np.zeros((len(classes), x.shape[1]), np.float32)
    bias = np.full(len(classes), -30.0, np.float32)  # a class never seen is never predicted
    seen = list(clf.classes_)
    if len(seen) == 2:  # binary: sklearn keeps one row
        coef[seen[1]], bias[seen[1]] = clf.coef_[0], clf.intercept_[0]
        coef[seen[0]], bias[seen[0]] = 0.0, 0.0
    else:
        for k, cls_i in enumerate(seen):
            coef[cls_i], bias[cls_i] = clf.coef_[k], clf.intercept_[k]
    n = buckets.size
    return {"buckets": buckets.astype(np.int64),
            "w_sparse": coef[:, :n].T.astype(np.float16),
            "w_dense": coef[:, n:].T.astype(np.float16),
            "bias": bias}


def cross_validate(rows: Sequence[tuple[np.ndarray, np.ndarray]], labels: Sequence[str],
                   classes: Sequence[str], *, folds: int = 5, c: float = 10.0, seed: int = 0,
                   on_fold: Callable[[int], None] | None = None) -> dict[str, Any]:
    """K-fold (stratified, seeded) accuracy and macro F1 of one head, with the held-out
    probabilities of every row, for choosing thresholds on data the head did not see."""
    from sklearn.metrics import accuracy_score, f1_score
    from sklearn.model_selection import StratifiedKFold

    y = np.array(labels)
    k = max(2, min(folds, int(min(np.unique(y, return_counts=True)[1]))))
    proba = np.zeros((len(rows), len(classes)), np.float32)
    split = StratifiedKFold(k, shuffle=True, random_state=seed)
    for n, (tr, te) in enumerate(split.split(np.zeros(len(y)), y)):
        arrays = fit_head([rows[i] for i in tr], [labels[i] for i in tr], classes, c=c,
                          seed=seed)
        head = LinearHead(classes, arrays)
        for i in te:
            proba[i] = head.proba(*rows[i])
        if on_fold:
            on_fold(n)
    pred = [classes[i] for i in proba.argmax(1)]
    return {"folds": k, "records": len(rows), "accuracy": round(accuracy_score(y, pred), 4),
            "macro_f1": round(f1_score(y, pred, average="macro", labels=sorted(set(y)),
                                       zero_division=0), 4),
            "per_class_f1": {lab: round(float(f), 4) for lab, f in zip(
                sorted(set(y)), f1_score(y, pred, average=None, labels=sorted(set(y)),
                                         zero_division=0), strict=True)},
            "proba": proba}
