"""Price indices (model/engine/prices.py): pay, non-pay, the cost of a WTE and the deflators."""

from __future__ import annotations

import numpy as np
import pytest

from model import engine
from model.engine.prices import compound
from tests.builders import steps, tst, worked_example


def test_compound_ignores_base_year_rate():
    np.testing.assert_allclose(engine.compound(np.array([0.5, 0.1, 0.2])), [1.0, 1.1, 1.32])


def test_gdp_deflator_index():
    out = engine.run(worked_example(**{"real_terms.index": 1.0, "inflation.gdp_deflator": [0.9, 0.02, 0.03, 0.01]}))
    np.testing.assert_allclose(tst(out, "deflator"), [1, 1.02, 1.02 * 1.03, 1.02 * 1.03 * 1.01])
    np.testing.assert_allclose(tst(out, "allowance_real_gbp"), tst(out, "allowance_gbp") / tst(out, "deflator"))


# --- the step on its own: SPEC section 9's worked example by hand ------------------------------


def test_prices_of_the_worked_example():
    """Pay awards 0, 5%, 5%, 5%; non-pay inflation 0, 2%, 2%, 2%; salary £40,000 with 25% on-costs.

    pay index 1, 1.05, 1.1025, 1.157625; a WTE costs 40,000 x 1.25 = £50,000 in the base year and
    moves with the pay index; the cost deflator is 0.75 x pay index + 0.25 x non-pay index
    (pay share 0.75, on-costs flat): 1.0425 in 2023/24 (0.7875 + 0.255) and 1.086975 in 2024/25.
    """
    p = steps(worked_example()).prices
    np.testing.assert_allclose(p.pay_index[0, :, 0], [1, 1.05, 1.1025, 1.157625], rtol=1e-15)
    np.testing.assert_allclose(p.loaded_cost[0, :, 0], [50_000, 52_500, 55_125, 57_881.25], rtol=1e-15)
    assert p.loaded_cost_base[0, 0, 0] == 50_000
    np.testing.assert_allclose(p.nonpay_index[0, :, 0], [1, 1.02, 1.0404, 1.061208], rtol=1e-15)
    np.testing.assert_allclose(p.deflator[0, :, 0], [1, 1.0425, 1.086975, 1.13352075], rtol=1e-14)
    assert p.salary[0, 0, 0] == 40_000 and p.pay_share[0, 0, 0] == 0.75
    assert p.pay_index.shape == (1, 4, 1)  # national: one row for every ICB


def test_on_costs_by_year_move_the_cost_of_a_wte_and_the_cost_deflator_not_the_pay_index():
    """On-costs rising to 30% from 2023/24: a WTE costs 40,000 x 1.05 x 1.3 = £54,600 that year;
    the cost deflator follows the cost of a WTE (54,600 / 50,000 = 1.092), not the pay index."""
    p = steps(worked_example(**{"inflation.oncost_rate": [0.25, 0.3, 0.3, 0.3]})).prices
    np.testing.assert_allclose(p.loaded_cost[0, :2, 0], [50_000, 54_600])
    np.testing.assert_allclose(p.pay_index[0, :2, 0], [1, 1.05])
    assert p.deflator[0, 1, 0] == pytest.approx(0.75 * 1.092 + 0.25 * 1.02, rel=1e-14)


def test_compound_runs_along_the_last_axis_for_every_sample():
    rates = np.array([[0.9, 0.1, 0.1], [0.0, -0.5, 1.0]])
    np.testing.assert_allclose(compound(rates.copy()), [[1, 1.1, 1.21], [1, 0.5, 1.0]])
