"""An event's modality and who reports it, read from the parse around its trigger.

Rules (words in ``events/data/modality.tsv``):

1. A negator on the trigger (or on the light verb that carries a noun event) -> ``negated``.
2. A modal auxiliary, or the trigger's clause opened by "if"/"unless", or a question
   -> ``hypothetical``; a future auxiliary -> ``future``.
3. Climbing from the trigger to the root: a governing ``irrealis`` verb (threaten, warn,
   urge, demand, ...) makes the event ``hypothetical``; an ``intent`` verb (plan, pledge,
   vow, ...) makes it ``future``; a ``denial`` verb makes it ``negated``. The first such
   verb decides. A governing speech verb sets ``reported_by`` to its subject's actor.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from redline.article import Actor
from redline.knowledge import load_table


@cache
def modality_words() -> dict[str, str]:
    return {r["word"]: r["kind"] for _, r in load_table("redline.events", "modality.tsv")}


@cache
def speech_verbs() -> frozenset[str]:
    """Lemmas of verbs of saying (``speech`` in ``modality.tsv``)."""
    return frozenset(w for w, k in modality_words().items() if k == "speech")


@dataclass(slots=True)
class ModalityReading:
    modality: str
    reported_by_token: Any | None
    cue: str | None  # the word that set it, for the event's rule
    cue_token: Any | None = None  # the governing verb that set it, if one did
    speech_token: Any | None = None  # the verb of saying above the event, if any


def _local(tok: Any, words: dict[str, str]) -> tuple[str, str] | None:
    neg = next((c for c in tok.children if c.dep_ == "neg"), None)
    if neg is not None:
        # a negation outweighs a future ("will not accept": a refusal stated now, see
        # reframe.REFUSAL_CUES); the auxiliary goes into the cue
        aux = next((c for c in tok.children if c.dep_ == "aux"
                    and words.get(c.lower_) in ("future", "hypothetical")), None)
        return "negated", f"{aux.lower_} not" if aux is not None else neg.lower_
    for c in tok.children:
        kind = words.get(c.lower_)
        if c.dep_ == "det" and c.lower_ == "no":
            return "negated", c.lower_
        if c.dep_ in ("aux", "auxpass") and kind in ("hypothetical", "future"):
            return kind, c.lower_
        if c.dep_ == "mark" and kind == "hypothetical":
            return "hypothetical", c.lower_
        if c.dep_ == "advmod" and c.lower_ == "never":
            return "negated", "never"
    if tok.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ in ("if", "unless")
                                   for c in tok.children):
        return "hypothetical", "if"
    return None


@dataclass(slots=True)
class _Walk:
    """What the walk up from a trigger through its governing words has read so far."""

    modality: str = "asserted"
    cue: str | None = None
    cue_token: Any | None = None
    reporter: Any | None = None
    speech_token: Any | None = None
    own_clause: bool = True  # false above a relative clause: "will free those it had taken"


#: Dependencies through which a governing word's modality, speech or clause reaches the event.
_CLAUSE_DEPS = frozenset({"ccomp", "xcomp", "advcl", "conj", "pcomp", "pobj", "prep", "dobj",
                          "relcl", "acl", "nsubj", "nsubjpass", "attr", "oprd", "agent"})
#: Dependencies of a complement: the governing verb's kind (irrealis, intent, denial) holds.
_COMPLEMENT_DEPS = frozenset({"ccomp", "xcomp", "pcomp", "pobj", "prep", "agent"})
#: Dependencies under which a deferral holds ("postponed a vote on sending troops").
_DEFERRED_DEPS = frozenset({"dobj", "xcomp", "pcomp", "prep", "pobj", "ccomp"})
_GOVERNED = {"irrealis": "hypothetical", "intent": "future", "denial": "negated"}


def _kind_of(head: Any, words: dict[str, str]) -> str | None:
    """The modality class of a governing word, with its particle ("call_off")."""
    kind = words.get(head.lemma_.lower())
    prt = next((c.lower_ for c in head.children if c.dep_ == "prt"), None)
    if prt is not None:
        kind = words.get(f"{head.lemma_.lower()}_{prt}", kind)
    if kind == "intent" and head.lemma_.lower() == "set" and not any(
            c.dep_ in ("aux", "auxpass") and c.lemma_ == "be" for c in head.children):
        return None  # "is set to meet" announces; "set fire to" does not
    return kind


def _step(walk: _Walk, dep: str, head: Any, words: dict[str, str]) -> None:
    """Read one governing word ``head``, reached through ``dep``, into ``walk``."""
    lemma = head.lemma_.lower()
    raw = words.get(lemma)
    prt = next((c.lower_ for c in head.children if c.dep_ == "prt"), None)
    if prt is not None:
        raw = words.get(f"{lemma}_{prt}", raw)
    if raw == "deferral" and walk.modality == "asserted" and walk.own_clause \
            and dep in _DEFERRED_DEPS:
        # "postponed a vote on sending troops": nothing was sent
        walk.modality, walk.cue, walk.cue_token = "hypothetical", lemma, head
    if dep not in _CLAUSE_DEPS:
        return
    kind = _kind_of(head, words)
    if dep in _COMPLEMENT_DEPS and walk.modality == "asserted" and walk.own_clause \
            and kind in _GOVERNED:
        walk.modality, walk.cue, walk.cue_token = _GOVERNED[kind], lemma, head
    if kind == "speech" and dep == "ccomp":
        _speech(walk, head)
    if walk.modality == "asserted" and walk.reporter is None and walk.own_clause and (
            hit := _local(head, words)) is not None and hit[0] != "negated":
        # the clause the event sits in is modal ("troops would be regarded as targets for
        # strikes"); a negation there negates that verb, not the event
        walk.modality, walk.cue = hit


def _speech(walk: _Walk, head: Any) -> None:
    """A speech verb governing the event's clause: the speech and who reports it."""
    if walk.speech_token is None:
        walk.speech_token = head
    if walk.reporter is None:
        reporter = next((c for c in head.children if c.dep_ in ("nsubj", "agent")), None)
        if reporter is not None and reporter.tag_ in ("WP", "WDT") and head.dep_ == "relcl":
            reporter = head.head  # "26 countries, who announced that ..."
        walk.reporter = reporter


