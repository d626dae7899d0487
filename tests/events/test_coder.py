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


def test_announced_act_is_an_intent_stated_now(coded) -> None:
    art = coded("Poland will meet Germany next week.", "2025-03-01")
    assert not events(art, "04"), "the meeting has not happened"
    ev = events(art, "036")
    assert ev and ev[0].modality == "asserted" and pair(ev[0]) == ("POL", "DEU")
    assert "announced:04" in ev[0].rule and ev[0].plover.type == "AGREE"


def test_announced_attack_is_a_threat(coded) -> None:
    art = coded("The rebel commander said his fighters would attack Goma.", "2025-03-01")
    assert not [e for e in events(art, "19") if e.modality == "asserted"]
    assert events(art, "13")


def test_must_in_reported_speech_is_a_demand(coded) -> None:
    art = coded("The French foreign minister said Iran must release the detained "
                "journalists.", "2025-03-01")
    ev = events(art, "10")
    assert ev and ev[0].source.code == "FRAGOV" and ev[0].target.code == "IRN"


def test_pledge_with_embedded_act_is_coded_once(coded) -> None:
    art = coded("Japan pledged to send humanitarian aid to Sudan.", "2025-03-01")
    assert len(events(art, "03")) == 1
    assert not [e for e in events(art, "07") if e.modality == "asserted"]


def test_future_auxiliary_on_a_verbal_event(coded) -> None:
    art = coded("Chile will criticise Peru at the summit.", "2025-03-01")
    ev = events(art, "11")
    assert ev and ev[0].modality == "future"


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


def test_must_clause_is_the_speakers_demand(coded) -> None:
    art = coded("The Chilean foreign minister said Peru must guarantee the safety of "
                "fishermen.", "2025-03-01")
    ev = events(art, "10")
    assert ev and ev[0].source.country == "CHL" and ev[0].target.code == "PER"
    assert ev[0].cameo == "1034" and "demanded:0334" in ev[0].rule


def test_must_clause_without_a_coded_act_is_a_demand(coded) -> None:
    art = coded("The Chilean foreign minister said Peru must explain itself.", "2025-03-01")
    ev = events(art, "10")
    assert ev and ev[0].source.country == "CHL" and ev[0].target.code == "PER"
    assert ev[0].rule.startswith("modal-demand")


def test_threat_content_is_folded_into_the_threat(coded) -> None:
    art = coded("Iran threatened to strike Israel.", "2025-03-01")
    threat = events(art, "13")[0]
    assert threat.content is not None and threat.content.cameo.startswith("19")
    assert not events(art, "19")


def test_coordinated_subjects_act_jointly(coded) -> None:
    art = coded("Brazil and the United States agreed to expand trade.", "2025-03-01")
    joint = [e for e in art.events if e.cameo[:2] in ("03", "05", "06")]
    assert {pair(e) for e in joint} == {("BRA", None), ("USA", None)}
    assert all(e.rule.endswith(" joint") for e in joint)


def test_an_accusation_carries_what_it_alleges(coded) -> None:
    art = coded("Poland accused Russia of shelling a border post.", "2025-03-01")
    acc = events(art, "11")
    assert acc and pair(acc[0]) == ("POL", "RUS")
    assert acc[0].content is not None and acc[0].content.cameo.startswith("19")
    assert not events(art, "19"), "the shelling is alleged, not coded as having happened"


def test_an_act_called_for_is_the_content_of_the_call(coded) -> None:
    art = coded("Opposition leaders in Georgia called for the government to resign.",
                "2025-03-01")
    calls = [e for e in art.events if e.cameo[:2] in ("02", "10")]
    assert calls and calls[0].source.code == "GEOOPP"
    assert calls[0].content is not None and calls[0].content.cameo.startswith("08")
    assert not [e for e in art.events if e.cameo.startswith("08")], "nobody resigned"


def test_a_threat_targets_whoever_must_meet_its_condition(coded) -> None:
    art = coded("Turkey threatened to close its airspace unless Greece withdrew its warships.",
                "2025-03-01")
    ev = events(art, "13")
    assert ev and pair(ev[0])[0] == "TUR" and ev[0].target.country == "GRC"
    assert "condition" in ev[0].rule


def test_a_declaration_demanding_is_its_issuers_demand(coded) -> None:
    art = coded("Hamas issued a communique demanding that Cairo reopen the border crossing.",
                "2025-03-01")
    ev = events(art, "10")
    assert ev and ev[0].source.code == "PSEREB" and ev[0].target.country == "EGY"


def test_an_offer_to_act_is_not_the_rejecters_act(coded) -> None:
    art = coded("Chile turned down a Bolivian proposal to stage the conference in La Paz.",
                "2025-03-01")
    assert events(art, "12")
    assert not [e for e in art.events if e.source is not None and e.source.code == "CHL"
                and e.cameo.startswith("04")]


