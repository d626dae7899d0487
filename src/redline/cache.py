"""A disk cache for tables that are slow to build and never change between runs.

The gazetteer (about 30,000 cities folded into lookup keys) and the actor knowledge base are
built from files inside the package. Building them costs a second or more per process, which
dominates ``redline code`` on one short article. The built object is pickled once into the
user's cache folder and read back in a fraction of that time.

The cache is only a speed-up: the key covers redline's version and the size and modification
time of every source file, so an edited data file or an upgraded package misses it; a missing,
unreadable, stale or corrupt cache file is rebuilt silently, and a folder that cannot be
written (read-only home, sandbox) just means building every time.

Folder: ``$REDLINE_CACHE_DIR``, else ``$XDG_CACHE_HOME/redline``, else ``~/.cache/redline``.
``REDLINE_CACHE_DIR=off`` turns the cache off. Only redline writes there; like any pickle,
a file put there by someone else would run their code, so the folder is created private (0700).
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import pickle
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, TypeVar

from redline import __version__

log = logging.getLogger(__name__)
T = TypeVar("T")

#: Bump when the pickled classes change shape in a way the version number would not show.
FORMAT = 1


def cache_dir() -> Path | None:
    """The cache folder, or None when the cache is turned off."""
    env = os.environ.get("REDLINE_CACHE_DIR")
    if env:
        return None if env.lower() in {"off", "0", "none", "false"} else Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "redline"


def fingerprint(sources: Iterable[Any]) -> str:
    """A key for the given source files (size and mtime) and other values (their repr)."""
    h = hashlib.sha256(f"{__version__}|{FORMAT}".encode())
    for src in sources:
        if isinstance(src, os.PathLike):
            try:
                st = os.stat(src)
                h.update(f"|{os.fspath(src)}|{st.st_size}|{st.st_mtime_ns}".encode())
            except OSError:
                h.update(f"|{os.fspath(src)}|missing".encode())
        else:
            h.update(f"|{src!r}".encode())
    return h.hexdigest()[:24]


def cached(name: str, sources: Iterable[Any], build: Callable[[], T]) -> T:
    """``build()``, or its result pickled by an earlier run with the same ``sources``."""
    folder = cache_dir()
    if folder is None:
        return build()
    path = folder / f"{name}-{fingerprint(sources)}.pickle"
    try:
        with open(path, "rb") as fh:
            return pickle.load(fh)
    except FileNotFoundError:
        pass
    except Exception as exc:  # noqa: BLE001 - a corrupt or foreign file is rebuilt, never fatal
        log.debug("cache file %s unreadable (%s); rebuilding", path, exc)
    value = build()
    _write(folder, name, path, value)
    return value


def _write(folder: Path, name: str, path: Path, value: Any) -> None:
    tmp: str | None = None
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        for old in folder.glob(f"{name}-*.pickle"):  # earlier versions of the same table
            if old != path:
                old.unlink(missing_ok=True)
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{name}-", suffix=".tmp")
        with os.fdopen(fd, "wb") as fh:
            pickle.dump(value, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)  # atomic: a parallel reader sees the old file or the whole new one
    except Exception as exc:  # noqa: BLE001 - no cache is slower, not wrong
        log.debug("could not write cache file %s: %s", path, exc)
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
