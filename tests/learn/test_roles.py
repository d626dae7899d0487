"""The actor-role model: features, the shipped weights, training, and the file check."""

from __future__ import annotations

import shutil

import numpy as np
import pytest

from redline.errors import ModelError
from redline.learn import modelfile
from redline.learn.roles import (
    LABELS,
    FeatureSettings,
    RoleModel,
    candidate_spans,
    features,
    gold_label,
    hash_features,
    train_roles,
)

# -- a hand-built parse: no model needed ----------------------------------------------------


def _doc(words, heads, deps, pos, ents=None):
    import spacy
    from spacy.tokens import Doc

    return Doc(spacy.blank("en").vocab, words=words, heads=heads, deps=deps, pos=pos,
               ents=ents or ["O"] * len(words))


@pytest.fixture
def passive():
    # "Kyiv was shelled by Moscow ."
    return _doc(["Kyiv", "was", "shelled", "by", "Moscow", "."], [2, 2, 2, 2, 3, 2],
                ["nsubjpass", "auxpass", "ROOT", "agent", "pobj", "punct"],
                ["PROPN", "AUX", "VERB", "ADP", "PROPN", "PUNCT"],
                ["B-GPE", "O", "O", "O", "B-GPE", "O"])


def test_features_name_the_path_the_preposition_and_the_voice(passive):
    agent = features(passive[4], passive[2])
    assert "p=pobj.agent|" in agent
    assert "pr=by" in agent and "pass=1|d=pobj" in agent
    subject = features(passive[0], passive[2])
    assert "p=nsubjpass|" in subject and "pos=b" in subject and "e=GPE" in subject


def test_a_span_scores_as_its_head(passive):
    assert features(passive[4:5], passive[2]) == features(passive[4], passive[2])


def test_hashing_is_stable_and_bounded():
    # CRC-32, not Python's salted hash(): the same index in every process
    assert hash_features(["p=nsubj|"], bits=32) == [0x5D598F84]
    assert hash_features(["p=nsubj|"], bits=20) == [0x5D598F84 & 0xFFFFF]
    assert all(0 <= h < 2**12 for h in hash_features([f"f{n}" for n in range(500)], bits=12))


def test_gold_labels_by_overlap_and_by_head(passive):
    # S over "Moscow", T over "Kyiv"
    src, tgt = [(20, 26)], [(0, 4)]
    for by in ("overlap", "head"):
        assert gold_label(passive[4:5], src, tgt, by=by) == "source"
        assert gold_label(passive[0:1], src, tgt, by=by) == "target"
        assert gold_label(passive[0:1], [(0, 4)], [(0, 4)], by=by) == "both"
        assert gold_label(passive[1:2], src, tgt, by=by) == "neither"
    # "by Moscow": the object of a preposition heads the phrase too
    assert gold_label(passive[4:5], [(17, 26)], tgt, by="head") == "source"
    # a mention that only lies inside a gold span: right by overlap, left out by head
    assert gold_label(passive[4:5], [(0, 26)], [], by="overlap") == "source"
    assert gold_label(passive[4:5], [(0, 26)], [], by="head") is None


def test_candidates_are_one_per_head(passive):
    cands = candidate_spans(passive, [(0, 4), (21, 27)])
    assert [c.text for c in cands] == ["Kyiv", "Moscow"]


def test_a_model_scores_with_numpy_only(passive):
    settings = FeatureSettings()
    agent = set(hash_features(features(passive[4], passive[2], settings)))
    subject = set(hash_features(features(passive[0], passive[2], settings)))
    index = np.array(sorted(agent | subject), dtype=np.int64)
    weights = np.zeros((len(index), 4), dtype=np.float32)
    weights[np.isin(index, sorted(agent - subject)), LABELS.index("source")] = 1.0
    model = RoleModel(index, weights, np.zeros(4, dtype=np.float32), settings)
    scores = model.scores(passive[4], passive[2])
    assert set(scores) == set(LABELS)
    assert scores["source"] == max(scores.values())
    assert sum(scores.values()) == pytest.approx(1.0)
    many = model.scores_many([passive[0], passive[4]], passive[2])
    assert many.shape == (2, 4)
    assert many[1, 0] == pytest.approx(scores["source"], rel=1e-5)
    assert model.pick([passive[0], passive[4]], passive[2]).sources == (1,)


def test_a_model_with_word_vectors_adds_them(passive):
    settings = FeatureSettings(vectors=True)
    index = np.array([1, 2], dtype=np.int64)
    model = RoleModel(index, np.zeros((2, 4), dtype=np.float32), np.zeros(4, dtype=np.float32),
                      settings, vector_weights=np.zeros((600, 4), dtype=np.float32))
    # a blank vocabulary has no vectors: the pair scores as the bias alone
    assert model.scores(passive[4], passive[2])["source"] == pytest.approx(0.25)
    with pytest.raises(ModelError, match="vector weights"):
        RoleModel(index, np.zeros((2, 4)), np.zeros(4), settings)


# -- the shipped model file -----------------------------------------------------------------


def test_shipped_model_is_listed_small_and_loads():
    entry = modelfile._manifest(modelfile.data_dir())["roles"]
    assert entry["bytes"] < 3_000_000
    model = RoleModel.load()
    assert model.labels == LABELS
    cv = model.meta["report"]["cv"]
    assert cv["folds"] == 5 and cv["source"]["f1"] > 0.5 and cv["target"]["f1"] > 0.5
    assert len(model.meta["training"]["sha256"]) == 64


