"""Actor roles: score a mention against a predicate as source, target, both or neither.

The rule coder (:mod:`redline.events.coder`) reads arguments off a handful of dependency
patterns and misses those it has no pattern for. This model scores any (mention, trigger)
pair of a sentence from the dependency path between them and a few facts around it, so a
caller can fill a side the rules left empty or check one they filled.

Features are strings (``p=nsubj|``: the mention is the trigger's subject) hashed with
:func:`zlib.crc32` into a fixed space; the model file holds the weight rows of the features
seen in training only (sorted hash indices and their rows), never the strings, so it is small
and carries no training text. Scoring is a softmax over a linear model, NumPy only.

Training (:func:`train_roles`, needs scikit-learn) reads a CoNLL file tagged S (source), T
(target) and R (both) per token, codes each sentence with redline to find its triggers,
labels candidate mentions by overlap with the gold spans and fits a multinomial logistic
regression, reporting k-fold cross-validated span P/R/F1 first.
"""

from __future__ import annotations

import hashlib
import logging
import math
import time
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

from redline.errors import ModelError
from redline.learn import modelfile

log = logging.getLogger(__name__)

NAME = "roles"
LABELS: tuple[str, ...] = ("source", "target", "both", "neither")
#: Feature groups; a model records the ones it was trained with.
GROUPS: tuple[str, ...] = ("path", "dep", "prep", "voice", "position", "clause", "trigger",
                           "mention", "lexical", "frame")
#: The shipped model's groups: ``frame`` (what else the trigger governs) measured no better
#: in cross-validation and costs a fifth more time per pair.
DEFAULT_GROUPS: tuple[str, ...] = tuple(g for g in GROUPS if g != "frame")
HASH_BITS = 20
MAX_PATH = 4  # dependency labels kept on each side of the lowest common ancestor
_MEMO_SIZE = 200_000  # feature strings remembered by a loaded model
_PREP_DEPS = frozenset({"pobj", "pcomp"})
_PASSIVE_DEPS = frozenset({"nsubjpass", "auxpass", "csubjpass"})
#: Trigger dependents that make its frame, each with a one-letter code.
_FRAME = (("nsubj", "s"), ("nsubjpass", "p"), ("agent", "a"), ("dobj", "o"), ("dative", "d"),
          ("attr", "r"), ("xcomp", "x"), ("ccomp", "c"), ("poss", "g"), ("prep", "e"))
_CLAUSES = ("relcl", "acl", "advcl", "ccomp", "xcomp", "conj", "appos")
_MENTION_KIDS = frozenset({"prep", "poss", "relcl", "acl", "appos", "conj"})


@dataclass(frozen=True, slots=True)
class FeatureSettings:
    """What a model's features are made of; stored in its metadata."""

    groups: tuple[str, ...] = DEFAULT_GROUPS
    hash_bits: int = HASH_BITS
    max_path: int = MAX_PATH
    vectors: bool = False  # append the md vectors of mention head and trigger (600 dims)

    def to_dict(self) -> dict[str, Any]:
        return {"groups": list(self.groups), "hash_bits": self.hash_bits,
                "max_path": self.max_path, "vectors": self.vectors}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> FeatureSettings:
        unknown = set(d.get("groups", ())) - set(GROUPS)
        if unknown:
            raise ModelError(f"role model uses unknown feature groups {sorted(unknown)}; "
                             "rebuild it with this redline")
        return cls(tuple(d.get("groups", DEFAULT_GROUPS)), int(d.get("hash_bits", HASH_BITS)),
                   int(d.get("max_path", MAX_PATH)), bool(d.get("vectors", False)))


# -- features ------------------------------------------------------------------------------


def _head(mention: Any) -> Any:
    """The head token of a mention given as a Token or a Span."""
    return mention.root if hasattr(mention, "root") else mention


def _bucket(n: int) -> str:
    if n <= 3:
        return str(n)
    if n <= 5:
        return "4-5"
    if n <= 8:
        return "6-8"
    if n <= 12:
        return "9-12"
    return "13+"


def _chain(tok: Any) -> list[Any]:
    """The token and its heads up to the root."""
    out = [tok]
    while tok.head.i != tok.i and len(out) < 64:
        tok = tok.head
        out.append(tok)
    return out


def _trim(labels: list[str], k: int, keep_end: bool = False) -> str:
    if len(labels) <= k:
        return ".".join(labels)
    return ("+." + ".".join(labels[-k:])) if keep_end else (".".join(labels[:k]) + ".+")


def _resolve_conj(h: Any) -> Any:
    """The first conjunct of a coordination: "Serbia and Croatia" -> Serbia for Croatia."""
    n = 0
    while h.dep_ == "conj" and h.head.i != h.i and n < 8:
        h, n = h.head, n + 1
    return h


