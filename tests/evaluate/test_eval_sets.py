"""Per-set scorers on hand-made gold records and hand-made coded articles (no model)."""

from __future__ import annotations

import pytest

from redline.article import Quote, Span
from redline.evaluate import case2021, conflibert, plover, polnear
from redline.evaluate.coding import counted_events
from redline.evaluate.gold import (
    AttributedArticle,
    Attribution,
    ClassRecord,
    GoldActor,
    GoldLocation,
    GoldSpan,
    LabelledSnippet,
    PloverRecord,
    TaggedSentence,
)
from redline.evaluate.places import place_country


def prec(id: str, event: str, source: list[str], target: list[str],
         location: GoldLocation | None = None) -> PloverRecord:
    return PloverRecord(id, f"text of {id}", event, None, None,
                        tuple(GoldActor(c, c) for c in source),
                        tuple(GoldActor(c, c) for c in target), location)


def test_modality_choice_filters_events(event, article) -> None:
    art = article(events=[event(modality=m) for m in
                          ("asserted", "future", "hypothetical", "negated")])
    assert len(counted_events(art, "all")) == 4
    kept = [e.modality for e in counted_events(art, "asserted-or-reported")]
    assert kept == ["asserted", "future"]
    with pytest.raises(ValueError):
        counted_events(art, "some")


def test_plover_scores_types_triples_and_location(event, actor, article) -> None:
    records = [
        prec("r1", "AGREE", ["FRA", "DEU"], [], GoldLocation("Paris", "FR")),
        prec("r2", "ASSAULT", ["RUS"], ["UKR"]),
        prec("r3", "PROTEST", ["GBR"], []),
    ]
    fra = actor(code="FRAGOV", country="FRA")
    articles = [
        article(events=[event("AGREE", source=fra, location="FRA"),
                        event("CONSULT", source=fra)]),
        article(events=[event("ASSAULT", source=actor(code="RUSMIL", country="RUS"),
                              target=actor(code="UKRMIL", country="UKR")),
                        event("THREATEN", modality="hypothetical")]),
        article(events=[]),
    ]
    r = plover.score(records, articles)
    # types: r1 {AGREE,CONSULT} vs AGREE; r2 {ASSAULT,THREATEN} vs ASSAULT; r3 {} vs PROTEST
    assert (r.micro.pred_ok, r.micro.pred, r.micro.gold) == (2, 4, 3)
    assert r.per_type["CONSULT"].pred == 1 and r.per_type["PROTEST"].gold == 1
    # triples: gold {FRA-AGREE-None, DEU-AGREE-None}, {RUS-ASSAULT-UKR}, {GBR-PROTEST-None};
    # predicted {FRA-AGREE-None, FRA-CONSULT-None}, {RUS-ASSAULT-UKR, None-THREATEN-None}, {}
    assert (r.triples.pred_ok, r.triples.pred, r.triples.gold_ok, r.triples.gold) == (2, 4, 2, 4)
    assert r.confusions == [("PROTEST", "(none)", 1)]
    assert [m.id for m in r.misses] == ["r3"]
    assert (r.location.records, r.location.resolved, r.location.correct) == (1, 1, 1)

    strict = plover.score(records, articles, modality="asserted-or-reported")
    assert strict.micro.pred == 3  # the hypothetical THREATEN no longer counts


def test_gold_location_country_from_code_alias_and_city() -> None:
    assert place_country("Lyon", "FR") == "FRA"
    assert place_country("Britain") == "GBR"
    assert place_country("Germany") == "DEU"
    assert place_country("town of Kandahar") == "AFG"
    assert place_country("Nowhere-upon-Nothing") is None


def test_quad_scoring(event, article) -> None:
    records = [ClassRecord("1", "a", 4), ClassRecord("2", "b", 0), ClassRecord("3", "c", 1)]
    articles = [article(events=[event(quad=4, confidence=0.9), event(quad=1, confidence=0.2)]),
                article(events=[event(quad=3)]),
                article(events=[])]
    r = conflibert.score_quad(records, articles)
    assert r.accuracy == pytest.approx(1 / 3)
    assert r.matrix[0] == [0, 0, 0, 1, 0]
    assert r.matrix[1] == [1, 0, 0, 0, 0]
    assert [m.id for m in r.misses] == ["2", "3"]


def test_actor_span_scoring_counts_r_for_both_roles(event, actor, article) -> None:
    sent = TaggedSentence("s1", ("Both", "sides", "attacked", "the", "town"),
                          ("B-R", "I-R", "O", "B-T", "I-T"))
    text = sent.text  # "Both sides attacked the town"
    art = article(text, [event(source=actor("sides", 5, 10), target=actor("town", 24, 28)),
                         event(source=actor("sides", 5, 10))])
    r = conflibert.score_actors([sent], [art])
    assert (r.source.pred_ok, r.source.pred, r.source.gold_ok, r.source.gold) == (1, 1, 1, 1)
    # targets: gold {Both sides (R), the town}; predicted {town}
    assert (r.target.pred_ok, r.target.pred, r.target.gold_ok, r.target.gold) == (1, 1, 1, 2)
    assert len(r.misses) == 1


def test_acled_map_precedence(event) -> None:
    table = case2021.acled_map()
    assert table.label(event("ASSAULT", cameo="190", mode="aerial")) == "AIR_STRIKE"
    assert table.label(event("ASSAULT", cameo="1831")) == "SUIC_BOMB"
    assert table.label(event("ASSAULT", cameo="1832")) == "REM_EXPLOS"
    assert table.label(event("ASSAULT", cameo="194")) == "ART_MISS_ATTACK"
    assert table.label(event("COERCE", cameo="173", mode="arrest")) == "ARREST"
    assert table.label(event("PROTEST", cameo="145", mode="riot")) == "VIOL_DEMONSTR"
    assert table.label(event("ASSAULT", cameo="999")) == "ATTACK"  # PLOVER type, any mode
    assert table.label(event("REQUEST", cameo="020")) is None


