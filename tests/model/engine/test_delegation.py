"""Delegated functions (model/engine/delegation.py): budgets, the staff they need and who arrives."""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from model import engine
from model.periods import parse_month
from tests.builders import steps, tst, worked_example


def test_dentistry_budget_arrives_part_year_then_follows_core(worked):
    """10 WTE x (52,500 + 5,000 x 1.02) = £576,000 a full year; 0.75 of it in 2023/24, then x0.8."""
    np.testing.assert_allclose(tst(worked, "delegated_allowance_dentistry_gbp"), [0, 432_000, 460_800, 403_200])
    np.testing.assert_allclose(tst(worked, "arrivals_wte"), [0, 7.5, 2.5, 0])


def test_out_of_scope_function_keeps_its_budget():
    out = engine.run(worked_example(**{"delegation.dentistry.in_cut_scope": 0.0}))
    np.testing.assert_allclose(tst(out, "delegated_allowance_gbp"), [0, 432_000, 576_000, 576_000])


def test_population_growth_and_delegated_requirement():
    """1% growth: pop 1m x 1.01^t; dentistry needs 1.5 per 100k, 0.75 of 2023/24."""
    out = engine.run(worked_example(**{"population.growth_rate": 0.01}))
    pop = 1e6 * 1.01 ** np.arange(4)
    np.testing.assert_allclose(tst(out, "population"), pop)
    np.testing.assert_allclose(tst(out, "required_delegated_wte"), 1.5 * pop / 1e5 * [0, 0.75, 1, 1])
    # transfer WTE uses the go-live year's population (1.01m in 2023/24)
    np.testing.assert_allclose(tst(out, "arrivals_wte"), 10.1 * np.array([0, 0.75, 0.25, 0]))


# --- the step on its own: SPEC section 9's worked example by hand ------------------------------


def test_delegated_step_of_the_worked_example():
    """Dentistry from July 2023: 1 WTE per 100k of 1m people = 10 WTE transfer, bringing
    10 x (52,500 + 5,000 x 1.02) = £576,000 a full year at 2023/24 prices; 0.75 of it in 2023/24,
    then moving with the core allowance (16m / 20m, 14m / 20m). It needs 1.5 per 100k = 15 WTE,
    0.75 of them in 2023/24; 7.5 arrive in 2023/24 and the other 2.5 in 2024/25."""
    d = steps(worked_example()).delegated
    np.testing.assert_allclose(d.budgets["dentistry"][0, :, 0], [0, 432_000, 460_800, 403_200], rtol=1e-14)
    np.testing.assert_allclose(d.required["dentistry"][0, :, 0], [0, 11.25, 15, 15], rtol=1e-14)
    np.testing.assert_allclose(d.arrivals[0, :, 0], [0, 7.5, 2.5, 0], rtol=1e-14)
    for function in ("pharmacy", "optometry", "specialised"):  # never go live
        assert not d.budgets[function].any() and not d.required[function].any()
    np.testing.assert_allclose(d.budget_total, d.budgets["dentistry"])
    np.testing.assert_allclose(d.required_total, d.required["dentistry"])


def test_two_functions_add_up_each_at_its_own_go_live_prices():
    """Pharmacy too, from April 2024: 2 per 100k = 20 WTE at 2024/25's £55,125 and no non-pay,
    £1,102,500 a year, all of 2024/25, then x 14m / 16m with the core allowance."""
    d = steps(worked_example(**{"delegation.pharmacy.go_live": float(parse_month("2024-04")),
                                "delegation.pharmacy.transfer_wte_per_100k": 2.0})).delegated
    np.testing.assert_allclose(d.budgets["pharmacy"][0, :, 0], [0, 0, 1_102_500, 1_102_500 * 14 / 16], rtol=1e-14)
    np.testing.assert_allclose(d.budget_total[0, :, 0],
                               [0, 432_000, 460_800 + 1_102_500, 403_200 + 1_102_500 * 14 / 16], rtol=1e-14)
    np.testing.assert_allclose(d.arrivals[0, :, 0], [0, 7.5, 2.5 + 20, 0], rtol=1e-14)


def test_a_function_live_before_the_base_year_brings_its_budget_but_no_arrivals():
    """Live since April 2021: the whole budget from the base year at base-year prices
    (10 x (50,000 + 5,000) = £550,000, then with the core allowance); its staff are already there."""
    d = steps(worked_example(**{"delegation.dentistry.go_live": float(parse_month("2021-04"))})).delegated
    np.testing.assert_allclose(d.budgets["dentistry"][0, :, 0], 550_000 * np.array([1, 1, 0.8, 0.7]), rtol=1e-14)
    np.testing.assert_allclose(d.required["dentistry"][0, :, 0], 15, rtol=1e-14)
    np.testing.assert_array_equal(d.arrivals[0, :, 0], 0)


def test_go_live_by_icb_per_sample():
    """Go-lives are per ICB (and per sample): the second ICB never takes dentistry on."""
    inputs = worked_example(populations=(1e6, 2e6), **{
        "delegation.dentistry.go_live": [float(parse_month("2023-07")), float("nan")]})
    d = steps(inputs).delegated
    np.testing.assert_allclose(d.budgets["dentistry"][:, :, 0], [[0, 432_000, 460_800, 403_200], [0, 0, 0, 0]],
                               rtol=1e-14)
    np.testing.assert_allclose(d.arrivals[:, :, 0], [[0, 7.5, 2.5, 0], [0, 0, 0, 0]])


def test_fair_shares_count_need_weighted_people():
    """Dentistry per 100,000 need-weighted people: an ICB with need index 1.2 gets 12 WTE where
    the registered basis gives 10, and needs 18 rather than 15; one with 0.8 gets 8 and needs 12."""
    weighted = replace(worked_example((1e6, 1e6), **{"delegation.dentistry.population_basis": 1.0}),
                       need_index=np.array([1.2, 0.8]))
    out = engine.run(weighted)
    np.testing.assert_allclose(out["arrivals_wte"][0, :, 1:].sum(axis=1), [12.0, 8.0])
    np.testing.assert_allclose(out["required_delegated_wte"][0, :, 3], [18.0, 12.0])
    plain = engine.run(worked_example((1e6, 1e6)))
    np.testing.assert_allclose(plain["arrivals_wte"][0, :, 1:].sum(axis=1), [10.0, 10.0])
