"""Readers for the public gold formats, each into small frozen records.

Every reader takes the path the user gave, reads the file as it is and raises
:class:`~redline.errors.InputError` (missing or unreadable file) or
:class:`~redline.errors.FormatError` (a malformed line, naming ``path:line``). Nothing here
knows where gold files live.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from redline.errors import FormatError, InputError

_DATE_IN_ID = re.compile(r"(?<!\d)(\d{4}-\d{2}-\d{2})(?!\d)")


@dataclass(frozen=True, slots=True)
class GoldActor:
    """A gold actor: its words, CAMEO-style code and sector as the set gives them."""

    text: str
    code: str | None
    sector: str | None = None

    @property
    def country(self) -> str | None:
        """The README's country: the code's first three letters (gold actors carry no country)."""
        return self.code[:3] if self.code else None


@dataclass(frozen=True, slots=True)
class GoldLocation:
    name: str
    country_code: str | None  # ISO 3166 alpha-2 where the set gives one


@dataclass(frozen=True, slots=True)
class PloverRecord:
    id: str
    text: str
    event: str
    mode: str | None
    context: str | None
    source: tuple[GoldActor, ...]
    target: tuple[GoldActor, ...]
    location: GoldLocation | None


@dataclass(frozen=True, slots=True)
class ClassRecord:
    """A sentence with a CAMEO quad-class label (0 = no event, 1..4 quad class)."""

    id: str
    text: str
    label: int


@dataclass(frozen=True, slots=True)
class TaggedSentence:
    """A CoNLL sentence: tokens with BIO tags over S (source), T (target), R (both)."""

    id: str
    tokens: tuple[str, ...]
    tags: tuple[str, ...]

    @property
    def text(self) -> str:
        return " ".join(self.tokens)

    @property
    def offsets(self) -> tuple[int, ...]:
        """Character offset of each token in :attr:`text`."""
        out, pos = [], 0
        for tok in self.tokens:
            out.append(pos)
            pos += len(tok) + 1
        return tuple(out)

    def spans(self, role: str) -> list[tuple[int, int]]:
        """Character spans tagged ``role`` ("S" or "T"); an R span counts for both."""
        wanted = {role, "R"}
        offsets = self.offsets
        spans: list[tuple[int, int]] = []
        start: int | None = None
        current: str | None = None
        for i, tag in enumerate(self.tags):
            prefix, _, kind = tag.partition("-")
            continues = prefix == "I" and kind == current and start is not None
            if start is not None and not continues:
                spans.append((offsets[start], offsets[i - 1] + len(self.tokens[i - 1])))
                start, current = None, None
            if prefix in ("B", "I") and kind in wanted and start is None:
                start, current = i, kind
        if start is not None:
            spans.append((offsets[start], offsets[-1] + len(self.tokens[-1])))
        return spans


@dataclass(frozen=True, slots=True)
class LabelledSnippet:
    """A text snippet with a fine-grained event label (CASE 2021 task 2)."""

    id: str
    text: str
    label: str


@dataclass(frozen=True, slots=True)
class GoldSpan:
    """One part of an attribution: character spans into the article text, and their words."""

    spans: tuple[tuple[int, int], ...]
    text: str

    @property
    def start(self) -> int:
        return self.spans[0][0]

    @property
    def end(self) -> int:
        return self.spans[-1][1]


@dataclass(frozen=True, slots=True)
class Attribution:
    source: GoldSpan | None
    cue: GoldSpan | None
    content: GoldSpan | None
    type: str


@dataclass(frozen=True, slots=True)
class AttributedArticle:
    id: str
    text: str
    attributions: tuple[Attribution, ...]

    @property
    def date(self) -> str | None:
        """The article date the set encodes in its ids (``outlet_YYYY-MM-DD_slug``)."""
        m = _DATE_IN_ID.search(self.id)
        return m.group(1) if m else None


# --- reading ---------------------------------------------------------------------------------


def _lines(path: str | Path) -> Iterator[tuple[int, str]]:
    p = Path(path)
    if not p.is_file():
        raise InputError(str(path), "no such gold file" if not p.exists() else "not a file")
    try:
        with p.open(encoding="utf-8") as fh:
            for n, line in enumerate(fh, 1):
                yield n, line.rstrip("\r\n")
    except UnicodeDecodeError:
        raise InputError(str(path), "not valid UTF-8") from None
    except OSError as exc:
        raise InputError(str(path), f"cannot be read ({exc.strerror})") from None


def _nonempty(path: str | Path, records: list[Any]) -> None:
    if not records:
        raise FormatError(str(path), "no records found")


def _json_lines(path: str | Path) -> Iterator[tuple[str, dict[str, Any]]]:
    for n, line in _lines(path):
        if not line.strip():
            continue
        where = f"{path}:{n}"
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            raise FormatError(where, f"not JSON ({exc.msg})") from None
        if not isinstance(obj, dict):
            raise FormatError(where, "a line must be a JSON object")
        yield where, obj


def _field(obj: dict[str, Any], key: str, where: str, kind: type | tuple[type, ...]) -> Any:
    if key not in obj:
        raise FormatError(where, f"no '{key}' field")
    value = obj[key]
    if not isinstance(value, kind):
        raise FormatError(where, f"'{key}' has the wrong type ({type(value).__name__})")
    return value


def _actors(value: Any, key: str, where: str) -> tuple[GoldActor, ...]:
    if value is None:
        return ()
    items = value if isinstance(value, list) else [value]
    out = []
    for item in items:
        if not isinstance(item, dict):
            raise FormatError(where, f"'{key}' must hold actor objects")
        out.append(GoldActor(str(item.get("text") or ""), item.get("code") or None,
                             item.get("sector") or None))
    return tuple(out)


def read_plover(path: str | Path) -> list[PloverRecord]:
    """PLOVER GSR JSON Lines: ``event``, ``mode``, ``context``, ``source``/``target`` lists."""
    records = []
    for where, obj in _json_lines(path):
        loc = obj.get("event_location")
        location = None
        if isinstance(loc, dict) and loc.get("name"):
            location = GoldLocation(str(loc["name"]), loc.get("country code") or None)
        records.append(PloverRecord(
            id=str(_field(obj, "id", where, (str, int))),
            text=_field(obj, "text", where, str),
            event=_field(obj, "event", where, str),
            mode=obj.get("mode") or None,
            context=obj.get("context") or None,
            source=_actors(obj.get("source"), "source", where),
            target=_actors(obj.get("target"), "target", where),
            location=location,
        ))
    _nonempty(path, records)
    return records


def read_conflibert_class(path: str | Path) -> list[ClassRecord]:
    """``sentence<TAB>label`` lines, label 0-4; ids are ``line-N``."""
    records = []
    for n, line in _lines(path):
        if not line.strip():
            continue
        text, tab, label = line.rpartition("\t")
        if not tab:
            raise FormatError(f"{path}:{n}", "expected 'sentence<TAB>label'")
        if label.strip() not in ("0", "1", "2", "3", "4"):
            if n == 1 and not label.strip().isdigit():
                continue  # a header row
            raise FormatError(f"{path}:{n}", f"label {label!r} is not 0-4")
        records.append(ClassRecord(f"line-{n}", text, int(label)))
    _nonempty(path, records)
    return records


def read_conflibert_ner(path: str | Path) -> list[TaggedSentence]:
    """CoNLL ``token TAG`` lines, a blank line between sentences; ids are ``sent-N``."""
    records: list[TaggedSentence] = []
    tokens: list[str] = []
    tags: list[str] = []

    def flush() -> None:
        if tokens:
            records.append(TaggedSentence(f"sent-{len(records) + 1}", tuple(tokens), tuple(tags)))
        tokens.clear()
        tags.clear()

    for n, line in _lines(path):
        if not line.strip():
            flush()
            continue
        token, _, tag = line.strip().rpartition(" ")
        tag = tag.strip()
        if not token or not (tag == "O" or re.fullmatch(r"[BI]-[STR]", tag)):
            raise FormatError(f"{path}:{n}", f"expected 'token TAG' with TAG O or B-/I- S, T, R; "
                                             f"got {line!r}")
        tokens.append(token)
        tags.append(tag)
    flush()
    _nonempty(path, records)
    return records


def read_case2021(path: str | Path) -> list[LabelledSnippet]:
    """``id<TAB>EventSnippet<TAB>SubType`` with a header row."""
    records = []
    for n, line in _lines(path):
        if not line.strip():
            continue
        parts = line.split("\t")
        if len(parts) < 3:
            raise FormatError(f"{path}:{n}", "expected 'id<TAB>EventSnippet<TAB>SubType'")
        rid, label = parts[0].strip(), parts[-1].strip()
        if n == 1 and label.lower() == "subtype":
            continue
        if not label:
            raise FormatError(f"{path}:{n}", "empty SubType")
        records.append(LabelledSnippet(rid, "\t".join(parts[1:-1]), label))
    _nonempty(path, records)
    return records


def _gold_span(value: Any, key: str, where: str, text: str) -> GoldSpan | None:
    if value is None:
        return None
    if not isinstance(value, dict) or not isinstance(value.get("spans"), list):
        raise FormatError(where, f"'{key}' must be an object with 'spans'")
    spans = []
    for pair in value["spans"]:
        if (not isinstance(pair, list) or len(pair) != 2
                or not all(isinstance(x, int) for x in pair)
                or not 0 <= pair[0] <= pair[1] <= len(text)):
            raise FormatError(where, f"'{key}' has a bad span {pair!r}")
        spans.append((pair[0], pair[1]))
    if not spans:
        return None
    return GoldSpan(tuple(sorted(spans)), str(value.get("text") or ""))


def read_polnear(path: str | Path) -> list[AttributedArticle]:
    """PolNeAR JSON Lines: ``id``, ``text``, ``attributions`` (source, cue, content, type)."""
    records = []
    for where, obj in _json_lines(path):
        text = _field(obj, "text", where, str)
        attributions = []
        for rel in _field(obj, "attributions", where, list):
            if not isinstance(rel, dict):
                raise FormatError(where, "'attributions' must hold objects")
            attributions.append(Attribution(
                source=_gold_span(rel.get("source"), "source", where, text),
                cue=_gold_span(rel.get("cue"), "cue", where, text),
                content=_gold_span(rel.get("content"), "content", where, text),
                type=str(rel.get("type") or "Attribution"),
            ))
        records.append(AttributedArticle(str(_field(obj, "id", where, (str, int))), text,
                                         tuple(attributions)))
    _nonempty(path, records)
    return records