def test_acled_map_rejects_a_bad_row() -> None:
    from redline.errors import KnowledgeBaseError

    with pytest.raises(KnowledgeBaseError, match="m.tsv:1"):
        case2021.parse_acled_map("190\taerial\tAIR_STRIKE\n", "m.tsv")


def test_case2021_scoring(event, article) -> None:
    records = [LabelledSnippet("1", "a", "AIR_STRIKE"), LabelledSnippet("2", "b", "ARREST"),
               LabelledSnippet("3", "c", "DIPLO")]
    articles = [
        article(events=[event("ASSAULT", cameo="195", confidence=0.4),
                        event("REQUEST", cameo="020", quad=1, confidence=0.9)]),
        article(events=[event("PROTEST", cameo="141", quad=3)]),
        article(events=[event("CONSULT", cameo="042", quad=1)]),
    ]
    r = case2021.score(records, articles)
    assert r.accuracy == pytest.approx(2 / 3)
    assert r.per_label["AIR_STRIKE"].correct == 1
    assert r.per_label["ARREST"].recall == 0.0
    # conflict labels: AIR_STRIKE (quad-4 event present) and ARREST (only quad 3)
    assert (r.conflict_found, r.conflict_records) == (1, 2)
    assert r.confusions == [("ARREST", "PEACE_PROTEST", 1)]


TEXT = ('The senator said "the bill is dead" after the vote. '
        "Officials reported that talks would resume.")


def gspan(fragment: str) -> GoldSpan:
    start = TEXT.index(fragment)
    return GoldSpan(((start, start + len(fragment)),), fragment)


def test_direct_quotation_detection() -> None:
    text = 'He said "we stay," and left. She noted that \u201cit is over.\u201d'
    assert polnear.is_quoted(text, [(8, 18)])  # '"we stay,"'
    assert polnear.is_quoted(text, [(9, 16)])  # quote marks just outside
    assert not polnear.is_quoted(text, [(38, 57)])  # 'that "it is over."' opens with 'that'
    assert polnear.is_quoted(text, [(43, 57)])


def test_head_word_drops_possessive() -> None:
    assert polnear.head_word("the governor's") == "governor"
    assert polnear.head_word("Senator Jane Roe") == "Roe"
    assert polnear.head_word("Roe\u2019s office") == "office"


def test_speech_cue() -> None:
    assert polnear.is_speech_cue("has said")
    assert polnear.is_speech_cue("told")
    assert not polnear.is_speech_cue("according to")


def test_polnear_scoring_with_hand_made_quotes(actor, article) -> None:
    gold = AttributedArticle("x_2016-01-01_a", TEXT, (
        Attribution(gspan("The senator"), gspan("said"), gspan('"the bill is dead"'),
                    "Attribution"),
        Attribution(gspan("Officials"), gspan("reported"),
                    gspan("that talks would resume"), "Attribution"),
    ))
    q_start = TEXT.index('"the bill')
    direct = Quote(speaker=actor("senator", 4, 11, name="Sen. Ann Smith"),
                   cue=None, content=Span("the bill is dead", q_start + 1, q_start + 17),
                   kind="direct")
    r_start = TEXT.index("talks would")
    wrong_speaker = Quote(speaker=actor("vote", 46, 50), cue=None,
                          content=Span("talks would resume", r_start, r_start + 18),
                          kind="indirect")
    stray = Quote(speaker=None, cue=None, content=Span("The senator", 0, 11), kind="direct")
    r = polnear.score([gold], [article(TEXT, quotes=[direct, wrong_speaker, stray])])
    assert r.relations == 2
    # direct: gold 1 ('"the bill is dead"'), predicted direct 2, matched 1
    assert (r.direct.pred_ok, r.direct.pred, r.direct.gold) == (1, 2, 1)
    assert (r.direct_speaker.right, r.direct_speaker.judged) == (1, 1)
    # speech-verb relations: both gold; both found; one speaker right
    assert (r.speech.gold_ok, r.speech.gold) == (2, 2)
    assert (r.speech_speaker.right, r.speech_speaker.judged) == (1, 2)
    assert r.misses == []


def test_speaker_right_by_resolved_name(actor) -> None:
    src = GoldSpan(((100, 110),), "Mr. Smith's")
    assert polnear.speaker_right(actor("he", 0, 2, name="John Smith"), src)
    assert not polnear.speaker_right(actor("he", 0, 2, name="John Smithson"), src)
    assert not polnear.speaker_right(None, src)
    assert polnear.speaker_right(actor("he", 0, 2), None) is None


def test_polnear_scores_zero_when_no_quotes(article) -> None:
    gold = AttributedArticle("x", TEXT, (
        Attribution(gspan("The senator"), gspan("said"), gspan('"the bill is dead"'),
                    "Attribution"),))
    r = polnear.score([gold], [article(TEXT)])
    assert (r.direct.precision, r.direct.recall, r.speech.recall) == (0.0, 0.0, 0.0)
    assert len(r.misses) == 1


def test_acled_map_and_conflict_labels_use_known_label_names() -> None:
    assert len(case2021.LABELS) == 30
    assert case2021.acled_map().labels <= case2021.LABELS
    assert case2021.CONFLICT_LABELS <= case2021.LABELS
