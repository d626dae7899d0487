"""Stage registry and the pipeline built from settings.

A stage is registered with :func:`stage`: a factory ``(settings) -> callable(article)`` that
declares which ``Article`` attributes it needs (``requires``) and which it sets (``assigns``).
Built-in stages register exactly as a third-party one would: a plugin package exposes a module
under the ``redline.stages`` entry-point group whose import registers its stages. The pipeline
checks, when it is built, that every stage exists and that everything it requires was set by
an earlier stage (or is an input field).

A stage's callable may also offer ``pipe(articles) -> list[Article]`` to work on a batch (the
parse stage uses it to feed spaCy's ``nlp.pipe``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from importlib import import_module
from importlib.metadata import entry_points
from typing import Any, Protocol

from redline.article import Article
from redline.errors import ConfigError
from redline.settings import Settings

log = logging.getLogger(__name__)

#: What a raw Article carries before any stage runs.
INPUT_FIELDS = frozenset({"id", "text", "date", "title", "source", "url"})


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

    def pipe(self, articles: Iterable[Article], batch_size: int | None = None) -> Iterator[Article]:
        """Code articles in batches; yields each coded article in input order."""
        size = batch_size or self.settings.nlp.batch_size
        batch: list[Article] = []
        for article in articles:
            batch.append(article)
            if len(batch) >= size:
                yield from self._run_batch(batch)
                batch = []
        if batch:
            yield from self._run_batch(batch)

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
        missing = [r for r in spec.requires if r not in available]
        if missing:
            raise ConfigError(
                f"stage '{name}' needs {', '.join(missing)}, which no earlier stage sets; "
                f"put a stage that sets it before '{name}'"
            )
        available.update(spec.assigns)
        specs.append(spec)
    return Pipeline(specs, settings)
