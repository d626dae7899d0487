"""CAMEO roots are asked about through ``redline.ontology`` (``roots.toml``), never written as
string literals elsewhere in the code: a set of roots in Python is a second copy that drifts."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import redline

SRC = Path(redline.__file__).parent
ROOT_LITERAL = re.compile(r"(0[1-9]|1\d|20)")
#: (file relative to src/redline, literal) pairs that are not CAMEO roots.
ALLOWED: frozenset[tuple[str, str]] = frozenset()


def _not_code(tree: ast.AST) -> set[int]:
    """ids of the string constants that are docstrings (module, class, function) or format
    specs (``f"{name:10}"``)."""
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.FormattedValue) and node.format_spec is not None:
            out.update(id(n) for n in ast.walk(node.format_spec))
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                out.add(id(body[0].value))
    return out


def root_literals(path: Path) -> list[tuple[int, str]]:
    """(line, literal) of every two-digit CAMEO root written as a string in ``path``."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docs = _not_code(tree)
    return [(node.lineno, node.value) for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str)
            and id(node) not in docs and ROOT_LITERAL.fullmatch(node.value)]


def test_finder_sees_a_root_literal(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text('"""Doc "13"."""\nX = "13"\nY = code[:2] in ("18", "19")\nZ = "130"\n'
                      'W = f"{name:10}"\n')
    assert root_literals(sample) == [(2, "13"), (3, "18"), (3, "19")]


def test_no_cameo_root_literal_outside_ontology() -> None:
    found = []
    for path in sorted(SRC.rglob("*.py")):
        rel = path.relative_to(SRC).as_posix()
        if rel.startswith("ontology/"):
            continue
        found += [f"{rel}:{line}: {value!r}" for line, value in root_literals(path)
                  if (rel, value) not in ALLOWED]
    assert not found, "CAMEO roots written outside redline.ontology (use ontology.root_has):\n" \
        + "\n".join(found)


def test_root_flags_and_rungs() -> None:
    from redline import ontology

    assert ontology.root_has("190", "force") and ontology.root_has("19", "attack")
    assert not ontology.root_has("042", "force") and not ontology.root_has(None, "force")
    assert [ontology.root_rung(f"{n:02d}") for n in (1, 10, 13, 15, 19)] == [0, 1, 2, 3, 4]
    assert ontology.root_rung("99") is None and ontology.rung_names()[2] == "threat"
    assert ontology.demand_parallel("0334") == "1034" and ontology.demand_parallel("19") is None
    try:
        ontology.root_has("19", "forse")
    except KeyError as exc:
        assert "forse" in str(exc)
    else:
        raise AssertionError("an unknown flag must not read as False")


def test_roots_file_checked_against_cameo() -> None:
    import pytest

    from redline import ontology
    from redline.errors import KnowledgeBaseError
    from redline.ontology import _tables

    text = ontology._read(ontology.ROOTS_FILE)
    codes = ontology.cameo_codes()
    roots, flags, rungs = _tables.parse_roots(text, "roots.toml", codes)
    assert len(roots) == 20 and "force" in flags and len(rungs) == 5
    bad_quad = text.replace("[roots.19]\nquad = 4", "[roots.19]\nquad = 3")
    with pytest.raises(KnowledgeBaseError, match=r"roots.toml:\d+: \[roots.19\] quad"):
        _tables.parse_roots(bad_quad, "roots.toml", codes)
    bad_flag = text.replace('"force", "attack"', '"forse", "attack"', 1)
    with pytest.raises(KnowledgeBaseError, match="unknown flag"):
        _tables.parse_roots(bad_flag, "roots.toml", codes)
    missing = text.replace("[roots.20]", "[not_a_root]")
    with pytest.raises(KnowledgeBaseError, match="roots missing"):
        _tables.parse_roots(missing, "roots.toml", codes)
