"""The base year and the core allowance (model/engine/allowance.py): the cut, its basis, the uplift
after the path, programme pay and the per-head envelope."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from model import engine
from model.periods import parse_month
from tests.builders import steps, tst, worked_example


def test_real_basis_uplifts_by_the_cost_deflator():
    """Real basis: A = rca x (1 - cut) x deflator; deflator = 0.75 x lc/lc0 + 0.25 x nonpay index."""
    out = engine.run(worked_example(**{"running_cost_cut.basis": 1.0}))
    deflator = 0.75 * np.array([1, 1.05, 1.1025, 1.157625]) + 0.25 * np.array([1, 1.02, 1.0404, 1.061208])
    np.testing.assert_allclose(tst(out, "deflator"), deflator)
    np.testing.assert_allclose(tst(out, "core_allowance_gbp"), 20e6 * np.array([1, 1, 0.8, 0.7]) * deflator)


def test_post_path_uplift_applies_after_last_listed_year():
    """Path listed to 2023/24 (index 1): 2024/25 gets one year of 2% uplift, 2025/26 two."""
    inputs = worked_example(**{"running_cost_cut.path": [0, 0.1, 0.1, 0.1], "running_cost_cut.post_path_uplift": 0.02})
    out = engine.run(replace(inputs, cut_last=1))
    np.testing.assert_allclose(tst(out, "core_allowance_gbp"), 18e6 * np.array([20 / 18, 1, 1.02, 1.0404]))


def test_programme_pay_funded_at_cost_and_counted_in_core_wte():
    """£5/head programme pay on 1m people: £5m a year at base, moving with loaded cost."""
    out = engine.run(worked_example(**{"baseline.programme_pay_per_head_gbp": 5.0}))
    np.testing.assert_allclose(tst(out, "programme_pay_allowance_gbp"), 5e6 * np.array([1, 1.05, 1.1025, 1.157625]))
    # core WTE = (20m x 0.75 + 5m) / 50,000 = 400
    np.testing.assert_allclose(tst(out, "required_core_wte"), 400)
    np.testing.assert_allclose(tst(out, "cost_base_gbp"), 25e6)


def test_envelope_blends_in_its_first_year_then_holds():
    """Envelope £10/head from January 2025 (a quarter of 2024/25), uplift 0, no growth.

    2024/25: 0.75 x 16m + 0.25 x 10m = 14.5m; 2025/26: 10m.
    """
    out = engine.run(
        worked_example(
            **{
                "running_cost_cut.envelope.per_head_gbp": 10.0,
                "running_cost_cut.envelope.effective": float(parse_month("2025-01")),
                "running_cost_cut.envelope.uplift": 0.0,
            }
        )
    )
    np.testing.assert_allclose(tst(out, "core_allowance_gbp"), [20e6, 20e6, 14.5e6, 10e6])


def test_envelope_uplift_counts_from_its_first_year():
    out = engine.run(
        worked_example(
            **{
                "running_cost_cut.envelope.per_head_gbp": 10.0,
                "running_cost_cut.envelope.effective": float(parse_month("2024-04")),
                "running_cost_cut.envelope.uplift": 0.1,
            }
        )
    )
    np.testing.assert_allclose(tst(out, "core_allowance_gbp"), [20e6, 20e6, 10e6, 11e6])


def test_baseline_rca_from_table_replaces_per_head():
    out = engine.run(replace(worked_example(), rca_given_gbp=np.array([30e6])))
    assert tst(out, "cost_base_gbp")[0] == pytest.approx(30e6)
    assert tst(out, "core_allowance_gbp")[3] == pytest.approx(21e6)


# --- the steps on their own: SPEC section 9's worked example by hand ---------------------------


def test_base_year_of_the_worked_example():
    """1,000,000 people at £20 a head: RCA £20m; pay share 0.75 pays 15m / 50,000 = 300 WTE; the
    other quarter, £5m, is non-pay; no programme pay, so the cost base is the RCA."""
    b = steps(worked_example()).baseline
    assert b.rca_base.shape == (1, 1, 1)
    assert (b.rca_base.item(), b.prog_base.item(), b.cost_base.item()) == (20e6, 0.0, 20e6)
    assert b.core_wte_base.item() == pytest.approx(300, rel=1e-15)
    assert b.nonpay_base.item() == pytest.approx(5e6, rel=1e-15)


def test_each_icb_uses_its_own_rca_where_the_table_gives_one():
    """Two ICBs: the first's own £30m; the second, 2m people x £20 = £40m."""
    inputs = replace(worked_example(populations=(1e6, 2e6)), rca_given_gbp=np.array([30e6, np.nan]))
    b = steps(inputs).baseline
    np.testing.assert_allclose(b.rca_base[:, 0, 0], [30e6, 40e6])
    np.testing.assert_allclose(b.core_wte_base[:, 0, 0], [30e6 * 0.75 / 50_000, 40e6 * 0.75 / 50_000])


