"""Calendar arithmetic for resolving time expressions: units, their thirds, the nearest
occurrence in the past or the future."""

from __future__ import annotations

import calendar
import datetime as dt

Tense = str  # "past" | "future" | "unknown"
SEASONS = {"spring": 3, "summer": 6, "autumn": 9, "fall": 9, "winter": 12}


def month_range(year: int, month: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])


def year_range(year: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def week_range(day: dt.date) -> tuple[dt.date, dt.date]:
    monday = day - dt.timedelta(days=day.weekday())
    return monday, monday + dt.timedelta(days=6)


def add_months(day: dt.date, n: int) -> dt.date:
    m = day.month - 1 + n
    year, month = day.year + m // 12, m % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def add_years(day: dt.date, n: int) -> dt.date:
    year = day.year + n
    return dt.date(year, day.month, min(day.day, calendar.monthrange(year, day.month)[1]))


def season_range(year: int, season: str) -> tuple[dt.date, dt.date]:
    first = SEASONS[season]
    start = dt.date(year, first, 1)
    return start, month_range(*ym(add_months(start, 2)))[1]


def ym(day: dt.date) -> tuple[int, int]:
    return day.year, day.month


def days(n: int) -> dt.timedelta:
    return dt.timedelta(days=n)


def narrow(start: dt.date, end: dt.date, mod: str | None) -> tuple[dt.date, dt.date]:
    """'early', 'mid', 'late', 'the first half of' narrow a range to a third (or a half).

    A whole year is cut on month boundaries (January-April, May-August, September-December);
    a month on days (1-10, 11-20, 21-end); anything else on whole days.
    """
    if not mod:
        return start, end
    half = "half" in mod
    if start.month == 1 and start.day == 1 and end == dt.date(start.year, 12, 31):
        y = start.year
        if half:
            return (start, dt.date(y, 6, 30)) if "first" in mod else (dt.date(y, 7, 1), end)
        first, last = {"early": (1, 4), "mid": (5, 8), "late": (9, 12)}[_third(mod)]
        return month_range(y, first)[0], month_range(y, last)[1]
    span = (end - start).days + 1
    if half:
        cut = span // 2
        return (start, start + days(cut - 1)) if "first" in mod else (start + days(cut), end)
    third = 10 if start.day == 1 and span >= 28 else max(1, span // 3)
    which = _third(mod)
    if which == "early":
        return start, start + days(third - 1)
    if which == "mid":
        return start + days(third), start + days(2 * third - 1)
    return start + days(2 * third), end


def _third(mod: str) -> str:
    if mod in ("early", "the start of", "the beginning of"):
        return "early"
    if mod in ("mid", "the middle of"):
        return "mid"
    return "late"


def pick(candidates: list[tuple[dt.date, dt.date]], today: dt.date,
          tense: Tense) -> tuple[dt.date, dt.date]:
    """Past: the last range starting on or before today; future: the first ending on or after
    it; otherwise the nearer of those two (ties to the past)."""
    candidates = sorted(candidates)
    past = [c for c in candidates if c[0] <= today]
    future = [c for c in candidates if c[1] >= today]
    p = past[-1] if past else candidates[0]
    f = future[0] if future else candidates[-1]
    if tense == "past":
        return p
    if tense == "future":
        return f
    if p[0] <= today <= p[1]:
        return p
    dist_p = (today - p[1]).days
    dist_f = (f[0] - today).days
    return p if dist_p <= dist_f else f
