"""An article's text cut into runs by the spans that cover them, for highlighting.

Event evidence, actor mentions, quotations and quote cues overlap freely (an actor inside the
evidence of two events inside a quotation), so they cannot be nested as HTML elements. The
text is cut at every span boundary instead; each run knows every span covering it and is
rendered as one element carrying all of their classes and ids.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

KINDS = ("event", "actor", "quote", "cue")


@dataclass(slots=True)
class Run:
    """A stretch of text and the spans covering all of it (ids per kind)."""

    start: int
    end: int
    text: str
    spans: dict[str, list[Any]] = field(default_factory=dict)

    @property
    def marked(self) -> bool:
        return any(self.spans.values())

    def ids(self, kind: str) -> list[Any]:
        return self.spans.get(kind, [])


def spans_of(article: Mapping[str, Any]) -> list[tuple[str, Any, int, int]]:
    """(kind, id, start, end) of every highlightable span of an article as
    :func:`redline.store.queries.article_detail` gives it: events by ``event_id``, actors and
    quotes by their index in the article."""
    out: list[tuple[str, Any, int, int]] = []
    for e in article.get("events", []):
        out.append(("event", e["event_id"], e["evidence_start"], e["evidence_end"]))
    for a in article.get("actors", []):
        out.append(("actor", a["actor_index"], a["actor_start"], a["actor_end"]))
    for q in article.get("quotes", []):
        out.append(("quote", q["quote_index"], q["content_start"], q["content_end"]))
        if q.get("cue_start") is not None and q.get("cue_end") is not None:
            out.append(("cue", q["quote_index"], q["cue_start"], q["cue_end"]))
    return out


def runs(text: str, spans: Iterable[tuple[str, Any, int, int]]) -> list[Run]:
    """The text as consecutive runs, each with the spans covering it. Spans are clipped to
    the text; empty or inverted ones are dropped."""
    n = len(text)
    clean = []
    for kind, ident, start, end in spans:
        s, e = max(0, int(start)), min(n, int(end))
        if s < e:
            clean.append((kind, ident, s, e))
    cuts = sorted({0, n, *(s for _, _, s, _ in clean), *(e for _, _, _, e in clean)})
    starts: dict[int, list[tuple[str, Any, int]]] = {}
    for kind, ident, s, e in clean:
        starts.setdefault(s, []).append((kind, ident, e))
    active: list[tuple[str, Any, int]] = []
    out: list[Run] = []
    for a, b in zip(cuts, cuts[1:], strict=False):
        active = [x for x in active if x[2] > a] + starts.get(a, [])
        run = Run(a, b, text[a:b])
        for kind, ident, _ in active:
            run.spans.setdefault(kind, []).append(ident)
        out.append(run)
    return out
