"""Typed provenance: the coder and the actor stage decide on types; the text is the output."""

from __future__ import annotations

import copy
import json
import pickle
import sqlite3

from redline.provenance import (
    ActorRule,
    CountryForm,
    EventRule,
    Found,
    Resolution,
    Step,
    Turn,
    Via,
    ViaStep,
    resolution,
)


def test_a_resolution_is_its_output_text_with_typed_parts() -> None:
    res = resolution(ActorRule.COUNTRY_SECTOR, "adjective").then(Step.POSSESSOR)
    assert res == "possessor+country+sector:adjective"
    assert res.rule is ActorRule.COUNTRY_SECTOR and res.outer is Step.POSSESSOR
    assert res.form is CountryForm.ADJECTIVE and not res.plain
    assert resolution(ActorRule.PRONOUN, "Vladimir Putin") == "pronoun->Vladimir Putin"
    assert resolution(ActorRule.REFERENCE, "X") == "description->X"
    assert resolution(ActorRule.DESCRIPTION, "RUSGOV") == "description:RUSGOV"


def test_a_plain_string_is_read_back_once() -> None:
    for text in ("capital", "country:name", "context:place:sector:police",
                 "affiliation+unknown-person", "description->Joe Biden", "description:KREM",
                 "officeholder-out-of-office", "collective-pattern:WST"):
        res = Resolution.of(text)
        assert res is not None and res == text and isinstance(res, Resolution)
    assert Resolution.of("context:place:sector:police").steps == (Step.CONTEXT, Step.PLACE)
    assert Resolution.of("no such rule") is None and Resolution.of(None) is None


def test_provenance_survives_pickle_copy_json_and_sqlite() -> None:
    res = resolution(ActorRule.ETHNIC, "ALB").then(Step.CONTEXT)
    rule = EventRule("noun:N:attack joint", Via(Found.NOUN, (ViaStep.DEEP_TARGET,)),
                     Turn.ANNOUNCED, True)
    for value in (res, rule):
        for back in (pickle.loads(pickle.dumps(value)), copy.deepcopy(value)):
            assert back == value and type(back) is type(value)
            assert back.__dict__ == value.__dict__
        assert json.dumps({"x": value}) == json.dumps({"x": str(value)})
        con = sqlite3.connect(":memory:")
        assert con.execute("SELECT ?", (value,)).fetchone() == (str(value),)
    assert rule.found is Found.NOUN and str(rule.via) == "noun+deep-target"


def test_renaming_a_label_changes_only_the_text() -> None:
    via = Via(Found.LIGHT_VERB).plus(ViaStep.CONDITION)
    assert str(via) == "light-verb+condition" and via.has(ViaStep.CONDITION)
    assert via != Via(Found.LIGHT_VERB) and via.found is Found.LIGHT_VERB
