from __future__ import annotations

from monitor_corpus import N_ARTICLES, week

from redline import monitor
from redline.monitor.series import PeriodRow
from redline.store import stats


def test_corpus_is_big_enough(corpus_db):
    s = stats(corpus_db)
    assert s["articles"] == N_ARTICLES >= 30
    assert len(s["events_by_month"]) >= 3


def test_clusters_merge_repeats_and_count_corroboration(corpus_db):
    found = monitor.clusters(corpus_db)
    rus_pol = [c for c in found if (c.source, c.target) == ("RUS", "POL")]
    assert len(rus_pol) == 12  # 24 stored reports of 12 real events
    by_date = {c.date: c for c in rus_pol}
    threat = by_date[week(6).isoformat()]
    assert threat.cameo == "138" and threat.rung == 2
    assert threat.corroboration == 4 and threat.sources == 4
    assert len(threat.event_ids) == 4
    assert by_date[week(1).isoformat()].corroboration == 2
    assert by_date[week(4).isoformat()].corroboration == 3  # the hypothetical strike is apart
    assert by_date[week(12).isoformat()].corroboration == 1
    # Asserted only by default; the hypothetical strike is a cluster of its own when asked.
    assert not any(c.modality == "hypothetical" for c in found)
    with_hyp = monitor.clusters(corpus_db, include_hypothetical=True)
    assert [c.modality for c in with_hyp].count("hypothetical") == 1


def test_dyad_series_shows_the_rise_in_the_right_weeks(corpus_db):
    rows = monitor.dyad_series(corpus_db, "RUS", "POL", by="week")
    assert [r.period for r in rows] == [f"2025-W{n:02d}" for n in range(10, 22)]
    assert [r.clusters for r in rows] == [1] * 12
    assert [r.events for r in rows] == [2, 1, 2, 3, 1, 4, 2, 2, 1, 3, 2, 1]
    assert [r.max_rung for r in rows] == [0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 4]
    assert rows[5].rung_name == "threat" and rows[9].rung_name == "use of force"
    assert rows[5].by_plover == {"THREATEN": 1} and rows[5].by_quad == {3: 1}
    assert rows[9].goldstein_mean == -10.0
    line = monitor.sparkline([r.max_rung for r in rows])
    assert len(line) == 12 and line[0] == "▁" and line[-1] == "█"
    # NATO+ takes in Poland and NATO itself; --both-ways adds nothing here.
    nato = monitor.dyad_series(corpus_db, "RUS", "NATO+", by="week")
    assert nato[2].clusters == 2  # the accusation against NATO in week 3 too
    assert monitor.dyad_series(corpus_db, "RUS", "NATO") [0].period == "2025-W12"
    both = monitor.dyad_series(corpus_db, "POL", "RUS", both_ways=True)
    assert sum(r.clusters for r in both) == 12
    monthly = monitor.dyad_series(corpus_db, "RUSMIL", "POL", by="month")
    assert [r.period for r in monthly] == ["2025-04", "2025-05"]
    assert [r.max_rung for r in monthly] == [3, 4]


def test_historical_event_lands_on_its_own_year(corpus_db):
    rows = monitor.dyad_series(corpus_db, "RUS", "UKR", by="year")
    assert [r.period for r in rows] == ["2014"]
    hist = [c for c in monitor.clusters(corpus_db) if c.historical]
    assert len(hist) == 1 and hist[0].date == "2014-01-01" and hist[0].target == "UKR"


def test_top_dyads(corpus_db):
    top = monitor.top_dyads(corpus_db, top=2, since="2025-01-01")
    assert [(d["source"], d["target"]) for d in top] == [("RUS", "POL"), ("USA", "UKR")]
    assert top[0]["clusters"] == 12 and top[0]["rung"] == "use of force"
    assert top[0]["events"] == 24 and len(top[0]["sparkline"]) == 12


def test_escalation_flags_on_the_corpus(corpus_db):
    rows = monitor.dyad_series(corpus_db, "RUS", "POL")
    flags = monitor.escalation_flags(rows)
    steps = [(f.period, f.rung) for f in flags if f.kind == "step-up"]
    assert steps == [("2025-W13", 1), ("2025-W15", 2), ("2025-W17", 3), ("2025-W19", 4)]
    drops = {f.period for f in flags if f.kind == "score-drop"}
    assert "2025-W15" in drops  # the first threat, against weeks of talks


def _row(i: int, score: float | None, rung: int | None, n: int = 1) -> PeriodRow:
    return PeriodRow(f"p{i}", f"2025-01-{i + 1:02d}", clusters=n, goldstein_mean=score,
                     max_rung=rung)


def test_escalation_flags_on_constructed_series():
    steady = [_row(i, 3.0 + (i % 2) * 0.5, 0) for i in range(10)]
    assert monitor.escalation_flags(steady) == []
    drop = [*steady, _row(10, -1.0, 0)]
    flags = monitor.escalation_flags(drop)
    assert [(f.period, f.kind) for f in flags] == [("p10", "score-drop")]
    # A small dip within the noise floor is not flagged.
    assert monitor.escalation_flags([*steady, _row(10, 2.0, 0)]) == []
    # Empty periods are skipped, and a return to an old rung is not a step up.
    gap = [_row(0, 1.0, 0), _row(1, -5.0, 2), _row(2, None, None, 0), _row(3, -5.0, 2),
           _row(4, -2.0, 1)]
    assert [(f.period, f.kind) for f in monitor.escalation_flags(gap)] == [("p1", "step-up")]
