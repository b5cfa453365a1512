"""Plain-text tables for the terminal (model/cli/tables.py)."""

from __future__ import annotations

import pandas as pd
import pytest

from model.analysis.sensitivity import tornado
from model.cli.tables import format_compare, format_grid, format_tornado, show_metric, text_table, unit_of
from tests.builders import VARIATIONS, worked_example


@pytest.fixture(scope="module")
def three_icbs():
    return worked_example((1_000_000.0, 2_500_000.0, 400_000.0))


def test_format_tornado_is_a_readable_table(three_icbs):
    text = format_tornado(tornado(three_icbs, VARIATIONS[:2], "funding_gap_gbp", "2025/26"),
                                      "funding_gap_gbp", "Tornado")
    lines = text.splitlines()
    assert lines[0] == "Tornado" and lines[1].startswith("base: ") and lines[1].endswith("£m")
    assert "swing (£m)" in lines[3] and lines[5].startswith("1 ")


def test_a_metric_is_shown_in_its_display_unit_to_one_more_place_than_the_dashboard():
    assert (unit_of("allowance_gbp"), unit_of("real_change_vs_base"), unit_of("wte_gap")) == ("£m", "%", "WTE")
    assert show_metric("allowance_gbp", 908_760_000.0) == "908.76"
    assert show_metric("allowance_gbp", 1_234_567_890.0) == "1,234.57"
    assert show_metric("real_change_vs_base", -0.38249) == "-38.25"
    assert show_metric("wte_gap", -12.34) == "-12.3"
    assert show_metric("wte_gap", -0.01) == "0.0"  # never "-0.0"


def test_text_table_pads_columns_to_their_widest_cell():
    assert text_table("T", ["a", "bb", "c"], [["x", "1", "22"], ["yyy", "333", "4"]], left=1).splitlines() == [
        "T", "", "a     bb   c", "---  ---  --", "x      1  22", "yyy  333   4"]


def test_format_grid_and_format_compare():
    grid = pd.DataFrame([[1e6, -2e6], [3.5e6, 0.0]], index=pd.Index(["0", "0.01"], name="y:add \\ x:set"),
                        columns=["0.2", "0.3"])
    assert format_grid(grid, "funding_gap_gbp", "Gap").splitlines() == [
        "Gap (£m)", "", "y:add \\ x:set   0.2    0.3", "-------------  ----  -----", "0              1.00  -2.00",
        "0.01           3.50   0.00"]
    measures = pd.Index(["Allowance, cash", "Real-terms change vs base year"], name="measure")
    table = pd.DataFrame({"unit": ["£m", "%"], "A": [1234.56, -30.0], "B": [1000.0, -40.04],
                          "B - A": [-234.56, -10.04]}, index=measures)
    assert format_compare(table, "England, 2025/26: A vs B").splitlines() == [
        "England, 2025/26: A vs B", "",
        "measure                         unit        A        B   B - A",
        "------------------------------  ----  -------  -------  ------",
        "Allowance, cash                   £m  1,234.6  1,000.0  -234.6",
        "Real-terms change vs base year     %    -30.0    -40.0   -10.0",
    ]
