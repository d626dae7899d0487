"""The place tables under ``redline/kb/data``: well-formed, consistent, and following the
documented country rule."""

from __future__ import annotations

import math
from collections import Counter

import pytest

from redline.kb.actors import load_kb
from redline.kb.gazetteer import key, load_gazetteer, load_regions, load_spellings


def test_regions_load_and_have_known_kinds() -> None:
    rows = load_regions()
    assert len(rows) >= 80
    assert {e.feature for e, _ in rows} <= {"region", "oblast", "town", "facility", "landmark"}


def test_no_alias_names_two_places() -> None:
    names = Counter(k for e, aliases in load_regions()
                    for k in {key(a) for a in (e.name, *aliases)})
    assert [n for n, c in names.items() if c > 1] == []


def test_every_spelling_is_a_city_in_the_gazetteer() -> None:
    gaz = load_gazetteer()
    for spelling, name, iso3 in load_spellings():
        entry = gaz.spellings.get(key(spelling))
        assert entry is not None, spelling
        assert (entry.name, entry.country) == (name, iso3)


@pytest.mark.parametrize("name,iso3", [
    ("Crimea", "UKR"), ("Donbas", "UKR"), ("Donetsk Oblast", "UKR"), ("Luhansk Oblast", "UKR"),
    ("Zaporizhzhia Oblast", "UKR"), ("Kherson Oblast", "UKR"), ("Gaza Strip", "PSE"),
    ("West Bank", "PSE"), ("East Jerusalem", "PSE"), ("Golan Heights", "SYR"),
    ("Abkhazia", "GEO"), ("South Ossetia", "GEO"), ("Transnistria", "MDA"),
    ("Nagorno-Karabakh", "AZE"), ("Northern Cyprus", "CYP"), ("Kashmir", "IND"),
    ("Azad Kashmir", "PAK"), ("Darfur", "SDN"), ("Tigray", "ETH"), ("Kursk Oblast", "RUS"),
    ("Belgorod Oblast", "RUS"), ("Idlib Governorate", "SYR"), ("Somaliland", "SOM"),
])
def test_country_rule(name: str, iso3: str) -> None:
    rows = {e.name: e for e, _ in load_regions()}
    assert rows[name].country == iso3


def test_coordinates_are_near_their_country() -> None:
    """Each region lies within 2,000 km of its country's centre, 7,000 km for the largest
    countries (catches swapped latitude and longitude, wrong signs)."""
    gaz = load_gazetteer()
    for entry, _ in load_regions():
        centre = gaz.country[entry.country]  # type: ignore[index]
        assert centre.lat is not None and centre.lon is not None
        km = _km(entry.lat, entry.lon, centre.lat, centre.lon)  # type: ignore[arg-type]
        limit = 7000 if entry.country in ("RUS", "USA", "CHN", "CAN", "IDN") else 2000
        assert km < limit, (entry.name, km)


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dl = math.radians(lon2 - lon1)
    c = math.sin(p1) * math.sin(p2) + math.cos(p1) * math.cos(p2) * math.cos(dl)
    return 6371 * math.acos(max(-1.0, min(1.0, c)))


def test_countries_have_centres_and_every_kb_country_is_known() -> None:
    gaz = load_gazetteer()
    kb = load_kb()
    assert set(gaz.country) == set(kb.countries)
    ukraine = gaz.country["UKR"]
    assert 44 < ukraine.lat < 53 and 22 < ukraine.lon < 41  # type: ignore[operator]
    fiji = gaz.country["FJI"]  # straddles the antimeridian: the centre must not be at 0
    assert fiji.lon is None or abs(fiji.lon) > 170


def test_us_states_have_codes_and_centres() -> None:
    gaz = load_gazetteer()
    texas = gaz.states[key("Texas")]
    assert texas.admin1 == "TX" and 26 < texas.lat < 36  # type: ignore[operator]


def test_the_gazetteer_is_built_once() -> None:
    assert load_gazetteer() is load_gazetteer()
