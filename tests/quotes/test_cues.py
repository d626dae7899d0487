"""The attribution cue lexicon (quotes/data/cues.tsv) and its loader."""

from __future__ import annotations

import pytest

from redline.errors import KnowledgeBaseError
from redline.quotes.cues import load_cues, parse_cues


def test_packaged_lexicon_has_every_kind():
    cues = load_cues()
    assert cues.verb_kind("say") == "speech"
    assert cues.verb_kind("Insist") == "speech"
    assert cues.verb_kind("continue") == "direct"
    assert cues.verb_kind("call") == "label"
    assert ("according", "to") in cues.phrases
    assert "\u2015" in cues.marks
    assert cues.verb_kind("attack") is None


def test_unknown_kind_is_an_error():
    with pytest.raises(KnowledgeBaseError, match="line 2"):
        parse_cues("cue\tkind\nsay\tshout\n")


def test_a_cue_listed_twice_is_an_error():
    with pytest.raises(KnowledgeBaseError, match="twice"):
        parse_cues("cue\tkind\nsay\tspeech\nsay\tdirect\n")