class _Trigger:
    """What the features need of a trigger, worked out once for all its mentions."""

    __slots__ = ("tok", "i", "chain", "at", "deps", "passive", "lemma", "pos", "frame", "own",
                 "rows")

    def __init__(self, t: Any, s: FeatureSettings) -> None:
        self.tok, self.i = t, t.i
        self.chain = _chain(t)
        self.at = {x.i: n for n, x in enumerate(self.chain)}
        self.deps = [x.dep_ for x in self.chain]
        kids = {c.dep_ for c in t.children}
        self.passive = int(bool(kids & _PASSIVE_DEPS))
        self.lemma = t.lemma_.lower()
        self.pos = t.pos_
        self.frame = "".join(code for dep, code in _FRAME if dep in kids)
        g = s.groups
        own: list[str] = []
        if "clause" in g:
            own.append(f"td={t.dep_}")
            if "neg" in kids:
                own.append("neg")
        if "trigger" in g:
            own += [f"tl={self.lemma}", f"tp={self.pos}", f"tt={t.tag_}"]
        if "frame" in g:
            own.append(f"fr={self.frame}")
        self.own = own
        self.rows: list[int] = []  # the model's rows for ``own``, once looked up


@dataclass(frozen=True, slots=True)
class _Path:
    """The dependency path from a mention's head up to the trigger's chain and down to it."""

    up: list[str]
    down: list[str]
    lca: Any | None  # where the two meet; None when they do not
    up_s: str
    down_s: str

    @property
    def text(self) -> str:
        return f"{self.up_s}|{self.down_s}" if self.lca is not None else "X"


def _path_to(hc: Any, tv: _Trigger, k: int) -> _Path:
    """The path from ``hc`` to the trigger, each side trimmed to ``k`` steps."""
    up: list[str] = []
    x, lca, pos = hc, None, None
    for _ in range(64):
        pos = tv.at.get(x.i)
        if pos is not None:
            lca = x
            break
        up.append(x.dep_)
        head = x.head
        if head.i == x.i:
            break
        x = head
    if lca is None:
        return _Path(up, [], None, "X", "X")
    down = tv.deps[:pos][::-1]
    return _Path(up, down, lca, _trim(up, k), _trim(down, k, keep_end=True))


def _pair_features(mention: Any, tv: _Trigger, s: FeatureSettings) -> list[str]:
    """The features of a mention against a trigger, less the trigger's own."""
    g = s.groups
    h = _head(mention)
    hc = _resolve_conj(h)  # a conjunct takes the place of the phrase it joins
    path = _path_to(hc, tv, s.max_path)
    pstr = path.text
    dep = hc.dep_
    hh = hc.head
    tl, passive, ti = tv.lemma, tv.passive, tv.i
    out: list[str] = []
    if "path" in g:
        out += _path_features(path, h, hc, ti)
    if "dep" in g:
        out += [f"d={dep}", f"d2={dep}|{hh.dep_}", f"dh={dep}|{hh.pos_}"]
    prep = hh.lower_ if dep in _PREP_DEPS else ""
    if "prep" in g:
        out += _prep_features(prep, dep, hh, tv, with_trigger="trigger" in g)
    if "voice" in g:
        out += [f"pass={passive}|d={dep}", f"pass={passive}|p={pstr}"]
    if "position" in g:
        side = "b" if h.i < ti else ("a" if h.i > ti else "=")
        out += [f"pos={side}", f"pos={side}|{_bucket(abs(h.i - ti))}", f"pos={side}|d={dep}",
                f"pos={side}|pass={passive}"]
    if "clause" in g:
        on_path = path.up[:8] + path.down[:8]
        out += [f"cl={lab}" for lab in _CLAUSES if lab in on_path]
    if "trigger" in g:
        out += [f"tl={tl}|d={dep}", f"tl={tl}|p={pstr}", f"tp={tv.pos}|p={pstr}"]
    ent = h.ent_type_ or "-"  # the head's own, however the mention was cut
    if "mention" in g:
        out += [f"e={ent}", f"e={ent}|d={dep}", f"mp={h.pos_}", f"mt={h.tag_}"]
    if "lexical" in g:
        ml = h.lemma_.lower()
        out += [f"ml={ml}", f"ml={ml}|d={dep}"]
    if "frame" in g:
        out += _frame_features(tv.frame, pstr, prep, dep, h, ent)
    return out


def _path_features(path: _Path, h: Any, hc: Any, ti: int) -> list[str]:
    out = [f"p={path.text}", f"pu={path.up_s}", f"pd={path.down_s}",
           f"pl={_bucket(len(path.up))}.{_bucket(len(path.down))}"]
    if path.lca is not None:
        rel = "t" if path.lca.i == ti else ("h" if path.lca.i == hc.i else "o")
        out.append(f"lca={rel}|{path.lca.pos_}")
    if hc.i != h.i:
        out.append("conj")
    return out


