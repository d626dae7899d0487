"""Find the stretches of an article's text that stand in quotation marks.

Works on the original text, so every typographic form is seen as written: straight and
curly double quotes, doubled apostrophes and backticks (``''`` and ````), guillemets
(« » ‹ ›), and single quotes used as quotation marks (‘ ’ and '), which are told from
apostrophes by what stands on either side. A mark's direction comes from its neighbours
first (space before and a word after opens; a word before and space or punctuation after
closes) and from its glyph only when the neighbours leave it open, so a closing glyph
misused to open ("”Fear ...") still reads right.

Quotations never run past a paragraph (a line break) unless the next paragraph opens with a
quotation mark: that is the convention for a quotation over several paragraphs, whose
opening mark is repeated and whose closing mark only comes at the very end. A quotation left
open at a paragraph end is closed there and flagged ``closed=False``; a mark that cannot be
paired is dropped. Either way the rest of the article is read as if it were not there.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

# "''" and "``" first, so that a doubled apostrophe is one double mark, not two singles.
_DOUBLE = re.compile(r"''|``|[\"\u201c\u201d\u201e\u201f\u00ab\u00bb\u2039\u203a]")
_SINGLE = re.compile(r"[\u2018\u2019'`]")
_OPEN_GLYPHS = frozenset({"\u201c", "\u201e", "\u201f", "\u00ab", "\u2039", "``"})
_CLOSE_GLYPHS = frozenset({"\u201d", "\u00bb", "\u203a"})
_QUOTE_CHARS = frozenset("\"'`\u2018\u2019\u201c\u201d\u201e\u201f\u00ab\u00bb\u2039\u203a")
_BEFORE_OPEN = frozenset("([{\u2014\u2013-/")
_AFTER_CLOSE = frozenset(".,;:!?)]}\u2014\u2013-\u2026/")

OPEN, CLOSE, EITHER = 1, 2, 3


@dataclass(frozen=True, slots=True)
class Quoted:
    """One quotation in marks: ``start`` is its opening mark, ``end`` is just past its last
    closing mark (or its last paragraph's end when ``closed`` is False). ``parts`` holds one
    ``(start, end)`` per paragraph it runs over."""

    start: int
    end: int
    closed: bool
    double: bool
    parts: tuple[tuple[int, int], ...]

    @property
    def paragraphs(self) -> int:
        return len(self.parts)


_LINE_BREAK = re.compile(r"\r\n?|[\n\u2028\u2029]")


def paragraphs(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of each non-blank line of ``text`` (any line or paragraph break)."""
    out = []
    pos = 0
    for m in _LINE_BREAK.finditer(text):
        if text[pos:m.start()].strip():
            out.append((pos, m.start()))
        pos = m.end()
    if text[pos:].strip():
        out.append((pos, len(text)))
    return out


def _direction(text: str, i: int, mark: str) -> int:
    """Whether the mark at ``i`` opens, closes, or could do either (the glyph decides)."""
    prev = text[i - 1] if i > 0 else "\n"
    j = i + len(mark)
    nxt = text[j] if j < len(text) else "\n"
    left = prev.isspace() or prev in _BEFORE_OPEN or prev in _QUOTE_CHARS
    right = nxt.isspace() or nxt in _AFTER_CLOSE or nxt in _QUOTE_CHARS
    if left and not right:
        return OPEN
    if right and not left:
        return CLOSE
    if mark in _OPEN_GLYPHS:
        return OPEN
    if mark in _CLOSE_GLYPHS:
        return CLOSE
    return EITHER


def _marks(pattern: re.Pattern[str], text: str, start: int, end: int
           ) -> Iterator[tuple[int, str]]:
    for m in pattern.finditer(text, start, end):
        yield m.start(), m.group()


def _first_visible(text: str, para: tuple[int, int]) -> int:
    s = para[0]
    while s < para[1] and text[s].isspace():
        s += 1
    return s


def _opens_paragraph(text: str, para: tuple[int, int]) -> bool:
    """True when the paragraph's first visible character is an opening double mark."""
    s = _first_visible(text, para)
    m = _DOUBLE.match(text, s)
    return m is not None and _direction(text, s, m.group()) != CLOSE


def _family(mark: str) -> str:
    if mark == '"':
        return "straight"
    if mark in ("''", "``"):
        return "doubled"
    return "guillemet" if mark in "\u00ab\u00bb\u2039\u203a" else "curly"


def _scan(text: str, para: tuple[int, int], stack: list[tuple[str, int]], continued: bool,
          nest: bool) -> tuple[list[tuple[int, int]], list[tuple[str, int]], bool]:
    """Pair the double marks of one paragraph. Returns the closed stretches (the first may
    finish a quotation continued from earlier paragraphs), the marks left open, and whether
    a quotation of another family was nested inside an open one."""
    closed: list[tuple[int, int]] = []
    nested = False
    for i, mark in _marks(_DOUBLE, text, *para):
        if continued and stack and stack[0][1] == i:
            continue  # the repeated opening mark of a continued paragraph
        d, fam = _direction(text, i, mark), _family(mark)
        same = [n for n, (f, _) in enumerate(stack) if f == fam]
        if not nest and stack and d != CLOSE and not same:
            same, d = [0], OPEN  # flat reading: any opening mark starts afresh
        if d == OPEN or (d == EITHER and not same):
            if same:  # the earlier quotation of this family never closed
                del stack[same[0]:]
            stack.append((fam, i))
            continue
        if not stack:
            continue  # a closing mark with nothing open
        start = stack[0][1]
        del stack[same[-1] if same else len(stack) - 1:]
        if stack:
            nested = True
        else:
            closed.append((start, i + len(mark)))
    return closed, stack, nested


def find_double(text: str, paras: list[tuple[int, int]] | None = None) -> list[Quoted]:
    """Quotations in double marks (any glyph), paragraph-bounded, multi-paragraph aware.

    Marks of another family inside an open quotation (curly inside straight) are a nested
    quotation and stay part of it - unless the outer one never closes in its paragraph, when
    it is a stray mark and the paragraph is read again without it. An opening mark of the
    open quotation's own family in the same paragraph means that quotation lost its closing
    mark: it is dropped and the new one is read.
    """
    paras = paragraphs(text) if paras is None else paras
    out: list[Quoted] = []
    stack: list[tuple[str, int]] = []  # (family, offset) of the open marks, outermost first
    parts: list[tuple[int, int]] = []  # the open quotation's parts in earlier paragraphs
    for k, para in enumerate(paras):
        before = list(stack)
        closed, stack, nested = _scan(text, para, list(before), bool(parts), nest=True)
        if stack and nested and not parts:
            closed, stack, _ = _scan(text, para, before, False, nest=False)
        for n, (start, end) in enumerate(closed):
            pieces = (*parts, (start, end)) if n == 0 and parts else ((start, end),)
            out.append(Quoted(pieces[0][0], end, True, True, tuple(pieces)))
        if closed:
            parts = []
        if not stack:
            continue
        parts.append((stack[0][1], para[1]))
        nxt = paras[k + 1] if k + 1 < len(paras) else None
        if nxt is not None and _opens_paragraph(text, nxt):
            stack = [(stack[0][0], _first_visible(text, nxt))]
        else:
            out.append(Quoted(parts[0][0], para[1], False, True, tuple(parts)))
            stack, parts = [], []
    return out


def _single_direction(text: str, i: int) -> int:
    """An opening single mark needs space (or a bracket) before and a character after; a
    closing one a character before and space or punctuation after; a mark between two
    letters is an apostrophe."""
    prev = text[i - 1] if i > 0 else "\n"
    nxt = text[i + 1] if i + 1 < len(text) else "\n"
    if prev.isalnum() and nxt.isalnum():
        return 0
    left = prev.isspace() or prev in _BEFORE_OPEN or prev in _QUOTE_CHARS
    right = nxt.isspace() or nxt in _AFTER_CLOSE or nxt in _QUOTE_CHARS
    if left and not right and not nxt.isspace():
        return OPEN
    if right and not left:
        return CLOSE
    return 0


def find_single(text: str, paras: list[tuple[int, int]], inside: list[Quoted]) -> list[Quoted]:
    """Quotations in single marks, outside the double-quoted stretches, within a paragraph.

    An opening mark pairs with the first closing mark after it in its paragraph; an opening
    mark with no partner ('90s, 'em) is an apostrophe and is dropped.
    """
    out: list[Quoted] = []
    blocked = iter(sorted((q.start, q.end) for q in inside))
    block = next(blocked, None)
    for para in paras:
        opened: int | None = None
        for i, _mark in _marks(_SINGLE, text, *para):
            while block is not None and block[1] <= i:
                block = next(blocked, None)
            if block is not None and block[0] <= i < block[1]:
                opened = None if opened is not None and opened < block[0] else opened
                continue
            d = _single_direction(text, i)
            if d == OPEN and opened is None:
                opened = i
            elif d == CLOSE and opened is not None and i > opened + 1:
                out.append(Quoted(opened, i + 1, True, False, ((opened, i + 1),)))
                opened = None
    return out


def find_quoted(text: str) -> list[Quoted]:
    """Every quotation in marks, double and single, in text order."""
    paras = paragraphs(text)
    double = find_double(text, paras)
    single = find_single(text, paras, double)
    return sorted(double + single, key=lambda q: q.start)
