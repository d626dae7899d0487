"""Property-based tests of the watchlist rule loader (``redline.monitor.watch.load_rules``):
any rules file, TOML-looking or not, gives rules that can fire or one ``RuleError`` line."""

from __future__ import annotations

import json
import math
import os
from pathlib import Path

import pytest
from fuzz_strategies import any_char, bounded, mangled, odd_chars
from hypothesis import given
from hypothesis import strategies as st

from redline.monitor.watch import MODALITIES, ONCE, Rule, RuleError, load_rules, parse_rules

KEYS = ["name", "description", "source", "target", "plover", "cameo", "rungs", "min_rung",
        "min_confidence", "min_corroboration", "modality", "once", "extra", "rule", ""]
GOOD = {
    "name": st.sampled_from(["a", "rus-pol", "Правило 1", " x "]),
    "source": st.sampled_from(["RUS", "NATO+", "RUS, POL", "", " , "]),
    "target": st.sampled_from(["POL", "UKRMIL", "NATO+"]),
    "plover": st.sampled_from(["THREATEN", "assault", "NOPE"]),
    "cameo": st.sampled_from(["13", "0", "138", "19x", "12345"]),
    "rungs": st.sampled_from(["threat", "use of force", "talk", 0, 3, 99]),
    "min_rung": st.sampled_from(["threat", 2, -1, 2.5]),
    "modality": st.sampled_from([*MODALITIES, "maybe"]),
    "once": st.sampled_from([*ONCE, "always"]),
}

toml_text = st.text(st.one_of(any_char, odd_chars), max_size=20)
toml_scalar = st.one_of(
    st.booleans(), st.integers(), st.integers(-(2**70), 2**70), st.floats(), toml_text,
    st.sampled_from(["1979-05-27", "1979-05-27T07:32:00Z", "07:32:00", "9999-12-31",
                     "0000-01-01"]).map(lambda s: ("raw", s)))
toml_value = st.recursive(toml_scalar, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.sampled_from(KEYS), inner, max_size=3)),
    max_leaves=8)


def _key(key: str) -> str:
    return key if key and key.replace("_", "").replace("-", "").isalnum() and key.isascii() \
        else json.dumps(key)


def toml(value: object) -> str:
    """A TOML value written by hand (json.dumps quoting is TOML's basic string, except for
    lone surrogates, which TOML must refuse)."""
    if isinstance(value, tuple):
        return value[1]
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        return repr(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return json.dumps(value)
    if isinstance(value, list):
        return "[" + ", ".join(toml(v) for v in value) + "]"
    return "{" + ", ".join(f"{_key(k)} = {toml(v)}" for k, v in value.items()) + "}"


@st.composite
def rules_files(draw: st.DrawFn) -> bytes:
    kind = draw(st.sampled_from(["rules", "rules", "rules", "bytes", "text", "deep"]))
    if kind == "bytes":
        return draw(st.binary(max_size=300))
    if kind == "text":
        return draw(toml_text).encode("utf-8", "surrogatepass")
    if kind == "deep":
        n = draw(st.sampled_from([10, 1000, 100_000]))
        return (draw(st.sampled_from(["a = ", "[[rule]]\nsource = "])) +
                draw(st.sampled_from(["[", "{x = "])) * n).encode()
    lines = []
    for _ in range(draw(st.integers(0, 3))):
        lines.append(draw(st.sampled_from(["[[rule]]", "[[rule]]", "[rule]", "[[rules]]",
                                           "[[rule.x]]", "[x]"])))
        for key in draw(st.lists(st.sampled_from(KEYS), max_size=6, unique=True)):
            good = GOOD.get(key)
            if good is not None and draw(st.booleans()):
                value = draw(st.one_of(good, st.lists(good, max_size=3)))
            else:
                value = draw(toml_value)
            lines.append(f"{_key(key)} = {toml(value)}")
    text = draw(st.sampled_from(["\n", "\r\n", "\r"])).join(lines)
    return draw(mangled(text.encode("utf-8", "surrogatepass")))


@pytest.fixture(scope="module")
def rules_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("rules") / "rules.toml"


def check_rules(rules: list[Rule]) -> None:
    """Loaded rules can fire and do not match everything by accident."""
    assert rules and all(isinstance(r, Rule) for r in rules)
    assert len({r.name for r in rules}) == len(rules)
    for r in rules:
        assert r.name.strip() and r.modality and set(r.modality) <= set(MODALITIES)
        assert r.once in ONCE and 0.0 <= r.min_confidence <= 1.0 and r.min_corroboration >= 1
        assert all(s.strip() for s in (*r.source, *r.target, *r.plover, *r.cameo))


@given(data=rules_files())
def test_fuzz_rules_file(rules_path: Path, data: bytes) -> None:
    rules_path.write_bytes(data)
    try:
        with bounded():
            rules = load_rules(rules_path)
    except RuleError as e:
        message = str(e)
        assert message.startswith(os.fspath(rules_path)), message
        assert "\n" not in message and "\r" not in message, message
        return
    check_rules(rules)


@given(doc=st.dictionaries(st.sampled_from(["rule", "x", ""]), st.one_of(
    toml_value, st.lists(st.dictionaries(st.sampled_from(KEYS), toml_value, max_size=5),
                         max_size=3)), max_size=2))
def test_fuzz_parsed_rules(doc: dict) -> None:
    """Already-parsed TOML of any shape (``parse_rules``, as ``tomllib`` would give it)."""
    doc = json.loads(json.dumps(doc))  # tuples become lists, as in parsed TOML
    try:
        with bounded():
            rules = parse_rules(doc, "rules.toml")
    except RuleError as e:
        assert str(e).startswith("rules.toml") and "\n" not in str(e)
        return
    check_rules(rules)
