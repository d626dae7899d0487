"""``redline train``: rebuild the shipped learned models from labelled data."""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path

import click

from redline.errors import RedlineError

log = logging.getLogger("redline.cli")


@click.command("train")
@click.argument("shared", type=click.Path(file_okay=False, exists=True, path_type=Path))
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Write the model files and their manifest here instead of into the "
                   "installed package (then use them with [events] model = \"FOLDER\").")
@click.option("--seed", type=int, default=0, show_default=True, help="Random seed.")
@click.option("--folds", type=click.IntRange(min=2), default=5, show_default=True,
              help="Cross-validation folds for the printed scores.")
@click.option("--only", type=click.Choice(["types", "roles"]), multiple=True,
              help="Train only these models (default: all).")
@click.option("--json", "json_out", type=click.Path(dir_okay=False, path_type=Path),
              help="Also write the training report as JSON here.")
def train_cmd(shared: Path, out_dir: Path | None, seed: int, folds: int,
              only: tuple[str, ...], json_out: Path | None) -> None:
    """Retrain the learned models from SHARED, print cross-validated scores.

    \b
    SHARED is the folder holding the training data:
      train/ngec_synthetic.jsonl              PLOVER-typed stories (type model)
      eval/conflibert_cameo_class.train.tsv   quad-class sentences (type model)
      eval/conflibert_cameo_ner.train.txt     source/target spans (role model)
    Training reads these files and writes weights only; their text is never stored.
    With a fixed --seed the same files give the same models. Takes a few minutes on
    two cores and needs scikit-learn (pip install 'redline[train]').
    \b
      redline train ../shared                    # rebuild the shipped models
      redline train ../shared --out /tmp/models  # try a retrained model elsewhere
    """
    try:
        import sklearn  # noqa: F401
    except ImportError:
        raise click.ClickException(
            "training needs scikit-learn: pip install 'redline[train]'") from None
    which = only or ("types", "roles")
    progress = sys.stderr.isatty()
    reports = {}
    try:
        if "types" in which:
            from redline.learn.train import train_types

            reports["types"] = train_types(shared, out_dir=out_dir, seed=seed, folds=folds,
                                           progress=progress)
            _print_types(reports["types"])
        if "roles" in which:
            from redline.learn.roles import train_roles

            reports["roles"] = train_roles(shared / "eval" / "conflibert_cameo_ner.train.txt",
                                           seed=seed, folds=folds, out_dir=out_dir)
            _print_roles(reports["roles"])
    except RedlineError as exc:
        raise click.ClickException(str(exc)) from None
    if json_out:
        json_out.write_text(json.dumps(reports, indent=2) + "\n", encoding="utf-8")


def _print_types(r: dict) -> None:
    p, q, t = r["plover_head"], r["quad_head"], r["thresholds"]
    click.echo(f"types: {r['file']} ({r['bytes'] / 1e6:.1f} MB, {r['seconds']} s)")
    click.echo(f"  plover head, {p['folds']}-fold CV on {p['records']} stories: "
               f"accuracy {p['accuracy']:.3f}, macro F1 {p['macro_f1']:.3f}")
    click.echo(f"  quad head, {q['folds']}-fold CV on {q['records']} sentences: "
               f"accuracy {q['accuracy']:.3f}, macro F1 {q['macro_f1']:.3f}")
    click.echo(f"  review (held-out folds of the quad file): drop a material event when "
               f"P(type) < {t['veto_type']} and P(quad) < {t['veto_quad']}; quad accuracy "
               f"{t['rules_alone_quad_accuracy']:.3f} (rules alone) -> "
               f"{t['heldout_quad_accuracy']:.3f}; with proposals at P(quad) >= "
               f"{t['propose_quad']}: {t['heldout_quad_accuracy_proposing']:.3f}")


def _print_roles(r: dict) -> None:
    cv = r.get("cv") or {}
    src, tgt = cv.get("source") or {}, cv.get("target") or {}
    if src and tgt:
        click.echo(f"roles: {cv.get('folds', '?')}-fold CV on the ConfliBERT spans: source "
                   f"F1 {src.get('f1', 0):.3f}, target F1 {tgt.get('f1', 0):.3f}")
    else:
        click.echo(f"roles: {json.dumps(r)[:400]}")
