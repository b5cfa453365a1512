"""Metrics for every place, year and sample (model/analysis/metrics.py)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from model import engine
from model.analysis.metrics import (
    cell_metrics,
    check_metric,
    check_metrics,
    check_place,
    place_column,
    place_metric,
    place_name,
    year_index,
)
from model.engine.lineage import england
from model.errors import InputError
from model.output.results import tabulate
from model.schema import METRICS
from tests.builders import worked_example


@pytest.fixture(scope="module")
def three_icbs():
    return worked_example((1_000_000.0, 2_500_000.0, 400_000.0))


def test_every_metric_equals_the_results_table_to_the_bit(three_icbs):
    """England's sums and ratios, and each ICB's figures, as results.csv has them."""
    table = tabulate("t", three_icbs, engine.run(three_icbs))
    for code in ("ENG", "T00", "T02"):
        row = table[(table.icb_code == code) & (table.year == "2025/26")].iloc[0]
        for metric in METRICS:
            assert place_metric(three_icbs, metric, "2025/26", code)[0] == row[metric], (code, metric)


def test_metric_names_are_checked_with_a_did_you_mean():
    assert check_metric("wte_gap") == "wte_gap"
    with pytest.raises(InputError, match=r"'wte_gaps' is not a results column; did you mean 'wte_gap'\?"):
        check_metric("wte_gaps")
    with pytest.raises(InputError, match="'zzz' is not a results column; choose one of population, allowance_gbp"):
        check_metric("zzz")
    assert check_metrics(["wte_gap", "allowance_gbp"]) == ("wte_gap", "allowance_gbp")
    with pytest.raises(InputError, match="metric wte_gap is named twice"):
        check_metrics(["wte_gap", "allowance_gbp", "wte_gap"])
    with pytest.raises(InputError, match="name at least one metric"):
        check_metrics([])
    with pytest.raises(InputError, match="'scenario' is not a results column"):
        check_metric("scenario")  # a label, not a number


def test_years_and_places(three_icbs):
    assert year_index(three_icbs, "2024/25") == 2
    with pytest.raises(InputError, match=r"'2024-25' is not a year of this run; choose one of 2022/23 to 2025/26"):
        year_index(three_icbs, "2024-25")
    assert check_place(three_icbs, None) == "ENG" and check_place(three_icbs, "t01") == "T01"
    with pytest.raises(InputError, match=r"'T09' is not an ICB of this run; did you mean 'T02'\?"):
        check_place(three_icbs, "T09")
    with pytest.raises(InputError, match="choose ENG or one of T00, T01, T02"):
        check_place(three_icbs, "QQQQQQ")
    assert place_name(three_icbs, "ENG") == "England" and place_name(three_icbs, "T01") == "Test ICB 1"
    assert [place_column(three_icbs, code) for code in ("ENG", "T00", "T02")] == [0, 1, 3]


def test_cell_metrics_lays_out_england_then_each_icb_for_every_sample(three_icbs):
    """Two samples (pay share 0.75 and 0.6): England's additive figures are the ICBs' sums, its
    ratios come from those sums, prices are national."""
    inputs = three_icbs.with_values({"baseline.pay_share": np.array([0.75, 0.6])})
    evaluated = engine.evaluate(inputs)
    metrics = ("allowance_gbp", "allowance_per_head_gbp", "loaded_cost_per_wte_gbp")
    cells = cell_metrics(inputs, evaluated, metrics)
    assert cells.shape == (3, 4, 4, 2)
    np.testing.assert_array_equal(cells[0, 1:], evaluated["allowance_gbp"])
    np.testing.assert_allclose(cells[0, 0], evaluated["allowance_gbp"].sum(axis=0), rtol=1e-15)
    np.testing.assert_allclose(cells[1, 0], cells[0, 0] / evaluated["population"].sum(axis=0), rtol=1e-15)
    np.testing.assert_allclose(cells[1, 1:], evaluated["allowance_gbp"] / evaluated["population"], rtol=1e-15)
    np.testing.assert_array_equal(cells[2, 0], cells[2, 3])  # a price is the same in every place
    out = np.full((3, 4, 4, 2), np.nan)
    assert cell_metrics(inputs, evaluated, metrics, out=out) is out and not np.isnan(out).any()


@given(st.lists(st.floats(-1e9, 1e9), min_size=1, max_size=9), st.integers(1, 3))
def test_england_adds_icbs_in_table_order(values, years):
    """The same bits as adding the ICBs one by one in order, whatever the array's shape."""
    icbs = np.array(values)[:, None].repeat(years, axis=1)
    total = england(icbs)
    assert total.shape == (1, years)
    by_hand = icbs[0].copy()
    for row in icbs[1:]:
        by_hand = by_hand + row
    np.testing.assert_array_equal(total[0], by_hand)
    np.testing.assert_allclose(total[0], sum(values), rtol=1e-9, atol=1e-6)
