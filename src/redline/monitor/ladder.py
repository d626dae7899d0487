"""The escalation ladder and actor specs.

Rungs, lowest to highest, by CAMEO root: 0 cooperation (01-09), 1 verbal conflict (10 demand,
11 disapprove, 12 reject, 14 protest), 2 threat (13), 3 coercion and mobilisation (15 force
posture, 16 reduce relations, 17 coerce), 4 use of force (18 assault, 19 fight, 20 mass
violence).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from redline.article import party_of

RUNGS: tuple[str, ...] = ("cooperation", "verbal conflict", "threat",
                          "coercion and mobilisation", "use of force")

_ROOT_RUNG: dict[str, int] = {
    **{f"{r:02d}": 0 for r in range(1, 10)},
    "10": 1, "11": 1, "12": 1, "14": 1,
    "13": 2,
    "15": 3, "16": 3, "17": 3,
    "18": 4, "19": 4, "20": 4,
}

#: NATO member states (ISO3), as of 2024. Membership dates are not modelled.
NATO_MEMBERS: frozenset[str] = frozenset(
    ["ALB", "BEL", "BGR", "CAN", "HRV", "CZE", "DNK", "EST", "FIN", "FRA", "DEU", "GRC",
    "HUN", "ISL", "ITA", "LVA", "LTU", "LUX", "MNE", "NLD", "MKD", "NOR", "POL", "PRT",
    "ROU", "SVK", "SVN", "ESP", "SWE", "TUR", "GBR", "USA"]
)

#: Groups a spec may name with a trailing ``+``: the group itself and its members.
GROUPS: dict[str, frozenset[str]] = {"NATO": NATO_MEMBERS}


def rung_of(cameo_root: str | None) -> int | None:
    """The ladder rung (0-4) of a CAMEO root or code; None when unknown."""
    if not cameo_root:
        return None
    return _ROOT_RUNG.get(str(cameo_root)[:2])


def rung_index(name: str | int) -> int:
    """A rung given by index or name (``"threat"``, ``"use of force"``, ``"force"``)."""
    if isinstance(name, int):
        if 0 <= name < len(RUNGS):
            return name
        raise ValueError(f"rung {name} is not between 0 and {len(RUNGS) - 1}")
    key = name.strip().lower().replace("_", " ")
    for i, rung in enumerate(RUNGS):
        if key == rung or key == rung.split()[-1] or key == rung.split()[0]:
            return i
    raise ValueError(f"unknown rung {name!r}; use one of: {', '.join(RUNGS)}")


def expand_actors(specs: str | Iterable[str] | None) -> tuple[str, ...]:
    """Actor specs, upper-cased, with ``GROUP+`` expanded to the group and its members.
    A comma-separated string is split."""
    if specs is None:
        return ()
    if isinstance(specs, str):
        specs = specs.split(",")
    out: list[str] = []
    for spec in specs:
        s = spec.strip().upper()
        if not s:
            continue
        if s.endswith("+") and s[:-1] in GROUPS:
            out.append(s[:-1])
            out.extend(sorted(GROUPS[s[:-1]]))
        else:
            out.append(s)
    return tuple(dict.fromkeys(out))


def actor_matches(event: Mapping[str, Any], role: str, specs: Iterable[str]) -> bool:
    """Whether the event's ``role`` (source/target) actor matches any spec: a code prefix
    (``RUS`` matches ``RUSMIL``) or a country, as the store's filters do."""
    code = event.get(f"{role}_code") or ""
    country = event.get(f"{role}_country") or ""
    return any(code.startswith(s) or country == s for s in specs)


def actor_key(event: Mapping[str, Any], role: str) -> str | None:
    """The actor a dyad is counted under: its country, else its code; an international actor
    (country ``IGO``, ``NGO``, ...) by its own code, so NATO and the UN are dyads apart."""
    return party_of(event.get(f"{role}_code"), event.get(f"{role}_country"),
                    event.get(f"{role}_sector"))
