"""Place mentions in the parse and the ones that locate an event.

A *place mention* is the name inside a locative phrase ("in Vladivostok", "near the city of
Bakhmut", "in the Donetsk region", "in the Ukrainian capital") or an event's target when that
target is a place ("shelled Kharkiv", "the invasion of Ukraine"). A name used as an actor
("Moscow said", "urged Kyiv") is not a place mention: those are subjects and objects, never
locatives, and an object counts as a place only for attacks and visits (see
:func:`place_candidates`).

For an event the search starts at its trigger: locatives on the trigger, locatives on its
objects ("addressed the forum in Vladivostok"), its target if that is a place; then each head
above the trigger in turn, nearest the branch the search came up from, with participle and
"as"/"while" clauses on the way ("Speaking in Beirut, the minister said ..."). A relative
clause introduced by "where" takes the place it describes ("in Vladivostok, where he ...").
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from redline.kb import country_of_word
from redline.syntax import EVENT_LOCATION_PREPS

# "on" locates only with these nouns ("on the outskirts of Kyiv", "on the border")
_ON_NOUNS = frozenset({"outskirt", "outskirts", "border", "coast", "island", "frontline",
                       "front", "street", "streets", "ground", "edge", "bank", "shore",
                       "peninsula", "soil", "territory", "side"})
GENERIC_NOUNS = frozenset({
    "city", "town", "village", "capital", "region", "province", "oblast", "governorate",
    "district", "area", "outskirt", "outskirts", "suburb", "suburbs", "border", "coast", "port",
    "enclave", "territory", "state", "county", "neighbourhood", "neighborhood", "camp",
    "street", "streets", "centre", "center", "heart", "north", "south", "east", "west",
    "northeast", "northwest", "southeast", "southwest", "part", "parts", "frontline", "front",
    "island", "islands", "peninsula", "settlement", "hub", "edge", "bank", "shore", "soil",
    "side", "municipality", "republic", "countryside", "valley", "desert", "mountains",
    "zone", "zones", "sector", "vicinity", "environs", "ruins", "outpost", "quarter",
})
_REGION_NOUNS = frozenset({"region", "province", "oblast", "governorate", "district", "state",
                           "county", "area", "valley", "desert", "peninsula", "islands",
                           "island", "mountains", "strip"})
# "Russian soil", "Ukrainian territory" name the country; "the Russian border" does not
_COUNTRY_NOUNS = frozenset({"soil", "territory", "countryside", "capital", "airspace",
                            "waters", "mainland", "north", "south", "east", "west", "northeast",
                            "northwest", "southeast", "southwest", "heartland", "interior"})
MOVE_TO = frozenset({"visit", "trip", "travel", "journey", "fly", "tour", "mission", "go",
                      "come", "arrive", "return"})
_NAME_LABELS = frozenset({"GPE", "LOC", "FAC", "ORG", "NORP"})
_PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
# "the heart of X", "parts of X": X may be anything ("parts of the plan"), so not trusted
_AREA_NOUNS = frozenset({"part", "parts", "heart", "centre", "center", "side", "edge", "north",
                         "south", "east", "west", "northeast", "northwest", "southeast",
                         "southwest", "area", "zone", "zones", "sector", "front", "frontline"})


@dataclass(frozen=True, slots=True)
class PlaceMention:
    """A place name in the text and what the sentence says about it."""

    text: str
    start: int
    end: int
    token: int  # index of its head token
    country_hint: str | None = None  # "the Syrian city of Aleppo" -> SYR
    qualifier: str | None = None  # "Texas" in "Paris, Texas"
    capital_of: str | None = None  # "the Ukrainian capital" -> UKR
    country_only: bool = False  # "on Russian soil": the hinted country itself
    strict: bool = False  # not tagged as a place: match cities by their main name only


def _hint(tok: Any) -> str | None:
    for c in tok.children:
        if c.dep_ in ("amod", "compound", "nmod", "poss") and c.pos_ in ("ADJ", "PROPN", "NOUN"):
            iso3 = country_of_word(c.text)
            if iso3 is not None:
                return iso3
    return None


def mention_at(tok: Any, depth: int = 0, named: bool = False) -> PlaceMention | None:
    """The place mention a locative's object (or a target) stands for, if it names one.

    ``named``: the token is the name in "the town of X", "the capital, X": a place whatever
    label the entity recogniser gave it.
    """
    if depth > 3:
        return None
    doc = tok.doc
    if tok.pos_ == "NOUN" and tok.lemma_.lower() in GENERIC_NOUNS:
        return _generic_mention(tok, depth)
    if not (tok.pos_ == "PROPN" or tok.ent_type_ in _PLACE_LABELS):
        return None
    if not named and tok.ent_type_ and tok.ent_type_ not in _PLACE_LABELS | {"ORG"}:
        return None  # a date, person, nationality, event, law ...
    first, last = _name_span(tok)
    while first < last and doc[first].lower_ == "the":
        first += 1
    span = doc[first:last + 1]
    return PlaceMention(span.text, span.start_char, span.end_char, tok.i,
                        qualifier=_qualifier(doc, last),
                        strict=not named and tok.ent_type_ not in _PLACE_LABELS)


def _generic_mention(tok: Any, depth: int) -> PlaceMention | None:
    """A place a generic noun stands for: "the town of X", "the city, X", "the Donetsk
    region", "the Ukrainian capital", "on Russian soil"."""
    doc = tok.doc
    lemma = tok.lemma_.lower()
    hint = _hint(tok)
    for c in tok.children:
        if c.dep_ == "prep" and c.lower_ == "of":
            for x in c.children:
                if x.dep_ == "pobj":
                    inner = mention_at(x, depth + 1, named=lemma not in _AREA_NOUNS)
                    if inner is not None:
                        return inner if hint is None or inner.country_hint else _with(
                            inner, country_hint=hint)
    for c in tok.children:
        if c.dep_ == "appos":
            inner = mention_at(c, depth + 1, named=True)
            if inner is not None:
                return inner
    names = [c for c in tok.children if c.dep_ == "compound" and c.pos_ == "PROPN"]
    if names:
        first = min(t.left_edge.i for t in names)
        last = tok.i if lemma in _REGION_NOUNS else max(t.i for t in names)
        span = doc[first:last + 1]
        return PlaceMention(span.text, span.start_char, span.end_char, tok.i, hint)
    if lemma == "capital" and hint is not None:
        span = doc[tok.left_edge.i:tok.i + 1]
        return PlaceMention(span.text, span.start_char, span.end_char, tok.i,
                            capital_of=hint)
    if hint is not None and lemma in _COUNTRY_NOUNS:
        # "on Russian soil", "in Ukrainian territory": the country itself
        span = doc[tok.left_edge.i:tok.i + 1]
        return PlaceMention(span.text, span.start_char, span.end_char, tok.i, hint,
                            country_only=True)
    return None


