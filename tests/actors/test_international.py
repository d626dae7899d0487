"""Actors that belong to no one country carry CAMEO's international class as their country
(IGO, NGO, IMG, MNC) and keep their own identity in the code; dyads keep them apart."""

from __future__ import annotations

import pytest

from redline.actors.resolver import resolve_text
from redline.article import Actor, compose_code, party_of
from redline.monitor.ladder import actor_key


@pytest.mark.parametrize(("phrase", "code", "country", "party"), [
    ("NATO", "NATO", "IGO", "NATO"),
    ("the United Nations", "UN", "IGO", "UN"),
    ("the UN Security Council", "UN", "IGO", "UN"),   # a UN organ speaks for the UN
    ("UN peacekeepers", "UNMIL", "IGO", "UN"),
    ("the European Commission", "EUGOV", "IGO", "EU"),
    ("the OSCE", "OSCE", "IGO", "OSCE"),
    ("al-Qaeda", "ALQREB", "IMG", "ALQ"),
    ("the Islamic State", "ISISREB", "IMG", "ISIS"),
    ("Amnesty International", "AMNESTYHRI", "NGO", "AMNESTY"),
    ("the Red Cross", "ICRCNGO", "NGO", "ICRC"),
    ("Western governments", "WSTGOV", "WST", "WST"),  # a collective of states, not an IGO
    ("Hezbollah", "LBNREB", "LBN", "LBN"),            # a national armed group stays national
    ("the Kremlin", "RUSGOV", "RUS", "RUS"),
])
def test_international_class(phrase, code, country, party):
    actor = resolve_text(phrase, "2025-09-05")
    assert actor is not None
    assert (actor.code, actor.country, actor.party) == (code, country, party)


def test_an_igo_head_is_an_igo_person():
    actor = resolve_text("UN Secretary-General Antonio Guterres", "2025-09-05")
    assert (actor.kind, actor.code, actor.country) == ("person", "UN", "IGO")


def test_party_and_code_helpers():
    assert party_of("UNMIL", "IGO", "MIL") == "UN"
    assert party_of("NATO", "IGO", "IGO") == "NATO"
    assert party_of("RUSGOV", "RUS", "GOV") == "RUS"
    assert party_of(None, None, None) is None
    assert compose_code("UN", "MIL") == "UNMIL"
    assert compose_code("NATO", "IGO") == "NATO"
    assert compose_code(None, "GOV") is None


def test_dyads_keep_igos_apart():
    nato = {"source_code": "NATO", "source_country": "IGO", "source_sector": "IGO"}
    un = {"source_code": "UNMIL", "source_country": "IGO", "source_sector": "MIL"}
    rus = {"source_code": "RUSMIL", "source_country": "RUS", "source_sector": "MIL"}
    assert [actor_key(e, "source") for e in (nato, un, rus)] == ["NATO", "UN", "RUS"]


def test_an_official_of_an_igo_takes_its_code(coded):
    art = coded("Jan Kowalski, a spokesman for NATO, said the alliance would meet on Friday.",
                "2025-06-12")
    people = [m.actor for m in art.mentions if m.actor and m.actor.kind == "person"]
    assert any(isinstance(a, Actor) and a.party == "NATO" and a.country == "IGO"
               for a in people), [(a.text, a.code, a.country) for a in people]


def test_an_ethnic_community_is_not_its_kin_state(coded):
    art = coded("Ethnic Russians in Estonia protested. Ethnic Armenian fighters based in "
                "Georgia attacked a checkpoint. Armenian troops arrived.", "2025-03-01")
    by_text = {m.text: m.actor for m in art.mentions if m.actor}
    assert by_text["Ethnic Russians"].country == "EST"
    assert by_text["Ethnic Armenian fighters"].country == "GEO"
    assert by_text["Armenian troops"].country == "ARM"


def test_an_international_actor_gives_no_country_context(coded):
    art = coded("UN envoys met police officers on Monday.", "2025-03-01")
    police = [m.actor for m in art.mentions if m.actor and m.actor.sector == "COP"]
    assert police and police[0].country is None


def test_people_from_an_igo_and_an_unknown_body_in_a_country(coded):
    art = coded("Observers from the OSCE arrived on Monday. The Lakeside Monitoring "
                "Committee in Liberia published its findings.", "2025-03-01")
    by_text = {m.text: m.actor for m in art.mentions if m.actor}
    assert by_text["Observers"].party == "OSCE" and by_text["Observers"].country == "IGO"
    committee = by_text["The Lakeside Monitoring Committee"]
    assert committee.country == "LBR" and committee.kind == "organisation"


def test_a_large_city_tagged_as_an_organisation_is_a_place(coded):
    art = coded("Russia's army shelled Kharkiv on Monday.", "2025-03-03")
    ev = [e for e in art.events if e.cameo.startswith("19")]
    assert ev and ev[0].target is not None and ev[0].target.country == "UKR"
