"""K-fold evaluation on a file a shipped model was trained on.

A model's score on its own training file says nothing about new text. ``redline eval ...
--folds K`` splits such a file into K seeded folds; for each, it retrains the model's part
that learned from the file on the other K-1 folds, codes the held-out fold with that
model, and scores all held-out predictions together. The rules and every other part of the
model are as shipped.

Files a shipped model trained on are recognised by their SHA-256, which the model file
records (:func:`trained_on`); ``redline eval`` warns when such a file is scored without
``--folds``.
"""

from __future__ import annotations

import hashlib
import logging
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from redline.article import Article
from redline.errors import RedlineError

log = logging.getLogger(__name__)

#: Evaluation sets whose file a shipped model may train on, and the model's part it trains.
FOLDABLE = {"conflibert-quad": "the type model's quad head",
            "conflibert-actors": "the role model"}


def trained_on(path: str | Path) -> list[str]:
    """Names of shipped models whose training files include the file at ``path``."""
    from redline.learn import modelfile

    try:
        digest = hashlib.sha256(Path(path).read_bytes()).hexdigest()
    except OSError:
        return []
    out = []
    for name in sorted(modelfile.manifest_entries()):
        try:
            meta = modelfile.load(name).meta
        except RedlineError:
            continue
        files = (meta.get("report") or {}).get("training_files") or {}
        if digest in files.values():
            out.append(name)
    return out


def split(n: int, k: int, seed: int = 0) -> list[np.ndarray]:
    """K seeded folds of ``range(n)``."""
    if k < 2 or k > n:
        raise RedlineError(f"--folds must be between 2 and the number of records ({n})")
    order = np.random.default_rng(seed).permutation(n)
    return [np.sort(part) for part in np.array_split(order, k)]


FoldTrainer = Callable[[np.ndarray, Path], dict[str, Any]]


def code_folds(records: Sequence[Any], k: int, train: FoldTrainer, *, seed: int = 0,
               progress: bool = True) -> list[Article]:
    """Code each record with models retrained without its fold: ``train(indices, folder)``
    fits on the records at ``indices``, writes into ``folder`` and returns the ``[events]``
    settings that use what it wrote."""
    from redline.evaluate.coding import code_records
    from redline.settings import load_settings

    out: list[Article | None] = [None] * len(records)
    with tempfile.TemporaryDirectory(prefix="redline-folds-") as tmp:
        for n, held in enumerate(split(len(records), k, seed), 1):
            folder = Path(tmp) / f"fold{n}"
            log.info("fold %d/%d: training on %d records", n, k, len(records) - len(held))
            events = train(np.setdiff1d(np.arange(len(records)), held), folder)
            items = [{"id": records[i].id, "text": records[i].text, "date": None} for i in held]
            coded = code_records(items, progress=progress, desc=f"fold {n}/{k}",
                                 settings=load_settings(events=events))
            for i, art in zip(held, coded, strict=True):
                out[i] = art
    return [a for a in out if a is not None]


def quad_folds(records: Sequence[Any], k: int, *, seed: int = 0,
               progress: bool = True) -> list[Article]:
    """Code ``conflibert-quad`` records, each by a type model whose quad head never saw it."""
    from redline.learn import modelfile
    from redline.learn.train import whole_rows
    from redline.learn.typer import NAME, QUADS, fit_head
    from redline.nlp import load_model
    from redline.settings import load_settings

    shipped = modelfile.load(NAME)
    c = float(shipped.meta.get("report", {}).get("regularisation_c", 10.0))
    nlp = load_model(load_settings().nlp.model)
    rows = whole_rows(nlp.pipe([r.text for r in records], batch_size=64))
    labels = [str(r.label) for r in records]

    def train(idx: np.ndarray, folder: Path) -> dict[str, Any]:
        quad = fit_head([rows[i] for i in idx], [labels[i] for i in idx], QUADS, c=c,
                        seed=seed)
        arrays = {k_: v for k_, v in shipped.arrays.items() if not k_.startswith("quad_")}
        arrays.update({f"quad_{k_}": v for k_, v in quad.items()})
        modelfile.save(NAME, arrays, shipped.meta, folder)
        return {"model": str(folder)}

    return code_folds(records, k, train, seed=seed, progress=progress)


def actor_folds(records: Sequence[Any], k: int, *, seed: int = 0,
                progress: bool = True) -> list[Article]:
    """Code ``conflibert-actors`` records, each by a role model that never saw it. The role
    model acts only on the type model's proposals, so the folds code with proposals on: the
    one configuration whose score the role model's training file could inflate."""
    from redline.learn.roles import train_roles

    def train(idx: np.ndarray, folder: Path) -> dict[str, Any]:
        conll = folder.with_suffix(".txt")
        conll.write_text("\n\n".join(
            "\n".join(f"{t} {g}" for t, g in zip(records[i].tokens, records[i].tags,
                                                 strict=True)) for i in idx) + "\n",
            encoding="utf-8")
        train_roles(conll, seed=seed, folds=2, out_dir=folder)
        return {"roles": str(folder), "propose": True}

    return code_folds(records, k, train, seed=seed, progress=progress)
