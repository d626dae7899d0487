"""Who speaks: the subject of a cue verb, as an actor of the article's resolved mentions.

A speaker is always a copy of the actor of the mention that covers the speaker's head word,
so a pronoun ("he") or description ("the minister") keeps the resolution the actors stage
gave it (name, country, sector, affiliation). A speaker no mention resolves keeps its words
and ``kind="person"`` with null codes; where its phrase names an organisation it works for
("a spokesman for the ministry"), that organisation becomes its affiliation.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import replace
from typing import Any

from redline.article import Actor, Article, Mention, compose_code
from redline.syntax import children

_SUBJECTS = frozenset({"nsubj", "nsubjpass", "csubj"})
# a verb with no subject of its own takes the subject of the verb it hangs from
# ("..., adding that", "and claimed", "before saying", "issued a statement saying")
_CLIMB = frozenset({"conj", "advcl", "xcomp", "pcomp"})
_RELATIVE = frozenset({"WP", "WDT"})
_NOMINAL = frozenset({"NOUN", "PROPN", "PRON", "NUM", "DET", "X", "ADJ"})
_AFFILIATION_PREPS = frozenset({"for", "of", "at", "with", "from"})
_ORG_KINDS = frozenset({"organisation", "igo", "government"})


class Speakers:
    """Finds speakers in one parsed article; lookups are by offset (bisect), never scans."""

    def __init__(self, article: Article) -> None:
        self.article = article
        self.mentions: list[Mention] = sorted(article.mentions, key=lambda m: m.start)
        self._starts = [m.start for m in self.mentions]

    def mention_at(self, offset: int) -> Mention | None:
        """The mention whose span holds ``offset``, if any."""
        i = bisect_right(self._starts, offset) - 1
        if i >= 0 and self.mentions[i].start <= offset < self.mentions[i].end:
            return self.mentions[i]
        return None

    def mentions_in(self, start: int, end: int) -> list[Mention]:
        """Mentions that start inside ``[start, end)``, in text order."""
        i = bisect_right(self._starts, start - 1)
        out = []
        while i < len(self.mentions) and self.mentions[i].start < end:
            out.append(self.mentions[i])
            i += 1
        return out

    def actor_for(self, head: Any) -> Actor:
        """The speaker whose phrase has ``head`` (a spaCy token) as its head word."""
        m = self.mention_at(head.idx)
        if m is not None:
            actor = self.from_mention(m)
            if actor.affiliation is None and actor.country is None:
                self._affiliate(actor, head)
            return actor
        lo = head.left_edge
        while lo.i < head.i and (lo.is_punct or lo.dep_ == "cc"):
            lo = lo.doc[lo.i + 1]
        start, end = lo.idx, head.idx + len(head.text)
        for t in head.doc[head.i + 1:head.right_edge.i + 1]:
            if t.head.i == head.i and t.dep_ in ("compound", "flat") and t.i == head.i + 1:
                end = t.idx + len(t.text)  # "spokesman Smith" parsed the wrong way round
        actor = Actor(self.article.text[start:end], start, end, kind="person",
                      resolved_by="unresolved-speaker")
        self._affiliate(actor, head)
        return actor

    def from_mention(self, m: Mention) -> Actor:
        """A copy of the mention's actor, spanning the mention's words. A bare title followed
        by the name it belongs to ("Foreign Minister | Jane Roe", split by a bad parse) is
        that named person, spanning both."""
        a = m.actor
        if a is None or (a.kind == "person" and not a.name):
            i = bisect_right(self._starts, m.start)
            nxt = self.mentions[i] if i < len(self.mentions) else None
            if (nxt is not None and nxt.actor is not None and nxt.actor.kind == "person"
                    and nxt.actor.name and not self.article.text[m.end:nxt.start].strip()):
                return replace(nxt.actor, text=self.article.text[m.start:nxt.end],
                               start=m.start, end=nxt.end, sentence=nxt.sentence)
        if a is None:
            return Actor(m.text, m.start, m.end, kind="person", sentence=m.sentence,
                         resolved_by="unresolved-speaker")
        return replace(a, text=m.text, start=m.start, end=m.end, sentence=m.sentence)

    def _affiliate(self, actor: Actor, head: Any) -> None:
        """"a spokesman for the ministry": the organisation gives affiliation and country."""
        for prep in children(head):
            if prep.dep_ != "prep" or prep.lower_ not in _AFFILIATION_PREPS:
                continue
            for obj in children(prep):
                m = self.mention_at(obj.idx) if obj.dep_ == "pobj" else None
                if m is None or m.actor is None or m.actor.kind not in _ORG_KINDS:
                    continue
                org = self.from_mention(m)
                actor.affiliation = org
                if actor.country is None and org.country is not None:
                    actor.country = org.country
                    actor.sector = actor.sector or org.sector
                    actor.code = compose_code(org.party, actor.sector)
                    actor.resolved_by = f"affiliation+{actor.resolved_by}"
                return


def subject_of(verb: Any) -> Any | None:
    """The head word of ``verb``'s subject: its own, a passive's agent, a relative clause's
    antecedent, or (for a verb without one) the subject of the verb it hangs from."""
    tok = verb
    for _ in range(4):
        for c in children(tok):
            if c.dep_ in _SUBJECTS:
                if c.tag_ in _RELATIVE and tok.dep_ == "relcl":
                    return tok.head
                if c.pos_ not in _NOMINAL:
                    return None  # "Speaking to the BBC, ... said": a bad parse, not a speaker
                if c.lower_ in ("there", "that", "this") or c.dep_ == "nsubjpass" and (
                        c.lower_ == "it"):
                    return None  # "there was said to be", "it is said that"
                return c
            if c.dep_ == "agent":
                return next((o for o in children(c) if o.dep_ == "pobj"), None)
        head = tok.head
        if tok.dep_ == "pcomp" and head.pos_ == "ADP":  # "before saying", "by saying"
            head = head.head
        elif tok.dep_ == "acl" and head.dep_ in ("dobj", "pobj"):
            head = head.head  # "issued a statement saying": the statement's issuer
            if head.pos_ == "ADP":
                head = head.head
        elif tok.dep_ not in _CLIMB:
            break
        if head.i == tok.i or head.pos_ not in ("VERB", "AUX"):
            break
        tok = head
    return None
