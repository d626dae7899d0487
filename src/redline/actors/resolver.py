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


def _person_actor(terms: list[OfficeTerm], toks: list[Tok], how: str) -> Actor:
    t = terms[0]
    igo = t.role == "igo_head" or len(t.country) != 3 or t.country in IGO_THREE_LETTER
    sector = ROLE_SECTOR.get(t.role, "IGO" if igo else "GOV")
    return Actor(text="", start=toks[0].start, end=toks[-1].end,
                 code=compose_code(t.country, sector), country="IGO" if igo else t.country,
                 sector=sector, name=t.name, kind="person", role=t.role, resolved_by=how,
                 gender=t.gender)


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


def _org_actor(org: Organisation, sector: SectorTerm | None,
               kb: KnowledgeBase | None = None) -> Actor:
    """An organisation; a following sector term refines it ("UN peacekeepers" -> UNMIL)."""
    kind = {"igo": "igo", "bloc": "igo", "collective": "group"}.get(org.kind, "organisation")
    base = org.country or org.code
    org_sector = org.sector
    if sector is not None and sector.sector and (
            not org_sector or (org.kind in ("igo", "bloc") and sector.kind != "organisation")):
        org_sector = sector.sector
    return Actor(text="", start=0, end=0, code=compose_code(base, org_sector),
                 country=international_class(org, kb) or base, sector=org_sector,
                 name=org.name, kind=kind, resolved_by=f"organisation:{org.code}")


def combine(matches: list[Match], toks: list[Tok], day: dt.date | None,
            kb: KnowledgeBase) -> Actor | None:
    """Turn the alias matches of one phrase into an actor (or None)."""
    persons = [m for m in matches if m.ref.what == "person"]
    orgs = [m for m in matches if m.ref.what == "organisation"]
    countries = [m for m in matches if m.ref.what == "country"]
    sectors = [m for m in matches if m.ref.what == "sector"]
    head_sector: SectorTerm | None = sectors[-1].ref.target if sectors else None  # type: ignore[assignment]
    country_m = countries[-1] if countries else None
    country: Country | None = country_m.ref.target if country_m else None  # type: ignore[assignment]

    covered = {i for x in matches for i in range(x.first, x.last + 1)}
    for m in reversed(persons):
        if m.first == m.last and m.first > 0 and m.first - 1 not in covered and \
                toks[m.first - 1].text[:1].isupper() and toks[m.first - 1].text.isalpha() \
                and fold(toks[m.first - 1].text) not in HONORIFICS:
            continue  # "Diane Abbott" is not Tony Abbott: another first name precedes
        terms = _terms_at(m.ref.target, day)  # type: ignore[arg-type]
        if country is not None:
            same = [t for t in terms if t.country == country.iso3]
            terms = same or terms
        names = {t.name for t in terms}
        if len(names) == 1:
            return _person_actor(terms, toks, "officeholder")
        all_terms: tuple[OfficeTerm, ...] = m.ref.target  # type: ignore[assignment]
        # Out of office: only a full name identifies the person ("Colin Powell"); a bare
        # surname outside every tenure may be anyone ("Powell" in 2020 is not Colin Powell).
        if not terms and len({t.name for t in all_terms}) == 1 and m.last > m.first:
            t = all_terms[0]
            igo = t.role == "igo_head" or len(t.country) != 3 or t.country in IGO_THREE_LETTER
            return Actor(text="", start=0, end=0, code=t.country,
                         country="IGO" if igo else t.country, sector=None,
                         name=t.name, kind="person", role=f"former {t.role}",
                         resolved_by="officeholder-out-of-office", gender=t.gender)
    if orgs:
        org: Organisation = orgs[-1].ref.target  # type: ignore[assignment]
        # "the Kremlin leader", "NATO officials": an organisation modifying a person noun
        if (head_sector is not None and sectors[-1].first > orgs[-1].last
                and head_sector.kind == "person" and org.country and len(org.country) == 3):
            return Actor(text="", start=0, end=0, code=compose_code(org.country, org.sector),
                         country=org.country, sector=org.sector or head_sector.sector,
                         kind="person", role=head_sector.role or head_sector.term,
                         resolved_by=f"description:{org.code}")
        following = head_sector if sectors and sectors[-1].first > orgs[-1].last else None
        return _org_actor(org, following, kb)
    if country is not None and country_m is not None and country_m.first > 0 \
            and fold(toks[country_m.first - 1].text) == "ethnic" \
            and country_m.ref.how in ("adjective", "demonym"):
        # "ethnic Albanians", "ethnic Russian militias": a community, not its kin state; the
        # place it lives in may give its country (actors stage), nothing else does
        sector = head_sector.sector if head_sector is not None and \
            sectors[-1].first > country_m.first else "CVL"
        return Actor(text="", start=0, end=0, code=None, country=None, sector=sector,
                     kind="group", role=f"ethnic {country.name}",
                     resolved_by=f"ethnic:{country.iso3}")
    if country is not None and country_m is not None:
        if head_sector is not None and sectors[-1].first < country_m.first:
            head_sector = None if country_m.ref.how != "adjective" else head_sector
        if (head_sector is not None and head_sector.role in TOPICAL_ROLES
                and country_m.ref.how != "adjective"):
            return _sector_actor(head_sector, None)
        if head_sector is not None:
            kind = head_sector.kind
            held = holder_actor(kb, country.iso3, head_sector.role, day)
            if held is not None:
                return held
            return Actor(text="", start=0, end=0,
                         code=compose_code(country.iso3, head_sector.sector),
                         country=country.iso3, sector=head_sector.sector, kind=kind,
                         role=head_sector.role, resolved_by=f"country+sector:{country_m.ref.how}")
        how = country_m.ref.how
        if how == "capital":
            return Actor(text="", start=0, end=0, code=f"{country.iso3}GOV", country=country.iso3,
                         sector="GOV", name=f"government of {country.name}", kind="government",
                         resolved_by="capital")
        kind = {"demonym": "group", "adjective": "group"}.get(how, "country")
        return Actor(text="", start=0, end=0, code=country.iso3, country=country.iso3,
                     sector=None, name=country.name, kind=kind, resolved_by=f"country:{how}")
    if head_sector is not None:
        return _sector_actor(head_sector, None)
    return None


