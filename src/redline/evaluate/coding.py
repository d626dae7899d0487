"""Code gold records with redline, one record = one article, and pick the events that count."""

from __future__ import annotations

import datetime as dt
import logging
import sys
from collections.abc import Sequence
from typing import Any

from redline.article import Article, Event
from redline.errors import ConfigError, KnowledgeBaseError, ModelError, RedlineError
from redline.settings import Settings

# Errors of the set-up, not of one record: they stop the run.
_FATAL = (ModelError, KnowledgeBaseError, ConfigError)
_LOUD = 3  # failures logged one by one; the rest are counted

log = logging.getLogger(__name__)

#: ``all``: every coded event. ``asserted-or-reported``: events said to have happened or to
#: be planned (modality ``asserted`` - reported speech keeps it, with ``reported_by`` set - or
#: ``future``); ``hypothetical`` (threatened, conditional) and ``negated`` ones are left out.
MODALITIES: tuple[str, ...] = ("all", "asserted-or-reported")
_COUNTED = {"all": None, "asserted-or-reported": frozenset({"asserted", "future"})}


def counted_events(article: Article, modality: str = "all") -> list[Event]:
    """The events of ``article`` that count as predictions under ``modality``."""
    if modality not in _COUNTED:
        raise ValueError(f"modality must be one of {', '.join(MODALITIES)}")
    allowed = _COUNTED[modality]
    return [e for e in article.events if allowed is None or e.modality in allowed]


def code_records(items: Sequence[dict[str, Any]], *, progress: bool = True,
                 desc: str = "coding", chunk: int = 32,
                 settings: Settings | None = None) -> list[Article]:
    """Code ``{"id", "text", "date"}`` items through ``redline.code_many``, in order.

    An article that breaks the pipeline is logged and kept with no events, so that it is
    scored as a miss rather than stopping the run; when no article at all can be coded the
    set-up is broken and :class:`~redline.errors.RedlineError` says why. The spaCy docs are
    dropped.
    """
    from tqdm import tqdm

    from redline.api import code_many, get_pipeline

    out: list[Article] = []
    failed = 0
    first_error: str | None = None
    with tqdm(total=len(items), desc=desc, unit="rec", file=sys.stderr,
              disable=not progress) as bar:
        for i in range(0, len(items), chunk):
            batch = list(items[i:i + chunk])
            try:
                coded = list(code_many(batch, settings=settings))
            except _FATAL:
                raise
            except Exception:  # find the record at fault, keep the others
                log.debug("batch failed; coding one by one", exc_info=True)
                coded = []
                for item in batch:
                    art, error = _code_one(get_pipeline(settings), item)
                    if error is not None:
                        failed += 1
                        first_error = first_error or error
                        if failed <= _LOUD:
                            log.warning("record %s could not be coded (%s); scored as empty",
                                        art.id, error)
                    coded.append(art)
            for article in coded:
                article.doc = None
                out.append(article)
            bar.update(len(batch))
    if failed and failed == len(out):
        raise RedlineError(f"none of the {failed} records could be coded ({first_error})")
    if failed:
        log.warning("%d of %d records could not be coded and count as empty", failed, len(out))
    return out


def _code_one(pipeline: Any, item: dict[str, Any]) -> tuple[Article, str | None]:
    """Code one record; on failure an uncoded Article and the reason."""
    date = item.get("date")
    article = Article(id=str(item["id"]), text=item["text"],
                      date=dt.date.fromisoformat(date) if date else None)
    try:
        return pipeline(article), None
    except _FATAL:
        raise
    except Exception as exc:
        log.debug("record %s could not be coded", article.id, exc_info=True)
        return Article(id=article.id, text=article.text, date=article.date), (
            f"{type(exc).__name__}: {exc}")