def _prep_features(prep: str, dep: str, hh: Any, tv: _Trigger, with_trigger: bool
                   ) -> list[str]:
    ti = tv.i
    out: list[str] = []
    if prep:
        att = "t" if hh.head.i == ti else ("tc" if hh.head.head.i == ti else "o")
        out += [f"pr={prep}", f"pr={prep}|{att}", f"pr={prep}|{hh.dep_}"]
    elif dep == "poss":
        out.append(f"pr='s|{'t' if hh.i == ti else 'o'}")
    else:
        out.append("pr=-")
    if with_trigger and (prep or dep == "poss"):
        out.append(f"pr={prep or chr(39) + 's'}|tl={tv.lemma}")
    return out


def _frame_features(fr: str, pstr: str, prep: str, dep: str, h: Any, ent: str) -> list[str]:
    """What else the trigger governs: a place after "in" is no target when the verb has an
    object; a subject is no source of a verb whose agent is named."""
    out = [f"fr={fr}|p={pstr}", f"fr={fr}|pr={prep}" if prep else f"fr={fr}|d={dep}"]
    out += [f"mc={c.dep_}" for c in h.children if c.dep_ in _MENTION_KIDS]
    if prep:
        out.append(f"pr={prep}|e={ent}")
    return out


def features(mention: Any, trigger: Any,
             settings: FeatureSettings | None = None) -> list[str]:
    """The feature strings of a (mention, trigger) pair; ``mention`` is a Token or a Span of
    the trigger's Doc."""
    s = settings or FeatureSettings()
    tv = _Trigger(trigger, s)
    return tv.own + _pair_features(mention, tv, s)


def hash_features(feats: Iterable[str], bits: int = HASH_BITS) -> list[int]:
    """Feature strings to indices in ``[0, 2**bits)`` (CRC-32: stable across processes)."""
    mask = (1 << bits) - 1
    return [zlib.crc32(f.encode("utf-8")) & mask for f in feats]


def _vector(h: Any, t: Any) -> np.ndarray:
    """The md vectors of mention head and trigger, each scaled to unit length."""
    out = np.zeros(600, dtype=np.float32)
    for n, tok in enumerate((h, t)):
        if tok.has_vector:
            v = tok.vector
            norm = float(np.linalg.norm(v))
            if norm:
                out[n * 300:(n + 1) * 300] = v / norm
    return out


# -- candidates and triggers ----------------------------------------------------------------

#: Entity labels that never name an actor.
_NOT_ACTOR_ENTS = frozenset({"DATE", "TIME", "CARDINAL", "ORDINAL", "MONEY", "PERCENT",
                             "QUANTITY"})


def candidate_spans(doc: Any, mentions: Iterable[tuple[int, int]] = ()) -> list[Any]:
    """Mentions that may fill a role, one per head token: the character spans given (an
    article's mentions) first, then noun chunks, then named entities."""
    spans: list[Any] = []
    for start, end in mentions:
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is not None:
            spans.append(span)
    spans += list(doc.noun_chunks)
    spans += [e for e in doc.ents if e.label_ not in _NOT_ACTOR_ENTS]
    by_head: dict[int, Any] = {}
    for span in spans:
        if len(span) and span.root.ent_type_ not in _NOT_ACTOR_ENTS:
            by_head.setdefault(span.root.i, span)
    return [by_head[i] for i in sorted(by_head)]


def triggers(doc: Any, predicates: Iterable[tuple[int, int]] = ()) -> list[Any]:
    """Trigger tokens: the heads of the predicate spans given (the rule coder's events),
    else the root of each sentence."""
    out: dict[int, Any] = {}
    for start, end in predicates:
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is not None and len(span):
            out.setdefault(span.root.i, span.root)
    if not out:
        for sent in doc.sents:
            out.setdefault(sent.root.i, sent.root)
    return [out[i] for i in sorted(out)]


# -- the model ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RolePick:
    """The mentions chosen for one trigger: indices into the list given, best first."""

    sources: tuple[int, ...]
    targets: tuple[int, ...]


