"""Resolve one time expression against the article date: a date range with a granularity.

Our own rules read what news writes relative to its date ("this week", "on Thursday", "two
days ago", "earlier this year", "last month"), years, decades, seasons and months; calendar
dates with a day ("24 February 2022", "Feb. 24", "2022-02-24") go to dateparser, and only the
expression is ever given to it: on running text it reads "we" as Wednesday and "may" as May.

Conventions (what a reader of the output may rely on):

- ``granularity`` is the unit the expression names (day, week, month, year, decade); words
  such as "early", "late" or "earlier this" narrow ``start``/``end`` within that unit
  ("earlier this year" is a year from 1 January to the article date). A weekend is two days
  at granularity ``day``.
- Weeks run Monday to Sunday (ISO).
- A weekday, a month or a day and month without a year is placed by the tense of the clause:
  past (``said on Thursday``) takes the last occurrence on or before the article date, future
  (``will meet on Thursday``) the next one on or after it, and anything else the nearer of the
  two (ties go to the past). "last Thursday" is strictly before the article date, "next
  Thursday" strictly after it.
- Seasons are northern: spring March-May, summer June-August, autumn September-November,
  winter December to February (winter 2022 starts in December 2022). "last summer" is the
  last one over before the article date, "next winter" the first to begin after it.
- Without an article date a relative expression resolves to ``Resolved(None, None,
  "unknown", relative=True)``; absolute ones ("in 2014", "24 February 2022") still resolve.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from redline.when.units import (
    SEASONS,
    Tense,
    add_months,
    add_years,
    days,
    month_range,
    narrow,
    pick,
    season_range,
    week_range,
    year_range,
    ym,
)

log = logging.getLogger(__name__)

@dataclass(frozen=True, slots=True)
class Resolved:
    """A resolved expression: ``start``/``end`` are None when it is relative and undated."""

    start: dt.date | None
    end: dt.date | None
    granularity: str
    relative: bool

    @property
    def is_resolved(self) -> bool:
        return self.start is not None


_UNRESOLVED = Resolved(None, None, "unknown", True)

MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4,
    "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9,
    "sept": 9, "sep": 9, "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12,
    "dec": 12,
}
WEEKDAYS = {"monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4,
            "saturday": 5, "sunday": 6}
_NUMBERS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15,
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "a couple of": 2, "couple of": 2,
    "a couple": 2, "a dozen": 12, "dozen": 12, "few": 3, "a few": 3, "several": 5,
}
# vague counts ("a few days ago") as (least, most)
_VAGUE = {"a few": (2, 4), "few": (2, 4), "several": (3, 7), "": (2, 6), "some": (2, 6),
          "many": (3, 10)}

_MON = "|".join(sorted(MONTHS, key=len, reverse=True))
_DAY = "|".join(WEEKDAYS)
_UNIT = r"day|week|month|year|decade|hour"
_NUM = r"\d+|" + "|".join(sorted((re.escape(k) for k in _NUMBERS), key=len, reverse=True))


def _count(word: str) -> int | None:
    word = word.strip()
    if word.isdigit():
        return int(word)
    return _NUMBERS.get(word)


# -- the rules ---------------------------------------------------------------------------
Rule = Callable[[re.Match[str], dt.date | None, Tense], Resolved | None]
_RULES: list[tuple[re.Pattern[str], Rule, bool]] = []  # (pattern, handler, relative)


def _rule(pattern: str, relative: bool = True) -> Callable[[Rule], Rule]:
    def register(fn: Rule) -> Rule:
        _RULES.append((re.compile(pattern), fn, relative))
        return fn

    return register


def _r(start: dt.date, end: dt.date, granularity: str, relative: bool = True) -> Resolved:
    return Resolved(start, end, granularity, relative)


@_rule(r"(?:earlier |later )?(?:today|tonight|this (?:morning|afternoon|evening))"
       r"|now|right now|so far today")
def _today(m: re.Match[str], d: dt.date | None, tense: Tense) -> Resolved | None:
    assert d is not None
    return _r(d, d, "day")


@_rule(r"(?:the day before )?yesterday(?: (?:morning|afternoon|evening|night))?|last night"
       r"|late last night|early this morning|overnight")
def _yesterday(m: re.Match[str], d: dt.date | None, tense: Tense) -> Resolved | None:
    assert d is not None
    text = m.group(0)
    if text.startswith("the day before"):
        return _r(d - days(2), d - days(2), "day")
    if text == "early this morning":
        return _r(d, d, "day")
    if text == "overnight":
        return _r(d - days(1), d, "day")
    return _r(d - days(1), d - days(1), "day")


@_rule(r"(?:the day after )?tomorrow(?: (?:morning|afternoon|evening|night))?")
def _tomorrow(m: re.Match[str], d: dt.date | None, tense: Tense) -> Resolved | None:
    assert d is not None
    n = 2 if m.group(0).startswith("the day after") else 1
    return _r(d + days(n), d + days(n), "day")


@_rule(rf"(?:(last|this|next|past|coming|on|early|late) )?({_DAY})"
       r"(?: (?:morning|afternoon|evening|night|last week|next week))?")
def _weekday(m: re.Match[str], d: dt.date | None, tense: Tense) -> Resolved | None:
    assert d is not None
    which, name = m.group(1), m.group(2)
    target = WEEKDAYS[name]
    text = m.group(0)
    if text.endswith("last week"):
        day = week_range(d - days(7))[0] + days(target)
    elif text.endswith("next week"):
        day = week_range(d + days(7))[0] + days(target)
    elif which in ("last", "past"):
        day = d - days((d.weekday() - target - 1) % 7 + 1)
    elif which in ("next", "coming"):
        day = d + days((target - d.weekday() - 1) % 7 + 1)
    elif which == "this":
        day = week_range(d)[0] + days(target)
    else:
        back = d - days((d.weekday() - target) % 7)
        fwd = d + days((target - d.weekday()) % 7)
        day = pick([(back, back), (fwd, fwd)], d, tense)[0]
    return _r(day, day, "day")


@_rule(r"(?:(this|last|next|the past|the coming|the|past|coming) )?weekend")
def _weekend(m: re.Match[str], d: dt.date | None, tense: Tense) -> Resolved | None:
    assert d is not None
    which = m.group(1)
    if which in ("last", "the past", "past"):
        sat = d - days((d.weekday() - 5) % 7 or 7) if d.weekday() != 6 else d - days(8)
    elif which in ("next", "the coming", "coming"):
        sat = d + days((5 - d.weekday()) % 7 or 7)
    elif which == "this":
        sat = week_range(d)[0] + days(5)
    else:
        back = d - days((d.weekday() - 5) % 7)
        fwd = d + days((5 - d.weekday()) % 7)
        sat = pick([(back, back + days(1)), (fwd, fwd + days(1))], d, tense)[0]
    return _r(sat, sat + days(1), "day")


_MOD = (r"early|late|mid|earlier|later|the end of|the start of|the beginning of|the middle of"
        r"|the first half of|the second half of|end of|start of|beginning of|middle of")


def _unit_range(d: dt.date, unit: str, shift: int) -> tuple[dt.date, dt.date]:
    """The calendar week, month, year or decade ``shift`` units from the one holding ``d``."""
    if unit == "week":
        return week_range(d + days(7 * shift))
    if unit == "month":
        return month_range(*ym(add_months(d.replace(day=1), shift)))
    if unit == "year":
        return year_range(d.year + shift)
    first = d.year - d.year % 10 + 10 * shift
    return dt.date(first, 1, 1), dt.date(first + 9, 12, 31)


def _modify(start: dt.date, end: dt.date, unit: str, mod: str | None,
            d: dt.date) -> Resolved:
    """Apply 'earlier', 'later', 'early', 'the end of', ... to a calendar unit."""
    granularity = unit
    if mod == "earlier":
        end = max(start, min(end, d - days(1)))
    elif mod == "later":
        start = min(end, max(start, d + days(1)))
    elif mod:
        mod = mod.removeprefix("the ").removesuffix(" of")
        if unit == "year" and mod in ("end", "start", "beginning"):
            return _r(*month_range(start.year, 12 if mod == "end" else 1), "month")
        mod = {"end": "late", "start": "early", "beginning": "early", "middle": "mid",
               "first half": "the first half of", "second half": "the second half of"}.get(
            mod, mod)
        start, end = narrow(start, end, mod)
    return _r(start, end, granularity)


@_rule(rf"(?:({_MOD}) )?(?:(this|last|next|the current|the) )?(week|month|year|decade)")
def _this_unit(m: re.Match[str], d: dt.date | None, tense: Tense) -> Resolved | None:
    assert d is not None
    mod, which, unit = m.group(1), m.group(2), m.group(3)
    if which in (None, "the", "the current"):
        if not mod and which != "the current":
            return None  # "the year", "week": not a date on its own
        which = "this"
    shift = {"this": 0, "last": -1, "next": 1}[which]
    start, end = _unit_range(d, unit, shift)
    return _modify(start, end, unit, mod, d)


@_rule(r"(earlier|later) in the (week|month|year)")
def _earlier_in_the(m: re.Match[str], d: dt.date | None, tense: Tense) -> Resolved | None:
    assert d is not None
    unit = m.group(2)
    return _modify(*_unit_range(d, unit, 0), unit, m.group(1), d)


@_rule(r"(?:(early|late|mid|the end of|the start of|the beginning of) )?(?:(this|last|next|the)"
       r" )?(spring|summer|autumn|fall|winter)")
def _season(m: re.Match[str], d: dt.date | None, tense: Tense) -> Resolved | None:
    assert d is not None
    mod, which, season = m.group(1), m.group(2), m.group(3)
    cands = [season_range(y, season) for y in range(d.year - 2, d.year + 2)]
    if which == "last":  # the last one over before the article date
        start, end = [c for c in cands if c[1] < d][-1]
    elif which == "next":  # the first one to begin after it
        start, end = [c for c in cands if c[0] > d][0]
    elif which == "this":
        held = [c for c in cands if c[0] <= d <= c[1]]
        start, end = held[0] if held else season_range(d.year, season)
    else:
        start, end = pick(cands, d, tense)
    start, end = narrow(start, end, mod)
    return _r(start, end, "month")


@_rule(rf"(?:about |nearly |almost |more than |some |over |around |just )?(?:({_NUM}) )?"
       rf"(?:more )?({_UNIT})s? ago")
def _ago(m: re.Match[str], d: dt.date | None, tense: Tense) -> Resolved | None:
    assert d is not None
    word, unit = (m.group(1) or ""), m.group(2)
    n = _count(word) if word not in _VAGUE else None
    if unit == "hour":
        return _r(d, d, "day")
    if n is None:
        lo, hi = _VAGUE.get(word, (2, 6))
        if unit == "decade":
            return _r(dt.date(d.year - 10 * hi, 1, 1), dt.date(d.year - 10 * lo, 12, 31),
                      "decade")
        return _r(_back(d, unit, hi)[0], _back(d, unit, lo)[1], unit)
    start, end = _back(d, unit, n)
    return _r(start, end, "year" if unit == "decade" else unit)


def _back(d: dt.date, unit: str, n: int) -> tuple[dt.date, dt.date]:
    """The unit that lies ``n`` units before ``d``."""
    if unit == "day":
        return d - days(n), d - days(n)
    if unit == "week":
        return week_range(d - days(7 * n))
    if unit == "month":
        return month_range(*ym(add_months(d.replace(day=1), -n)))
    if unit == "decade":
        n *= 10
    return year_range(d.year - n)


@_rule(rf"(?:the |in the |over the |during the |within the )?(past|last|previous|recent|next"
       rf"|coming)(?: ({_NUM}))? ({_UNIT})s?")
def _last_n(m: re.Match[str], d: dt.date | None, tense: Tense) -> Resolved | None:
    assert d is not None
    which, word, unit = m.group(1), m.group(2), m.group(3)
    if which == "previous":
        return None  # "the previous week": relative to some other event, not to the article
    if word is not None:
        n = _count(word)
    elif which == "recent":
        n = {"day": 7, "week": 4, "month": 6, "year": 5, "decade": 2, "hour": 24}[unit]
    else:
        n = 24 if unit == "hour" else 1
    if n is None:
        return None
    sign = 1 if which in ("next", "coming") else -1
    if unit in ("day", "week", "hour"):
        other = d + days(sign * (n if unit == "day" else 7 * n if unit == "week"
                                  else max(1, n // 24)))
    elif unit == "month":
        other = add_months(d, sign * n)
    else:
        other = add_years(d, sign * n * (10 if unit == "decade" else 1))
    start, end = (d, other) if sign > 0 else (other, d)
    return _r(start, end, "day" if unit == "hour" else unit)


@_rule(r"(?:the )?(?:(early|mid|late) )?'?(\d{1,3})0s", relative=False)
def _decade(m: re.Match[str], d: dt.date | None, tense: Tense) -> Resolved | None:
    mod, digits = m.group(1), m.group(2)
    if len(digits) == 3:
        first = int(digits) * 10
    elif len(digits) == 2:
        return None
    else:  # "the '90s": the most recent such decade that has begun
        first = 1900 + int(digits) * 10
        if d is not None and first + 100 <= d.year:
            first += 100
    if not 1000 <= first <= 2190:
        return None
    start, end = dt.date(first, 1, 1), dt.date(first + 9, 12, 31)
    if mod == "early":
        end = dt.date(first + 3, 12, 31)
    elif mod == "mid":
        start, end = dt.date(first + 3, 1, 1), dt.date(first + 6, 12, 31)
    elif mod == "late":
        start = dt.date(first + 7, 1, 1)
    return _r(start, end, "decade", relative=False)


_YEAR = r"(1[0-9]\d\d|20\d\d|21\d\d)"


@_rule(rf"(?:between {_YEAR} and (\d{{4}})|(?:from )?{_YEAR} ?(?:-|to|until|through) ?"
       rf"(\d{{2,4}}))",
       relative=False)
def _year_range(m: re.Match[str], d: dt.date | None, tense: Tense) -> Resolved | None:
    first, last = int(m.group(1) or m.group(3)), m.group(2) or m.group(4)
    second = int(last) if len(last) == 4 else first - first % 10 ** len(last) + int(last)
    if len(last) == 3 or second <= first or second - first > 200:
        return None
    return _r(dt.date(first, 1, 1), dt.date(second, 12, 31), "year", relative=False)


@_rule(rf"(?:the year |(early|mid|late|the end of|the start of|the beginning of|the middle of"
       rf"|the first half of|the second half of|end of|start of|beginning of|middle of"
       rf"|spring|summer|autumn|fall|winter|the spring of|the summer of|the autumn of"
       rf"|the fall of|the winter of|the (?:first|second|third|fourth) quarter of"
       rf"|q[1-4]|(?:first|second|third|fourth) quarter) (?:of )?)?{_YEAR}", relative=False)
def _year(m: re.Match[str], d: dt.date | None, tense: Tense) -> Resolved | None:
    mod, year = m.group(1), int(m.group(2))
    if mod:
        mod = mod.removeprefix("the ").removesuffix(" of")
        season = mod.removeprefix("the ")
        if season in SEASONS:
            return _r(*season_range(year, season), "month", relative=False)
        quarter = re.fullmatch(r"(?:q([1-4])|(first|second|third|fourth) quarter)", mod)
        if quarter:
            q = int(quarter.group(1) or ("first", "second", "third", "fourth").index(
                quarter.group(2)) + 1)
            return _r(month_range(year, 3 * q - 2)[0], month_range(year, 3 * q)[1], "month",
                      relative=False)
        if mod in ("end", "start", "beginning"):
            month = 12 if mod == "end" else 1
            return _r(*month_range(year, month), "month", relative=False)
        if mod == "middle":
            mod = "mid"
        if mod in ("first half", "second half"):
            mod = "the " + mod + " of"
    start, end = narrow(*year_range(year), mod)
    return _r(start, end, "year", relative=False)


@_rule(rf"(?:(early|mid|late|the end of|the start of|the beginning of|the middle of|end of"
       rf"|start of|beginning of|middle of|last|this|next) )?({_MON})"
       rf"(?: (?:of )?({_YEAR[1:-1]}|last year|this year|next year))?")
def _month(m: re.Match[str], d: dt.date | None, tense: Tense) -> Resolved | None:
    mod, month, year_text = m.group(1), MONTHS[m.group(2)], m.group(3)
    which = mod if mod in ("last", "this", "next") else None
    mod = None if which else mod
    relative = not (year_text and year_text[0].isdigit())
    if year_text and year_text[0].isdigit():
        year = int(year_text)
    elif d is None:
        return _UNRESOLVED
    elif year_text:
        year = d.year + {"last year": -1, "this year": 0, "next year": 1}[year_text]
    elif which == "this":
        year = d.year
    elif which == "last":
        year = d.year if month < d.month else d.year - 1
    elif which == "next":
        year = d.year if month > d.month else d.year + 1
    else:
        cands = [month_range(y, month) for y in (d.year - 1, d.year, d.year + 1)]
        year = pick(cands, d, tense)[0].year
    start, end = month_range(year, month)
    if mod:
        mod = mod if mod.startswith(("early", "late", "mid", "the")) else "the " + mod
        start, end = narrow(start, end, "mid" if mod == "the middle of" else mod)
    return _r(start, end, "month", relative=relative)


# -- calendar dates with a day: dateparser --------------------------------------------------
_HAS_DAY = re.compile(
    rf"^(?:(?:{_DAY}),? )?(?:the )?(?:\d{{1,2}}(?:st|nd|rd|th)? (?:of )?(?:{_MON})"
    rf"|(?:{_MON}) \d{{1,2}}(?:st|nd|rd|th)?)(?:,? (\d{{4}}))?$"
    r"|^(\d{4})-\d{1,2}-\d{1,2}$|^\d{1,2}[/.]\d{1,2}[/.](\d{4})$")


@lru_cache(maxsize=4096)
def _dateparser(text: str) -> tuple[dt.date, str] | None:
    """dateparser on a complete calendar date (day, month and year): (date, period)."""
    from dateparser.date import DateDataParser

    parser = _date_data_parser(DateDataParser)
    data = parser.get_date_data(text)
    if data.date_obj is None:
        return None
    return data.date_obj.date(), data.period or "day"


@lru_cache(maxsize=1)
def _date_data_parser(cls: type) -> object:
    return cls(languages=["en"], settings={
        "PREFER_DAY_OF_MONTH": "first", "RETURN_AS_TIMEZONE_AWARE": False,
        "REQUIRE_PARTS": ["day", "month", "year"], "DATE_ORDER": "DMY",
        "RELATIVE_BASE": dt.datetime(2000, 1, 1)})


def _calendar_day(text: str, d: dt.date | None, tense: Tense) -> Resolved | None:
    m = _HAS_DAY.match(text)
    if m is None:
        return None
    has_year = any(g for g in m.groups())
    text = re.sub(rf"^(?:{_DAY}),? ", "", text)
    if has_year:
        got = _dateparser(text)
        return _r(got[0], got[0], "day", relative=False) if got else None
    if d is None:
        return _UNRESOLVED
    got = _dateparser(f"{text} 2000")  # a leap year, so that 29 February parses
    if got is None:
        return None
    month, day = got[0].month, got[0].day
    cands = []
    for year in (d.year - 1, d.year, d.year + 1):
        try:
            cands.append((dt.date(year, month, day),) * 2)
        except ValueError:
            continue
    if not cands:
        return None
    start, end = pick(cands, d, tense)
    return _r(start, end, "day")


# -- entry point -----------------------------------------------------------------------------
_LEADING = re.compile(r"^(?:on|in|at|during|since|from|by|of|over|throughout|as of|as early as"
                      r"|as recently as|until|till|before|after) ")


def normalise(text: str) -> str:
    """Lower-case, straight apostrophes, one space, no leading preposition or trailing 's."""
    s = text.replace("\u2019", "'").replace("\u2018", "'").replace("\u2013", "-")
    s = s.replace("\u2014", "-").lower().strip(" \t\n.,;:")
    s = re.sub(r"\s+", " ", s)
    s = re.sub(r"(?<=\w)'s$", "", s)
    s = re.sub(r"\b(" + _MON + r")\.", r"\1", s)
    s = re.sub(r"\bmid-", "mid ", s)
    s = re.sub(r"\s*-\s*(?=\d)", "-", s)
    s = re.sub(r"(?<=\d)\s*-\s*", "-", s)
    prev = None
    while prev != s:
        prev = s
        s = _LEADING.sub("", s)
    return s


def resolve_expression(text: str, article_date: dt.date | None,
                       tense: Tense = "unknown") -> Resolved | None:
    """Resolve a time expression; None when it is not one redline can place.

    ``tense`` ("past", "future" or "unknown") places weekdays, months and days without a
    year (see the module docstring). Cached by (expression, article date, tense).
    """
    return _resolve(normalise(text), article_date, tense)


@lru_cache(maxsize=8192)
def _resolve(s: str, d: dt.date | None, tense: Tense) -> Resolved | None:
    if not s:
        return None
    for pattern, fn, relative in _RULES:
        m = pattern.fullmatch(s)
        if m is None:
            continue
        if relative and d is None and fn is not _month:
            return _UNRESOLVED
        return fn(m, d, tense)
    return _calendar_day(s, d, tense)