#: Nouns that only say what kind of body a named organisation is: "the Hamas movement", "the
#: al-Qaeda terror network", "the Wagner group" are the organisation named before them.
GENERIC_ORG_HEADS = frozenset({"network", "networks", "movement", "group", "organisation",
                               "organization", "faction", "outfit", "party", "front",
                               "alliance", "bloc", "coalition", "wing", "militia"})


#: Office words that name one person on a given day ("Hungary's prime minister").
OFFICE_ROLES = frozenset({"head_of_state", "head_of_government", "foreign_minister",
                          "defence_minister"})


def holder_actor(kb: KnowledgeBase, country: str, role: str | None,
                 day: dt.date | None) -> Actor | None:
    """The named holder of an office on a day, as a person actor (None when unknown)."""
    if role not in OFFICE_ROLES or day is None:
        return None
    term = kb.holder(country, role, day)
    if term is None and role == "head_of_government":
        term = kb.holder(country, "head_of_state", day)  # presidential systems
    if term is None:
        return None
    actor = _person_actor([term], [Tok("", 0, 0)], "office-description")
    return actor


def _sector_actor(term: SectorTerm, country: str | None) -> Actor:
    return Actor(text="", start=0, end=0, code=compose_code(country, term.sector),
                 country=country, sector=term.sector, kind=term.kind, role=term.role,
                 resolved_by=f"sector:{term.term}")


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
    core = strip_determiners(toks)
    phrases = {" ".join(t.text for t in toks), " ".join(t.text for t in core)}
    actor: Actor | None = None
    for pattern, code in kb.collective_patterns:
        if any(pattern.match(p) for p in phrases):
            org = kb.organisation(code)
            if org is not None:
                actor = _org_actor(org, None, kb)
                actor.resolved_by = f"collective-pattern:{code}"
            break
    if actor is None:
        matches = find_matches(kb, toks)  # "the West", "The Hague": articles can be names
        if head is not None and not any(m.first <= head <= m.last for m in matches) and not (
                fold(toks[head].text) in GENERIC_ORG_HEADS
                and any(m.ref.what == "organisation" and m.last < head for m in matches)):
            return None  # "Western involvement"; but "the al-Qaeda terror network" is al-Qaeda
        actor = combine(matches, toks, day, kb)
    if actor is not None:
        actor.start, actor.end = toks[0].start, toks[-1].end
    return actor


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
