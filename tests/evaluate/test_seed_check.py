"""The expected.json checker, on an article and expectations we wrote."""

from __future__ import annotations

import json

import pytest

from redline.evaluate.seed import report, run_seed

pytestmark = pytest.mark.model

ARTICLE = (
    "Poland's defence minister said on Tuesday that Russian troops had shelled a border "
    "post.\nIran threatened to strike Israel if the talks collapsed.\n"
)


def write(tmp_path, expected):
    (tmp_path / "story.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "expected.json").write_text(json.dumps(expected), encoding="utf-8")
    return tmp_path


def test_required_and_forbidden_events(tmp_path) -> None:
    folder = write(tmp_path, {
        "article": "story.txt", "date": "2025-04-02",
        "events": [{"id": "T1", "source_country": ["IRN"], "cameo_root": ["13"],
                    "target_country": ["ISR"]},
                   {"id": "S1", "source_country": ["RUS"], "cameo_root": ["19"]}],
        "forbidden": [{"why": "a threat coded as an attack", "source_country": ["IRN"],
                       "cameo_root": ["19"], "modality": ["asserted"]}],
    })
    res = run_seed(folder)
    assert [ok for _, ok, _ in res.required] == [True, True], report(res)
    assert res.passed


def test_a_missing_event_fails(tmp_path) -> None:
    folder = write(tmp_path, {"article": "story.txt", "date": "2025-04-02",
                              "events": [{"id": "X", "cameo_root": ["20"]}]})
    res = run_seed(folder)
    assert not res.passed and "MISS X" in report(res)
