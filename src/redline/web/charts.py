"""The dashboard's charts, drawn as inline SVG on the server.

No chart library and no script: the markup works offline, under a Content-Security-Policy
that allows no inline style or script (colours come from classes in ``static/style.css``),
and every mark carries a ``<title>`` (the browser's tooltip) and, where it stands for events,
a link to them. Text is escaped with :func:`markupsafe.escape`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any
from urllib.parse import quote, urlencode

from markupsafe import Markup, escape

from redline import ontology

WIDTH = 960
QUAD_NAMES = ontology.QUADS


def _f(x: float) -> str:
    """A coordinate, short."""
    return f"{x:.1f}".rstrip("0").rstrip(".")


_STEPS = (1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10)


def _nice_max(value: float) -> float:
    """The smallest round number (1, 1.5, 2, 2.5, 3, 4, 5, 6 or 8 times a power of ten) at or
    above ``value``, at least 1: an axis top that wastes little height."""
    if value <= 1:
        return 1.0
    power = 10 ** math.floor(math.log10(value))
    for step in _STEPS:
        if step * power >= value:
            return float(step * power)
    return float(10 * power)


def _label_x(x: float, width: float, left: int, right: int) -> tuple[float, str]:
    """Where to put a label centred on ``x`` so that it stays inside the chart."""
    if x - width / 2 < left - 20:
        return left, "start"
    if x + width / 2 > WIDTH - right:
        return WIDTH - right, "end"
    return x, "middle"


def _label_every(n: int, room: int) -> int:
    return max(1, math.ceil(n / max(1, room)))


def project(lat: float, lon: float) -> tuple[float, float]:
    """Map coordinates of a point, as ``static/world.svg`` draws the countries:
    equirectangular, x = (lon + 180) * 10, y = (90 - lat) * 10."""
    return (lon + 180.0) * 10.0, (90.0 - lat) * 10.0


def _quad_stack(period: dict[str, Any], x: float, width: float, bottom: float,
                height: float, top_value: float) -> list[str]:
    """One period's bar: its quad-class counts stacked upwards from ``bottom``, cooperation
    first, scaled so that ``top_value`` fills ``height``."""
    out = []
    y = bottom
    for q in (1, 2, 3, 4):
        v = period.get(f"quad{q}") or 0
        if not v:
            continue
        h = height * v / top_value
        y -= h
        out.append(f'<rect class="q{q}" x="{_f(x)}" y="{_f(y)}" width="{_f(width)}" '
                   f'height="{_f(h)}"/>')
    return out


def timeline(periods: Sequence[dict[str, Any]], *, height: int = 220) -> Markup:
    """Stacked bars of events per period by quad class, cooperation at the bottom; each bar
    links to the events list for its period."""
    left, right, top, bottom = 44, 8, 10, 34
    n = len(periods)
    if not n:
        return Markup('<p class="empty">No dated events in this range.</p>')
    plot_w, plot_h = WIDTH - left - right, height - top - bottom
    top_value = _nice_max(max(p["events"] for p in periods))
    bar = plot_w / n
    gap = min(2.0, bar * 0.15)
    out = [f'<svg class="chart timeline" viewBox="0 0 {WIDTH} {height}" role="img" '
           f'aria-label="events per {escape(periods[0]["period"])}... by quad class">']
    for frac in (0, 0.5, 1):
        y = top + plot_h * (1 - frac)
        out.append(f'<line class="grid" x1="{left}" x2="{WIDTH - right}" y1="{_f(y)}" '
                   f'y2="{_f(y)}"/><text class="axis" x="{left - 6}" y="{_f(y + 4)}" '
                   f'text-anchor="end">{_f(top_value * frac)}</text>')
    every = _label_every(n, 12)
    for i, p in enumerate(periods):
        x = left + i * bar
        href = "/events?" + urlencode({"since": p["start"], "until": p["end"]})
        tip = f'{p["period"]}: {p["events"]} events' + "".join(
            f'\n{QUAD_NAMES[q]}: {p[f"quad{q}"]}' for q in (1, 2, 3, 4) if p[f"quad{q}"])
        out.append(f'<a href="{escape(href)}"><g class="bar"><title>{escape(tip)}</title>'
                   f'<rect class="hit" x="{_f(x)}" y="{top}" width="{_f(bar)}" '
                   f'height="{plot_h}"/>')
        out.extend(_quad_stack(p, x + gap / 2, max(bar - gap, 0.5), top + plot_h, plot_h,
                               top_value))
        out.append("</g></a>")
        if i % every == 0:
            lx, anchor = _label_x(x + bar / 2, 7 * len(p["period"]), left, right)
            out.append(f'<text class="axis" x="{_f(lx)}" y="{height - bottom + 16}" '
                       f'text-anchor="{anchor}">{escape(p["period"])}</text>')
    out.append(f'<line class="axis-line" x1="{left}" x2="{WIDTH - right}" '
               f'y1="{top + plot_h}" y2="{top + plot_h}"/></svg>')
    return Markup("".join(out))


def world_map(places: Sequence[dict[str, Any]]) -> Markup:
    """Event locations on the world (latitudes 84 N to 60 S): one circle per place, its area
    proportional to the events there, red where most of them are material conflict; each
    links to the events naming the place."""
    out = ['<svg class="chart map" viewBox="0 60 3600 1440" role="img" '
           'aria-label="map of event locations">',
           '<image href="/static/world.svg" x="0" y="0" width="3600" height="1800"/>']
    for lon in range(-180, 181, 30):
        x, _ = project(0, lon)
        out.append(f'<line class="graticule" x1="{_f(x)}" x2="{_f(x)}" y1="60" y2="1500"/>')
    for lat in range(-60, 90, 30):
        _, y = project(lat, 0)
        out.append(f'<line class="graticule" x1="0" x2="3600" y1="{_f(y)}" y2="{_f(y)}"/>')
    for p in sorted(places, key=lambda p: -p["events"]):
        if p.get("lat") is None or p.get("lon") is None:
            continue
        x, y = project(float(p["lat"]), float(p["lon"]))
        r = 9 + 7 * math.sqrt(p["events"])
        kind = "pt conflict" if (p.get("material_conflict") or 0) * 2 > p["events"] else "pt"
        name = p.get("name") or "?"
        tip = f"{name}{' (' + p['country'] + ')' if p.get('country') else ''}: {p['events']} events"
        href = "/events?" + urlencode({"q": name})
        out.append(f'<a href="{escape(href)}"><circle class="{kind}" cx="{_f(x)}" cy="{_f(y)}" '
                   f'r="{_f(min(r, 90))}"><title>{escape(tip)}</title></circle></a>')
    out.append("</svg>")
    return Markup("".join(out))


def dyad(series: dict[str, Any]) -> Markup:
    """A dyad's series in three bands over the same periods: the highest escalation-ladder
    rung reached, the mean Goldstein score (the conflict-cooperation scale, -10 to +10) and
    the clusters by quad class. Flagged periods are shaded across all bands, marked with a
    triangle, and every active period links to its events below the chart."""
    periods = series["periods"]
    ladder: Sequence[str] = series["ladder"]
    n = len(periods)
    if not n:
        return Markup('<p class="empty">No events between these actors.</p>')
    left, right, top = 170, 10, 22
    lad_h, gold_h, bar_h, gap, axis_h = 150, 110, 80, 22, 30
    height = top + lad_h + gap + gold_h + gap + bar_h + axis_h
    plot_w = WIDTH - left - right
    col = plot_w / n
    y_lad = top
    y_gold = y_lad + lad_h + gap
    y_bar = y_gold + gold_h + gap
    rungs = len(ladder)

    def rung_y(r: int) -> float:
        return y_lad + lad_h - (r + 0.5) * lad_h / rungs

    def gold_y(v: float) -> float:
        return y_gold + gold_h * (10 - v) / 20

    out = [f'<svg class="chart dyad" viewBox="0 0 {WIDTH} {height}" role="img" '
           'aria-label="escalation ladder, Goldstein mean and clusters per period">']
    # Flag shading first, under everything.
    out.extend(_flag_bands(periods, left, col, top, height - axis_h))
    # Ladder band.
    for r, name in enumerate(ladder):
        y = rung_y(r)
        out.append(f'<line class="grid" x1="{left}" x2="{WIDTH - right}" y1="{_f(y)}" '
                   f'y2="{_f(y)}"/><text class="axis rung r{r}" x="{left - 8}" y="{_f(y + 4)}" '
                   f'text-anchor="end">{escape(name)}</text>')
    points = [(left + (i + 0.5) * col, rung_y(p["max_rung"]), p) for i, p in enumerate(periods)
              if p["max_rung"] is not None]
    if len(points) > 1:
        d = f"M{_f(points[0][0])} {_f(points[0][1])}" + "".join(
            f"H{_f(x)}V{_f(y)}" for x, y, _ in points[1:])
        out.append(f'<path class="ladderline" d="{d}"/>')
    for x, y, p in points:
        out.append(f'<circle class="rungdot r{p["max_rung"]}" cx="{_f(x)}" cy="{_f(y)}" r="4.5">'
                   f'<title>{escape(p["period"])}: {escape(p["rung"])}</title></circle>')
    # Goldstein band.
    for v in (10, 0, -10):
        y = gold_y(v)
        out.append(f'<line class="{"zero" if v == 0 else "grid"}" x1="{left}" '
                   f'x2="{WIDTH - right}" y1="{_f(y)}" y2="{_f(y)}"/>'
                   f'<text class="axis" x="{left - 8}" y="{_f(y + 4)}" text-anchor="end">'
                   f'{f"{v:+d}" if v else "0"}</text>')
    out.append(f'<text class="axis band-title" x="{left - 8}" y="{_f(gold_y(5) + 4)}" '
               'text-anchor="end">cooperation</text>'
               f'<text class="axis band-title" x="{left - 8}" y="{_f(gold_y(-5) + 4)}" '
               'text-anchor="end">conflict</text>')
    gpts = [(left + (i + 0.5) * col, gold_y(p["goldstein_mean"]), p)
            for i, p in enumerate(periods) if p["goldstein_mean"] is not None]
    if len(gpts) > 1:
        d = "M" + "L".join(f"{_f(x)} {_f(y)}" for x, y, _ in gpts)
        out.append(f'<path class="goldline" d="{d}"/>')
    for x, y, p in gpts:
        out.append(f'<circle class="golddot" cx="{_f(x)}" cy="{_f(y)}" r="3.5"><title>'
                   f'{escape(p["period"])}: mean Goldstein {p["goldstein_mean"]:+.1f}</title>'
                   "</circle>")
    # Cluster bars.
    top_value = _nice_max(max(p["clusters"] for p in periods))
    out.append(f'<text class="axis" x="{left - 8}" y="{y_bar + 10}" text-anchor="end">'
               f'{_f(top_value)} clusters</text>'
               f'<line class="axis-line" x1="{left}" x2="{WIDTH - right}" y1="{y_bar + bar_h}" '
               f'y2="{y_bar + bar_h}"/>')
    for i, p in enumerate(periods):
        out.extend(_quad_stack(p, left + i * col + col * 0.1, max(col * 0.8, 0.5),
                               y_bar + bar_h, bar_h, top_value))
    # Period labels and click targets.
    out.extend(_period_targets(periods, (left, right), col, top, height, axis_h))
    out.append("</svg>")
    return Markup("".join(out))


def _flag_bands(periods: Sequence[dict[str, Any]], left: int, col: float, top: int,
                bottom: int) -> list[str]:
    """The dyad chart's shading and triangle for each flagged period."""
    out = []
    for i, p in enumerate(periods):
        if p["flags"]:
            x = left + i * col
            tip = "; ".join(f'{f["kind"]}: {f["detail"]}' for f in p["flags"])
            out.append(f'<rect class="flagband" x="{_f(x)}" y="{top - 14}" width="{_f(col)}" '
                       f'height="{bottom - top + 14}"/>'
                       f'<a href="#p-{escape(p["period"])}"><path class="flagmark" '
                       f'd="M{_f(x + col / 2)} {top - 2}l-6 -11h12z"><title>'
                       f'{escape(p["period"])}: {escape(tip)}</title></path></a>')
    return out


