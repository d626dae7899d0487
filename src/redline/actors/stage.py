"""The ``actors`` stage: find actor mentions in the parse and resolve them.

Mentions come from noun chunks, named entities and pronouns. Each is resolved with the
knowledge base on the article date. Three things need the parse rather than the phrase:

- a capital or country governed by a locative preposition ("in Moscow") is a place, not an
  actor; as a subject or object ("Moscow said", "urged Kyiv") it is that government;
- an apposition or title gives an unknown person a role, country and affiliation
  ("Dr. Jane Roe, an analyst at Chatham House");
- pronouns and definite descriptions ("he", "the Russian leader") take the last compatible
  named person of the article, and keep that person's resolution.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from dataclasses import replace
from typing import Any

from redline.actors.resolver import Tok, find_matches, holder_actor, resolve_tokens
from redline.article import INTERNATIONAL, Actor, Article, Mention, compose_code
from redline.kb.actors import KnowledgeBase, load_kb
from redline.knowledge import fold
from redline.pipeline import stage
from redline.provenance import ActorRule, CountryForm, Resolution, Step, resolution
from redline.settings import Settings
from redline.syntax import PLACE_USE_PREPS

_ENTITY_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP", "LOC", "FAC"})
_PRONOUN_GENDER = {"he": "m", "him": "m", "his": "m", "himself": "m",
                   "she": "f", "her": "f", "hers": "f", "herself": "f"}
_PERSON_ROLES = {
    "president": {"head_of_state"},
    "prime minister": {"head_of_government"},
    "premier": {"head_of_government"},
    "chancellor": {"head_of_government"},
    "leader": {"head_of_state", "head_of_government"},
    "foreign minister": {"foreign_minister"},
    "defence minister": {"defence_minister"},
    "defense minister": {"defence_minister"},
}
#: Sectors whose country a sentence's other actors do not tell (they may be the enemy's).
NON_STATE_ARMED = frozenset({"REB", "UAF", "INS", "SEP", "CRM", "IMG"})
_COLLECTIVE_PRONOUNS = frozenset({"they", "them", "their", "it", "its"})
_PRONOUNS = frozenset({*_PRONOUN_GENDER, *_COLLECTIVE_PRONOUNS})
_TITLES = {"mr": "m", "mr.": "m", "sir": "m", "mrs": "f", "mrs.": "f", "ms": "f", "ms.": "f",
           "madam": "f", "lady": "f"}


def _toks(span: Any) -> list[Tok]:
    return [Tok(t.text, t.idx, t.idx + len(t.text), t.lemma_) for t in span
            if not t.is_space]


def _is_place_use(head: Any) -> bool:
    """True when a name token is used as a location rather than an actor."""
    if head.dep_ == "pobj" and head.head.lower_ in PLACE_USE_PREPS:
        return True
    return head.dep_ == "compound" and head.head.pos_ in ("NOUN", "PROPN") and (
        head.head.ent_type_ in ("GPE", "LOC", "FAC") or head.head.lower_ in (
            "region", "oblast", "province", "city", "area", "border"))


class _ActorStage:
    def __init__(self, settings: Settings) -> None:
        self.kb: KnowledgeBase = load_kb()

    def __call__(self, article: Article) -> None:
        doc = article.doc
        if doc is None:
            return
        day = article.date
        mentions: list[Mention] = []
        taken: set[int] = set()  # token indices already inside a mention
        # noun chunks and entities once per document (per sentence they rescan the doc)
        sents = list(doc.sents)
        starts = [s.start for s in sents]
        chunks_by: dict[int, list[Any]] = {}
        if doc.has_annotation("DEP"):
            for chunk in doc.noun_chunks:
                chunks_by.setdefault(bisect_right(starts, chunk.start) - 1, []).append(chunk)
        ents_by: dict[int, list[Any]] = {}
        for ent in doc.ents:
            if ent.label_ in _ENTITY_LABELS:
                ents_by.setdefault(bisect_right(starts, ent.start) - 1, []).append(ent)
        for sent_i, sent in enumerate(sents):
            cands = self._candidates(sent, chunks_by.get(sent_i, []), ents_by.get(sent_i, []))
            for span in cands:
                if any(t.i in taken for t in span):
                    continue
                m = self._mention(span, sent_i, day, article)
                if m is not None:
                    mentions.append(m)
                    taken.update(t.i for t in span if m.start <= t.idx < m.end)
        mentions.sort(key=lambda m: m.start)
        self._link_references(mentions, article)
        _contextual_countries(mentions)
        article.mentions = mentions
        article.actors = [m.actor for m in mentions if m.actor is not None]

    def _candidates(self, sent: Any, chunks: list[Any], ents: list[Any]) -> list[Any]:
        """Noun chunks, entities and known names, longest first; then possessors, pronouns."""
        doc = sent.doc
        spans: list[Any] = []
        # names the knowledge base knows, wherever they are ("the coalition of the willing",
        # "Russian" in "Russian strikes")
        toks = [t for t in sent if not t.is_space]
        known = [doc[toks[m.first].i:toks[m.last].i + 1]
                 for m in find_matches(self.kb, _toks(toks)) if m.ref.what != "sector"]
        spans.extend(sorted(chunks + ents + known, key=lambda s: -(s.end - s.start)))
        for tok in sent:
            if tok.dep_ == "poss" and tok.pos_ in ("PROPN", "NOUN"):
                left = min(t.i for t in tok.subtree)
                spans.append(doc[left:tok.i + 1])
        spans.extend(doc[t.i:t.i + 1] for t in sent if t.pos_ == "PRON"
                     and t.lower_ in _PRONOUNS)
        return spans

    def _mention(self, span: Any, sent_i: int, day: dt.date | None,
                 article: Article) -> Mention | None:
        span, owner = self._own_span(span)
        if span is None:
            return None
        head = span.root
        text = article.text[span.start_char:span.end_char]
        if head.pos_ == "PRON":
            if len(span) > 1 or fold(head.text) not in _PRONOUNS:
                return None
            return Mention(text, span.start_char, span.end_char, sent_i, "PRON", None,
                           head.idx)
        label = next((t.ent_type_ for t in span if t.ent_type_), "NP")  # (span.ents rescans)
        found = self._identify(span, text, label, sent_i, day)
        if not isinstance(found, Actor):
            return found
        actor = self._place_actor(found, span, owner, day)
        actor.text = text
        actor.start, actor.end, actor.sentence = span.start_char, span.end_char, sent_i
        if actor.kind == "person" and actor.name is None and label == "PERSON":
            actor.name = " ".join(t.text for t in span if t.ent_type_ == "PERSON") or text
        if actor.kind == "person":
            self._enrich_person(actor, span, day)
        return Mention(text, span.start_char, span.end_char, sent_i, label, actor, head.idx)

    def _own_span(self, span: Any) -> tuple[Any | None, Any | None]:
        """The span without its possessor ("Russia's army" -> "army"; the possessor is a
        mention of its own, returned as the owner) and without edge punctuation; None for
        nothing left."""
        doc = span.doc
        poss = [t for t in span if t.dep_ == "poss" and t.head.i in range(span.start, span.end)]
        if poss and (_one_name(self.kb, span) or _name_across(self.kb, span, poss[-1])):
            poss = []  # "the Democratic People's Republic of Korea" is one name
        owner: Any = None
        if poss and poss[-1].i + 1 < span.end:
            owner = doc[min(t.i for t in poss[-1].subtree):poss[-1].i + 1]
            start = poss[-1].i + 1
            if start < span.end and doc[start].dep_ == "case":
                start += 1
            span = doc[start:span.end]
        while len(span) > 1 and span[-1].dep_ in ("case", "punct"):
            span = span[:-1]
        while len(span) > 1 and span[0].is_punct:
            span = span[1:]
        return (span if len(span) else None), owner

    def _identify(self, span: Any, text: str, label: str, sent_i: int,
                  day: dt.date | None) -> Actor | Mention | None:
        """The actor a span names, or a place mention when it names a place, or None when
        it is no mention of its own."""
        head = span.root
        toks = _toks(span)
        head_i = next((i for i, t in enumerate(toks) if t.start == head.idx), None)
        actor = resolve_tokens(toks, day, self.kb, head=head_i)
        if actor is not None and (_is_place_use(head) or (
                len(span) == 1 and head.dep_ == "compound")):
            named = _place_name(actor)
            if named is not None:  # "in Moscow", "the Budapest Memorandum": a place
                return Mention(text, span.start_char, span.end_char, sent_i, "PLACE", None,
                               head.idx, place=actor.country, country_name=named)
        if actor is None and head.ent_type_ == "PERSON":
            actor = self._titled_person(span, toks, text, day)
        if actor is None:
            inner = resolve_tokens(toks, day, self.kb)
            if inner is not None:
                # a known name inside ("NATO states") is its own mention, unless the span
                # is an organisation named after its country
                return _named_after_country(inner, span, text, label)
            place = self._place_named(span, text, label, sent_i)
            if place is not None:
                return place
            actor = _unknown_actor(span, text, label)
        return actor

    def _titled_person(self, span: Any, toks: list[Tok], text: str,
                       day: dt.date | None) -> Actor | None:
        """"Nigerian junior foreign minister Dubem Oniya": an unknown holder of a known
        title."""
        person = _entity_at(span.root)
        title = resolve_tokens([t for t in toks if t.start < person.start_char], day, self.kb)
        if title is None or not (title.kind == "person" or (
                title.sector and title.kind != "organisation")):
            return None
        return Actor(text, span.start_char, span.end_char, code=title.code,
                     country=title.country, sector=title.sector, name=person.text,
                     kind="person", role=title.role, resolved_by=resolution(ActorRule.TITLE))

    def _place_named(self, span: Any, text: str, label: str, sent_i: int) -> Mention | None:
        """A city or region the knowledge base has no actor for ("Kharkiv", "Crimea"), as a
        place mention; "the town of Samarra" whatever the entity recogniser thought."""
        head = span.root
        if head.pos_ != "PROPN":
            return None
        named_place = head.dep_ == "pobj" and head.head.lower_ == "of" \
            and head.head.head.lemma_.lower() in _PLACE_NOUNS
        if label == "ORG" and len(span) == 1:
            # "shelled Kharkiv" tagged ORG: a one-word name that is a large city is the city
            city = _gazetteer().resolve(text, strict=True)
            named_place = named_place or (city is not None and city.feature == "city"
                                          and city.population >= _BIG_CITY)
        if label not in ("GPE", "LOC", "FAC") and not named_place:
            return None
        place = _gazetteer().resolve(text)
        if place is None or not place.country:
            return None
        return Mention(text, span.start_char, span.end_char, sent_i, "PLACE", None, head.idx,
                       place=place.country)

    def _place_actor(self, actor: Actor, span: Any, owner: Any | None,
                     day: dt.date | None) -> Actor:
        """A country for an actor with none, from its possessor ("Ukraine's defence
        minister") or a place phrase ("police in Kampala")."""
        if actor.country is None and actor.sector and owner is not None \
                and owner.root.pos_ != "PRON":
            own = resolve_tokens(_toks(owner), day, self.kb)
            held = holder_actor(self.kb, own.country, actor.role, day) if (
                own is not None and own.country) else None
            if held is not None:
                actor = held.at(actor.text, actor.start, actor.end)
            elif own is not None and own.country and own.kind in ("country", "government"):
                actor.country = own.country
                actor.code = f"{own.country}{actor.sector}"
                actor.resolved_by = _then(actor, Step.POSSESSOR)
        res = Resolution.of(actor.resolved_by)
        unknown_org = res is not None and res.plain and \
            res.rule is ActorRule.UNKNOWN_ORGANISATION
        if actor.country is None and (actor.sector or actor.role or unknown_org):
            # "police in Kampala"; "an unknown committee in Monrovia" is Liberian
            self._country_from_place(actor, span.root, day)
        return actor

    def _country_from_place(self, actor: Actor, head: Any, day: dt.date | None) -> None:
        """"security forces in Guinea", "police in Kampala": the place gives the country."""
        for prep in head.children:
            if prep.dep_ != "prep" or prep.lower_ not in ("in", "of", "from"):
                continue
            for pobj in prep.children:
                if pobj.dep_ != "pobj":
                    continue
                left = min(t.i for t in pobj.subtree)
                where = resolve_tokens(_toks(head.doc[left:pobj.i + 1]), day, self.kb)
                if where is not None and where.country and len(where.country) == 3 and (
                        where.kind in ("country", "government")) and (
                        actor.sector or actor.kind == "organisation"):
                    actor.country = where.country
                    actor.code = compose_code(where.country, actor.sector)
                    actor.resolved_by = _then(actor, Step.PLACE)
                    return
                if where is not None and where.kind == "igo" and actor.kind != "organisation" \
                        and prep.lower_ in ("from", "of"):
                    # "observers from the OSCE", "inspectors of the IAEA": its people
                    actor.country = where.country
                    actor.code = compose_code(where.party, actor.sector)
                    actor.affiliation = where
                    actor.resolved_by = _then(actor, Step.AFFILIATION)
                    return

    def _enrich_person(self, actor: Actor, span: Any, day: dt.date | None) -> None:
        """Apposition, title and 'at ORG' affiliation for a person."""
        head = span.root
        if actor.gender is None:
            for t in span:
                if t.lower_ in _TITLES:
                    actor.gender = _TITLES[t.lower_]
        for child in head.children:
            if child.dep_ != "appos":
                continue
            sub = list(child.subtree)
            desc = resolve_tokens(_toks([t for t in sub if t.i <= child.i]), day, self.kb)
            affiliation = None
            for t in sub:
                if t.dep_ == "pobj" and t.head.lower_ in ("at", "of", "with", "for", "from"):
                    left = min(x.i for x in t.subtree)
                    org = resolve_tokens(_toks(span.doc[left:t.i + 1]), day, self.kb)
                    if org is not None and org.kind in ("organisation", "igo", "government"):
                        org.text = span.doc[left:t.i + 1].text
                        affiliation = org
                        break
            if desc is not None and desc.role and not actor.role:
                actor.role = desc.role
            if affiliation is not None:
                actor.affiliation = affiliation
            if actor.country is None:
                src = affiliation if affiliation is not None else desc
                if src is not None and src.country is not None:
                    actor.country = src.country
                    actor.sector = src.sector or (desc.sector if desc else None)
                    actor.code = compose_code(src.party, actor.sector)
                    actor.resolved_by = resolution(ActorRule.APPOSITION)
            break

    def _link_references(self, mentions: list[Mention], article: Article) -> None:
        """Resolve pronouns and definite descriptions to the last compatible named person."""
        named: list[Actor] = []
        for m in mentions:
            a = m.actor
            if m.label == "PRON":
                word = fold(m.text)
                if word in _PRONOUN_GENDER:
                    ref = _last_person(named, gender=_PRONOUN_GENDER[word])
                    if ref is not None:
                        m.actor = _copy_ref(ref, m, ActorRule.PRONOUN, f"{ref.name}")
                elif word in _COLLECTIVE_PRONOUNS:
                    ref = _last_collective(mentions, m, plural=word.startswith("the"))
                    if ref is not None:
                        m.actor = _copy_ref(ref, m, ActorRule.PRONOUN, f"{ref.code}")
                continue
            if a is None:
                continue
            if a.kind == "person" and a.name:
                named.append(a)
                continue
            if a.kind == "person" and a.role and _is_definite(m.text) and \
                    not m.text.rstrip().endswith("s"):
                ref = _last_person(named, country=a.country, roles=_roles_of(a))
                if ref is not None:
                    m.actor = _copy_ref(ref, m, ActorRule.REFERENCE, f"{ref.name}")


#: A one-word name the entity recogniser took for an organisation is read as a city of at
#: least this population ("Kharkiv"); smaller towns share names with companies and clubs.
_BIG_CITY = 500_000

#: Nouns that make the name after "of" a place ("the town of Samarra").
_PLACE_NOUNS = frozenset({"town", "city", "village", "district", "province", "region", "port",
                          "capital", "county", "municipality", "governorate", "enclave"})

#: Codes that are no country of context: regions and CAMEO's international classes.
_NOT_CONTEXT = frozenset({"WST", "EUR"}) | INTERNATIONAL


def _contextual_countries(mentions: list[Mention]) -> None:
    """Give sector-only actors ("police", "protesters") the one country of their context.

    The context is the sentence: the countries its actors and places name. When exactly one
    country is named there, a sector-only actor takes it; otherwise the article's countries
    are used the same way (exactly one). The actor says so (``resolved_by`` "context:...",
    lower confidence); with no single country, it stays without one.
    """
    by_sentence: dict[int, set[str]] = {}
    places: dict[int, set[str]] = {}
    article_countries: set[str] = set()
    for m in mentions:
        c = m.place or (m.actor.country if m.actor is not None and m.actor.kind in (
            "country", "government", "person", "group", "organisation") else None)
        if c and len(c) == 3 and c.isalpha() and c.isupper() and c not in _NOT_CONTEXT:
            by_sentence.setdefault(m.sentence, set()).add(c)
            article_countries.add(c)
            if m.place:
                places.setdefault(m.sentence, set()).add(c)
    for m in mentions:
        a = m.actor
        if a is None or a.country is not None or not a.sector:
            continue
        res = Resolution.of(a.resolved_by)
        if a.sector in NON_STATE_ARMED or (res is not None and res.plain
                                           and res.rule is ActorRule.ETHNIC):
            # "US drones killed militants": only where it happened says whose militants;
            # "ethnic Albanians in Macedonia": where they live says whose citizens
            pool = places.get(m.sentence, set())
        else:
            here = by_sentence.get(m.sentence, set())
            pool = here if here else article_countries
        if len(pool) == 1:
            (country,) = pool
            a.country = country
            a.code = f"{country}{a.sector}"
            a.confidence = 0.6
            a.resolved_by = _then(a, Step.CONTEXT)


def _gazetteer() -> Any:
    from redline.kb.gazetteer import load_gazetteer

    return load_gazetteer()


def _entity_at(tok: Any) -> Any:
    """The entity span a token belongs to, from the IOB tags (no scan of doc.ents)."""
    doc, start, end = tok.doc, tok.i, tok.i + 1
    while start > 0 and tok.ent_iob_ != "B" and doc[start].ent_iob_ == "I":
        start -= 1
    while end < len(doc) and doc[end].ent_iob_ == "I":
        end += 1
    return doc[start:end]


def _one_name(kb: KnowledgeBase, span: Any) -> bool:
    """True when one knowledge-base name covers the whole span (determiners aside)."""
    toks = _toks(span)
    while toks and fold(toks[0].text) in ("the", "a", "an"):
        toks = toks[1:]
    matches = find_matches(kb, toks)
    return len(matches) == 1 and matches[0].first == 0 and matches[0].last == len(toks) - 1


def _name_across(kb: KnowledgeBase, span: Any, poss: Any) -> bool:
    """True when a knowledge-base name runs across the possessive to the end of the span
    ("the rebel Kurdistan Workers' Party": the name, not the party of some workers)."""
    toks = _toks(span)
    at = poss.i - span.start
    return any(m.ref.what != "sector" and m.first <= at < m.last and m.last == len(toks) - 1
               for m in find_matches(kb, toks))


def _last_collective(mentions: list[Mention], pron: Mention, plural: bool) -> Actor | None:
    """"they"/"it": the last resolved non-person actor of this or the previous sentence.

    "it" takes a country, government or organisation; "they" also a group ("the rebels").
    """
    kinds = {"government", "country", "organisation", "igo"} | ({"group"} if plural else set())
    for m in reversed(mentions):
        if m.start >= pron.start or m.sentence < pron.sentence - 1:
            continue
        a = m.actor
        if a is not None and a.kind in kinds and a.country is not None and m.label != "PRON":
            return a
    return None


def _is_definite(text: str) -> bool:
    return fold(text).split(" ", 1)[0] in ("the", "this", "that")


def _roles_of(actor: Actor) -> set[str] | None:
    if actor.role is None:
        return None
    return _PERSON_ROLES.get(actor.role.replace("_", " "), {actor.role})


def _last_person(named: list[Actor], *, gender: str | None = None, country: str | None = None,
                 roles: set[str] | None = None) -> Actor | None:
    for a in reversed(named):
        if gender and a.gender and a.gender != gender:
            continue
        if country and a.country and a.country != country:
            continue
        if roles and a.role and a.role not in roles and not _both_heads(roles, a.role):
            continue
        return a
    return None


def _both_heads(roles: set[str], role: str) -> bool:
    """'the president' may name a head of government in a presidential system, and back."""
    heads = {"head_of_state", "head_of_government"}
    return bool(heads & roles) and role in heads


def _copy_ref(ref: Actor, m: Mention, rule: ActorRule, detail: str) -> Actor:
    return replace(ref, text=m.text, start=m.start, end=m.end, sentence=m.sentence,
                   resolved_by=resolution(rule, detail))


def _then(actor: Actor, step: Step) -> str | None:
    """The actor's resolution refined by ``step``."""
    res = Resolution.of(actor.resolved_by)
    if res is None:  # a label no rule has: keep the text as it was written
        return f"{step.value}{actor.resolved_by}"
    return res.then(step)


def _place_name(actor: Actor) -> bool | None:
    """For an actor resolved by a country's own name or alias alone: True; by its capital:
    False (the capital, not the country, is named); else None (not a place name)."""
    res = Resolution.of(actor.resolved_by)
    if res is None or not res.plain:
        return None
    if res.rule is ActorRule.CAPITAL:
        return False
    return True if res.rule is ActorRule.COUNTRY and res.form in _PLACE_FORMS else None


#: How a country named as a place is named ("in Russia"; not "Russian", a people).
_PLACE_FORMS = frozenset({CountryForm.NAME, CountryForm.ALIAS})


def _named_after_country(inner: Actor, span: Any, text: str, label: str) -> Actor | None:
    """An unknown organisation named after its country ("Nigerian Union of Teachers")."""
    if label == "ORG" and inner.kind in ("country", "group") and inner.country \
            and span.root.pos_ == "PROPN":
        return Actor(text, span.start_char, span.end_char, code=inner.country,
                     country=inner.country, kind="organisation",
                     resolved_by=resolution(ActorRule.ORGANISATION_NAME_COUNTRY))
    return None


def _unknown_actor(span: Any, text: str, label: str) -> Actor | None:
    """A person or organisation the knowledge base does not know; a named party is at least
    a party (PTY), which lets the sentence's one country place it."""
    head = span.root
    if label == "PERSON":
        return Actor(text, span.start_char, span.end_char, kind="person",
                     resolved_by=resolution(ActorRule.UNKNOWN_PERSON))
    named_party = head.lower_ == "party" and any(t.pos_ == "PROPN" for t in span)
    if label == "ORG" or named_party:
        party = head.lower_ == "party"
        rule = ActorRule.UNKNOWN_PARTY if party else ActorRule.UNKNOWN_ORGANISATION
        return Actor(text, span.start_char, span.end_char, kind="organisation",
                     sector="PTY" if party else None, resolved_by=resolution(rule))
    return None


@stage("actors", requires=["doc"], assigns=["mentions", "actors"])
def make_actors(settings: Settings) -> _ActorStage:
    """Actor mentions resolved to country, sector and office-holder on the article date."""
    return _ActorStage(settings)
