"""Validate the actor knowledge-base data files: countries, organisations, sector terms.

The files are read with a small local parser (not the package loader) so that the data can be
checked on its own: headers, column counts, codes, memberships, and that no name, alias,
adjective or capital points at two different actors.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections import defaultdict
from functools import cache
from pathlib import Path

import pycountry
import pytest

DATA = Path(__file__).resolve().parents[2] / "src" / "redline" / "kb" / "data"

COUNTRY_HEADER = ["iso3", "iso2", "name", "aliases", "adjectives", "demonyms", "capitals"]
ORG_HEADER = ["code", "name", "aliases", "kind", "country", "sector", "members"]
SECTOR_HEADER = ["term", "sector", "kind", "role"]

ORG_KINDS = {"igo", "bloc", "collective", "institution", "armed_group", "party", "ngo",
             "think_tank", "media", "company", "court"}
# kinds whose rows may define an actor code of their own (code == country)
ACTOR_KINDS = {"igo", "bloc", "collective", "court"}
TERM_KINDS = {"person", "group", "organisation"}
ROLES = {"head_of_state", "head_of_government", "foreign_minister", "defence_minister",
         "leader", "official", "diplomat", "ambassador", "envoy", "spokesperson", "commander",
         "general", "military_chief", "protester", "analyst", "expert", "specialist",
         "commentator", "observer", "scholar", "researcher", "correspondent", "reporter",
         "editor"}
# the Phoenix/CAMEO agent codes the files must cover
REQUIRED_SECTORS = {"GOV", "MIL", "COP", "JUD", "LEG", "SPY", "PTY", "OPP", "REB", "SEP", "UAF",
                    "IGO", "NGO", "HRI", "MED", "BUS", "CVL", "EDU", "HLH", "LAB", "REF", "REL",
                    "AGR", "ENV", "CRM", "ELI"}

# Forms deliberately shared by two countries (none at present; see countries.tsv header for
# how ambiguous forms such as "Congo", "Congolese", "Dominican" and "Korea" were settled).
SHARED_COUNTRY_FORMS: set[str] = set()

MAJOR_COUNTRIES = [
    "USA", "CAN", "MEX", "BRA", "ARG", "COL", "VEN", "CUB", "GBR", "FRA", "DEU", "ITA", "ESP",
    "NLD", "BEL", "POL", "SWE", "FIN", "NOR", "HUN", "SRB", "XKX", "RUS", "UKR", "BLR", "MDA",
    "GEO", "ARM", "AZE", "TUR", "KAZ", "CHN", "TWN", "JPN", "KOR", "PRK", "IND", "PAK", "AFG",
    "BGD", "MMR", "VNM", "PHL", "IDN", "AUS", "IRN", "IRQ", "SYR", "ISR", "PSE", "LBN", "JOR",
    "SAU", "ARE", "QAT", "YEM", "EGY", "LBY", "TUN", "DZA", "MAR", "SDN", "SSD", "ETH", "SOM",
    "KEN", "NGA", "MLI", "NER", "BFA", "COD", "ZAF",
]


def fold(text: str) -> str:
    """Case- and accent-folded form, apostrophes straightened (how aliases are compared)."""
    text = text.replace("\u2019", "'").replace("\u2018", "'")
    text = unicodedata.normalize("NFKD", text)
    return "".join(c for c in text if not unicodedata.combining(c)).casefold().strip()


def split(cell: str) -> list[str]:
    return [x.strip() for x in cell.split(";") if x.strip()]


def read_raw(name: str) -> tuple[list[str], list[list[str]]]:
    text = (DATA / name).read_text(encoding="utf-8")
    lines = [ln for ln in text.splitlines() if ln.strip() and not ln.lstrip().startswith("#")]
    rows = list(csv.reader(lines, delimiter="\t", quoting=csv.QUOTE_NONE))
    return rows[0], rows[1:]


@cache
def table(name: str) -> tuple[dict[str, str], ...]:
    header, rows = read_raw(name)
    return tuple(dict(zip(header, row, strict=True)) for row in rows)


def countries() -> tuple[dict[str, str], ...]:
    return table("countries.tsv")


def organisations() -> tuple[dict[str, str], ...]:
    return table("organisations.tsv")


def sectors() -> tuple[dict[str, str], ...]:
    return table("sectors.tsv")


def country_forms(row: dict[str, str]) -> list[str]:
    return [row["name"], *(f for col in ("aliases", "adjectives", "demonyms", "capitals")
                           for f in split(row[col]))]


def org_forms(row: dict[str, str]) -> list[str]:
    return [row["name"], *split(row["aliases"])]


def actor_codes() -> set[str]:
    """Codes that organisations.tsv defines as actors of their own (code == country)."""
    return {o["code"] for o in organisations() if o["country"] == o["code"]}


def org(code: str) -> dict[str, str]:
    return next(o for o in organisations() if o["code"] == code)


def org_by_alias(alias: str) -> dict[str, str]:
    hits = [o for o in organisations() if fold(alias) in {fold(f) for f in org_forms(o)}]
    assert len(hits) == 1, f"{alias!r} -> {[o['code'] for o in hits]}"
    return hits[0]


def countries_with(form: str, column: str) -> list[str]:
    return [c["iso3"] for c in countries()
            if fold(form) in {fold(f) for f in split(c[column])}]


def sector_term(term: str) -> dict[str, str]:
    return next(s for s in sectors() if s["term"] == term)


# --- structure ------------------------------------------------------------------------------

@pytest.mark.parametrize("name, header", [("countries.tsv", COUNTRY_HEADER),
                                          ("organisations.tsv", ORG_HEADER),
                                          ("sectors.tsv", SECTOR_HEADER)])
def test_header_and_column_counts(name: str, header: list[str]) -> None:
    got, rows = read_raw(name)
    assert got == header
    assert rows
    for row in rows:
        assert len(row) == len(header), f"{name}: {row}"
        for cell in row:
            assert cell == cell.strip(), f"{name}: stray whitespace in {cell!r}"
            assert "\t" not in cell


@pytest.mark.parametrize("name, columns", [
    ("countries.tsv", ("aliases", "adjectives", "demonyms", "capitals")),
    ("organisations.tsv", ("aliases", "members")),
])
def test_list_cells_are_clean(name: str, columns: tuple[str, ...]) -> None:
    for row in table(name):
        for col in columns:
            cell = row[col]
            if not cell:
                continue
            items = cell.split(";")
            assert all(i.strip() for i in items), f"{name}: empty item in {cell!r}"
            assert len(items) == len(set(items)), f"{name}: duplicate item in {cell!r}"


def test_files_are_comment_documented() -> None:
    for name in ("countries.tsv", "organisations.tsv", "sectors.tsv"):
        assert (DATA / name).read_text(encoding="utf-8").startswith("#")


# --- countries ------------------------------------------------------------------------------

def test_country_codes() -> None:
    iso3 = [c["iso3"] for c in countries()]
    iso2 = [c["iso2"] for c in countries()]
    assert len(iso3) == len(set(iso3))
    assert len(iso2) == len(set(iso2))
    assert all(re.fullmatch(r"[A-Z]{3}", code) for code in iso3)
    assert all(re.fullmatch(r"[A-Z]{2}", code) for code in iso2)
    assert all(c["name"] for c in countries())
    by_iso3 = {c["iso3"]: c for c in countries()}
    for pc in pycountry.countries:
        assert pc.alpha_3 in by_iso3, f"missing {pc.alpha_3} ({pc.name})"
        assert by_iso3[pc.alpha_3]["iso2"] == pc.alpha_2
    assert by_iso3["XKX"]["iso2"] == "XK" and by_iso3["XKX"]["name"] == "Kosovo"
    assert set(by_iso3) == {pc.alpha_3 for pc in pycountry.countries} | {"XKX"}


def test_news_names() -> None:
    names = {c["iso3"]: c["name"] for c in countries()}
    expected = {"RUS": "Russia", "IRN": "Iran", "SYR": "Syria", "KOR": "South Korea",
                "PRK": "North Korea", "VNM": "Vietnam", "BOL": "Bolivia", "TWN": "Taiwan",
                "PSE": "Palestine", "CZE": "Czech Republic", "USA": "United States",
                "GBR": "United Kingdom", "TUR": "Turkey"}
    for iso3, name in expected.items():
        assert names[iso3] == name


def test_major_countries_have_adjective_and_capital() -> None:
    assert len(MAJOR_COUNTRIES) >= 60
    by_iso3 = {c["iso3"]: c for c in countries()}
    for iso3 in MAJOR_COUNTRIES:
        row = by_iso3[iso3]
        assert split(row["adjectives"]), f"{iso3} has no adjective"
        assert split(row["capitals"]), f"{iso3} has no capital"


def test_country_forms_are_unambiguous() -> None:
    owners: dict[str, set[str]] = defaultdict(set)
    for c in countries():
        for form in country_forms(c):
            owners[fold(form)].add(c["iso3"])
    clashes = {f: sorted(o) for f, o in owners.items()
               if len(o) > 1 and f not in SHARED_COUNTRY_FORMS}
    assert not clashes, clashes


def test_korea_alone_is_not_a_country_form() -> None:
    forms = {fold(f) for c in countries() for f in country_forms(c)}
    assert "korea" not in forms and "korean" not in forms


# --- organisations --------------------------------------------------------------------------

def test_organisation_codes_and_kinds() -> None:
    codes = [o["code"] for o in organisations()]
    assert len(codes) == len(set(codes))
    assert all(re.fullmatch(r"[A-Z][A-Z0-9_]*", c) for c in codes)
    for o in organisations():
        assert o["kind"] in ORG_KINDS, o
        assert o["name"], o


def test_organisation_countries_and_members_are_valid() -> None:
    iso3 = {c["iso3"] for c in countries()}
    actors = actor_codes()
    for o in organisations():
        if o["country"] == o["code"]:
            assert o["kind"] in ACTOR_KINDS, f"{o['code']} defines an actor but is {o['kind']}"
        else:
            assert o["country"] == "" or o["country"] in iso3 or o["country"] in actors, o
        for m in split(o["members"]):
            assert m in iso3 or m in actors, f"{o['code']}: bad member {m}"
        assert len(split(o["members"])) == len(set(split(o["members"])))


def test_actor_codes_do_not_look_like_countries() -> None:
    iso3 = {c["iso3"] for c in countries()}
    assert not actor_codes() & iso3


def test_igos_and_blocs_are_sector_igo() -> None:
    for o in organisations():
        if o["kind"] in ("igo", "bloc") and o["country"] == o["code"]:
            assert o["sector"] == "IGO", o["code"]


def test_organisation_aliases_are_unambiguous() -> None:
    owners: dict[str, set[str]] = defaultdict(set)
    for o in organisations():
        for form in org_forms(o):
            owners[fold(form)].add(o["code"])
    clashes = {f: sorted(o) for f, o in owners.items() if len(o) > 1}
    assert not clashes, clashes


def test_organisation_and_country_forms_do_not_overlap() -> None:
    country_side = {fold(f) for c in countries() for f in country_forms(c)}
    org_side = {fold(f) for o in organisations() for f in org_forms(o)}
    assert not country_side & org_side, sorted(country_side & org_side)


def test_memberships() -> None:
    nato = set(split(org("NATO")["members"]))
    assert len(nato) == 32 and {"FIN", "SWE", "USA", "TUR", "MKD"} <= nato
    eu = set(split(org("EU")["members"]))
    assert len(eu) == 27 and "GBR" not in eu and {"HRV", "DEU", "IRL"} <= eu
    assert set(split(org("G7")["members"])) == {"USA", "CAN", "GBR", "FRA", "DEU", "ITA", "JPN"}
    g20 = set(split(org("G20")["members"]))
    assert len(g20) == 21 and {"EU", "AU"} <= g20
    assert len(split(org("AU")["members"])) == 55
    assert set(split(org("GCC")["members"])) == {"BHR", "KWT", "OMN", "QAT", "SAU", "ARE"}
    assert len(split(org("ARL")["members"])) == 22
    assert set(split(org("QUAD")["members"])) == {"USA", "JPN", "IND", "AUS"}
    assert set(split(org("AUKUS")["members"])) == {"AUS", "GBR", "USA"}
    assert len(split(org("FVEY")["members"])) == 5
    assert {"BRA", "RUS", "IND", "CHN", "ZAF", "IRN"} <= set(split(org("BRICS")["members"]))
    assert {"RUS", "BLR"} <= set(split(org("CSTO")["members"]))
    assert {"CHN", "RUS", "IND", "PAK", "IRN"} <= set(split(org("SCO")["members"]))
    assert "TLS" in split(org("ASEAN")["members"])
    west = set(split(org("WST")["members"]))
    assert eu <= west and {"USA", "GBR", "CAN"} <= west and "RUS" not in west


# --- sectors --------------------------------------------------------------------------------

def documented_sectors() -> set[str]:
    text = (DATA / "sectors.tsv").read_text(encoding="utf-8")
    return set(re.findall(r"^# sector ([A-Z]{3}):", text, flags=re.MULTILINE))


def test_sector_codes_are_documented_and_covered() -> None:
    documented = documented_sectors()
    assert documented >= REQUIRED_SECTORS
    used_by_terms = {s["sector"] for s in sectors() if s["sector"]}
    used_by_orgs = {o["sector"] for o in organisations() if o["sector"]}
    assert used_by_terms <= documented
    assert used_by_orgs <= documented
    assert documented <= used_by_terms | used_by_orgs


def test_sector_terms() -> None:
    terms = [s["term"] for s in sectors()]
    assert len(terms) == len(set(terms))
    assert len({fold(t) for t in terms}) == len(terms)
    for s in sectors():
        assert s["term"] == s["term"].lower() and s["term"] == s["term"].strip(), s
        assert s["kind"] in TERM_KINDS, s
        assert s["role"] == "" or s["role"] in ROLES, s


def test_sector_terms_cover_every_required_code() -> None:
    used = {s["sector"] for s in sectors() if s["sector"]}
    assert used >= REQUIRED_SECTORS


# --- spot checks ----------------------------------------------------------------------------

def test_spot_checks_countries() -> None:
    assert countries_with("Kyiv", "capitals") == ["UKR"]
    assert countries_with("Kiev", "capitals") == ["UKR"]
    assert countries_with("Moscow", "capitals") == ["RUS"]
    assert countries_with("Washington", "capitals") == ["USA"]
    assert countries_with("Tel Aviv", "capitals") == ["ISR"]
    assert countries_with("Port Sudan", "capitals") == ["SDN"]
    assert countries_with("Britain", "aliases") == ["GBR"]
    assert countries_with("U.S.", "aliases") == ["USA"]
    assert countries_with("Burma", "aliases") == ["MMR"]
    assert countries_with("Türkiye", "aliases") == ["TUR"]
    assert countries_with("Czechia", "aliases") == ["CZE"]
    assert countries_with("DRC", "aliases") == ["COD"]
    assert countries_with("Congo-Brazzaville", "aliases") == ["COG"]
    assert countries_with("Côte d'Ivoire", "aliases") == ["CIV"]
    assert countries_with("Ukrainian", "adjectives") == ["UKR"]
    assert countries_with("Congolese", "adjectives") == ["COD"]
    assert countries_with("Emirati", "adjectives") == ["ARE"]
    assert countries_with("Kosovar", "adjectives") == ["XKX"]
    assert countries_with("Britons", "demonyms") == ["GBR"]


def test_spot_checks_organisations() -> None:
    kremlin = org_by_alias("Kremlin")
    assert (kremlin["country"], kremlin["sector"], kremlin["kind"]) == ("RUS", "GOV",
                                                                       "institution")
    rusi = org_by_alias("RUSI")
    assert (rusi["country"], rusi["kind"]) == ("GBR", "think_tank")
    wg = org_by_alias("Western governments")
    assert (wg["country"], wg["sector"]) == ("WST", "GOV")
    assert org_by_alias("the West")["country"] == "WST"
    assert org_by_alias("coalition of the willing")["country"] == "MULTI"
    assert org_by_alias("Pentagon")["sector"] == "MIL"
    assert org_by_alias("IRGC")["sector"] == "MIL"
    assert org_by_alias("FSB")["sector"] == "SPY"
    assert org_by_alias("Knesset")["sector"] == "LEG"
    assert org_by_alias("Nato")["code"] == "NATO"
    assert org_by_alias("UN Security Council")["country"] == "UN"
    assert org_by_alias("European Commission")["country"] == "EU"
    taliban = org_by_alias("Taliban")
    assert (taliban["country"], taliban["sector"]) == ("AFG", "GOV")
    assert org_by_alias("Houthis")["sector"] == "REB"
    assert org_by_alias("Wagner Group")["sector"] == "UAF"
    assert org_by_alias("RSF")["country"] == "SDN"
    assert org_by_alias("Palestinian Authority")["country"] == "PSE"


def test_spot_checks_sectors() -> None:
    assert sector_term("troop")["sector"] == "MIL"
    assert sector_term("police")["sector"] == "COP"
    assert sector_term("security force")["sector"] == "COP"
    assert sector_term("president")["role"] == "head_of_state"
    assert sector_term("prime minister")["role"] == "head_of_government"
    assert sector_term("foreign minister")["role"] == "foreign_minister"
    assert sector_term("defence minister")["role"] == "defence_minister"
    assert sector_term("analyst")["sector"] == ""
    assert sector_term("protester")["sector"] == "CVL"
    assert sector_term("refugee")["sector"] == "REF"
