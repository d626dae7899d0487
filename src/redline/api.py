"""The Python API: code one text or a stream of articles.

    >>> import redline
    >>> art = redline.code("Russia's army shelled Kharkiv on Monday.", date="2025-03-03")
    >>> [(e.cameo, e.source.code) for e in art.events]

The pipeline (and with it the spaCy model) is built on first use and kept for the process.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import deque
from collections.abc import Iterable, Iterator
from typing import Any

from redline.article import Article
from redline.errors import InputError, RedlineError
from redline.pipeline import Failed, Pipeline, build_pipeline
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


def _as_date(value: dt.date | str | None, source: str | None = None) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        message = f"date {value!r} is not an ISO date (YYYY-MM-DD)"
        if source is not None:
            raise InputError(source, message) from None
        raise RedlineError(message) from None


def _as_article(item: Article | dict[str, Any] | str, n: int) -> Article:
    if isinstance(item, Article):
        return item
    if isinstance(item, str):
        return Article(id=f"article-{n}", text=item)
    if isinstance(item, dict):
        if not isinstance(item.get("text"), str):
            raise InputError(str(item.get("id", f"item {n}")), "no 'text' string")
        ident = str(item.get("id", f"article-{n}"))
        return Article(id=ident, text=item["text"], date=_as_date(item.get("date"), ident),
                       title=item.get("title"), source=item.get("source"), url=item.get("url"))
    raise TypeError(f"cannot code a {type(item).__name__}; pass an Article, dict or str")


def code(text: str, date: dt.date | str | None = None, *, id: str = "article",
         title: str | None = None, settings: Settings | None = None) -> Article:
    """Code one article's text; ``date`` anchors relative dates and office-holders."""
    if not isinstance(text, str) or not text.strip():
        raise InputError(id, "empty text: nothing to code")
    article = Article(id=id, text=text, date=_as_date(date), title=title)
    return get_pipeline(settings)(article)


def code_many(items: Iterable[Article | dict[str, Any] | str], *,
              settings: Settings | None = None, batch_size: int | None = None,
              on_error: str = "raise", keep_doc: bool = True,
              time_limit: float | None = None) -> Iterator[Article | Failed]:
    """Code a stream of articles (Article, {"id","text","date",...} or plain text), in order.

    One item per input, through :meth:`redline.pipeline.Pipeline.pipe`, the loop every front
    end uses. ``on_error="raise"`` (default): an article that cannot be coded raises an
    :class:`~redline.errors.InputError` naming it (``CodingError``, ``TimeLimitError``,
    ``TooLargeError`` ...). ``on_error="collect"``: it comes back in its place as a
    :class:`~redline.pipeline.Failed` (``.article``, ``.error``) and the others are coded.
    A set-up error (no model, a bad setting, a broken data file) raises either way.
    ``keep_doc``: keep each article's spaCy Doc (``article.doc``); ``time_limit``: seconds
    per article (default ``[pipeline] time_limit``; 0: none).
    """
    pipeline = get_pipeline(settings)
    if on_error == "collect":
        yield from _collect_bad_items(pipeline, iter(items), batch_size, keep_doc, time_limit)
        return
    articles = (_as_article(item, n) for n, item in enumerate(items, 1))
    yield from pipeline.pipe(articles, batch_size, on_error=on_error, keep_doc=keep_doc,
                             time_limit=time_limit)


def _collect_bad_items(pipeline: Pipeline, items: Iterator[Any], batch_size: int | None,
                       keep_doc: bool, time_limit: float | None) -> Iterator[Article | Failed]:
    """``on_error="collect"`` for items that are not even articles (a dict without text):
    each becomes a Failed in its place, like an article that breaks a stage."""
    pending: deque[Article | Failed] = deque()  # read, not yet coded, in input order

    def articles() -> Iterator[Article]:
        for n, item in enumerate(items, 1):
            try:
                article = _as_article(item, n)
            except InputError as exc:
                pending.append(Failed(Article(id=exc.source, text=""), exc))
                continue
            pending.append(article)
            yield article

    for coded in pipeline.pipe(articles(), batch_size, on_error="collect", keep_doc=keep_doc,
                               time_limit=time_limit):
        while pending and isinstance(pending[0], Failed):
            yield pending.popleft()
        pending.popleft()
        yield coded
    yield from pending  # bad items after the last article
