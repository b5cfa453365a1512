"""The results table (model/output/results.py): columns, England rows and rounding."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from model import engine
from model.output.results import tabulate
from model.schema import CONTRACT_COLUMNS
from tests.builders import parameters, worked_example

YEARS = ["2022/23", "2023/24", "2024/25", "2025/26"]


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
