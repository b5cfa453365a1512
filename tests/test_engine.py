"""The engine against hand-worked figures (SPEC section 9 and small cases worked by hand)."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from model import engine
from model.output.results import tabulate
from model.periods import parse_month
from model.schema import CONTRACT_COLUMNS
from tests.builders import worked_example

YEARS = ["2022/23", "2023/24", "2024/25", "2025/26"]


def tst(out: dict[str, np.ndarray], key: str) -> np.ndarray:
    """The single ICB's figures for one quantity, one per year."""
    return out[key][0, 0]


@pytest.fixture(scope="module")
def worked():
    return engine.run(worked_example())


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


def test_dentistry_budget_arrives_part_year_then_follows_core(worked):
    """10 WTE x (52,500 + 5,000 x 1.02) = £576,000 a full year; 0.75 of it in 2023/24, then x0.8."""
    np.testing.assert_allclose(tst(worked, "delegated_allowance_dentistry_gbp"), [0, 432_000, 460_800, 403_200])
    np.testing.assert_allclose(tst(worked, "arrivals_wte"), [0, 7.5, 2.5, 0])


def test_compound_ignores_base_year_rate():
    np.testing.assert_allclose(engine.compound(np.array([0.5, 0.1, 0.2])), [1.0, 1.1, 1.32])


def test_out_of_scope_function_keeps_its_budget():
    out = engine.run(worked_example(**{"delegation.dentistry.in_cut_scope": 0.0}))
    np.testing.assert_allclose(tst(out, "delegated_allowance_gbp"), [0, 432_000, 576_000, 576_000])


def test_real_basis_uplifts_by_the_cost_deflator():
    """Real basis: A = rca x (1 - cut) x deflator; deflator = 0.75 x lc/lc0 + 0.25 x nonpay index."""
    out = engine.run(worked_example(**{"running_cost_cut.basis": 1.0}))
    deflator = 0.75 * np.array([1, 1.05, 1.1025, 1.157625]) + 0.25 * np.array([1, 1.02, 1.0404, 1.061208])
    np.testing.assert_allclose(tst(out, "deflator"), deflator)
    np.testing.assert_allclose(tst(out, "core_allowance_gbp"), 20e6 * np.array([1, 1, 0.8, 0.7]) * deflator)


def test_gdp_deflator_index():
    out = engine.run(worked_example(**{"real_terms.index": 1.0, "inflation.gdp_deflator": [0.9, 0.02, 0.03, 0.01]}))
    np.testing.assert_allclose(tst(out, "deflator"), [1, 1.02, 1.02 * 1.03, 1.02 * 1.03 * 1.01])
    np.testing.assert_allclose(tst(out, "allowance_real_gbp"), tst(out, "allowance_gbp") / tst(out, "deflator"))


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


def test_population_growth_and_delegated_requirement():
    """1% growth: pop 1m x 1.01^t; dentistry needs 1.5 per 100k, 0.75 of 2023/24."""
    out = engine.run(worked_example(**{"population.growth_rate": 0.01}))
    pop = 1e6 * 1.01 ** np.arange(4)
    np.testing.assert_allclose(tst(out, "population"), pop)
    np.testing.assert_allclose(tst(out, "required_delegated_wte"), 1.5 * pop / 1e5 * [0, 0.75, 1, 1])
    # transfer WTE uses the go-live year's population (1.01m in 2023/24)
    np.testing.assert_allclose(tst(out, "arrivals_wte"), 10.1 * np.array([0, 0.75, 0.25, 0]))


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


def test_baseline_rca_from_table_replaces_per_head():
    out = engine.run(replace(worked_example(), rca_given_gbp=np.array([30e6])))
    assert tst(out, "cost_base_gbp")[0] == pytest.approx(30e6)
    assert tst(out, "core_allowance_gbp")[3] == pytest.approx(21e6)


def test_tabulate_columns_and_england_rows():
    inputs = worked_example(populations=(1e6, 5e5))
    frame = tabulate("demo", inputs, engine.run(inputs))
    assert tuple(frame.columns[: len(CONTRACT_COLUMNS)]) == CONTRACT_COLUMNS
    assert list(frame["icb_code"].unique()) == ["ENG", "T00", "T01"]
    eng = frame[frame.icb_code == "ENG"].set_index("year")
    assert eng["icb_name"].iloc[0] == "England" and eng["region"].iloc[0] == ""
    np.testing.assert_allclose(eng["allowance_gbp"],
                               1.5 * 20e6 * np.array([1, 1, 0.8, 0.7]) + 1.5 * np.array([0, 432_000, 460_800, 403_200]))
    assert list(eng.index) == YEARS
