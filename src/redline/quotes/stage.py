"""The ``quotes`` stage slot: quotations and reported speech with resolved speakers.

Filled by the quotations work (see the issue tracker); until then it sets an empty list so
that the output contract's ``quotes`` field is always present.
"""

from __future__ import annotations

from redline.article import Article
from redline.pipeline import stage
from redline.settings import Settings


@stage("quotes", requires=["mentions", "events"], assigns=["quotes"])
def make_quotes(settings: Settings):
    """Quotations and reported speech (slot: sets an empty list for now)."""

    def quotes(article: Article) -> None:
        article.quotes = []

    return quotes
