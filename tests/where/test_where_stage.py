"""The where stage on hand-built parses with hand-made events (no model needed)."""

from __future__ import annotations

from typing import Any

import pytest

from redline.article import Actor, Article, Event, Mention, Sentence, Span
from redline.settings import load_settings
from redline.where import make_where
from redline.where.phrases import dateline


def _article(doc: Any, events: list[tuple[str, str, int]],
             actors: tuple[tuple[str, str], ...] = ()) -> Article:
    """events: (trigger word, CAMEO code, quad class); actors: (word, ISO3) mentions."""
    text = doc.text
    art = Article(id="t", text=text)
    art.clean_text, art.doc = text, doc
    art.sentences = [Sentence(s.start_char, s.end_char) for s in doc.sents]
    for word, iso3 in actors:
        tok = next(t for t in doc if t.text == word)
        actor = Actor(word, tok.idx, tok.idx + len(word), code=iso3 + "GOV", country=iso3,
                      sector="GOV", kind="government")
        art.mentions.append(Mention(word, tok.idx, tok.idx + len(word),
                                    art.sentence_of(tok.idx), "GPE", actor, tok.idx))
    for n, (word, cameo, quad) in enumerate(events):
        tok = next(t for t in doc if t.text == word)
        span = Span(tok.text, tok.idx, tok.idx + len(tok.text))
        art.events.append(Event(
            id=f"e{n + 1}", sentence=art.sentence_of(tok.idx), evidence=span, cameo=cameo,
            cameo_name="", plover=None, goldstein=0.0, quad_class=quad, source=None,
            target=None, predicate=span))
    make_where(load_settings())(art)
    return art


def _where(art: Article) -> list[tuple[str, str | None, str | None] | None]:
    return [(e.location.name, e.location.country, e.location.text) if e.location else None
            for e in art.events]


def test_announced_in_a_city_locates_the_reported_pledge(parse) -> None:
    art = _article(parse("Officials announced in Geneva this week that talks would resume."),
                   [("announced", "010", 1), ("resume", "036", 1)])
    assert _where(art) == [("Geneva", "CHE", "Geneva")] * 2


def test_a_shelled_city_is_the_place(parse) -> None:
    art = _article(parse("She said on Monday that rebels had shelled Kharkiv."),
                   [("shelled", "195", 4)])
    assert _where(art) == [("Kharkiv", "UKR", "Kharkiv")]


def test_a_locative_on_the_object(parse) -> None:
    doc = parse("The ceasefire collapsed last month after the army shelled a market in Donetsk.")
    art = _article(doc, [("shelled", "195", 4)])
    assert _where(art) == [("Donetsk", "UKR", "Donetsk")]


def test_a_capital_used_as_a_government_is_no_place(parse) -> None:
    art = _article(parse("Moscow said it would respond."), [("said", "010", 1)],
                   actors=(("Moscow", "RUS"),))
    assert _where(art) == [None]
    art = _article(parse("The envoy urged Kyiv to negotiate."), [("urged", "0234", 1)],
                   actors=(("Kyiv", "UKR"),))
    assert _where(art) == [None]


def test_a_visit_is_where_it_goes(parse) -> None:
    art = _article(parse("The minister will travel to Rome on Thursday."),
                   [("travel", "042", 1)])
    assert _where(art) == [("Rome", "ITA", "Rome")]


def test_the_adjective_of_city_of_restricts_the_country(parse) -> None:
    art = _article(parse("Police detained dozens of protesters near the Syrian city of Homs."),
                   [("detained", "173", 4)])
    assert _where(art) == [("Homs", "SYR", "Homs")]


def test_paris_texas(parse) -> None:
    art = _article(parse("Talks were held in Paris, Texas, on Friday."), [("held", "040", 1)])
    [(name, country, _)] = _where(art)  # type: ignore[misc]
    assert (name, country) == ("Paris", "USA")
    assert art.events[0].location.lat == pytest.approx(33.66, abs=0.1)


def test_the_ukrainian_capital_is_kyiv(parse) -> None:
    art = _article(parse("Drones struck a depot in the Ukrainian capital overnight."),
                   [("struck", "190", 4)])
    assert _where(art) == [("Kyiv", "UKR", "the Ukrainian capital")]


def test_a_region_phrase(parse) -> None:
    art = _article(parse("Russian forces advanced in the Donetsk region."),
                   [("advanced", "190", 4)])
    assert _where(art) == [("Donetsk Oblast", "UKR", "Donetsk region")]
    assert art.events[0].location.feature == "oblast"


def test_a_participle_clause_locates_the_main_event(parse) -> None:
    art = _article(parse("Speaking in Beirut, the foreign minister condemned the strikes."),
                   [("condemned", "111", 3)])
    assert _where(art) == [("Beirut", "LBN", "Beirut")]


def test_a_where_clause_takes_the_place_it_describes(parse) -> None:
    art = _article(parse("The leaders met in Astana, where they signed a trade deal."),
                   [("signed", "057", 1)])
    assert _where(art) == [("Astana", "KAZ", "Astana")]


def test_a_locative_in_the_subject(parse) -> None:
    art = _article(parse("A roadside bomb near the town of Kunduz killed three soldiers."),
                   [("killed", "190", 4)])
    assert _where(art) == [("Kunduz", "AFG", "Kunduz")]


def test_a_circumstance_sentence_lends_its_place(parse) -> None:
    doc = parse("The minister warned rivals on Tuesday. The threat came as she addressed a "
                "summit in Jakarta.")
    art = _article(doc, [("warned", "138", 3)])
    assert _where(art) == [("Jakarta", "IDN", "Jakarta")]


def test_dateline() -> None:
    m = dateline("KYIV, Ukraine (AP) \u2014 Officials said drones hit a depot.")
    assert m is not None and (m.text, m.qualifier, m.start) == ("KYIV", "Ukraine", 0)
    m = dateline("MOSCOW, Sept 5 (Reuters) - The Kremlin said ...")
    assert m is not None and m.text == "MOSCOW"
    assert dateline("Officials said on Monday - after talks - that ...") is None
    assert dateline("The army - which had withdrawn - returned.") is None


def test_dateline_locates_events_without_a_place(parse) -> None:
    doc = parse("KYIV, Ukraine (AP) \u2014 Officials said drones hit a depot.")
    art = _article(doc, [("hit", "190", 4)])
    [(name, country, text)] = _where(art)  # type: ignore[misc]
    assert (name, country, text) == ("Kyiv", "UKR", "KYIV")
