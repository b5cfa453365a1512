"""Tornado and grid (model/analysis/sensitivity.py) against separate engine runs, and their command line."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from model import engine
from model.analysis.metrics import place_metric
from model.analysis.sensitivity import Variation, grid, show_setting, tornado
from model.cli import main
from model.cli.common import UsageError
from model.cli.tables import format_tornado
from model.cli.vary import load_vary_file, parse_axis, parse_variation
from model.engine.changes import Change, apply
from model.errors import InputError
from model.output.results import tabulate
from model.schema import METRICS
from tests.builders import worked_example

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def three_icbs():
    return worked_example((1_000_000.0, 2_500_000.0, 400_000.0))


def alone(inputs, changes, metric, year, icb):
    """The metric from a separate engine run with only these changes, read from its results table."""
    changed = apply(inputs, changes)
    table = tabulate("alone", changed, engine.run(changed))
    row = table[(table.icb_code == (icb or "ENG")) & (table.year == year)]
    return float(row[metric].iloc[0])


VARIATIONS = [
    parse_variation("inflation.pay_award:add:-0.01:0.02"),
    parse_variation("running_cost_cut.path.2025/26:set:0.2:0.5"),
    parse_variation("delegation.dentistry.required_wte_per_100k:scale:0.5:2"),
    parse_variation("delegation.dentistry.go_live:set:2023-04:2024-10"),
    parse_variation("real_terms.index:set:cost:gdp_deflator"),
]


@pytest.mark.parametrize("icb", [None, "T01"])
@pytest.mark.parametrize("metric", ["wte_gap", "funding_gap_gbp", "real_change_vs_base", "redundancy_cost_gbp"])
def test_tornado_equals_separate_engine_runs(three_icbs, metric, icb):
    table = tornado(three_icbs, VARIATIONS, metric, "2025/26", icb)
    base = alone(three_icbs, [], metric, "2025/26", icb)
    for row in table.itertuples():
        v = next(v for v in VARIATIONS if v.path == row.parameter)
        assert row.metric_base == pytest.approx(base, rel=1e-12, abs=1e-9)
        assert row.metric_low == pytest.approx(
            alone(three_icbs, [Change(v.path, v.mode, v.low)], metric, "2025/26", icb), rel=1e-12, abs=1e-9)
        assert row.metric_high == pytest.approx(
            alone(three_icbs, [Change(v.path, v.mode, v.high)], metric, "2025/26", icb), rel=1e-12, abs=1e-9)
        assert row.swing == pytest.approx(abs(row.metric_high - row.metric_low))


def test_tornado_columns_ranks_and_roles(three_icbs):
    table = tornado(three_icbs, VARIATIONS, "wte_gap", "2025/26")
    assert list(table.columns)[:9] == ["parameter", "mode", "low", "high", "metric_base", "metric_low",
                                       "metric_high", "swing", "rank"]
    assert table["rank"].tolist() == [1, 2, 3, 4, 5]
    assert table["swing"].is_monotonic_decreasing
    roles = dict(zip(table["parameter"], table["role"], strict=True))
    assert roles["inflation.pay_award"] == "uncertainty"
    assert roles["running_cost_cut.path.2025/26"] == "lever"
    assert roles["delegation.dentistry.go_live"] == "lever"
    # real_terms.index changes what real terms mean, not the WTE gap
    assert table.set_index("parameter").loc["real_terms.index", "swing"] == 0


def test_tornado_calls_the_engine_once(three_icbs, monkeypatch):
    calls = []
    real = engine.evaluate
    monkeypatch.setattr(engine, "evaluate", lambda inputs: calls.append(inputs.samples) or real(inputs))
    tornado(three_icbs, VARIATIONS, "wte_gap", "2025/26")
    assert calls == [1 + 2 * len(VARIATIONS)]


def test_every_metric_equals_the_results_table_to_the_bit(three_icbs):
    """England's sums and ratios, and each ICB's figures, as results.csv has them."""
    table = tabulate("t", three_icbs, engine.run(three_icbs))
    for code in ("ENG", "T00", "T02"):
        row = table[(table.icb_code == code) & (table.year == "2025/26")].iloc[0]
        for metric in METRICS:
            assert place_metric(three_icbs, metric, "2025/26", code)[0] == row[metric], (code, metric)


def test_grid_equals_separate_engine_runs(three_icbs):
    x = parse_axis("running_cost_cut.path.2025/26:set:0.2,0.3,0.5", "--x")
    y = parse_axis("inflation.pay_award:add:-0.01,0,0.02", "--y")
    table = grid(three_icbs, x, y, "wte_gap", "2025/26")
    assert table.shape == (3, 3)
    assert list(table.columns) == ["0.2", "0.3", "0.5"] and list(table.index) == ["-0.01", "0", "0.02"]
    assert table.index.name == "inflation.pay_award:add \\ running_cost_cut.path.2025/26:set"
    for y_value in y.values:
        for x_value in x.values:
            expected = alone(three_icbs, [Change(x.path, "set", x_value), Change(y.path, "add", y_value)],
                             "wte_gap", "2025/26", None)
            assert table.loc[show_setting(y_value), show_setting(x_value)] == pytest.approx(expected, rel=1e-12)


def test_from_year_variation_changes_later_years_only():
    inputs = worked_example()
    v = Variation.of("inflation.pay_award", "add", 0.0, 0.02, from_year="2025/26")
    table = tornado(inputs, [v], "wte_gap", "2024/25")
    assert table.loc[0, "swing"] == 0
    table = tornado(inputs, [v], "wte_gap", "2025/26")
    assert table.loc[0, "swing"] > 0 and table.loc[0, "from_year"] == "2025/26"


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda i: tornado(i, [parse_variation("inflation.pay_awrd:add:0:0.01")], "wte_gap", "2025/26"),
         "did you mean 'inflation.pay_award'"),
        (lambda i: tornado(i, [parse_variation("workforce.turnover_rate:set:0.05:1.5")], "wte_gap", "2025/26"),
         "workforce.turnover_rate at high (1.5): workforce.turnover_rate would be 1.5, outside its range (0 to 1)"),
        (lambda i: tornado(i, [parse_variation("inflation.pay_award:add:0:0.01")], "wte_gaps", "2025/26"),
         "'wte_gaps' is not a results column; did you mean 'wte_gap'"),
        (lambda i: tornado(i, [parse_variation("inflation.pay_award:add:0:0.01")], "wte_gap", "2035/36"),
         "'2035/36' is not a year of this run"),
        (lambda i: tornado(i, [parse_variation("inflation.pay_award:add:0:0.01")], "wte_gap", "2025/26", "XYZ"),
         "'XYZ' is not an ICB of this run"),
        (lambda i: parse_variation("inflation.pay_award:add:0.02:-0.01"), "low (0.02) is above high (-0.01)"),
        (lambda i: parse_variation("inflation.pay_award:times:0:1"), "mode 'times' is not one of set, add, scale"),
        (lambda i: parse_variation("inflation.pay_award:add:0.02"), "should be PATH:MODE:LOW:HIGH"),
        (lambda i: tornado(i, [parse_variation("running_cost_cut.basis:add:0:1")], "wte_gap", "2025/26"),
         "a choice can only be set"),
        (lambda i: tornado(i, [parse_variation("running_cost_cut.basis:set:nominal:reel")], "wte_gap", "2025/26"),
         "'reel' is not one of nominal, real"),
        (lambda i: parse_axis("inflation.pay_award:add:0,0.01,0", "--x"), "0 appears twice"),
        (lambda i: parse_axis("inflation.pay_award:add:0,,0.01", "--x"), "an empty value"),
        (lambda i: parse_variation("inflation.pay_award:add:nan:0.01"),
         "--vary inflation.pay_award: 'nan' is not a finite number"),
        (lambda i: parse_axis("inflation.pay_award:add:0,inf", "--y"),
         "--y inflation.pay_award: 'inf' is not a finite number"),
        (lambda i: grid(i, parse_axis("inflation.pay_award:add:0,0.01", "--x"),
                        parse_axis("inflation.pay_award:set:0,0.01", "--y"), "wte_gap", "2025/26"),
         "both axes vary inflation.pay_award"),
        (lambda i: tornado(i, [parse_variation("inflation.pay_award:add:0:0.01")] * 2, "wte_gap", "2025/26"),
         "is varied twice"),
    ],
)
def test_bad_input_gets_a_clear_error(call, message):
    with pytest.raises((InputError, UsageError)) as caught:
        call(worked_example())
    assert message in str(caught.value)


def test_vary_file_forms(tmp_path):
    listed = tmp_path / "vary.yaml"
    listed.write_text("vary:\n  - {path: inflation.pay_award, mode: add, low: -0.01, high: 0.02}\n"
                      "  - {path: inflation.pay_award, mode: add, low: 0, high: 0.01, from_year: 2025/26}\n")
    mapped = tmp_path / "map.yaml"
    mapped.write_text("workforce.turnover_rate: {mode: set, low: 0.05, high: 0.15}\n")
    assert [v.label for v in load_vary_file(listed)] == ["inflation.pay_award",
                                                                     "inflation.pay_award from 2025/26"]
    assert load_vary_file(mapped) == [Variation("workforce.turnover_rate", "set", 0.05, 0.15)]
    broken = tmp_path / "broken.yaml"
    broken.write_text("- {path: inflation.pay_award, mode: add, low: 0}\n")
    with pytest.raises(UsageError, match="entry 1 should have path, mode, low and high"):
        load_vary_file(broken)


def test_format_tornado_is_a_readable_table(three_icbs):
    text = format_tornado(tornado(three_icbs, VARIATIONS[:2], "funding_gap_gbp", "2025/26"),
                                      "funding_gap_gbp", "Tornado")
    lines = text.splitlines()
    assert lines[0] == "Tornado" and lines[1].startswith("base: ") and lines[1].endswith("£m")
    assert "swing (£m)" in lines[3] and lines[5].startswith("1 ")


# --- the command line, end to end on the base scenario ----------------------------------------


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
