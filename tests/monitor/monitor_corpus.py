"""A constructed corpus for the monitor tests: 32 short articles over 12 weeks, written
straight into a store database through the store's writer (no NLP model)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from redline import ontology
from redline.article import Actor, Article, Event, Plover, Span, When
from redline.store.db import open_writer
from redline.store.rows import article_rows
from redline.store.writer import write_article

MONDAY = dt.date(2025, 3, 3)  # week 1 = ISO week 2025-W10

ACTORS = {
    "RUS": ("Russia", "RUS", None), "RUSMIL": ("Russian forces", "RUS", "MIL"),
    "POL": ("Poland", "POL", None), "NATO": ("NATO", "NATO", None),
    "USA": ("the United States", "USA", None), "UKR": ("Ukraine", "UKR", None),
}


def week(n: int, day: int = 1) -> dt.date:
    """Day ``day`` (0 Monday) of corpus week ``n`` (1-12)."""
    return MONDAY + dt.timedelta(weeks=n - 1, days=day)


def _actor(code: str, start: int) -> Actor:
    text, country, sector = ACTORS[code]
    return Actor(text, start, start + len(text), code=code, country=country, sector=sector,
                 name=text, kind="country")


# (week, source, cameo, target, outlets, modality, own-date day offsets per outlet or None)
STORY: list[tuple[int, str, str, str, tuple[str, ...], str]] = [
    (1, "RUS", "036", "POL", ("Reuters", "AP"), "asserted"),
    (2, "RUS", "040", "POL", ("Reuters",), "asserted"),
    (3, "RUS", "042", "POL", ("AFP", "BBC"), "asserted"),
    (4, "RUS", "112", "POL", ("Reuters", "AP", "AFP"), "asserted"),
    (5, "RUS", "112", "POL", ("BBC",), "asserted"),
    (6, "RUS", "138", "POL", ("Reuters", "AP", "AFP", "BBC"), "asserted"),
    (7, "RUS", "138", "POL", ("Reuters", "AFP"), "asserted"),
    (8, "RUSMIL", "154", "POL", ("Reuters", "AP"), "asserted"),
    (9, "RUSMIL", "152", "POL", ("BBC",), "asserted"),
    (10, "RUSMIL", "195", "POL", ("Reuters", "AP", "AFP"), "asserted"),
    (11, "RUSMIL", "195", "POL", ("Reuters", "BBC"), "asserted"),
    (12, "RUSMIL", "190", "POL", ("AP",), "asserted"),
    # Other dyads.
    (2, "USA", "057", "UKR", ("Reuters",), "asserted"),
    (5, "USA", "040", "UKR", ("AP", "BBC"), "asserted"),
    (8, "USA", "042", "UKR", ("AFP",), "asserted"),
    (11, "USA", "057", "UKR", ("Reuters",), "asserted"),
    (3, "RUS", "112", "NATO", ("AP",), "asserted"),
    # A strike that "could" happen: hypothetical, so it must not count or alert.
    (4, "RUSMIL", "195", "POL", ("Reuters",), "hypothetical"),
]

N_ARTICLES = sum(len(s[4]) for s in STORY) + 1  # + the historical reference


def _event(source: str, cameo: str, target: str, text: str, when: When,
           modality: str = "asserted", confidence: float = 0.8) -> Event:
    mapping = ontology.cameo_to_plover(cameo)
    s_text = ACTORS[source][0]
    t_text = ACTORS[target][0]
    return Event(
        id="e1", sentence=0, evidence=Span(text, 0, len(text)), cameo=cameo,
        cameo_name=ontology.cameo(cameo).name,
        plover=Plover(mapping.type, mapping.mode) if mapping else None,
        goldstein=ontology.goldstein(cameo), quad_class=ontology.quad_class(cameo),
        source=_actor(source, text.find(s_text)), target=_actor(target, text.find(t_text)),
        modality=modality, date=when, confidence=confidence, rule="test")


def articles(max_week: int | None = None, min_week: int | None = None) -> list[Article]:
    """The corpus, in publication order; optionally only some weeks."""
    out: list[Article] = []
    for wk, src, cameo, tgt, outlets, modality in STORY:
        if (max_week and wk > max_week) or (min_week and wk < min_week):
            continue
        own = week(wk, 1)
        for i, outlet in enumerate(outlets):
            # Wire copies come out the same day or the next; each outlet words it its own way.
            published = own + dt.timedelta(days=i % 2)
            # One outlet dates the event a day later (its "Wednesday"): still the same event.
            event_day = own + dt.timedelta(days=1) if outlet == "BBC" else own
            text = (f"{ACTORS[src][0]} and {ACTORS[tgt][0]}: {ontology.cameo(cameo).name} "
                    f"({outlet} report, week {wk}, {modality}).")
            when = When(event_day.isoformat(), event_day.isoformat(), "day", "on Tuesday")
            art = Article(id=f"w{wk:02d}-{src}-{tgt}-{cameo}-{outlet}".lower(), text=text,
                          date=published, title=text[:40], source=outlet)
            art.events = [_event(src, cameo, tgt, text, when, modality)]
            out.append(art)
        if wk == 9 and (min_week or 0) <= 9 <= (max_week or 99):
            out.append(_historical())
    return out


def _historical() -> Article:
    text = ("Russia and Ukraine: in 2014 Russian forces occupied Crimea, the AFP background "
            "piece recalls.")
    when = When("2014-01-01", "2014-12-31", "year", "in 2014", historical=True)
    art = Article(id="w09-history-afp", text=text, date=week(9, 3), title="Background",
                  source="AFP")
    art.events = [_event("RUSMIL", "192", "UKR", text, when)]
    return art


def write(db: Path, items: list[Article]) -> None:
    conn = open_writer(db)
    try:
        for art in items:
            assert write_article(conn, article_rows(art), None) == "added"
    finally:
        conn.close()


RULES = """
[[rule]]
name = "rus-nato-force"
description = "any threat or use of force by RUS against NATO or a NATO member"
source = ["RUS"]
target = ["NATO+"]
rungs = ["threat", "use of force"]
once = "dyad"
"""
