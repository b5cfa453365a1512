"""Tornado and grid (model/analysis/sensitivity.py) against separate engine runs."""

from __future__ import annotations

import pytest

from model import engine
from model.analysis.sensitivity import Variation, grid, show_setting, tornado
from model.cli.common import UsageError
from model.cli.vary import parse_axis, parse_variation
from model.engine.changes import Change, apply
from model.errors import InputError
from model.output.results import tabulate
from tests.builders import worked_example


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
        (lambda i: tornado(i, [parse_variation("running_cost_cut.basis:add:0:1")], "wte_gap", "2025/26"),
         "a choice can only be set"),
        (lambda i: tornado(i, [parse_variation("running_cost_cut.basis:set:nominal:reel")], "wte_gap", "2025/26"),
         "'reel' is not one of nominal, real"),
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