class RoleModel:
    """A trained role model: ``scores(mention, trigger)`` -> probabilities by label."""

    def __init__(self, index: np.ndarray, weights: np.ndarray, bias: np.ndarray,
                 settings: FeatureSettings, labels: Sequence[str] = LABELS,
                 vector_weights: np.ndarray | None = None,
                 meta: dict[str, Any] | None = None) -> None:
        if weights.shape != (len(index), len(labels)) or bias.shape != (len(labels),):
            raise ModelError(f"role model arrays do not fit together ({weights.shape}, "
                             f"{len(index)} rows, {len(labels)} labels)")
        if settings.vectors and (vector_weights is None or vector_weights.shape[0] != 600):
            raise ModelError("role model uses word vectors but has no vector weights")
        self.labels = tuple(labels)
        self.settings = settings
        self.meta = meta or {}
        self._weights = np.ascontiguousarray(weights, dtype=np.float32)
        self._bias = np.asarray(bias, dtype=np.float32)
        self._vec = (np.asarray(vector_weights, dtype=np.float32)
                     if settings.vectors and vector_weights is not None else None)
        self._row = {int(h): n for n, h in enumerate(index.tolist())}
        self._mask = (1 << settings.hash_bits) - 1
        self._memo: dict[str, int] = {}
        self._src = [self.labels.index("source"), self.labels.index("both")]
        self._tgt = [self.labels.index("target"), self.labels.index("both")]

    @classmethod
    def load(cls, folder: Path | None = None) -> RoleModel:
        """The shipped model (or the one in ``folder``), checked against its manifest hash."""
        mf = modelfile.load(NAME, folder)
        try:
            settings = FeatureSettings.from_dict(mf.meta["features"])
            return cls(mf.arrays["index"], mf.arrays["weights"], mf.arrays["bias"], settings,
                       mf.meta["labels"], mf.arrays.get("vector_weights"), mf.meta)
        except KeyError as exc:
            raise ModelError(f"role model file lacks {exc}; rebuild it with "
                             "`redline.learn.roles.train_roles`") from None

    def _rows(self, feats: list[str]) -> list[int]:
        """The weight rows of feature strings (-1: unseen in training, dropped), memoised:
        most strings recur from pair to pair."""
        memo = self._memo
        out = []
        for f in feats:
            r = memo.get(f)
            if r is None:
                if len(memo) >= _MEMO_SIZE:
                    memo.clear()
                r = memo[f] = self._row.get(zlib.crc32(f.encode()) & self._mask, -1)
            if r >= 0:
                out.append(r)
        return out

    def _trigger(self, trigger: Any) -> _Trigger:
        tv = _Trigger(trigger, self.settings)
        tv.rows = self._rows(tv.own)
        return tv

    def _logits(self, pairs: Sequence[tuple[Any, _Trigger]]) -> np.ndarray:
        rows: list[int] = []
        starts: list[int] = []
        empty: list[int] = []
        for n, (m, tv) in enumerate(pairs):
            starts.append(len(rows))
            rows += tv.rows
            rows += self._rows(_pair_features(m, tv, self.settings))
            if len(rows) == starts[-1]:
                empty.append(n)
                rows.append(0)  # a placeholder, zeroed below
        z = np.add.reduceat(self._weights.take(rows, axis=0), starts, axis=0)
        if empty:
            z[empty] = 0.0
        z += self._bias
        if self._vec is not None:
            z += np.stack([_vector(_head(m), tv.tok) for m, tv in pairs]) @ self._vec
        return z

    def scores(self, mention: Any, trigger: Any) -> dict[str, float]:
        """``{"source", "target", "both", "neither"}`` -> probability, for one mention (a
        Token or Span) against one trigger token of the same Doc."""
        tv = self._trigger(trigger)
        rows = tv.rows + self._rows(_pair_features(mention, tv, self.settings))
        z = self._bias + self._weights.take(rows, axis=0).sum(axis=0) if rows else self._bias
        if self._vec is not None:
            z = z + _vector(_head(mention), trigger) @ self._vec
        zs = z.tolist()
        top = max(zs)
        e = [math.exp(x - top) for x in zs]
        total = sum(e)
        return {lab: x / total for lab, x in zip(self.labels, e, strict=True)}

    def scores_many(self, mentions: Sequence[Any], trigger: Any) -> np.ndarray:
        """Probabilities of many mentions against one trigger: an array ``(len(mentions),
        len(labels))`` in the order of :attr:`labels`."""
        if not mentions:
            return np.zeros((0, len(self.labels)), dtype=np.float32)
        tv = self._trigger(trigger)
        z = self._logits([(m, tv) for m in mentions])
        z -= z.max(axis=1, keepdims=True)
        np.exp(z, out=z)
        z /= z.sum(axis=1, keepdims=True)
        return z

    def pick(self, mentions: Sequence[Any], trigger: Any, threshold: float | None = None,
             also: float = 0.8) -> RolePick:
        """The sources and targets of ``trigger`` among ``mentions`` (those of its sentence):
        for each side, the most probable mention when its probability of the side (counting
        ``both``) reaches ``threshold`` (the model's own by default), and any other that
        reaches ``also`` ("Serbia and Croatia signed")."""
        if threshold is None:
            threshold = float(self.meta.get("threshold", 0.5))
        if not mentions:
            return RolePick((), ())
        p = self.scores_many(mentions, trigger)
        return RolePick(_chosen(p[:, self._src].sum(axis=1), threshold, also),
                        _chosen(p[:, self._tgt].sum(axis=1), threshold, also))


@cache
def shipped() -> RoleModel:
    """The model shipped in the package, loaded once (hash-checked)."""
    return RoleModel.load()


def _chosen(p: np.ndarray, threshold: float, also: float) -> tuple[int, ...]:
    order = np.argsort(-p, kind="stable").tolist()
    if not order or p[order[0]] < threshold:
        return ()
    return (order[0], *(i for i in order[1:] if p[i] >= max(also, threshold)))


