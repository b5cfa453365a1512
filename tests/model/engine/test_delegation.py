"""Delegated functions (model/engine/delegation.py): budgets, the staff they need and who arrives."""

from __future__ import annotations

import numpy as np

from model import engine
from tests.builders import tst, worked_example


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
