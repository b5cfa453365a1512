"""Costs, capacity and workforce change (model/engine/workforce.py)."""

from __future__ import annotations

import numpy as np
import pytest

from model import engine
from tests.builders import steps, tst, worked_example


def test_core_demand_change_and_nonpay_saving():
    out = engine.run(worked_example(**{"workforce.core_demand_change": 0.1, "nonpay.annual_saving": 0.5}))
    np.testing.assert_allclose(tst(out, "required_core_wte"), 300 * 1.1 ** np.arange(4))
    core_nonpay = 5e6 * np.array([1, 1.02, 1.0404, 1.061208]) * 0.5 ** np.arange(4)
    dental_nonpay = 5000 * np.array([1, 1.02, 1.0404, 1.061208]) * 15 * np.array([0, 0.75, 1, 1])
    np.testing.assert_allclose(tst(out, "nonpay_cost_gbp"), core_nonpay + dental_nonpay)


def test_affordable_never_negative_and_nothing_not_finite():
    out = engine.run(worked_example(**{"running_cost_cut.path": [0, 0.9, 1.0, 1.0]}))
    assert (tst(out, "affordable_wte") >= 0).all()
    assert all(np.isfinite(v).all() for v in out.values())


# --- the steps on their own: SPEC section 9's 2023/24 and 2024/25 by hand ----------------------

ALLOWANCE = [20_000_000, 20_432_000, 16_460_800, 14_403_200]
"""The worked example's allowance: the core allowance plus dentistry's budget."""


def test_costs_and_capacity_of_the_worked_example():
    """2023/24: non-pay 5m x 1.02 + 5,000 x 1.02 x 11.25 = 5,157,375; required 300 + 11.25 WTE at
    £52,500 plus non-pay = 21,498,000; affordable (20,432,000 - 5,157,375) / 52,500.
    2024/25: non-pay 5m x 1.0404 + 5,000 x 1.0404 x 15 = 5,280,030; required 315 WTE at £55,125
    plus non-pay = 22,644,405; affordable (16,460,800 - 5,280,030) / 55,125."""
    c = steps(worked_example()).capacity
    row = {key: value[0, :, 0] for key, value in c.items()}
    np.testing.assert_allclose(row["nonpay_cost_gbp"][1:3], [5_157_375, 5_280_030], rtol=1e-14)
    np.testing.assert_allclose(row["required_core_wte"], 300, rtol=1e-14)
    np.testing.assert_allclose(row["required_delegated_wte"], [0, 11.25, 15, 15], rtol=1e-14)
    np.testing.assert_allclose(row["required_wte"], [300, 311.25, 315, 315], rtol=1e-14)
    np.testing.assert_allclose(row["required_cost_gbp"][1:3], [21_498_000, 22_644_405], rtol=1e-14)
    affordable = [(20_432_000 - 5_157_375) / 52_500, (16_460_800 - 5_280_030) / 55_125]
    np.testing.assert_allclose(row["affordable_wte"][1:3], affordable, rtol=1e-14)
    np.testing.assert_allclose(row["funding_gap_gbp"], np.array(ALLOWANCE) - row["required_cost_gbp"], rtol=1e-14)
    np.testing.assert_allclose(row["funding_gap_gbp"][1:3], [-1_066_000, -6_183_605], rtol=1e-12)
    np.testing.assert_allclose(row["wte_gap"], row["affordable_wte"] - row["required_wte"], rtol=1e-14)
    np.testing.assert_allclose(row["core_capacity_wte"], row["affordable_wte"] - row["required_delegated_wte"],
                               rtol=1e-14)
    assert row["affordable_wte"][0] == pytest.approx(300, rel=1e-14)  # the base year balances


def test_workforce_change_of_the_worked_example():
    """Employed: the core 300 WTE in the base year, then the lesser of affordable and required.
    2023/24: 300 + 7.5 arriving - 290.95 employed = 16.55 posts to lose, fewer than the 30 (10% of
    300) who leave anyway: no redundancies. 2024/25: 290.95 + 2.5 - 202.83 = 90.62 to lose, less
    29.10 leavers = 61.52 redundancies, costed at 12 months of 40,000 x 1.1025 = £44,100 each."""
    s = steps(worked_example())
    staff = {key: value[0, :, 0] for key, value in s.staff.items()}
    affordable = s.capacity["affordable_wte"][0, :, 0]
    np.testing.assert_allclose(staff["employed_wte"], [300, *affordable[1:]], rtol=1e-14)
    np.testing.assert_allclose(staff["arrivals_wte"], [0, 7.5, 2.5, 0], rtol=1e-14)
    np.testing.assert_allclose(staff["attrition_wte"], [0, 30, 0.1 * affordable[1], 0.1 * affordable[2]], rtol=1e-14)
    lost = affordable[1] + 2.5 - affordable[2]
    np.testing.assert_allclose(staff["redundancies_wte"][:3], [0, 0, lost - 0.1 * affordable[1]], rtol=1e-12)
    assert staff["redundancies_wte"][2] == pytest.approx(61.52, abs=0.005)
    assert staff["redundancy_cost_gbp"][2] == pytest.approx(staff["redundancies_wte"][2] * 44_100, rel=1e-14)
    np.testing.assert_array_equal(staff["redundancy_cost_gbp"][:2], 0)


def test_employed_is_the_lesser_of_affordable_and_required():
    """No cut, no inflation, and dentistry bringing the budget of 30 WTE for a need of 15: affordable
    300 + 31.5 f against required 300 + 15 f (f its active share), so the required are employed."""
    s = steps(worked_example(**{"running_cost_cut.path": 0.0, "inflation.pay_award": 0.0,
                                "inflation.nonpay_inflation": 0.0, "delegation.dentistry.transfer_wte_per_100k": 3.0}))
    required = s.capacity["required_wte"][0, :, 0]
    share = np.array([0, 0.75, 1, 1])
    np.testing.assert_allclose(s.capacity["affordable_wte"][0, :, 0], 300 + 31.5 * share, rtol=1e-14)
    np.testing.assert_allclose(required, 300 + 15 * share, rtol=1e-14)
    np.testing.assert_allclose(s.staff["employed_wte"][0, 1:, 0], required[1:], rtol=1e-14)
    np.testing.assert_array_equal(s.staff["redundancies_wte"], 0)


def test_redundancy_months_scale_the_cost_of_a_redundancy():
    six = steps(worked_example(**{"workforce.redundancy_months": 6.0})).staff
    twelve = steps(worked_example()).staff
    np.testing.assert_allclose(six["redundancy_cost_gbp"], twelve["redundancy_cost_gbp"] / 2, rtol=1e-14)
    np.testing.assert_allclose(six["redundancies_wte"], twelve["redundancies_wte"], rtol=1e-14)
