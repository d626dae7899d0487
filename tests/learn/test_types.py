"""The learned type model: shipped weights, hash check, scores, training on a tiny fixture."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from redline.errors import ModelError
from redline.learn import modelfile
from redline.learn.features import LinearHead
from redline.learn.typer import PLOVER_TYPES, QUADS, TypeModel, cross_validate, fit_head


def test_modelfile_round_trip_and_hash(tmp_path: Path) -> None:
    arrays = {"w": np.arange(6, dtype=np.float32).reshape(2, 3)}
    modelfile.save("toy", arrays, {"labels": ["a", "b"]}, tmp_path)
    loaded = modelfile.load("toy", tmp_path)
    assert loaded.meta == {"labels": ["a", "b"]}
    assert np.array_equal(loaded.arrays["w"], arrays["w"])
    entry = json.loads((tmp_path / "manifest.json").read_text())["toy"]
    assert entry["bytes"] == (tmp_path / "toy.npz").stat().st_size


def test_a_tampered_model_file_is_an_error(tmp_path: Path) -> None:
    folder = tmp_path / "models"
    shutil.copytree(modelfile.data_dir(), folder)
    path = folder / "types.npz"
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))
    with pytest.raises(ModelError, match="does not match its recorded hash"):
        TypeModel.load(folder)


def test_a_model_missing_from_the_manifest_is_an_error(tmp_path: Path) -> None:
    shutil.copy(modelfile.data_dir() / "types.npz", tmp_path / "types.npz")
    with pytest.raises(ModelError, match="not listed"):
        TypeModel.load(tmp_path)


def test_shipped_model_records_its_training() -> None:
    model = TypeModel.load()
    assert model.plover.labels == PLOVER_TYPES
    assert model.quad.labels == QUADS
    report = model.meta["report"]
    assert report["plover_head"]["folds"] >= 2 and report["quad_head"]["folds"] >= 2
    assert 0 < model.veto_type < 1 and 0 < model.veto_quad < 1
    # weights only: no strings but the label names and the report
    npz = np.load(modelfile.data_dir() / "types.npz")
    assert all(npz[k].dtype.kind in "fiu" for k in npz.files if k != "meta")
    assert (modelfile.data_dir() / "types.npz").stat().st_size < 8_000_000


def _rows(n: int, k: int, seed: int = 1):
    rng = np.random.default_rng(seed)
    rows, labels = [], []
    for i in range(n):
        lab = i % k
        idx = np.unique(rng.integers(0, 50, 4) + 100 * lab).astype(np.int64)
        dense = rng.normal(size=600).astype(np.float32) * 0.01
        dense[lab] += 1.0
        rows.append((idx, dense))
        labels.append(QUADS[lab])
    return rows, labels


def test_fit_head_learns_separable_classes() -> None:
    rows, labels = _rows(60, 3)
    head = LinearHead(QUADS, fit_head(rows, labels, QUADS))
    right = sum(QUADS[int(head.proba(*r).argmax())] == y for r, y in zip(rows, labels,
                                                                      strict=True))
    assert right == len(rows)
    # a class with no training rows is never predicted
    assert max(head.proba(*rows[0])[3:]) < 1e-6


def test_cross_validation_scores_held_out_rows() -> None:
    rows, labels = _rows(40, 2)
    cv = cross_validate(rows, labels, QUADS, folds=4)
    assert cv["folds"] == 4 and cv["records"] == 40
    assert cv["accuracy"] > 0.9
    assert cv["proba"].shape == (40, len(QUADS))


@pytest.mark.model
def test_sentence_scores_read_what_happened() -> None:
    from redline.nlp import load_model

    nlp = load_model()
    model = TypeModel.load()
    doc = nlp("Government troops shelled the rebel town overnight, killing nine people.")
    types, quads = model.sentence(next(iter(doc.sents)))
    assert max(types, key=types.get) in ("ASSAULT", "COERCE")
    assert max(quads, key=quads.get) == "4"
    doc = nlp("The two foreign ministers praised each other's efforts at a friendly lunch.")
    types, quads = model.sentence(next(iter(doc.sents)))
    assert quads["1"] + quads["2"] > quads["3"] + quads["4"]


_STORIES = [
    ("Militia fighters attacked a police post near the river town on Sunday.", "ASSAULT"),
    ("Artillery units shelled the northern suburbs for a third night.", "ASSAULT"),
    ("Gunmen stormed a checkpoint and killed four guards.", "ASSAULT"),
    ("Thousands of nurses marched through the capital demanding higher pay.", "PROTEST"),
    ("Students rallied outside parliament against the new tuition law.", "PROTEST"),
    ("Farmers blocked the motorway with tractors to protest fuel prices.", "PROTEST"),
    ("The two governments signed a trade accord after months of talks.", "AGREE"),
    ("The neighbours agreed to reopen their shared border crossing.", "AGREE"),
    ("Both sides agreed on a ceasefire starting at midnight.", "AGREE"),
    ("The charity delivered food and blankets to flooded villages.", "AID"),
    ("The donor sent medical supplies to the earthquake zone.", "AID"),
    ("Relief agencies flew tents and water to the displaced families.", "AID"),
]
_QUADS = [
    ("The ministers praised the new partnership.", 1),
    ("The leaders expressed support for the peace plan.", 1),
    ("The envoy welcomed the offer of talks.", 1),
    ("The government shipped grain to its neighbour.", 2),
    ("The bank released the frozen loan to the ministry.", 2),
    ("The army handed over the captured soldiers.", 2),
    ("The opposition condemned the arrests.", 3),
    ("The minister accused the rival party of lying.", 3),
    ("The president threatened new tariffs on imports.", 3),
    ("Soldiers fired on the crowd outside the palace.", 4),
    ("Rebels ambushed a convoy in the hills.", 4),
    ("Police beat protesters with batons.", 4),
    ("The weather stayed mild for most of the week.", 0),
    ("The museum reopened its modern art wing.", 0),
    ("The football season starts in August.", 0),
]


@pytest.mark.model
def test_training_on_a_tiny_fixture(tmp_path: Path) -> None:
    from redline.learn.train import train_types

    syn = tmp_path / "stories.jsonl"
    syn.write_text("".join(json.dumps({"text": t, "event": e}) + "\n" for t, e in _STORIES))
    quads = tmp_path / "quads.tsv"
    quads.write_text("".join(f"{t}\t{q}\n" for t, q in _QUADS))
    out = tmp_path / "models"
    report = train_types(tmp_path, out_dir=out, folds=2, progress=False,
                         synthetic_path=syn, quad_path=quads)
    assert report["plover_head"]["folds"] == 2 and report["plover_head"]["records"] == 12
    assert report["quad_head"]["records"] == 15
    assert set(report["thresholds"]) >= {"veto_type", "veto_quad", "propose_quad"}
    model = TypeModel.load(out)  # hash-checked against the manifest written beside it
    assert model.meta["report"]["training_files"]["quads.tsv"]
    # same seed, same files: the same weights
    again = train_types(tmp_path, out_dir=tmp_path / "again", folds=2, progress=False,
                        synthetic_path=syn, quad_path=quads)
    assert again["plover_head"] == report["plover_head"]
    a = np.load(out / "types.npz")
    b = np.load(tmp_path / "again" / "types.npz")
    assert all(np.array_equal(a[k], b[k]) for k in a.files if k != "meta")


@pytest.mark.model
def test_the_model_proposes_an_event_the_lexicon_has_no_pattern_for(coded) -> None:
    from redline.api import code_many
    from redline.settings import load_settings

    text = "Syrian troops pummelled rebel positions near Idlib overnight."
    art = next(code_many([{"id": "x", "text": text, "date": "2025-06-12"}],
                         settings=load_settings(events={"propose": True})))
    proposed = [e for e in art.events if e.model and e.model.get("proposed")]
    assert proposed and proposed[0].rule == "model:ASSAULT"
    assert proposed[0].cameo == "190" and proposed[0].source.code == "SYRMIL"
    assert proposed[0].to_dict()["model"]["proposed"] is True
    # by default (no proposals), and with the rules alone: no pattern for "pummel", no event
    assert coded(text).events == []
    off = next(code_many([{"id": "x", "text": text, "date": "2025-06-12"}],
                         settings=load_settings(events={"model": "off"})))
    assert off.events == []


@pytest.mark.model
def test_every_event_carries_the_model_scores(coded) -> None:
    art = coded("Turkish jets pounded Kurdish militant hideouts in northern Iraq.")
    assert art.events and all(set(e.model) >= {"type", "quad", "none"} for e in art.events)
    assert all(0.0 <= e.model["quad"] <= 1.0 for e in art.events)


@pytest.mark.model
def test_train_command_on_a_tiny_shared_folder(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from redline.cli.main import cli

    (tmp_path / "train").mkdir()
    (tmp_path / "eval").mkdir()
    (tmp_path / "train" / "ngec_synthetic.jsonl").write_text(
        "".join(json.dumps({"text": t, "event": e}) + "\n" for t, e in _STORIES))
    (tmp_path / "eval" / "conflibert_cameo_class.train.tsv").write_text(
        "".join(f"{t}\t{q}\n" for t, q in _QUADS))
    out = tmp_path / "models"
    r = CliRunner().invoke(cli, ["train", str(tmp_path), "--only", "types", "--folds", "2",
                                 "--out", str(out), "--json", str(tmp_path / "r.json")])
    assert r.exit_code == 0, r.output
    assert "2-fold CV on 12 stories" in r.output and "quad head" in r.output
    assert TypeModel.load(out).meta["report"]["seed"] == 0
    assert json.loads((tmp_path / "r.json").read_text())["types"]["quad_head"]["records"] == 15


def test_train_command_names_a_missing_training_file(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from redline.cli.main import cli

    r = CliRunner().invoke(cli, ["train", str(tmp_path), "--only", "types"])
    assert r.exit_code != 0 and "ngec_synthetic.jsonl" in r.output
    assert "Traceback" not in r.output