# -- training -------------------------------------------------------------------------------


def _overlaps(a: tuple[int, int], spans: Iterable[tuple[int, int]]) -> bool:
    return any(s < a[1] and a[0] < e for s, e in spans)


#: Quantity heads whose "of" phrase names the actor ("dozens of protesters").
_QUANTITY = frozenset({"dozens", "hundreds", "thousands", "millions", "scores", "tens",
                       "some", "many", "several", "all", "most", "none", "both", "each",
                       "one", "members", "group", "number"})


def _span_heads(doc: Any, spans: Iterable[tuple[int, int]]) -> set[int]:
    """The tokens of each character span whose head lies outside it; for a preposition
    ("on X") or a quantity ("dozens of X"), X too."""
    heads: set[int] = set()
    for a, b in spans:
        inside = {t.i for t in doc if t.idx < b and a < t.idx + len(t)}
        top = [i for i in inside if doc[i].head.i not in inside or doc[i].head.i == i]
        heads.update(top)
        for i in top:
            tok = doc[i]
            if tok.pos_ == "ADP":
                heads.update(c.i for c in tok.children if c.dep_ == "pobj" and c.i in inside)
            elif tok.pos_ == "NUM" or tok.lower_ in _QUANTITY:
                heads.update(x.i for c in tok.children if c.dep_ == "prep" and c.lower_ == "of"
                             for x in c.children if x.dep_ == "pobj" and x.i in inside)
    return heads


def _side(span: Any, spans: Sequence[tuple[int, int]], heads: set[int]) -> bool | None:
    """Whether a candidate fills a gold side: True when its head heads a gold span (or is a
    conjunct or apposition of one inside it), None when it only lies inside one ("Mosul" in
    "the mosque in Mosul": right by overlap, but not what the role is about), else False."""
    if not _overlaps((span.start_char, span.end_char), spans):
        return False
    h = span.root
    for _ in range(8):
        if h.i in heads:
            return True
        if h.dep_ not in ("conj", "appos") or h.head.i == h.i:
            break
        h = h.head
    return None


def gold_label(span: Any, sources: Sequence[tuple[int, int]],
               targets: Sequence[tuple[int, int]], *, by: str = "overlap",
               heads: tuple[set[int], set[int]] | None = None) -> str | None:
    """A candidate span's label against the gold source spans (S or R) and target spans (T or
    R): ``both`` when it fills both sides.

    ``by="overlap"``: a candidate fills a side when it overlaps one of its spans (what the
    span scoring counts as right). ``by="head"``: only when it heads one; None (left out of
    training) when it only lies inside one. ``heads``: the spans' head tokens, when known.
    """
    if by == "overlap":
        span_ = (span.start_char, span.end_char)
        s: bool | None = _overlaps(span_, sources)
        t: bool | None = _overlaps(span_, targets)
    else:
        if heads is None:
            heads = _span_heads(span.doc, sources), _span_heads(span.doc, targets)
        s = _side(span, sources, heads[0])
        t = _side(span, targets, heads[1])
        if s is None or t is None:
            return None if not (s or t) else ("source" if s else "target")
    return "both" if s and t else "source" if s else "target" if t else "neither"


@dataclass(slots=True)
class _Examples:
    feats: list[list[int]]
    vectors: list[np.ndarray]
    labels: list[int]  # -1: left out of training
    sentence: list[int]  # record index
    trigger: list[int]  # trigger token index
    span: list[tuple[int, int]]


def _examples(records: Sequence[Any], coded: Sequence[Any], settings: FeatureSettings,
              triggers_from: str = "all", labelling: str = "overlap") -> _Examples:
    """One example per (candidate, trigger) pair of each record. ``triggers_from``:
    ``all`` the coder's triggers (else the root); ``best`` for each record the trigger whose
    events agree most with the gold spans (training only: it reads the gold)."""
    if triggers_from not in ("all", "best") or labelling not in ("overlap", "head"):
        raise ValueError(f"triggers_from must be 'all' or 'best' (got {triggers_from!r}), "
                         f"labelling 'overlap' or 'head' (got {labelling!r})")
    ex = _Examples([], [], [], [], [], [])
    for n, (rec, art) in enumerate(zip(records, coded, strict=True)):
        doc = art.doc
        src, tgt = rec.spans("S"), rec.spans("T")
        preds = [(e.predicate.start, e.predicate.end) for e in art.events if e.predicate]
        trigs = triggers(doc, preds)
        if triggers_from == "best" and len(trigs) > 1:
            trigs = [max(trigs, key=lambda t: _agreement(t, art, src, tgt))]
        cands = candidate_spans(doc, [(m.start, m.end) for m in art.mentions])
        heads = (_span_heads(doc, src), _span_heads(doc, tgt)) if labelling == "head" else None
        for t in trigs:
            for c in cands:
                if c.root.i == t.i:
                    continue
                span = (c.start_char, c.end_char)
                ex.feats.append(hash_features(features(c, t, settings), settings.hash_bits))
                if settings.vectors:
                    ex.vectors.append(_vector(c.root, t))
                lab = gold_label(c, src, tgt, by=labelling, heads=heads)
                ex.labels.append(-1 if lab is None else LABELS.index(lab))
                ex.sentence.append(n)
                ex.trigger.append(t.i)
                ex.span.append(span)
    return ex


