"""Code gold records with redline, one record = one article, and pick the events that count."""

from __future__ import annotations

import logging
import sys
from collections.abc import Sequence
from typing import Any

from redline.article import Article, Event
from redline.errors import RedlineError
from redline.settings import Settings

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
                 desc: str = "coding", settings: Settings | None = None) -> list[Article]:
    """Code ``{"id", "text", "date"}`` items through ``redline.code_many``, in order.

    The one fault-isolated loop (``on_error="collect"``): a record that breaks the pipeline
    or runs past the time limit is logged and kept with no events, so that it is scored as a
    miss rather than stopping the run; a set-up error (no model, a bad setting, a broken data
    file) stops it, as in every front end. When no record at all can be coded,
    :class:`~redline.errors.RedlineError` says why. The spaCy docs are dropped.
    """
    from tqdm import tqdm

    from redline.api import code_many
    from redline.pipeline import Failed

    out: list[Article] = []
    failed = 0
    first_error: str | None = None
    with tqdm(total=len(items), desc=desc, unit="rec", file=sys.stderr,
              disable=not progress) as bar:
        for item in code_many(items, settings=settings, on_error="collect",
                              keep_doc=False):
            if isinstance(item, Failed):
                failed += 1
                first_error = first_error or item.error.reason
                if failed <= _LOUD:
                    log.warning("record %s could not be coded (%s); scored as empty",
                                item.id, item.error.reason)
                item = item.article
            out.append(item)
            bar.update(1)
    if failed and failed == len(out):
        raise RedlineError(f"none of the {failed} records could be coded ({first_error})")
    if failed:
        log.warning("%d of %d records could not be coded and count as empty", failed, len(out))
    return out
