"""Stage registry and the pipeline built from settings.

A stage is registered with :func:`stage`: a factory ``(settings) -> callable(article)`` that
declares which ``Article`` attributes it needs (``requires``) and which it sets (``assigns``):
a field name (``"mentions"``) or, for a field of the items of a list field, a dotted name
(``"events.date"``). Every stage may append to ``notes``, which no stage declares.
Built-in stages register exactly as a third-party one would: a plugin package exposes a module
under the ``redline.stages`` entry-point group whose import registers its stages. The pipeline
checks, when it is built, that every stage exists, that every name it declares is a field of
``Article`` (or of a list field's items), and that everything it requires was set by an
earlier stage (or is an input field).

A stage's callable may also offer ``pipe(articles) -> list[Article]`` to work on a batch (the
parse stage uses it to feed spaCy's ``nlp.pipe``) and ``prepare()`` to load what it needs
before the first article (the parse stage loads its model).

:meth:`Pipeline.pipe` is the one fault-isolated loop: the CLI's ``code``, ``ingest`` (through
:mod:`redline.workers`), ``eval`` and :func:`redline.code_many` all code through it, with one
error policy (see its docstring) and the per-article time limit of :mod:`redline.limits`.
"""

from __future__ import annotations

import dataclasses
import functools
import logging
import typing
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from importlib import import_module
from importlib.metadata import entry_points
from typing import Any, Protocol

from redline.article import Article
from redline.errors import (
    CodingError,
    ConfigError,
    InputError,
    KnowledgeBaseError,
    ModelError,
    TimeLimitError,
)
from redline.limits import TimeUp, deadline
from redline.settings import Settings

log = logging.getLogger(__name__)

#: What a raw Article carries before any stage runs.
INPUT_FIELDS = frozenset({"id", "text", "date", "title", "source", "url"})
#: Fields every stage may use without declaring them: the notes a reader should see and
#: the pipeline's own record of the stages run.
SHARED_FIELDS = frozenset({"notes", "stages_run"})


@functools.cache
def _field_types(cls: type) -> dict[str, Any]:
    """The dataclass fields of ``cls`` with their resolved types."""
    hints = typing.get_type_hints(cls)
    return {f.name: hints.get(f.name) for f in dataclasses.fields(cls)}


def check_declared(stage_name: str, name: str) -> None:
    """Raise :class:`ConfigError` unless ``name`` (``"events"`` or ``"events.date"``) is a
    field of :class:`Article`, or of the items of one of its list fields."""
    head, _, item_field = name.partition(".")
    fields = _field_types(Article)
    if head not in fields:
        raise ConfigError(f"stage '{stage_name}' declares '{name}', but Article has no field "
                          f"'{head}'")
    if not item_field:
        return
    args = typing.get_args(fields[head])
    item = args[0] if typing.get_origin(fields[head]) is list and args else None
    if not (dataclasses.is_dataclass(item) and isinstance(item, type)
            and item_field in _field_types(item)):
        raise ConfigError(f"stage '{stage_name}' declares '{name}', but the items of "
                          f"Article.{head} have no field '{item_field}'")

#: Errors of the set-up, not of one article (a bad setting, no model, a broken data file in
#: the package): every article would fail the same way, so they stop a run in every front end.
FATAL_ERRORS: tuple[type[Exception], ...] = (ConfigError, ModelError, KnowledgeBaseError)
#: What ``Pipeline.pipe`` may do with an article that cannot be coded.
ON_ERROR = ("raise", "collect")


class StageFn(Protocol):
    def __call__(self, article: Article) -> None: ...


@dataclass(frozen=True, slots=True)
class StageSpec:
    name: str
    factory: Callable[[Settings], StageFn]
    requires: tuple[str, ...]
    assigns: tuple[str, ...]
    doc: str


_REGISTRY: dict[str, StageSpec] = {}
_BUILTIN_MODULES = (
    "redline.nlp",
    "redline.actors.stage",
    "redline.events.stage",
    "redline.quotes.stage",
    "redline.when",
    "redline.where",
)
_loaded = False


