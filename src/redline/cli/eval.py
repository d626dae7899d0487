"""``redline eval``: measure redline against public gold standards."""

from __future__ import annotations

import logging
from collections.abc import Callable

import click

from redline.errors import RedlineError
from redline.evaluate.coding import MODALITIES

log = logging.getLogger("redline.cli")

_MODALITY_HELP = ("Which coded events count as predictions. all: every event; "
                  "asserted-or-reported: asserted (reported speech included) and future "
                  "events, leaving out hypothetical and negated ones.")

_SHORT = {
    "plover": "PLOVER types, triples, event location.",
    "conflibert-quad": "Quad class per sentence.",
    "conflibert-actors": "Source and target actor spans.",
    "case2021": "ACLED-style types, conflict-event recall.",
    "polnear": "Quotations and speakers.",
}
_SUMMARIES = {
    "plover": "PLOVER types, (source, type, target) triples and event location.\n\n"
              "FILE: PLOVER GSR JSON Lines (event, source/target actor lists, "
              "event_location).",
    "conflibert-quad": "Quad class per sentence: 0 no event, else the quad class of the most "
                       "confident event.\n\nFILE: 'sentence<TAB>label' lines, labels 0-4.",
    "conflibert-actors": "Source and target actor spans, overlap-matched.\n\nFILE: CoNLL "
                         "'token TAG' lines, tags B-/I- S, T, R; a blank line between "
                         "sentences.",
    "case2021": "ACLED-style sub-event types (mapped from CAMEO/PLOVER) and conflict-event "
                "recall.\n\nFILE: 'id<TAB>EventSnippet<TAB>SubType' with a header row.",
    "polnear": "Quotations and their speakers against attribution relations (direct "
               "quotations; speech-verb relations).\n\nFILE: JSON Lines of id, text, "
               "attributions. --modality has no effect here.",
}


@click.group("eval")
def eval_group() -> None:
    """Measure redline against public gold standards (files you give).

    \b
    Each command reads FILE as published, codes each record with redline (one record =
    one article), scores the result and prints a report; --json writes it as JSON too.
      redline eval plover plover_gsr.dev.jsonl --misses 30
      redline eval conflibert-quad conflibert_cameo_class.train.tsv --limit 200
      redline eval case2021 case2021_task2.dev.tsv --json case.json
    """


def _make_command(kind: str) -> Callable[..., None]:
    @click.command(kind, help=_SUMMARIES[kind], short_help=_SHORT[kind])
    @click.argument("file", type=click.Path(dir_okay=False))
    @click.option("--limit", type=click.IntRange(min=1), metavar="N",
                  help="Score only the first N records.")
    @click.option("--misses", type=click.IntRange(min=0), default=20, show_default=True,
                  metavar="N", help="How many misses to list for reading.")
    @click.option("--json", "json_out", type=click.Path(dir_okay=False), metavar="OUT",
                  help="Also write the full report (all misses) as JSON to OUT.")
    @click.option("--modality", type=click.Choice(MODALITIES), default="all",
                  show_default=True, help=_MODALITY_HELP)
    @click.option("--folds", type=click.IntRange(min=2), metavar="K",
                  help="K-fold cross-validation, for a file a shipped model was trained on "
                       "(conflibert-quad, conflibert-actors): each record is coded by a "
                       "model retrained without its fold.")
    def command(file: str, limit: int | None, misses: int, json_out: str | None,
                modality: str, folds: int | None) -> None:
        from redline.evaluate.folds import trained_on
        from redline.evaluate.report import write_json
        from redline.evaluate.runner import SETS, run_eval

        spec = SETS[kind]
        if folds is None and (models := trained_on(file)):
            click.echo(f"warning: the shipped {', '.join(models)} model was trained on {file}; "
                       "this is not a score on unseen text. Use --folds K for one.", err=True)
        try:
            result = run_eval(kind, file, limit=limit, modality=modality, folds=folds)
        except RedlineError as exc:
            raise click.ClickException(str(exc)) from None
        click.echo(spec.report(result, file, misses))
        if json_out:
            try:
                write_json(result, json_out, file=file, limit=limit)
            except OSError as exc:
                raise click.ClickException(f"{json_out}: cannot write ({exc.strerror})") from None
            log.info("wrote %s", json_out)

    return command


for _kind in _SUMMARIES:
    eval_group.add_command(_make_command(_kind))


@eval_group.command("seed", short_help="One article against a coder's expected.json.")
@click.argument("folder", type=click.Path(file_okay=False, exists=True))
def seed_command(folder: str) -> None:
    """Code the article in FOLDER and check it against FOLDER/expected.json.

    \b
    expected.json lists required events (source/target country or words, CAMEO root,
    own year), forbidden events, quotations (speaker, content words) and places.
    Exit status 1 when any check fails.
    """
    from redline.evaluate.seed import report, run_seed

    try:
        res = run_seed(folder)
    except RedlineError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(report(res))
    if not res.passed:
        raise SystemExit(1)
