"""CAMEO and PLOVER ontology tables: event codes, Goldstein scores, quad classes, mapping.

Three packaged data files, read once (lazily) and cached:

``data/cameo.tsv``
    Every CAMEO code (20 roots, 3- and 4-digit codes) with its name, Goldstein score and
    GDELT quad class (1 verbal cooperation, 2 material cooperation, 3 verbal conflict,
    4 material conflict; by root: 01-05, 06-09, 10-14, 15-20).
``data/plover.toml``
    The 16 PLOVER event types (quad class, score, modes) and the PLOVER context names.
``data/roots.toml``
    Per CAMEO root: its escalation-ladder rung and the flags the coder, the where stage,
    the monitor and the scorers ask about (:func:`root_has`, :func:`root_rung`): the one
    place a set of roots ("speech acts", "use of force") is written down.
``data/cameo_plover.tsv``
    One row per CAMEO code: PLOVER type, mode and contexts. Built from Schrodt's
    CAMEO2PLOVER-2021 table, normalised to the current PLOVER manual (dropped modes
    removed or renamed, e.g. ASSAULT ``assassinate``/``massacre`` -> ``targeted``;
    ``democracy`` -> ``pro_democracy`` and ``humanitarian`` -> ``human_security``
    contexts; 163 -> SANCTION; the manual's old type name FIGHT -> ASSAULT). The full
    list of changes is at the top of that file and in ``_build.py``, which regenerates
    the TSVs from the reference files.

Unmapped codes: PLOVER drops CAMEO root 01 (MAKE PUBLIC STATEMENT), so every code under it
has no PLOVER type and :func:`cameo_to_plover` returns ``None``. PLOVER's table drops 02
(APPEAL) too, but its REQUEST type covers all requests, so redline maps 02X like 10X.
Every other code maps to one of the 16 types.

A malformed data file raises :class:`redline.errors.KnowledgeBaseError` naming the file
and line. Unknown codes raise :class:`KeyError`.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, replace
from importlib import resources
from types import MappingProxyType

from redline.ontology._tables import (
    CameoCode,
    CameoRoot,
    PloverMapping,
    PloverType,
    parse_cameo,
    parse_mapping,
    parse_plover,
    parse_roots,
)

__all__ = [
    "CameoCode",
    "CameoRoot",
    "PloverMapping",
    "PloverType",
    "QUADS",
    "UNMAPPED_ROOTS",
    "cameo",
    "cameo_codes",
    "cameo_to_plover",
    "children",
    "goldstein",
    "is_cameo_code",
    "plover_contexts",
    "plover_score",
    "plover_types",
    "quad_class",
    "quad_name",
    "demand_parallel",
    "root_has",
    "root_name",
    "root_rung",
    "rung_names",
]

CAMEO_FILE = "cameo.tsv"
PLOVER_FILE = "plover.toml"
MAPPING_FILE = "cameo_plover.tsv"
ROOTS_FILE = "roots.toml"

#: CAMEO roots PLOVER drops; their codes map to no PLOVER type. (PLOVER's table also drops
#: 02 APPEAL; redline maps appeals to REQUEST like the parallel 10 DEMAND codes.)
UNMAPPED_ROOTS = ("01",)

#: The four GDELT quad classes by number: the one table every display of their names reads.
QUADS: MappingProxyType[int, str] = MappingProxyType({
    1: "verbal cooperation",
    2: "material cooperation",
    3: "verbal conflict",
    4: "material conflict",
})


def quad_name(quad: int, *, short: bool = False) -> str:
    """The name of quad class ``quad`` (1-4); ``short`` writes "coop" for "cooperation"."""
    name = QUADS[quad]
    return name.replace("cooperation", "coop") if short else name


@dataclass(frozen=True)
class _Tables:
    codes: dict[str, CameoCode]
    types: dict[str, PloverType]
    contexts: tuple[str, ...]
    children: dict[str, list[str]]


def _read(name: str) -> str:
    """Text of a packaged data file."""
    return (resources.files(__name__) / "data" / name).read_text(encoding="utf-8")


@functools.cache
def _load() -> _Tables:
    types, contexts = parse_plover(_read(PLOVER_FILE), PLOVER_FILE)
    codes = parse_cameo(_read(CAMEO_FILE), CAMEO_FILE)
    mapping = parse_mapping(_read(MAPPING_FILE), MAPPING_FILE, codes, types, contexts)
    codes = {code: replace(entry, plover=mapping[code]) for code, entry in codes.items()}
    kids: dict[str, list[str]] = {code: [] for code in codes}
    for code in codes:
        if len(code) > 2:
            kids[code[:-1]].append(code)
    return _Tables(codes, types, contexts, kids)


@dataclass(frozen=True)
class _Roots:
    roots: dict[str, CameoRoot]
    flags: dict[str, str]
    rungs: tuple[str, ...]


@functools.cache
def _load_roots() -> _Roots:
    return _Roots(*parse_roots(_read(ROOTS_FILE), ROOTS_FILE, _load().codes))


def _root_of(code: str) -> CameoRoot | None:
    return _load_roots().roots.get(str(code).strip()[:2]) if code else None


def root_has(code: str | None, flag: str) -> bool:
    """Whether the CAMEO root of ``code`` (a root or any code under it) has ``flag`` in
    ``roots.toml`` ("speech_act", "force", ...); False for no or an unknown code.
    ``KeyError`` for a flag the file does not define (a typo must not read as False)."""
    if flag not in _load_roots().flags:
        raise KeyError(f"unknown CAMEO root flag {flag!r} (see {ROOTS_FILE})")
    root = _root_of(code) if code else None
    return root is not None and flag in root.flags


def root_rung(code: str | None) -> int | None:
    """The escalation-ladder rung (index into :func:`rung_names`) of the root of ``code``;
    None for no or an unknown code."""
    root = _root_of(code) if code else None
    return root.rung if root is not None else None


def rung_names() -> tuple[str, ...]:
    """The ladder's rung names, lowest first."""
    return _load_roots().rungs