def _agreement(t: Any, art: Any, src: Sequence[tuple[int, int]],
               tgt: Sequence[tuple[int, int]]) -> int:
    score = 0
    for e in art.events:
        if e.predicate is None or not (e.predicate.start <= t.idx < e.predicate.end):
            continue
        if e.source is not None:
            score += 1 if _overlaps((e.source.start, e.source.end), src) else -1
        if e.target is not None:
            score += 1 if _overlaps((e.target.start, e.target.end), tgt) else -1
    return score


def _matrix(ex: _Examples, rows: Sequence[int], columns: dict[int, int],
            vectors: bool) -> Any:
    """The design matrix of examples ``rows``: hashed features mapped to ``columns`` (unseen
    ones dropped), then the word vectors."""
    from scipy import sparse

    indptr, indices = [0], []
    for r in rows:
        indices += [c for f in ex.feats[r] if (c := columns.get(f)) is not None]
        indptr.append(len(indices))
    x = sparse.csr_matrix((np.ones(len(indices), dtype=np.float32), indices, indptr),
                          shape=(len(rows), len(columns)))
    x.sum_duplicates()
    if vectors:
        x = sparse.hstack([x, sparse.csr_matrix(np.stack([ex.vectors[r] for r in rows]))],
                          format="csr")
    return x


def _fit(ex: _Examples, rows: Sequence[int], settings: FeatureSettings, seed: int,
         c: float, class_weight: str | None) -> tuple[np.ndarray, Any]:
    """Fit on ``rows``: returns the hash indices of the columns and the fitted classifier."""
    from sklearn.linear_model import LogisticRegression

    rows = [r for r in rows if ex.labels[r] >= 0]
    index = np.unique(np.fromiter((f for r in rows for f in ex.feats[r]), dtype=np.int64))
    columns = {int(h): n for n, h in enumerate(index)}
    x = _matrix(ex, rows, columns, settings.vectors)
    y = np.array([ex.labels[r] for r in rows])
    clf = LogisticRegression(C=c, class_weight=class_weight, max_iter=2000,
                             random_state=seed)
    clf.fit(x, y)
    return index, clf


def _full_weights(clf: Any, n_labels: int) -> tuple[np.ndarray, np.ndarray]:
    """Coefficients ``(features, labels)`` and bias with a column for every label (a class
    absent from a tiny training set gets a very low bias)."""
    coef = np.zeros((clf.coef_.shape[1], n_labels), dtype=np.float64)
    bias = np.full(n_labels, -30.0)
    if len(clf.classes_) == 2:  # binary: one row, for the second class
        coef[:, clf.classes_[1]] = clf.coef_[0]
        bias[clf.classes_] = (0.0, clf.intercept_[0])
    else:
        coef[:, clf.classes_] = clf.coef_.T
        bias[clf.classes_] = clf.intercept_
    return coef, bias


def _model(index: np.ndarray, clf: Any, settings: FeatureSettings) -> RoleModel:
    coef, bias = _full_weights(clf, len(LABELS))
    n = len(index)
    vec = coef[n:] if settings.vectors else None
    return RoleModel(index, coef[:n], bias, settings, LABELS, vec)


_Picks = dict[tuple[int, int], tuple[list[tuple[int, int]], list[tuple[int, int]]]]


def _decode(ex: _Examples, rows: Sequence[int], probs: np.ndarray, threshold: float,
            also: float = 0.8) -> _Picks:
    """(record, trigger) -> the source and target spans :meth:`RoleModel.pick` chooses."""
    src = probs[:, LABELS.index("source")] + probs[:, LABELS.index("both")]
    tgt = probs[:, LABELS.index("target")] + probs[:, LABELS.index("both")]
    groups: dict[tuple[int, int], list[int]] = {}
    for n, r in enumerate(rows):
        groups.setdefault((ex.sentence[r], ex.trigger[r]), []).append(n)
    return {key: ([ex.span[rows[ns[i]]] for i in _chosen(src[ns], threshold, also)],
                  [ex.span[rows[ns[i]]] for i in _chosen(tgt[ns], threshold, also)])
            for key, ns in groups.items()}


def _by_record(picks: _Picks) -> dict[int, tuple[set[Any], set[Any]]]:
    out: dict[int, tuple[set[Any], set[Any]]] = {}
    for (sent, _), (srcs, tgts) in picks.items():
        s, t = out.setdefault(sent, (set(), set()))
        s.update(srcs)
        t.update(tgts)
    return out


