"""The package import graph keeps its layers: stages do not import each other, and the
read side (store, monitor, web) does not import a stage.

Every ``import`` and ``from ... import`` in ``src/redline`` counts, at module level or inside a
function (a lazy import is still a dependency). An edge is named by the importing module and
the module it imports from; :data:`KNOWN` lists the cross-stage edges that exist today, so a
new one fails the test, and an entry that is gone fails it too (strike it from the list).
"""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"
PACKAGE = SRC / "redline"

#: The pipeline stages: none may import another.
STAGES = frozenset({"actors", "events", "quotes", "when", "where"})
#: The read side: none may import a stage.
READERS = frozenset({"store", "monitor", "web"})

#: Cross-stage imports that exist today (importer module, imported module). Shrink it; never
#: add to it without moving the shared code to a neutral module (redline.knowledge,
#: redline.syntax, redline.ontology ...) instead.
KNOWN: frozenset[tuple[str, str]] = frozenset({
    # The actor stage asks the gazetteer (lazily, in a function) whether a named entity is a
    # place or city rather than an actor.
    ("redline.actors.stage", "redline.where.gazetteer"),
    # The gazetteer checks region countries against the actor knowledge base and keys its
    # disk cache on the KB's sources.
    ("redline.where.gazetteer", "redline.actors.kb"),
    # Place phrases read a country from one word or its adjective in the actor KB.
    ("redline.where.phrases", "redline.actors.kb"),
    # Background cues read the speech verbs of the events stage's modality table (lazily).
    ("redline.when.history", "redline.events.modality"),
})


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _exists(module: str) -> bool:
    path = SRC.joinpath(*module.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def _resolve(name: str) -> str:
    """The longest prefix of a dotted name that is a module under ``src`` ("redline.a.b.f"
    -> "redline.a.b" when f is a function of redline/a/b.py)."""
    parts = name.split(".")
    for n in range(len(parts), 0, -1):
        if _exists(".".join(parts[:n])):
            return ".".join(parts[:n])
    return name


def _imports(path: Path) -> set[str]:
    """The redline modules ``path`` imports, wherever in the file the import statement is."""
    module = _module_name(path)
    package = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - (node.level - 1)]
                source = ".".join([*base, *([node.module] if node.module else [])])
            else:
                source = node.module or ""
            names.add(source)
            names.update(f"{source}.{a.name}" for a in node.names if a.name != "*")
    found = {_resolve(n) for n in names if n == "redline" or n.startswith("redline.")}
    found.discard(module)
    return found


def _graph() -> set[tuple[str, str]]:
    return {(_module_name(p), target)
            for p in sorted(PACKAGE.rglob("*.py")) for target in _imports(p)}


def _package(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def _crossing(importers: frozenset[str]) -> set[tuple[str, str]]:
    return {(a, b) for a, b in _graph()
            if _package(a) in importers and _package(b) in STAGES
            and _package(a) != _package(b)}


def test_the_graph_sees_module_and_function_level_imports():
    graph = _graph()
    assert ("redline.where.stage", "redline.syntax") in graph
    assert ("redline.actors.stage", "redline.where.gazetteer") in graph  # inside a function
    assert ("redline.web.data", "redline.ontology") in graph  # from redline import ontology


def test_no_stage_imports_another_stage():
    new = _crossing(STAGES) - KNOWN
    assert not new, f"new cross-stage imports (move the shared code to a neutral module): {new}"


def test_known_cross_stage_imports_still_exist():
    gone = KNOWN - _crossing(STAGES)
    assert not gone, f"these KNOWN imports are gone: strike them from the list: {gone}"


def test_store_monitor_and_web_import_no_stage():
    found = _crossing(READERS)
    assert not found, f"the read side imports a stage: {found}"
