"""Escalation flags on a dyad series.

Method: walk the periods of one dyad's series in order. A period is flagged ``step-up`` when
its highest ladder rung (cooperation < verbal conflict < threat < coercion and mobilisation <
use of force) is higher than every rung the dyad reached in the ``lookback`` periods before it
(and it has at least one earlier active period in that window, or ``first_active`` is set);
this catches the first threat after weeks of talks, the first strike after threats. A period
is flagged ``score-drop`` when its mean Goldstein score falls below the dyad's own baseline:
the mean of its earlier active periods (at least ``min_history`` of them, over at most
``lookback``) minus ``z`` times their standard deviation, the deviation floored at
``min_sd`` so that a perfectly steady history does not make every wobble significant. Empty
periods neither raise nor lower the baseline. Both tests use only the past, so a flag never
changes when later periods are added.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass

from redline.monitor.ladder import RUNGS
from redline.monitor.series import PeriodRow


@dataclass(frozen=True, slots=True)
class EscalationFlag:
    period: str
    kind: str  # step-up | score-drop
    detail: str
    rung: int | None = None
    previous_rung: int | None = None
    score: float | None = None
    baseline: float | None = None

    def to_dict(self) -> dict[str, object]:
        return {"period": self.period, "kind": self.kind, "detail": self.detail,
                "rung": self.rung, "previous_rung": self.previous_rung,
                "score": self.score, "baseline": self.baseline}


def escalation_flags(series: Sequence[PeriodRow], *, lookback: int = 8, z: float = 2.0,
                     min_sd: float = 1.0, min_history: int = 3,
                     first_active: bool = False) -> list[EscalationFlag]:
    """The escalation flags of one dyad series (see the module docstring), oldest first."""
    flags: list[EscalationFlag] = []
    for i, row in enumerate(series):
        if row.clusters == 0:
            continue
        past = [r for r in series[max(0, i - lookback):i] if r.clusters]
        past_rungs = [r.max_rung for r in past if r.max_rung is not None]
        if row.max_rung is not None and (past_rungs or first_active):
            before = max(past_rungs) if past_rungs else None
            if before is None or row.max_rung > before:
                flags.append(EscalationFlag(
                    row.period, "step-up",
                    f"{RUNGS[before] if before is not None else 'nothing'} -> "
                    f"{RUNGS[row.max_rung]}",
                    rung=row.max_rung, previous_rung=before))
        scores = [r.goldstein_mean for r in past if r.goldstein_mean is not None]
        if row.goldstein_mean is not None and len(scores) >= min_history:
            mean = statistics.fmean(scores)
            sd = max(statistics.pstdev(scores), min_sd)
            limit = mean - z * sd
            if row.goldstein_mean < limit:
                flags.append(EscalationFlag(
                    row.period, "score-drop",
                    f"mean Goldstein {row.goldstein_mean:.1f} below baseline {mean:.1f} "
                    f"- {z:g} x {sd:.1f}",
                    rung=row.max_rung, score=round(row.goldstein_mean, 3),
                    baseline=round(mean, 3)))
    return flags