def test_an_event_noun_after_a_time_preposition_is_the_subjects(coded) -> None:
    art = coded("Malian troops recaptured the town after heavy fighting with Tuareg rebels.",
                "2025-03-01")
    ev = [e for e in art.events if e.rule.startswith("noun:N:fighting")]
    assert ev and ev[0].source.country == "MLI"


def test_in_protest_against_is_the_subjects_protest(coded) -> None:
    art = coded("Kenyan opposition leaders staged a sit-in on Monday in protest against the "
                "Ugandan government.", "2025-03-01")
    ev = events(art, "14")
    assert ev and ev[0].source.country == "KEN" and ev[0].target.code == "UGAGOV"


def test_killed_in_an_attack_does_not_make_the_victim_the_attacker(coded) -> None:
    art = coded("Two Nigerien soldiers were killed in an ambush near the border.", "2025-03-01")
    assert not [e for e in art.events if e.source is not None and e.source.country == "NER"]


def test_a_non_actor_object_does_not_control_the_complement(coded) -> None:
    art = coded("Gambia mobilized diaspora associations in London to support the Senegalese.",
                "2025-03-01")
    ev = [e for e in art.events if e.plover and e.plover.type == "SUPPORT"]
    assert ev and ev[0].source.code == "GMB" and ev[0].target.country == "SEN"


def test_hyphenated_and_possessive_names_resolve_in_text(coded) -> None:
    art = coded("The al-Qaeda movement threatened to strike Jordan. Yesterday the Kurdistan "
                "Workers' Party ambushed a Turkish convoy near Van.", "2025-03-01")
    codes = {m.actor.code for m in art.mentions if m.actor}
    assert {"ALQREB", "TURREB"} <= codes
    assert any(pair(e) == ("ALQREB", "JOR") for e in events(art, "13"))


def test_a_negated_future_is_a_refusal_stated_now(coded) -> None:
    art = coded("Austria declared it will not accept further migrants. Cuba won't attend the "
                "summit in Lima.", "2025-03-01")
    ev = [e for e in events(art, "12")]
    assert {e.source.code for e in ev} == {"AUT", "CUB"}
    assert all(e.modality == "asserted" and "refused:" in e.rule for e in ev)


def test_a_negated_future_attack_is_no_threat(coded) -> None:
    art = coded("Israel will not attack Iran.", "2025-03-01")
    assert not events(art, "13")
    ev = events(art, "19")
    assert ev and ev[0].modality == "negated"


def test_an_announced_act_unless_another_complies_is_an_ultimatum(coded) -> None:
    art = coded("Ghana announced that it will cut off electricity exports to Togo unless Lome "
                "pays its debts.", "2025-03-01")
    ev = events(art, "13")
    assert ev and ev[0].source.country == "GHA" and ev[0].target.country == "TGO"


def test_set_fire_is_an_act_not_an_intention(coded) -> None:
    art = coded("Rioters set fire to a police station in Bamako.", "2025-03-01")
    ev = events(art, "17")
    assert ev and ev[0].modality == "asserted" and "announced" not in ev[0].rule


def test_a_country_name_modifying_the_object_is_the_target(coded) -> None:
    art = coded("Chile rejected a Peru plan for the border.", "2025-03-01")
    ev = events(art, "12")
    assert ev and pair(ev[0]) == ("CHL", "PER")


def test_mobilizing_ones_own_forces_targets_the_enemy(coded) -> None:
    art = coded("Armenia mobilized its reserve troops for a looming conflict with Azerbaijan.",
                "2025-03-01")
    ev = [e for e in art.events if e.cameo.startswith("15")]
    assert ev and ev[0].source.code == "ARM" and ev[0].target.country == "AZE"


def test_a_partial_duplicate_of_a_full_event_is_dropped(coded) -> None:
    art = coded("Sudanese troops attacked a rebel camp in Darfur, and the attack killed "
                "Sudanese rebels.", "2025-03-01")
    for e in art.events:
        if e.source is None or e.target is None:
            known = e.source or e.target
            assert not [f for f in art.events if f is not e and f.source and f.target
                        and f.plover == e.plover and f.modality == e.modality
                        and known.party in (f.source.party, f.target.party)]


def test_a_relative_clause_on_a_carried_event_belongs_to_its_doer(coded) -> None:
    art = coded("Chilean dockworkers held a nationwide strike that shut the port of "
                "Valparaiso in protest against the government.", "2025-03-01")
    ev = events(art, "14")
    assert ev and all(e.source is not None and e.source.country == "CHL" for e in ev)


