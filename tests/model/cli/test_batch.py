"""``icb-model sensitivity`` and ``grid`` (model/cli/batch.py), end to end on the base scenario."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from model.cli import main
from model.cli.common import UsageError

ROOT = Path(__file__).resolve().parents[3]


def test_sensitivity_command_writes_tables_and_chart(tmp_path, capsys):
    out = tmp_path / "sens"
    status = main(["--root", str(ROOT), "sensitivity", "base", "--metric", "wte_gap", "--year", "2026/27",
                   "--vary", "inflation.pay_award:add:-0.01:0.02",
                   "--vary", "running_cost_cut.path.2026/27:set:0.2:0.5", "--out", str(out), "--no-png"])
    assert status == 0
    printed = capsys.readouterr().out
    assert "Tornado: wte_gap, England, 2026/27" in printed and "running_cost_cut.path.2026/27" in printed
    table = pd.read_csv(out / "tornado.csv")
    assert list(table.columns)[:9] == ["parameter", "mode", "low", "high", "metric_base", "metric_low",
                                       "metric_high", "swing", "rank"]
    assert table.loc[0, "parameter"] == "running_cost_cut.path.2026/27"  # the cut moves the gap most
    xlsx = pd.read_excel(out / "tornado.xlsx", sheet_name="tornado")
    np.testing.assert_allclose(xlsx["swing"], table["swing"])
    assert (out / "tornado.html").stat().st_size > 100_000
    assert (out / "sensitivity_manifest.json").is_file()


def test_grid_command_writes_the_table(tmp_path):
    out = tmp_path / "grid"
    status = main(["--root", str(ROOT), "grid", "base", "--x", "running_cost_cut.path.2026/27:set:0.2,0.3,0.4,0.5",
                   "--y", "inflation.pay_award:add:-0.01,0,0.01,0.02", "--metric", "wte_gap", "--year", "2026/27",
                   "--out", str(out), "--no-png"])
    assert status == 0
    table = pd.read_csv(out / "grid.csv", index_col=0)
    assert table.shape == (4, 4) and list(table.columns) == ["0.2", "0.3", "0.4", "0.5"]
    assert (np.diff(table.to_numpy(), axis=1) < 0).all()  # a deeper cut, a bigger shortfall
    assert (out / "grid.xlsx").is_file() and (out / "grid.html").is_file()


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--vary", "inflation.pay_awrd:add:0:0.01"], "did you mean 'inflation.pay_award'"),
        (["--vary", "workforce.turnover_rate:set:0:1.5"], "outside its range"),
        (["--vary", "inflation.pay_award:add:0.01"], "should be PATH:MODE:LOW:HIGH"),
        (["--vary", "inflation.pay_award:add:0:0.01", "--icb", "ZZZ"], "--icb 'ZZZ' is not an ICB"),
        (["--vary-file", "missing.yaml"], "--vary-file: missing.yaml | cannot read the file"),
    ],
)
def test_bad_command_line_exits_2_without_traceback(tmp_path, capsys, argv, message):
    out = tmp_path / "out"
    status = main(["--root", str(ROOT), "sensitivity", "base", "--metric", "wte_gap", "--year", "2025/26",
                   "--out", str(out), "--no-png", *argv])
    captured = capsys.readouterr()
    assert status == 2
    assert message in captured.err and "Traceback" not in captured.err
    assert not out.exists()


def test_footer_and_readme_trace_a_chart_and_a_table_to_their_inputs():
    from model import __version__
    from model.cli.batch import about, footer
    from model.scenario import load_scenario
    from tests.fixtures import PROJECT

    base = load_scenario("base", PROJECT)
    digest = "0123456789abcdef" * 4
    assert footer(base, digest) == (f"scenario base · run sha256 0123456789abcdef · scenario sha256 "
                                    f"{base.content_hash()[:16]} · model {__version__}")
    assert footer(base, digest, "seed 1").endswith("<br>seed 1")
    rows = dict(about(base, digest, "wte_gap", "England", "2025/26", [("swing", "|high - low|")]))
    assert rows["scenario sha256"] == base.content_hash() and rows["run sha256"] == digest
    assert rows["metric"].startswith("wte_gap (WTE): ") and rows["swing"] == "|high - low|"
    assert (rows["place"], rows["year"], rows["model version"]) == ("England", "2025/26", __version__)


def test_an_input_error_is_reported_against_its_option():
    from model.analysis.metrics import check_metric
    from model.cli.batch import option

    assert option("--metric", check_metric, "wte_gap") == "wte_gap"
    with pytest.raises(UsageError, match="--metric 'wte_gaps' is not a results column"):
        option("--metric", check_metric, "wte_gaps")


def test_the_manifest_records_every_file_the_command_wrote(tmp_path):
    import hashlib
    import json

    from tests.fixtures import PROJECT

    out = tmp_path / "sens"
    assert main(["--root", str(PROJECT), "sensitivity", "base", "--metric", "funding_gap_gbp", "--year", "2025/26",
                 "--icb", "qbb", "--out", str(out), "--no-png"]) == 0  # the scenario's uncertainty block
    record = json.loads((out / "sensitivity_manifest.json").read_text())
    assert set(record["files"]) == {"tornado.csv", "tornado.xlsx", "tornado.html"}
    for name, entry in record["files"].items():
        assert entry["sha256"] == hashlib.sha256((out / name).read_bytes()).hexdigest(), name
    assert record["icb"] == "QBB" and record["vary"] == ["inflation.pay_award:add:-0.01:0.02",
                                                          "running_cost_cut.path.2025/26:set:0.25:0.35"]
    table = pd.read_csv(out / "tornado.csv")
    assert set(table["scenario_sha256"]) == {record["scenarios"][0]["content_sha256"]}


def test_a_cut_in_a_published_year_is_said_to_move_nothing_that_year_but_moves_later_ones(tmp_path, capsys):
    """The base's 2025/26 allowances are NHS England's published figures for every organisation:
    varying the 2025/26 cut moves no 2025/26 allowance (a note says why), but moves 2027/28's."""
    vary = ["--vary", "running_cost_cut.path.2025/26:set:0.1:0.5", "--no-png", "--no-xlsx"]
    assert main(["--root", str(ROOT), "sensitivity", "base", "--metric", "allowance_gbp", "--year", "2025/26", *vary,
                 "--out", str(tmp_path / "a")]) == 0
    err = capsys.readouterr().err
    assert ("icb-model: note: running_cost_cut.path.2025/26 does not move allowance_gbp in 2025/26 at all in this "
            "scenario: every organisation's allowance in 2025/26 is NHS England's published figure") in err
    assert main(["--root", str(ROOT), "sensitivity", "base", "--metric", "allowance_gbp", "--year", "2027/28", *vary,
                 "--out", str(tmp_path / "b")]) == 0
    assert "note:" not in capsys.readouterr().err


