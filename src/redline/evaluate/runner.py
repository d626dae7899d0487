"""The evaluation sets redline knows, and one function that runs any of them.

``run_eval(kind, path)`` reads the gold file the caller names, codes each record with
redline (one record = one article) and returns the scored result; the CLI and any other
front end call it and format the result with :mod:`redline.evaluate.report`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from redline.errors import RedlineError
from redline.evaluate import case2021, conflibert, gold, plover, polnear, report
from redline.evaluate.coding import MODALITIES, code_records
from redline.evaluate.folds import FOLDABLE, actor_folds, quad_folds


@dataclass(frozen=True, slots=True)
class EvalSet:
    """How to read, code, score and report one gold format."""

    name: str
    read: Callable[[str | Path], list[Any]]
    items: Callable[[Sequence[Any]], list[dict[str, Any]]]
    score: Callable[[Sequence[Any], Sequence[Any], str], Any]
    report: Callable[[Any, str, int], str]
    uses_modality: bool = True


SETS: dict[str, EvalSet] = {
    s.name: s
    for s in (
        EvalSet("plover", gold.read_plover, plover.items, plover.score, report.plover_report),
        EvalSet("conflibert-quad", gold.read_conflibert_class, conflibert.quad_items,
                conflibert.score_quad, report.quad_report),
        EvalSet("conflibert-actors", gold.read_conflibert_ner, conflibert.actor_items,
                conflibert.score_actors, report.actors_report),
        EvalSet("case2021", gold.read_case2021, case2021.items, case2021.score, report.case_report),
        EvalSet("polnear", gold.read_polnear, polnear.items,
                lambda records, articles, _modality: polnear.score(records, articles),
                report.polnear_report, uses_modality=False),
    )
}


def run_eval(kind: str, path: str | Path, *, limit: int | None = None, modality: str = "all",
             progress: bool = True, folds: int | None = None) -> Any:
    """Read the gold file at ``path``, code its first ``limit`` records and score them.

    With ``folds``, the records are coded by K models each retrained without them
    (:mod:`redline.evaluate.folds`); only for sets a shipped model trains on."""
    if kind not in SETS:
        raise ValueError(f"unknown evaluation set {kind!r} (known: {', '.join(SETS)})")
    if modality not in MODALITIES:
        raise ValueError(f"modality must be one of {', '.join(MODALITIES)}")
    spec = SETS[kind]
    records = spec.read(path)
    if limit is not None:
        records = records[:limit]
    if folds is not None:
        if kind not in FOLDABLE:
            raise RedlineError(f"--folds applies to {', '.join(FOLDABLE)}: no shipped model "
                               f"trains on {kind} files")
        fold = quad_folds if kind == "conflibert-quad" else actor_folds
        articles = fold(records, folds, progress=progress)
    else:
        articles = code_records(spec.items(records), progress=progress, desc=kind)
    return spec.score(records, articles, modality)
