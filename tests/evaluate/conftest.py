"""Builders for hand-made coded articles, so the scorers are tested without the model."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from redline.article import Actor, Article, Event, Place, Plover, Quote, Span


def _actor(text: str = "x", start: int = 0, end: int = 1, code: str | None = None,
           country: str | None = None, name: str | None = None) -> Actor:
    return Actor(text=text, start=start, end=end, code=code, country=country, name=name)


def _event(plover: str | None = "ASSAULT", *, cameo: str = "190", mode: str | None = None,
           quad: int = 4, confidence: float = 0.5, modality: str = "asserted",
           source: Actor | None = None, target: Actor | None = None,
           location: str | None = None) -> Event:
    return Event(
        id="e", sentence=0, evidence=Span("x", 0, 1), cameo=cameo, cameo_name="",
        plover=Plover(plover, mode) if plover else None, goldstein=0.0, quad_class=quad,
        source=source, target=target, modality=modality, confidence=confidence,
        location=Place(name="somewhere", country=location) if location else None,
    )


def _article(text: str = "x", events: list[Event] | None = None,
             quotes: list[Quote] | None = None, id: str = "a") -> Article:
    return Article(id=id, text=text, events=list(events or []), quotes=list(quotes or []))


@pytest.fixture
def actor() -> Callable[..., Actor]:
    """actor(text, start, end, code=, country=, name=) -> Actor"""
    return _actor


@pytest.fixture
def event() -> Callable[..., Event]:
    """event(plover_type, cameo=, mode=, quad=, confidence=, modality=, source=, target=,
    location=) -> Event"""
    return _event


@pytest.fixture
def article() -> Callable[..., Article]:
    """article(text, events, quotes, id) -> Article"""
    return _article
