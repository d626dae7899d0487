"""How the quotes stage's time grows with a chain of attributions ("he said, " repeated).

    python benchmarks/quotes_scaling.py [--reps 2500 5000 10000 20000]

No model is needed: each text gets the parse the model gives "he said, he said, ...", built
by hand (every "said" hangs from the next one as ``parataxis``, the last is the root, "he" is
each verb's subject), with a pronoun mention per "he". Only ``find_quotes`` is timed (the parse
and the earlier stages are not), best of three. Prints, per size: repetitions, characters,
seconds, quotations found and the total characters of their contents. Growth ~2x per
doubling is linear, ~4x quadratic. Asserts nothing.
"""

from __future__ import annotations

import argparse
import time

import spacy
from spacy.tokens import Doc

from redline.article import Article, Mention, Sentence
from redline.quotes.cues import load_cues
from redline.quotes.stage import find_quotes


def said_chain(reps: int, vocab: object) -> Article:
    """``"he said, " * reps`` with the model's parse of it."""
    words, heads, deps, pos, tags, lemmas, spaces = [], [], [], [], [], [], []
    for k in range(reps):
        said = 3 * k + 1
        nxt = said + 3 if k + 1 < reps else said
        words += ["he", "said", ","]
        heads += [said, nxt, said]
        deps += ["nsubj", "parataxis" if k + 1 < reps else "ROOT", "punct"]
        pos += ["PRON", "VERB", "PUNCT"]
        tags += ["PRP", "VBD", ","]
        lemmas += ["he", "say", ","]
        spaces += [True, False, True]
    doc = Doc(vocab, words=words, spaces=spaces, heads=heads, deps=deps, pos=pos, tags=tags,
              lemmas=lemmas)
    text = doc.text
    article = Article(id=f"said-{reps}", text=text, clean_text=text)
    article.doc = doc
    article.sentences = [Sentence(0, len(text))]
    article.mentions = [Mention("he", t.idx, t.idx + 2, 0, "PRON", head=t.idx)
                        for t in doc if t.text == "he"]
    return article


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reps", type=int, nargs="+", default=[2500, 5000, 10000, 20000])
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    vocab = spacy.blank("en").vocab
    cues = load_cues()
    print(f"{'reps':>7} {'chars':>8} {'seconds':>8} {'quotes':>7} {'content chars':>14}")
    for reps in args.reps:
        best = float("inf")
        quotes: list = []
        for _ in range(args.runs):
            article = said_chain(reps, vocab)
            t0 = time.perf_counter()
            quotes = find_quotes(article, cues)
            best = min(best, time.perf_counter() - t0)
        content = sum(q.content.end - q.content.start for q in quotes)
        print(f"{reps:>7} {len(article.text):>8} {best:>8.3f} {len(quotes):>7} {content:>14}",
              flush=True)


if __name__ == "__main__":
    main()
