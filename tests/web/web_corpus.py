"""A small event database for the web tests, written through the store's writer (no model).

Three parts:

* a story: Russia and Poland over eight weeks, from talks to air strikes, each step reported
  by one to three outlets (dyad series, clusters, escalation flags, alerts);
* background dyads: the United States and Ukraine cooperating, NATO backing Poland;
* hand-made articles that exercise the article view and the filters: a feature with quotes,
  cues, actors, places and a negated event; an article whose id has a slash and a colon and
  whose title is HTML; an undated article; an event recalled from 2014; evidence with ``%``
  and ``_`` for the text search.

Every text is ours. Offsets are found with ``str.find``, so they always match the text.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from pathlib import Path

from redline import ontology
from redline.article import Actor, Article, Event, Place, Plover, Quote, Sentence, Span, When
from redline.monitor import parse_rules, watch
from redline.store.db import open_writer
from redline.store.rows import article_rows
from redline.store.writer import write_article

MONDAY = dt.date(2025, 3, 3)  # week 1 = 2025-W10

ACTORS = {
    "RUS": ("Russia", "RUS", None, "country"),
    "RUSMIL": ("Russian forces", "RUS", "MIL", "group"),
    "POL": ("Poland", "POL", None, "country"),
    "POLGOV": ("the Polish foreign minister", "POL", "GOV", "person"),
    "USA": ("the United States", "USA", None, "country"),
    "UKR": ("Ukraine", "UKR", None, "country"),
    "NATO": ("NATO", "IGO", "IGO", "igo"),  # CAMEO international class as country
}

PLACES = {
    "Kaliningrad": ("RUS", 54.71, 20.51),
    "Warsaw": ("POL", 52.23, 21.01),
    "Rzeszow": ("POL", 50.04, 22.0),
    "Kyiv": ("UKR", 50.45, 30.52),
    "Brussels": ("BEL", 50.85, 4.35),
}

VERBS = {
    "036": "offered talks to", "042": "sent envoys to", "112": "accused",
    "138": "threatened military action against", "154": "massed troops on the border of",
    "195": "launched air strikes on", "190": "attacked", "057": "signed a pact with",
    "030": "promised help to", "051": "praised",
}

# (week, source, cameo, target, outlets, place)
STORY: list[tuple[int, str, str, str, tuple[str, ...], str | None]] = [
    (1, "RUS", "036", "POL", ("Reuters", "AP"), "Warsaw"),
    (2, "RUS", "042", "POL", ("AFP",), "Warsaw"),
    (3, "RUS", "112", "POL", ("Reuters", "BBC"), None),
    (4, "RUS", "112", "POL", ("AP",), None),
    (5, "RUS", "138", "POL", ("Reuters", "AP", "AFP"), "Kaliningrad"),
    (6, "RUSMIL", "154", "POL", ("BBC", "AP"), "Kaliningrad"),
    (7, "RUSMIL", "195", "POL", ("Reuters", "AFP", "AP"), "Rzeszow"),
    (8, "RUSMIL", "190", "POL", ("BBC",), "Rzeszow"),
    (2, "USA", "057", "UKR", ("Reuters",), "Kyiv"),
    (4, "USA", "030", "UKR", ("AP", "BBC"), "Kyiv"),
    (7, "USA", "051", "UKR", ("AFP",), None),
    (3, "NATO", "051", "POL", ("Reuters",), "Brussels"),
]

SLASH_ID = "wire/2025:07"
HTML_TITLE = 'Warsaw <script>alert("x")</script> & Moscow'
RULES = """
[[rule]]
name = "rus-pol-force"
description = "threats or force by Russia against Poland"
source = ["RUS"]
target = ["POL"]
rungs = ["threat", "use of force"]

