"""The rows every calculation sheet starts with (model/output/workbook/national.py): time, prices,
the rules' multiplier and the envelope's timing; and the ratio rows."""

from __future__ import annotations

import pytest


def test_time_and_price_rows_on_a_sheet(example_plan):
    """The worked example's ICB sheet starts with the years, t and the price indices, as formulas."""
    sheet = example_plan.sheet("TST")
    labels = {cell.value: row for (row, col), cell in sheet.cells.items() if col == 0}
    pay = labels["Pay index: pay awards compounded"]
    assert [sheet.cells[(pay, 4 + y)].value for y in range(4)] == pytest.approx([1, 1.05, 1.1025, 1.157625])
    assert sheet.cells[(pay, 4)].formula == "=1"
    assert sheet.cells[(pay, 5)].formula.startswith(f"=E{pay + 1}*(1+Inputs!F")
    t = labels["Years from the base year"]
    assert [sheet.cells[(t, 4 + y)].value for y in range(4)] == [0, 1, 2, 3]


def test_the_rules_multiplier_is_the_cut_the_basis_and_the_uplift_after_the_path(example_plan):
    """SPEC section 9: a nominal cut of 0, 0, 20% and 30%, no uplift: m = 1, 1, 0.8, 0.7."""
    sheet = example_plan.sheet("TST")
    labels = {cell.value: row for (row, col), cell in sheet.cells.items() if col == 0}
    m = labels["Rules' multiplier: (1 - cut) x U x (1 + post-path uplift)^(years after the path)"]
    assert [sheet.cells[(m, 4 + y)].value for y in range(4)] == pytest.approx([1, 1, 0.8, 0.7])
    assert sheet.cells[(m, 7)].formula == f"=(1-H{m - 3})*H{m}*(1+post_path_uplift)^H{m - 1}"
    f = labels["Envelope: share of the year it is in force, clamp((12 - months from April)/12, 0, 1)"]
    assert [sheet.cells[(f, 4 + y)].value for y in range(4)] == [0, 0, 0, 0]


def test_ratios_are_made_from_the_figures_they_divide(example_plan):
    sheet = example_plan.sheet("TST")
    labels = {cell.value: row for (row, col), cell in sheet.cells.items() if col == 0}
    need = labels["Need index: need-weighted population / population"]
    assert [sheet.cells[(need, 4 + y)].value for y in range(4)] == [1.0] * 4
    assert sheet.cells[(need, 4)].formula.count("/") == 1
