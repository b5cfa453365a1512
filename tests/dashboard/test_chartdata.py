"""The arithmetic behind the waterfall and the ranking (dashboard/chartdata.py)."""

from __future__ import annotations

import pandas as pd
import pytest

from dashboard import chartdata
from dashboard.columns import Columns
from tests.dashboard.shared import icbs_in


def test_waterfall_steps_add_up_and_ranking_is_sorted(store):
    results = store.shipped["base"].results
    rows = results[results["icb_code"] == "ENG"]
    steps = chartdata.waterfall_steps(Columns(rows), "2022/23", "2028/29")
    assert sum(s.gbp for s in steps[:-1]) == pytest.approx(steps[-1].gbp)
    table = chartdata.ranking(icbs_in(results, "2025/26"), ["base"])
    assert len(table) == 36 and table.frame["base"].is_monotonic_increasing  # the ICBs of the 2026 footprint


def frame(rows: list[dict]) -> pd.DataFrame:
    return pd.DataFrame(rows)


def test_the_waterfall_runs_from_the_base_allowance_to_the_years_in_real_terms():
    """Base year: £100 (core 90, delegated 10). Later: core 70 and delegated 15 in cash, £85 in all,
    £80 in base-year prices. Steps: 100, core -20, delegated +5, inflation 80 - 85 = -5, total 80."""
    rows = frame([
        {"year": "2022/23", "allowance_gbp": 100.0, "core_allowance_gbp": 90.0, "delegated_allowance_gbp": 10.0,
         "allowance_real_gbp": 100.0},
        {"year": "2025/26", "allowance_gbp": 85.0, "core_allowance_gbp": 70.0, "delegated_allowance_gbp": 15.0,
         "allowance_real_gbp": 80.0},
    ])
    steps = chartdata.waterfall_steps(Columns(rows), "2022/23", "2025/26")
    assert steps == [
        chartdata.Step("2022/23 allowance", 100.0, total=True),
        chartdata.Step("Cut and envelope (core, cash)", -20.0),
        chartdata.Step("Delegated functions added (cash)", 5.0),
        chartdata.Step("Inflation: buying power lost", -5.0),
        chartdata.Step("2025/26 allowance, 2022/23 prices", 80.0, total=True),
    ]


def test_the_ranking_is_the_gap_per_100k_people_largest_shortfall_first():
    """QAA: -10 WTE for 500,000 people, -2 per 100k; QBB: -10 for 2m, -0.5; QCC: +3 for 1m, +0.3."""
    rows = []
    for scenario, gaps in (("A", (-10.0, -10.0, 3.0)), ("B", (-20.0, 0.0, 1.0))):
        rows.append({"scenario": scenario, "icb_code": "ENG", "icb_name": "England", "region": "", "year": "2025/26",
                     "wte_gap": sum(gaps), "population": 3.5e6})
        for code, gap, pop, region in zip(("QAA", "QBB", "QCC"), gaps, (5e5, 2e6, 1e6), ("N", "M", "S"), strict=True):
            rows.append({"scenario": scenario, "icb_code": code, "icb_name": f"NHS {code}", "region": region,
                         "year": "2025/26", "wte_gap": gap, "population": pop})
    results = frame(rows)
    table = chartdata.ranking(icbs_in(results, "2025/26"), ["A", "B", "missing"])
    assert list(table.frame.columns) == ["icb_code", "icb_name", "region", "A", "B"]
    assert list(table["icb_code"]) == ["QAA", "QBB", "QCC"]
    assert list(table["A"]) == pytest.approx([-2.0, -0.5, 0.3])
    assert list(table["B"]) == pytest.approx([-4.0, 0.0, 0.1])
    by_b = chartdata.ranking(icbs_in(results, "2025/26"), ["B", "A"])
    assert list(by_b["icb_code"]) == ["QAA", "QBB", "QCC"] and list(by_b.frame.columns)[3:] == ["B", "A"]
    empty = chartdata.ranking(icbs_in(results, "2025/26"), ["nobody"])
    assert len(empty) == 0 and list(empty.frame.columns) == ["icb_code", "icb_name", "region"]


def _per_head_rows() -> pd.DataFrame:
    """Two ICBs, two years, scenario A: QAA £10m then £8m for 1m people (programme pay £1m on top in
    A2), QBB £30m then £24m for 2m; both published in 2024/25 and 2025/26 (the same ratio, 0.8)."""
    rows = []
    for scenario, programme in (("A", 0.0), ("A2", 1e6)):
        for code, pop, need, amounts in (("QAA", 1e6, 0.9, (10e6, 8e6)), ("QBB", 2e6, 1.1, (30e6, 24e6))):
            for year, gbp in zip(("2024/25", "2025/26"), amounts, strict=True):
                rows.append({"scenario": scenario, "icb_code": code, "icb_name": f"NHS {code}", "region": "R",
                             "year": year, "population": pop, "need_index": need, "allowance_gbp": gbp + programme,
                             "programme_pay_allowance_gbp": programme, "allowance_basis": "published"})
    return frame(rows)


def test_per_head_is_the_running_cost_allowance_over_people_programme_pay_left_out():
    table = chartdata.per_head(icbs_in(_per_head_rows(), "2025/26"), ["A", "A2"])
    assert list(table["icb_code"]) == ["QAA", "QBB"]
    assert list(table["A"]) == pytest.approx([8.0, 12.0]) and list(table["A2"]) == pytest.approx([8.0, 12.0])
    assert list(table["A need"]) == pytest.approx([0.9, 1.1]) and list(table["A fact"]) == [True, True]


def test_the_spread_has_its_ends_the_ratios_and_the_correlation_with_need():
    spread = chartdata.spread(Columns(_per_head_rows()), "A", "2025/26")
    assert (spread.low, spread.low_name, spread.high, spread.high_name) == (8.0, "NHS QAA", 12.0, "NHS QBB")
    assert spread.ratios == (("2025/26", pytest.approx(0.8), pytest.approx(0.8)),)
    assert spread.need_correlation is None  # two ICBs are too few
    assert chartdata.spread(Columns(_per_head_rows()), "A", "2030/31") is None
    assert chartdata.spread(Columns(_per_head_rows()), "nobody", "2025/26") is None


def test_the_spread_of_the_base_on_each_footprint(store):
    on_36 = chartdata.spread(Columns(store.shipped["base"].results), "base", "2025/26")
    on_42 = chartdata.spread(store.shipped["base"].rows_on("2022").whole, "base", "2025/26")
    assert round(on_36.low, 2) == 12.16 and round(on_42.low, 2) == 11.61 and round(on_42.high, 2) == 14.51
    assert round(on_36.need_correlation, 2) == round(on_42.need_correlation, 2) == 0.54
    assert [year for year, _, _ in on_42.ratios] == ["2024/25", "2025/26"]
