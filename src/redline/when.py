"""The ``when`` stage: each event's own date.

For now every event takes the article date, marked ``from_article_date`` so that nobody
mistakes it for a date read in the text; resolving time expressions ("in 2014", "last
week") is the event-dates work on the tracker. Articles without a date leave events undated.
"""

from __future__ import annotations

from redline.article import Article, When
from redline.pipeline import stage
from redline.settings import Settings


@stage("when", requires=["events"], assigns=["events.date"])
def make_when(settings: Settings):
    """Event dates (article date, marked as such, until time expressions are read)."""

    def when(article: Article) -> None:
        if article.date is None:
            return
        day = article.date.isoformat()
        for event in article.events:
            if event.date is None:
                event.date = When(day, day, "day", None, from_article_date=True)

    return when
