"""Rebuild the shipped type model from labelled data: ``redline train``.

Reads (never copies) the training files, parses them with redline's spaCy model, fits the
two heads of :mod:`redline.learn.typer` with a fixed seed, cross-validates each on its own
file, picks the review/propose thresholds on held-out folds of the quad-class file, and
writes ``types.npz`` with its hash into the manifest. The figures it prints are the
cross-validated ones the README quotes.

Inputs, all optional but the first two:

* ``train/ngec_synthetic.jsonl``: synthetic stories, one PLOVER type each (lead sentence);
* ``eval/conflibert_cameo_class.train.tsv``: sentences with a quad class (0 = no event).
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from redline.errors import InputError, RedlineError
from redline.events.learned import MATERIAL_QUADS
from redline.learn import modelfile
from redline.learn.features import LinearHead, featurize
from redline.learn.typer import NAME, PLOVER_TYPES, QUADS, cross_validate, fit_head

log = logging.getLogger(__name__)

SYNTHETIC = "train/ngec_synthetic.jsonl"
QUAD_FILE = "eval/conflibert_cameo_class.train.tsv"
#: Threshold grid searched on held-out folds (see :func:`choose_thresholds`).
VETO_TYPE = (0.02, 0.05, 0.1)
VETO_QUAD = (0.05, 0.1, 0.2)
PROPOSE_QUAD = (0.5, 0.7, 1.1)
LEAD_CHARS = 700


@dataclass(slots=True)
class Labelled:
    text: str
    label: str


def file_sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def read_synthetic(path: Path) -> list[Labelled]:
    """``{"text", "event"}`` lines; the lead of each story with its type."""
    out = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
            text, label = obj["text"], obj["event"]
        except (ValueError, KeyError, TypeError):
            raise InputError(f"{path}:{n}", "expected JSON with 'text' and 'event'") from None
        if label in PLOVER_TYPES and isinstance(text, str) and text.strip():
            out.append(Labelled(text[:LEAD_CHARS], label))
    return out


def read_quads(path: Path) -> list[Labelled]:
    """``sentence<TAB>label`` lines with labels 0-4."""
    from redline.evaluate.gold import read_conflibert_class

    return [Labelled(r.text, str(r.label)) for r in read_conflibert_class(path)]


def _parse(texts: Sequence[str], nlp: Any, desc: str, progress: bool) -> list[Any]:
    from tqdm import tqdm

    docs = []
    with tqdm(total=len(texts), desc=desc, unit="doc", disable=not progress) as bar:
        for doc in nlp.pipe(texts, batch_size=64):
            docs.append(doc)
            bar.update(1)
    return docs


def lead_rows(docs: Iterable[Any]) -> list[tuple[np.ndarray, np.ndarray]]:
    return [featurize(next(iter(d.sents))) for d in docs]


def whole_rows(docs: Iterable[Any]) -> list[tuple[np.ndarray, np.ndarray]]:
    return [featurize(d[:]) for d in docs]


RuleEvent = tuple[float, int, str, int]


def _rule_events(texts: Sequence[str], progress: bool) -> list[list[RuleEvent]]:
    """(confidence, quad, PLOVER type, pattern specificity) of each text's events under the
    rules alone."""
    from tqdm import tqdm

    from redline.api import code_many
    from redline.settings import load_settings

    settings = load_settings(events={"model": "off"})
    items = [{"id": f"r{i}", "text": t, "date": None} for i, t in enumerate(texts)]
    out = []
    for art in tqdm(code_many(items, settings=settings), total=len(items), unit="doc",
                    desc="rules", disable=not progress):
        out.append([(e.confidence, e.quad_class, e.plover.type if e.plover else "",
                     int(e.specific)) for e in art.events])
    return out


def simulate(rules: Sequence[Sequence[RuleEvent]], types: np.ndarray, quads: np.ndarray,
             gold: Sequence[str], veto_type: float, veto_quad: float,
             propose_quad: float) -> float:
    """Quad accuracy of the rules reviewed by the model at the given thresholds, as the
    events stage does it (:mod:`redline.events.learned`): the prediction is the quad of the
    most confident kept event, else the model's proposal, else 0."""
    right = 0
    for i, evs in enumerate(rules):
        kept = [(c, q) for c, q, t, spec in evs
                if spec > 0 or q not in MATERIAL_QUADS
                or not ((types[i][PLOVER_TYPES.index(t)] if t in PLOVER_TYPES else 0.0)
                        < veto_type and quads[i][q] < veto_quad)]
        if kept:
            pred = max(kept)[1]
        elif evs:
            pred = 0  # the model overruled the rules: no proposal instead
        elif quads[i][1:].max() >= propose_quad:
            pred = int(quads[i][1:].argmax()) + 1
        else:
            pred = 0
        right += str(pred) == gold[i]
    return right / max(len(rules), 1)


