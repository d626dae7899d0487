"""The actor knowledge base: countries, organisations, sector terms and office-holders.

All knowledge lives in TSV files under ``redline/kb/data/`` (columns documented in each
file's header comment); this module only reads them, once per process, and indexes every
alias in a token trie that the resolver walks. Keys are case- and accent-folded; an alias that
is an all-capitals abbreviation ("US", "UN") only matches in capitals, and a capitalised alias
("Chad", "Turkey") only matches a capitalised word, so "us" and "turkey" stay plain words.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from itertools import chain
from pathlib import Path
from typing import Any, NamedTuple

from redline import knowledge
from redline.cache import cached
from redline.errors import KnowledgeBaseError
from redline.knowledge import fold, load_table

# Tokens: dotted abbreviations (U.S.), words with inner hyphens/apostrophes, 's, punctuation.
_TOKEN = re.compile(r"(?:[A-Za-z]\.){2,}|'s\b|\w+(?:[-']\w+)*|[^\w\s]")


def tokenize(text: str) -> list[str]:
    """Split a phrase the way the resolver compares it (possessive 's split off)."""
    out: list[str] = []
    for tok in _TOKEN.findall(text.replace("\u2019", "'")):
        if len(tok) > 2 and tok.endswith("'s"):
            out.extend([tok[:-2], "'s"])
        else:
            out.append(tok)
    return out


@dataclass(frozen=True, slots=True)
class Country:
    iso3: str
    iso2: str
    name: str
    aliases: tuple[str, ...]
    adjectives: tuple[str, ...]
    demonyms: tuple[str, ...]
    capitals: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Organisation:
    code: str
    name: str
    aliases: tuple[str, ...]
    kind: str
    country: str | None
    sector: str | None
    members: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class SectorTerm:
    term: str
    sector: str | None
    kind: str
    role: str | None


@dataclass(frozen=True, slots=True)
class OfficeTerm:
    name: str
    aliases: tuple[str, ...]
    country: str
    role: str
    start: dt.date
    end: dt.date | None
    gender: str | None

    def covers(self, day: dt.date) -> bool:
        return self.start <= day and (self.end is None or day < self.end)


class Ref(NamedTuple):
    """What one alias in the trie points at (a named tuple: quick to read back from the disk
    cache)."""

    what: str  # country | organisation | sector | person
    how: str  # name | alias | adjective | demonym | capital | term
    target: object  # Country | Organisation | SectorTerm | tuple[OfficeTerm, ...]
    form: str  # the alias as written in the data file
    case: str  # "exact" (all-caps abbreviation) | "title" (capitalised) | "any"


@dataclass(slots=True)
class _Node:
    children: dict[str, _Node] = field(default_factory=dict)
    refs: list[Ref] = field(default_factory=list)


def _case_of(form: str) -> str:
    letters = [c for c in form if c.isalpha()]
    if letters and all(c.isupper() for c in letters) and len(letters) <= 5:
        return "exact"
    if form[:1].isupper():
        return "title"
    return "any"


def _rows(name: str) -> Iterator[tuple[int, dict[str, str]]]:
    return load_table("redline.kb", name)


def _list(cell: str) -> tuple[str, ...]:
    return tuple(x.strip() for x in cell.split(";") if x.strip())


def _date(cell: str, name: str, lineno: int) -> dt.date | None:
    if not cell:
        return None
    try:
        return dt.date.fromisoformat(cell)
    except ValueError:
        raise KnowledgeBaseError(f"{name} line {lineno}: bad date '{cell}'") from None


class KnowledgeBase:
    """Every country, organisation, sector term and office-holder, indexed by alias."""

    def __init__(
        self,
        countries: list[Country],
        organisations: list[Organisation],
        sectors: list[SectorTerm],
        office_terms: list[OfficeTerm],
        collective_patterns: list[tuple[re.Pattern[str], str]],
    ) -> None:
        self.countries = {c.iso3: c for c in countries}
        self.organisations = {o.code: o for o in organisations}
        self.sectors = {s.term: s for s in sectors}
        self.office_terms = office_terms
        self.collective_patterns = collective_patterns
        self.root = _Node()
        for c in countries:
            self._add(c.name, Ref("country", "name", c, c.name, _case_of(c.name)))
            for a in c.aliases:
                self._add(a, Ref("country", "alias", c, a, _case_of(a)))
            for a in c.adjectives:
                self._add(a, Ref("country", "adjective", c, a, _case_of(a)))
            for a in c.demonyms:
                self._add(a, Ref("country", "demonym", c, a, _case_of(a)))
            for a in c.capitals:
                self._add(a, Ref("country", "capital", c, a, _case_of(a)))
        for o in organisations:
            for a in (o.name, *o.aliases):
                self._add(a, Ref("organisation", "alias", o, a, _case_of(a)))
        for s in sectors:
            self._add(s.term, Ref("sector", "term", s, s.term, "any"))
        self.offices: dict[tuple[str, str], list[OfficeTerm]] = {}
        for t in office_terms:
            self.offices.setdefault((t.country, t.role), []).append(t)
        by_alias: dict[str, list[OfficeTerm]] = {}
        for t in office_terms:
            for a in {t.name, *t.aliases}:
                by_alias.setdefault(a, []).append(t)
        for alias, terms in by_alias.items():
            self._add(alias, Ref("person", "alias", tuple(terms), alias, "title"))

    def _add(self, alias: str, ref: Ref) -> None:
        toks = tokenize(alias)
        self._add_path(toks, ref)
        if any("-" in t for t in toks):
            # spaCy splits "al-Qaeda" into "al", "-", "Qaeda": the alias is found both ways
            split = [p for t in toks for p in re.split(r"(-)", t) if p]
            self._add_path(split, ref)

    def _add_path(self, toks: list[str], ref: Ref) -> None:
        node = self.root
        for tok in toks:
            node = node.children.setdefault(fold(tok), _Node())
        if ref not in node.refs:
            node.refs.append(ref)

    def country(self, iso3: str) -> Country | None:
        return self.countries.get(iso3)

    def organisation(self, code: str) -> Organisation | None:
        return self.organisations.get(code)

    def holder(self, country: str, role: str, day: dt.date) -> OfficeTerm | None:
        """Who held ``role`` in ``country`` on ``day`` (None if nobody, or unclear)."""
        terms = [t for t in self.offices.get((country, role), ()) if t.covers(day)]
        return terms[0] if len({t.name for t in terms}) == 1 else None

    def persons_named(self, name: str) -> tuple[OfficeTerm, ...]:
        node = self.root
        for tok in tokenize(name):
            node = node.children.get(fold(tok))  # type: ignore[assignment]
            if node is None:
                return ()
        out: list[OfficeTerm] = []
        for r in node.refs:
            if r.what == "person":
                out.extend(r.target)  # type: ignore[arg-type]
        return tuple(out)


# -- the disk cache's form: JSON-ready lists and dicts, no objects ---------------------------

#: Bump when the encoded form below changes.
CACHE_FORMAT = 1

_WHATS = frozenset({"country", "organisation", "sector", "person"})
_CASES = frozenset({"exact", "title", "any"})


def encode(kb: KnowledgeBase) -> dict[str, Any]:
    """``kb`` as plain JSON values (see :func:`decode`). The trie is flat: ``edges`` lists
    each node but the root as [parent node, token], parents first; ``refs`` lists
    [node, what, how, targets, form, case], the targets a list: one index into
    ``countries``, ``organisations`` or ``sectors``, or a person's office terms as indexes
    into ``offices``.
    The first ``keyed`` countries, organisations and sectors are the ones the knowledge base
    looks up by code (a later row with the same code is found through the trie only)."""
    pools: dict[str, list[Any]] = {"country": list(kb.countries.values()),
                                   "organisation": list(kb.organisations.values()),
                                   "sector": list(kb.sectors.values()),
                                   "person": kb.office_terms}
    keyed = [len(kb.countries), len(kb.organisations), len(kb.sectors)]
    index = {what: {id(x): i for i, x in enumerate(pool)} for what, pool in pools.items()}

    def number(what: str, target: Any) -> int:
        found = index[what].setdefault(id(target), len(pools[what]))
        if found == len(pools[what]):
            pools[what].append(target)
        return found

    edges: list[list[Any]] = []
    refs: list[list[Any]] = []
    todo = [(0, kb.root)]
    while todo:
        node_number, node = todo.pop()
        for r in node.refs:
            target = ([number("person", t) for t in r.target]  # type: ignore[attr-defined]
                      if r.what == "person" else [number(r.what, r.target)])
            refs.append([node_number, r.what, r.how, target, r.form, r.case])
        for tok, child in node.children.items():
            edges.append([node_number, tok])
            todo.append((len(edges), child))
    return {
        "keyed": keyed,
        "countries": [[c.iso3, c.iso2, c.name, c.aliases, c.adjectives, c.demonyms, c.capitals]
                      for c in pools["country"]],
        "organisations": [[o.code, o.name, o.aliases, o.kind, o.country, o.sector, o.members]
                          for o in pools["organisation"]],
        "sectors": [[t.term, t.sector, t.kind, t.role] for t in pools["sector"]],
        "offices": [[t.name, t.aliases, t.country, t.role, t.start.isoformat(),
                     t.end.isoformat() if t.end else None, t.gender] for t in kb.office_terms],
        "patterns": [[p.pattern, code] for p, code in kb.collective_patterns],
        "edges": edges,
        "refs": refs,
    }


def check_types(values: Iterable[Any], *types: type) -> None:
    """Raise ``TypeError`` unless every value is exactly of one of ``types`` (checked in
    bulk: a cache file is read on every start)."""
    found = set(map(type, values))
    if not found <= set(types):
        raise TypeError(f"expected {'/'.join(t.__name__ for t in types)}, found "
                        f"{'/'.join(sorted(t.__name__ for t in found - set(types)))}")


def _columns(rows: Any, width: int) -> list[tuple[Any, ...]]:
    """The columns of a table of ``width``-long rows (a wrong shape raises)."""
    check_types(rows, list)
    check_types(map(len, rows), int)
    if {len(r) for r in rows} - {width}:
        raise ValueError(f"expected rows of {width} values")
    return list(zip(*rows, strict=True)) if rows else [()] * width


def _text(*columns: tuple[Any, ...], optional: bool = False) -> None:
    for column in columns:
        check_types(column, *((str, type(None)) if optional else (str,)))


def _lists(*columns: tuple[Any, ...]) -> None:
    for column in columns:
        check_types(column, list)
        check_types(chain.from_iterable(column), str)


def decode(data: dict[str, Any]) -> KnowledgeBase:
    """The knowledge base :func:`encode` wrote. A value of the wrong shape or type raises
    (``TypeError``, ``ValueError``, ``KeyError``, ``IndexError``) before anything is used."""
    c = _columns(data["countries"], 7)
    _text(*c[:3])
    _lists(*c[3:])
    o = _columns(data["organisations"], 7)
    _text(o[0], o[1], o[3])
    _text(o[4], o[5], optional=True)
    _lists(o[2], o[6])
    t = _columns(data["sectors"], 4)
    _text(t[0], t[2])
    _text(t[1], t[3], optional=True)
    f = _columns(data["offices"], 7)
    _text(f[0], f[2], f[3], f[4])
    _text(f[5], f[6], optional=True)
    _lists(f[1])
    countries = [Country(a, b, n, tuple(x), tuple(y), tuple(z), tuple(w))
                 for a, b, n, x, y, z, w in data["countries"]]
    organisations = [Organisation(a, n, tuple(x), k, y, z, tuple(m))
                     for a, n, x, k, y, z, m in data["organisations"]]
    sectors = [SectorTerm(*r) for r in data["sectors"]]
    offices = [OfficeTerm(n, tuple(a), c_, r, dt.date.fromisoformat(s),
                          dt.date.fromisoformat(e) if e is not None else None, g)
               for n, a, c_, r, s, e, g in data["offices"]]
    p = _columns(data["patterns"], 2)
    _text(*p)
    n_countries, n_organisations, n_sectors = data["keyed"]
    check_types(data["keyed"], int)
    kb = KnowledgeBase.__new__(KnowledgeBase)
    kb.countries = {x.iso3: x for x in countries[:n_countries]}
    kb.organisations = {x.code: x for x in organisations[:n_organisations]}
    kb.sectors = {x.term: x for x in sectors[:n_sectors]}
    kb.office_terms = offices
    kb.collective_patterns = [(re.compile(x, re.IGNORECASE), y) for x, y in data["patterns"]]
    kb.offices = {}
    for term in offices:
        kb.offices.setdefault((term.country, term.role), []).append(term)
    pools = {"country": countries, "organisation": organisations, "sector": sectors,
             "person": offices}
    kb.root = _decode_trie(data["edges"], data["refs"], pools)
    return kb


def _decode_trie(edges: Any, refs: Any, pools: dict[str, list[Any]]) -> _Node:
    parents, tokens = _columns(edges, 2)
    check_types(parents, int)
    _text(tokens)
    nodes = [_Node() for _ in range(len(edges) + 1)]
    for number, (parent, tok) in enumerate(edges, 1):
        if not 0 <= parent < number:
            raise ValueError("a trie node must come after its parent")
        nodes[parent].children[tok] = nodes[number]
    r = _columns(refs, 6)
    check_types(r[0], int)
    _text(r[1], r[2], r[4], r[5])
    check_types(r[3], list)
    check_types(chain.from_iterable(r[3]), int)
    if set(r[1]) - _WHATS or set(r[5]) - _CASES:
        raise ValueError("unknown kind of alias reference")
    offices = pools["person"]
    for number, what, how, target, form, case in refs:
        if what == "person":
            goal: object = tuple(offices[i] for i in target)
        else:
            (i,) = target
            goal = pools[what][i]
        nodes[number].refs.append(Ref(what, how, goal, form, case))
    return nodes[0]


_COUNTRY_COLS = ("iso3", "iso2", "name", "aliases", "adjectives", "demonyms", "capitals")


def _load_countries() -> list[Country]:
    out = []
    for lineno, r in _rows("countries.tsv"):
        if not re.fullmatch(r"[A-Z]{3}", r.get("iso3", "")):
            raise KnowledgeBaseError(f"countries.tsv line {lineno}: bad iso3 '{r.get('iso3')}'")
        out.append(Country(r["iso3"], r["iso2"], r["name"], _list(r["aliases"]),
                           _list(r["adjectives"]), _list(r["demonyms"]), _list(r["capitals"])))
    return out


def _load_organisations() -> list[Organisation]:
    return [
        Organisation(r["code"], r["name"], _list(r["aliases"]), r["kind"], r["country"] or None,
                     r["sector"] or None, _list(r["members"]))
        for _, r in _rows("organisations.tsv")
    ]


def _load_sectors() -> list[SectorTerm]:
    return [SectorTerm(fold(r["term"]), r["sector"] or None, r["kind"] or "group",
                       r["role"] or None) for _, r in _rows("sectors.tsv")]


def _load_office_terms() -> list[OfficeTerm]:
    out = []
    data = resources.files("redline.kb").joinpath("data")
    for entry in sorted(data.iterdir(), key=lambda p: p.name):
        if not (entry.name.startswith("officeholders") and entry.name.endswith(".tsv")):
            continue
        for lineno, r in _rows(entry.name):
            start = _date(r["start"], entry.name, lineno)
            if start is None:
                raise KnowledgeBaseError(f"{entry.name} line {lineno}: missing start date")
            out.append(OfficeTerm(r["name"], _list(r["aliases"]), r["country"], r["role"], start,
                                  _date(r["end"], entry.name, lineno), r.get("gender") or None))
    return out


def _load_collective_patterns() -> list[tuple[re.Pattern[str], str]]:
    out = []
    for lineno, r in _rows("collective_patterns.tsv"):
        try:
            out.append((re.compile(r["pattern"], re.IGNORECASE), r["code"]))
        except re.error as exc:
            raise KnowledgeBaseError(
                f"collective_patterns.tsv line {lineno}: bad pattern: {exc}") from None
    return out


def kb_sources() -> list[Any]:
    """What the knowledge base is built from: this module, the TSV reader and every TSV file
    in ``data/`` (cache key; the gazetteer's two tables among them)."""
    data = resources.files("redline.kb").joinpath("data")
    tables = sorted((e for e in data.iterdir() if e.name.endswith(".tsv")), key=lambda e: e.name)
    return [Path(__file__), Path(knowledge.__file__), *tables]


def country_of_word(word: str) -> str | None:
    """ISO3 of a country named by one word or its adjective ("Syrian", "Ukraine")."""
    node = load_kb().root.children.get(fold(word))
    if node is None:
        return None
    for ref in node.refs:
        if ref.what == "country" and ref.how in ("name", "alias", "adjective"):
            return ref.target.iso3  # type: ignore[attr-defined]
    return None


@cache
def load_kb() -> KnowledgeBase:
    """The knowledge base, read once per process (or read back from the disk cache)."""
    return cached("kb", kb_sources(), _build_kb, encode=encode, decode=decode,
                  version=CACHE_FORMAT)


def _build_kb() -> KnowledgeBase:
    return KnowledgeBase(_load_countries(), _load_organisations(), _load_sectors(),
                         _load_office_terms(), _load_collective_patterns())
