"""The quotes stage does work linear in the text, even on a chain of attributions.

"he said, " repeated parses as one sentence in which every "said" hangs from the next: each
report's clause held all the reports before it, so 10,000 repetitions gave 10,000 quotations
whose contents added up to 450 million characters (and spaCy's ``Token.children`` scans a
token's whole subtree span, quadratic on such a chain). The measures here are deterministic:
characters of output and Python calls made, compared between 2,500 and 10,000 repetitions.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

from redline.article import Article, Mention, Sentence
from redline.quotes.cues import load_cues
from redline.quotes.indirect import MAX_NESTED
from redline.quotes.stage import find_quotes

QUOTES_SRC = Path(__file__).resolve().parents[2] / "src" / "redline" / "quotes"


def said_chain(reps: int) -> Article:
    """``"he said, " * reps`` with the parse the model gives it, built by hand."""
    import spacy
    from spacy.tokens import Doc

    words, heads, deps, pos, lemmas, spaces = [], [], [], [], [], []
    for k in range(reps):
        said = 3 * k + 1
        last = k + 1 == reps
        words += ["he", "said", ","]
        heads += [said, said if last else said + 3, said]
        deps += ["nsubj", "ROOT" if last else "parataxis", "punct"]
        pos += ["PRON", "VERB", "PUNCT"]
        lemmas += ["he", "say", ","]
        spaces += [True, False, True]
    doc = Doc(spacy.blank("en").vocab, words=words, spaces=spaces, heads=heads, deps=deps,
              pos=pos, lemmas=lemmas)
    article = Article(id=f"said-{reps}", text=doc.text, clean_text=doc.text)
    article.doc = doc
    article.sentences = [Sentence(0, len(doc.text))]
    article.mentions = [Mention("he", t.idx, t.idx + 2, 0, "PRON", head=t.idx)
                        for t in doc if t.text == "he"]
    return article


def _work(reps: int) -> tuple[int, int, int]:
    """(Python calls made by find_quotes, quotations, characters of their contents)."""
    article = said_chain(reps)
    cues = load_cues()
    calls = 0

    def count(frame: object, event: str, arg: object) -> None:
        nonlocal calls
        if event in ("call", "c_call"):
            calls += 1

    sys.setprofile(count)
    try:
        quotes = find_quotes(article, cues)
    finally:
        sys.setprofile(None)
    return calls, len(quotes), sum(q.content.end - q.content.start for q in quotes)


def test_a_chain_of_attributions_costs_linear_work():
    small_calls, _, small_chars = _work(2_500)
    big_calls, big_quotes, big_chars = _work(10_000)
    # 4x the text: linear work is ~4x; quadratic would be ~16x
    assert big_calls <= 6 * small_calls
    assert big_chars <= 6 * max(small_chars, 1)
    assert big_chars <= len(said_chain(10_000).text) * (MAX_NESTED + 1)
    assert big_quotes <= MAX_NESTED + 1


@pytest.mark.parametrize("attr", ["children", "lefts", "rights", "subtree"])
def test_the_stage_never_scans_a_subtree_span(attr):
    """spaCy's Token.children/lefts/rights/subtree walk the token's whole subtree span;
    the stage asks redline.syntax.children (one index per Doc) instead."""
    for path in sorted(QUOTES_SRC.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            assert not (isinstance(node, ast.Attribute) and node.attr == attr), (
                f"{path.name}:{node.lineno} uses .{attr}")


def test_children_index_agrees_with_spacy():
    from redline.syntax import children

    doc = said_chain(20).doc
    for tok in doc:
        assert [c.i for c in children(tok)] == [c.i for c in tok.children]


def test_nested_reports_within_the_limit_are_kept():
    """"A said B said C said ...": up to MAX_NESTED reports inside one are all kept."""
    article = said_chain(MAX_NESTED + 1)
    quotes = find_quotes(article, load_cues())
    assert len(quotes) == MAX_NESTED  # every report but the root's (no clause around it)
