"""Shared readers for the knowledge files every stage keeps under its package's ``data/``.

``parse_tsv`` reads the TSV format all of them use (a header row, ``#`` comments, tab-separated
cells); ``load_table`` reads one such file from a package; ``fold`` is the string key the
knowledge base and the gazetteer compare on.
"""

from __future__ import annotations

import csv
import unicodedata
from collections.abc import Iterator
from functools import lru_cache
from importlib import resources

from redline.errors import KnowledgeBaseError


@lru_cache(maxsize=200_000)
def fold(text: str) -> str:
    """Lower-case, strip accents, straighten apostrophes (cached: words repeat)."""
    text = text.replace("\u2019", "'").replace("\u2018", "'")
    text = unicodedata.normalize("NFKD", text)
    return "".join(c for c in text if not unicodedata.combining(c)).lower()


def parse_tsv(text: str, name: str) -> Iterator[tuple[int, dict[str, str]]]:
    """Rows of a knowledge TSV as dicts, skipping ``#`` comments; line numbers for errors."""
    header: list[str] | None = None
    for lineno, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        cells = next(csv.reader([line], delimiter="\t", quoting=csv.QUOTE_NONE))
        if header is None:
            header = [c.strip() for c in cells]
            continue
        if len(cells) < len(header):
            cells += [""] * (len(header) - len(cells))
        if len(cells) > len(header):
            raise KnowledgeBaseError(
                f"{name} line {lineno}: {len(cells)} cells, header has {len(header)}"
            )
        yield lineno, {h: c.strip() for h, c in zip(header, cells, strict=True)}


def read_data(package: str, name: str) -> str:
    """The text of ``data/<name>`` in ``package`` (e.g. ``"redline.events"``)."""
    try:
        return resources.files(package).joinpath("data", name).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise KnowledgeBaseError(f"knowledge file {name} is missing from the package") from None


def load_table(package: str, name: str) -> Iterator[tuple[int, dict[str, str]]]:
    """The :func:`parse_tsv` rows of ``data/<name>`` in ``package``."""
    yield from parse_tsv(read_data(package, name), name)