def demand_parallel(code: str) -> str | None:
    """The code that demands what ``code`` announces (intent 0334 -> demand 1034), its root
    when the parallel code does not exist; None when the root has no parallel."""
    root = _root_of(code)
    if root is None or root.demand_parallel is None:
        return None
    parallel = root.demand_parallel + code.strip()[2:]
    return parallel if parallel in _load().codes else root.demand_parallel + "0"


def cameo_codes() -> dict[str, CameoCode]:
    """All CAMEO codes, keyed by code, in code order (a fresh dict each call)."""
    return dict(_load().codes)


def cameo(code: str) -> CameoCode:
    """The CAMEO entry for ``code``, e.g. ``"190"``; ``KeyError`` if there is none."""
    try:
        return _load().codes[code.strip()]
    except (KeyError, AttributeError):
        raise KeyError(f"unknown CAMEO event code {code!r} (expected e.g. '19', '190' "
                       f"or '1823')") from None


def is_cameo_code(code: object) -> bool:
    """Whether ``code`` is a known CAMEO code string."""
    return isinstance(code, str) and code.strip() in _load().codes


def cameo_to_plover(code: str) -> PloverMapping | None:
    """PLOVER type/mode/context for ``code``; ``None`` for codes PLOVER drops (01x)."""
    return cameo(code).plover


def quad_class(code: str) -> int:
    """GDELT quad class (1-4) of ``code``."""
    return cameo(code).quad_class


def goldstein(code: str) -> float:
    """Goldstein score (-10..10) of ``code``."""
    return cameo(code).goldstein


def children(code: str) -> list[str]:
    """Direct sub-codes of ``code`` (``"02"`` -> ``["020", ..., "028"]``); [] for a leaf."""
    return list(_load().children[cameo(code).code])


def root_name(root: str) -> str:
    """Name of the two-digit root of ``root`` (a root or any code under it)."""
    return cameo(cameo(root).root).name


def plover_types() -> dict[str, PloverType]:
    """The 16 PLOVER event types, keyed by name (a fresh dict each call)."""
    return dict(_load().types)


def plover_contexts() -> tuple[str, ...]:
    """Names of the PLOVER contexts."""
    return _load().contexts


def plover_score(name: str, mode: str | None = None) -> float:
    """PLOVER score of an event type, refined by ``mode`` where the manual scores it."""
    try:
        ptype = _load().types[name]
    except KeyError:
        raise KeyError(f"unknown PLOVER event type {name!r}") from None
    return ptype.score_for(mode)
