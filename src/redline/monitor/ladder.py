"""The escalation ladder and actor specs.

Rungs, lowest to highest, by CAMEO root: 0 cooperation (01-09), 1 verbal conflict (10 demand,
11 disapprove, 12 reject, 14 protest), 2 threat (13), 3 coercion and mobilisation (15 force
posture, 16 reduce relations, 17 coerce), 4 use of force (18 assault, 19 fight, 20 mass
violence). The table is ``redline/ontology/data/roots.toml``; NATO's members are those of its
row in the actor knowledge base's ``organisations.tsv``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from redline import ontology
from redline.article import party_of
from redline.knowledge import load_table

RUNGS: tuple[str, ...] = ontology.rung_names()

#: Where the knowledge base keeps its organisations (read as data: the monitor
#: imports no stage).
_ORGANISATIONS = ("redline.kb", "organisations.tsv")


def _members(code: str) -> frozenset[str]:
    """The member states (ISO3) of an organisation in ``organisations.tsv``."""
    for _, row in load_table(*_ORGANISATIONS):
        if row["code"] == code:
            return frozenset(m for m in row["members"].split(";") if m)
    raise KeyError(f"{code} is not in {_ORGANISATIONS[1]}")


#: NATO member states (ISO3), as listed in ``organisations.tsv``. Membership dates are not
#: modelled.
NATO_MEMBERS: frozenset[str] = _members("NATO")

#: Groups a spec may name with a trailing ``+``: the group itself and its members.
GROUPS: dict[str, frozenset[str]] = {"NATO": NATO_MEMBERS}


def rung_of(cameo_root: str | None) -> int | None:
    """The ladder rung (0-4) of a CAMEO root or code; None when unknown."""
    return ontology.root_rung(str(cameo_root)) if cameo_root else None


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
