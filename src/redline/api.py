"""The Python API: code one text or a stream of articles.

    >>> import redline
    >>> art = redline.code("Russia's army shelled Kharkiv on Monday.", date="2025-03-03")
    >>> [(e.cameo, e.source.code) for e in art.events]

The pipeline (and with it the spaCy model) is built on first use and kept for the process.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable, Iterator
from typing import Any

from redline.article import Article
from redline.errors import InputError, RedlineError
from redline.pipeline import Pipeline, build_pipeline
from redline.settings import Settings, load_settings

log = logging.getLogger(__name__)

_PIPELINES: dict[int, Pipeline] = {}


def get_pipeline(settings: Settings | None = None) -> Pipeline:
    """The pipeline for ``settings`` (the defaults when None), built once."""
    settings = settings or load_settings()
    key = hash(settings)
    if key not in _PIPELINES:
        _PIPELINES[key] = build_pipeline(settings)
    return _PIPELINES[key]


def _as_date(value: dt.date | str | None) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        raise RedlineError(f"date {value!r} is not an ISO date (YYYY-MM-DD)") from None


def _as_article(item: Article | dict[str, Any] | str, n: int) -> Article:
    if isinstance(item, Article):
        return item
    if isinstance(item, str):
        return Article(id=f"article-{n}", text=item)
    if isinstance(item, dict):
        if not isinstance(item.get("text"), str):
            raise InputError(str(item.get("id", f"item {n}")), "no 'text' string")
        return Article(id=str(item.get("id", f"article-{n}")), text=item["text"],
                       date=_as_date(item.get("date")), title=item.get("title"),
                       source=item.get("source"), url=item.get("url"))
    raise TypeError(f"cannot code a {type(item).__name__}; pass an Article, dict or str")


def code(text: str, date: dt.date | str | None = None, *, id: str = "article",
         title: str | None = None, settings: Settings | None = None) -> Article:
    """Code one article's text; ``date`` anchors relative dates and office-holders."""
    if not isinstance(text, str) or not text.strip():
        raise InputError(id, "empty text: nothing to code")
    article = Article(id=id, text=text, date=_as_date(date), title=title)
    return get_pipeline(settings)(article)


def code_many(items: Iterable[Article | dict[str, Any] | str], *,
              settings: Settings | None = None, batch_size: int | None = None
              ) -> Iterator[Article]:
    """Code a stream of articles (Article, {"id","text","date",...} or plain text), in order."""
    pipeline = get_pipeline(settings)
    articles = (_as_article(item, n) for n, item in enumerate(items, 1))
    yield from pipeline.pipe(articles, batch_size)
