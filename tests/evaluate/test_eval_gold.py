"""Gold readers on tiny invented files in each published format."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from redline.errors import FormatError, InputError
from redline.evaluate.gold import (
    read_case2021,
    read_conflibert_class,
    read_conflibert_ner,
    read_plover,
    read_polnear,
)


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def plover_line(**over) -> str:
    rec = {"id": "p1", "text": "Ruritania and Freedonia agreed to talk.", "event": "AGREE",
           "mode": None, "context": "diplomatic",
           "source": [{"text": "Ruritania", "code": "RUR", "sector": "GOV"},
                      {"text": "Freedonia", "code": "FRD", "sector": ""}],
           "target": [], "event_location": {"name": "Vienna", "country code": "AT"}}
    rec.update(over)
    return json.dumps(rec)


def test_read_plover_keeps_compound_actors_and_location(tmp_path) -> None:
    path = write(tmp_path, "p.jsonl", plover_line() + "\n\n" + plover_line(
        id="p2", event="ASSAULT", target=[{"text": "x", "code": "ABCREB"}],
        event_location=None) + "\n")
    recs = read_plover(path)
    assert [r.id for r in recs] == ["p1", "p2"]
    assert [a.country for a in recs[0].source] == ["RUR", "FRD"]
    assert recs[0].target == ()
    assert recs[0].location.name == "Vienna" and recs[0].location.country_code == "AT"
    assert recs[1].target[0].country == "ABC"
    assert recs[1].location is None


def test_read_plover_names_the_bad_line(tmp_path) -> None:
    path = write(tmp_path, "p.jsonl", plover_line() + "\n{not json\n")
    with pytest.raises(FormatError, match=r"p\.jsonl:2: not JSON"):
        read_plover(path)
    path = write(tmp_path, "q.jsonl", json.dumps({"id": "x", "text": "t"}) + "\n")
    with pytest.raises(FormatError, match=r"q\.jsonl:1: no 'event' field"):
        read_plover(path)


def test_missing_or_empty_file_is_a_named_error(tmp_path) -> None:
    with pytest.raises(InputError, match="nope.jsonl: no such gold file"):
        read_plover(tmp_path / "nope.jsonl")
    with pytest.raises(FormatError, match="empty.tsv: no records found"):
        read_case2021(write(tmp_path, "empty.tsv", "id\tEventSnippet\tSubType\n"))


def test_read_conflibert_class(tmp_path) -> None:
    path = write(tmp_path, "c.tsv", "Troops fired on a crowd.\t4\nLeaders met, and smiled.\t1\n")
    recs = read_conflibert_class(path)
    assert [(r.text, r.label) for r in recs] == [("Troops fired on a crowd.", 4),
                                                 ("Leaders met, and smiled.", 1)]
    with pytest.raises(FormatError, match=r"bad\.tsv:1: label '7' is not 0-4"):
        read_conflibert_class(write(tmp_path, "bad.tsv", "Something.\t7\n"))


def test_read_conflibert_ner_rebuilds_text_and_spans(tmp_path) -> None:
    conll = ("The O\nnavy B-S\nof I-S\nRuritania I-S\nshelled O\nrebels B-T\n. O\n\n"
             "Both B-R\nsides I-R\ntalked O\n\n")
    recs = read_conflibert_ner(write(tmp_path, "n.txt", conll))
    assert len(recs) == 2
    first = recs[0]
    assert first.text == "The navy of Ruritania shelled rebels ."
    assert [first.text[a:b] for a, b in first.spans("S")] == ["navy of Ruritania"]
    assert [first.text[a:b] for a, b in first.spans("T")] == ["rebels"]
    second = recs[1]
    assert [second.text[a:b] for a, b in second.spans("S")] == ["Both sides"]
    assert [second.text[a:b] for a, b in second.spans("T")] == ["Both sides"]


def test_ner_inside_tag_without_begin_starts_a_span(tmp_path) -> None:
    recs = read_conflibert_ner(write(tmp_path, "n.txt", "a I-S\nb I-S\nc I-T\nd O\n"))
    s = recs[0]
    assert [s.text[a:b] for a, b in s.spans("S")] == ["a b"]
    assert [s.text[a:b] for a, b in s.spans("T")] == ["c"]


def test_read_conflibert_ner_rejects_an_unknown_tag(tmp_path) -> None:
    with pytest.raises(FormatError, match=r"n\.txt:2"):
        read_conflibert_ner(write(tmp_path, "n.txt", "a O\nb B-X\n"))


def test_read_case2021_skips_the_header(tmp_path) -> None:
    path = write(tmp_path, "c.tsv", "id\tEventSnippet\tSubType\n"
                 "7\tJets struck a depot at dawn\tAIR_STRIKE\n"
                 "9\tCrowds marched peacefully\tPEACE_PROTEST\n")
    recs = read_case2021(path)
    assert [(r.id, r.label) for r in recs] == [("7", "AIR_STRIKE"), ("9", "PEACE_PROTEST")]
    assert recs[0].text == "Jets struck a depot at dawn"


def test_read_polnear_spans_and_date_from_id(tmp_path) -> None:
    text = 'The mayor said "we will rebuild" on Friday.'
    rec = {"id": "outlet_2016-05-04_rebuild", "text": text, "attributions": [
        {"source": {"spans": [[0, 9]], "text": "The mayor"},
         "cue": {"spans": [[10, 14]], "text": "said"},
         "content": {"spans": [[15, 32]], "text": '"we will rebuild"'},
         "type": "Attribution"},
        {"source": None, "cue": {"spans": [[36, 42]], "text": "Friday"},
         "content": {"spans": [[0, 9]], "text": "The mayor"}, "type": "Attribution-no-source"},
    ]}
    recs = read_polnear(write(tmp_path, "p.jsonl", json.dumps(rec) + "\n"))
    art = recs[0]
    assert art.date == "2016-05-04"
    first = art.attributions[0]
    assert text[first.content.start:first.content.end] == '"we will rebuild"'
    assert art.attributions[1].source is None


def test_read_polnear_rejects_spans_outside_the_text(tmp_path) -> None:
    rec = {"id": "x", "text": "short", "attributions": [
        {"content": {"spans": [[0, 99]], "text": "?"}, "type": "Attribution"}]}
    with pytest.raises(FormatError, match="bad span"):
        read_polnear(write(tmp_path, "p.jsonl", json.dumps(rec) + "\n"))