def test_core_allowance_of_the_worked_example_is_the_cut_rca():
    """Cut 0, 0, 20%, 30% of £20m in cash: 20m, 20m, 16m, 14m; no programme pay."""
    s = steps(worked_example())
    np.testing.assert_allclose(s.core[0, :, 0], [20e6, 20e6, 16e6, 14e6], rtol=1e-15)
    np.testing.assert_array_equal(s.programme[0, :, 0], 0.0)


def test_programme_pay_grows_with_population_and_the_cost_of_a_wte():
    """£5 a head on 1m people growing 1% a year, at the cost of a WTE: 5m x 1.01^t x pay index."""
    s = steps(worked_example(**{"baseline.programme_pay_per_head_gbp": 5.0, "population.growth_rate": 0.01}))
    expected = 5e6 * 1.01 ** np.arange(4) * np.array([1, 1.05, 1.1025, 1.157625])
    np.testing.assert_allclose(s.programme[0, :, 0], expected, rtol=1e-14)
    assert s.baseline.cost_base.item() == pytest.approx(25e6)  # base-year population only
    np.testing.assert_allclose(s.core[0, :, 0], 20e6 * np.array([1, 1, 0.8, 0.7]) + expected, rtol=1e-14)


def test_an_envelope_from_before_the_horizon_replaces_the_core_allowance_in_every_year():
    """Effective April 2020, before the base year: the envelope alone, £10 x 1m, uplifted 2% a year
    from 2020/21 (two years before 2022/23)."""
    s = steps(worked_example(**{"running_cost_cut.envelope.per_head_gbp": 10.0,
                                "running_cost_cut.envelope.effective": float(parse_month("2020-04")),
                                "running_cost_cut.envelope.uplift": 0.02}))
    np.testing.assert_allclose(s.core[0, :, 0], 10e6 * 1.02 ** np.arange(2, 6), rtol=1e-14)


def test_an_envelope_per_need_weighted_head_counts_weighted_people():
    """Two ICBs of 1,000,000 people with need indices 1.2 and 0.8, envelope £10 a head from April
    2024: per registered head each gets £10m, per weighted head £12m and £8m (England £20m either
    way)."""
    envelope = {"running_cost_cut.envelope.per_head_gbp": 10.0,
                "running_cost_cut.envelope.effective": float(parse_month("2024-04")),
                "running_cost_cut.envelope.uplift": 0.0}
    registered = replace(worked_example((1e6, 1e6), **envelope), need_index=np.array([1.2, 0.8]))
    weighted = replace(worked_example((1e6, 1e6), **envelope, **{"running_cost_cut.envelope.population_basis": 1.0}),
                       need_index=np.array([1.2, 0.8]))
    np.testing.assert_allclose(engine.run(registered)["core_allowance_gbp"][0, :, 2], [10e6, 10e6])
    np.testing.assert_allclose(engine.run(weighted)["core_allowance_gbp"][0, :, 2], [12e6, 8e6])
    np.testing.assert_allclose(engine.run(weighted)["weighted_population"][0, :, 2], [1.2e6, 0.8e6])
