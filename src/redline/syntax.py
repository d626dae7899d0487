"""Parse helpers and word sets shared by the stages (``actors``, ``when``, ``where``).

Neutral ground: stages import these from here instead of one stage from another.
"""

from __future__ import annotations

from typing import Any

from redline.article import Event

#: Prepositions that make the name they govern a place, not an actor ("in Moscow", "from
#: Kyiv"; but "Moscow said", "urged Kyiv"): the actors stage keeps such a capital or country
#: as a place mention. Wide, because a place read as an actor would invent a participant.
PLACE_USE_PREPS = frozenset({"in", "at", "near", "into", "outside", "around", "across",
                             "through", "throughout", "via", "inside", "within", "from",
                             "over", "beyond", "between", "off"})

#: Prepositions whose phrase may say where an event happened ("shelling in Kharkiv", "talks
#: at Camp David", "aboard the ship"): the where stage's candidates. No "from" or "via",
#: which name an origin or a route; "on" only with a place noun (``where.phrases``).
EVENT_LOCATION_PREPS = frozenset({"in", "at", "near", "outside", "inside", "around", "across",
                                  "throughout", "within", "off", "along", "over", "into", "on",
                                  "aboard", "beside", "nearby", "underneath", "under"})

# Subjects of a sentence that reports the circumstances of the previous one's event.
CIRCUMSTANCE_NOUNS = frozenset({
    "warning", "remark", "comment", "statement", "announcement", "threat", "speech",
    "address", "declaration", "pledge", "move", "decision", "visit", "meeting", "talk",
    "summit", "attack", "strike", "appeal", "call", "offer", "ultimatum", "claim", "accusation",
    "message", "interview", "briefing", "vow", "promise", "news", "incident", "raid", "assault",
})
_DEFINITE = frozenset({"the", "this", "these", "that", "those", "his", "her", "their", "its"})


def circumstance_root(sent: Any) -> Any | None:
    """The root of a sentence whose subject is a definite event noun ("The warning came as
    ..."), else None."""
    root = sent.root
    for c in root.children:
        if c.dep_ in ("nsubj", "nsubjpass") and c.lemma_.lower() in CIRCUMSTANCE_NOUNS and any(
                d.dep_ in ("det", "poss") and d.lower_ in _DEFINITE for d in c.children):
            return root
    return None


def event_token(doc: Any, event: Event) -> Any | None:
    """The trigger token of an event (its predicate span), else the evidence's root."""
    span = event.predicate or event.evidence
    found = doc.char_span(span.start, span.end, alignment_mode="expand")
    if found is None or len(found) == 0:
        return None
    return found.root if event.predicate is None else found[0]
