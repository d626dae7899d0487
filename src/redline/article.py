"""The Article record and its parts.

One :class:`Article` flows through every pipeline stage. Every span is a pair of character
offsets into ``Article.text`` exactly as given (normalisation never changes the length), so
evidence can always be cut back out of the original text.

``to_dict`` writes the output contract (see README, "Output contract"); field names there are
stable, extra fields may be added.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Literal

Modality = Literal["asserted", "negated", "hypothetical", "future"]
MODALITIES: tuple[str, ...] = ("asserted", "negated", "hypothetical", "future")


@dataclass(slots=True)
class Span:
    """A stretch of the article text: ``text == article.text[start:end]``."""

    text: str
    start: int
    end: int

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "start": self.start, "end": self.end}


@dataclass(slots=True)
class Sentence:
    start: int
    end: int


@dataclass(slots=True)
class Entity:
    """A named entity as the NER model labelled it (PERSON, GPE, ORG, NORP, ...)."""

    text: str
    start: int
    end: int
    label: str

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "start": self.start, "end": self.end, "label": self.label}


#: CAMEO's country-level codes for actors that belong to no one country: intergovernmental
#: organisations, international NGOs, international militarised groups, multinational
#: corporations. PLOVER and ICEWS-style data put these in the country slot, so redline does.
INTERNATIONAL = frozenset({"IGO", "NGO", "IMG", "MNC"})


def party_of(code: str | None, country: str | None, sector: str | None) -> str | None:
    """Who an actor stands for in a dyad: its country; for an international actor (country
    ``IGO``, ``NGO``, ``IMG``, ``MNC``) its own code without the sector (``NATO``, ``UN``,
    ``ICRC``, ``ALQ``), so that NATO and the UN stay apart."""
    if country not in INTERNATIONAL:
        return country or code
    if not code:
        return country
    if sector and sector != "IGO" and code.endswith(sector) and len(code) > len(sector):
        return code[:-len(sector)]
    return code


def compose_code(base: str | None, sector: str | None) -> str | None:
    """An actor code from its party and sector: ``RUS`` + ``GOV`` -> ``RUSGOV``; an IGO sector
    adds nothing (``NATO``)."""
    if base is None:
        return None
    return f"{base}{sector}" if sector and sector != "IGO" else base


@dataclass(slots=True)
class Actor:
    """Who did something, resolved against the knowledge base where possible.

    ``code`` is the CAMEO-style code (country or organisation code followed by a sector, e.g.
    ``RUSGOV``, ``NATO``, ``UNMIL``, ``WST``); ``country`` is ISO3, a regional or collective
    code (``WST``), or for an actor that belongs to no one country CAMEO's international class
    (``IGO`` for NATO or the UN, ``NGO``, ``IMG`` for al-Qaeda, ``MNC``; see
    :data:`INTERNATIONAL` and :attr:`party`); ``sector`` a CAMEO/Phoenix agent code. An actor
    that is not in the knowledge base keeps its text and ``kind`` with null codes: it is
    never guessed.
    """

    text: str
    start: int
    end: int
    code: str | None = None
    country: str | None = None
    sector: str | None = None
    name: str | None = None
    kind: str = "unknown"  # person | organisation | government | group | country | igo | unknown
    role: str | None = None  # office or description: "head_of_state", "analyst", ...
    affiliation: Actor | None = None
    #: which rule resolved it: a :class:`redline.provenance.Resolution` from the actors stage
    resolved_by: str | None = None
    confidence: float = 1.0
    sentence: int | None = None
    gender: str | None = None

    @property
    def is_resolved(self) -> bool:
        return self.country is not None

    @property
    def party(self) -> str | None:
        """The country, or an international actor's own code (see :func:`party_of`)."""
        return party_of(self.code, self.country, self.sector)

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "code": self.code,
            "country": self.country,
            "sector": self.sector,
            "name": self.name,
            "kind": self.kind,
        }
        if self.role:
            d["role"] = self.role
        if self.affiliation is not None:
            d["affiliation"] = self.affiliation.to_dict()
        if self.resolved_by:
            d["resolved_by"] = self.resolved_by
        return d


@dataclass(slots=True)
class Mention:
    """A noun phrase or entity in a sentence that may name an actor, with its resolution."""

    text: str
    start: int
    end: int
    sentence: int
    label: str  # NER label, or "NP" for a plain noun phrase, "PRON" for a pronoun
    actor: Actor | None = None
    head: int | None = None  # character offset of the syntactic head token
    place: str | None = None  # ISO3 when the phrase names a place, not an actor ("in Moscow")
    country_name: bool = False  # the place is a country named as such ("a US offer")


@dataclass(slots=True)
class When:
    """An event's own date: a range with a granularity, and the words it came from."""

    start: str  # ISO date
    end: str
    granularity: str  # day | week | month | year | decade | unknown
    text: str | None = None
    from_article_date: bool = False
    historical: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {
            "start": self.start,
            "end": self.end,
            "granularity": self.granularity,
            "text": self.text,
            "from_article_date": self.from_article_date,
            "historical": self.historical,
        }


