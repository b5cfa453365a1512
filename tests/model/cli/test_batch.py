"""``icb-model sensitivity`` and ``grid`` (model/cli/batch.py), end to end on the base scenario."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from model.cli import main

ROOT = Path(__file__).resolve().parents[3]


def test_sensitivity_command_writes_tables_and_chart(tmp_path, capsys):
    out = tmp_path / "sens"
    status = main(["--root", str(ROOT), "sensitivity", "base", "--metric", "wte_gap", "--year", "2025/26",
                   "--vary", "inflation.pay_award:add:-0.01:0.02",
                   "--vary", "running_cost_cut.path.2025/26:set:0.2:0.5", "--out", str(out), "--no-png"])
    assert status == 0
    printed = capsys.readouterr().out
    assert "Tornado: wte_gap, England, 2025/26" in printed and "running_cost_cut.path.2025/26" in printed
    table = pd.read_csv(out / "tornado.csv")
    assert list(table.columns)[:9] == ["parameter", "mode", "low", "high", "metric_base", "metric_low",
                                       "metric_high", "swing", "rank"]
    assert table.loc[0, "parameter"] == "running_cost_cut.path.2025/26"  # the cut moves the gap most
    xlsx = pd.read_excel(out / "tornado.xlsx", sheet_name="tornado")
    np.testing.assert_allclose(xlsx["swing"], table["swing"])
    assert (out / "tornado.html").stat().st_size > 100_000
    assert (out / "sensitivity_manifest.json").is_file()


def test_grid_command_writes_the_table(tmp_path):
    out = tmp_path / "grid"
    status = main(["--root", str(ROOT), "grid", "base", "--x", "running_cost_cut.path.2025/26:set:0.2,0.3,0.4,0.5",
                   "--y", "inflation.pay_award:add:-0.01,0,0.01,0.02", "--metric", "wte_gap", "--year", "2025/26",
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
