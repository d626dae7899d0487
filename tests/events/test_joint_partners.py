"""A joint act names its partners: each source's event lists the other sources in
``joint_with``, so it can be expanded to both dyads without reading the rule."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.model


def _joint(article) -> list:
    return [e for e in article.events if e.joint_with]


def _partners(e) -> list[str | None]:
    return [a.code for a in e.joint_with]


def test_two_parties_signing_name_each_other(coded) -> None:
    art = coded("Chile and Peru signed a fisheries agreement on Tuesday.", "2025-04-02")
    ev = [e for e in art.events if e.cameo.startswith("05")]
    assert {(e.source.code, e.target) for e in ev} == {("CHL", None), ("PER", None)}
    assert {e.source.code: _partners(e) for e in ev} == {"CHL": ["PER"], "PER": ["CHL"]}
    as_json = next(d for d in art.to_dict()["events"] if d["source"]["code"] == "CHL")
    assert [a["code"] for a in as_json["joint_with"]] == ["PER"]
    assert as_json["joint_with"][0]["text"] == "Peru"


def test_three_parties_each_name_the_other_two(coded) -> None:
    art = coded("Norway, Iceland and Denmark signed an Arctic research accord in Oslo.",
                "2025-04-02")
    ev = _joint(art)
    assert {e.source.code: sorted(_partners(e)) for e in ev} == {
        "NOR": ["DNK", "ISL"], "ISL": ["DNK", "NOR"], "DNK": ["ISL", "NOR"]}
    assert all(e.target is None for e in ev)


def test_an_act_with_a_target_has_no_partners(coded) -> None:
    art = coded("Venezuelan troops attacked Guyanese soldiers near the border.", "2025-04-02")
    ev = [e for e in art.events if e.cameo.startswith("19")]
    assert ev and ev[0].target is not None
    assert all(e.joint_with == [] for e in art.events)
    assert all(d["joint_with"] == [] for d in art.to_dict()["events"])
