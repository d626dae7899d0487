"""Hand-built parses, so the stage logic is tested without loading the model.

A parse is written one token a line, tab-separated, as the model produced it for a sentence
we wrote: ``text lemma pos tag dep head ent space`` (head: token index; ent: ``B-GPE``,
``I-DATE`` or ``O``; space: 1 if a space follows). ``parses.txt`` beside this file holds one
block per sentence, headed ``## <the sentence>``.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import spacy
from spacy.tokens import Doc

_VOCAB = spacy.blank("en").vocab  # English lexical attributes (lower_, like_num), no model


def build_doc(table: str) -> Any:
    rows = [line.split("\t") for line in table.strip("\n").splitlines()
            if line.strip() and not line.startswith("#")]
    for r in rows:
        if len(r) != 8:
            raise ValueError(f"bad parse row {r!r}")
    return Doc(_VOCAB, words=[r[0] for r in rows], spaces=[r[7] == "1" for r in rows],
               lemmas=[r[1] for r in rows], pos=[r[2] for r in rows], tags=[r[3] for r in rows],
               deps=[r[4] for r in rows], heads=[int(r[5]) for r in rows],
               ents=[r[6] for r in rows])


@cache
def _parses() -> dict[str, str]:
    out: dict[str, str] = {}
    sentence = None
    for line in (Path(__file__).parent / "parses.txt").read_text(encoding="utf-8").splitlines():
        if line.startswith("## "):
            sentence = line[3:]
            out[sentence] = ""
        elif sentence is not None and line.strip() and not line.startswith("#"):
            out[sentence] += line + "\n"
    return out


@pytest.fixture
def parse() -> Callable[[str], Any]:
    """parse(sentence) -> the spaCy Doc of a sentence in parses.txt, built by hand."""

    def build(sentence: str) -> Any:
        doc = build_doc(_parses()[sentence])
        assert doc.text == sentence, doc.text
        return doc

    return build
