"""Format checks for the predicate lexicon data file ``redline/events/data/predicates.tsv``.

The file is read with the csv module only (no engine code), so these tests guard the data
contract between the lexicon and the coder: header, pattern mini-language, CAMEO codes,
confidence range, duplicates, and coverage of the 20 CAMEO roots.
"""

from __future__ import annotations

import csv
import re
from collections import Counter
from importlib import resources

import pytest

try:
    from redline.ontology import is_cameo_code
except ImportError:  # the ontology module may not be ready yet
    _CODE_RE = re.compile(r"^(0[1-9]|1[0-9]|20)\d{0,2}$")

    def is_cameo_code(code: object) -> bool:
        return isinstance(code, str) and bool(_CODE_RE.match(code))


HEADER = ["pattern", "cameo", "confidence", "note"]
ROOTS = [f"{i:02d}" for i in range(1, 21)]
#: statement verbs that must never be event triggers (quotations are handled elsewhere)
FORBIDDEN_TRIGGERS = {"say", "tell", "add", "state", "note"}

_LEMMA = r"[a-z]+"
_PHRASAL = r"[a-z]+(?:_[a-z]+)?"
TRIGGER_RES = {
    "V": re.compile(rf"^V:({_PHRASAL})$"),
    "N": re.compile(rf"^N:({_LEMMA})$"),
}
#: constraint kinds in the order they must appear after the trigger
CONSTRAINT_RES = {
    "+O": re.compile(rf"^\+O:{_LEMMA}(?:\|{_LEMMA})*$"),
    "+C": re.compile(rf"^\+C:{_PHRASAL}(?:\|{_PHRASAL})*$"),
    "+M": re.compile(rf"^\+M:{_LEMMA}(?:\|{_LEMMA})*$"),
    "+P": re.compile(rf"^\+P:{_LEMMA}(?:\|{_LEMMA})*$"),
    ">": re.compile(rf"^>{_LEMMA}(?:\|{_LEMMA})*$"),
}
ORDER = list(CONSTRAINT_RES)


def _lines() -> list[str]:
    path = resources.files("redline.events").joinpath("data/predicates.tsv")
    return path.read_text(encoding="utf-8").splitlines()


def _table() -> tuple[list[str], list[list[str]]]:
    data = [ln for ln in _lines() if not ln.startswith("#")]
    rows = list(csv.reader(data, delimiter="\t", quoting=csv.QUOTE_NONE))
    return rows[0], rows[1:]


HEADER_ROW, ROWS = _table()


def _kind(token: str) -> str:
    return ">" if token.startswith(">") else token[:2]


def parse_pattern(pattern: str) -> tuple[str, str, dict[str, list[str]]]:
    """(trigger kind, trigger lemma, {constraint kind: items}); ValueError when malformed."""
    tokens = pattern.split(" ")
    if not pattern or any(not t for t in tokens):
        raise ValueError("empty token (tokens must be separated by single spaces)")
    head, rest = tokens[0], tokens[1:]
    kind = head[:1]
    match = TRIGGER_RES[kind].match(head) if kind in TRIGGER_RES else None
    if match is None:
        raise ValueError(f"bad trigger {head!r}")
    constraints: dict[str, list[str]] = {}
    if rest and rest[0] == "~undergoer":
        if kind != "V":
            raise ValueError("~undergoer applies to verb triggers only")
        constraints["~"] = ["undergoer"]
        rest = rest[1:]
    last = -1
    for token in rest:
        ckind = _kind(token)
        if ckind not in CONSTRAINT_RES or not CONSTRAINT_RES[ckind].match(token):
            raise ValueError(f"bad constraint token {token!r}")
        position = ORDER.index(ckind)
        if position <= last:
            raise ValueError(f"{token!r} repeated or out of order (order: +O +C +M +P >)")
        last = position
        items = token[1:].split("|") if ckind == ">" else token[3:].split("|")
        if len(set(items)) != len(items):
            raise ValueError(f"repeated item in {token!r}")
        constraints[ckind] = items
    if "+M" in constraints and kind != "N":
        raise ValueError("+M applies to noun triggers only")
    return kind, match.group(1), constraints