@dataclass(slots=True)
class Place:
    name: str
    country: str | None
    lat: float | None = None
    lon: float | None = None
    text: str | None = None
    start: int | None = None
    end: int | None = None
    feature: str | None = None  # city | region | country | ...

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"name": self.name, "country": self.country, "lat": self.lat,
                             "lon": self.lon}
        if self.text is not None:
            d.update(text=self.text, start=self.start, end=self.end)
        if self.feature:
            d["feature"] = self.feature
        return d


@dataclass(slots=True)
class Plover:
    type: str
    mode: str | None = None
    context: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"type": self.type, "mode": self.mode, "context": list(self.context)}


@dataclass(slots=True)
class EventContent:
    """The act a threat, demand or refusal is about, folded into that event."""

    cameo: str
    cameo_name: str
    plover: str | None  # its PLOVER type
    modality: str
    target: str | None  # its target's actor code

    def to_dict(self) -> dict[str, Any]:
        return {"cameo": self.cameo, "cameo_name": self.cameo_name, "plover": self.plover,
                "modality": self.modality, "target": self.target}


@dataclass(slots=True)
class Event:
    id: str
    sentence: int
    evidence: Span
    cameo: str
    cameo_name: str
    plover: Plover | None
    goldstein: float
    quad_class: int
    source: Actor | None
    target: Actor | None
    modality: str = "asserted"
    reported_by: Actor | None = None
    date: When | None = None
    location: Place | None = None
    confidence: float = 0.5
    rule: str = ""  # how it was found: a redline.provenance.EventRule from the coder
    predicate: Span | None = None
    #: What a threat, demand or refusal was about ("threatened to strike": 190), when the
    #: coder folded that act into this event instead of coding it as one.
    content: EventContent | None = None
    #: The other sources of a joint act ("Brazil and Argentina signed a pact": Brazil's event
    #: has Argentina here, and Argentina's Brazil), so a consumer can count it in both dyads
    #: without reading the rule; empty for every other event.
    joint_with: list[Actor] = field(default_factory=list)
    #: The learned type model's view of this event (``redline.learn.typer``): ``type``
    #: P(its PLOVER type), ``quad`` P(its quad class), ``none`` P(no event) for its sentence;
    #: ``proposed`` when the model, not a lexicon pattern, found it. None when the model is off.
    model: dict[str, Any] | None = None
    #: The rule that found it is specific: a lexicon pattern that constrains more than its
    #: trigger (an object, complement, modifier, particle or preposition), or an act read as
    #: announced or demanded from what was said. The learned model never drops such events.
    specific: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "sentence": self.sentence,
            "evidence": self.evidence.to_dict(),
            "cameo": self.cameo,
            "cameo_name": self.cameo_name,
            "plover": self.plover.to_dict() if self.plover else None,
            "goldstein": self.goldstein,
            "quad_class": self.quad_class,
            "source": self.source.to_dict() if self.source else None,
            "target": self.target.to_dict() if self.target else None,
            "modality": self.modality,
            "reported_by": self.reported_by.to_dict() if self.reported_by else None,
            "date": self.date.to_dict() if self.date else None,
            "location": self.location.to_dict() if self.location else None,
            "confidence": round(self.confidence, 3),
            "rule": self.rule,
            "predicate": self.predicate.to_dict() if self.predicate else None,
            "content": self.content.to_dict() if self.content is not None else None,
            "joint_with": [a.to_dict() for a in self.joint_with],
            "model": self.model,
        }


@dataclass(slots=True)
class Quote:
    speaker: Actor | None
    cue: Span | None
    content: Span
    kind: str  # direct | indirect | mixed
    sentence: int | None = None
    confidence: float = 0.5

    def to_dict(self) -> dict[str, Any]:
        return {
            "speaker": self.speaker.to_dict() if self.speaker else None,
            "cue": self.cue.to_dict() if self.cue else None,
            "content": self.content.to_dict(),
            "kind": self.kind,
        }


@dataclass(slots=True)
class Article:
    """One news article and everything the pipeline finds in it."""

    id: str
    text: str
    date: dt.date | None = None
    title: str | None = None
    source: str | None = None
    url: str | None = None
    # Set by stages:
    clean_text: str | None = None  # same length as text; what the parser reads
    sentences: list[Sentence] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    actors: list[Actor] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    doc: Any = None  # the spaCy Doc; never serialised
    notes: list[str] = field(default_factory=list)  # warnings a reader should see
    stages_run: list[str] = field(default_factory=list)

    def span(self, start: int, end: int) -> Span:
        return Span(self.text[start:end], start, end)

    def sentence_of(self, offset: int) -> int:
        """Index of the sentence that holds a character offset (-1 if none)."""
        lo, hi = 0, len(self.sentences) - 1
        while lo <= hi:
            mid = (lo + hi) // 2
            s = self.sentences[mid]
            if offset < s.start:
                hi = mid - 1
            elif offset >= s.end:
                lo = mid + 1
            else:
                return mid
        return -1

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "date": self.date.isoformat() if self.date else None,
            "title": self.title,
            "source": self.source,
            "url": self.url,
            "events": [e.to_dict() for e in self.events],
            "quotes": [q.to_dict() for q in self.quotes],
            "actors": [a.to_dict() for a in self.actors],
            "entities": [e.to_dict() for e in self.entities],
            "notes": list(self.notes),
        }
