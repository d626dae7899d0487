"""Classes of coding error read on real news, each with sentences of our own.

Each test names a class a user found in the dyad charts: a ruling read as force, a warning as
a threat, a verbal clash as combat, a helper as the fighter, a long insurgency as today's
attack, traded accusations as cooperation, a weapons test as an air strike, a postponed
decision as the act itself, a past-perfect event as today's, a joint act without partners.
"""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.model

_FORCE = ("18", "19", "20")


def _roots(article) -> list[str]:
    return [e.cameo[:2] for e in article.events]


def test_a_court_striking_down_a_policy_is_not_force(coded) -> None:
    art = coded("The constitutional court struck down the emergency decree on Monday.")
    assert not any(r in _FORCE for r in _roots(art))


def test_advance_warning_is_not_a_threat(coded) -> None:
    art = coded("The army gave villagers advance warning before it demolished the old bridge.")
    assert not any(r == "13" for r in _roots(art))


def test_helping_a_third_party_fight_does_not_make_the_helper_the_fighter(coded) -> None:
    art = coded("Iran helped train militias to fight Islamic State in northern Iraq.")
    assert not [e for e in art.events if e.cameo[:2] in _FORCE and e.source is not None
                and e.source.country == "IRN"]
    art = coded("Tehran trained and armed local militias to fight the jihadists.")
    assert not [e for e in art.events if e.cameo[:2] in _FORCE and e.source is not None
                and e.source.country == "IRN"]


def test_a_decades_long_insurgency_is_not_todays_attack(coded) -> None:
    art = coded("The decades-long insurgency in the south has killed thousands of people.",
                "2025-03-01")
    force = [e for e in art.events if e.cameo[:2] in _FORCE]
    assert force and all(e.date is not None and e.date.historical
                         and not e.date.from_article_date for e in force)


def test_traded_accusations_are_accusations_both_ways(coded) -> None:
    art = coded("India and Pakistan traded accusations over the shelling of border posts.")
    acc = [e for e in art.events if e.plover and e.plover.type == "ACCUSE"]
    assert {e.source.country for e in acc} == {"IND", "PAK"}
    assert {e.source.country: [a.country for a in e.joint_with] for e in acc} == {
        "IND": ["PAK"], "PAK": ["IND"]}
    assert not [e for e in art.events if e.plover and e.plover.type == "COOPERATE"]


def test_trading_fire_is_fighting_both_ways(coded) -> None:
    art = coded("Armenia and Azerbaijan traded fire along their border overnight.")
    fights = [e for e in art.events if e.cameo[:2] == "19"]
    assert len(fights) == 2 and all(e.joint_with for e in fights)


def test_a_weapons_test_is_a_show_of_force_not_an_air_strike(coded) -> None:
    for text in ("North Korea tested a ballistic missile on Friday.",
                 "Iran test-fired a new cruise missile during naval drills."):
        art = coded(text)
        assert "150" in [e.cameo for e in art.events], text
        assert not any(e.cameo.startswith("19") for e in art.events), text


def test_a_postponed_decision_is_not_the_act(coded) -> None:
    art = coded("Alliance leaders put off a decision on air strikes against the militants.")
    assert not [e for e in art.events if e.cameo[:2] in _FORCE and e.modality == "asserted"]
    art = coded("The cabinet postponed a vote on sending troops to Mali.")
    sent = [e for e in art.events if e.cameo.startswith("15")]
    assert sent and all(e.modality == "hypothetical" for e in sent)


def test_a_past_perfect_event_is_background(coded) -> None:
    art = coded("Ankara said relations were improving. Turkey had shot down a Russian "
                "warplane near the Syrian border.", "2025-03-01")
    downing = [e for e in art.events if e.cameo[:2] in _FORCE]
    assert downing and all(e.date.historical and not e.date.from_article_date
                           for e in downing)


def test_accusing_each_other_is_a_joint_act(coded) -> None:
    art = coded("Armenia and Azerbaijan accused each other of breaking the truce.")
    acc = [e for e in art.events if e.plover and e.plover.type == "ACCUSE"]
    assert {e.source.country for e in acc} == {"ARM", "AZE"}
    assert all(e.joint_with for e in acc)


def test_people_injured_in_an_attack_are_its_targets(coded) -> None:
    art = coded("Four civilians were injured when militants shelled the market town.")
    hurt = [e for e in art.events if e.predicate is not None
            and e.predicate.text.startswith("injur")]
    assert hurt and hurt[0].cameo[:2] == "19"
    assert hurt[0].target is not None and hurt[0].target.sector == "CVL"
    art = coded("Gunmen injured two police officers in the capital on Sunday.")
    hurt = [e for e in art.events if e.cameo[:2] == "19"]
    assert hurt and hurt[0].target is not None and hurt[0].target.sector == "COP"


def test_people_who_died_in_an_attack_are_its_targets_and_natural_deaths_are_not_events(
        coded) -> None:
    art = coded("Two border guards died in a rocket attack on their post overnight.")
    force = [e for e in art.events if e.cameo[:2] == "19"]
    assert force and force[0].source is None
    assert force[0].target is not None and "guards" in force[0].target.text
    art = coded("The veteran senator died in hospital on Sunday at the age of 88.")
    assert not [e for e in art.events if e.cameo[:2] in _FORCE]


def test_undergoer_patterns_parse_for_verbs_only() -> None:
    from redline.events.lexicon import parse_pattern

    assert parse_pattern("V:perish ~undergoer", "190", 0.5, 1).undergoer
    assert not parse_pattern("V:kill", "190", 0.5, 1).undergoer
    with pytest.raises(ValueError):
        parse_pattern("N:death ~undergoer", "190", 0.5, 1)


def test_an_attack_that_left_people_dead_targets_them(coded) -> None:
    art = coded("Car bombs in the old city have left eleven people dead.")
    force = [e for e in art.events if e.cameo[:2] == "19"]
    assert force and force[0].target is not None and "people" in force[0].target.text
    art = coded("The minister left the room before the vote.")
    assert not [e for e in art.events if e.cameo[:2] in _FORCE]
