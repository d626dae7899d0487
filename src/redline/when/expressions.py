"""Time expressions in a parsed sentence, the word each one modifies, and the clause's tense.

An expression is a DATE entity ("this week", "24 February 2022", "the 1990s"), a relative
TIME entity ("last night", "this morning"), or a year the entity recogniser missed but the
parse puts under a temporal preposition ("again in 2022"). Its *governor* is the word it hangs
from: the head of its preposition ("broke ... in 2014" -> broke), or its own head for a bare
noun phrase ("announced ... this week" -> announced, "the 1994 Memorandum" -> Memorandum).

An event takes the expression governed by its trigger, else the nearest one governing it: the
search climbs from the trigger through its heads to the sentence root, and at each step takes
the expression nearest the branch it came from ("in 2014 by annexing ..., and again in 2022
with its invasion": annexing -> 2014, invasion -> 2022). A relative clause looks at the noun
it describes ("the 1994 Memorandum, which guaranteed ...") and no further.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

# prepositions that place an event in time; "before 2014", "until 2014", "by 2030" do not
# date the event itself and are left out.
TEMPORAL_PREPS = frozenset({"in", "on", "at", "during", "since", "from", "between", "over",
                            "throughout", "within", "of", "around", "circa", "as"})
YEAR = re.compile(r"(1[5-9]|20|21)\d\d")  # a year, as one token
_RELATIVE_TIME = re.compile(r"\b(night|morning|afternoon|evening|tonight|today|overnight)\b",
                            re.IGNORECASE)
_FUTURE_AUX = frozenset({"will", "shall", "'ll", "wo", "would", "'d"})
_FUTURE_HEADS = frozenset({"plan", "due", "expect", "schedule", "set", "prepare", "intend",
                           "aim", "hope", "vow", "pledge", "threaten", "promise", "go",
                           "agree", "decide", "want", "seek"})
_STOP_AFTER = frozenset({"relcl", "acl", "appos"})


@dataclass(frozen=True, slots=True)
class TimeExpression:
    """A time expression in the parse: token range ``[first, last]``, char offsets."""

    text: str
    start: int
    end: int
    first: int
    last: int
    governor: int | None  # token index of the word it modifies
    prep: str | None  # the preposition introducing it, lower-cased
    prep_start: int | None = None  # char offset of that preposition

    @property
    def display_start(self) -> int:
        return self.prep_start if self.prep_start is not None else self.start


def _governor(root: Any) -> tuple[int | None, str | None, int | None]:
    if root.dep_ == "pobj" and (root.head.pos_ == "ADP" or root.head.dep_ == "prep"):
        prep = root.head
        head = prep.head
        if head.pos_ == "ADP" and head.i != head.head.i:  # "from ... to", "as of"
            head = head.head
        return (head.i if head.i != prep.i else None), prep.lower_, prep.idx
    if root.head.i == root.i:
        return None, None, None
    if root.dep_ == "prep" and root.lower_ in TEMPORAL_PREPS:  # the entity has it: "since 2011"
        return root.head.i, root.lower_, root.idx
    return root.head.i, None, None


def find_expressions(sent: Any, ents: Iterable[Any] | None = None) -> list[TimeExpression]:
    """Every time expression in a spaCy sentence span, in text order. ``ents``: the
    sentence's entities when the caller has them (``Span.ents`` scans the whole document)."""
    out: list[TimeExpression] = []
    covered: set[int] = set()
    for ent in (sent.ents if ents is None else ents):
        if ent.label_ == "DATE" or (ent.label_ == "TIME" and _RELATIVE_TIME.search(ent.text)):
            out.append(_make(ent))
            covered.update(range(ent.start, ent.end))
    for tok in sent:
        if (tok.i not in covered and YEAR.fullmatch(tok.text) and tok.dep_ == "pobj"
                and tok.head.lower_ in TEMPORAL_PREPS and tok.ent_type_ in ("", "CARDINAL")):
            out.append(_make(tok.doc[tok.i:tok.i + 1]))
    out = [e for e in out if e.prep is None or e.prep in TEMPORAL_PREPS]
    return sorted(out, key=lambda e: e.first)


def _make(span: Any) -> TimeExpression:
    governor, prep, prep_start = _governor(span.root)
    return TimeExpression(span.text, span.start_char, span.end_char, span.start, span.end - 1,
                          governor, prep, prep_start)


def candidates_for(trigger: Any, expressions: list[TimeExpression]) -> Iterator[TimeExpression]:
    """Expressions for an event, best first: those on the trigger, then on each head above it,
    nearest the branch the search came up from."""
    by_governor: dict[int, list[TimeExpression]] = {}
    for e in expressions:
        if e.governor is not None:
            by_governor.setdefault(e.governor, []).append(e)
    if not by_governor:
        return
    cur, branch = trigger, None
    seen = 0
    while True:
        here = [e for e in by_governor.get(cur.i, ()) if not _inside(e, trigger)]
        if here:
            left, right = ((branch.left_edge.i, branch.right_edge.i) if branch is not None
                           else (trigger.i, trigger.i))
            here.sort(key=lambda e: (max(0, e.first - right, left - e.last), e.first))
            yield from here
        if cur.head.i == cur.i or seen > 12:
            return
        if branch is not None and branch.dep_ in _STOP_AFTER:
            return
        branch, cur = cur, cur.head
        seen += 1


def _inside(e: TimeExpression, tok: Any) -> bool:
    return e.first <= tok.i <= e.last


def clause_tense(tok: Any) -> str:
    """'past', 'future' or 'unknown' for the clause a token sits in."""
    verb = tok
    for _ in range(6):
        if verb.pos_ in ("VERB", "AUX") or verb.head.i == verb.i:
            break
        verb = verb.head
    if verb.pos_ not in ("VERB", "AUX"):
        return "unknown"
    auxes = [c for c in verb.children if c.dep_ in ("aux", "auxpass")]
    lemmas = {a.lower_ for a in auxes}
    if lemmas & _FUTURE_AUX:
        return "future"
    if verb.dep_ == "xcomp" and (verb.head.lemma_.lower() in _FUTURE_HEADS
                                 or verb.head.lower_ == "going"):
        return "future"
    if verb.tag_ == "VBD" or any(a.tag_ == "VBD" for a in auxes):
        return "past"
    if verb.tag_ == "VBN" and lemmas & {"has", "have", "had", "'s", "'ve"}:
        return "past"
    if verb.dep_ in ("conj", "xcomp", "advcl", "pcomp") and verb.head.i != verb.i:
        return clause_tense(verb.head) if verb.head.pos_ in ("VERB", "AUX") else "unknown"
    return "unknown"