def _period_targets(periods: Sequence[dict[str, Any]], margins: tuple[int, int],
                    col: float, top: int, height: int, axis_h: int) -> list[str]:
    """The dyad chart's period labels and, for each active period, a click target with a
    tooltip that links to its events."""
    left, right = margins
    out = []
    every = _label_every(len(periods), 10)
    for i, p in enumerate(periods):
        x = left + i * col
        if i % every == 0:
            lx, anchor = _label_x(x + col / 2, 7 * len(p["period"]), left, right)
            out.append(f'<text class="axis" x="{_f(lx)}" y="{height - 10}" '
                       f'text-anchor="{anchor}">{escape(p["period"])}</text>')
        if p["clusters"]:
            tip = (f'{p["period"]}: {p["clusters"]} clusters, {p["events"]} events; highest '
                   f'rung {p["rung"] or "-"}; mean Goldstein '
                   + (f'{p["goldstein_mean"]:+.1f}' if p["goldstein_mean"] is not None else "-")
                   + "".join(f'\n{f["kind"]}: {f["detail"]}' for f in p["flags"]))
            out.append(f'<a href="#p-{escape(quote(p["period"]))}" class="col" '
                       f'data-period="{escape(p["period"])}"><rect class="hit" x="{_f(x)}" '
                       f'y="{top}" width="{_f(col)}" height="{height - axis_h - top}"><title>'
                       f"{escape(tip)}</title></rect></a>")
    return out