def _with_rules(coded: Sequence[Any], picks: _Picks, fill_only: bool
                ) -> dict[int, tuple[set[Any], set[Any]]]:
    """Sides of the rule coder's events: the model's picks for each event's trigger, or with
    ``fill_only`` the rules' own sides and the model's best pick where an event has none."""
    out: dict[int, tuple[set[Any], set[Any]]] = {}
    for n, art in enumerate(coded):
        s, t = out.setdefault(n, (set(), set()))
        for e in art.events:
            trig = _trigger_of(art.doc, e)
            srcs, tgts = picks.get((n, trig), ([], [])) if trig is not None else ([], [])
            if fill_only:
                s.update([(e.source.start, e.source.end)] if e.source else srcs[:1])
                t.update([(e.target.start, e.target.end)] if e.target else tgts[:1])
            else:
                s.update(srcs)
                t.update(tgts)
    return out


def _trigger_of(doc: Any, event: Any) -> int | None:
    if event.predicate is None:
        return None
    span = doc.char_span(event.predicate.start, event.predicate.end, alignment_mode="expand")
    return span.root.i if span is not None and len(span) else None


def _score(records: Sequence[Any], predicted: dict[int, tuple[set[Any], set[Any]]],
           which: Iterable[int]) -> dict[str, Any]:
    from redline.evaluate.scoring import PRF, overlap_prf

    source, target = PRF(), PRF()
    for n in which:
        s, t = predicted.get(n, (set(), set()))
        source += overlap_prf(records[n].spans("S"), sorted(s))
        target += overlap_prf(records[n].spans("T"), sorted(t))
    return {"source": source.to_dict(), "target": target.to_dict()}


def _folds(n: int, k: int, seed: int) -> list[np.ndarray]:
    order = np.random.default_rng(seed).permutation(n)
    return [order[i::k] for i in range(k)]


def cross_validate(records: Sequence[Any], coded: Sequence[Any], *, seed: int = 0,
                   folds: int = 5, settings: FeatureSettings | None = None, c: float = 1.0,
                   class_weight: str | None = None, threshold: float = 0.5,
                   triggers_from: str = "all", labelling: str = "overlap") -> dict[str, Any]:
    """k-fold span P/R/F1 of sources and targets, folds by record; every held-out record's
    triggers are the coder's (never chosen by the gold). ``source`` and ``target``: the
    model's picks for every trigger (the root where the coder found none);
    ``events_replace``: the coder's events only, each with the model's picks;
    ``events_fill``: the coder's events with their own sides, and the model's best pick
    where an event has no source or no target."""
    settings = settings or FeatureSettings()
    k = min(folds, len(records))
    if k < 2:
        raise ValueError("cross-validation needs at least two records")
    train_ex = _examples(records, coded, settings, triggers_from, labelling)
    test_ex = (train_ex if triggers_from == "all"
               else _examples(records, coded, settings, "all", labelling))
    picks: _Picks = {}
    for held in _folds(len(records), k, seed):
        out = set(held.tolist())
        fit_rows = [r for r, s in enumerate(train_ex.sentence) if s not in out]
        test_rows = [r for r, s in enumerate(test_ex.sentence) if s in out]
        if len({train_ex.labels[r] for r in fit_rows} - {-1}) < 2 or not test_rows:
            continue
        index, clf = _fit(train_ex, fit_rows, settings, seed, c, class_weight)
        columns = {int(h): n for n, h in enumerate(index)}
        probs = np.zeros((len(test_rows), len(LABELS)))
        probs[:, clf.classes_] = clf.predict_proba(
            _matrix(test_ex, test_rows, columns, settings.vectors))
        picks.update(_decode(test_ex, test_rows, probs, threshold))
    report = _score(records, _by_record(picks), range(len(records)))
    report["events_replace"] = _score(records, _with_rules(coded, picks, False),
                                      range(len(records)))
    report["events_fill"] = _score(records, _with_rules(coded, picks, True), range(len(records)))
    report.update(folds=k, seed=seed, records=len(records), examples=len(test_ex.labels),
                  threshold=threshold, triggers_from=triggers_from, labelling=labelling)
    return report


def _rules_report(records: Sequence[Any], coded: Sequence[Any]) -> dict[str, Any]:
    """The rule coder's own span figures on the same records, for comparison."""
    predicted = {n: ({(e.source.start, e.source.end) for e in art.events if e.source},
                     {(e.target.start, e.target.end) for e in art.events if e.target})
                 for n, art in enumerate(coded)}
    return _score(records, predicted, range(len(records)))


