"""Readable text reports of evaluation results, and their JSON form."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol

from redline.evaluate.case2021 import CaseResult
from redline.evaluate.conflibert import QUAD_LABELS, QUAD_NAMES, ActorResult, QuadResult
from redline.evaluate.plover import PloverResult
from redline.evaluate.polnear import PolnearResult, SpeakerScore
from redline.evaluate.scoring import PRF, Miss


class Result(Protocol):
    def to_dict(self) -> dict[str, Any]: ...


def _num(x: float) -> str:
    return f"{x:.3f}"


def _pct(n: int, d: int) -> str:
    return f"{n}/{d} ({100 * n / d:.1f}%)" if d else f"{n}/{d} (-)"


def prf_header(label: str = "", width: int = 14) -> str:
    return f"  {label:<{width}} {'P':>6} {'R':>6} {'F1':>6}   {'right/pred':>11} {'found/gold':>11}"


def prf_row(label: str, s: PRF, width: int = 14) -> str:
    return (f"  {label:<{width}} {_num(s.precision):>6} {_num(s.recall):>6} {_num(s.f1):>6}"
            f"   {f'{s.pred_ok}/{s.pred}':>11} {f'{s.gold_ok}/{s.gold}':>11}")


def _speaker(s: SpeakerScore) -> str:
    return f"speaker accuracy on matched {_num(s.accuracy)} ({s.right}/{s.judged} judged)"


def _misses(misses: Sequence[Miss], n: int) -> list[str]:
    if n <= 0:
        return []
    shown = misses[:n]
    lines = ["", f"Misses to read ({len(shown)} of {len(misses)} shown)"]
    for m in shown:
        pred = " | ".join(m.predicted) or "-"
        lines.append(f"  {m.id}  gold={m.gold}  predicted={pred}")
        lines.append(f"      {m.text}")
    return lines


def _title(name: str, source: str, records: int, modality: str | None) -> list[str]:
    head = f"{name}: {source} ({records} records"
    head += f"; events counted: {modality})" if modality else ")"
    return [head, "=" * min(len(head), 100)]


def plover_report(r: PloverResult, source: str, misses: int = 20) -> str:
    lines = _title("PLOVER event types", source, r.records, r.modality)
    lines += ["", "Event type (set of PLOVER types per record)", prf_header("type")]
    for name, s in sorted(r.per_type.items(), key=lambda kv: (-kv[1].gold, kv[0])):
        lines.append(prf_row(name, s))
    lines += [prf_row("micro", r.micro), ""]
    lines += ["Triples (source country, PLOVER type, target country)", prf_header(),
              prf_row("micro", r.triples), ""]
    loc = r.location
    lines.append(f"Location country accuracy: {_pct(loc.correct, loc.resolved)} of records with "
                 f"a gold location ({loc.records}; {len(loc.unresolved)} with no known country"
                 f"{': ' + ', '.join(loc.unresolved) if loc.unresolved else ''})")
    lines += ["", "Worst confusions (gold type -> predicted type, records where gold was missed)"]
    if not r.confusions:
        lines.append("  none")
    for g, p, n in r.confusions:
        lines.append(f"  {n:>4}  {g} -> {p}")
    lines += _misses(r.misses, misses)
    return "\n".join(lines)


def quad_report(r: QuadResult, source: str, misses: int = 20) -> str:
    lines = _title("ConfliBERT quad class", source, r.records, r.modality)
    lines += ["", f"Accuracy {_num(r.accuracy)}    macro F1 {_num(r.macro_f1)}", "",
              prf_header("class", 20)]
    for lab in QUAD_LABELS:
        lines.append(prf_row(f"{lab} {QUAD_NAMES[lab]}", r.per_class[lab], 20))
    lines += ["", "Confusion matrix (rows gold, columns predicted)",
              "  gold\\pred " + "".join(f"{lab:>7}" for lab in QUAD_LABELS)]
    for lab, row in zip(QUAD_LABELS, r.matrix, strict=True):
        lines.append(f"  {lab:>9} " + "".join(f"{n:>7}" for n in row))
    lines += _misses(r.misses, misses)
    return "\n".join(lines)


def actors_report(r: ActorResult, source: str, misses: int = 20) -> str:
    lines = _title("ConfliBERT actor spans", source, r.records, r.modality)
    lines += ["", "Spans overlap-matched, unique per sentence (R counts as source and target)",
              prf_header("role"), prf_row("source", r.source), prf_row("target", r.target)]
    lines += _misses(r.misses, misses)
    return "\n".join(lines)


def case_report(r: CaseResult, source: str, misses: int = 20) -> str:
    lines = _title("CASE 2021 ACLED-style types", source, r.records, r.modality)
    lines += ["", f"Accuracy {_num(r.accuracy)}",
              f"Conflict-event recall (any quad-4 event for a conflict label) "
              f"{_pct(r.conflict_found, r.conflict_records)}", "",
              f"  {'label':<30} {'gold':>5} {'right':>6} {'recall':>7} {'pred':>6}"]
    for name, s in sorted(r.per_label.items(), key=lambda kv: (-kv[1].gold, kv[0])):
        recall = _num(s.recall) if s.gold else "-"
        lines.append(f"  {name:<30} {s.gold:>5} {s.correct:>6} {recall:>7} {s.predicted:>6}")
    if r.unmapped_labels:
        lines += ["", "Gold labels the mapping never produces: " + ", ".join(r.unmapped_labels)]
    lines += ["", "Worst confusions (gold -> predicted)"]
    lines += [f"  {n:>4}  {g} -> {p}" for g, p, n in r.confusions] or ["  none"]
    lines += _misses(r.misses, misses)
    return "\n".join(lines)


def polnear_report(r: PolnearResult, source: str, misses: int = 20) -> str:
    lines = _title("PolNeAR attributions", source, r.articles, None)
    lines += [f"{r.relations} gold relations with content", "",
              "Direct quotations (content in quotation marks)", prf_header(),
              prf_row("content", r.direct), f"  {_speaker(r.direct_speaker)}", "",
              "Relations with a speech or statement verb cue",
              f"  recall {_num(r.speech.recall)} ({r.speech.gold_ok}/{r.speech.gold})",
              f"  {_speaker(r.speech_speaker)}", "",
              "All relations", prf_header(), prf_row("content", r.all),
              f"  {_speaker(r.all_speaker)}"]
    lines += _misses(r.misses, misses)
    return "\n".join(lines)


def write_json(result: Result, path: str | Path, **extra: Any) -> None:
    """Write ``result.to_dict()`` (plus ``extra`` keys) as indented JSON."""
    data = {**extra, **result.to_dict()}
    Path(path).write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
