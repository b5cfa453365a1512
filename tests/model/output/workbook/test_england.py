"""The England sheet (model/output/workbook/england.py): sums of the ICB sheets, ratios from the sums."""

from __future__ import annotations

import re

import pytest

from model import engine
from model.output.workbook import plan_workbook, spec_from_inputs
from model.output.workbook.england import ENGLAND_SUMS
from tests.builders import worked_example


@pytest.fixture(scope="module")
def plan_and_inputs():
    inputs = worked_example(populations=(1e6, 2e6, 5e5))
    return plan_workbook(spec_from_inputs(inputs)), inputs


def test_every_additive_quantity_is_summed(plan_and_inputs):
    assert set(ENGLAND_SUMS) | {"cost_base_gbp"} == set(engine.ADDITIVE)


def test_each_sum_is_a_formula_over_the_icb_sheets_and_equals_the_engine(plan_and_inputs):
    plan, inputs = plan_and_inputs
    england = plan.sheet("England")
    out = engine.run(inputs)
    tagged = {cell.engine: cell for cell in england.cells.values() if cell.engine}
    for key in ENGLAND_SUMS:
        for y in range(4):
            cell = tagged[(key, None, y)]
            assert re.fullmatch(r"=SUM\('T00'!([A-Z]+\d+),'T01'!\1,'T02'!\1\)", cell.formula), (key, cell.formula)
            assert cell.value == pytest.approx(out[key][0, :, y].sum(), rel=1e-12, abs=1e-9), key
    assert tagged[("cost_base_gbp", None, 0)].value == pytest.approx(3.5e6 * 20)


def test_ratios_are_recomputed_from_the_sums(plan_and_inputs):
    """Allowance per head for England is its allowance over its population, not a sum of ratios."""
    plan, _ = plan_and_inputs
    england = plan.sheet("England")
    rows = {cell.value: row for (row, col), cell in england.cells.items() if col == 0}
    per_head = next(row for label, row in rows.items() if str(label).startswith("Allowance per head"))
    allowance = next(row for label, row in rows.items() if str(label).startswith("Allowance: core + delegated"))
    population = next(row for label, row in rows.items() if str(label) == "Population")
    assert england.cells[(per_head, 4)].formula == f"=E{allowance + 1}/E{population + 1}"
    assert england.cells[(per_head, 4)].value == pytest.approx(70e6 / 3.5e6)
    assert england.cells[(0, 0)].value == "England: the sum of the organisations' sheets"


def test_england_is_published_where_every_organisation_is(base_scenario):
    from model.output.workbook import spec_from_scenario
    from tests.workbook_checks import tagged

    cells = tagged(plan_workbook(spec_from_scenario(base_scenario, ["QE1"])))
    assert [cells[("allowance_basis", None, y)].value for y in range(5)] == [
        "projected", "published", "published", "published", "projected"]
    assert cells[("allowance_basis", None, 1)].formula == '=IF(use_published,"published","projected")'