[[rule]]
name = "any-conflict"
min_rung = "threat"
once = "dyad"
"""


def week(n: int, day: int = 1) -> dt.date:
    return MONDAY + dt.timedelta(weeks=n - 1, days=day)


def _actor(code: str, text: str, start: int) -> Actor:
    name, country, sector, kind = ACTORS[code]
    return Actor(text, start, start + len(text), code=code, country=country, sector=sector,
                 name=name, kind=kind, resolved_by="test", confidence=0.9)


def _place(name: str, text: str) -> Place:
    country, lat, lon = PLACES[name]
    start = text.find(name)
    return Place(name, country, lat, lon, text=name, start=start, end=start + len(name),
                 feature="city")


def _event(eid: str, text: str, evidence: str, cameo: str, source: str | None,
           target: str | None, *, modality: str = "asserted", when: When | None = None,
           place: str | None = None, confidence: float = 0.8,
           rule: str = "test:verb") -> Event:
    start = text.find(evidence)
    assert start >= 0, evidence
    mapping = ontology.cameo_to_plover(cameo)

    def actor(code: str | None) -> Actor | None:
        if code is None:
            return None
        mention = ACTORS[code][0]
        at = text.find(mention, start)
        if at < 0:
            at = text.find(mention[0].upper() + mention[1:], start)
            mention = mention[0].upper() + mention[1:]
        assert at >= 0, (code, text)
        return _actor(code, mention, at)

    return Event(
        id=eid, sentence=0, evidence=Span(evidence, start, start + len(evidence)),
        cameo=cameo, cameo_name=ontology.cameo(cameo).name,
        plover=Plover(mapping.type, mapping.mode, list(mapping.context)) if mapping else None,
        goldstein=ontology.goldstein(cameo), quad_class=ontology.quad_class(cameo),
        source=actor(source), target=actor(target), modality=modality, date=when,
        location=_place(place, text) if place else None, confidence=confidence, rule=rule)


def _story() -> list[Article]:
    out = []
    for wk, src, cameo, tgt, outlets, place in STORY:
        day = week(wk)
        for i, outlet in enumerate(outlets):
            s_text = ACTORS[src][0]
            s_text = s_text[0].upper() + s_text[1:]
            clause = f"{s_text} {VERBS[cameo]} {ACTORS[tgt][0]}"
            where = f" near {place}" if place else ""
            text = f"{clause}{where} on Tuesday, {outlet} reported in week {wk}."
            when = When(day.isoformat(), day.isoformat(), "day", "on Tuesday")
            art = Article(id=f"w{wk}-{src}-{tgt}-{cameo}-{outlet}".lower(), text=text,
                          date=day + dt.timedelta(days=i % 2), title=f"{clause} ({outlet})",
                          source=outlet, url=f"https://news.example/{outlet.lower()}/{wk}")
            ev = _event("e1", text, clause, cameo, src, tgt, when=when, place=place)
            art.events = [ev]
            art.actors = [a for a in (ev.source, ev.target) if a]
            art.sentences = [Sentence(0, len(text))]
            out.append(art)
    return out


FEATURE_TEXT = (
    'Russia threatened Poland with "serious consequences" on Tuesday, as Russian forces '
    "massed troops on the border of Poland near Kaliningrad.\n\n"
    'The Polish foreign minister said: "We will not be intimidated by threats from Moscow."\n\n'
    "Poland did not break off relations with Russia, officials said. NATO praised Poland "
    "in Brussels.\n\n"
    "Poland imposed a 5% levy on Russian_gas imports in Warsaw."
)


def feature() -> Article:
    """The article the article view is tested on: every kind of highlight."""
    text = FEATURE_TEXT
    day = week(5)
    when = When(day.isoformat(), day.isoformat(), "day", "on Tuesday")
    events = [
        _event("e1", text, "Russia threatened Poland", "130", "RUS", "POL", when=when,
               place="Kaliningrad", rule="verb:V:threaten"),
        _event("e2", text, "Russian forces massed troops on the border of Poland", "154",
               "RUSMIL", "POL", when=when, place="Kaliningrad"),
        _event("e3", text, "Poland did not break off relations with Russia", "161", "POL",
               "RUS", modality="negated", when=when),
        _event("e4", text, "NATO praised Poland", "051", "NATO", "POL", when=when,
               place="Brussels"),
        _event("e5", text, "Poland imposed a 5% levy on Russian_gas imports", "163", "POL",
               None, when=when, place="Warsaw"),
    ]
    minister = "The Polish foreign minister"
    m_at = text.find(minister)
    speaker = _actor("POLGOV", minister, m_at)
    content = '"We will not be intimidated by threats from Moscow."'
    c_at = text.find(content)
    cue_at = text.find("said", m_at)
    scary = '"serious consequences"'
    s_at = text.find(scary)
    art = Article(id="feature-1", text=text, date=day, title="Russia threatens Poland",
                  source="Desk", url="https://news.example/feature-1")
    art.events = events
    art.actors = [a for e in events for a in (e.source, e.target) if a] + [speaker]
    art.quotes = [
        Quote(speaker=speaker, cue=Span("said", cue_at, cue_at + 4),
              content=Span(content, c_at, c_at + len(content)), kind="direct", sentence=1,
              confidence=0.9),
        Quote(speaker=None, cue=None, content=Span(scary, s_at, s_at + len(scary)),
              kind="mixed", sentence=0, confidence=0.5),
    ]
    art.sentences = [Sentence(0, text.find("\n\n"))]
    return art


def oddities() -> list[Article]:
    """An id with a slash and a colon and an HTML title; an undated article; a recollection."""
    text = "Russia accused Poland of provocations, the wire said."
    slash = Article(id=SLASH_ID, text=text, date=week(3), title=HTML_TITLE, source="Wire")
    slash.events = [_event("e1", text, "Russia accused Poland", "112", "RUS", "POL",
                           when=When(week(3).isoformat(), week(3).isoformat(), "day"))]
    text2 = "Ukraine praised the United States for its help, a statement said."
    undated = Article(id="undated-1", text=text2, date=None, title="No date", source="Wire")
    undated.events = [_event("e1", text2, "Ukraine praised the United States", "051", "UKR",
                             "USA")]
    text3 = "In 2014 Russian forces attacked Ukraine, the background piece recalled."
    history = Article(id="history-1", text=text3, date=week(6), title="Background",
                      source="Desk")
    history.events = [_event("e1", text3, "Russian forces attacked Ukraine", "190", "RUSMIL",
                             "UKR", when=When("2014-01-01", "2014-12-31", "year", "In 2014",
                                              historical=True))]
    return [slash, undated, history]


def articles() -> list[Article]:
    return [*_story(), feature(), *oddities()]


def build(db: Path, *, alerts: bool = True) -> Path:
    """Write the corpus to ``db`` (and run the watch rules on it unless ``alerts`` is off)."""
    conn = open_writer(db)
    try:
        for art in articles():
            assert write_article(conn, article_rows(art), None) == "added", art.id
    finally:
        conn.close()
    if alerts:
        watch(db, parse_rules(tomllib.loads(RULES)))
    return db