def choose_thresholds(rules: Sequence[Sequence[RuleEvent]], types: np.ndarray,
                      quads: np.ndarray, gold: Sequence[str]) -> dict[str, Any]:
    """Thresholds with the best held-out quad accuracy (ties: the most conservative): the
    veto pair first, with no proposals (the default coder), then the proposal threshold for
    ``[events] propose = true``."""
    base = simulate(rules, types, quads, gold, 0.0, 0.0, 1.1)
    best = max((round(simulate(rules, types, quads, gold, vt, vq, 1.1), 4), -vt, -vq)
                for vt in VETO_TYPE for vq in VETO_QUAD)
    vt, vq = -best[1], -best[2]
    pbest = max((round(simulate(rules, types, quads, gold, vt, vq, pq), 4), pq)
                for pq in PROPOSE_QUAD)
    return {"veto_type": vt, "veto_quad": vq, "propose_quad": pbest[1],
            "heldout_quad_accuracy": best[0], "heldout_quad_accuracy_proposing": pbest[0],
            "rules_alone_quad_accuracy": round(base, 4)}


def train_types(shared: Path, *, out_dir: Path | None = None, seed: int = 0, folds: int = 5,
                model: str = "md", progress: bool = True, c: float = 10.0,
                quad_path: Path | None = None, synthetic_path: Path | None = None
                ) -> dict[str, Any]:
    """Fit, cross-validate and save the type model; returns the report (no probabilities)."""
    from redline.nlp import load_model

    synthetic_path = synthetic_path or shared / SYNTHETIC
    quad_path = quad_path or shared / QUAD_FILE
    for p in (synthetic_path, quad_path):
        if not p.is_file():
            raise InputError(str(p), "training file not found (pass the folder that holds "
                                     "train/ and eval/, e.g. ../shared)")
    started = time.monotonic()
    nlp = load_model(model)
    syn = read_synthetic(synthetic_path)
    quads = read_quads(quad_path)
    if len(syn) < 10 or len(quads) < 10:
        raise RedlineError("too few training records (need at least 10 in each file)")
    syn_rows = lead_rows(_parse([r.text for r in syn], nlp, "parsing stories", progress))
    quad_rows = whole_rows(_parse([r.text for r in quads], nlp, "parsing sentences", progress))
    syn_y = [r.label for r in syn]
    quad_y = [r.label for r in quads]
    log.info("cross-validating the plover head on %d stories", len(syn))
    cv_types = cross_validate(syn_rows, syn_y, PLOVER_TYPES, folds=folds, c=c, seed=seed)
    log.info("cross-validating the quad head on %d sentences", len(quads))
    cv_quads = cross_validate(quad_rows, quad_y, QUADS, folds=folds, c=c, seed=seed)
    plover = fit_head(syn_rows, syn_y, PLOVER_TYPES, c=c, seed=seed)
    quad = fit_head(quad_rows, quad_y, QUADS, c=c, seed=seed)
    # thresholds: the rules' events on the quad sentences, reviewed with held-out quad
    # probabilities and the plover head (which never saw these sentences)
    rules = _rule_events([r.text for r in quads], progress)
    head = LinearHead(PLOVER_TYPES, plover)
    type_p = np.stack([head.proba(*r) for r in quad_rows])
    thresholds = choose_thresholds(rules, type_p, cv_quads["proba"], quad_y)
    report = {
        "model": NAME, "seed": seed, "regularisation_c": c, "spacy_model": model,
        "plover_head": {k: v for k, v in cv_types.items() if k != "proba"},
        "quad_head": {k: v for k, v in cv_quads.items() if k != "proba"},
        "thresholds": thresholds,
        "training_files": {str(synthetic_path.name): file_sha256(synthetic_path),
                           str(quad_path.name): file_sha256(quad_path)},
        "seconds": round(time.monotonic() - started, 1),
    }
    meta = {"plover_labels": list(PLOVER_TYPES), "quad_labels": list(QUADS),
            "veto_type": thresholds["veto_type"], "veto_quad": thresholds["veto_quad"],
            "propose_quad": thresholds["propose_quad"], "report": _jsonable(report)}
    arrays = {**{f"plover_{k}": v for k, v in plover.items()},
              **{f"quad_{k}": v for k, v in quad.items()}}
    path = modelfile.save(NAME, arrays, meta, out_dir)
    report["file"] = str(path)
    report["bytes"] = path.stat().st_size
    return _jsonable(report)


def _jsonable(obj: Any) -> Any:
    if isinstance(obj, dict):
        return {str(k): _jsonable(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [_jsonable(v) for v in obj]
    if isinstance(obj, np.generic):
        return obj.item()
    return obj
