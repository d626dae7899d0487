"""A disk cache for tables that are slow to build and never change between runs.

The gazetteer (about 30,000 cities folded into lookup keys) and the actor knowledge base are
built from files inside the package. Building them costs a second or more per process, which
dominates ``redline code`` on one short article. The built table is written once into the
user's cache folder as JSON and read back in a fraction of that time.

The cache is only a speed-up: the key covers redline's version, the table's encoding and the
size and modification time of every source file, so an edited data file or an upgraded
package misses it; a missing, unreadable, stale or damaged cache file is rebuilt, and a folder
that cannot be written (read-only home, sandbox) just means building every time.

Nothing read from the cache can run code: a file holds JSON (plain lists, strings, numbers),
which each table's ``decode`` checks for shape and type before using; a file of the wrong
format, name, key, shape or size, or one that another user owns or can write, is ignored,
logged and rebuilt. The folder is created private (0700), and one that is not the user's own
or that other users can write (0777, say) is not used at all: redline warns once and builds
every time. (Earlier versions kept pickles here; they are never read, and are removed when a
table is written.)

Folder: ``$REDLINE_CACHE_DIR``, else ``$XDG_CACHE_HOME/redline``, else ``~/.cache/redline``.
``REDLINE_CACHE_DIR=off`` turns the cache off.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import json
import logging
import os
import stat
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, TypeVar

from redline._version import __version__

log = logging.getLogger(__name__)
T = TypeVar("T")

#: Bump when the file layout (the header around each table's data) changes.
FORMAT = 2
#: A cache file larger than this is not read (redline's own are a few megabytes).
MAX_BYTES = 64 * 1024 * 1024

_warned: set[str] = set()


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


def cached(name: str, sources: Iterable[Any], build: Callable[[], T], *,
           encode: Callable[[T], Any], decode: Callable[[Any], T], version: int = 1) -> T:
    """``build()``, or what an earlier run with the same ``sources`` stored.

    ``encode`` turns the built value into JSON values (lists, dicts, strings, numbers),
    ``decode`` turns them back, raising on anything of the wrong shape or type; ``version``
    is the encoding's own version (part of the key).
    """
    folder = _usable_folder()
    if folder is None:
        return build()
    key = fingerprint([*sources, name, version])
    path = folder / f"{name}-{key}.json"
    found = _read(path, name, key, decode)
    if found is not None:
        return found[0]
    value = build()
    try:
        data = encode(value)
    except Exception:  # noqa: BLE001 - no cache is slower, not wrong
        log.warning("could not encode %s for the cache", name, exc_info=True)
        return value
    _write(folder, name, path, {"format": FORMAT, "name": name, "key": key, "data": data})
    return value


def _private(st: os.stat_result) -> bool:
    """Owned by this user and writable by no one else."""
    if not hasattr(os, "getuid"):  # not POSIX: no owners to compare
        return True
    return st.st_uid == os.getuid() and not st.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def _usable_folder() -> Path | None:
    """The cache folder, created private if missing; None when the cache is off, the folder
    cannot be made, or it is not private (then warn once)."""
    folder = cache_dir()
    if folder is None:
        return None
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        st = os.stat(folder)
    except OSError as exc:
        log.debug("no cache folder %s: %s", folder, exc)
        return None
    if not stat.S_ISDIR(st.st_mode):
        log.debug("cache folder %s is not a folder", folder)
        return None
    if not _private(st):
        if str(folder) not in _warned:
            _warned.add(str(folder))
            log.warning("the cache folder %s is %s (mode %o): it is not used, and the "
                        "knowledge tables are built on every run; make it private with: "
                        "chmod 700 %s (or set REDLINE_CACHE_DIR)", folder,
                        "writable by other users" if st.st_uid == os.getuid()
                        else "another user's", stat.S_IMODE(st.st_mode), folder)
        return None
    return folder


def _read(path: Path, name: str, key: str, decode: Callable[[Any], T]) -> tuple[T] | None:
    """The value stored at ``path``, as a 1-tuple; None when there is none or it is not
    valid (logged)."""
    try:
        with open(path, "rb") as fh:
            st = os.fstat(fh.fileno())
            if not stat.S_ISREG(st.st_mode) or not _private(st) or st.st_size > MAX_BYTES:
                log.warning("cache file %s is not a private file of this user under %d bytes; "
                            "ignored and rebuilt", path, MAX_BYTES)
                return None
            raw = fh.read()
    except FileNotFoundError:
        return None
    except OSError as exc:
        log.debug("cache file %s unreadable (%s); rebuilding", path, exc)
        return None
    collecting = gc.isenabled()
    gc.disable()  # tens of thousands of small objects: collecting meanwhile only costs time
    try:
        doc = json.loads(raw)
        if not (isinstance(doc, dict) and doc.get("format") == FORMAT
                and doc.get("name") == name and doc.get("key") == key and "data" in doc):
            raise ValueError("not a redline cache file for this table")
        return (decode(doc["data"]),)
    except Exception as exc:  # noqa: BLE001 - a damaged or foreign file is rebuilt, never fatal
        log.warning("cache file %s is not valid (%s: %s); ignored and rebuilt", path,
                    type(exc).__name__, str(exc)[:200])
        return None
    finally:
        if collecting:
            gc.enable()


def _write(folder: Path, name: str, path: Path, doc: dict[str, Any]) -> None:
    tmp: str | None = None
    try:
        for old in (*folder.glob(f"{name}-*.json"), *folder.glob(f"{name}-*.pickle")):
            if old != path:  # earlier versions of the same table, and old pickles
                old.unlink(missing_ok=True)
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{name}-", suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(doc, fh, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
        os.replace(tmp, path)  # atomic: a parallel reader sees the old file or the whole new one
    except Exception as exc:  # noqa: BLE001 - no cache is slower, not wrong
        log.debug("could not write cache file %s: %s", path, exc)
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
