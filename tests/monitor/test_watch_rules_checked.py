"""Malformed watchlists: every fault is one RuleError line naming the file, the rule and the
field, never a traceback, and no rule that never fires or fires on everything is accepted."""

from __future__ import annotations

import itertools
import math
import os
import tomllib
from pathlib import Path

import pytest
from click.testing import CliRunner
from monitor_corpus import articles, write

from redline import monitor
from redline.cli.main import cli
from redline.monitor.watch import MAX_RULES_BYTES, RuleError

_HEAD = '[[rule]]\nname = "r1"\n'

# (a line added to a valid rule, the field the message must name, a word it must contain)
BAD_FIELDS = [
    ("min_rung = 2.5", "min_rung", "fraction"),
    ("min_rung = [1, 2]", "min_rung", "list"),
    ("min_rung = true", "min_rung", "boolean"),
    ("min_rung = 7", "min_rung", "between"),
    ("min_rung = -1", "min_rung", "between"),
    ("rungs = [[1, 2]]", "rungs", "list"),
    ("rungs = [true]", "rungs", "boolean"),
    ("rungs = []", "rungs", "empty"),
    ("rungs = [{a = 1}]", "rungs", "table"),
    ("min_confidence = nan", "min_confidence", "between"),
    ("min_confidence = inf", "min_confidence", "between"),
    ("min_confidence = 1.5", "min_confidence", "between"),
    ("min_confidence = -0.1", "min_confidence", "between"),
    ("min_confidence = true", "min_confidence", "boolean"),
    ('min_confidence = "high"', "min_confidence", "string"),
    ("min_corroboration = 1.9", "min_corroboration", "whole number"),
    ("min_corroboration = 0", "min_corroboration", "between"),
    ("min_corroboration = -3", "min_corroboration", "between"),
    ("min_corroboration = true", "min_corroboration", "boolean"),
    ("min_corroboration = 1979-05-27", "min_corroboration", "date"),
    ('modality = ["maybe"]', "modality", "asserted, negated, hypothetical, future"),
    ("modality = []", "modality", "matches nothing"),
    ("modality = [1]", "modality", "integer"),
    ('source = [""]', "source", "empty string"),
    ('source = "  "', "source", "empty string"),
    ("source = []", "source", "empty list"),
    ("source = [1, 2]", "source", "integer"),
    ("target = [[\"RUS\"]]", "target", "list"),
    ("target = {code = \"RUS\"}", "target", "table"),
    ("plover = [\"\"]", "plover", "empty string"),
    ("cameo = [13]", "cameo", "strings"),
    ("cameo = 13", "cameo", "strings"),
    ('cameo = ["1x"]', "cameo", "CAMEO code"),
    ('cameo = ["1"]', "cameo", "CAMEO code"),
    ("once = 1", "once", "integer"),
    ('once = "sometimes"', "once", "cluster, dyad, rule"),
    ("description = []", "description", "list"),
    ('colour = "red"', "unknown keys colour", "known keys"),
]


def _file(tmp_path: Path, text: str | bytes) -> Path:
    path = tmp_path / "rules.toml"
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text)
    return path


@pytest.mark.parametrize(("line", "key", "word"), BAD_FIELDS)
def test_bad_field_is_one_line_naming_file_rule_and_field(tmp_path: Path, line: str,
                                                          key: str, word: str):
    path = _file(tmp_path, _HEAD + line + "\n")
    with pytest.raises(RuleError) as err:
        monitor.load_rules(path)
    message = str(err.value)
    assert "\n" not in message
    assert message.startswith(f"{path}: rule 1 (r1): {key}"), message
    assert word in message, message


@pytest.mark.parametrize(("text", "word"), [
    ('[[rule]]\nname = 5\n', "name must be a string"),
    ('[[rule]]\nname = ""\n', "name must be 1 to 200"),
    ('[[rule]]\nname = "a"\n[[rule]]\nname = "a"\n', "rule 2 (a): rule names must be unique"),
    ("rule = [1, 2]\n", "rule 1: must be a table"),
    ('[rule]\nname = "x"\n', "no [[rule]] tables"),
    ('[[rules]]\nname = "x"\n', "unknown top-level keys rules"),
    ("", "no [[rule]] tables"),
    ("[[rule]\n", "not valid TOML"),
])
def test_bad_structure(tmp_path: Path, text: str, word: str):
    with pytest.raises(RuleError) as err:
        monitor.load_rules(_file(tmp_path, text))
    assert word in str(err.value) and "\n" not in str(err.value)


