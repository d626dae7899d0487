"""Each stage's declaration (``requires``/``assigns``) is what it does: a small article is
coded stage by stage on an Article that records every field read and written, and each
stage's record is compared with its declaration. A wrong declaration fails here, and a
declaration that names no Article field fails when the pipeline is built."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import pytest

from redline.article import Article, Event
from redline.errors import ConfigError
from redline.pipeline import INPUT_FIELDS, SHARED_FIELDS, build_pipeline, registered_stages, stage
from redline.settings import load_settings

FIELDS = frozenset(f.name for f in dataclasses.fields(Article))
# An attack with a place and a date; a two-sentence quotation whose first sentence has no
# speech verb of its own (the quotes stage gives its event the speaker); a protest.
TEXT = ("Russian forces shelled Kharkiv on Monday, the Ukrainian army said. "
        "\"Russian troops attacked Kyiv. They will strike Odesa too,\" Zelensky said in "
        "Lviv on Tuesday. Farmers blocked roads in Paris yesterday, demanding lower taxes.")


class _Log:
    def __init__(self) -> None:
        self.stage = ""
        self.reads: dict[str, set[str]] = {}
        self.writes: dict[str, set[str]] = {}
        self.old_events: set[int] = set()

    def read(self, name: str) -> None:
        if self.stage and name not in self.writes.setdefault(self.stage, set()):
            self.reads.setdefault(self.stage, set()).add(name)  # not what it wrote itself

    def write(self, name: str) -> None:
        if self.stage:
            self.writes.setdefault(self.stage, set()).add(name)


LOG = _Log()


class _RecordingArticle(Article):
    """An Article that logs each field read and assigned while a stage runs."""

    def __getattribute__(self, name: str) -> Any:
        if name in FIELDS:
            LOG.read(name)
        return object.__getattribute__(self, name)

    def __setattr__(self, name: str, value: Any) -> None:
        if name in FIELDS:
            LOG.write(name)
        object.__setattr__(self, name, value)


def _record_event_writes(self: Event, name: str, value: Any) -> None:
    if id(self) in LOG.old_events:  # a field of an event an earlier stage made
        LOG.write(f"events.{name}")
    object.__setattr__(self, name, value)


def _lists(article: Article) -> dict[str, tuple[int, ...]]:
    """Identity of each list field's items, to see a list changed in place."""
    return {f: tuple(id(x) for x in object.__getattribute__(article, f)) for f in FIELDS
            if isinstance(object.__getattribute__(article, f), list)}


@pytest.mark.model
def test_each_stage_reads_and_writes_what_it_declares(monkeypatch: pytest.MonkeyPatch) -> None:
    settings = load_settings()
    specs = registered_stages()
    monkeypatch.setattr(Event, "__setattr__", _record_event_writes)
    article = _RecordingArticle("t1", TEXT, date=dt.date(2025, 6, 12))
    LOG.__init__()  # type: ignore[misc]
    for name in settings.pipeline.stages:
        fn = specs[name].factory(settings)
        LOG.old_events = {id(e) for e in object.__getattribute__(article, "events")}
        before = _lists(article)
        LOG.stage = name
        fn(article)
        LOG.stage = ""
        after = _lists(article)
        for f in after:
            if after[f] != before[f] and f not in LOG.writes.get(name, set()):
                LOG.writes.setdefault(name, set()).add(f)  # changed in place
    events = object.__getattribute__(article, "events")
    assert any(e.location for e in events) and any(e.date for e in events)
    assert any(e.reported_by for e in events), "the sample must exercise quotes' reported_by"
    wrong = []
    for name in settings.pipeline.stages:
        spec = specs[name]
        reads = LOG.reads.get(name, set()) - INPUT_FIELDS - SHARED_FIELDS
        writes = LOG.writes.get(name, set()) - SHARED_FIELDS
        if reads != set(spec.requires) - INPUT_FIELDS:
            wrong.append(f"{name} reads {sorted(reads)}, declares {sorted(spec.requires)}")
        if writes != set(spec.assigns):
            wrong.append(f"{name} writes {sorted(writes)}, declares {sorted(spec.assigns)}")
    assert not wrong, "\n".join(wrong)


def test_a_declared_field_article_lacks_is_named_when_built() -> None:
    @stage("bogus_reader", requires=["doc", "tokens"], assigns=["events"])
    def bogus(settings: Any) -> Any:
        """Reads a field Article does not have."""
        return lambda article: None

    @stage("bogus_writer", requires=["events"], assigns=["events.when"])
    def bogus_writer(settings: Any) -> Any:
        """Writes a field events do not have."""
        return lambda article: None

    try:
        with pytest.raises(ConfigError, match="stage 'bogus_reader' declares 'tokens'"):
            build_pipeline(load_settings(), ["normalise", "parse", "bogus_reader"])
        with pytest.raises(ConfigError, match=r"Article\.events have no field 'when'"):
            build_pipeline(load_settings(), ["normalise", "parse", "actors", "events",
                                             "bogus_writer"])
    finally:
        from redline import pipeline

        pipeline._REGISTRY.pop("bogus_reader", None)
        pipeline._REGISTRY.pop("bogus_writer", None)


def test_every_registered_declaration_names_a_field() -> None:
    from redline.pipeline import check_declared

    for spec in registered_stages().values():
        for name in (*spec.requires, *spec.assigns):
            check_declared(spec.name, name)
