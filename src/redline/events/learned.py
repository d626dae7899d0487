"""The learned type model in the events stage: review the rules' events, propose missing ones.

Each does what it is best at. The lexicon patterns find predicates and the parse attaches
actors; the type model (:mod:`redline.learn.typer`), trained on labelled sentences, judges
whether the sentence reads as that kind of event at all:

* **review**: a rule's material event (quad 2 or 4) that both heads reject (its PLOVER type
  and its quad class are both unlikely for the sentence) is dropped, unless its pattern is
  specific (names an object, complement, modifier, particle or preposition); every event
  kept gets the model's scores (``Event.model``). "The court struck the policy" matches a
  bare force pattern but reads as neither an assault nor material conflict.
* **propose** (``[events] propose = true``; off by default, since on whole articles most
  such sentences are background and the proposals were mostly wrong): a sentence where the
  rules found nothing, but which the quad head reads as an event (a quad class other than 0
  with probability at least ``propose_quad``), gets one event on its main verb: the
  likeliest PLOVER type of that quad class, coded with that type's generic CAMEO code
  (``data/model_codes.tsv``), its actors found by the same argument finder as a pattern's,
  a side it leaves empty filled by the role model (:func:`fill_roles`). Its rule is
  ``model:TYPE`` and its confidence the model's probability.

Thresholds are the model's own (chosen by cross-validation on its training data, kept in the
model file's metadata), never tuned on an evaluation set.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from redline import ontology
from redline.article import Actor, Event
from redline.events.coder import Candidate, SentenceCoder
from redline.events.lexicon import Pattern
from redline.knowledge import parse_tsv
from redline.learn.roles import RoleModel
from redline.learn.roles import shipped as shipped_roles
from redline.learn.typer import Support, TypeModel, shipped
from redline.provenance import Found, Via, ViaStep

#: Quad classes of material acts (cooperation 2, conflict 4): the ones the model may drop.
MATERIAL_QUADS = frozenset({2, 4})


@cache
def model_codes() -> dict[tuple[str, int], str]:
    """(PLOVER type, quad class) -> the CAMEO code of a proposed event."""
    text = resources.files("redline.events").joinpath("data", "model_codes.tsv").read_text(
        encoding="utf-8")
    return {(r["plover"], int(r["quad"])): r["cameo"]
            for _, r in parse_tsv(text, "model_codes.tsv")}


def load_role_model(setting: str) -> RoleModel | None:
    """The role model a ``[events] roles`` setting names: shipped, off or a folder."""
    if setting == "off":
        return None
    if setting == "shipped":
        return shipped_roles()
    return RoleModel.load(Path(setting))


def fill_roles(cand: Candidate, model: RoleModel, sent: Any,
               mentions: list[tuple[Any, Actor]]) -> None:
    """Fill the side (source or target) the rules left empty with the role model's pick
    among the sentence's actor mentions (``(span, actor)``). A joint act of several sources
    keeps no target; an actor never becomes both sides; a filled side is marked ``+roles``
    in the candidate's ``via``."""
    if (cand.sources and cand.targets) or not mentions:
        return
    pick = model.pick([span for span, _ in mentions], cand.trigger)
    filled = False
    if not cand.sources:
        for i in pick.sources:
            span, actor = mentions[i]
            if all(actor is not t and actor.party != t.party for t in cand.targets):
                cand.sources, cand.source_tokens = [actor], [span.root]
                filled = True
                break
    if not cand.targets and len({a.party for a in cand.sources}) < 2:
        for i in pick.targets:
            span, actor = mentions[i]
            if all(actor is not s and (actor.party is None or actor.party != s.party)
                   for s in cand.sources):
                cand.targets, cand.target_tokens = [actor], [span.root]
                filled = True
                break
    if filled:
        cand.via = cand.via.plus(ViaStep.ROLES)


def load_type_model(setting: str) -> TypeModel | None:
    """The type model a ``[events] model`` setting names: shipped, off or a folder."""
    if setting == "off":
        return None
    if setting == "shipped":
        return shipped()
    return TypeModel.load(Path(setting))


