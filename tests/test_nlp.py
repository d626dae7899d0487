"""The model loader: our lean load of md/sm must parse exactly like spaCy's ordinary load."""

from __future__ import annotations

import pytest

from redline.nlp import _lean_exclude, _model_path, load_model, normalise_text

pytestmark = pytest.mark.model

TEXT = (
    "U.S. Secretary of State Marco Rubio didn't rule out new sanctions on Tehran's oil-exports "
    "on Tuesday, a spokeswoman told reporters in Washington D.C. at 3:30 p.m.\n"
    "\"We won't wait,\" she said. E-mail: press@example.org; see https://example.org/a?b=1."
)


@pytest.fixture(scope="module")
def ordinary():
    import spacy

    return spacy.load(_model_path("auto"))


def test_the_lean_load_leaves_out_strings_and_tokenizer_for_known_models():
    assert _lean_exclude("md") == ["strings", "tokenizer"]
    assert _lean_exclude("/some/model/path") == []


def test_the_default_tokenizer_is_the_one_on_disk(ordinary):
    lean = load_model("auto").tokenizer
    full = ordinary.tokenizer
    assert lean.rules == full.rules
    for attr in ("prefix_search", "suffix_search", "infix_finditer", "url_match"):
        assert getattr(lean, attr).__self__.pattern == getattr(full, attr).__self__.pattern
    assert lean.token_match == full.token_match


def test_the_lean_load_parses_like_the_ordinary_one(ordinary):
    text = normalise_text(TEXT)
    lean = load_model("auto")(text)
    full = ordinary(text)

    def rows(doc):
        return [(t.text, t.idx, t.lemma_, t.tag_, t.dep_, t.head.i, t.ent_type_, t.ent_iob_,
                 str(t.morph), t.norm_) for t in doc]

    assert rows(lean) == rows(full)
    assert [(e.text, e.label_) for e in lean.ents] == [(e.text, e.label_) for e in full.ents]
