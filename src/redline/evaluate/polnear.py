"""PolNeAR attributions: quotations and reported speech with their speakers.

Conventions:

* A predicted quotation matches a gold relation when their content spans overlap by at
  least half of the shorter one; pairs are made one to one, largest overlap first.
* The speaker is right when the predicted speaker's span overlaps the gold source span, or
  its resolved ``name`` contains the gold source's head word as a word (the last word of the
  gold source text, a possessive 's dropped). Matched relations with no gold source
  (``Attribution-no-source``) are not judged for speaker.
* Direct quotations: content in quotation marks - it opens with a quote mark (first
  character, or the one just before the span) and closes with one (last character before
  any trailing punctuation, or the first after the span, past at most one punctuation
  mark). A gold relation is direct by that test; a prediction is direct when its ``kind`` is
  ``direct`` or it passes the same test. Direct predictions are matched to direct gold only.
* Speech-verb relations: gold relations whose cue holds a word from
  ``data/speech_verbs.txt``; every prediction may match them; recall and speaker accuracy.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from redline.article import Actor, Article, Quote
from redline.evaluate.gold import AttributedArticle, Attribution, GoldSpan
from redline.evaluate.scoring import PRF, Miss, Spans, clip, match_one_to_one, overlaps

OPEN_QUOTES = "\"\u201c\u2018\u00ab'"
CLOSE_QUOTES = "\"\u201d\u2019\u00bb'"
_TRAILING = ".,;:!?\u2026"
_WORD = re.compile(r"[^\W_][\w.\-'\u2019]*")


@cache
def speech_verbs() -> frozenset[str]:
    """The word forms of ``data/speech_verbs.txt``."""
    text = resources.files("redline.evaluate").joinpath("data", "speech_verbs.txt").read_text(
        encoding="utf-8")
    words: set[str] = set()
    for line in text.splitlines():
        if line.strip() and not line.startswith("#"):
            words.update(w.lower() for w in line.split())
    return frozenset(words)


def is_speech_cue(cue: str) -> bool:
    """True when any word of ``cue`` is a speech or statement verb form."""
    verbs = speech_verbs()
    return any(w.strip(".,;:!?\"'\u2019").lower() in verbs for w in cue.split())


def is_quoted(text: str, spans: Spans) -> bool:
    """True when the content at ``spans`` of ``text`` is in quotation marks."""
    if not spans:
        return False
    start, end = spans[0][0], spans[-1][1]
    inner = text[start:end].strip()
    if not inner:
        return False
    opens = inner[0] in OPEN_QUOTES or (start > 0 and text[start - 1] in OPEN_QUOTES)
    body = inner.rstrip(_TRAILING + " ")
    after = text[end:end + 2]
    if after[:1] and after[0] in _TRAILING:
        after = after[1:]
    closes = ((len(inner) > 1 and body != "" and body[-1] in CLOSE_QUOTES)
              or (after != "" and after[0] in CLOSE_QUOTES))
    return opens and closes


def head_word(source: str) -> str | None:
    """The last word of a gold source text, a possessive 's dropped ("Smith's" -> "Smith")."""
    words = _WORD.findall(source)
    while words:
        w = re.sub(r"['\u2019]s?$", "", words[-1]).strip(".-")
        if w:
            return w
        words.pop()
    return None


def speaker_right(speaker: Actor | None, gold_source: GoldSpan | None) -> bool | None:
    """Is the predicted speaker the gold source? None when there is no gold source."""
    if gold_source is None:
        return None
    if speaker is None:
        return False
    if overlaps([(speaker.start, speaker.end)], gold_source.spans):
        return True
    head = head_word(gold_source.text)
    return bool(head and speaker.name
                and re.search(rf"(?<!\w){re.escape(head)}(?!\w)", speaker.name, re.I))


@dataclass(slots=True)
class SpeakerScore:
    right: int = 0
    judged: int = 0

    @property
    def accuracy(self) -> float:
        return self.right / self.judged if self.judged else 0.0

    def add(self, verdict: bool | None) -> None:
        if verdict is not None:
            self.judged += 1
            self.right += verdict

    def to_dict(self) -> dict[str, Any]:
        return {"right": self.right, "judged": self.judged, "accuracy": round(self.accuracy, 4)}


