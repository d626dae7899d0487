"""The words around a quotation: its *frames*, and what they say about its shape.

The left frame runs back from the opening mark to the previous sentence end, quotation or
paragraph start; the right frame runs on from the closing mark to the next sentence end,
quotation or paragraph end. Each is at most :data:`FRAME` tokens, so reading all of an
article's frames costs time in proportion to the article. Token lookups are by offset
(bisect), never scans.
"""

from __future__ import annotations

from bisect import bisect_left
from typing import Any

from redline.article import Article
from redline.quotes.marks import Quoted

FRAME = 40  # tokens looked at on either side of a quotation
ENDS = frozenset({".", "!", "?"})
INTRO = frozenset({"cc", "advmod", "punct", "intj"})  # may open a sentence before a quote
CLOSE_CHARS = "\"'\u201d\u2019\u00bb\u203a`\u201c\u00ab "
_SHORT = 8  # tokens of an attribution that stands as its own sentence ("Jane Roe said.")
_CLAUSE_END = ".,;:!?\u2026\u2014\u2013-"
_SMALL = frozenset({"a", "an", "the", "of", "in", "on", "for", "to", "and", "or", "at", "by",
                    "with", "from", "is", "are", "&"})


def is_title(quoted: str) -> bool:
    """A short run of capitalised words ("Face the Nation") names a work, not a saying."""
    words = [w.strip(".,;:!?()\u2019'\"") for w in quoted.strip(CLOSE_CHARS).split()]
    words = [w for w in words if w]
    if not 2 <= len(words) <= 8 or quoted.rstrip(CLOSE_CHARS)[-1:] in ("!", "?"):
        return False
    if not any(c.islower() for c in quoted):
        return False  # "U-S-A! U-S-A!" is chanted, not a title
    content = [w for w in words if w.lower() not in _SMALL or w is words[0]]
    return all(w[:1].isupper() or w[:1].isdigit() for w in content)


class Frames:
    """Token frames of one parsed article's quotations."""

    def __init__(self, article: Article) -> None:
        self.doc: Any = article.doc
        self.text = article.text
        self.starts = [t.idx for t in self.doc]

    def is_end(self, t: Any) -> bool:
        """A sentence-final mark: not one inside "(D-Md.)" or before a lower-case word."""
        if t.text not in ENDS:
            return False
        nxt = t.nbor() if t.i + 1 < len(self.doc) else None
        return nxt is None or not (nxt.text in (")", ",") or nxt.text[:1].islower())

    def left(self, q: Quoted, floor: int) -> list[Any]:
        """Tokens of the quotation's sentence before its opening mark, down to ``floor``."""
        return self.before(q.start, floor)

    def before(self, offset: int, floor: int = 0) -> list[Any]:
        """Tokens of the sentence that runs up to character ``offset``, in text order."""
        out: list[Any] = []
        i = bisect_left(self.starts, offset) - 1
        while i >= 0 and len(out) < FRAME:
            t = self.doc[i]
            if t.idx < floor or "\n" in t.text or self.is_end(t):
                break
            if not t.is_space:
                out.append(t)
            i -= 1
        out.reverse()
        return out

    def right(self, q: Quoted, ceiling: int) -> list[Any]:
        """Tokens after the closing mark up to a sentence end or ``ceiling`` (char offset)."""
        out: list[Any] = []
        i = bisect_left(self.starts, q.end)
        while i < len(self.doc) and len(out) < FRAME:
            t = self.doc[i]
            if t.idx >= ceiling or "\n" in t.text:
                break
            if not t.is_space:
                out.append(t)
            if self.is_end(t):
                break
            i += 1
        return out

    def opens_sentence(self, q: Quoted, floor: int) -> bool:
        """True when nothing but a conjunction or adverb of its sentence precedes ``q``."""
        return all(t.dep_ in INTRO for t in self.left(q, floor))

    def ends_clause(self, q: Quoted, ceiling: int) -> bool:
        """True when ``q`` ends in punctuation, holds whole sentences, or nothing but
        punctuation follows it (not 'the "deal" he signed')."""
        inner = self.text[q.start:q.end].rstrip(CLOSE_CHARS)
        if not q.closed or (inner and inner[-1] in _CLAUSE_END) or ". " in inner:
            return True
        rest = self.text[q.end:min(ceiling, q.end + 40)].lstrip(" \u00a0")
        return not rest or rest[0] in _CLAUSE_END or rest[0] in "\n)"

    def may_follow(self, q: Quoted, right: list[Any]) -> bool:
        """A quotation that ends its own sentence is not attributed by what follows,
        unless that is lower case ("Stop." he said) or a short sentence of its own ("...."
        Jane Roe said.)."""
        inner = self.text[q.start:q.end].rstrip(CLOSE_CHARS)
        if not inner.endswith(".") or right[0].text[:1].islower():
            return True
        return len(right) <= _SHORT and self.is_end(right[-1])

    def starts_like_sentence(self, q: Quoted) -> bool:
        """Does the quotation start like a sentence (capital, digit or bracket)?"""
        inner = self.text[q.start:q.end].lstrip(CLOSE_CHARS + ".\u2026")
        return not inner or not inner[0].islower()
