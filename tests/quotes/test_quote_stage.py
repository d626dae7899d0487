"""The quotes stage on whole invented articles: every form of quotation, its speaker, its
cue, and the events stated inside it."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.model

DATE = "2025-06-12"


def quotes_of(coded, text: str, date: str = DATE):
    art = coded(text, date)
    return art, art.quotes


def only(quotes, kind: str | None = None):
    picked = [q for q in quotes if kind is None or q.kind == kind]
    assert len(picked) == 1, [(q.kind, q.content.text) for q in quotes]
    return picked[0]


def test_straight_quotes_speaker_before_with_colon(coded):
    text = ('Defence Minister Rustem Umerov spoke in Kyiv on Monday. '
            'He said: "We will not send more troops to the north."')
    art, quotes = quotes_of(coded, text)
    q = only(quotes, "direct")
    assert q.content.text == '"We will not send more troops to the north."'
    assert q.cue.text == "said"
    assert q.speaker.text == "He"
    assert q.speaker.name == "Rustem Umerov"
    assert (q.speaker.country, q.speaker.sector) == ("UKR", "GOV")
    assert art.text[q.content.start:q.content.end] == q.content.text


def test_curly_quotes_inverted_speaker_with_apposition(coded):
    text = ("\u201cThe border will stay closed for now,\u201d said Dr. Jane Roe, an analyst "
            "at the Royal United Services Institute.")
    _, quotes = quotes_of(coded, text)
    q = only(quotes)
    assert q.kind == "direct"
    assert q.content.text == "\u201cThe border will stay closed for now,\u201d"
    assert q.speaker.text == "Dr. Jane Roe"
    assert q.speaker.affiliation is not None
    assert "Royal United Services Institute" in q.speaker.affiliation.text


def test_single_quotes_as_quotation_marks_not_apostrophes(coded):
    text = ("The country's leaders met on Friday. 'We are ready to talk,' President "
            "Emmanuel Macron said. The workers' unions disagreed.")
    _, quotes = quotes_of(coded, text)
    q = only(quotes, "direct")
    assert q.content.text == "'We are ready to talk,'"
    assert q.speaker.name == "Emmanuel Macron"
    assert q.speaker.country == "FRA"


def test_guillemets(coded):
    text = ("President Emmanuel Macron spoke in Paris. "
            "\u00ab We will not give in \u00bb, he said.")
    _, quotes = quotes_of(coded, text)
    q = only(quotes, "direct")
    assert q.content.text == "\u00ab We will not give in \u00bb"
    assert q.speaker.name == "Emmanuel Macron"


def test_quote_over_several_paragraphs_is_one_quotation(coded):
    text = ("Prime Minister Keir Starmer set out his plan on Monday:\n"
            "\u201cFirst, we will protect the border.\n"
            "\u201cSecond, we will talk to our neighbours.\n"
            "\u201cThird, we will rebuild the army.\u201d\n"
            "The opposition was not impressed.")
    _, quotes = quotes_of(coded, text)
    q = only(quotes, "direct")
    assert q.content.text.startswith("\u201cFirst")
    assert q.content.text.endswith("army.\u201d")
    assert q.speaker.name == "Keir Starmer"
    assert q.speaker.country == "GBR"


def test_quote_split_by_its_attribution_is_one_quotation(coded):
    text = ("Chancellor Friedrich Merz arrived in Vilnius on Tuesday. "
            "\u201cIf the talks fail,\u201d he said, \u201cthen Europe will act alone.\u201d")
    _, quotes = quotes_of(coded, text)
    q = only(quotes, "direct")
    assert q.content.text.startswith("\u201cIf the talks fail")
    assert q.content.text.endswith("act alone.\u201d")
    assert q.cue.text == "said"
    assert q.speaker.name == "Friedrich Merz"
    assert q.speaker.country == "DEU"


def test_speaker_after_the_quote(coded):
    text = '"The shelling has not stopped," the governor of Kharkiv, Oleh Syniehubov, said.'
    _, quotes = quotes_of(coded, text)
    q = only(quotes, "direct")
    assert "governor" in q.speaker.text or "Syniehubov" in q.speaker.text


def test_description_speaker_resolves_to_the_named_actor(coded):
    text = ("Foreign Minister Sergei Lavrov met Turkish officials in Ankara. "
            "\u201cThe talks were useful,\u201d the foreign minister said.")
    _, quotes = quotes_of(coded, text)
    q = only(quotes, "direct")
    assert q.speaker.text == "the foreign minister"
    assert q.speaker.name == "Sergei Lavrov"
    assert (q.speaker.country, q.speaker.sector) == ("RUS", "GOV")


def test_unknown_speaker_keeps_its_words_with_null_codes(coded):
    text = '"We had no warning at all," a farmer near the border said.'
    _, quotes = quotes_of(coded, text)
    q = only(quotes, "direct")
    assert "farmer" in q.speaker.text
    assert q.speaker.kind == "person"
    assert q.speaker.code is None


def test_according_to(coded):
    text = "According to the Ukrainian defence ministry, Russian forces shelled Kharkiv overnight."
    _, quotes = quotes_of(coded, text)
    q = only(quotes)
    assert q.kind == "indirect"
    assert q.cue.text == "According to"
    assert q.speaker.country == "UKR"
    assert q.content.text == "Russian forces shelled Kharkiv overnight"


def test_told_reporters_that(coded):
    text = "Sergei Lavrov told reporters that Moscow would respond to any provocation by NATO."
    _, quotes = quotes_of(coded, text)
    q = only(quotes)
    assert q.kind == "indirect"
    assert q.cue.text == "told"
    assert q.content.text == "that Moscow would respond to any provocation by NATO"
    assert q.speaker.name == "Sergei Lavrov"


def test_reported_clause_with_a_partial_quote_is_mixed(coded):
    text = 'Sergei Lavrov insisted there was "no chance" of a deal with Kyiv before the winter.'
    _, quotes = quotes_of(coded, text)
    q = only(quotes)
    assert q.kind == "mixed"
    assert q.cue.text == "insisted"
    assert '"no chance"' in q.content.text
    assert q.speaker.name == "Sergei Lavrov"


def test_cue_keeps_its_auxiliary(coded):
    text = "Sergei Lavrov has declared that any foreign troops in Ukraine would be targets."
    _, quotes = quotes_of(coded, text)
    assert only(quotes).cue.text == "has declared"


def test_new_paragraph_opening_with_a_quote_continues_the_speaker(coded):
    text = ("\u201cWe will not retreat,\u201d said General Oleksandr Syrskyi, the army chief.\n"
            "\u201cRussian troops attacked our positions near Pokrovsk at dawn.\u201d\n"
            "The fighting went on all day.")
    _, quotes = quotes_of(coded, text)
    assert [q.kind for q in quotes] == ["direct", "direct"]
    first, second = quotes
    assert second.content.text.startswith("\u201cRussian troops")
    assert second.cue is None
    assert second.speaker.name == first.speaker.name == "Oleksandr Syrskyi"


def test_unbalanced_mark_does_not_lose_the_other_quotes(coded):
    text = ('The ceasefire began at dawn, a report said, calling it "fragile.\n'
            "Officials in Kyiv said the talks would resume next week.\n"
            '"We are ready," said Foreign Minister Andrii Sybiha.\n'
            '"Nothing has changed," Kremlin spokesman Dmitry Peskov told reporters.')
    _, quotes = quotes_of(coded, text)
    direct = [q for q in quotes if q.kind == "direct"]
    assert [q.content.text for q in direct] == ['"We are ready,"', '"Nothing has changed,"']
    assert [q.speaker.name for q in direct] == ["Andrii Sybiha", "Dmitry Peskov"]
    assert [q.speaker.country for q in direct] == ["UKR", "RUS"]
    assert not any("Officials" in q.content.text for q in quotes)


def test_titles_and_scare_quotes_are_not_quotations(coded):
    text = ('She appeared on "Face the Nation" on Sunday. The so-called "peace plan" was '
            "discussed by ministers in Geneva.")
    _, quotes = quotes_of(coded, text)
    assert quotes == []


def test_event_inside_a_quotation_is_reported_by_its_speaker(coded):
    text = ("\u201cWe will not retreat,\u201d said General Oleksandr Syrskyi, the army chief.\n"
            "\u201cRussian troops attacked our positions near Pokrovsk at dawn.\u201d")
    art = coded(text, DATE)
    attacks = [e for e in art.events if e.predicate and e.predicate.text == "attacked"]
    assert attacks, [e.rule for e in art.events]
    assert all(e.reported_by is not None and e.reported_by.name == "Oleksandr Syrskyi"
               for e in attacks)


def test_event_inside_a_reported_clause_is_reported_by_its_speaker(coded):
    text = "According to the Ukrainian defence ministry, Russian forces shelled Kharkiv overnight."
    art = coded(text, DATE)
    shelled = [e for e in art.events if e.predicate and e.predicate.text == "shelled"]
    assert shelled
    assert all(e.reported_by is not None and e.reported_by.country == "UKR" for e in shelled)


def test_quotes_are_in_the_output_contract(coded):
    art = coded('"We are ready," said Foreign Minister Andrii Sybiha.', DATE)
    d = art.to_dict()["quotes"][0]
    assert d["kind"] == "direct"
    assert d["speaker"]["name"] == "Andrii Sybiha"
    assert d["cue"]["text"] == "said"
    assert d["content"]["text"] == '"We are ready,"'


def test_speaker_phrase_naming_its_organisation_takes_it_as_affiliation(coded):
    text = '"We are investigating the strike," a spokesman for the Ukrainian defence ministry said.'
    _, quotes = quotes_of(coded, text)
    q = only(quotes, "direct")
    assert q.speaker.text == "a spokesman"
    assert q.speaker.affiliation is not None
    assert q.speaker.country == "UKR"


def test_a_label_verb_gives_a_partial_quotation(coded):
    text = 'Analysts called the deal "a historic mistake" and warned of more fighting.'
    _, quotes = quotes_of(coded, text)
    q = only(quotes)
    assert q.kind == "mixed"
    assert q.cue.text == "called"
    assert q.content.text == 'the deal "a historic mistake"'


def test_attribution_standing_as_its_own_sentence(coded):
    _, quotes = quotes_of(coded, '"The talks have failed." Jane Roe said.')
    q = only(quotes, "direct")
    assert q.content.text == '"The talks have failed."'
    assert q.speaker.name == "Jane Roe"