def test_an_unknown_named_party_is_placed_by_its_sentence(coded) -> None:
    art = coded("The Zebra Renewal party will boycott the elections in Togo.", "2025-03-01")
    parties = [m.actor for m in art.mentions if m.actor and m.actor.sector == "PTY"]
    assert parties and parties[0].country == "TGO"
    assert parties[0].resolved_by.endswith("unknown-party")


def test_a_condition_misattached_deep_in_the_threat_still_names_the_target(coded) -> None:
    art = coded("Venezuela threatened to freeze negotiations to settle the debt if Spain "
                "pressed ahead with new tariffs. Norway has threatened to halt talks to cut "
                "fishing quotas if Iceland goes ahead with the new whaling season.",
                "2025-03-01")
    assert {pair(e)[0]: e.target.country for e in events(art, "13")} == {
        "VEN": "ESP", "NOR": "ISL"}


def test_calling_something_a_name_is_no_appeal(coded) -> None:
    art = coded("Peru outlawed the militia over what it called a campaign of extortion. "
                "Chile called on Peru to lift the ban.", "2025-03-01")
    appeals = events(art, "02")
    assert [e.source.code for e in appeals] == ["CHL"]


def test_a_demand_noun_targets_who_must_act(coded) -> None:
    art = coded("The WHO repeated its demand that Brazil share outbreak data.", "2025-03-01")
    ev = [e for e in events(art, "10") if e.rule.startswith("noun:N:demand")]
    assert ev and ev[0].source.party == "WHO" and ev[0].target.code == "BRA"


def test_a_relative_clause_keeps_its_own_modality(coded) -> None:
    art = coded("Colombian guerrillas promised to free the soldiers whom they had kidnapped "
                "in May.", "2001-03-01")
    kidnap = events(art, "18")
    assert kidnap and kidnap[0].modality == "asserted" and "announced" not in kidnap[0].rule


def test_preparing_to_attack_is_force_posture(coded) -> None:
    art = coded("Eritrean forces prepared to attack the Ethiopian border posts.", "2001-03-01")
    assert [e.cameo for e in events(art, "15")] == ["150"]
    assert not events(art, "13") and not events(art, "19")


def test_ready_to_retaliate_takes_the_subject_of_be(coded) -> None:
    art = coded("Iran is prepared to retaliate against Israel.", "2001-03-01")
    ev = events(art, "13")
    assert ev and pair(ev[0]) == ("IRN", "ISR")


def test_joint_efforts_and_shared_expertise(coded) -> None:
    art = coded("Oman launched new mediation efforts between Tehran and Manama. Ghana shares "
                "farming expertise with Togo.", "2001-03-01")
    assert "OMN" in {pair(e)[0] for e in events(art, "045")}
    assert ("GHA", "TGO") in {pair(e) for e in events(art, "064")}


def test_an_act_someone_is_suspected_of_is_not_established(coded) -> None:
    art = coded("Kenya agreed to extradite a man suspected by Uganda of bombing a bus.",
                "1999-03-01")
    bombing = events(art, "18") + events(art, "19")
    assert bombing and bombing[0].modality == "hypothetical"


def test_an_unattributed_bombing_is_placed_where_it_struck(coded) -> None:
    art = coded("A car bomb in the port of Kismayo killed four Somali traders.", "2012-03-01")
    ev = events(art, "19") + events(art, "18")
    assert ev and ev[0].source is not None and ev[0].source.country == "SOM"
    assert ev[0].source.resolved_by == "place" and ev[0].target.country == "SOM"


def test_cutting_aid_and_expelling_aid_workers_are_sanctions(coded) -> None:
    art = coded("The Netherlands reduced its development aid to Burundi. Burundi forced "
                "foreign aid staff out of Gitega.", "2015-03-01")
    assert {e.cameo for e in events(art, "16")} >= {"162", "1663"}


def test_money_goods_and_joint_drills_are_material_cooperation(coded) -> None:
    art = coded("Japan gave ten million dollars to Laos. Senegal distributed blankets and "
                "flour to Malian refugees. Peru and Chile started a fresh series of joint naval "
                "exercises.", "2015-03-01")
    assert ("JPN", "LAO") in {pair(e) for e in events(art, "071")}
    assert any(e.source.code == "SEN" for e in events(art, "073"))
    assert {e.source.code for e in events(art, "062")} == {"PER", "CHL"}


def test_mobilizing_lobby_groups_is_no_military_mobilization(coded) -> None:
    art = coded("Ecuador mobilized student unions in Quito to back the Venezuelans. "
                "Britain mobilized army reservists.", "2001-03-01")
    assert [e.source.code for e in events(art, "154")] == ["GBR"]
