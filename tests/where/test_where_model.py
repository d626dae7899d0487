"""Event places on whole sentences through the default pipeline (loads the model)."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.model



def _place(article, trigger: str) -> tuple[str, str | None] | None:
    found = [e for e in article.events if e.predicate and e.predicate.text == trigger]
    assert found, [(e.predicate.text if e.predicate else None, e.cameo) for e in article.events]
    loc = found[0].location
    return (loc.name, loc.country) if loc else None


@pytest.mark.parametrize("text,trigger,expected", [
    ("Russian artillery shelled Kharkiv on Thursday.", "shelled", ("Kharkiv", "UKR")),
    ("Russian missiles struck Kyiv on Tuesday.", "struck", ("Kyiv", "UKR")),
    ("Russia annexed Crimea in 2014.", "annexed", ("Crimea", "UKR")),
    ("Ukrainian drones hit an oil depot in the Belgorod region yesterday.", "hit",
     ("Belgorod Oblast", "RUS")),
    ("Israeli aircraft struck targets in northern Gaza overnight.", "struck",
     ("Gaza Strip", "PSE")),
    ("Lebanese troops fired on gunmen in Tripoli two days ago.", "fired", ("Tripoli", "LBN")),
    ("The envoy met Libyan officials in Tripoli on Monday.", "met", ("Tripoli", "LBY")),
    ("Protesters clashed with police in Tbilisi, the capital of Georgia, last week.", "clashed",
     ("Tbilisi", "GEO")),
    ("Georgia's governor said police arrested protesters in Atlanta.", "arrested",
     ("Atlanta", "USA")),
    ("Officials said police arrested protesters in Georgia's capital.", "arrested",
     ("Tbilisi", "GEO")),
])
def test_place(coded, text: str, trigger: str, expected: tuple[str, str]) -> None:
    assert _place(coded(text, "2025-09-05"), trigger) == expected


def test_a_government_is_not_a_place(coded) -> None:
    assert _place(coded("Moscow said it would retaliate.", "2025-09-05"), "retaliate") is None


def test_sanctions_against_a_country_are_not_located_there(coded) -> None:
    assert _place(coded("The US imposed sanctions on Russia.", "2025-09-05"), "sanctions") is None
