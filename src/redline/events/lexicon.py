"""The predicate lexicon: which verbs and nouns code which CAMEO event.

``events/data/predicates.tsv`` holds one pattern a line (grammar in that file's header):

    V:threaten +O:force|strike   138   0.8   threatened to use force
    N:sanction >on|against       163   0.8   sanctions on Russia

``V:``/``N:`` is the trigger lemma (a particle joined with ``_``: ``V:pull_out``), ``+O:`` an
object or complement lemma the trigger must have, ``+C:`` a clausal complement's verb lemma,
``+M:`` a noun modifier lemma, ``+P:`` a preposition the trigger must govern ("called on",
not "what it called"), ``>`` the prepositions that introduce the target, ``~undergoer`` a verb
whose subject suffers the act rather than doing it ("three soldiers died": the soldiers are
the target and the attacker is unknown). The coder
prefers the most specific pattern that matches.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

from redline.errors import KnowledgeBaseError
from redline.knowledge import parse_tsv

_TRIGGER = re.compile(r"^(V|N):([a-z][a-z'-]*(?:_[a-z]+)*)$")
_CONSTRAINT = re.compile(r"^\+([OCMP]):([a-z0-9'_-]+(?:\|[a-z0-9'_-]+)*)$")
_PREPS = re.compile(r"^>([a-z]+(?:\|[a-z]+)*)$")


@dataclass(frozen=True, slots=True)
class Pattern:
    text: str
    pos: str  # "V" or "N"
    lemma: str
    particle: str | None
    objects: frozenset[str]
    complements: frozenset[str]
    modifiers: frozenset[str]
    preps: tuple[str, ...]
    cameo: str
    confidence: float
    line: int
    governs: frozenset[str] = frozenset()  # +P: a preposition the trigger must have
    undergoer: bool = False  # ~undergoer: the subject is the target ("soldiers died")

    @property
    def specificity(self) -> int:
        return (bool(self.objects) + bool(self.complements) + bool(self.modifiers)
                + bool(self.particle) + bool(self.governs))


def parse_pattern(text: str, cameo: str, confidence: float, line: int) -> Pattern:
    parts = text.split()
    m = _TRIGGER.match(parts[0]) if parts else None
    if m is None:
        raise ValueError(f"bad trigger '{parts[0] if parts else ''}'")
    pos, lemma = m.group(1), m.group(2)
    particle = None
    if "_" in lemma:
        lemma, particle = lemma.split("_", 1)
        particle = particle.replace("_", " ")
    sets: dict[str, frozenset[str]] = {"O": frozenset(), "C": frozenset(), "M": frozenset(),
                                       "P": frozenset()}
    preps: tuple[str, ...] = ()
    undergoer = False
    for p in parts[1:]:
        if p == "~undergoer" and pos == "V":
            undergoer = True
        elif (c := _CONSTRAINT.match(p)) is not None:
            sets[c.group(1)] = frozenset(x.replace("_", " ") for x in c.group(2).split("|"))
        elif (c := _PREPS.match(p)) is not None:
            preps = tuple(c.group(1).split("|"))
        else:
            raise ValueError(f"bad pattern part '{p}'")
    return Pattern(text, pos, lemma, particle, sets["O"], sets["C"], sets["M"], preps, cameo,
                   confidence, line, sets["P"], undergoer)


@dataclass(frozen=True, slots=True)
class Lexicon:
    by_trigger: dict[tuple[str, str], tuple[Pattern, ...]]

    def candidates(self, pos: str, lemma: str) -> tuple[Pattern, ...]:
        return self.by_trigger.get((pos, lemma), ())

    def __len__(self) -> int:
        return sum(len(v) for v in self.by_trigger.values())


def parse_lexicon(text: str, name: str = "predicates.tsv") -> Lexicon:
    from redline.ontology import is_cameo_code

    index: dict[tuple[str, str], list[Pattern]] = {}
    for lineno, row in parse_tsv(text, name):
        try:
            conf = float(row["confidence"])
            pat = parse_pattern(row["pattern"], row["cameo"], conf, lineno)
        except (ValueError, KeyError) as exc:
            raise KnowledgeBaseError(f"{name} line {lineno}: {exc}") from None
        if not is_cameo_code(pat.cameo):
            raise KnowledgeBaseError(f"{name} line {lineno}: unknown CAMEO code {pat.cameo}")
        index.setdefault((pat.pos, pat.lemma), []).append(pat)
    return Lexicon({k: tuple(sorted(v, key=lambda p: (-p.specificity, p.line)))
                    for k, v in index.items()})


@cache
def load_lexicon() -> Lexicon:
    """The packaged predicate lexicon, read once per process."""
    path = resources.files("redline.events").joinpath("data", "predicates.tsv")
    return parse_lexicon(path.read_text(encoding="utf-8"))
