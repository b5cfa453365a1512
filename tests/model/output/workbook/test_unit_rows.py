"""An organisation's figures on the footprint (model/output/workbook/unit_rows.py): its pieces'
sums, its pieces' shares of the staff pools, the gaps, ratios and allowance basis."""

from __future__ import annotations

import pytest

from model.output.workbook import plan_workbook, spec_from_scenario
from model.output.workbook.unit_rows import GAPS, LINEAR, STAFF, basis_formula
from tests.workbook_checks import tagged


@pytest.fixture(scope="module")
def cells(base_scenario):
    return tagged(plan_workbook(spec_from_scenario(base_scenario, ["S0E4D", "QE1"])))


def test_a_unit_of_several_pieces_adds_them(cells):
    allowance = cells[("allowance_gbp", "S0E4D", 4)]
    assert allowance.formula.count("+") == 1
    pieces = cells[("allowance_gbp", "piece:QU9>S0E4D", 4)].value + cells[("allowance_gbp", "piece:QNQ>S0E4D", 4)].value
    assert allowance.value == pytest.approx(pieces, rel=1e-12)


def test_its_staff_before_it_formed_are_its_pieces_shares_of_their_organisations(cells):
    """docs/methodology.md section 12: Thames Valley's 2025/26 staff, restated, are QU9's and
    0.58787 of Frimley's (356.0025 WTE); from 2026/27 they are its own pool's."""
    employed = cells[("employed_wte", "S0E4D", 3)]
    assert employed.value == pytest.approx(356.0025, abs=1e-4)
    assert employed.formula.count("*") == 2 and "'Other organisations'!" in employed.formula
    assert cells[("employed_wte", "S0E4D", 4)].formula.count("+") == 0
    assert cells[("allowance_basis", "S0E4D", 3)].value == "restated"
    assert cells[("allowance_basis", "S0E4D", 4)].value == "projected"
    assert cells[("allowance_basis", "QE1", 1)].value == "published"


def test_the_tables_cover_every_figure_of_results():
    from model import engine

    assert set(LINEAR) | set(STAFF) | set(GAPS) | {"cost_base_gbp"} == set(engine.ADDITIVE)
    assert basis_formula(False, True) == '="projected"'
    assert basis_formula(True, False) == '=IF(use_published,"restated","projected")'
