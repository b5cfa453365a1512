"""The whole method (model/engine/__init__.py: run, evaluate, ratios): SPEC section 9's worked
example to its printed precision, and laws the engine must obey for any parameters (hypothesis)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from model import engine
from tests.builders import parameters, tst, worked_example


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        ("core_allowance_gbp", [20_000_000, 20_000_000, 16_000_000, 14_000_000]),
        ("delegated_allowance_gbp", [0, 432_000, 460_800, 403_200]),
        ("loaded_cost_per_wte_gbp", [50_000.00, 52_500.00, 55_125.00, 57_881.25]),
        ("nonpay_cost_gbp", [5_000_000.00, 5_157_375.00, 5_280_030.00, 5_385_630.60]),
        ("affordable_wte", [300.00, 290.95, 202.83, 155.79]),
        ("required_wte", [300.00, 311.25, 315.00, 315.00]),
        ("funding_gap_gbp", [0, -1_066_000.00, -6_183_605.00, -9_215_024.35]),
        ("employed_wte", [300.00, 290.95, 202.83, 155.79]),
        ("redundancies_wte", [0, 0, 61.52, 26.75]),
        ("redundancy_cost_gbp", [0, 0, 2_713_250.50, 1_238_606.60]),
    ],
)
def test_worked_example_table(worked, key, expected):
    """Every column of SPEC section 9's hand-checked table, to its printed precision."""
    np.testing.assert_allclose(np.round(tst(worked, key), 2), expected, rtol=0, atol=0.006)


def test_worked_example_core_real_change():
    out = engine.run(worked_example())
    ratios = engine.ratios({k: out[k][0] for k in engine.ADDITIVE})
    np.testing.assert_allclose(ratios["core_real_change_vs_base"][0], [0.0, -0.0408, -0.2640, -0.3825], atol=5e-5)


# Laws for any parameters


@given(parameters())
@settings(max_examples=60, deadline=None)
def test_base_year_balances(params):
    """With no delegation live in the base year, affordable = required = employed = core WTE."""
    out = engine.run(worked_example(**params))
    base = {k: out[k][0, 0, 0] for k in ("affordable_wte", "required_wte", "employed_wte", "required_core_wte")}
    assert np.isclose(base["affordable_wte"], base["required_wte"], rtol=1e-12)
    assert np.isclose(base["employed_wte"], base["required_core_wte"], rtol=1e-12)
    assert abs(out["funding_gap_gbp"][0, 0, 0]) < 1e-6 * out["allowance_gbp"][0, 0, 0]


@given(parameters())
@settings(max_examples=60, deadline=None)
def test_no_cut_no_inflation_is_flat(params):
    """Zero cut and zero inflation, no growth or delegation: every year equals the base year."""
    params.update(
        {
            "running_cost_cut.path": 0.0,
            "inflation.pay_award": 0.0,
            "inflation.nonpay_inflation": 0.0,
            "population.growth_rate": 0.0,
            "workforce.core_demand_change": 0.0,
            "delegation.dentistry.go_live": float("nan"),
            "delegation.specialised.go_live": float("nan"),
        }
    )
    out = engine.run(worked_example(**params))
    ratios = engine.ratios({k: out[k][0] for k in engine.ADDITIVE})
    for key in ("allowance_gbp", "allowance_real_gbp", "affordable_wte", "required_wte", "nonpay_cost_gbp"):
        series = out[key][0, 0]
        np.testing.assert_allclose(series, series[0], rtol=1e-12)
    np.testing.assert_allclose(ratios["real_change_vs_base"], 0.0, atol=1e-12)
    np.testing.assert_allclose(out["redundancies_wte"], 0.0, atol=1e-9)


@given(parameters(), st.floats(0, 0.9), st.floats(0, 0.9))
@settings(max_examples=60, deadline=None)
def test_allowance_falls_as_the_cut_rises(params, cut_a, cut_b):
    low, high = sorted((cut_a, cut_b))
    runs = [engine.run(worked_example(**{**params, "running_cost_cut.path": [0, c, c, c]})) for c in (low, high)]
    for key in ("allowance_gbp", "core_allowance_gbp", "affordable_wte", "funding_gap_gbp"):
        assert (runs[1][key] <= runs[0][key] + 1e-6 * np.abs(runs[0][key]) + 1e-9).all(), key


