"""Finding quotations in marks: every typographic form, apostrophes, broken marks."""

from __future__ import annotations

from redline.quotes.marks import find_quoted, paragraphs


def quoted(text: str) -> list[str]:
    return [text[q.start:q.end] for q in find_quoted(text)]


def test_straight_and_curly_double_quotes():
    text = 'He said "we will win," and left. \u201cNever,\u201d she replied.'
    assert quoted(text) == ['"we will win,"', "\u201cNever,\u201d"]


def test_single_quotes_are_told_from_apostrophes():
    text = ("The country's leaders met. 'We are ready,' the minister said. "
            "The workers' unions and rock 'n roll fans in the '90s didn't agree.")
    assert quoted(text) == ["'We are ready,'"]


def test_curly_single_quotes():
    text = "The envoy called the offer \u2018a trap\u2019 and the army\u2019s chief agreed."
    assert quoted(text) == ["\u2018a trap\u2019"]


def test_single_quotes_inside_double_quotes_are_part_of_it():
    text = '"They called it \'a lie\', and it was," he said.'
    assert quoted(text) == ['"They called it \'a lie\', and it was,"']


def test_guillemets():
    assert quoted("Il a dit \u00ab non \u00bb hier. \u00abOui\u00bb, dit-elle.") == [
        "\u00ab non \u00bb", "\u00abOui\u00bb"]


def test_doubled_apostrophes_and_backticks_are_double_marks():
    text = "He wrote ''We will go'' and then ``We will stay.''"
    assert quoted(text) == ["''We will go''", "``We will stay.''"]


def test_a_closing_glyph_used_to_open_reads_by_its_neighbours():
    assert quoted("\n\u201dFear. I am afraid.\u201d \u2015 A reader\n") == [
        "\u201dFear. I am afraid.\u201d"]


def test_quote_over_several_paragraphs_with_repeated_opening_marks():
    text = ("She set out her plan:\n"
            "\u201cFirst, we protect the border.\n\n"
            "\u201cSecond, we talk to our neighbours.\n"
            "\u201cThird, we rebuild the army.\u201d\n"
            "The opposition was \"not impressed\".")
    qs = find_quoted(text)
    assert len(qs) == 2
    first = qs[0]
    assert text[first.start:first.end].startswith("\u201cFirst")
    assert text[first.start:first.end].endswith("army.\u201d")
    assert first.closed and first.paragraphs == 3
    assert text[qs[1].start:qs[1].end] == '"not impressed"'


def test_a_quote_left_open_ends_at_its_paragraph():
    text = ('A report called the truce "fragile.\n'
            'Officials said talks would resume.\n'
            '"We are ready," the envoy said.')
    qs = find_quoted(text)
    assert [text[q.start:q.end] for q in qs] == ['"fragile.', '"We are ready,"']
    assert [q.closed for q in qs] == [False, True]


def test_an_opening_mark_inside_an_open_quote_restarts_it():
    text = 'He said "we will go. Then "no way," she said, and "fine" he replied.'
    assert quoted(text) == ['"no way,"', '"fine"']


def test_a_stray_closing_mark_is_ignored():
    text = 'The wall is 6" thick. "It will hold," the engineer said.'
    assert quoted(text) == ['"It will hold,"']


def test_paragraphs_skip_blank_lines():
    assert paragraphs("a\n\n b\n") == [(0, 1), (3, 5)]


def test_a_quote_of_another_family_nests_inside_an_open_one():
    text = '"The survey asked: \u201cIs it over?\u201d Most said no," she said.'
    assert quoted(text) == ['"The survey asked: \u201cIs it over?\u201d Most said no,"']


def test_a_stray_mark_that_never_closes_does_not_swallow_a_real_quote():
    text = '"Stray mark at the start, then \u201ca real quote,\u201d he said.\nNext line.'
    assert quoted(text) == ["\u201ca real quote,\u201d"]
