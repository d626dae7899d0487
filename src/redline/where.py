"""The ``where`` stage slot: each event's place (gazetteer work on the tracker).

Until places are read, events keep ``location = None``: no place is guessed.
"""

from __future__ import annotations

from redline.article import Article
from redline.pipeline import stage
from redline.settings import Settings


@stage("where", requires=["events"], assigns=["events.location"])
def make_where(settings: Settings):
    """Event places (slot: leaves location empty for now)."""

    def where(article: Article) -> None:
        return None

    return where