@pytest.mark.parametrize("nested", [
    "x = " + "[" * 5000 + "]" * 5000,
    "x = " + "{a = " * 5000 + "1" + "}" * 5000,
])
def test_deep_nesting_is_refused_not_a_recursion_error(tmp_path: Path, nested: str):
    with pytest.raises(RuleError, match="nested too deeply|not valid TOML"):
        monitor.load_rules(_file(tmp_path, _HEAD + nested + "\n"))


def test_not_utf8(tmp_path: Path):
    with pytest.raises(RuleError, match=r"not UTF-8 text \(byte 18\)"):
        monitor.load_rules(_file(tmp_path, b'[[rule]]\nname = "r\xff"\n'))


def test_special_and_huge_files_are_refused_without_reading_them(tmp_path: Path):
    for special in ("/dev/zero", "/dev/null"):
        with pytest.raises(RuleError, match="not a regular file"):
            monitor.load_rules(special)
    link = tmp_path / "zero.toml"
    link.symlink_to("/dev/zero")
    with pytest.raises(RuleError, match="not a regular file"):
        monitor.load_rules(link)
    fifo = tmp_path / "fifo.toml"
    os.mkfifo(fifo)  # no writer: opening it for reading would block forever
    with pytest.raises(RuleError, match="not a regular file"):
        monitor.load_rules(fifo)
    with pytest.raises(RuleError, match="not a regular file"):
        monitor.load_rules(tmp_path)
    huge = _file(tmp_path, _HEAD + "#" * MAX_RULES_BYTES + "\n")
    with pytest.raises(RuleError, match=f"larger than {MAX_RULES_BYTES} bytes"):
        monitor.load_rules(huge)


def test_good_values_still_load(tmp_path: Path):
    rules = monitor.load_rules(_file(tmp_path, """
[[rule]]
name = "a"
min_rung = 2
min_confidence = 1
min_corroboration = 3
modality = "negated"
cameo = "13"
source = "RUS, POL"
[[rule]]
name = "b"
rungs = "threat"
min_rung = "force"
modality = ["asserted", "future"]
cameo = ["13", "0231"]
"""))
    a, b = rules
    assert a.rungs == (2, 3, 4) and a.min_confidence == 1.0 and a.min_corroboration == 3
    assert a.modality == ("negated",) and a.cameo == ("13",) and a.source == ("RUS", "POL")
    assert b.rungs == (2, 4) and b.modality == ("asserted", "future")


_VALUES = ["1", "0", "-1", "2.5", "nan", "-inf", "true", "false", '""', '" "', '"x"',
           '"threat"', '"RUS"', "[]", "[1]", '[""]', '["asserted"]', "[[1]]", "[true]",
           "{a = 1}", "1979-05-27", "07:32:00", '"\\u0000"', "[1, \"a\"]", "99999999999999999"]


def test_every_field_and_value_gives_a_rule_or_a_rule_error():
    """Each key with values of every TOML type: a rule, or a one-line RuleError naming the
    key - never another exception, and never a rule that matches nothing or everything."""
    keys = ["name", "description", "source", "target", "plover", "cameo", "rungs", "min_rung",
            "min_confidence", "min_corroboration", "modality", "once"]
    loaded = 0
    for key, value in itertools.product(keys, _VALUES):
        data = tomllib.loads(f"[[rule]]\n{key} = {value}\n")
        try:
            (rule,) = monitor.parse_rules(data, "gen.toml")
        except RuleError as exc:
            assert "\n" not in str(exc) and key in str(exc), (key, value, exc)
            continue
        loaded += 1
        assert rule.modality and set(rule.modality) <= {"asserted", "negated", "hypothetical",
                                                        "future"}
        assert all(s.strip() for s in (*rule.source, *rule.target, *rule.plover, *rule.cameo))
        assert math.isfinite(rule.min_confidence) and 0 <= rule.min_confidence <= 1
        assert isinstance(rule.min_corroboration, int) and rule.min_corroboration >= 1
    assert loaded > 20  # the generator does reach valid rules too


def test_cli_bad_rules_one_line_no_traceback(tmp_path: Path):
    db = tmp_path / "w.db"
    write(db, articles(max_week=2))
    runner = CliRunner()
    cases = [_file(tmp_path, _HEAD + "min_rung = true\n"), Path("/dev/zero")]
    fifo = tmp_path / "fifo.toml"
    os.mkfifo(fifo)
    cases.append(fifo)
    for path in cases:
        res = runner.invoke(cli, ["watch", "--db", str(db), "--rules", str(path)])
        assert res.exit_code == 1, res.output
        assert res.exception is None or isinstance(res.exception, SystemExit)
        lines = res.output.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith(f"Error: {path}"), res.output