def stage(
    name: str, *, requires: Iterable[str] = (), assigns: Iterable[str] = ()
) -> Callable[[Callable[[Settings], StageFn]], Callable[[Settings], StageFn]]:
    """Register a stage factory under ``name``."""

    def register(factory: Callable[[Settings], StageFn]) -> Callable[[Settings], StageFn]:
        if name in _REGISTRY and _REGISTRY[name].factory is not factory:
            raise ConfigError(f"stage '{name}' is registered twice")
        doc = (factory.__doc__ or "").strip().splitlines()
        _REGISTRY[name] = StageSpec(name, factory, tuple(requires), tuple(assigns),
                                    doc[0] if doc else "")
        return factory

    return register


def _load_stage_modules() -> None:
    global _loaded
    if _loaded:
        return
    for module in _BUILTIN_MODULES:
        import_module(module)
    for ep in entry_points(group="redline.stages"):
        try:
            ep.load()
        except Exception as exc:  # a broken plugin must not take redline down with it
            log.warning("stage plugin %s failed to load: %s", ep.name, exc)
    _loaded = True


def registered_stages() -> dict[str, StageSpec]:
    _load_stage_modules()
    return dict(_REGISTRY)


class Pipeline:
    """The configured stages, checked and ready; call it on an Article."""

    def __init__(self, specs: list[StageSpec], settings: Settings) -> None:
        self.specs = specs
        self.settings = settings
        self._fns: list[StageFn] | None = None

    @property
    def names(self) -> list[str]:
        return [s.name for s in self.specs]

    def _stage_fns(self) -> list[StageFn]:
        if self._fns is None:
            self._fns = [spec.factory(self.settings) for spec in self.specs]
        return self._fns

    def __call__(self, article: Article) -> Article:
        for spec, fn in zip(self.specs, self._stage_fns(), strict=True):
            fn(article)
            article.stages_run.append(spec.name)
        return article

    def prepare(self) -> None:
        """Build every stage and load what a stage offers to load up front (``prepare()``:
        the parse stage loads its model), so a time limit never counts a one-off load."""
        for fn in self._stage_fns():
            ready: Any = getattr(fn, "prepare", None)
            if ready is not None:
                ready()

    def pipe(self, articles: Iterable[Article], batch_size: int | None = None, *,
             on_error: str = "raise", keep_doc: bool = False,
             time_limit: float | None = None) -> Iterator[Article | Failed]:
        """Code articles in batches; one item per article, in input order.

        ``on_error="raise"``: the first article that cannot be coded raises (an
        :class:`~redline.errors.InputError` as it is; a time-out as
        :class:`~redline.errors.TimeLimitError`; anything else as
        :class:`~redline.errors.CodingError` naming the article, chained to the cause).
        ``on_error="collect"``: that article is yielded as a :class:`Failed` in its place and
        the batch goes on. Either way a set-up error (:data:`FATAL_ERRORS`), which would fail
        every article, stops the run. ``keep_doc``: keep each article's spaCy Doc (dropped by
        default: it is large and no output needs it). ``time_limit``: seconds per article
        (default ``[pipeline] time_limit``; 0 or less: none), see :mod:`redline.limits`.
        """
        if on_error not in ON_ERROR:
            raise ValueError(f"on_error must be one of {', '.join(ON_ERROR)}, not {on_error!r}")
        size = max(1, batch_size or self.settings.nlp.batch_size)
        limit = self.settings.pipeline.time_limit if time_limit is None else time_limit
        self.prepare()
        batch: list[Article] = []
        for article in articles:
            batch.append(article)
            if len(batch) >= size:
                yield from self._isolated(batch, on_error, keep_doc, limit)
                batch = []
        if batch:
            yield from self._isolated(batch, on_error, keep_doc, limit)

    def _isolated(self, batch: list[Article], on_error: str, keep_doc: bool,
                  limit: float) -> Iterator[Article | Failed]:
        """The batch through spaCy's batched path; if any article breaks it (or the batch
        runs past one article's time limit), each article again on its own, from its input
        fields, with its own limit (a batch of one is not tried twice)."""
        inputs = [_as_read(a) for a in batch]
        try:
            with deadline(limit):
                coded = self._run_batch(batch)
        except FATAL_ERRORS:
            raise
        except (Exception, TimeUp) as exc:
            if len(batch) == 1:
                yield self._failed(inputs[0], exc, on_error, limit)
                return
            log.debug("batch of %d failed; coding one by one", len(batch), exc_info=True)
        else:
            for article in coded:
                yield _finished(article, keep_doc)
            return
        for article in inputs:
            try:
                with deadline(limit):
                    done = self(article)
            except FATAL_ERRORS:
                raise
            except (Exception, TimeUp) as exc:
                yield self._failed(_as_read(article), exc, on_error, limit)
            else:
                yield _finished(done, keep_doc)

    @staticmethod
    def _failed(article: Article, exc: BaseException, on_error: str, limit: float) -> Failed:
        """The Failed for ``article`` (``on_error="collect"``), or its error raised."""
        error = _article_error(article, exc, limit)
        log.debug("coding %s failed: %s", article.id, error, exc_info=exc)
        if on_error == "raise":
            raise error from (None if error is exc else exc)
        return Failed(article, error)

    def _run_batch(self, batch: list[Article]) -> list[Article]:
        for spec, fn in zip(self.specs, self._stage_fns(), strict=True):
            pipe: Any = getattr(fn, "pipe", None)
            if pipe is not None:
                pipe(batch)
            else:
                for article in batch:
                    fn(article)
            for article in batch:
                article.stages_run.append(spec.name)
        return batch


