"""Published allowances on the Inputs sheet (model/output/workbook/published_table.py)."""

from __future__ import annotations

import pytest

from model.output.workbook import plan_workbook, spec_from_scenario
from tests.workbook_checks import name_cell


def test_published_allowances_are_inputs_with_their_source(base_scenario):
    """Each organisation's published figures are yellow inputs in the years it has them, with
    the table row and column they were read from; use_published switches them all."""
    plan = plan_workbook(spec_from_scenario(base_scenario, ["QE1"]))
    inputs = plan.sheet("Inputs")
    assert inputs.cells[name_cell(plan, "use_published")].value is True
    row = next(r for (r, c), cell in inputs.cells.items() if c == 1 and cell.value == "QE1" and (r, 4 + 1) in
               inputs.cells and inputs.cells[(r, 4 + 1)].input)
    figures = [inputs.cells.get((row, 4 + y)) for y in range(9)]
    assert [f is not None for f in figures] == [False, True, True, True, False, False, False, False, False]
    assert figures[1].value == pytest.approx(33_053_000) and figures[1].input and figures[1].style == "gbp2"
    texts = [str(inputs.cells[(row, c)].value) for c in range(13, 17) if (row, c) in inputs.cells]
    assert any("rca_published.csv:" in t and "rca_2023_24_gbp" in t for t in texts), texts


def test_switched_off_or_absent_figures_are_said_so():
    from model.output.workbook import spec_from_inputs
    from tests.builders import worked_example

    plan = plan_workbook(spec_from_inputs(worked_example()))
    inputs = plan.sheet("Inputs")
    assert inputs.cells[name_cell(plan, "use_published")].value is False
    assert "No published figure for the organisations of this run." in {c.value for c in inputs.cells.values()}