def _with(m: PlaceMention, **changes: Any) -> PlaceMention:
    from dataclasses import replace

    return replace(m, **changes)


def _name_span(tok: Any) -> tuple[int, int]:
    doc = tok.doc
    if tok.ent_type_ in _NAME_LABELS and tok.ent_iob_ in ("B", "I"):
        for ent in doc.ents:  # the entity holding the token
            if ent.start <= tok.i < ent.end:
                return ent.start, ent.end - 1
    first = tok.i
    while first > 0 and doc[first - 1].dep_ == "compound" and doc[first - 1].pos_ == "PROPN" \
            and doc[first - 1].head.i <= tok.i:
        first -= 1
    return first, tok.i


def _qualifier(doc: Any, last: int) -> str | None:
    """'Paris, Texas' -> 'Texas': a name right after a comma that is not a new subject."""
    if last + 2 >= len(doc) or doc[last + 1].text != ",":
        return None
    q = doc[last + 2]
    if q.pos_ != "PROPN" or q.dep_ in ("nsubj", "nsubjpass"):
        return None
    end = q.i
    while end + 1 < len(doc) and doc[end + 1].pos_ == "PROPN" and doc[end + 1].ent_iob_ == "I":
        end += 1
    if end + 1 < len(doc) and doc[end + 1].tag_ == "POS":
        return None  # "in Kyiv, Ukraine's president said"
    return doc[q.i:end + 1].text


def _is_locative(prep: Any) -> bool:
    return prep.dep_ == "prep" and prep.lower_ in EVENT_LOCATION_PREPS


def _pobjs(prep: Any) -> list[Any]:
    return [x for x in prep.children if x.dep_ == "pobj" and (
        prep.lower_ != "on" or x.lemma_.lower() in _ON_NOUNS)]


def _opens_clause(tok: Any) -> bool:
    """A child that starts a clause of its own (the search does not go into it), except a
    participle without a subject ("guerrillas operating in X", "lines leading into X")."""
    if tok.dep_ in ("acl", "advcl") and tok.tag_ in ("VBG", "VBN") and not any(
            c.dep_ in ("nsubj", "nsubjpass") for c in tok.children):
        return False
    if tok.dep_ == "conj":
        return tok.pos_ in ("VERB", "AUX")
    return tok.dep_ in _CLAUSE_DEPS


_CLAUSE_DEPS = frozenset({"ccomp", "xcomp", "advcl", "relcl", "acl", "csubj", "csubjpass",
                          "parataxis", "mark"})
_OBJECT_DEPS = frozenset({"dobj", "obj", "attr", "oprd", "nsubjpass", "dative"})


def _clause_locatives(head: Any, skip: Any | None) -> list[tuple[int, Any]]:
    """Locative objects in ``head``'s own clause, ranked: 0 on ``head`` itself, 1 inside
    its objects, 3 anywhere else in the clause (subject, other phrases)."""
    out: list[tuple[int, Any]] = []

    def walk(tok: Any, rank: int, depth: int) -> None:
        for c in tok.children:
            if c is skip or _opens_clause(c):
                continue
            r = rank
            if tok is head:
                r = 0 if _is_locative(c) else 1 if c.dep_ in _OBJECT_DEPS else 3
            if _is_locative(c):
                out.extend((r, x) for x in _pobjs(c))
            if depth < 5:
                walk(c, r, depth + 1)

    walk(head, 0, 0)
    return out


