"""The actors stage on parsed sentences we wrote: capitals as governments or places,
appositions and affiliations, pronouns and descriptions."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.model


def actor_for(article, text: str):
    found = [a for a in article.actors if a.text == text]
    assert found, f"no actor {text!r} in {[a.text for a in article.actors]}"
    return found[0]


def test_capitals_speaking_are_governments(coded) -> None:
    art = coded("Moscow said the talks had failed. Kyiv urged its partners to act, and "
                "Washington warned both sides.", "2025-03-01")
    assert actor_for(art, "Moscow").code == "RUSGOV"
    assert actor_for(art, "Kyiv").code == "UKRGOV"
    assert actor_for(art, "Washington").code == "USAGOV"
    assert all(a.kind == "government" for a in art.actors if a.text in ("Moscow", "Kyiv"))


def test_capital_as_a_place_is_not_an_actor(coded) -> None:
    art = coded("The ministers met in Moscow on Tuesday.", "2025-03-01")
    assert not [a for a in art.actors if a.text == "Moscow"]


def test_titles_and_office_holders(coded) -> None:
    art = coded("Russian President Vladimir Putin met Chinese leader Xi Jinping.", "2025-05-08")
    putin = actor_for(art, "Russian President Vladimir Putin")
    assert (putin.code, putin.name) == ("RUSGOV", "Vladimir Putin")
    assert actor_for(art, "Chinese leader Xi Jinping").code == "CHNGOV"


def test_office_holder_on_an_older_date(coded) -> None:
    art = coded("Prime Minister Vladimir Putin visited Paris.", "2010-06-01")
    putin = actor_for(art, "Prime Minister Vladimir Putin")
    assert putin.code == "RUSGOV" and putin.role == "head_of_government"


def test_unknown_person_with_affiliation(coded) -> None:
    art = coded('"The risks are growing," said Dr. Jane Roe, a defence analyst at Chatham '
                "House.", "2025-03-01")
    roe = next(a for a in art.actors if a.name and "Jane Roe" in a.name)
    assert roe.kind == "person"
    assert roe.affiliation is not None and roe.affiliation.country == "GBR"
    assert roe.country == "GBR"


def test_unknown_person_is_kept_not_guessed(coded) -> None:
    art = coded("Olaf Tremblay-Nkemelu criticised the decision.", "2025-03-01")
    person = next(a for a in art.actors if "Tremblay" in a.text)
    assert person.kind == "person" and person.country is None and person.code is None


def test_pronoun_takes_the_last_named_person(coded) -> None:
    art = coded("Recep Tayyip Erdogan spoke in Ankara. He warned Sweden against delays.",
                "2023-03-01")
    he = actor_for(art, "He")
    assert he.name == "Recep Tayyip Erdoğan" and he.code == "TURGOV"


def test_description_takes_the_matching_named_leader(coded) -> None:
    art = coded("Emmanuel Macron hosted Olaf Scholz. The French president later called "
                "for calm.", "2023-03-01")
    desc = actor_for(art, "The French president")
    assert desc.name == "Emmanuel Macron"


def test_collectives_and_igos(coded) -> None:
    art = coded("Western governments and NATO backed the coalition of the willing, while "
                "26 countries pledged troops.", "2025-09-05")
    assert actor_for(art, "Western governments").country == "WST"
    assert actor_for(art, "NATO").code == "NATO"
    codes = {a.country for a in art.actors}
    assert "MULTI" in codes


def test_sector_with_country(coded) -> None:
    art = coded("Ukrainian police detained two men after Russian troops shelled the town.",
                "2025-03-01")
    assert actor_for(art, "Ukrainian police").code == "UKRCOP"
    assert actor_for(art, "Russian troops").code == "RUSMIL"