@dataclass(slots=True)
class Failed:
    """An article the pipeline could not code, yielded in its place by
    ``Pipeline.pipe(..., on_error="collect")``: the article as read (no coding) and the error
    naming it."""

    article: Article
    error: InputError

    @property
    def id(self) -> str:
        return self.article.id


def _as_read(article: Article) -> Article:
    """A fresh copy of what the reader gave: the input fields and the reader's notes."""
    return Article(id=article.id, text=article.text, date=article.date, title=article.title,
                   source=article.source, url=article.url, notes=list(article.notes))


def _finished(article: Article, keep_doc: bool) -> Article:
    if not keep_doc:
        article.doc = None
    return article


def _article_error(article: Article, exc: BaseException, limit: float) -> InputError:
    """The error that names ``article`` for what went wrong with it."""
    if isinstance(exc, TimeUp):
        return TimeLimitError(article.id, f"coding took longer than the time limit of "
                                          f"{limit:g} s ([pipeline] time_limit, --time-limit); "
                                          "skipped")
    if isinstance(exc, InputError):
        return exc
    return CodingError(article.id, f"could not be coded ({type(exc).__name__}: {exc})")


def build_pipeline(settings: Settings, stages: Iterable[str] | None = None) -> Pipeline:
    """Build and check the pipeline named in ``settings`` (or ``stages``)."""
    registry = registered_stages()
    names = list(stages if stages is not None else settings.pipeline.stages)
    if not names:
        raise ConfigError("the pipeline has no stages; set [pipeline] stages")
    available = set(INPUT_FIELDS)
    specs: list[StageSpec] = []
    for name in names:
        spec = registry.get(name)
        if spec is None:
            raise ConfigError(
                f"unknown stage '{name}' in [pipeline] stages (registered: "
                f"{', '.join(sorted(registry))})"
            )
        for declared in (*spec.requires, *spec.assigns):
            check_declared(name, declared)
        missing = [r for r in spec.requires if r not in available]
        if missing:
            raise ConfigError(
                f"stage '{name}' needs {', '.join(missing)}, which no earlier stage sets; "
                f"put a stage that sets it before '{name}'"
            )
        available.update(spec.assigns)
        specs.append(spec)
    return Pipeline(specs, settings)
