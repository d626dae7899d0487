"""Settings: defaults in ``defaults.toml`` inside the package, overridden by a user TOML file.

Every key has a default and a comment there; unknown sections or keys are rejected so that a
typo never silently falls back to a default.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field, fields
from importlib import resources
from pathlib import Path
from typing import Any

from redline.errors import ConfigError


@dataclass(frozen=True, slots=True)
class NlpSettings:
    model: str = "auto"
    batch_size: int = 16
    # The longest text (characters) the parser is given; a longer article is refused.
    max_chars: int = 100_000


@dataclass(frozen=True, slots=True)
class PipelineSettings:
    stages: tuple[str, ...] = ()
    # Seconds one article may take to code (0: no limit); see redline.limits.
    time_limit: float = 60.0


@dataclass(frozen=True, slots=True)
class InputSettings:
    max_bytes: int = 5_000_000


@dataclass(frozen=True, slots=True)
class EventsSettings:
    # "shipped": the learned type model inside the package; "off": rules alone; or a folder
    # holding a retrained types.npz and its manifest.json (``redline train --out``).
    model: str = "shipped"
    # The learned actor-role model that fills a side (source or target) the rules left empty:
    # "shipped", "off", or a folder holding a retrained roles.npz and its manifest.json.
    roles: str = "shipped"
    # Whether the type model proposes an event for a sentence the rules found nothing in.
    # Off by default: on whole articles most such sentences are background (see README).
    propose: bool = False


@dataclass(frozen=True, slots=True)
class Settings:
    nlp: NlpSettings = field(default_factory=NlpSettings)
    pipeline: PipelineSettings = field(default_factory=PipelineSettings)
    input: InputSettings = field(default_factory=InputSettings)
    events: EventsSettings = field(default_factory=EventsSettings)


_SECTIONS = {"nlp": NlpSettings, "pipeline": PipelineSettings, "input": InputSettings,
             "events": EventsSettings}


def _merge(base: dict[str, Any], override: dict[str, Any], where: str) -> dict[str, Any]:
    out = {k: dict(v) for k, v in base.items()}
    for section, values in override.items():
        if section not in _SECTIONS:
            raise ConfigError(
                f"{where}: unknown section [{section}] (known: {', '.join(_SECTIONS)})")
        if not isinstance(values, dict):
            raise ConfigError(f"{where}: [{section}] must be a table")
        known = {f.name for f in fields(_SECTIONS[section])}
        for key, value in values.items():
            if key not in known:
                names = ", ".join(sorted(known))
                raise ConfigError(f"{where}: unknown key '{key}' in [{section}] (known: {names})")
            out.setdefault(section, {})[key] = value
    return out


def _build(data: dict[str, Any], where: str) -> Settings:
    parts: dict[str, Any] = {}
    for section, cls in _SECTIONS.items():
        values = dict(data.get(section, {}))
        for f in fields(cls):
            if f.name not in values:
                continue
            value = values[f.name]
            if f.name == "stages":
                if not isinstance(value, list) or not all(isinstance(s, str) for s in value):
                    raise ConfigError(f"{where}: [pipeline] stages must be a list of names")
                values[f.name] = tuple(value)
            elif f.type in ("float",) and (not isinstance(value, int | float)
                                            or isinstance(value, bool) or value != value):
                raise ConfigError(f"{where}: [{section}] {f.name} must be a number")
            elif f.type in ("int",) and not isinstance(value, int):
                raise ConfigError(f"{where}: [{section}] {f.name} must be an integer")
            elif f.type in ("bool",) and not isinstance(value, bool):
                raise ConfigError(f"{where}: [{section}] {f.name} must be true or false")
            elif f.type in ("str",) and not isinstance(value, str):
                raise ConfigError(f"{where}: [{section}] {f.name} must be a string")
        parts[section] = cls(**values)
    return Settings(**parts)


def _defaults() -> dict[str, Any]:
    text = resources.files("redline").joinpath("defaults.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


def load_settings(path: str | Path | None = None, **overrides: dict[str, Any]) -> Settings:
    """Defaults, then the TOML file at ``path``, then ``overrides`` ({"nlp": {"model": "sm"}})."""
    data = _defaults()
    if path is not None:
        try:
            user = tomllib.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise ConfigError(f"{path}: cannot read config: {exc}") from None
        data = _merge(data, user, str(path))
    if overrides:
        data = _merge(data, overrides, "overrides")
    return _build(data, str(path or "defaults"))
