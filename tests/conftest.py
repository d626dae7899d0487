"""Shared fixtures. Tests that load the spaCy model are marked ``model``; they run in CI."""

from __future__ import annotations

import os
import tempfile

import pytest

# The tests build the gazetteer and knowledge base into a cache folder of their own, never the
# user's (subprocesses started by CLI tests inherit it).
os.environ.setdefault("REDLINE_CACHE_DIR", tempfile.mkdtemp(prefix="redline-test-cache-"))


@pytest.fixture(scope="session")
def coded():
    """Code a text once per session with the default pipeline: coded(text, date) -> Article."""
    import redline

    cache: dict[tuple[str, str | None], object] = {}

    def run(text: str, date: str | None = "2025-06-12"):
        key = (text, date)
        if key not in cache:
            cache[key] = redline.code(text, date=date)
        return cache[key]

    return run


# -- hand-built parses ----------------------------------------------------------------------
# A parse is written one token a line, tab-separated, as the model produced it for a sentence
# we wrote: ``text lemma pos tag dep head ent space`` (head: token index; ent: ``B-GPE``,
# ``I-DATE`` or ``O``; space: 1 if a space follows). A ``parses.txt`` beside a test file holds
# one block per sentence, headed ``## <the sentence>``; stage logic is then tested without the
# model.


def build_doc(table: str):
    """A spaCy Doc from a hand-written parse table."""
    import spacy
    from spacy.tokens import Doc

    rows = [line.split("\t") for line in table.strip("\n").splitlines()
            if line.strip() and not line.startswith("#")]
    for r in rows:
        if len(r) != 8:
            raise ValueError(f"bad parse row {r!r}")
    return Doc(_blank_vocab(spacy), words=[r[0] for r in rows],
               spaces=[r[7] == "1" for r in rows], lemmas=[r[1] for r in rows],
               pos=[r[2] for r in rows], tags=[r[3] for r in rows],
               deps=[r[4] for r in rows], heads=[int(r[5]) for r in rows],
               ents=[r[6] for r in rows])


_VOCABS: dict[str, object] = {}


def _blank_vocab(spacy):
    if "en" not in _VOCABS:  # English lexical attributes (lower_, like_num), no model
        _VOCABS["en"] = spacy.blank("en").vocab
    return _VOCABS["en"]


def _parses(path) -> dict[str, str]:
    out: dict[str, str] = {}
    sentence = None
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("## "):
            sentence = line[3:]
            out[sentence] = ""
        elif sentence is not None and line.strip() and not line.startswith("#"):
            out[sentence] += line + "\n"
    return out


@pytest.fixture
def parse(request):
    """parse(sentence) -> the Doc of a sentence in the parses.txt beside the test file."""
    table = _parses(request.node.path.parent / "parses.txt")

    def build(sentence: str):
        doc = build_doc(table[sentence])
        assert doc.text == sentence, doc.text
        return doc

    return build
