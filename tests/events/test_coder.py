"""Event coding on sentences we wrote, one construction per test."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.model


def events(article, root: str | None = None):
    return [e for e in article.events if root is None or e.cameo.startswith(root)]


def pair(e) -> tuple[str | None, str | None]:
    return (e.source.code if e.source else None, e.target.code if e.target else None)


def test_plain_verb_with_subject_and_object(coded) -> None:
    art = coded("Russian troops attacked Ukrainian soldiers near Kharkiv.", "2025-03-01")
    ev = events(art, "19")
    assert ev and pair(ev[0]) == ("RUSMIL", "UKRMIL")
    assert ev[0].modality == "asserted" and ev[0].plover.type == "ASSAULT"


def test_negation(coded) -> None:
    art = coded("Israel did not attack Iran last week.", "2025-03-01")
    ev = events(art, "19")
    assert ev and ev[0].modality == "negated"


def test_conditional_is_hypothetical(coded) -> None:
    art = coded("If talks fail, Russia could attack Moldova.", "2025-03-01")
    ev = events(art, "19")
    assert ev and ev[0].modality == "hypothetical"


def test_future(coded) -> None:
    art = coded("Poland will meet Germany next week.", "2025-03-01")
    ev = events(art, "04")
    assert ev and ev[0].modality == "future" and pair(ev[0]) == ("POL", "DEU")


def test_passive(coded) -> None:
    art = coded("Ukrainian soldiers were attacked by Russian troops.", "2025-03-01")
    ev = events(art, "19")
    assert ev and pair(ev[0]) == ("RUSMIL", "UKRMIL")


def test_coordination_gives_one_event_per_pair(coded) -> None:
    art = coded("Brazil and Argentina criticised Venezuela.", "2025-03-01")
    ev = events(art, "11")
    assert {pair(e) for e in ev} >= {("BRA", "VEN"), ("ARG", "VEN")}


def test_nominal_event_with_light_verb(coded) -> None:
    art = coded("The European Union imposed sanctions on Belarus.", "2025-03-01")
    ev = events(art, "16")
    assert ev and pair(ev[0]) == ("EU", "BLR")


def test_nominal_event_with_possessor(coded) -> None:
    art = coded("Officials condemned Russia's invasion of Ukraine.", "2025-03-01")
    ev = events(art, "19")
    assert ev and pair(ev[0]) == ("RUS", "UKR")


def test_threat_content_is_hypothetical(coded) -> None:
    art = coded("Iran threatened to strike Israel.", "2025-03-01")
    threats = events(art, "13")
    assert threats and threats[0].modality == "asserted"
    assert pair(threats[0]) == ("IRN", "ISR")
    assert all(e.modality != "asserted" for e in events(art, "19"))


def test_reported_speech_sets_reported_by(coded) -> None:
    art = coded("Kyiv said Russian forces shelled Kherson overnight.", "2025-03-01")
    ev = events(art, "19")
    assert ev and ev[0].reported_by is not None and ev[0].reported_by.code == "UKRGOV"


def test_appeal_with_object_control(coded) -> None:
    art = coded("Ukraine urged its allies to provide more air defence.", "2025-03-01")
    ev = events(art, "02")
    assert ev and ev[0].source.code == "UKR"
    assert ev[0].plover.type == "REQUEST"


def test_no_predicate_no_event(coded) -> None:
    art = coded("The weather in Geneva was mild on Tuesday.", "2025-03-01")
    assert art.events == []


def test_every_event_has_a_rule_and_confidence(coded) -> None:
    art = coded("Hamas fighters attacked Israeli soldiers, and Israel launched airstrikes on "
                "Gaza.", "2025-03-01")
    assert art.events
    for e in art.events:
        assert e.rule and 0 < e.confidence <= 1
        assert art.text[e.evidence.start:e.evidence.end] == e.evidence.text
