"""Costs, capacity and workforce change (model/engine/workforce.py)."""

from __future__ import annotations

import numpy as np

from model import engine
from tests.builders import tst, worked_example


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