def test_file_has_rows():
    assert len(ROWS) >= 350


def test_header():
    assert HEADER_ROW == HEADER


def test_no_blank_lines():
    blank = [i for i, ln in enumerate(_lines(), 1) if not ln.strip()]
    assert not blank, f"blank lines at {blank[:10]}"


def test_rows_well_formed():
    bad = []
    for row in ROWS:
        if len(row) != 4:
            bad.append(("fields", row))
        elif any(f != f.strip() or not f for f in row):
            bad.append(("empty or padded field", row))
        elif any('"' in f for f in row):
            bad.append(("double quote", row))
    assert not bad, bad[:10]


def test_pattern_grammar():
    bad = []
    for row in ROWS:
        try:
            parse_pattern(row[0])
        except ValueError as exc:
            bad.append((row[0], str(exc)))
    assert not bad, bad[:10]


@pytest.mark.parametrize(
    "pattern",
    [
        "V:threaten",
        "V:crack_down >on",
        "V:threaten +O:aid|funding +C:cut|withhold >with",
        "N:strike +M:air|drone >on|against",
        "V:urge +C:step_down",
    ],
)
def test_grammar_accepts(pattern):
    parse_pattern(pattern)


@pytest.mark.parametrize(
    "pattern",
    [
        "",
        "V:Threaten",
        "threaten",
        "V:threaten  +O:force",
        "V:threaten >with +O:force",
        "V:threaten +O:force +O:war",
        "V:strike +M:air",
        "N:air_strike",
        "V:urge +O:cease-fire",
        "V:urge +O:talk|talk",
        "V:threaten =T",
    ],
)
def test_grammar_rejects(pattern):
    with pytest.raises(ValueError):
        parse_pattern(pattern)


def test_cameo_codes_exist():
    bad = [row[:2] for row in ROWS if not re.fullmatch(r"\d{2,4}", row[1])]
    bad += [row[:2] for row in ROWS if not is_cameo_code(row[1])]
    assert not bad, bad[:10]


def test_no_catch_all_statement_code():
    assert not [row[0] for row in ROWS if row[1] == "010"]


def test_confidence_range():
    bad = []
    for row in ROWS:
        try:
            value = float(row[2])
        except ValueError:
            bad.append(row[:3])
            continue
        if not 0.3 <= value <= 0.95:
            bad.append(row[:3])
    assert not bad, bad[:10]


def test_no_duplicate_patterns():
    exact = Counter(row[0] for row in ROWS)
    assert not [p for p, n in exact.items() if n > 1]

    def canonical(pattern: str) -> str:
        kind, lemma, constraints = parse_pattern(pattern)
        parts = [f"{kind}:{lemma}"]
        parts += [f"{k}{'|'.join(sorted(v))}" for k, v in sorted(constraints.items())]
        return " ".join(parts)

    same = Counter(canonical(row[0]) for row in ROWS)
    assert not [p for p, n in same.items() if n > 1]


def test_no_statement_verb_triggers():
    bad = []
    for row in ROWS:
        _, lemma, _ = parse_pattern(row[0])
        if lemma.split("_")[0] in FORBIDDEN_TRIGGERS:
            bad.append(row[0])
    assert not bad, bad


def test_every_root_has_patterns():
    per_root = Counter(row[1][:2] for row in ROWS)
    thin = {root: per_root.get(root, 0) for root in ROOTS if per_root.get(root, 0) < 3}
    assert not thin, thin


def test_noun_classes_file() -> None:
    from redline.events.coder import noun_classes

    classes = noun_classes()
    assert set(classes) == {"container", "force_act", "reciprocal", "object_control"}
    assert "round" in classes["container"] and "bombing" in classes["force_act"]
    assert "trade" in classes["reciprocal"] and "train" in classes["object_control"]
    assert not classes["container"] & classes["force_act"]
