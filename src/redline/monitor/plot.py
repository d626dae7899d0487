"""A PNG picture of one dyad series: cluster counts per period as bars stacked by quad class,
the highest ladder rung as a line on a second axis, and flagged escalation periods shaded.

matplotlib is imported inside :func:`plot_series` (with the non-interactive ``Agg`` backend),
never when this module is imported, so ``redline --help`` stays fast.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Sequence

from redline import ontology
from redline.errors import PlotError
from redline.monitor.escalation import EscalationFlag, escalation_flags
from redline.monitor.ladder import RUNGS
from redline.monitor.series import PeriodRow

log = logging.getLogger(__name__)

_QUAD_COLOURS = {1: "#7fbf7b", 2: "#1b7837", 3: "#f4a582", 4: "#b2182b"}
QUADS: tuple[tuple[int, str, str], ...] = tuple(
    (q, ontology.quad_name(q), colour) for q, colour in _QUAD_COLOURS.items())
_RUNG_COLOUR = "#2c3e50"
_FLAG_COLOUR = "#ffd54f"
_MAX_TICKS = 16


def plot_series(series: Sequence[PeriodRow], path: str | os.PathLike[str], *,
                flags: Sequence[EscalationFlag] | None = None, title: str | None = None,
                dpi: int = 120) -> str:
    """Draw ``series`` (from :func:`~redline.monitor.dyad_series`) as a PNG at ``path`` and
    return the path. ``flags`` default to :func:`~redline.monitor.escalation_flags` of the
    series; each flagged period is shaded. Raises :class:`PlotError` when the series is empty,
    matplotlib is missing, or the file cannot be written."""
    path = os.fspath(path)
    if not series:
        raise PlotError("nothing to plot: the series has no periods")
    try:
        import matplotlib

        matplotlib.use("Agg")
        from matplotlib.figure import Figure
        from matplotlib.ticker import MaxNLocator
    except ImportError:
        raise PlotError("plotting needs matplotlib: pip install 'matplotlib>=3.7,<4'") from None
    if flags is None:
        flags = escalation_flags(series)
    flagged: dict[str, list[str]] = {}
    for f in flags:
        flagged.setdefault(f.period, []).append(f.kind)

    x = list(range(len(series)))
    labels = [r.period for r in series]
    fig = Figure(figsize=(max(6.0, min(16.0, 0.45 * len(series) + 3)), 4.8), dpi=dpi)
    ax = fig.add_subplot(1, 1, 1)
    for i, row in enumerate(series):
        if row.period in flagged:
            ax.axvspan(i - 0.5, i + 0.5, color=_FLAG_COLOUR, alpha=0.35, zorder=0, lw=0)
    bottom = [0] * len(series)
    for quad, name, colour in QUADS:
        heights = [r.by_quad.get(quad, 0) for r in series]
        ax.bar(x, heights, bottom=bottom, color=colour, label=f"Q{quad} {name}", zorder=2,
               width=0.8)
        bottom = [b + h for b, h in zip(bottom, heights, strict=True)]
    ax.set_ylabel("event clusters")
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_ylim(0, max(1, max(bottom)) * 1.15)

    ax2 = ax.twinx()
    rung_x = [i for i, r in enumerate(series) if r.max_rung is not None]
    rung_y = [series[i].max_rung for i in rung_x]
    ax2.plot(rung_x, rung_y, color=_RUNG_COLOUR, marker="o", lw=1.8, label="highest rung",
             zorder=3)
    ax2.set_ylim(-0.3, len(RUNGS) - 0.7)
    ax2.set_yticks(range(len(RUNGS)))
    ax2.set_yticklabels(RUNGS, fontsize=7)

    step = max(1, -(-len(series) // _MAX_TICKS))
    ax.set_xticks(x[::step])
    ax.set_xticklabels(labels[::step], rotation=45, ha="right", fontsize=8)
    ax.set_xlim(-0.6, len(series) - 0.4)
    handles, names = ax.get_legend_handles_labels()
    h2, n2 = ax2.get_legend_handles_labels()
    if flagged:
        from matplotlib.patches import Patch

        h2 = [*h2, Patch(color=_FLAG_COLOUR, alpha=0.35)]
        n2 = [*n2, "escalation flag"]
    ax.legend(handles + h2, names + n2, loc="upper left", fontsize=7, framealpha=0.85)
    if title:
        ax.set_title(title)
    fig.tight_layout()
    try:
        fig.savefig(path, format="png")
    except OSError as exc:
        raise PlotError(f"cannot write the plot to {path}: {exc.strerror or exc}") from None
    log.info("plot of %d periods written to %s", len(series), path)
    return path
