"""Sentence features shared by the learned models: hashed words and static vectors.

Words are hashed (CRC-32, stable across processes and machines) into :data:`HASH_SPACE`
buckets, so a shipped model holds weights only, never the vocabulary of its training text.
Names are generalised: a token inside a named place, group or person is ``<ent>``, a number
``<num>``, so that a model learns what was done, not who did it. The dense part is the mean
static vector of the sentence's content words and the vector of its root verb (the md
model's 300-d vectors; zeros under a model without vectors, where the hashed words carry
the model alone).
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable
from typing import Any

import numpy as np

HASH_SPACE = 1 << 20
DENSE_DIM = 600
_NAME_LABELS = frozenset({"GPE", "NORP", "PERSON", "ORG", "LOC", "FAC"})
_ROOT_DEPS = frozenset({"dobj", "xcomp", "ccomp", "prep", "prt", "neg", "aux", "agent",
                        "nsubjpass"})


def bucket(feature: str) -> int:
    """The hash bucket of one string feature."""
    return zlib.crc32(feature.encode("utf-8")) % HASH_SPACE


def _unit(v: np.ndarray) -> np.ndarray:
    n = float(np.linalg.norm(v))
    return v / n if n else v


def word_features(span: Any) -> list[str]:
    """The string features of a sentence (a spaCy Span): lemma unigrams and bigrams, the
    root verb and its dependents."""
    toks = [t for t in span if not t.is_punct and not t.is_space]
    words = []
    for t in toks:
        if t.ent_type_ in _NAME_LABELS:
            words.append("<ent>")
        elif t.like_num:
            words.append("<num>")
        else:
            words.append(t.lemma_.lower())
    feats = set(words)
    feats.update(f"{a} {b}" for a, b in zip(words, words[1:], strict=False))
    root = span.root
    feats.add(f"ROOT={root.lemma_.lower()}")
    for c in root.children:
        if c.dep_ in _ROOT_DEPS:
            feats.add(f"R{c.dep_}={c.lemma_.lower()}")
    return sorted(feats)


def dense_features(span: Any) -> np.ndarray:
    """Mean unit vector of the content words, then the root's unit vector; zeros
    under a model without static vectors (sm: its context tensors are another space)."""
    out = np.zeros(DENSE_DIM, np.float32)
    if not span.doc.vocab.vectors.shape[0]:
        return out
    vecs = [t.vector for t in span if t.has_vector and not t.is_stop and not t.is_punct
            and t.ent_type_ not in _NAME_LABELS]
    mean = _unit(np.mean(vecs, axis=0)) if vecs else np.zeros(300, np.float32)
    root = span.root
    rv = _unit(root.vector) if root.has_vector else np.zeros(300, np.float32)
    out[: mean.shape[0]] = mean[:300]
    out[300: 300 + rv.shape[0]] = rv[:300]
    return out


def featurize(span: Any) -> tuple[np.ndarray, np.ndarray]:
    """(sorted unique hash buckets, dense vector) of one sentence."""
    idx = np.unique(np.fromiter((bucket(f) for f in word_features(span)),
                                dtype=np.int64))
    return idx, dense_features(span)


class LinearHead:
    """A softmax over labels from hashed and dense features; weights for seen buckets only.

    Arrays: ``{prefix}buckets`` (sorted int64 bucket ids the training data used),
    ``{prefix}w_sparse`` (one row per bucket), ``{prefix}w_dense``, ``{prefix}bias``.
    The hashed part of a sentence is its bucket indicator vector scaled to unit length, as
    in training.
    """

    def __init__(self, labels: Iterable[str], arrays: dict[str, np.ndarray],
                 prefix: str = "") -> None:
        self.labels = tuple(labels)
        self.buckets = arrays[f"{prefix}buckets"]
        self.w_sparse = arrays[f"{prefix}w_sparse"].astype(np.float32)
        self.w_dense = arrays[f"{prefix}w_dense"].astype(np.float32)
        self.bias = arrays[f"{prefix}bias"].astype(np.float32)

    def proba(self, idx: np.ndarray, dense: np.ndarray) -> np.ndarray:
        logits = self.bias + dense @ self.w_dense
        if idx.size:
            pos = np.searchsorted(self.buckets, idx)
            ok = pos < self.buckets.size
            pos = pos[ok]
            hit = pos[self.buckets[pos] == idx[ok]]
            if hit.size:
                logits = logits + self.w_sparse[hit].sum(axis=0) / np.sqrt(idx.size)
        logits = logits - logits.max()
        p = np.exp(logits)
        return p / p.sum()

    def scores(self, idx: np.ndarray, dense: np.ndarray) -> dict[str, float]:
        return dict(zip(self.labels, (float(x) for x in self.proba(idx, dense)), strict=True))