@dataclass(slots=True)
class SentenceView:
    """The type model's scores for one sentence, computed once."""

    types: dict[str, float]
    quads: dict[str, float]


class TypeGate:
    """Reviews and proposes events for one article's sentences with a :class:`TypeModel`."""

    def __init__(self, model: TypeModel) -> None:
        self.model = model
        self.codes = model_codes()
        self.propose_quad = float(model.meta.get("propose_quad", 1.1))
        self.propose_type = float(model.meta.get("propose_type", 0.0))

    def view(self, sent: Any) -> SentenceView:
        types, quads = self.model.sentence(sent)
        return SentenceView(types, quads)

    def support(self, view: SentenceView, code: str) -> Support:
        """How the sentence supports an event coded ``code``."""
        c = ontology.cameo(code)
        return self.model.support(view.types, view.quads,
                                  c.plover.type if c.plover else None, c.quad_class)

    def review(self, events: list[Event], view: SentenceView) -> list[Event]:
        """Drop the events both heads reject; record the model's scores on the rest.

        An event found by a specific rule (a pattern that names the trigger's object,
        complement, modifier, particle or preposition: "commit +O:troop", "fire +O:missile
        +C:test"; or an act read as announced or demanded: "said his fighters would attack")
        is never dropped: it carries more evidence about the act than one sentence's bag of
        words. Nor is a verbal act (a statement, appeal, demand, accusation, threat: quad 1
        or 3): its trigger word is the act, while the sentence's other words say what it is
        about ("its demand that Brazil share data" reads as cooperation). The review runs
        after a threat, demand or refusal has taken what it is about as its content, so
        dropping it drops that content too ("blocked a plan to cut funding" never becomes an
        asserted cut).
        """
        kept = []
        for e in events:
            support = self.support(view, e.cameo)
            if e.quad_class in MATERIAL_QUADS and not e.specific \
                    and self.model.vetoes(support):
                continue
            e.model = support.to_dict()
            kept.append(e)
        return kept

    def annotate(self, events: list[Event], view: SentenceView) -> None:
        """Record the model's scores on each event, for its final code."""
        for e in events:
            e.model = self.support(view, e.cameo).to_dict()

    def propose(self, sent: Any, view: SentenceView, coder: SentenceCoder,
                speech: frozenset[str] | set[str]) -> Candidate | None:
        """One candidate on the sentence's main verb, when the model reads an event there
        (the caller drops it when no actor is found for either side)."""
        quad, p_quad = max(((int(q), p) for q, p in view.quads.items() if q != "0"),
                           key=lambda x: x[1])
        if p_quad < self.propose_quad:
            return None
        options = [(p, t) for t, p in view.types.items() if (t, quad) in self.codes]
        if not options:
            return None
        p_type, ptype = max(options)
        if p_type < self.propose_type:
            return None
        verb = main_verb(sent, speech)
        if verb is None:
            return None
        code = self.codes[(ptype, quad)]
        pattern = Pattern(text=ptype, pos="V", lemma=verb.lemma_.lower(), particle=None,
                          objects=frozenset(), complements=frozenset(),
                          modifiers=frozenset(), preps=(), cameo=code,
                          confidence=round(min(p_quad, 0.99) * 0.8, 3), line=0)
        cand = coder.candidate(verb, pattern)
        if cand is None:
            return None
        cand.via = Via(Found.MODEL)
        return cand


def main_verb(sent: Any, speech: frozenset[str] | set[str]) -> Any | None:
    """The verb that carries a sentence's news: its root, or what a speech root reports
    ("X said rebels attacked ..." -> attacked)."""
    verb = sent.root
    for _ in range(3):
        if verb.lemma_.lower() not in speech:
            break
        inner = next((c for c in verb.children if c.dep_ in ("ccomp", "xcomp")
                      and c.pos_ in ("VERB", "AUX")), None)
        if inner is None:
            return None  # a bare statement: what was said is not an act we can read
        verb = inner
    return verb if verb.pos_ == "VERB" else None
