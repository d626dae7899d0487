"""Record types for the ontology tables, and parsers that turn the data files into them.

The parsers take text (not paths) so they can be tested on broken input; every problem
raises :class:`~redline.errors.KnowledgeBaseError` naming the file and line.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from redline.errors import KnowledgeBaseError

CODE_RE = re.compile(r"\d{2,4}")


@dataclass(frozen=True, slots=True)
class PloverMapping:
    """Where one CAMEO code lands in PLOVER: event type, optional mode, contexts."""

    type: str
    mode: str | None
    context: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class CameoCode:
    """One CAMEO event code with its Goldstein score, quad class and PLOVER mapping."""

    code: str
    name: str
    goldstein: float
    quad_class: int
    root: str
    plover: PloverMapping | None


@dataclass(frozen=True, slots=True)
class PloverType:
    """A PLOVER event type; ``mode_scores`` holds the manual's per-mode scores."""

    name: str
    quad_class: int
    score: float
    modes: tuple[str, ...]
    description: str
    mode_scores: tuple[tuple[str, float], ...] = ()

    def score_for(self, mode: str | None = None) -> float:
        """The score of this type with ``mode``, falling back to the type's score."""
        return dict(self.mode_scores).get(mode, self.score) if mode else self.score


def root_quad_class(root: str) -> int:
    """GDELT quad class of a CAMEO root: 01-05 -> 1, 06-09 -> 2, 10-14 -> 3, 15-20 -> 4."""
    n = int(root)
    return 1 if n <= 5 else 2 if n <= 9 else 3 if n <= 14 else 4


def _fail(source: str, line: int | None, message: str) -> KnowledgeBaseError:
    where = f"{source}:{line}" if line else source
    return KnowledgeBaseError(f"{where}: {message} (a packaged data file is malformed)")


def _rows(text: str, source: str, header: tuple[str, ...]) -> Iterator[tuple[int, list[str]]]:
    """Yield (line number, fields) of a TSV, checking the header; '#' lines are comments."""
    seen_header = False
    for lineno, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.split("\t")
        if not seen_header:
            if tuple(fields) != header:
                raise _fail(source, lineno, f"expected header {'<TAB>'.join(header)!r}")
            seen_header = True
            continue
        if len(fields) != len(header):
            raise _fail(source, lineno, f"expected {len(header)} tab-separated fields, "
                                        f"got {len(fields)}")
        yield lineno, fields
    if not seen_header:
        raise _fail(source, None, "file is empty")


def parse_cameo(text: str, source: str = "cameo.tsv") -> dict[str, CameoCode]:
    """Parse ``cameo.tsv``; codes come back with ``plover=None``."""
    codes: dict[str, CameoCode] = {}
    lines: dict[str, int] = {}
    for lineno, (code, name, score, quad) in _rows(
        text, source, ("code", "name", "goldstein", "quad_class")
    ):
        if not CODE_RE.fullmatch(code) or not 1 <= int(code[:2]) <= 20:
            raise _fail(source, lineno, f"bad CAMEO code {code!r}")
        if code in codes:
            raise _fail(source, lineno, f"duplicate code {code}")
        if not name.strip():
            raise _fail(source, lineno, f"code {code} has no name")
        try:
            goldstein = float(score)
        except ValueError:
            raise _fail(source, lineno, f"Goldstein score {score!r} is not a number") from None
        if not -10.0 <= goldstein <= 10.0:
            raise _fail(source, lineno, f"Goldstein score {goldstein} outside [-10, 10]")
        if quad != str(root_quad_class(code[:2])):
            raise _fail(source, lineno, f"quad class {quad!r} is wrong for root {code[:2]}")
        codes[code] = CameoCode(code, name, goldstein, int(quad), code[:2], None)
        lines[code] = lineno
    for code, lineno in lines.items():
        if len(code) > 2 and code[:-1] not in codes:
            raise _fail(source, lineno, f"code {code} has no parent in the file")
    return codes


def parse_mapping(
    text: str,
    source: str,
    codes: Mapping[str, CameoCode],
    types: Mapping[str, PloverType],
    contexts: tuple[str, ...],
) -> dict[str, PloverMapping | None]:
    """Parse ``cameo_plover.tsv``: exactly one row per CAMEO code, checked against PLOVER."""
    mapping: dict[str, PloverMapping | None] = {}
    for lineno, (code, ptype, mode, context) in _rows(
        text, source, ("cameo", "plover_type", "mode", "context")
    ):
        if code not in codes:
            raise _fail(source, lineno, f"{code!r} is not a code in cameo.tsv")
        if code in mapping:
            raise _fail(source, lineno, f"duplicate row for {code}")
        if not ptype:
            if mode or context:
                raise _fail(source, lineno, "mode or context given without a PLOVER type")
            mapping[code] = None
            continue
        if ptype not in types:
            raise _fail(source, lineno, f"unknown PLOVER type {ptype!r}")
        if mode and mode not in types[ptype].modes:
            raise _fail(source, lineno, f"{mode!r} is not a mode of {ptype}")
        tags = tuple(c for c in context.split(";") if c)
        for tag in tags:
            if tag not in contexts:
                raise _fail(source, lineno, f"unknown PLOVER context {tag!r}")
        mapping[code] = PloverMapping(ptype, mode or None, tags)
    missing = sorted(codes.keys() - mapping.keys())
    if missing:
        raise _fail(source, None, f"no row for CAMEO code(s) {', '.join(missing[:10])}")
    return mapping


