"""Resolve a noun phrase to an actor with the knowledge base.

The resolver sees a phrase as tokens (text, lemma, character offsets), walks the alias trie
for the longest non-overlapping matches, and combines them: a named office-holder valid on
the article date wins; then a named organisation; then a country (name, adjective, capital)
together with a sector term ("Russian troops" -> RUS MIL); then a sector term alone. A phrase
with nothing known returns ``None``: the caller keeps it as an unresolved actor, never a guess.

``resolve_text`` does the same for a plain string (no parser), which the tests and the Python
API use.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from redline.article import Actor, compose_code
from redline.kb.actors import (
    Country,
    KnowledgeBase,
    OfficeTerm,
    Organisation,
    Ref,
    SectorTerm,
    load_kb,
    tokenize,
)
from redline.knowledge import fold
from redline.provenance import ActorRule, Resolution, resolution

#: Roles whose country modifier names a topic, not a nationality ("a Russia analyst").
TOPICAL_ROLES = frozenset({"analyst", "expert", "correspondent", "specialist", "observer",
                           "scholar", "researcher", "editor", "reporter", "commentator"})
#: Organisation codes of three letters, which are not countries.
IGO_THREE_LETTER = frozenset({"WHO", "IMF", "ICC", "ICJ", "WTO", "ILO", "FAO", "WFP", "IOM"})
#: Words before a surname that are not a first name ("Ms Sandu", "Dr Tedros").
HONORIFICS = frozenset({"mr", "ms", "mrs", "miss", "dr", "sir", "dame", "madam", "lady",
                        "lord", "prof", "professor", "gen", "general", "col", "colonel",
                        "sheikh", "king", "queen", "prince", "princess", "emir", "ayatollah",
                        "comrade", "senator", "sen", "rep", "judge", "justice", "field",
                        "marshal", "admiral", "adm", "lt", "capt", "major", "maj"})
#: Office-holder roles and the sector they act for.
ROLE_SECTOR = {"military_chief": "MIL"}
_DETERMINERS = frozenset({"the", "a", "an", "this", "that", "these", "those", "its", "their",
                          "his", "her", "our", "your", "my", "some", "any", "all", "both",
                          "such", "other", "another", "many", "most", "several"})


@dataclass(slots=True)
class Tok:
    text: str
    start: int
    end: int
    lemma: str | None = None

    @property
    def forms(self) -> tuple[str, ...]:
        f = fold(self.text)
        if self.lemma:
            lem = fold(self.lemma)
            if lem != f:
                return (f, lem)
        return (f,)


@dataclass(slots=True)
class Match:
    ref: Ref
    first: int  # token index
    last: int  # inclusive


def _case_ok(ref: Ref, toks: list[Tok]) -> bool:
    text = " ".join(t.text for t in toks)
    if ref.case == "exact":
        return text.replace(" ", "") == ref.form.replace(" ", "") or text == ref.form
    if ref.case == "title":
        return toks[0].text[:1].isupper() or toks[0].text[:1].isdigit()
    return True


def _naive_lemma(word: str) -> str:
    w = word.lower()
    if w.endswith("ies") and len(w) > 4:
        return w[:-3] + "y"
    if w.endswith("men"):
        return w[:-3] + "man"
    if w.endswith(("ches", "shes", "sses", "xes")):
        return w[:-2]
    if w.endswith("s") and not w.endswith(("ss", "us", "is")) and len(w) > 3:
        return w[:-1]
    return w


def find_matches(kb: KnowledgeBase, toks: list[Tok]) -> list[Match]:
    """Longest non-overlapping alias matches, left to right."""
    out: list[Match] = []
    i = 0
    while i < len(toks):
        best: Match | None = None
        frontier = [(kb.root, i)]
        while frontier:
            node, j = frontier.pop()
            if j > i:
                refs = [r for r in node.refs if _case_ok(r, toks[i:j])]
                # a sector term may match on a lemma; names only on the surface form
                if refs and (best is None or j - 1 > best.last):
                    best = Match(_pick(refs, toks[i:j]), i, j - 1)
            if j < len(toks):
                for form in toks[j].forms:
                    child = node.children.get(form)
                    if child is not None:
                        frontier.append((child, j + 1))
        if best is not None:
            out.append(best)
            i = best.last + 1
        else:
            i += 1
    return out


_PRIORITY = {"person": 0, "organisation": 1, "country": 2, "sector": 3}


def _pick(refs: list[Ref], toks: list[Tok]) -> Ref:
    surface = fold(" ".join(t.text for t in toks))
    exact = [r for r in refs if r.what != "sector" and fold(r.form) == surface]
    pool = exact or refs
    if not exact:
        # only sector terms may match through a lemma ("troops" -> "troop")
        pool = [r for r in refs if r.what == "sector"] or refs
    return min(pool, key=lambda r: _PRIORITY[r.what])


def _terms_at(terms: tuple[OfficeTerm, ...], day: dt.date | None) -> list[OfficeTerm]:
    if day is None:
        latest = max(terms, key=lambda t: t.start)
        return [t for t in terms if t.name == latest.name and t.start == latest.start]
    return [t for t in terms if t.covers(day)]


@dataclass(frozen=True, slots=True)
class Identity:
    """Who a phrase names, before it is placed in a text: :meth:`at` makes the actor."""

    code: str | None
    country: str | None
    sector: str | None
    kind: str
    resolved_by: Resolution
    name: str | None = None
    role: str | None = None
    gender: str | None = None

    def at(self, text: str, start: int, end: int) -> Actor:
        """The actor this identity is, named by ``text`` at ``start``-``end``."""
        return Actor(text, start, end, code=self.code, country=self.country,
                     sector=self.sector, name=self.name, kind=self.kind, role=self.role,
                     resolved_by=self.resolved_by, gender=self.gender)


def _person_identity(terms: list[OfficeTerm], rule: ActorRule) -> Identity:
    t = terms[0]
    igo = t.role == "igo_head" or len(t.country) != 3 or t.country in IGO_THREE_LETTER
    sector = ROLE_SECTOR.get(t.role, "IGO" if igo else "GOV")
    return Identity(compose_code(t.country, sector), "IGO" if igo else t.country, sector,
                    "person", resolution(rule), name=t.name, role=t.role, gender=t.gender)


#: The CAMEO international class of a transnational organisation with no country, by kind.
_STATELESS_CLASS = {"armed_group": "IMG", "company": "MNC", "igo": "IGO", "bloc": "IGO"}


def international_class(org: Organisation, kb: KnowledgeBase | None = None) -> str | None:
    """``IGO``, ``NGO``, ``IMG`` or ``MNC`` for an organisation that belongs to no one country
    (NATO, the UN Security Council, the ICRC, al-Qaeda); None for a national body or a
    collective of states ("the West" keeps ``WST``)."""
    if org.kind in ("igo", "bloc"):
        return "IGO"
    if not org.country:
        return _STATELESS_CLASS.get(org.kind, "NGO")
    parent = (kb or load_kb()).organisation(org.country)
    if parent is not None and parent.code != org.code:
        return international_class(parent, kb)
    return None


def _org_identity(org: Organisation, sector: SectorTerm | None, kb: KnowledgeBase | None = None,
                  rule: ActorRule = ActorRule.ORGANISATION) -> Identity:
    """An organisation; a following sector term refines it ("UN peacekeepers" -> UNMIL)."""
    kind = {"igo": "igo", "bloc": "igo", "collective": "group"}.get(org.kind, "organisation")
    base = org.country or org.code
    org_sector = org.sector
    if sector is not None and sector.sector and (
            not org_sector or (org.kind in ("igo", "bloc") and sector.kind != "organisation")):
        org_sector = sector.sector
    return Identity(compose_code(base, org_sector), international_class(org, kb) or base,
                    org_sector, kind, resolution(rule, org.code), name=org.name)


@dataclass(frozen=True, slots=True)
class _Parts:
    """The alias matches of one phrase, by what they name."""

    persons: list[Match]
    orgs: list[Match]
    countries: list[Match]
    sectors: list[Match]

    @classmethod
    def of(cls, matches: list[Match]) -> _Parts:
        def what(name: str) -> list[Match]:
            return [m for m in matches if m.ref.what == name]
        return cls(what("person"), what("organisation"), what("country"), what("sector"))

    @property
    def head_sector(self) -> SectorTerm | None:
        return self.sectors[-1].ref.target if self.sectors else None  # type: ignore[return-value]

    @property
    def country_match(self) -> Match | None:
        return self.countries[-1] if self.countries else None

    @property
    def country(self) -> Country | None:
        m = self.country_match
        return m.ref.target if m is not None else None  # type: ignore[return-value]


def combine(matches: list[Match], toks: list[Tok], day: dt.date | None,
            kb: KnowledgeBase) -> Identity | None:
    """Turn the alias matches of one phrase into who it names (or None): a named
    office-holder, else an organisation, else a country with its sector, else a sector."""
    parts = _Parts.of(matches)
    found = _named_person(parts, matches, toks, day)
    if found is None and parts.orgs:
        found = _organisation(parts, kb)
    if found is None and parts.country_match is not None:
        found = _ethnic_group(parts, toks) or _country(parts, day, kb)
    if found is None and parts.head_sector is not None:
        found = _sector_identity(parts.head_sector, None)
    return found


def _named_person(parts: _Parts, matches: list[Match], toks: list[Tok],
                  day: dt.date | None) -> Identity | None:
    """A named office-holder in office on ``day``, or out of office when named in full."""
    country = parts.country
    covered = {i for x in matches for i in range(x.first, x.last + 1)}
    for m in reversed(parts.persons):
        if m.first == m.last and m.first > 0 and m.first - 1 not in covered and \
                toks[m.first - 1].text[:1].isupper() and toks[m.first - 1].text.isalpha() \
                and fold(toks[m.first - 1].text) not in HONORIFICS:
            continue  # "Diane Abbott" is not Tony Abbott: another first name precedes
        terms = _terms_at(m.ref.target, day)  # type: ignore[arg-type]
        if country is not None:
            same = [t for t in terms if t.country == country.iso3]
            terms = same or terms
        if len({t.name for t in terms}) == 1:
            return _person_identity(terms, ActorRule.OFFICEHOLDER)
        all_terms: tuple[OfficeTerm, ...] = m.ref.target  # type: ignore[assignment]
        # Out of office: only a full name identifies the person ("Colin Powell"); a bare
        # surname outside every tenure may be anyone ("Powell" in 2020 is not Colin Powell).
        if not terms and len({t.name for t in all_terms}) == 1 and m.last > m.first:
            t = all_terms[0]
            igo = t.role == "igo_head" or len(t.country) != 3 or t.country in IGO_THREE_LETTER
            return Identity(t.country, "IGO" if igo else t.country, None, "person",
                            resolution(ActorRule.OUT_OF_OFFICE), name=t.name,
                            role=f"former {t.role}", gender=t.gender)
    return None


def _organisation(parts: _Parts, kb: KnowledgeBase) -> Identity:
    """The last organisation named; "the Kremlin leader", "NATO officials": an organisation
    modifying a person noun names that person."""
    org: Organisation = parts.orgs[-1].ref.target  # type: ignore[assignment]
    head_sector = parts.head_sector
    after = parts.sectors and parts.sectors[-1].first > parts.orgs[-1].last
    if (head_sector is not None and after and head_sector.kind == "person" and org.country
            and len(org.country) == 3):
        return Identity(compose_code(org.country, org.sector), org.country,
                        org.sector or head_sector.sector, "person",
                        resolution(ActorRule.DESCRIPTION, org.code),
                        role=head_sector.role or head_sector.term)
    return _org_identity(org, head_sector if after else None, kb)


def _ethnic_group(parts: _Parts, toks: list[Tok]) -> Identity | None:
    """"ethnic Albanians", "ethnic Russian militias": a community, not its kin state; the
    place it lives in may give its country (actors stage), nothing else does."""
    country, country_m, head_sector = parts.country, parts.country_match, parts.head_sector
    if country is None or country_m is None or country_m.first == 0 \
            or fold(toks[country_m.first - 1].text) != "ethnic" \
            or country_m.ref.how not in ("adjective", "demonym"):
        return None
    sector = head_sector.sector if head_sector is not None and \
        parts.sectors[-1].first > country_m.first else "CVL"
    return Identity(None, None, sector, "group", resolution(ActorRule.ETHNIC, country.iso3),
                    role=f"ethnic {country.name}")


def _country(parts: _Parts, day: dt.date | None, kb: KnowledgeBase) -> Identity | None:
    """A country, its capital (its government) or its sector ("Russian troops")."""
    country, country_m, head_sector = parts.country, parts.country_match, parts.head_sector
    if country is None or country_m is None:
        return None
    how = country_m.ref.how
    if head_sector is not None and parts.sectors[-1].first < country_m.first:
        head_sector = None if how != "adjective" else head_sector
    if head_sector is not None and head_sector.role in TOPICAL_ROLES and how != "adjective":
        return _sector_identity(head_sector, None)
    if head_sector is not None:
        held = holder_actor(kb, country.iso3, head_sector.role, day)
        if held is not None:
            return held
        return Identity(compose_code(country.iso3, head_sector.sector), country.iso3,
                        head_sector.sector, head_sector.kind,
                        resolution(ActorRule.COUNTRY_SECTOR, how), role=head_sector.role)
    if how == "capital":
        return Identity(f"{country.iso3}GOV", country.iso3, "GOV", "government",
                        resolution(ActorRule.CAPITAL), name=f"government of {country.name}")
    kind = {"demonym": "group", "adjective": "group"}.get(how, "country")
    return Identity(country.iso3, country.iso3, None, kind, resolution(ActorRule.COUNTRY, how),
                    name=country.name)


#: Nouns that only say what kind of body a named organisation is: "the Hamas movement", "the
#: al-Qaeda terror network", "the Wagner group" are the organisation named before them.
GENERIC_ORG_HEADS = frozenset({"network", "networks", "movement", "group", "organisation",
                               "organization", "faction", "outfit", "party", "front",
                               "alliance", "bloc", "coalition", "wing", "militia"})


#: Office words that name one person on a given day ("Hungary's prime minister").
OFFICE_ROLES = frozenset({"head_of_state", "head_of_government", "foreign_minister",
                          "defence_minister"})


def holder_actor(kb: KnowledgeBase, country: str, role: str | None,
                 day: dt.date | None) -> Identity | None:
    """The named holder of an office on a day, as a person (None when unknown)."""
    if role not in OFFICE_ROLES or day is None:
        return None
    term = kb.holder(country, role, day)
    if term is None and role == "head_of_government":
        term = kb.holder(country, "head_of_state", day)  # presidential systems
    if term is None:
        return None
    return _person_identity([term], ActorRule.OFFICE_DESCRIPTION)


def _sector_identity(term: SectorTerm, country: str | None) -> Identity:
    return Identity(compose_code(country, term.sector), country, term.sector, term.kind,
                    resolution(ActorRule.SECTOR, term.term), role=term.role)


def strip_determiners(toks: list[Tok]) -> list[Tok]:
    i = 0
    while i < len(toks) - 1 and fold(toks[i].text) in _DETERMINERS:
        i += 1
    return toks[i:]


def resolve_tokens(toks: list[Tok], day: dt.date | None = None,
                   kb: KnowledgeBase | None = None, head: int | None = None) -> Actor | None:
    """Resolve a phrase given as tokens; offsets and text of the result span the tokens.

    With ``head`` (the index of the phrase's syntactic head in ``toks``), a phrase whose head
    is not part of any known name or term is not an actor ("Western involvement").
    """
    kb = kb or load_kb()
    if not toks:
        return None
    found = _collective(toks, kb)
    if found is None:
        matches = find_matches(kb, toks)  # "the West", "The Hague": articles can be names
        if head is not None and not any(m.first <= head <= m.last for m in matches) and not (
                fold(toks[head].text) in GENERIC_ORG_HEADS
                and any(m.ref.what == "organisation" and m.last < head for m in matches)):
            return None  # "Western involvement"; but "the al-Qaeda terror network" is al-Qaeda
        found = combine(matches, toks, day, kb)
    return found.at(_joined(toks), toks[0].start, toks[-1].end) if found is not None else None


def _collective(toks: list[Tok], kb: KnowledgeBase) -> Identity | None:
    """An organisation a collective pattern of the knowledge base names ("the West")."""
    core = strip_determiners(toks)
    phrases = {" ".join(t.text for t in toks), " ".join(t.text for t in core)}
    for pattern, code in kb.collective_patterns:
        if any(pattern.match(p) for p in phrases):
            org = kb.organisation(code)
            if org is None:
                return None
            return _org_identity(org, None, kb, ActorRule.COLLECTIVE_PATTERN)
    return None


def _joined(toks: list[Tok]) -> str:
    """The text the tokens cover, with each gap between them written as spaces."""
    out = [toks[0].text]
    for prev, tok in zip(toks, toks[1:], strict=False):
        out.append(" " * max(tok.start - prev.end, 0) + tok.text)
    return "".join(out)


_WORD = re.compile(r"\S+")


def text_tokens(text: str) -> list[Tok]:
    """Tokens of a plain string with offsets and naive lemmas (no parser)."""
    toks: list[Tok] = []
    pos = 0
    norm = text.replace("\u2019", "'")
    for piece in tokenize(norm):
        start = norm.find(piece, pos)
        end = start + len(piece)
        pos = end
        toks.append(Tok(text[start:end], start, end, _naive_lemma(piece)))
    return toks


def resolve_text(text: str, date: dt.date | str | None = None) -> Actor | None:
    """Resolve a phrase such as "Russian troops" or "Putin" on an article date."""
    day = dt.date.fromisoformat(date) if isinstance(date, str) else date
    toks = text_tokens(text)
    while toks and toks[-1].text in ("'s", "'"):
        toks.pop()
    actor = resolve_tokens(toks, day)
    if actor is not None:
        actor.text = text[actor.start:actor.end]
    return actor
