"""Writing coded articles: JSON Lines (the output contract), JSON, CSV (one row per event),
and a readable terminal table."""

from __future__ import annotations

import contextlib
import csv
import json
import sys
from collections.abc import Iterable
from typing import Any, TextIO

from redline.article import Actor, Article, Event
from redline.errors import OutputError

FORMATS = ("table", "jsonl", "json", "csv")

CSV_COLUMNS = ["article_id", "article_date", "event_id", "sentence", "cameo", "cameo_name",
               "plover_type", "plover_mode", "goldstein", "quad_class", "source_code",
               "source_text", "source_name", "target_code", "target_text", "target_name",
               "joint_with", "modality", "reported_by", "event_date", "event_date_end",
               "date_granularity", "historical", "location", "location_country", "confidence",
               "rule", "evidence"]


def _actor_label(actor: Actor | None) -> str:
    if actor is None:
        return "-"
    code = actor.code or "?"
    name = actor.name or actor.text
    return f"{code} ({name})" if name and name != code else code


def event_row(article: Article, e: Event) -> dict[str, Any]:
    return {
        "article_id": article.id,
        "article_date": article.date.isoformat() if article.date else "",
        "event_id": e.id,
        "sentence": e.sentence,
        "cameo": e.cameo,
        "cameo_name": e.cameo_name,
        "plover_type": e.plover.type if e.plover else "",
        "plover_mode": (e.plover.mode or "") if e.plover else "",
        "goldstein": e.goldstein,
        "quad_class": e.quad_class,
        "source_code": e.source.code or "" if e.source else "",
        "source_text": e.source.text if e.source else "",
        "source_name": (e.source.name or "") if e.source else "",
        "target_code": e.target.code or "" if e.target else "",
        "target_text": e.target.text if e.target else "",
        "target_name": (e.target.name or "") if e.target else "",
        "joint_with": ";".join(a.code or a.text for a in e.joint_with),
        "modality": e.modality,
        "reported_by": (e.reported_by.code or e.reported_by.text) if e.reported_by else "",
        "event_date": e.date.start if e.date else "",
        "event_date_end": e.date.end if e.date else "",
        "date_granularity": e.date.granularity if e.date else "",
        "historical": int(e.date.historical) if e.date else "",
        "location": e.location.name if e.location else "",
        "location_country": (e.location.country or "") if e.location else "",
        "confidence": round(e.confidence, 3),
        "rule": e.rule,
        "evidence": e.evidence.text,
    }


class Writer:
    """Streams coded articles to ``out`` in one of :data:`FORMATS`."""

    def __init__(self, out: TextIO, fmt: str) -> None:
        if fmt not in FORMATS:
            raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
        self.out, self.fmt = out, fmt
        self._csv: csv.DictWriter[str] | None = None
        self._json: list[dict[str, Any]] = []
        self._failed = False

    def write(self, article: Article) -> None:
        """Write one article; a failing write (a full disk) raises :class:`OutputError`
        naming the output (a reader gone from a pipe stays a ``BrokenPipeError``)."""
        try:
            self._write(article)
        except BrokenPipeError:
            raise
        except OSError as exc:
            raise self._error(exc) from None

    def _error(self, exc: OSError) -> OutputError:
        name = getattr(self.out, "name", None)
        where = "standard output" if name in (None, "<stdout>", 1) else str(name)
        self._failed = True
        if self.out not in (sys.stdout, sys.__stdout__):
            # closed now, unwritten data dropped: closing it later would fail the same way
            with contextlib.suppress(OSError):
                self.out.close()
        return OutputError(f"{where}: cannot write the output ({exc.strerror or exc})")

    def _write(self, article: Article) -> None:
        if self.fmt == "jsonl":
            self.out.write(json.dumps(article.to_dict(), ensure_ascii=False) + "\n")
        elif self.fmt == "json":
            self._json.append(article.to_dict())
        elif self.fmt == "csv":
            if self._csv is None:
                self._csv = csv.DictWriter(self.out, fieldnames=CSV_COLUMNS)
                self._csv.writeheader()
            for e in article.events:
                self._csv.writerow(event_row(article, e))
        else:
            write_table(article, self.out)

    def close(self) -> None:
        if self._failed:  # the error was raised already
            return
        try:
            if self.fmt == "json":
                json.dump(self._json, self.out, ensure_ascii=False, indent=2)
                self.out.write("\n")
            self.out.flush()
        except BrokenPipeError:
            raise
        except OSError as exc:
            raise self._error(exc) from None


