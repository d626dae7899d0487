"""Background events get their own time, not the article date (hand-built parses, no model).

The sentences are our own; their parses are in parses.txt as en_core_web_md produced them.
"""

from __future__ import annotations

import pytest
from test_when_stage import _article

from redline.when.history import history_cues

DAY = "2025-09-05"  # a Friday


def _date(parse, sentence: str, trigger: str, date: str | None = DAY):
    return _article(parse(sentence), date, [trigger]).events[0].date


def _fields(when) -> tuple:
    return when.start, when.end, when.granularity, when.historical, when.from_article_date


# -- the past perfect -------------------------------------------------------------------------

def test_past_perfect_without_a_date_is_historical_and_undated(parse) -> None:
    when = _date(parse, "Turkey had shot down a Russian jet near the border.", "shot")
    assert _fields(when) == ("", "", "unknown", True, False)
    assert when.text == "had + past participle"


def test_past_perfect_with_its_own_year_takes_it(parse) -> None:
    when = _date(parse, "Russia had annexed the peninsula in 2014.", "annexed")
    assert _fields(when) == ("2014-01-01", "2014-12-31", "year", True, False)
    assert when.text == "in 2014"


def test_past_perfect_takes_an_earlier_year_given_in_its_clause(parse) -> None:
    when = _date(parse, "Turkey had shot down a Russian jet near the border, a 2015 incident "
                        "that angered Moscow.", "shot")
    assert _fields(when) == ("2015-01-01", "2015-12-31", "year", True, False)


def test_past_perfect_does_not_take_the_year_of_another_clause(parse) -> None:
    art = _article(parse("Russia, which had annexed the peninsula, invaded again in 2022."),
                   DAY, ["annexed", "invaded"])
    annexed, invaded = (e.date for e in art.events)
    assert (invaded.start, invaded.granularity) == ("2022-01-01", "year")
    assert _fields(annexed) == ("", "", "unknown", True, False)


def test_past_perfect_in_a_relative_clause_leaves_the_main_event_current(parse) -> None:
    art = _article(parse("The rebels, who had seized the town, attacked the army."), DAY,
                   ["seized", "attacked"])
    seized, attacked = (e.date for e in art.events)
    assert seized.historical and not seized.start
    assert _fields(attacked) == (DAY, DAY, "day", False, True)


def test_past_perfect_progressive_with_for_years(parse) -> None:
    when = _date(parse, "The rebels had been shelling the village for years.", "shelling")
    assert _fields(when) == ("", "", "year", True, False)
    assert when.text == "for years"


def test_reported_speech_past_perfect_is_the_news(parse) -> None:
    when = _date(parse, "Officials said the rebels had seized the town.", "seized")
    assert _fields(when) == (DAY, DAY, "day", False, True)


def test_past_perfect_just_before_the_main_event_is_not_background(parse) -> None:
    when = _date(parse, "Troops withdrew after rebels had seized the town.", "seized")
    assert not when.historical and when.from_article_date


def test_a_hypothetical_past_perfect_is_not_background(parse) -> None:
    art = _article(parse("Turkey had shot down a Russian jet near the border."), DAY, ["shot"],
                   modality="hypothetical")
    assert art.events[0].date.from_article_date


def test_undated_article_still_marks_the_past_perfect_historical(parse) -> None:
    art = _article(parse("Turkey had shot down a Russian jet near the border."), None, ["shot"])
    assert _fields(art.events[0].date) == ("", "", "unknown", True, False)
    assert not any("undated" in n for n in art.notes)


def test_past_perfect_placed_earlier_the_same_day_is_not_background(parse) -> None:
    when = _date(parse, "The president had earlier rejected calls for a ceasefire.", "rejected")
    assert _fields(when) == (DAY, DAY, "day", False, True)


def test_past_perfect_does_not_take_the_year_of_its_conjunct(parse) -> None:
    art = _article(parse("Her brother had fought with the rebels and was killed in 2012."), DAY,
                   ["fought", "killed"])
    fought, killed = (e.date for e in art.events)
    assert _fields(killed) == ("2012-01-01", "2012-12-31", "year", True, False)
    assert _fields(fought) == ("", "", "unknown", True, False)


# -- words that introduce history ---------------------------------------------------------------

