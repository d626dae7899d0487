from __future__ import annotations

import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from redline import monitor
from redline.cli.main import cli
from redline.cli.monitor import dyad_cmd, series_cmd
from redline.monitor.plot import PlotError

PNG = b"\x89PNG\r\n\x1a\n"


def test_plot_series_writes_a_png(corpus_db: Path, tmp_path: Path):
    rows = monitor.dyad_series(corpus_db, "RUS", "POL")
    assert monitor.escalation_flags(rows)  # flagged periods get marked
    out = tmp_path / "rus-pol.png"
    assert monitor.plot_series(rows, out, title="RUS -> POL") == str(out)
    data = out.read_bytes()
    assert data.startswith(PNG)
    assert 5_000 < len(data) < 2_000_000


def test_plot_series_errors(corpus_db: Path, tmp_path: Path):
    rows = monitor.dyad_series(corpus_db, "RUS", "POL")
    with pytest.raises(PlotError, match="cannot write the plot to .*no-such-dir"):
        monitor.plot_series(rows, tmp_path / "no-such-dir" / "x.png")
    with pytest.raises(PlotError, match="nothing to plot"):
        monitor.plot_series([], tmp_path / "empty.png")


def test_matplotlib_is_not_imported_by_the_cli():
    import subprocess

    code = ("import sys, redline.cli.main, redline.monitor; "
            "print('matplotlib' in sys.modules)")
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert res.stdout.strip() == "False"


def test_series_and_dyad_plot_option(corpus_db: Path, tmp_path: Path):
    runner = CliRunner()
    png = tmp_path / "series.png"
    res = runner.invoke(cli, ["series", "RUS", "NATO+", "--db", str(corpus_db),
                              "--plot", str(png)])
    assert res.exit_code == 0, res.output
    assert png.read_bytes().startswith(PNG) and "plot written to" in res.output
    res = runner.invoke(cli, ["series", "RUS", "POL", "--db", str(corpus_db),
                              "--plot", str(tmp_path / "missing" / "x.png")])
    assert res.exit_code == 1 and "cannot write the plot" in res.output


def test_dyad_is_an_alias_of_series(corpus_db: Path, tmp_path: Path):
    assert [p.name for p in dyad_cmd.params] == [p.name for p in series_cmd.params]
    runner = CliRunner()
    args = ["RUS", "POL", "--db", str(corpus_db), "--format", "jsonl", "--both-ways"]
    a = runner.invoke(series_cmd, args)
    b = runner.invoke(dyad_cmd, args)
    assert a.exit_code == b.exit_code == 0, b.output
    assert a.output == b.output and a.output
    png = tmp_path / "d.png"
    res = runner.invoke(dyad_cmd, ["RUS", "POL", "--db", str(corpus_db), "--plot", str(png)])
    assert res.exit_code == 0 and png.read_bytes().startswith(PNG)
    assert "redline dyad RUS" in runner.invoke(dyad_cmd, ["--help"]).output
    if "dyad" in cli.commands:  # registered by redline.cli.main
        res = runner.invoke(cli, ["dyad", *args])
        assert res.exit_code == 0 and res.output == a.output
