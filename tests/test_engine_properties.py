"""Laws the engine must obey for any parameters (hypothesis property tests)."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from model import engine
from model.output.results import tabulate
from model.periods import parse_month
from tests.builders import worked_example

fraction = st.floats(0.0, 1.0)
small_rate = st.floats(-0.05, 0.15)
positive = st.floats(1.0, 100.0)
months = st.integers(parse_month("2023-04"), parse_month("2026-03")).map(float)


@st.composite
def parameters(draw) -> dict[str, object]:
    """A random but valid parameter set over the worked example's four years."""
    return {
        "population.growth_rate": draw(st.floats(-0.02, 0.03)),
        "baseline.rca_per_head_gbp": draw(positive),
        "baseline.pay_share": draw(st.floats(0.05, 1.0)),
        "baseline.salary_per_wte_gbp": draw(st.floats(15_000, 120_000)),
        "baseline.programme_pay_per_head_gbp": draw(st.floats(0, 20)),
        "running_cost_cut.path": [0.0, *draw(st.lists(st.floats(0, 0.9), min_size=3, max_size=3))],
        "running_cost_cut.basis": float(draw(st.booleans())),
        "inflation.pay_award": draw(st.lists(small_rate, min_size=4, max_size=4)),
        "inflation.oncost_rate": draw(st.floats(0, 0.4)),
        "inflation.nonpay_inflation": draw(st.lists(small_rate, min_size=4, max_size=4)),
        "workforce.turnover_rate": draw(fraction),
        "workforce.core_demand_change": draw(st.floats(-0.05, 0.05)),
        "delegation.dentistry.go_live": draw(months),
        "delegation.dentistry.transfer_wte_per_100k": draw(st.floats(0, 5)),
        "delegation.dentistry.required_wte_per_100k": draw(st.floats(0, 8)),
        "delegation.dentistry.in_cut_scope": float(draw(st.booleans())),
        "delegation.specialised.go_live": draw(months),
        "delegation.specialised.transfer_wte_per_100k": draw(st.floats(0, 5)),
        "delegation.specialised.required_wte_per_100k": draw(st.floats(0, 8)),
    }


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


@given(parameters(), st.lists(st.floats(1e4, 3e6), min_size=2, max_size=6))
@settings(max_examples=40, deadline=None)
def test_england_is_the_sum_of_icbs(params, populations):
    inputs = worked_example(populations=tuple(populations), **params)
    frame = tabulate("p", inputs, engine.run(inputs))
    icbs = frame[frame.icb_code != "ENG"].groupby("year", sort=False).sum(numeric_only=True)
    eng = frame[frame.icb_code == "ENG"].set_index("year")
    for column in ("population", "allowance_gbp", "affordable_wte", "wte_gap", "funding_gap_gbp",
                   "redundancies_wte", "redundancy_cost_gbp", "core_capacity_wte", "allowance_real_gbp"):
        np.testing.assert_allclose(eng[column], icbs[column], rtol=1e-9, atol=1e-6)
    np.testing.assert_allclose(eng["allowance_per_head_gbp"], icbs["allowance_gbp"] / icbs["population"], rtol=1e-12)


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