@dataclass(slots=True)
class PolnearResult:
    articles: int
    relations: int
    direct: PRF
    direct_speaker: SpeakerScore
    speech: PRF
    speech_speaker: SpeakerScore
    all: PRF
    all_speaker: SpeakerScore
    misses: list[Miss]

    def to_dict(self) -> dict[str, Any]:
        return {"set": "polnear", "articles": self.articles, "relations": self.relations,
                "direct": {**self.direct.to_dict(), "speaker": self.direct_speaker.to_dict()},
                "speech_verb": {"recall": round(self.speech.recall, 4),
                                "gold_ok": self.speech.gold_ok, "gold": self.speech.gold,
                                "speaker": self.speech_speaker.to_dict()},
                "all": {**self.all.to_dict(), "speaker": self.all_speaker.to_dict()},
                "misses": [m.to_dict() for m in self.misses]}


def items(records: Sequence[AttributedArticle]) -> list[dict[str, Any]]:
    """One article per record, dated with the date the set puts in its ids."""
    return [{"id": r.id, "text": r.text, "date": r.date} for r in records]


def _match(gold: Sequence[Attribution], pred: Sequence[Quote], speaker: SpeakerScore
           ) -> tuple[PRF, list[int]]:
    """Match one article's predictions to gold relations; also the unmatched gold indices."""
    gold_spans = [a.content.spans if a.content else () for a in gold]
    pred_spans = [[(q.content.start, q.content.end)] for q in pred]
    pairs = match_one_to_one(gold_spans, pred_spans)
    for gi, pi in pairs:
        speaker.add(speaker_right(pred[pi].speaker, gold[gi].source))
    found = {gi for gi, _ in pairs}
    return PRF(len(pairs), len(pred), len(pairs), len(gold)), [
        i for i in range(len(gold)) if i not in found]


def score(records: Sequence[AttributedArticle], articles: Sequence[Article]) -> PolnearResult:
    """Score ``article.quotes`` against the gold attribution relations."""
    direct, speech, every = PRF(), PRF(), PRF()
    direct_spk, speech_spk, every_spk = SpeakerScore(), SpeakerScore(), SpeakerScore()
    relations = 0
    misses: list[Miss] = []
    for rec, art in zip(records, articles, strict=True):
        gold = [a for a in rec.attributions if a.content is not None]
        relations += len(gold)
        quotes = list(art.quotes)
        gold_direct = [a for a in gold if is_quoted(rec.text, a.content.spans)]
        pred_direct = [q for q in quotes if q.kind == "direct"
                       or is_quoted(rec.text, [(q.content.start, q.content.end)])]
        d, missed_direct = _match(gold_direct, pred_direct, direct_spk)
        gold_speech = [a for a in gold if a.cue is not None and is_speech_cue(a.cue.text)]
        s, missed_speech = _match(gold_speech, quotes, speech_spk)
        a, _ = _match(gold, quotes, every_spk)
        direct, speech, every = direct + d, speech + s, every + a
        missed = {id(gold_direct[i]): gold_direct[i] for i in missed_direct}
        missed.update({id(gold_speech[i]): gold_speech[i] for i in missed_speech})
        for rel in sorted(missed.values(), key=lambda r: r.content.start):
            kind = "direct" if is_quoted(rec.text, rel.content.spans) else "speech-verb"
            speaker = rel.source.text if rel.source else "-"
            cue = rel.cue.text if rel.cue else "-"
            misses.append(Miss(rec.id, f"{kind} speaker={speaker} cue={cue}",
                               tuple(clip(q.content.text, 60) for q in quotes
                                     if overlaps([(q.content.start, q.content.end)],
                                                 rel.content.spans)),
                               clip(rel.content.text)))
    return PolnearResult(len(records), relations, direct, direct_spk, speech, speech_spk,
                         every, every_spk, misses)
