"""``redline eval ... --folds K``: scores on a file a shipped model trained on, by K-fold."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from redline.cli.main import cli
from redline.evaluate.folds import split, trained_on

_QUADS = [
    ("The ministers praised the new partnership between the two ports.", 1),
    ("The envoy welcomed the offer of talks on the river dispute.", 1),
    ("The leaders expressed support for the regional peace plan.", 1),
    ("The government shipped grain and fuel to its neighbour.", 2),
    ("The army handed over the captured soldiers at the border.", 2),
    ("The donors delivered tents to the flooded valley.", 2),
    ("The opposition condemned the arrests of its candidates.", 3),
    ("The minister accused the rival party of lying about the budget.", 3),
    ("The president threatened new tariffs on steel imports.", 3),
    ("Soldiers fired on the crowd outside the palace.", 4),
    ("Rebels ambushed a convoy in the hills, killing six.", 4),
    ("Police beat protesters with batons in the main square.", 4),
    ("The weather stayed mild for most of the week.", 0),
    ("The museum reopened its modern art wing.", 0),
    ("The football season starts in August.", 0),
]


def test_split_is_seeded_and_covers_every_record() -> None:
    folds = split(10, 3, seed=0)
    assert sorted(i for f in folds for i in f) == list(range(10))
    assert [f.tolist() for f in folds] == [f.tolist() for f in split(10, 3, seed=0)]


def test_a_file_no_model_trained_on_is_not_flagged(tmp_path: Path) -> None:
    path = tmp_path / "mine.tsv"
    path.write_text("A sentence of our own.\t0\n")
    assert trained_on(path) == []


def test_folds_are_refused_for_a_set_no_model_trains_on(tmp_path: Path) -> None:
    path = tmp_path / "gold.jsonl"
    path.write_text('{"id": "x", "text": "Chile and Peru signed a pact.", "event": "AGREE", '
                    '"source": [], "target": []}\n')
    r = CliRunner().invoke(cli, ["eval", "plover", str(path), "--folds", "2"])
    assert r.exit_code != 0 and "--folds applies to" in r.output


@pytest.mark.model
def test_quad_folds_code_each_record_with_a_model_that_never_saw_it(tmp_path: Path) -> None:
    path = tmp_path / "quads.tsv"
    path.write_text("".join(f"{t}\t{q}\n" for t, q in _QUADS))
    r = CliRunner().invoke(cli, ["eval", "conflibert-quad", str(path), "--folds", "3"])
    assert r.exit_code == 0, r.output
    assert "15 records" in r.output and "Accuracy" in r.output


@pytest.mark.model
def test_actor_folds_retrain_the_role_model_per_fold(tmp_path: Path) -> None:
    from tests.learn.test_roles import FIXTURE, _conll

    path = tmp_path / "spans.txt"
    path.write_text(_conll(FIXTURE), encoding="utf-8")
    r = CliRunner().invoke(cli, ["eval", "conflibert-actors", str(path), "--folds", "2"])
    assert r.exit_code == 0, r.output
    assert "20 records" in r.output and "source" in r.output and "target" in r.output