def _destinations(tok: Any) -> list[Any]:
    """Objects of "to" on a trigger, for movements ("deployed troops to X", "a visit to X")."""
    return [x for c in tok.children if c.dep_ == "prep" and c.lower_ in ("to", "into")
            for x in c.children if x.dep_ == "pobj"]


def _objects(tok: Any) -> list[Any]:
    return [c for c in tok.children if c.dep_ in ("dobj", "obj", "attr", "oprd", "nsubjpass")]


def targets(tok: Any) -> list[Any]:
    """An event trigger's direct targets: objects, and "on"/"against"/"of" objects of a noun."""
    out = _objects(tok)
    preps = ("on", "against", "at", "upon", "into") + (("of",) if tok.pos_ == "NOUN" else ())
    for c in tok.children:
        if c.dep_ == "prep" and c.lower_ in preps:
            out.extend(x for x in c.children if x.dep_ == "pobj")
    return out


def _side_clauses(tok: Any, skip: Any | None) -> list[Any]:
    """Participle and 'as/while/when' clauses on ``tok`` ("Speaking in Beirut, ...")."""
    out = []
    for c in tok.children:
        if c is skip or c.dep_ != "advcl":
            continue
        marks = {m.lower_ for m in c.children if m.dep_ == "mark"}
        has_subject = any(m.dep_ in ("nsubj", "nsubjpass") for m in c.children)
        if (c.tag_ in ("VBG", "VBN") and not has_subject) or marks & {"as", "while", "when"}:
            out.append(c)
    return out


def _ranked(cands: list[tuple[float, Any]], left: int, right: int) -> list[Any]:
    cands.sort(key=lambda c: (c[0], max(0, c[1].i - right, left - c[1].i), c[1].i))
    seen: set[int] = set()
    out = []
    for _, t in cands:
        if t.i not in seen:
            seen.add(t.i)
            out.append(t)
    return out


def place_candidates(trigger: Any) -> Iterator[tuple[Any, str]]:
    """Tokens that may locate an event, best first, each with how it was found:
    ``locative`` (a locative phrase), ``target`` (the trigger's own target), ``destination``
    (a "to" phrase on the trigger) or ``where`` (the place a "where" clause describes).

    On the trigger's own clause: locatives on the trigger, then inside its objects, then its
    targets and destinations, then locatives elsewhere in the clause (its subject), then
    participle and "as"/"while" clauses; then the same for each head above it.
    """
    cands: list[tuple[float, Any]] = list(_clause_locatives(trigger, None))
    kinds = {t.i: "locative" for _, t in cands}
    for t in targets(trigger):
        cands.append((1.5, t))
        kinds.setdefault(t.i, "target")
    for t in _destinations(trigger):
        cands.append((2, t))
        kinds.setdefault(t.i, "destination")
    for clause in _side_clauses(trigger, None):
        cands.extend((4, t) for _, t in _clause_locatives(clause, None))
    for t in _ranked(cands, trigger.i, trigger.i):
        yield t, kinds.get(t.i, "locative")
    cur, branch = trigger, None
    for _ in range(12):
        if cur.head.i == cur.i or (branch is not None and branch.dep_ in ("relcl", "acl", "appos")):
            return
        branch, cur = cur, cur.head
        if branch.dep_ == "relcl" and any(c.lower_ == "where" for c in branch.children):
            yield cur, "where"
        if cur.pos_ == "ADP":
            continue
        cands = list(_clause_locatives(cur, branch))
        for clause in _side_clauses(cur, branch):
            cands.extend((4, t) for _, t in _clause_locatives(clause, None))
        yield from ((t, "locative") for t in _ranked(cands, branch.left_edge.i,
                                                       branch.right_edge.i))


_DATELINE = re.compile(
    r"^\s*([A-Z][A-Z.'\- ]{2,40}?|[A-Z][a-z]+(?: [A-Z][a-z]+){0,2})"
    r"(?:,\s*([A-Z][A-Za-z.' ]{1,30}?))?"
    r"(?:,?\s*(?:[A-Z][a-z]{2,8}\.? \d{1,2}|\d{1,2} [A-Z][a-z]{2,8}))?"
    r"\s*(?:\((?:AP|Reuters|AFP|dpa|DPA|Xinhua|UPI|ANI|IANS|PTI|Bloomberg|TASS)\)\s*)?"
    r"\s*[\u2014\u2013-]{1,2}\s")


def dateline(text: str) -> PlaceMention | None:
    """'KYIV, Ukraine (AP) -- ...' at the start of an article: the place it was filed from."""
    m = _DATELINE.match(text)
    if m is None or not (m.group(1).isupper() or "(" in m.group(0)):
        return None
    name = m.group(1).strip()
    return PlaceMention(name, m.start(1), m.start(1) + len(name), -1,
                        qualifier=m.group(2).strip() if m.group(2) else None)