def time_pairs(model: RoleModel, coded: Sequence[Any], limit: int = 5000
               ) -> dict[str, float]:
    """Microseconds per (mention, trigger) pair: one at a time (:meth:`RoleModel.scores`)
    and all mentions of a trigger at once (:meth:`RoleModel.scores_many`)."""
    groups = []
    n = 0
    for art in coded:
        cands = candidate_spans(art.doc, [(m.start, m.end) for m in art.mentions])
        for t in triggers(art.doc, [(e.predicate.start, e.predicate.end)
                                    for e in art.events if e.predicate]):
            groups.append((cands, t))
            n += len(cands)
        if n >= limit:
            break
    if not n:
        return {"single": math.nan, "batch": math.nan}
    start = time.perf_counter()
    for cands, t in groups:
        for m in cands:
            model.scores(m, t)
    mid = time.perf_counter()
    for cands, t in groups:
        model.scores_many(cands, t)
    end = time.perf_counter()
    return {"single": round((mid - start) / n * 1e6, 2), "batch": round((end - mid) / n * 1e6, 2),
            "pairs": n}


def train_roles(ner_path: Path, *, seed: int = 0, folds: int = 5, out_dir: Path | None = None,
                settings: FeatureSettings | None = None, c: float = 0.3,
                class_weight: str | None = "balanced", threshold: float = 0.5,
                triggers_from: str = "all", labelling: str = "overlap",
                coded: Sequence[Any] | None = None) -> dict[str, Any]:
    """Train the role model on a CoNLL S/T/R file and save it as ``roles`` in ``out_dir``
    (the package's model folder by default). Returns the report: cross-validated span
    P/R/F1 (``cv``), the rule coder's figures on the same records (``rules``), speed and
    size.

    Each record is coded with redline (or ``coded`` gives them, in order, each with
    ``doc``, ``mentions`` and ``events``). Its triggers are the coder's predicates, else the
    root; its candidates are the coder's mentions, noun chunks and named entities, one per
    head token, each paired with each trigger and labelled by overlap with the gold spans
    (``labelling="head"``: only a candidate that heads a gold span is positive).
    ``triggers_from="best"`` trains on one trigger per record, the one whose events agree
    most with the gold. ``c`` and ``class_weight`` go to the logistic regression;
    ``threshold`` is what :meth:`RoleModel.pick` needs by default.
    """
    from redline.evaluate.gold import read_conflibert_ner

    settings = settings or FeatureSettings()
    ner_path = Path(ner_path)
    records = read_conflibert_ner(ner_path)
    if coded is None:
        from redline.api import code_many

        coded = list(code_many({"id": r.id, "text": r.text, "date": None} for r in records))
    if len(coded) != len(records):
        raise ValueError(f"{len(coded)} coded articles for {len(records)} records")
    report: dict[str, Any] = {"rules": _rules_report(records, coded)}
    if min(folds, len(records)) >= 2:
        report["cv"] = cross_validate(records, coded, seed=seed, folds=folds,
                                      settings=settings, c=c, class_weight=class_weight,
                                      threshold=threshold, triggers_from=triggers_from,
                                      labelling=labelling)
    ex = _examples(records, coded, settings, triggers_from, labelling)
    rows = range(len(ex.labels))
    if len(set(ex.labels) - {-1}) < 2:
        raise ValueError(f"{ner_path}: the candidates carry only one label; nothing to learn")
    index, clf = _fit(ex, rows, settings, seed, c, class_weight)
    model = _model(index, clf, settings)
    report.update(us_per_pair=time_pairs(model, coded), features=len(index),
                  examples=len(ex.labels))
    coef, bias = _full_weights(clf, len(LABELS))
    arrays = {"index": index.astype(np.int32),
              "weights": coef[:len(index)].astype(np.float16),
              "bias": bias.astype(np.float32)}
    if settings.vectors:
        arrays["vector_weights"] = coef[len(index):].astype(np.float16)
    meta = {"labels": list(LABELS), "features": settings.to_dict(), "threshold": threshold,
            "training": {"file": ner_path.name,
                         "sha256": hashlib.sha256(ner_path.read_bytes()).hexdigest(),
                         "records": len(records), "examples": len(ex.labels), "seed": seed,
                         "c": c, "class_weight": class_weight,
                         "triggers_from": triggers_from, "labelling": labelling},
            "report": report}
    path = modelfile.save(NAME, arrays, meta, out_dir)
    report["bytes"] = path.stat().st_size
    log.info("role model: %d features, %d bytes, %s", len(index), report["bytes"], path)
    return report


def main(argv: Sequence[str] | None = None) -> None:
    """``python -m redline.learn.roles NER_FILE [--out DIR]``: train, save, print the report."""
    import argparse
    import json

    ap = argparse.ArgumentParser(prog="python -m redline.learn.roles", description=main.__doc__)
    ap.add_argument("ner_file", type=Path, help="CoNLL file tagged S/T/R per token")
    ap.add_argument("--out", type=Path, default=None, help="model folder (the package's)")
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args(argv)
    report = train_roles(args.ner_file, seed=args.seed, folds=args.folds, out_dir=args.out)
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
