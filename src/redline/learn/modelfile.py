"""Shipped model files: NumPy arrays plus metadata, checked against a recorded hash.

A model is one ``NAME.npz`` in ``redline/learn/data/`` holding its arrays and a ``meta``
entry (JSON: labels, feature settings, training figures). ``manifest.json`` beside it
records each file's SHA-256 and size. :func:`load` refuses a file whose hash differs from
the manifest (a truncated download, a hand edit, a stale copy): coding with the wrong
weights would change every event silently.
"""

from __future__ import annotations

import hashlib
import io
import json
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from redline.errors import ModelError

MANIFEST = "manifest.json"


@dataclass(frozen=True, slots=True)
class ModelFile:
    """A loaded model: its arrays by name and its metadata."""

    name: str
    arrays: dict[str, np.ndarray]
    meta: dict[str, Any]


def data_dir() -> Path:
    """The folder the shipped models live in."""
    return Path(str(resources.files("redline.learn").joinpath("data")))


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _manifest(folder: Path) -> dict[str, Any]:
    path = folder / MANIFEST
    if not path.exists():
        return {}
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ModelError(f"{path}: unreadable model manifest ({exc})") from None


def manifest_entries(folder: Path | None = None) -> dict[str, Any]:
    """The manifest's entries (name -> sha256 and size) of ``folder`` (the package's)."""
    return _manifest(folder or data_dir())


def load(name: str, folder: Path | None = None) -> ModelFile:
    """Read model ``name`` from ``folder`` (the package's by default), checking its hash."""
    folder = folder or data_dir()
    path = folder / f"{name}.npz"
    entry = _manifest(folder).get(name)
    if entry is None:
        raise ModelError(f"model '{name}' is not listed in {folder / MANIFEST}; "
                         "rebuild it with `redline train`")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ModelError(f"model file {path} cannot be read ({exc.strerror or exc}); "
                         "reinstall redline or rebuild it with `redline train`") from None
    digest = sha256(data)
    if digest != entry.get("sha256"):
        raise ModelError(f"model file {path} does not match its recorded hash "
                         f"(sha256 {digest[:12]}..., manifest {str(entry.get('sha256'))[:12]}...); "
                         "reinstall redline or rebuild it with `redline train`")
    try:
        with np.load(io.BytesIO(data), allow_pickle=False) as npz:
            arrays = {k: npz[k] for k in npz.files}
    except (ValueError, OSError) as exc:
        raise ModelError(f"model file {path} is not a readable .npz ({exc})") from None
    meta = json.loads(str(arrays.pop("meta"))) if "meta" in arrays else {}
    return ModelFile(name, arrays, meta)


def save(name: str, arrays: dict[str, np.ndarray], meta: dict[str, Any],
         folder: Path | None = None) -> Path:
    """Write model ``name`` and record its hash in the manifest; returns the file's path."""
    folder = folder or data_dir()
    folder.mkdir(parents=True, exist_ok=True)
    buf = io.BytesIO()
    np.savez_compressed(buf, meta=np.array(json.dumps(meta, sort_keys=True)), **arrays)
    data = buf.getvalue()
    path = folder / f"{name}.npz"
    path.write_bytes(data)
    manifest = _manifest(folder)
    manifest[name] = {"sha256": sha256(data), "bytes": len(data)}
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n",
                                   encoding="utf-8")
    return path
