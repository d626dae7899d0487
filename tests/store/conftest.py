"""Store fixtures: a tiny rule-based coding stage (no model) and hand-built coded articles.

The ``toy_code`` stage codes "<X> attacked <Y>." as CAMEO 190 and "<X> threatened <Y>." as 130
between the capitalised words X and Y (actor code = their first three letters, upper case), so
ingest can be tested end to end in a few milliseconds. A text containing ``EXPLODE`` makes it
raise, to test an article that breaks a stage.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest

from redline.article import Actor, Article, Event, Plover, Quote, Sentence, Span, When
from redline.pipeline import stage
from redline.settings import NlpSettings, PipelineSettings, Settings

_VERBS = {"attacked": ("190", "Use conventional military force", "ASSAULT", -10.0, 4),
          "threatened": ("130", "Threaten", "THREATEN", -4.4, 3),
          "praised": ("051", "Praise or endorse", "AGREE", 3.4, 1)}
_CLAUSE = re.compile(r"([A-Z][a-z]+) (attacked|threatened|praised) ([A-Z][a-z]+)")


def _actor(text: str, start: int) -> Actor:
    code = text[:3].upper()
    return Actor(text=text, start=start, end=start + len(text), code=code, country=code,
                 name=text, kind="country")


@stage("toy_code", requires=["text"],
       assigns=["sentences", "actors", "events", "quotes", "events.date"])
def make_toy_code(settings: Settings):
    """Toy coder for the store tests: 'X attacked Y.' and friends."""

    def code(article: Article) -> None:
        if "EXPLODE" in article.text:
            raise RuntimeError("toy stage exploded")
        article.sentences = [Sentence(m.start(), m.end())
                             for m in re.finditer(r'[^.]+\.?"?', article.text)]
        for i, m in enumerate(_CLAUSE.finditer(article.text)):
            src, tgt = _actor(m[1], m.start(1)), _actor(m[3], m.start(3))
            cameo, name, plover, goldstein, quad = _VERBS[m[2]]
            day = article.date.isoformat() if article.date else None
            article.actors += [src, tgt]
            article.events.append(Event(
                id=f"e{i + 1}", sentence=article.sentence_of(m.start()),
                evidence=Span(m[0], m.start(), m.end()), cameo=cameo, cameo_name=name,
                plover=Plover(plover), goldstein=goldstein, quad_class=quad, source=src,
                target=tgt, date=When(day, day, "day", None, True) if day else None,
                confidence=0.9, rule=f"toy:{m[2]}",
                predicate=Span(m[2], m.start(2), m.end(2))))
        q = article.text.find('"')
        if q >= 0 and '"' in article.text[q + 1:]:
            end = article.text.index('"', q + 1) + 1
            article.quotes.append(Quote(speaker=None, cue=None,
                                        content=Span(article.text[q:end], q, end),
                                        kind="direct"))

    return code


TOY = Settings(nlp=NlpSettings(batch_size=2), pipeline=PipelineSettings(stages=("toy_code",)))


@pytest.fixture
def toy_settings() -> Settings:
    return TOY


@pytest.fixture
def toy_article():
    """toy_article(id, text, date="2025-03-03") -> an Article coded by the toy stage."""
    from redline.pipeline import build_pipeline

    pipeline = build_pipeline(TOY)

    def make(id: str, text: str, date: str | None = "2025-03-03") -> Article:
        article = Article(id=id, text=text,
                          date=dt.date.fromisoformat(date) if date else None)
        return pipeline(article)

    return make


@pytest.fixture
def write_jsonl():
    """write_jsonl(path, records) -> path, one JSON object a line."""

    def write(path: Path, records: list[dict]) -> Path:
        path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
        return path

    return write


_SENTENCES = (
    "Russian forces shelled Kharkiv on Monday.",
    "The United States imposed new sanctions on Iran.",
    "China warned Taiwan against any move towards independence.",
    "Israeli troops attacked Hamas positions in Gaza.",
    "France and Germany signed a trade agreement in Berlin.",
    "The Ukrainian president met the NATO secretary general in Brussels.",
    "Protesters demonstrated against the government in Tbilisi.",
    "Iran threatened to close the Strait of Hormuz.",
    "India accused Pakistan of violating the ceasefire.",
    "The European Union praised the peace agreement.",
    "Turkey denied sending troops into Syria.",
    "Police arrested dozens of opposition activists in Minsk.",
    "The Japanese government offered aid to the Philippines after the storm.",
    "North Korea fired two ballistic missiles into the sea.",
    "Brazil and Argentina agreed to resume talks on the border dispute.",
    "Rebels seized the town after heavy fighting with the army.",
)


@pytest.fixture
def small_corpus():
    """small_corpus(path, n=30) -> path: a JSONL file of n short articles we wrote, each of
    four sentences from a fixed pool plus a line that makes its text unique."""
    import random

    def make(path: Path, n: int = 30) -> Path:
        rng = random.Random(20250612)
        records = []
        for i in range(n):
            body = " ".join(rng.sample(_SENTENCES, 4))
            day = dt.date(2025, 1, 1) + dt.timedelta(days=i)
            records.append({"id": f"story-{i:02d}", "date": day.isoformat(),
                            "text": f"{body} This was report {i + 1} from the foreign desk."})
        path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
        return path

    return make
