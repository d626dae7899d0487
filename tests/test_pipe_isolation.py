"""Pipeline.pipe is the one fault-isolated loop: its error policies, the per-article time limit,
the set-up errors that stop a run, and the parser's length cap. Toy stages, no model."""

from __future__ import annotations

import threading
import time

import pytest

from redline.article import Article
from redline.errors import (
    CodingError,
    ConfigError,
    InputError,
    KnowledgeBaseError,
    TimeLimitError,
    TooLargeError,
)
from redline.limits import TimeUp, can_interrupt, deadline
from redline.pipeline import Failed, build_pipeline, stage
from redline.settings import NlpSettings, PipelineSettings, Settings, load_settings

_SPIN_GUARD = 30.0  # a spinning article stops by itself then: a broken limit fails, not hangs


@stage("iso_toy", requires=["text"], assigns=["notes"])
def make_iso_toy(settings: Settings):
    """Test stage: EXPLODE raises, SPIN loops (pure Python), KB raises a set-up error."""

    def run(article: Article) -> None:
        if "EXPLODE" in article.text:
            raise RuntimeError("toy stage exploded")
        if "BADINPUT" in article.text:
            raise InputError(article.id, "toy input error")
        if "KB" in article.text:
            raise KnowledgeBaseError("toy.tsv line 3: malformed row")
        if "SPIN" in article.text:
            end = time.monotonic() + _SPIN_GUARD
            n = 0
            while time.monotonic() < end:
                n += 1
        article.notes.append(f"coded {article.id}")

    return run


def toy(batch_size: int = 2, time_limit: float = 60.0) -> Settings:
    return Settings(nlp=NlpSettings(batch_size=batch_size),
                    pipeline=PipelineSettings(stages=("iso_toy",), time_limit=time_limit))


def arts(*texts: str) -> list[Article]:
    return [Article(id=f"a{i}", text=t) for i, t in enumerate(texts, 1)]


def test_collect_yields_a_failure_in_place_and_codes_the_rest():
    p = build_pipeline(toy())
    out = list(p.pipe(arts("fine", "EXPLODE", "also fine", "BADINPUT", "last"),
                      on_error="collect"))
    assert [o.id for o in out] == ["a1", "a2", "a3", "a4", "a5"]
    assert [type(o).__name__ for o in out] == ["Article", "Failed", "Article", "Failed",
                                              "Article"]
    boom, bad = out[1], out[3]
    assert isinstance(boom, Failed) and isinstance(boom.error, CodingError)
    assert boom.error.source == "a2" and "RuntimeError: toy stage exploded" in str(boom.error)
    assert boom.article.notes == [] and boom.article.text == "EXPLODE"  # as read, uncoded
    assert isinstance(bad, Failed) and type(bad.error) is InputError
    # articles retried one by one are coded once, from their input fields
    assert out[2].notes == ["coded a3"] and out[2].stages_run == ["iso_toy"]


def test_raise_stops_at_the_article_and_names_it():
    p = build_pipeline(toy(batch_size=1))
    got = []
    with pytest.raises(CodingError, match="a2: could not be coded") as info:
        for item in p.pipe(arts("fine", "EXPLODE", "never reached"), on_error="raise"):
            got.append(item.id)
    assert got == ["a1"]
    assert isinstance(info.value.__cause__, RuntimeError)


def test_an_unknown_policy_is_refused():
    with pytest.raises(ValueError, match="on_error"):
        list(build_pipeline(toy()).pipe(arts("x"), on_error="ignore"))


@pytest.mark.parametrize("on_error", ["collect", "raise"])
def test_a_set_up_error_stops_the_run_under_either_policy(on_error):
    p = build_pipeline(toy())
    with pytest.raises(KnowledgeBaseError, match="toy.tsv"):
        list(p.pipe(arts("fine", "KB", "fine"), on_error=on_error))


