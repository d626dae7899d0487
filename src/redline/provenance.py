"""Typed provenance: how an actor was resolved and how an event was found.

The coder and the actor stage decide on these types (``res.rule is ActorRule.CAPITAL``,
``via.found is Found.NOUN``, ``rule.turn is Turn.DEMANDED``), never on their text, so renaming
a label changes the output and nothing else. :class:`Resolution` and :class:`EventRule` are
``str`` subclasses whose text is the output contract (``Actor.resolved_by``, ``Event.rule``
in JSON, CSV and the store: "possessor+country+sector:adjective", "verb:V:attack [future:will]
announced:190 joint"), so every consumer of the strings reads them as before.

A plain string where a :class:`Resolution` is expected (an actor built by a caller, a test,
an older stage) is read once by :meth:`Resolution.of`, at that boundary.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Any


class ActorRule(Enum):
    """The rule that resolved an actor; value: (label, separator before its detail)."""

    OFFICEHOLDER = ("officeholder", ":")
    OFFICE_DESCRIPTION = ("office-description", ":")  # "Hungary's prime minister"
    OUT_OF_OFFICE = ("officeholder-out-of-office", ":")
    ORGANISATION = ("organisation", ":")  # detail: the organisation's code
    COLLECTIVE_PATTERN = ("collective-pattern", ":")  # detail: the organisation's code
    DESCRIPTION = ("description", ":")  # "the Kremlin leader"; detail: organisation code
    ETHNIC = ("ethnic", ":")  # "ethnic Albanians"; detail: the kin state
    COUNTRY_SECTOR = ("country+sector", ":")  # detail: how the country was named
    CAPITAL = ("capital", ":")
    COUNTRY = ("country", ":")  # detail: name | alias | adjective | demonym
    SECTOR = ("sector", ":")  # detail: the sector term
    TITLE = ("title", ":")  # "Nigerian junior foreign minister Dubem Oniya"
    ORGANISATION_NAME_COUNTRY = ("organisation-name-country", ":")
    UNKNOWN_PERSON = ("unknown-person", ":")
    UNKNOWN_PARTY = ("unknown-party", ":")
    UNKNOWN_ORGANISATION = ("unknown-organisation", ":")
    APPOSITION = ("apposition", ":")
    PLACE = ("place", ":")  # a place read as its country ("sought asylum in Germany")
    PRONOUN = ("pronoun", "->")  # detail: the referent's name or code
    REFERENCE = ("description", "->")  # "the president" -> a named person; detail: the name
    UNRESOLVED_SPEAKER = ("unresolved-speaker", ":")

    @property
    def label(self) -> str:
        return self.value[0]


class CountryForm(Enum):
    """How a phrase named a country (the knowledge base's kind of alias)."""

    NAME = "name"
    ALIAS = "alias"
    ADJECTIVE = "adjective"
    DEMONYM = "demonym"
    CAPITAL = "capital"


class Step(Enum):
    """A later step that refined an actor's resolution; value: its prefix in the text."""

    POSSESSOR = "possessor+"  # "Ukraine's defence minister"
    PLACE = "place:"  # "police in Kampala"
    AFFILIATION = "affiliation:"  # "observers from the OSCE"
    CONTEXT = "context:"  # the one country of the sentence or article
    SPEAKER_AFFILIATION = "affiliation+"  # "a spokesman for the ministry" (quotes stage)


class Resolution(str):
    """How an actor was resolved: a :class:`ActorRule`, what it matched (``detail``) and the
    steps that refined it afterwards (``steps``, outermost first). Its text is the output."""

    rule: ActorRule
    detail: str | None
    steps: tuple[Step, ...]

    def __new__(cls, rule: ActorRule, detail: str | None = None,
                steps: tuple[Step, ...] = ()) -> Resolution:
        text = "".join(s.value for s in steps) + rule.label
        if detail is not None:
            text += rule.value[1] + detail
        self = super().__new__(cls, text)
        self.rule, self.detail, self.steps = rule, detail, tuple(steps)
        return self

    def __reduce__(self) -> tuple[Any, ...]:  # pickle and copy keep the type
        return (Resolution, (self.rule, self.detail, self.steps))

    def then(self, step: Step) -> Resolution:
        """This resolution refined by ``step``."""
        return Resolution(self.rule, self.detail, (step, *self.steps))

    @property
    def outer(self) -> Step | None:
        """The last step that refined it, if any."""
        return self.steps[0] if self.steps else None

    @property
    def form(self) -> CountryForm | None:
        """How the country was named, for a resolution by a country (with a sector or not)."""
        if self.rule not in (ActorRule.COUNTRY, ActorRule.COUNTRY_SECTOR) or self.detail is None:
            return None
        try:
            return CountryForm(self.detail)
        except ValueError:
            return None

    @property
    def plain(self) -> bool:
        """No step refined it: the rule alone resolved the actor."""
        return not self.steps

    @classmethod
    def of(cls, value: str | None) -> Resolution | None:
        """``value`` as a :class:`Resolution`: itself, or a plain string read back (None
        for None or a label no rule has)."""
        if value is None or isinstance(value, Resolution):
            return value
        steps: list[Step] = []
        rest = value
        while True:
            step = next((s for s in Step if rest.startswith(s.value)), None)
            if step is None:
                break
            steps.append(step)
            rest = rest[len(step.value):]
        for rule in sorted(ActorRule, key=lambda r: -len(r.label)):
            label, sep = rule.value
            if rest == label:
                return cls(rule, None, tuple(steps))
            if rest.startswith(label + sep):
                return cls(rule, rest[len(label) + len(sep):], tuple(steps))
        return None


def resolution(rule: ActorRule, detail: str | None = None) -> Resolution:
    """A resolution by ``rule`` alone."""
    return Resolution(rule, detail)


# -- events -------------------------------------------------------------------------------

class Found(Enum):
    """What kind of word triggered an event."""

    VERB = "verb"
    NOUN = "noun"
    LIGHT_VERB = "light-verb"  # an event noun carried by a light verb ("launched an attack")
    MODEL = "model"  # the learned type model's proposal


class ViaStep(Enum):
    """How an event's target was found beyond the trigger's own arguments."""

    CONDITION = "condition"  # "threatened to ... unless Baghdad accepted"
    DEEP_TARGET = "deep-target"  # inside the trigger's complements ("cut ties with Russia")
    ROLES = "roles"  # filled by the learned role model


@dataclass(frozen=True, slots=True)
class Via:
    """How a candidate event was found: its trigger kind and the steps that found its target.
    ``str(via)`` is the text in the event's rule ("verb+deep-target")."""

    found: Found
    steps: tuple[ViaStep, ...] = ()

    def __str__(self) -> str:
        return "+".join([self.found.value, *(s.value for s in self.steps)])

    def plus(self, step: ViaStep) -> Via:
        return Via(self.found, (*self.steps, step))

    def has(self, step: ViaStep) -> bool:
        return step in self.steps


class Turn(Enum):
    """How an act that was only said is coded (``redline.events.reframe``)."""

    ANNOUNCED = "announced"
    DEMANDED = "demanded"
    REFUSED = "refused"


class EventRule(str):
    """How an event was found: the candidate's :class:`Via` (None for a modal demand), the
    reframing that turned a said act into this one (``turn``), and whether the event is a
    joint act. Its text is the event's ``rule`` in the output."""

    via: Via | None
    turn: Turn | None
    joint: bool

    def __new__(cls, text: str, via: Via | None = None, turn: Turn | None = None,
                joint: bool = False) -> EventRule:
        self = super().__new__(cls, text)
        self.via, self.turn, self.joint = via, turn, joint
        return self

    def __reduce__(self) -> tuple[Any, ...]:  # pickle and copy keep the type
        return (EventRule, (str(self), self.via, self.turn, self.joint))

    @property
    def found(self) -> Found | None:
        return self.via.found if self.via is not None else None
