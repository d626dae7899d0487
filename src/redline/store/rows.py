"""A coded :class:`~redline.article.Article` as plain table rows, and the content hash.

Coding workers send these rows (tuples of str/int/float/None), not Articles or spaCy Docs, back
to the writer: they pickle small and fast, and they are exactly what gets inserted. The column
names here are the schema's (:mod:`redline.store.schema`); a test checks that they agree.
"""

from __future__ import annotations

import hashlib
import json
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from redline.article import Actor, Article, Event, Place, Quote
from redline.errors import InputError

Row = tuple[Any, ...]

ARTICLE_COLUMNS = ("id", "content_hash", "date", "title", "source", "url", "text", "notes",
                   "input")
SENTENCE_COLUMNS = ("article_id", "sentence_index", "sentence_start", "sentence_end")
ACTOR_COLUMNS = ("article_id", "actor_index", "text", "actor_start", "actor_end", "code",
                 "country", "sector", "name", "kind", "role", "affiliation_code", "resolved_by",
                 "confidence", "sentence_index")
_ACTOR_FIELDS = ("code", "country", "sector", "name", "text", "kind", "start", "end")
EVENT_COLUMNS = (
    "article_id", "event_index", "event_key", "sentence_index", "evidence_text",
    "evidence_start", "evidence_end", "predicate_text", "cameo", "cameo_root", "cameo_name",
    "plover_type", "plover_mode", "plover_context", "goldstein", "quad_class",
    *(f"source_{f}" for f in _ACTOR_FIELDS), *(f"target_{f}" for f in _ACTOR_FIELDS),
    "modality", "reported_by_code", "reported_by_name", "reported_by_text",
    "event_date_start", "event_date_end", "event_date_granularity", "event_date_text",
    "date_from_article", "historical", "location_name", "location_country", "location_lat",
    "location_lon", "location_feature", "confidence", "rule", "content", "joint_with",
    "model_scores",
)
QUOTE_COLUMNS = ("article_id", "quote_index", "kind", "content_text", "content_start",
                 "content_end", "cue_text", "cue_start", "cue_end", "speaker_code",
                 "speaker_country", "speaker_name", "speaker_text", "sentence_index",
                 "confidence")
PLACE_COLUMNS = ("article_id", "place_index", "name", "country", "lat", "lon", "feature", "text",
                 "place_start", "place_end")

#: Child tables in the order they are written, with their columns.
CHILD_TABLES: dict[str, tuple[str, ...]] = {
    "sentences": SENTENCE_COLUMNS,
    "actors": ACTOR_COLUMNS,
    "events": EVENT_COLUMNS,
    "quotes": QUOTE_COLUMNS,
    "places": PLACE_COLUMNS,
}


def content_hash(text: str) -> str:
    """sha256 (hex) of the text in Unicode NFC with every run of whitespace made one space and
    the ends stripped: the same article under another name, or re-wrapped, hashes the same."""
    norm = " ".join(unicodedata.normalize("NFC", text).split())
    return hashlib.sha256(norm.encode("utf-8")).hexdigest()


@dataclass(slots=True)
class ArticleRows:
    """Everything the store keeps of one coded article, as rows ready to insert."""

    article: Row
    children: dict[str, list[Row]] = field(default_factory=dict)

    @property
    def id(self) -> str:
        return self.article[0]

    @property
    def content_hash(self) -> str:
        return self.article[1]

    @property
    def n_events(self) -> int:
        return len(self.children.get("events", ()))


@dataclass(frozen=True, slots=True)
class Failure:
    """An input that could not be read or coded: plain data (an exception does not always
    pickle), made from an :class:`~redline.errors.InputError` with :meth:`of`."""

    source: str
    reason: str
    kind: str

    @classmethod
    def of(cls, error: InputError) -> Failure:
        return cls(error.source, error.reason, type(error).__name__)

    def __str__(self) -> str:
        return f"{self.source}: {self.reason}"