def write_table(article: Article, out: TextIO) -> None:
    """A readable view of one article: its events, quotations and actors."""
    from rich.console import Console
    from rich.table import Table

    width = Console(file=out).width if out.isatty() else 160
    console = Console(file=out, width=max(120, width), highlight=False)
    title = f"{article.id}" + (f" ({article.date.isoformat()})" if article.date else "")
    events = Table(title=f"Events: {title}", title_justify="left", show_lines=False)
    events.add_column("#", no_wrap=True)
    events.add_column("source", max_width=26)
    events.add_column("event", max_width=34)
    events.add_column("PLOVER", no_wrap=True)
    events.add_column("target", max_width=26)
    events.add_column("modality", max_width=22)
    events.add_column("date", no_wrap=True)
    events.add_column("conf", no_wrap=True)
    events.add_column("evidence", ratio=1)
    for e in article.events:
        events.add_row(
            e.id, _actor_label(e.source), f"{e.cameo} {_clip(e.cameo_name, 28)}",
            e.plover.type if e.plover else "-", _actor_label(e.target),
            e.modality + (f", reported by {_actor_label(e.reported_by)}" if e.reported_by
                          else ""),
            _when(e), f"{e.confidence:.2f}", _clip(e.evidence.text, 90))
    console.print(events)
    if article.quotes:
        quotes = Table(title="Quotations", title_justify="left")
        for col in ("speaker", "cue", "kind", "content"):
            quotes.add_column(col, overflow="fold")
        for q in article.quotes:
            quotes.add_row(_actor_label(q.speaker), q.cue.text if q.cue else "-", q.kind,
                           _clip(q.content.text, 90))
        console.print(quotes)
    actors = Table(title="Actors", title_justify="left")
    for col in ("mention", "code", "country", "sector", "kind", "name / affiliation",
                "resolved by"):
        actors.add_column(col, overflow="fold")
    seen: set[tuple[str, str | None]] = set()
    for a in article.actors:
        key = (a.text, a.code)
        if key in seen:
            continue
        seen.add(key)
        extra = a.name or ""
        if a.affiliation is not None:
            extra += f" @ {_actor_label(a.affiliation)}"
        actors.add_row(a.text, a.code or "-", a.country or "-", a.sector or "-", a.kind,
                       extra or "-", a.resolved_by or "-")
    console.print(actors)
    if any(e.date and e.date.from_article_date for e in article.events):
        console.print("* date taken from the article date, not read in the text")
    for note in article.notes:
        console.print(f"note: {note}")


def _when(e: Event) -> str:
    """The date column: the range, then its granularity when coarser than a day, so that
    "in 2018" reads as the year and not as 1 January; "?" for a date with no start (a relative
    expression in an undated article, a background event the text does not date)."""
    d = e.date
    if d is None:
        return "-"
    notes = [] if d.granularity in ("day", "unknown") else [d.granularity]
    if d.historical:
        notes.append("historical")
    if not d.start:
        why = ", ".join([*notes, *([d.text] if d.text else [])])
        return f"? ({why})" if why else "?"
    mark = "*" if d.from_article_date else ""
    span = d.start if d.start == d.end else f"{d.start}..{d.end}"
    return span + (f" ({', '.join(notes)})" if notes else "") + mark


def _clip(text: str, n: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


def write_all(articles: Iterable[Article], out: TextIO, fmt: str) -> int:
    w = Writer(out, fmt)
    n = 0
    for a in articles:
        w.write(a)
        n += 1
    w.close()
    return n
