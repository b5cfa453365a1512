"""A piece's rows, part 2 (model/output/workbook/piece_allowance.py): the allowance rows follow SPEC
section 9, and a piece of a split ICB carries its share of each organisation it belongs to."""

from __future__ import annotations

import pytest

from tests.workbook_checks import tagged


def test_the_allowance_rows_of_the_worked_example(example_plan):
    """Core allowance, delegated budgets and the real-terms change (SPEC section 9, 2023/24 to
    2025/26) are formulas with the worked example's figures."""
    cells = tagged(example_plan)
    for key, want in {"core_allowance_gbp": (20_000_000, 16_000_000, 14_000_000),
                      "delegated_allowance_gbp": (432_000, 460_800, 403_200),
                      "core_real_change_vs_base": (-0.0408, -0.2640, -0.3825)}.items():
        for y, value in enumerate(want, start=1):
            cell = cells[(key, "TST", y)]
            assert cell.formula.startswith("=") and cell.value == pytest.approx(value, abs=1e-4 if "vs" in key else
                                                                                 0.005), (key, y)


def test_a_piece_of_a_split_icb_shares_its_organisation_by_population(base_scenario):
    """NHS Frimley's piece that went to Thames Valley: its share of Frimley before 2026 (0.58787,
    of Frimley's three pieces) and of Thames Valley after (one of its two pieces)."""
    from model.output.workbook import plan_workbook, spec_from_scenario

    sheet = plan_workbook(spec_from_scenario(base_scenario, ["S0E4D"])).sheet("S0E4D")
    rows = [row for (row, col), cell in sheet.cells.items()
            if col == 0 and cell.value == "Its share of the organisation it belongs to (base-year population)"]
    frimley_piece = max(rows)
    assert sheet.cells[(frimley_piece, 4)].value == pytest.approx(0.58787)
    assert sheet.cells[(frimley_piece, 4)].formula.count("+") == 2  # Frimley's three pieces
    assert sheet.cells[(frimley_piece, 8)].formula.count("+") == 1  # Thames Valley's two pieces in 2026/27
