"""The pure scoring functions, checked against numbers worked out by hand."""

from __future__ import annotations

import pytest

from redline.evaluate.scoring import (
    PRF,
    accuracy,
    actor_country,
    class_prf,
    clip,
    event_triple,
    gold_triples,
    macro_f1,
    match_one_to_one,
    matrix,
    micro_prf,
    overlap,
    overlap_half,
    overlap_prf,
    per_label_prf,
    quad_prediction,
    set_confusions,
    set_prf,
)

# Three records: gold {A} pred {A,B}; gold {C} pred {}; gold {A} pred {C}.
# TP 1 (A), FP 2 (B, C), FN 2 (C, A)  ->  P = R = F1 = 1/3.
RECORDS = [({"A"}, {"A", "B"}), ({"C"}, set()), ({"A"}, {"C"})]


def test_prf_from_counts() -> None:
    s = PRF.from_counts(tp=3, fp=1, fn=2)
    assert s.precision == pytest.approx(0.75)
    assert s.recall == pytest.approx(0.6)
    assert s.f1 == pytest.approx(2 * 0.75 * 0.6 / 1.35)


def test_prf_with_nothing_is_zero_not_an_error() -> None:
    assert (PRF().precision, PRF().recall, PRF().f1) == (0.0, 0.0, 0.0)


def test_set_prf_of_one_record() -> None:
    assert set_prf({"A"}, {"A", "B"}) == PRF(1, 2, 1, 1)


def test_micro_prf_over_three_records() -> None:
    s = micro_prf(RECORDS)
    assert (s.pred_ok, s.pred, s.gold_ok, s.gold) == (1, 3, 1, 3)
    assert s.precision == pytest.approx(1 / 3)
    assert s.recall == pytest.approx(1 / 3)
    assert s.f1 == pytest.approx(1 / 3)


def test_per_label_prf_over_three_records() -> None:
    per = per_label_prf(RECORDS)
    assert per["A"] == PRF.from_counts(1, 0, 1)
    assert per["A"].f1 == pytest.approx(2 / 3)
    assert per["B"] == PRF.from_counts(0, 1, 0)
    assert per["C"] == PRF.from_counts(0, 1, 1)


def test_gold_triples_count_each_member_of_a_compound_actor() -> None:
    assert gold_triples(["USA", "GBR"], "ASSAULT", ["IRQ", "SYR"]) == {
        ("USA", "ASSAULT", "IRQ"), ("USA", "ASSAULT", "SYR"),
        ("GBR", "ASSAULT", "IRQ"), ("GBR", "ASSAULT", "SYR"),
    }


def test_gold_triples_with_an_empty_side_use_none() -> None:
    assert gold_triples(["FRA", "DEU"], "AGREE", []) == {("FRA", "AGREE", None),
                                                         ("DEU", "AGREE", None)}
    assert gold_triples([], "ASSAULT", ["IRQ"]) == {(None, "ASSAULT", "IRQ")}


def test_actor_country_prefers_country_then_code_prefix(actor) -> None:
    assert actor_country(actor(code="RUSMIL", country="RUS")) == "RUS"
    assert actor_country(actor(code="NATO")) == "NAT"
    assert actor_country(actor()) is None
    assert actor_country(None) is None


def test_predicted_triple_follows_the_gold_rule(event, actor) -> None:
    e = event("AGREE", source=actor(code="FRAGOV", country="FRA"))
    assert event_triple(e) == ("FRA", "AGREE", None)
    assert event_triple(event(None)) is None
    # A predicted event without target matches the gold triple of a record with no target.
    gold = gold_triples(["FRA", "DEU"], "AGREE", [])
    assert micro_prf([(gold, {event_triple(e)})]) == PRF(1, 1, 1, 2)


def test_overlap_counts_shared_characters() -> None:
    assert overlap([(0, 10)], [(5, 20)]) == 5
    assert overlap([(0, 4), (10, 14)], [(2, 12)]) == 4
    assert overlap([(0, 4)], [(4, 8)]) == 0


def test_overlap_half_of_the_shorter_span() -> None:
    assert overlap_half([(0, 10)], [(5, 20)])  # 5 of the shorter 10
    assert not overlap_half([(0, 10)], [(6, 30)])  # 4 of 10
    assert overlap_half([(0, 4), (10, 14)], [(2, 12)])  # 4 of the shorter 8
    assert not overlap_half([(0, 0)], [(0, 5)])  # an empty span matches nothing


def test_one_to_one_matching_uses_a_prediction_once() -> None:
    gold = [[(0, 10)], [(20, 30)]]
    pred = [[(0, 30)]]
    assert match_one_to_one(gold, pred) == [(0, 0)]
    assert match_one_to_one(gold, [[(0, 30)], [(22, 28)]]) == [(0, 0), (1, 1)]


def test_overlap_prf_over_unique_spans() -> None:
    s = overlap_prf([(0, 5), (10, 15)], [(3, 4), (3, 4), (20, 25)])
    assert s == PRF(pred_ok=1, pred=2, gold_ok=1, gold=2)
    assert s.f1 == pytest.approx(0.5)


def test_quad_prediction_takes_the_most_confident_event(event) -> None:
    assert quad_prediction([event(quad=4, confidence=0.3), event(quad=1, confidence=0.9)]) == 1
    assert quad_prediction([event(quad=3, confidence=0.5), event(quad=2, confidence=0.5)]) == 3
    assert quad_prediction([]) == 0


def test_classification_metrics() -> None:
    pairs = [(0, 0), (1, 1), (1, 2), (4, 4), (4, 0)]
    assert accuracy(pairs) == pytest.approx(0.6)
    per = class_prf(pairs, (0, 1, 2, 3, 4))
    assert per[0] == PRF.from_counts(1, 1, 0)
    assert per[1].f1 == pytest.approx(2 / 3)
    assert per[2].f1 == 0.0 and per[3].f1 == 0.0
    assert macro_f1(per) == pytest.approx(0.4)
    m = matrix(pairs, (0, 1, 2, 3, 4))
    assert m[1] == [0, 1, 1, 0, 0]
    assert m[4] == [1, 0, 0, 0, 1]


def test_set_confusions_only_for_missed_gold() -> None:
    assert set_confusions("ASSAULT", {"PROTEST", "COERCE"}) == [("ASSAULT", "COERCE"),
                                                                ("ASSAULT", "PROTEST")]
    assert set_confusions("ASSAULT", set()) == [("ASSAULT", "(none)")]
    assert set_confusions("ASSAULT", {"ASSAULT", "COERCE"}) == []


def test_clip_keeps_one_line_and_the_limit() -> None:
    assert clip("a\nb   c") == "a b c"
    assert len(clip("x" * 500)) == 160
