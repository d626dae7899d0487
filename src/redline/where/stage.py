"""The ``where`` stage: each event's place.

The place an event happened or was said: the place mention that locates its trigger in the
parse (:mod:`redline.where.phrases`), resolved with the gazetteer
(:mod:`redline.kb.gazetteer`) in the context of the countries and US states the sentence
and the article name. Targets locate only attacks and visits (CAMEO roots 15 and 17-20, codes
042/043), and a country target only those: "shelled Kharkiv" is in Kharkiv, "urged Kyiv" is
not in Kyiv.

A "to" phrase locates material acts and visits ("deployed troops to X", "a visit to X"), not
pledges ("committed troops to Ukraine" at a meeting in Paris is in Paris).

Two fallbacks, in order, for an event with no place of its own: a following sentence that
only reports the circumstances of this one ("The warning came as he addressed a forum in
Vladivostok") lends its place, and a wire-style dateline ("KYIV, Ukraine (AP) --") gives the
place the story was filed from. Otherwise ``location`` stays None: no place is guessed.
"""

from __future__ import annotations

import logging
from typing import Any

from redline import ontology
from redline.article import Actor, Article, Event, Place
from redline.kb.gazetteer import Context, Entry, Gazetteer, load_gazetteer
from redline.pipeline import stage
from redline.provenance import ActorRule, Resolution, Step
from redline.settings import Settings
from redline.syntax import circumstance_root, event_token
from redline.where.phrases import (
    MOVE_TO,
    PlaceMention,
    dateline,
    mention_at,
    place_candidates,
)

log = logging.getLogger(__name__)

_VISITS = ("042", "043")
_PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
_CURATED = frozenset({"region", "oblast", "town", "facility", "landmark", "state", "country"})


def _from_place_name(actor: Actor) -> bool:
    """An actor whose country was read off a place name or the sentence around it: no
    evidence about which namesake the place is."""
    res = Resolution.of(actor.resolved_by)
    if res is None:
        return False
    return res.outer in (Step.PLACE, Step.CONTEXT) or (res.plain
                                                       and res.rule is ActorRule.CAPITAL)


class _ArticlePlaces:
    """Countries and US states an article names, by sentence, for ranking namesakes."""

    def __init__(self, article: Article, gaz: Gazetteer) -> None:
        self.gaz = gaz
        self.sentence_places: dict[int, set[str]] = {}
        self.sentence_actors: dict[int, set[str]] = {}
        self.sentence_states: dict[int, set[tuple[str, str]]] = {}
        for m in article.mentions:
            a = m.actor
            if a is None or a.country not in gaz.country or _from_place_name(a):
                continue  # "gunmen in Tripoli" took Libya from the very name being resolved
            self.sentence_actors.setdefault(m.sentence, set()).add(a.country)
        doc = article.doc
        for ent in doc.ents:
            if ent.label_ not in _PLACE_LABELS:
                continue
            entry = gaz.resolve(ent.text)
            if entry is None or entry.country is None or (
                    entry.feature not in _CURATED and gaz.ambiguous(ent.text)):
                continue
            sent = article.sentence_of(ent.start_char)
            self.sentence_places.setdefault(sent, set()).add(entry.country)
            if entry.feature == "state" and entry.admin1:
                self.sentence_states.setdefault(sent, set()).add((entry.country, entry.admin1))
        self.places = set().union(*self.sentence_places.values())
        self.actors = set().union(*self.sentence_actors.values())
        self.states = set().union(*self.sentence_states.values())

    def context(self, sentence: int, mention: PlaceMention | None = None) -> Context:
        ctx = Context(self.sentence_places.get(sentence, set()),
                      self.sentence_actors.get(sentence, set()), self.places, self.actors,
                      self.sentence_states.get(sentence, set()), self.states)
        if mention is not None:
            ctx.within_country = mention.country_hint
            if mention.qualifier:
                q = self.gaz.resolve(mention.qualifier)
                if q is not None and q.feature == "state" and q.admin1:
                    ctx.within_state = (q.country or "", q.admin1)
                elif q is not None and q.feature == "country":
                    ctx.within_country = q.country
        return ctx