@given(parameters(), st.integers(1, 24))
@settings(max_examples=60, deadline=None)
def test_later_arrival_never_raises_costs_before_it(params, delay):
    """Delaying dentistry's go-live never raises costs in any year before the later date."""
    late = {**params, "delegation.dentistry.go_live": params["delegation.dentistry.go_live"] + delay}
    early_run, late_run = engine.run(worked_example(**params)), engine.run(worked_example(**late))
    live = late_run["required_delegated_wte_dentistry"][0, 0] > 0
    before = slice(0, int(np.argmax(live)) if live.any() else None)
    for key in ("required_cost_gbp", "nonpay_cost_gbp", "required_wte"):
        assert (late_run[key][0, 0, before] <= early_run[key][0, 0, before] * (1 + 1e-12) + 1e-9).all(), key


@given(st.lists(parameters(), min_size=2, max_size=4))
@settings(max_examples=20, deadline=None)
def test_samples_axis_equals_separate_runs(param_sets):
    """Stacking parameter sets on the sample axis gives the same numbers as separate runs."""
    singles = [worked_example(**p) for p in param_sets]
    stacked = singles[0].with_values(
        {path: np.concatenate([s.values[path] for s in singles], axis=0) for path in singles[0].values}
    )
    together = engine.run(stacked)
    for i, inputs in enumerate(singles):
        alone = engine.run(inputs)
        for key in engine.ADDITIVE:
            np.testing.assert_allclose(together[key][i], alone[key][0], rtol=1e-12, atol=1e-9)


# Shapes and ratios


def test_run_lays_out_samples_icbs_years_and_evaluate_icbs_years_samples():
    inputs = worked_example(populations=(1e6, 2e6, 5e5)).with_values(
        {"baseline.pay_share": np.array([0.7, 0.75])})  # two samples
    out, raw = engine.run(inputs), engine.evaluate(inputs)
    assert set(out) == set(engine.ADDITIVE) | set(engine.PRICES) == set(raw)
    for key in engine.ADDITIVE:
        assert out[key].shape == (2, 3, 4) and raw[key].shape == (3, 4, 2), key
        np.testing.assert_array_equal(out[key], np.transpose(raw[key], (2, 0, 1)))
    for key in engine.PRICES:
        assert out[key].shape == (2, 1, 4) and raw[key].shape == (1, 4, 2), key
    assert set(engine.PRICES) == {"loaded_cost_per_wte_gbp", "pay_index", "nonpay_index", "deflator"}


def test_ratios_are_made_from_additive_figures():
    """Real change = real allowance / cost base - 1; per head = allowance / population: for the
    worked example's 2025/26, 14,403,200 / 1.13352075 / 20m - 1 and £14.4032 a head."""
    out = engine.run(worked_example())
    ratios = engine.ratios({k: out[k][0] for k in engine.ADDITIVE})
    assert ratios["real_change_vs_base"][0, 3] == pytest.approx(14_403_200 / 1.13352075 / 20e6 - 1, rel=1e-12)
    assert ratios["core_real_change_vs_base"][0, 3] == pytest.approx(14e6 / 1.13352075 / 20e6 - 1, rel=1e-12)
    assert ratios["allowance_per_head_gbp"][0, 3] == pytest.approx(14.4032, rel=1e-12)
    two = {"allowance_real_gbp": np.array([[10.0], [30.0]]), "core_allowance_real_gbp": np.array([[5.0], [5.0]]),
           "cost_base_gbp": np.array([[20.0], [20.0]]), "allowance_gbp": np.array([[12.0], [36.0]]),
           "population": np.array([[2.0], [4.0]])}
    np.testing.assert_allclose(engine.ratios(two)["real_change_vs_base"], [[-0.5], [0.5]])
    np.testing.assert_allclose(engine.ratios(two)["allowance_per_head_gbp"], [[6.0], [9.0]])