def test_decades_long_insurgency(parse) -> None:
    when = _date(parse, "Kurdish militants have fought a decades-long insurgency against "
                        "Ankara.", "fought")
    assert _fields(when) == ("", "", "decade", True, False)
    assert when.text == "decades-long"


def test_ending_a_months_long_operation_is_news(parse) -> None:
    when = _date(parse, "Turkey ended its months-long operation against the militants.",
                 "ended")
    assert _fields(when) == (DAY, DAY, "day", False, True)


def test_for_decades(parse) -> None:
    when = _date(parse, "The two neighbours have clashed for decades over the valley.",
                 "clashed")
    assert _fields(when) == ("", "", "decade", True, False)
    assert when.text == "for decades"


def test_in_the_past(parse) -> None:
    when = _date(parse, "Moscow has in the past accused Kyiv of sabotage.", "accused")
    assert _fields(when) == ("", "", "unknown", True, False)
    assert when.text == "in the past"


def test_has_long_backed_is_a_long_held_state(parse) -> None:
    when = _date(parse, "Russia has long backed the government in Damascus.", "backed")
    assert when.historical and not when.from_article_date and when.text == "long"


def test_since_a_year_runs_from_that_year_and_is_historical(parse) -> None:
    when = _date(parse, "Syrian rebels have attacked government forces since 2011.",
                 "attacked")
    assert _fields(when) == ("2011-01-01", DAY, "year", True, False)
    assert when.text == "since 2011"


def test_since_monday_is_current(parse) -> None:
    when = _date(parse, "Rebels have shelled the town since Monday.", "shelled")
    assert _fields(when) == ("2025-09-01", DAY, "day", False, False)


def test_the_last_few_months_are_not_background(parse) -> None:
    when = _date(parse, "Rebels have shelled the town in the last few months.", "shelled")
    assert (when.end, when.granularity, when.historical) == (DAY, "month", False)


def test_over_the_past_decade(parse) -> None:
    when = _date(parse, "Israel has struck militant positions over the past decade.",
                 "struck")
    assert _fields(when) == ("2015-09-05", DAY, "decade", True, False)


def test_a_decade(parse) -> None:
    when = _date(parse, "In the 1990s, the army shelled the capital.", "shelled")
    assert _fields(when) == ("1990-01-01", "1999-12-31", "decade", True, False)


def test_a_dated_noun_dates_the_event(parse) -> None:
    when = _date(parse, "Russian troops stormed the airport during the 2008 war.", "stormed")
    assert _fields(when) == ("2008-01-01", "2008-12-31", "year", True, False)
    assert when.text == "during the 2008 war"


# -- present events stay current ------------------------------------------------------------

def test_present_perfect_is_not_historical(parse) -> None:
    when = _date(parse, "Militants have attacked the convoy.", "attacked")
    assert _fields(when) == (DAY, DAY, "day", False, True)


def test_plain_past_on_monday_is_in_the_article_week(parse) -> None:
    when = _date(parse, "Militants attacked the convoy on Monday.", "attacked")
    assert _fields(when) == ("2025-09-01", "2025-09-01", "day", False, False)


def test_no_cue_keeps_the_article_date(parse) -> None:
    when = _date(parse, "Police detained dozens of protesters outside parliament.", "detained")
    assert _fields(when) == (DAY, DAY, "day", False, True)


def test_years_of_service_is_not_a_history_cue(parse) -> None:
    when = _date(parse, "The minister thanked the envoy for his years of service.", "thanked")
    assert _fields(when) == (DAY, DAY, "day", False, True)


def test_a_duration_with_a_number_is_not_a_history_cue(parse) -> None:
    when = _date(parse, "A court jailed the activist for two years.", "jailed")
    assert _fields(when) == (DAY, DAY, "day", False, True)


# -- the data file ----------------------------------------------------------------------------

def test_history_cues_load_by_kind() -> None:
    cues = history_cues()
    assert cues["perfect_aux"]["had"].reason == "had + past participle"
    assert cues["span"]["decades-long"].granularity == "decade"
    assert cues["period"]["for years"].granularity == "year"
    assert "during" in cues["anchor_prep"] and "past" in cues["back_word"]
    assert "after" in cues["sequence_mark"]


@pytest.mark.parametrize("kind", ["perfect_aux", "span", "carry_verb", "period", "adverb",
                                  "anchor_prep", "back_word", "near_word", "sequence_mark"])
def test_every_kind_has_cues(kind: str) -> None:
    assert history_cues()[kind]