def _actor(a: Actor | None) -> Row:
    if a is None:
        return (None,) * len(_ACTOR_FIELDS)
    return (a.code, a.country, a.sector, a.name, a.text, a.kind, a.start, a.end)


def _event(aid: str, i: int, e: Event) -> Row:
    plover, date, loc, rep = e.plover, e.date, e.location, e.reported_by
    return (
        aid, i, e.id, e.sentence, e.evidence.text, e.evidence.start, e.evidence.end,
        e.predicate.text if e.predicate else None,
        e.cameo, e.cameo[:2], e.cameo_name,
        plover.type if plover else None, plover.mode if plover else None,
        ",".join(plover.context) if plover and plover.context else None,
        e.goldstein, e.quad_class,
        *_actor(e.source), *_actor(e.target),
        e.modality,
        rep.code if rep else None, rep.name if rep else None, rep.text if rep else None,
        # an undated background event has empty start and end: stored as NULL, not ''
        (date.start or None) if date else None, (date.end or None) if date else None,
        date.granularity if date else None, date.text if date else None,
        int(date.from_article_date) if date else None, int(date.historical) if date else None,
        loc.name if loc else None, loc.country if loc else None,
        loc.lat if loc else None, loc.lon if loc else None, loc.feature if loc else None,
        round(e.confidence, 3), e.rule, _json(e.content.to_dict() if e.content else None),
        _partners(e.joint_with), _json(e.model),
    )


def _partners(actors: list[Actor]) -> str:
    """A joint act's partners as JSON: a list of objects with the fields the ``source_*`` and
    ``target_*`` columns hold (code, country, sector, name, text, kind, start, end). ``[]``
    for any other event: NULL is left to rows stored before the column existed."""
    return json.dumps([dict(zip(_ACTOR_FIELDS, _actor(a), strict=True)) for a in actors],
                      ensure_ascii=False)


def _json(value: Any) -> str | None:
    return json.dumps(value, ensure_ascii=False, sort_keys=True) if value else None


def _quote(aid: str, i: int, q: Quote) -> Row:
    s, cue = q.speaker, q.cue
    return (aid, i, q.kind, q.content.text, q.content.start, q.content.end,
            cue.text if cue else None, cue.start if cue else None, cue.end if cue else None,
            s.code if s else None, s.country if s else None, s.name if s else None,
            s.text if s else None, q.sentence, round(q.confidence, 3))


def _places(article: Article) -> list[Place]:
    """Distinct places named as event locations, in order of first use."""
    seen: dict[tuple[Any, ...], Place] = {}
    for e in article.events:
        p = e.location
        if p is not None:
            seen.setdefault((p.name, p.country, p.start, p.end), p)
    return list(seen.values())


def article_rows(article: Article, *, hash: str | None = None, input: str | None = None
                 ) -> ArticleRows:
    """The rows of one coded article (``hash`` defaults to :func:`content_hash` of its text)."""
    aid = article.id
    head = (aid, hash or content_hash(article.text),
            article.date.isoformat() if article.date else None, article.title, article.source,
            article.url, article.text,
            json.dumps(article.notes, ensure_ascii=False) if article.notes else None, input)
    children: dict[str, list[Row]] = {
        "sentences": [(aid, i, s.start, s.end) for i, s in enumerate(article.sentences)],
        "actors": [
            (aid, i, a.text, a.start, a.end, a.code, a.country, a.sector, a.name, a.kind, a.role,
             a.affiliation.code if a.affiliation else None, a.resolved_by,
             round(a.confidence, 3), a.sentence)
            for i, a in enumerate(article.actors)
        ],
        "events": [_event(aid, i, e) for i, e in enumerate(article.events)],
        "quotes": [_quote(aid, i, q) for i, q in enumerate(article.quotes)],
        "places": [
            (aid, i, p.name, p.country, p.lat, p.lon, p.feature, p.text, p.start, p.end)
            for i, p in enumerate(_places(article))
        ],
    }
    return ArticleRows(head, children)
