"""Parse helpers shared by the stages that read an event's sentence (``when``, ``where``).

Neutral ground: both stages import these from here instead of one stage from the other.
"""

from __future__ import annotations

from typing import Any

from redline.article import Event

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
