"""Announced acts and demanded acts, coded as what was done when they were said.

"Germany will send tanks to Ukraine" reports no delivery: it reports that Germany expressed
an intent (CAMEO 0332, PLOVER AGREE). "Russia said it would retaliate" is a threat (1384).
"The minister said Kyiv must hold talks" is the minister's demand (106) on Kyiv. The act
itself stays recorded in the event's rule (``announced:072``) so nothing is hidden.
Codes come from ``events/data/intent.tsv`` (longest CAMEO prefix of the act wins).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from redline import ontology
from redline.knowledge import load_table
from redline.provenance import Turn

#: Cues after which an act is announced rather than done.
ANNOUNCE_CUES = frozenset({"will", "shall", "'ll", "plan", "intend", "prepare", "pledge",
                           "promise", "vow", "commit", "offer", "willing", "ready",
                           "prepared", "determined", "eager", "going", "set", "schedule"})
#: Modal cues that turn a reported act into the speaker's demand.
DEMAND_CUES = frozenset({"must", "should"})
#: A negated future: "Syria will not accept refugees" is a refusal stated now (CAMEO 12x).
REFUSAL_CUES = frozenset({"will not", "wo not", "shall not", "would not"})
#: CAMEO 139, give an ultimatum: an announced act made to depend on another's compliance.
ULTIMATUM = "139"
#: CAMEO 150, demonstrate military power: force being readied ("prepared to attack").
FORCE_POSTURE = "150"


@dataclass(frozen=True, slots=True)
class Reframing:
    code: str
    kind: Turn


@cache
def _table() -> dict[str, tuple[str, str, str]]:
    return {r["act"]: (r["announced"], r["demanded"], r.get("refused") or "")
            for _, r in load_table("redline.events", "intent.tsv")}


def _lookup(code: str) -> tuple[str, str, str] | None:
    table = _table()
    for n in range(len(code), 1, -1):
        if code[:n] in table:
            return table[code[:n]]
    return None


def reframe(code: str, modality: str, cue: str | None, reported: bool,
            unless: bool = False) -> Reframing | None:
    """The code of what was done now, when an act was only announced, demanded or refused.

    ``unless``: the act is made to depend on another's compliance ("will withdraw its
    troops unless ..."), which makes the announcement an ultimatum.
    """
    if cue is None:
        return None
    parallel = ontology.demand_parallel(code)
    if parallel is not None and ontology.root_has(code, "intent") and modality == "hypothetical" \
            and cue in DEMAND_CUES and reported:
        # "said Peru must guarantee their safety": intents and demands are parallel (03X/10X)
        return Reframing(parallel, Turn.DEMANDED)
    row = _lookup(code)
    if row is None:
        return None
    if modality == "negated" and cue in REFUSAL_CUES:
        return Reframing(row[2], Turn.REFUSED) if row[2] else None
    if modality == "future" and cue in ANNOUNCE_CUES:
        if unless and not ontology.root_has(row[0], "threat"):
            return Reframing(ULTIMATUM, Turn.ANNOUNCED)
        if cue == "prepare" and ontology.root_has(code, "force"):
            # "the army prepared to resume shelling": readied force, not words (CAMEO 15)
            return Reframing(FORCE_POSTURE, Turn.ANNOUNCED)
        return Reframing(row[0], Turn.ANNOUNCED)
    if modality == "hypothetical" and cue == "would" and reported:
        return Reframing(row[0], Turn.ANNOUNCED)
    if modality == "hypothetical" and cue in DEMAND_CUES and reported:
        return Reframing(row[1], Turn.DEMANDED)
    return None
