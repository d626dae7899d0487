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


_CHILDREN = "redline.children"  # Doc.user_data key of the children index


def children(token: Any) -> list[Any]:
    """``token.children`` (in text order), from an index built once per Doc.

    spaCy's own property scans every token between the token's leftmost and rightmost
    descendants, so asking it of each verb in one long chained sentence ("he said, he said,
    ...") is quadratic in the sentence's length; this index is built in one pass.
    """
    doc = token.doc
    index = doc.user_data.get(_CHILDREN)
    if index is None or len(index) != len(doc):
        index = [[] for _ in range(len(doc))]
        for tok in doc:
            head = tok.head.i
            if head != tok.i:
                index[head].append(tok.i)
        doc.user_data[_CHILDREN] = index
    return [doc[i] for i in index[token.i]]