def test_a_tampered_model_file_is_refused(tmp_path):
    folder = tmp_path / "data"
    shutil.copytree(modelfile.data_dir(), folder)
    path = folder / "roles.npz"
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))
    with pytest.raises(ModelError, match="does not match its recorded hash"):
        RoleModel.load(folder)


def test_a_model_missing_from_the_manifest_is_refused(tmp_path):
    with pytest.raises(ModelError, match="not listed"):
        RoleModel.load(tmp_path)


# -- with the spaCy model ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def nlp():
    from redline.nlp import load_model

    return load_model("md")


@pytest.fixture(scope="module")
def shipped():
    return RoleModel.load()


def _token(doc, text):
    return next(t for t in doc if t.text == text)


def _best(scores):
    return max(scores, key=scores.get)


@pytest.mark.model
def test_subject_is_source_and_object_target(nlp, shipped):
    doc = nlp("Russia attacked Ukraine.")
    trigger = _token(doc, "attacked")
    assert _best(shipped.scores(doc[0:1], trigger)) == "source"
    assert _best(shipped.scores(_token(doc, "Ukraine"), trigger)) == "target"


@pytest.mark.model
def test_the_agent_of_a_passive_is_the_source(nlp, shipped):
    doc = nlp("Ukraine was attacked by Russia on Monday.")
    trigger = _token(doc, "attacked")
    by = shipped.scores(_token(doc, "Russia"), trigger)
    assert by["source"] + by["both"] > 0.5 and _best(by) == "source"
    subject = shipped.scores(_token(doc, "Ukraine"), trigger)
    assert subject["target"] > subject["source"]


@pytest.mark.model
def test_a_possessor_is_the_source(nlp, shipped):
    doc = nlp("Russia's invasion of Ukraine shocked the world.")
    trigger = _token(doc, "invasion")
    assert _best(shipped.scores(_token(doc, "Russia"), trigger)) == "source"
    ukraine = shipped.scores(_token(doc, "Ukraine"), trigger)
    assert ukraine["target"] > ukraine["source"]


@pytest.mark.model
def test_pick_chooses_among_mentions(nlp, shipped):
    doc = nlp("Egypt condemned the air strike by Israel on Gaza.")
    mentions = candidate_spans(doc)
    pick = shipped.pick(mentions, _token(doc, "condemned"))
    assert [mentions[i].text for i in pick.sources[:1]] == ["Egypt"]


# Invented sentences, tagged as the ConfliBERT files are (S source, T target, R both; an
# untagged word is O).
FIXTURE = """\
Russia/B-S attacked Ukraine/B-T on/O Monday/O ./O
Ukraine/B-T was/O attacked/O by/O Russia/B-S ./O
The/B-S army/I-S shelled/O the/B-T border/I-T town/I-T ./O
Police/B-S arrested/O dozens/B-T of/I-T protesters/I-T in/O the/O capital/O ./O
Germany/B-S criticised/O Hungary/B-T over/O its/O new/O media/O law/O ./O
Kenya/B-R and/O Uganda/B-R signed/O a/O trade/O pact/O ./O
The/B-S rebels/I-S ambushed/O a/B-T patrol/I-T near/O the/O river/O ./O
France/B-S praised/O Italy/B-T for/O its/O rescue/O work/O ./O
The/B-S president/I-S met/O the/B-T visiting/I-T envoy/I-T on/O Friday/O ./O
Protesters/B-S blocked/O the/B-T ministry/I-T entrance/I-T ./O
Spain/B-S expelled/O two/B-T diplomats/I-T from/I-T Venezuela/I-T ./O
The/B-S government/I-S accused/O the/B-T opposition/I-T of/O fraud/O ./O
Brazil/B-S 's/I-S invasion/O of/O the/O island/B-T shocked/O observers/O ./O
The/B-T embassy/I-T was/O stormed/O by/O students/B-S ./O
Chile/B-R and/O Peru/B-R traded/O accusations/O ./O
The/B-S court/I-S sentenced/O the/B-T journalist/I-T to/O prison/O ./O
Japan/B-S warned/O North/B-T Korea/I-T against/O new/O tests/O ./O
Soldiers/B-S raided/O the/B-T village/I-T at/O dawn/O ./O
The/B-S minister/I-S thanked/O Canada/B-T for/O its/O help/O ./O
India/B-S condemned/O the/O attack/O on/O its/O consulate/B-T ./O
"""


def _conll(text):
    lines = []
    for sentence in text.strip().splitlines():
        for w in sentence.split():
            word, _, tag = w.rpartition("/") if "/" in w[1:] else (w, "", "O")
            lines.append(f"{word} {tag}")
        lines.append("")
    return "\n".join(lines) + "\n"


@pytest.mark.model
def test_training_on_a_tiny_fixture_returns_figures(tmp_path):
    path = tmp_path / "tiny.txt"
    path.write_text(_conll(FIXTURE), encoding="utf-8")
    report = train_roles(path, folds=5, out_dir=tmp_path / "model")
    assert report["cv"]["folds"] == 5 and report["cv"]["records"] == 20
    for side in ("source", "target"):
        assert 0.0 <= report["cv"][side]["f1"] <= 1.0 and report["cv"][side]["gold"] > 0
    assert report["us_per_pair"]["batch"] > 0
    model = RoleModel.load(tmp_path / "model")
    assert model.meta["training"]["records"] == 20
    assert (tmp_path / "model" / "manifest.json").exists()


@pytest.mark.model
def test_folds_shrink_to_the_records_there_are(tmp_path):
    path = tmp_path / "three.txt"
    path.write_text(_conll("\n".join(FIXTURE.splitlines()[:3])), encoding="utf-8")
    report = train_roles(path, folds=5, out_dir=tmp_path / "model")
    assert report["cv"]["folds"] == 3