class _WhereStage:
    def __init__(self) -> None:
        self._gaz: Gazetteer | None = None

    @property
    def gaz(self) -> Gazetteer:
        if self._gaz is None:
            self._gaz = load_gazetteer()
        return self._gaz

    def __call__(self, article: Article) -> None:
        doc = article.doc
        if doc is None or not article.events:
            return
        places = _ArticlePlaces(article, self.gaz)
        actor_tokens = _actor_tokens(article)
        sents = list(doc.sents)
        line = dateline(article.text)
        for event in article.events:
            tok = event_token(doc, event)
            if tok is None:
                continue
            place = self._place_for(tok, event, places, actor_tokens, event.sentence)
            nxt = event.sentence + 1
            if place is None and nxt < len(sents):
                root = circumstance_root(sents[nxt])
                if root is not None:
                    place = self._place_for(root, None, places, actor_tokens, nxt)
            if place is None and line is not None:
                place = self._resolve(line, places.context(0, line))
            event.location = place

    def _place_for(self, tok: Any, event: Event | None, places: _ArticlePlaces,
                   actor_tokens: set[int], sent_i: int) -> Place | None:
        for cand, how in place_candidates(tok):
            if how == "target" and not self._may_locate(event, cand, actor_tokens):
                continue
            if how == "destination" and not _moves(event, tok):
                continue
            mention = mention_at(cand)
            if mention is None:
                continue
            place = self._resolve(mention, places.context(sent_i, mention))
            if place is None:
                continue
            if how == "target" and place.feature == "country" and not (
                    _is_attack(event, True) or cand.head.lemma_.lower() in MOVE_TO):
                continue  # "sanctions against Russia" are not in Russia
            return place
        return None

    def _may_locate(self, event: Event | None, cand: Any, actor_tokens: set[int]) -> bool:
        if event is None:
            return False
        if cand.i in actor_tokens:  # "urged Kyiv": a government, unless attacked or visited
            return _is_attack(event, True) or cand.head.lemma_.lower() in MOVE_TO
        return True

    def _resolve(self, mention: PlaceMention, ctx: Context) -> Place | None:
        gaz = self.gaz
        entry: Entry | None
        if mention.capital_of is not None:
            entry = gaz.capital(mention.capital_of)
        elif mention.country_only and mention.country_hint:
            entry = gaz.country.get(mention.country_hint)
        else:
            entry = gaz.resolve(mention.text, ctx, strict=mention.strict)
        if entry is None:
            return None
        return Place(entry.name, entry.country, entry.lat, entry.lon, mention.text,
                     mention.start, mention.end, entry.feature)


def _is_attack(event: Event | None, with_visits: bool) -> bool:
    if event is None:
        return False
    return ontology.root_has(event.cameo, "attack") or (
        with_visits and event.cameo.startswith(_VISITS))


def _moves(event: Event | None, tok: Any) -> bool:
    """Events whose "to" phrase is where they happen: material acts and visits."""
    if event is None:
        return False
    return ontology.root_has(event.cameo, "material") or event.cameo.startswith(_VISITS) or (
        tok.lemma_.lower() in MOVE_TO)


def _actor_tokens(article: Article) -> set[int]:
    """Token indices covered by actor mentions."""
    doc = article.doc
    out: set[int] = set()
    for m in article.mentions:
        if m.actor is None:
            continue
        span = doc.char_span(m.start, m.end, alignment_mode="expand")
        if span is not None:
            out.update(range(span.start, span.end))
    return out


@stage("where", requires=["doc", "sentences", "mentions", "events"],
       assigns=["events.location"])
def make_where(settings: Settings) -> _WhereStage:
    """Event places: the locative or target place of each event, from the gazetteer."""
    return _WhereStage()