def test_keep_doc():
    p = build_pipeline(toy())
    a = Article(id="d", text="x")
    a.doc = object()
    assert next(p.pipe([a])).doc is None
    b = Article(id="d", text="x")
    b.doc = marker = object()
    assert next(p.pipe([b], keep_doc=True)).doc is marker


@pytest.mark.skipif(not can_interrupt(), reason="no interval timer here")
def test_a_slow_article_is_a_time_limit_failure_and_the_next_is_coded():
    p = build_pipeline(toy(time_limit=0.5))
    started = time.monotonic()
    out = list(p.pipe(arts("before", "SPIN", "after"), on_error="collect"))
    assert time.monotonic() - started < _SPIN_GUARD  # interrupted, not spun out
    assert [type(o).__name__ for o in out] == ["Article", "Failed", "Article"]
    err = out[1].error
    assert isinstance(err, TimeLimitError) and err.source == "a2"
    assert "time limit of 0.5 s" in str(err)
    assert out[2].notes == ["coded a3"]


@pytest.mark.skipif(not can_interrupt(), reason="no interval timer here")
def test_time_limit_argument_overrides_the_setting_and_raise_names_it():
    p = build_pipeline(toy(time_limit=0))
    with pytest.raises(TimeLimitError, match="a1"):
        list(p.pipe(arts("SPIN"), time_limit=0.3))


@pytest.mark.skipif(not can_interrupt(), reason="no interval timer here")
def test_the_timer_is_disarmed_after_the_block():
    with deadline(0.2):
        pass
    time.sleep(0.4)  # would raise TimeUp here if the timer were still armed
    with pytest.raises(TimeUp), deadline(0.1):
        time.sleep(5)


def test_no_timer_outside_the_main_thread():
    seen: list[BaseException] = []

    def work() -> None:
        try:
            with deadline(0.05):
                time.sleep(0.2)
        except BaseException as exc:  # noqa: BLE001 - the test reports what escaped
            seen.append(exc)

    t = threading.Thread(target=work)
    t.start()
    t.join(10)
    assert seen == []


def test_code_many_collects_bad_items_in_place():
    from redline.api import code_many

    items = [{"id": "x1", "text": "fine"}, {"id": "x2"}, {"id": "x3", "text": "EXPLODE"},
             {"id": "x4", "text": "fine", "date": "not a date"}, "plain text"]
    out = list(code_many(items, settings=toy(), on_error="collect"))
    assert [type(o).__name__ for o in out] == ["Article", "Failed", "Failed", "Failed",
                                              "Article"]
    assert "no 'text'" in str(out[1].error) and "x4" in str(out[3].error)
    with pytest.raises(InputError, match="no 'text'"):
        list(code_many(items, settings=toy()))


def test_parser_refuses_a_text_over_max_chars():
    from redline.nlp import make_parse

    parse = make_parse(Settings(nlp=NlpSettings(max_chars=10)))
    with pytest.raises(TooLargeError, match=r"a1: 11 characters is over .* limit of 10"):
        parse._text(Article(id="a1", text="x" * 11))
    assert parse._text(Article(id="a2", text="x" * 10)) == "x" * 10


def test_time_limit_setting_is_checked():
    assert load_settings(pipeline={"time_limit": 5}).pipeline.time_limit == 5
    assert load_settings().pipeline.time_limit == 60
    for bad in ("soon", True, float("nan")):
        with pytest.raises(ConfigError, match="time_limit must be a number"):
            load_settings(pipeline={"time_limit": bad})


@pytest.mark.parametrize("module", ["redline.workers", "redline.store", "redline.pipeline"])
def test_each_module_imports_first_in_a_fresh_process(module):
    """A spawned ingest worker imports redline.workers before anything else: no import cycle
    with redline.store may break that."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    src = str(Path(__file__).resolve().parents[1] / "src")
    env = {**os.environ, "PYTHONPATH": src + os.pathsep + os.environ.get("PYTHONPATH", "")}
    done = subprocess.run([sys.executable, "-c", f"import {module}"], env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