@pytest.mark.parametrize(("command", "stem"), [
    (["sensitivity", "base", "--vary", "inflation.pay_award:add:-0.01:0.02"], "tornado"),
    (["grid", "base", "--x", "running_cost_cut.path.2026/27:set:0.2,0.4", "--y", "inflation.pay_award:add:0,0.01"],
     "grid"),
])
def test_sensitivity_and_grid_draw_the_png_in_a_renderer_that_ends_with_them(tmp_path, monkeypatch, capsys, command,
                                                                             stem):
    from model.output import png_renderer

    pids: list[int | None] = []

    class Recorded(png_renderer.PngRenderer):
        def __init__(self, niceness: int = 0) -> None:
            super().__init__(niceness=niceness)
            pids.append(self.pid)
            assert niceness == 0  # no threads of its own to yield to

    monkeypatch.setattr(png_renderer, "PngRenderer", Recorded)
    out = tmp_path / "out"
    assert main(["--root", str(ROOT), *command, "--metric", "wte_gap", "--year", "2026/27", "--no-xlsx",
                 "--out", str(out)]) == 0
    assert (out / f"{stem}.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and (out / f"{stem}.html").is_file()
    assert "PNG" not in capsys.readouterr().err
    (pid,) = pids
    assert pid is not None
    with pytest.raises(ProcessLookupError):  # reaped, not left behind
        os.kill(pid, 0)
