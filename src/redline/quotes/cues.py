"""The attribution cue lexicon (``quotes/data/cues.tsv``), read once per process."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources

from redline.errors import KnowledgeBaseError
from redline.knowledge import parse_tsv

KINDS = frozenset({"speech", "direct", "label", "source", "mark"})


@dataclass(frozen=True, slots=True)
class Cues:
    """Cue words by kind: verb lemmas, source phrases (as word tuples) and punctuation."""

    verbs: dict[str, str]  # lemma -> "speech" | "direct" | "label"
    phrases: frozenset[tuple[str, ...]]  # ("according", "to")
    marks: frozenset[str]

    def verb_kind(self, lemma: str) -> str | None:
        return self.verbs.get(lemma.lower())


def parse_cues(text: str, name: str = "cues.tsv") -> Cues:
    """Build :class:`Cues` from the TSV text; unknown kinds and repeated cues are errors."""
    verbs: dict[str, str] = {}
    phrases: set[tuple[str, ...]] = set()
    marks: set[str] = set()
    seen: set[str] = set()
    for lineno, row in parse_tsv(text, name):
        cue, kind = row.get("cue", ""), row.get("kind", "")
        if not cue or kind not in KINDS:
            raise KnowledgeBaseError(f"{name} line {lineno}: need a cue and a kind "
                                     f"({', '.join(sorted(KINDS))}), got {cue!r} {kind!r}")
        if cue in seen:
            raise KnowledgeBaseError(f"{name} line {lineno}: cue {cue!r} is listed twice")
        seen.add(cue)
        if kind == "mark":
            marks.add(cue)
        elif kind == "source" or " " in cue:
            phrases.add(tuple(cue.lower().split()))
        else:
            verbs[cue.lower()] = kind
    return Cues(verbs, frozenset(phrases), frozenset(marks))


@cache
def load_cues() -> Cues:
    """The packaged cue lexicon."""
    text = resources.files("redline.quotes").joinpath("data", "cues.tsv").read_text(
        encoding="utf-8")
    return parse_cues(text)
