"""Stage registry, pipeline checks, settings and text normalisation (no model needed)."""

from __future__ import annotations

import pytest

from redline.article import Article
from redline.errors import ConfigError
from redline.nlp import normalise_text
from redline.pipeline import build_pipeline, registered_stages, stage
from redline.settings import load_settings


def test_default_pipeline_has_every_slot_in_order() -> None:
    p = build_pipeline(load_settings())
    assert p.names == ["normalise", "parse", "actors", "events", "quotes", "when", "where"]


def test_unknown_stage_is_named() -> None:
    with pytest.raises(ConfigError, match="unknown stage 'parsee'"):
        build_pipeline(load_settings(), ["normalise", "parsee"])


def test_stage_order_is_checked_when_built() -> None:
    with pytest.raises(ConfigError, match="stage 'events' needs doc, mentions"):
        build_pipeline(load_settings(), ["normalise", "events"])


def test_unknown_setting_is_rejected(tmp_path) -> None:
    cfg = tmp_path / "redline.toml"
    cfg.write_text("[nlp]\nmodle = 'sm'\n")
    with pytest.raises(ConfigError, match="unknown key 'modle' in \\[nlp\\]"):
        load_settings(cfg)


def test_unknown_section_is_rejected(tmp_path) -> None:
    cfg = tmp_path / "redline.toml"
    cfg.write_text("[parser]\nx = 1\n")
    with pytest.raises(ConfigError, match="unknown section \\[parser\\]"):
        load_settings(cfg)


def test_user_config_overrides_defaults(tmp_path) -> None:
    cfg = tmp_path / "redline.toml"
    cfg.write_text("[nlp]\nmodel = 'sm'\nbatch_size = 4\n")
    s = load_settings(cfg)
    assert s.nlp.model == "sm" and s.nlp.batch_size == 4
    assert s.pipeline.stages[0] == "normalise"


def test_bad_setting_type_is_rejected(tmp_path) -> None:
    cfg = tmp_path / "redline.toml"
    cfg.write_text("[nlp]\nbatch_size = 'four'\n")
    with pytest.raises(ConfigError, match="batch_size must be an integer"):
        load_settings(cfg)


def test_a_plugin_stage_registers_like_a_builtin() -> None:
    @stage("shout_test", requires=["clean_text"], assigns=["notes"])
    def make(settings):
        """Adds a note."""

        def run(article: Article) -> None:
            article.notes.append(article.clean_text.upper())

        return run

    assert "shout_test" in registered_stages()
    p = build_pipeline(load_settings(), ["normalise", "shout_test"])
    art = p(Article(id="a", text="\u201cHi\u201d"))
    assert art.notes == ['"HI"']
    assert art.stages_run == ["normalise", "shout_test"]
    assert p.pipe([Article(id="b", text="x")]).__next__().notes == ["X"]


@pytest.mark.parametrize("text", [
    "\u201cNo,\u201d she said\u00a0\u2014 it\u2019s \u2018done\u2019.",
    "plain ascii",
    "zero\u200bwidth and \ufeffBOM and\u2028line",
])
def test_normalisation_keeps_every_offset(text: str) -> None:
    out = normalise_text(text)
    assert len(out) == len(text)
    assert "\u201c" not in out and "\u2019" not in out


def test_normalisation_straightens_quotes() -> None:
    assert normalise_text("\u201cyes\u201d \u2018no\u2019") == "\"yes\" 'no'"