def parse_plover(
    text: str, source: str = "plover.toml"
) -> tuple[dict[str, PloverType], tuple[str, ...]]:
    """Parse ``plover.toml`` into (event types by name, context names)."""
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        import tomli as tomllib  # type: ignore[no-redef]
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise _fail(source, None, str(exc)) from None
    contexts = doc.get("contexts")
    if not isinstance(contexts, list) or not all(isinstance(c, str) for c in contexts):
        raise _fail(source, _line_of(text, "contexts"), "'contexts' must be a list of names")
    tables = doc.get("types")
    if not isinstance(tables, dict) or not tables:
        raise _fail(source, None, "no [types.NAME] tables")
    types = {name: _plover_type(name, table, text, source) for name, table in tables.items()}
    return types, tuple(contexts)


def _plover_type(name: str, table: Any, text: str, source: str) -> PloverType:
    line = _line_of(text, f"[types.{name}]")

    def need(key: str, kind: type | tuple[type, ...]) -> Any:
        value = table.get(key) if isinstance(table, dict) else None
        if not isinstance(value, kind) or isinstance(value, bool):
            raise _fail(source, line, f"[types.{name}] needs {key!r}")
        return value

    quad = need("quad_class", int)
    score = float(need("score", (int, float)))
    modes = need("modes", list)
    description = need("description", str).strip()
    mode_scores = table.get("mode_scores", {})
    if quad not in (1, 2, 3, 4) or not (math.isfinite(score) and -10 <= score <= 10):
        raise _fail(source, line, f"[types.{name}] quad_class or score out of range")
    if not all(isinstance(m, str) and m for m in modes) or not description:
        raise _fail(source, line, f"[types.{name}] has a bad mode or an empty description")
    if not isinstance(mode_scores, dict) or not set(mode_scores) <= set(modes):
        raise _fail(source, line, f"[types.{name}] mode_scores names a mode not in modes")
    if not all(isinstance(s, (int, float)) and -10 <= s <= 10 for s in mode_scores.values()):
        raise _fail(source, line, f"[types.{name}] has a mode score that is not in [-10, 10]")
    pairs = tuple((m, float(s)) for m, s in mode_scores.items())
    return PloverType(name, quad, score, tuple(modes), description, pairs)


def _line_of(text: str, needle: str) -> int | None:
    """Line number where ``needle`` first starts a line, for error messages."""
    for lineno, line in enumerate(text.splitlines(), start=1):
        if line.lstrip().startswith(needle):
            return lineno
    return None


@dataclass(frozen=True, slots=True)
class CameoRoot:
    """What the coder and the monitor ask about one CAMEO root (``roots.toml``)."""

    root: str
    quad_class: int
    rung: int
    flags: frozenset[str]
    demand_parallel: str | None = None


def parse_roots(text: str, source: str, codes: Mapping[str, CameoCode]
                ) -> tuple[dict[str, CameoRoot], dict[str, str], tuple[str, ...]]:
    """Parse ``roots.toml`` into (roots by code, flag descriptions, rung names), checked
    against ``cameo.tsv``: every root once, its quad class as there, known flags, rungs in
    range."""
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        import tomli as tomllib  # type: ignore[no-redef]
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise _fail(source, None, str(exc)) from None
    flags = doc.get("flags")
    tables = doc.get("roots")
    rungs = doc.get("rungs")
    if not isinstance(rungs, list) or not rungs or not all(isinstance(r, str) for r in rungs):
        raise _fail(source, _line_of(text, "rungs"), "'rungs' must be a list of names")
    if not isinstance(flags, dict) or not all(isinstance(v, str) for v in flags.values()):
        raise _fail(source, None, "[flags] must map each flag to its description")
    if not isinstance(tables, dict):
        raise _fail(source, None, "no [roots.NN] tables")
    wanted = {c for c in codes if len(c) == 2}
    if set(tables) != wanted:
        missing, extra = sorted(wanted - set(tables)), sorted(set(tables) - wanted)
        raise _fail(source, None, f"roots missing {missing} or unknown {extra}")
    roots = {root: _root(root, table, codes[root], set(flags), len(rungs), text, source)
             for root, table in sorted(tables.items())}
    return roots, dict(flags), tuple(rungs)


def _root(root: str, table: Any, code: CameoCode, known: set[str], rungs: int,
          text: str, source: str) -> CameoRoot:
    line = _line_of(text, f"[roots.{root}]")
    if not isinstance(table, dict):
        raise _fail(source, line, f"[roots.{root}] is not a table")
    quad, rung, flags = table.get("quad"), table.get("rung"), table.get("flags", [])
    parallel = table.get("demand_parallel")
    if quad != code.quad_class:
        raise _fail(source, line, f"[roots.{root}] quad {quad!r} is not cameo.tsv's "
                                  f"{code.quad_class}")
    if not isinstance(rung, int) or isinstance(rung, bool) or not 0 <= rung < rungs:
        raise _fail(source, line, f"[roots.{root}] rung must be 0-{rungs - 1}")
    if not isinstance(flags, list) or not set(flags) <= known:
        raise _fail(source, line, f"[roots.{root}] flags {flags!r} name an unknown flag")
    if parallel is not None and not (isinstance(parallel, str) and CODE_RE.fullmatch(parallel)
                                     and len(parallel) == 2):
        raise _fail(source, line, f"[roots.{root}] demand_parallel must be a root")
    return CameoRoot(root, quad, rung, frozenset(flags), parallel)
