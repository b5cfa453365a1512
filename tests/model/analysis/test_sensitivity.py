"""Tornado and grid (model/analysis/sensitivity.py) against separate engine runs."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from model import engine
from model.analysis.sensitivity import Variation, grid, show_setting, stack, tornado, variations_from_uncertainty
from model.cli.common import UsageError
from model.cli.vary import parse_axis, parse_variation
from model.engine.changes import Change, OverrideError, apply
from model.errors import InputError
from model.output.results import tabulate
from tests.builders import BLOCK, VARIATIONS, dists_of, worked_example


@pytest.fixture(scope="module")
def three_icbs():
    return worked_example((1_000_000.0, 2_500_000.0, 400_000.0))


def alone(inputs, changes, metric, year, icb):
    """The metric from a separate engine run with only these changes, read from its results table."""
    changed = apply(inputs, changes)
    table = tabulate("alone", changed, engine.run(changed))
    row = table[(table.icb_code == (icb or "ENG")) & (table.year == year)]
    return float(row[metric].iloc[0])


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


def test_show_setting_writes_settings_as_short_as_they_go():
    assert show_setting(0.30000000000000004) == "0.3" and show_setting(2.0) == "2"
    assert show_setting(True) == "true" and show_setting(None) == "never"
    assert show_setting("2024-04") == "2024-04" and show_setting(3) == "3"


def test_a_variation_is_checked_when_made():
    v = Variation.of("inflation.pay_award", "add", -0.01, 0.02, from_year="2024/25")
    assert (v.path, v.mode, v.low, v.high, v.from_year) == ("inflation.pay_award", "add", -0.01, 0.02, "2024/25")
    assert v.label == "inflation.pay_award from 2024/25"
    with pytest.raises(OverrideError, match="mode 'times' is not one of set, add, scale"):
        Variation.of("inflation.pay_award", "times", 0, 1)
    with pytest.raises(OverrideError, match="nan is not a finite number"):
        Variation.of("inflation.pay_award", "add", float("nan"), 1.0)
    with pytest.raises(OverrideError, match=r"low \(0.5\) is above high \(0.1\)"):
        Variation.of("inflation.pay_award", "add", 0.5, 0.1)
    assert Variation.of("delegation.dentistry.go_live", "set", "2024-10", "2023-04").low == "2024-10"  # months


def test_a_variation_from_a_year_changes_that_year_and_later_ones():
    labels = ("2022/23", "2023/24", "2024/25", "2025/26")
    v = Variation.of("inflation.pay_award", "add", 0.0, 0.02, from_year="2024/25")
    assert v.changes(0.02, labels) == [Change("inflation.pay_award.2024/25", "add", 0.02),
                                       Change("inflation.pay_award.2025/26", "add", 0.02)]
    assert Variation.of("inflation.pay_award", "add", 0.0, 0.02).changes(0.01, labels) == [
        Change("inflation.pay_award", "add", 0.01)]
    with pytest.raises(OverrideError, match="from_year 2030/31 is not a year of this run"):
        Variation.of("inflation.pay_award", "add", 0, 1, from_year="2030/31").changes(1, labels)


def test_stack_makes_runs_the_samples_of_one_run():
    runs = [worked_example(**{"baseline.pay_share": share}) for share in (0.5, 0.6, 0.7)]
    stacked = stack(runs)
    assert stacked.samples == 3
    np.testing.assert_array_equal(stacked.values["baseline.pay_share"], [0.5, 0.6, 0.7])
    assert stacked.values["inflation.pay_award"].shape == (3, 4)


def test_a_tornado_over_a_scenarios_uncertainty_block():
    dists = dists_of(BLOCK)
    variations = variations_from_uncertainty(dists)
    assert [(v.path, v.mode, v.low, v.high) for v in variations] == [
        (d.path, d.mode, d.low, d.high) for d in dists]
    assert variations[0].from_year == "2024/25"
    table = tornado(worked_example(), variations, "wte_gap", "2025/26")
    assert set(table["parameter"]) == set(BLOCK) and table["swing"].is_monotonic_decreasing


_CHANGES = st.one_of(
    st.tuples(st.just("delegation.dentistry.go_live"), st.sampled_from(["add", "scale"]),
              st.integers(-3000, 3000), st.integers(1, 3000)),
    st.tuples(st.sampled_from(["inflation.pay_award", "baseline.pay_share", "workforce.turnover_rate"]),
              st.sampled_from(["set", "add", "scale"]),
              st.floats(-3, 3, allow_nan=False), st.floats(0.001, 3, allow_nan=False)),
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(change=_CHANGES)
def test_uncertainty_entries_vary_and_grid_axes_accept_the_same_changes(three_icbs, change):
    """One check, from the schema: a change an ``uncertainty:`` entry may not make (its own checks,
    then the range check at its bounds) is refused by ``--vary`` and by a grid axis, and the
    reverse."""
    from model.analysis.distributions import UncertaintyError, check_bounds, from_entry
    from model.scenario.uncertainty import entry_problems
    from model.schema import resolve_parameter

    path, mode, low, width = change
    high = low + width
    entry = {"distribution": "uniform", "mode": mode, "low": low, "high": high}
    block_ok = not entry_problems(entry, resolve_parameter(path))
    if block_ok:
        try:
            check_bounds([from_entry(path, entry)], three_icbs)
        except UncertaintyError:
            block_ok = False
    outcomes = []
    for run in (lambda: tornado(three_icbs, [Variation.of(path, mode, low, high)], "wte_gap", "2025/26"),
                lambda: grid(three_icbs, parse_axis(f"{path}:{mode}:{low},{high}", "--x"),
                             parse_axis("nonpay.annual_saving:set:0.01,0.02", "--y"), "wte_gap", "2025/26")):
        try:
            run()
            outcomes.append(True)
        except InputError:
            outcomes.append(False)
    assert outcomes == [block_ok, block_ok], (change, outcomes, block_ok)


def test_work_that_cannot_fit_is_refused_before_it_starts_with_the_estimate(three_icbs, monkeypatch):
    """A grid over MAX_GRID_POINTS, a tornado of more than MAX_VARIATIONS parameters, or either
    over MAX_ENGINE_CELLS organisation-years, is refused at once with the size and time estimated."""
    import time

    from model.analysis import sensitivity

    many = tuple(float(v) / 1e6 for v in range(201))
    started = time.perf_counter()
    with pytest.raises(OverrideError, match=r"a grid of 201 x 201 values means 40,401 engine runs of 3 "
                                            r"organisations over 4 years \(484,812 cells, about 0 s on a 2-core "
                                            r"machine\); the most one command does is 40,000 runs"):
        grid(three_icbs, sensitivity.Axis("inflation.pay_award", "add", many),
             sensitivity.Axis("nonpay.annual_saving", "add", many), "wte_gap", "2025/26")
    bars = [Variation.of(f"running_cost_cut.path.{y}", "add", 0, 0.01) for y in three_icbs.labels] * 300
    with pytest.raises(OverrideError, match="a tornado of 1,200 parameters means 2,401 engine runs"):
        tornado(three_icbs, bars, "wte_gap", "2025/26")
    monkeypatch.setattr(sensitivity, "MAX_ENGINE_CELLS", 100)
    with pytest.raises(OverrideError, match=r"\(108 cells, about 0 s on a 2-core machine\).* and 100 cells"):
        grid(three_icbs, parse_axis("inflation.pay_award:add:0,0.01,0.02", "--x"),
             parse_axis("nonpay.annual_saving:set:0,0.01,0.02", "--y"), "wte_gap", "2025/26")
    assert time.perf_counter() - started < 1


def test_a_grid_is_evaluated_a_chunk_at_a_time_in_bounded_memory(three_icbs, monkeypatch):
    """200 x 200 points (40,000 engine runs) in chunks of 6,000 points, in under 60 MB: the runs are
    never held at once."""
    import tracemalloc

    from model.analysis import runs, sensitivity

    monkeypatch.setattr(runs, "CELLS_PER_CHUNK", 72_000)  # 6,000 points of three ICBs over four years

    axis = tuple(float(v) / 1e5 for v in range(200))
    tracemalloc.start()
    table = grid(three_icbs, sensitivity.Axis("inflation.pay_award", "add", axis),
                 sensitivity.Axis("nonpay.annual_saving", "add", axis), "wte_gap", "2025/26")
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert table.shape == (200, 200) and np.isfinite(table.to_numpy()).all()
    assert peak < 60e6, peak
    corner = alone(three_icbs, [Change("inflation.pay_award", "add", axis[-1]),
                                Change("nonpay.annual_saving", "add", axis[-1])], "wte_gap", "2025/26", None)
    assert table.iloc[-1, -1] == pytest.approx(corner, rel=1e-12)


def test_a_parameter_that_cannot_move_the_metric_that_year_is_named_with_the_reason(three_icbs):
    """Zero computed swings only: a change from a later year cannot move an earlier one; a
    parameter that moves the metric gets no note."""
    from model.analysis.sensitivity import no_effect

    variations = [parse_variation("running_cost_cut.path.2025/26:set:0.2:0.5"),
                  parse_variation("inflation.pay_award:add:-0.01:0.02"),
                  Variation.of("nonpay.annual_saving", "set", 0.01, 0.02)]
    table = tornado(three_icbs, variations, "allowance_gbp", "2024/25")
    notes = no_effect(three_icbs, table, "allowance_gbp", "2024/25")
    assert notes[0] == ("running_cost_cut.path.2025/26 does not move allowance_gbp in 2024/25 at all in this "
                        "scenario: it changes 2025/26 and later years only.")
    assert all("pay_award" not in note for note in notes)
    moved = tornado(three_icbs, variations[:1], "allowance_gbp", "2025/26")
    assert no_effect(three_icbs, moved, "allowance_gbp", "2025/26") == []
