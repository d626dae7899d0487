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
            # "from redline import ontology" imports the module redline.ontology, "from
            # redline import __version__" the package root itself
            names.update(source if a.name == "*" else f"{source}.{a.name}" for a in node.names)
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
    assert ("redline.actors.stage", "redline.kb.gazetteer") in graph  # inside a function
    assert ("redline.web.data", "redline.ontology") in graph  # from redline import ontology
    assert ("redline.web.data", "redline") not in graph  # ... which is not the package root
    assert ("redline", "redline.actors.resolver") in graph  # lazy, in __getattr__


def test_no_stage_imports_another_stage():
    new = _crossing(STAGES) - KNOWN
    assert not new, f"new cross-stage imports (move the shared code to a neutral module): {new}"


def test_known_cross_stage_imports_still_exist():
    gone = KNOWN - _crossing(STAGES)
    assert not gone, f"these KNOWN imports are gone: strike them from the list: {gone}"


def test_store_monitor_and_web_import_no_stage():
    found = _crossing(READERS)
    assert not found, f"the read side imports a stage: {found}"


def _reach(start: str, graph: set[tuple[str, str]]) -> dict[str, str]:
    """Every module ``start`` imports, directly or through others: module -> the module that
    imports it on the first path found."""
    edges: dict[str, set[str]] = {}
    for a, b in graph:
        edges.setdefault(a, set()).add(b)
    seen: dict[str, str] = {}
    todo = [start]
    while todo:
        here = todo.pop()
        for there in sorted(edges.get(here, ())):
            if there not in seen and there != start:
                seen[there] = here
                todo.append(there)
    return seen


def _path(start: str, end: str, via: dict[str, str]) -> str:
    hops = [end]
    while hops[-1] != start:
        hops.append(via[hops[-1]])
    return " -> ".join(reversed(hops))


def test_the_read_side_reaches_no_stage_not_even_through_the_package_root():
    # The root's lazy attributes (redline.code, redline.resolve_actor) import the pipeline and
    # the actor resolver: a module that imports the root (for __version__, say) reaches them.
    graph = _graph()
    modules = sorted({a for a, _ in graph if _package(a) in READERS})
    assert "redline.store.writer" in modules and "redline.web.app" in modules
    found = []
    for module in modules:
        via = _reach(module, graph)
        found += [_path(module, m, via) for m in via if _package(m) in STAGES]
    assert not found, "the read side reaches a stage:\n" + "\n".join(found[:10])


def test_the_knowledge_base_reaches_no_stage():
    graph = _graph()
    for module in ("redline.kb", "redline.kb.actors", "redline.kb.gazetteer", "redline.cache"):
        via = _reach(module, graph)
        stages = [_path(module, m, via) for m in via if _package(m) in STAGES]
        assert not stages, stages
