"""redline: read news, code political events (CAMEO/PLOVER), watch for escalation.

Public API::

    redline.code(text, date=None) -> Article
    redline.code_many(iterable_of_articles, on_error="raise"|"collect") -> Iterator[Article]
        (with "collect", an article that cannot be coded comes back as a redline.Failed)
    redline.resolve_actor("Russian troops", date="2025-09-05") -> Actor | None

Heavy parts (the spaCy model, the knowledge base) load on first use, not on import.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from redline._version import __version__

__all__ = ["Actor", "Article", "Event", "Failed", "Place", "Quote", "Span", "When", "code",
           "code_many", "resolve_actor", "__version__"]

if TYPE_CHECKING:
    from redline.actors.resolver import resolve_text as resolve_actor
    from redline.api import code, code_many
    from redline.article import Actor, Article, Event, Place, Quote, Span, When
    from redline.pipeline import Failed


def __getattr__(name: str) -> Any:
    if name in ("code", "code_many"):
        from redline import api

        return getattr(api, name)
    if name == "Failed":
        from redline.pipeline import Failed

        return Failed
    if name == "resolve_actor":
        from redline.actors.resolver import resolve_text

        return resolve_text
    if name in ("Actor", "Article", "Event", "Place", "Quote", "Span", "When"):
        from redline import article

        return getattr(article, name)
    raise AttributeError(f"module 'redline' has no attribute {name!r}")