def read_modality(trigger: Any, carrier: Any | None = None) -> ModalityReading:
    """Modality of the event whose trigger is ``trigger`` (``carrier``: its light verb)."""
    words = modality_words()
    local = None
    for tok in (trigger, carrier):
        if tok is not None and (hit := _local(tok, words)) is not None:
            local = hit
            break
    walk = _Walk()
    tok = carrier if carrier is not None else trigger
    steps = 0
    while tok.head.i != tok.i and steps < 6:
        steps += 1
        if tok.dep_ == "relcl":
            walk.own_clause = False
        _step(walk, tok.dep_, tok.head, words)
        tok = tok.head
    modality, cue, cue_token = walk.modality, walk.cue, walk.cue_token
    if local is not None:
        # a condition ("unless he steps down") belongs to the event of the main clause
        cond = local[1] in ("if", "unless") and trigger.dep_ == "advcl"
        modality, cue, cue_token = local[0], local[1], trigger.head if cond else None
    if trigger.sent.text.rstrip().endswith("?") and modality == "asserted":
        modality, cue = "hypothetical", "?"
    return ModalityReading(modality, walk.reporter, cue, cue_token, walk.speech_token)


def has_unless(trigger: Any) -> bool:
    """True when the act comes with an "unless" condition ("will withdraw unless ...")."""
    return any(c.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ == "unless"
                                          for m in c.children) for c in trigger.children)


def reporter_actor(tok: Any | None, actor_at: dict[int, Actor]) -> Actor | None:
    if tok is None:
        return None
    return actor_at.get(tok.i)
