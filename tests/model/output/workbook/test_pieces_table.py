"""Organisation changes and pieces on the Inputs sheet (model/output/workbook/pieces_table.py)."""

from __future__ import annotations

from model.output.workbook import month_serial, plan_workbook, spec_from_scenario
from tests.workbook_checks import name_cell


def test_organisation_changes_are_inputs_and_pieces_follow_them(base_scenario):
    """The shares of each change are yellow inputs; a piece's share of its ICB is their product
    and its population that share of its ICB's; its go-live follows its organisation by era."""
    plan = plan_workbook(spec_from_scenario(base_scenario, ["S0E4D"]))
    inputs = plan.sheet("Inputs")
    by_text = {}
    for (r, c), cell in inputs.cells.items():
        by_text.setdefault((c, cell.value), r)
    share_row = next(r for (r, c), cell in inputs.cells.items() if c == 3 and cell.input and cell.value == 0.58787)
    assert inputs.cells[(share_row, 0)].value == "QNQ" and inputs.cells[(share_row, 1)].value == "S0E4D"
    piece = by_text[(0, "QNQ>S0E4D")]
    assert inputs.cells[(piece, 2)].formula == f"=$D${share_row + 1}" and inputs.cells[(piece, 2)].value == 0.58787
    assert inputs.cells[(piece, 3)].formula.startswith(f"=C{piece + 1}*D")
    assert [inputs.cells[(piece, 6 + k)].value for k in range(2)] == ["QNQ", "S0E4D"]
    used = inputs.cells[name_cell(plan, "golive_specialised", 1)]
    assert "MAX(" in used.formula and used.value == month_serial("2027-04")


def test_the_go_live_used_follows_the_organisation_era_by_era():
    """Each era's organisation's own rule (else the piece's region's, else the default), not before
    the era's April, counts if it falls before the next era; consecutive eras of one organisation
    count as one."""
    from model.output.workbook.pieces_table import _go_live_formula

    assert _go_live_formula(["H9", "H9"], ["", "46113"], "P5") == '=IF(H9<>"",H9,P5)'
    two = _go_live_formula(["H9", "E200"], ["", "46113"], "P5")
    first, second = 'IF(H9<>"",H9,P5)', 'IF(E200<>"",E200,P5)'
    later = f'IF(ISNUMBER({second}),MAX({second},46113),"never")'
    assert two == f"=IF(ISNUMBER({first}),IF({first}<46113,{first},{later}),{later})"
    three = _go_live_formula(["H9", "E200", "E201"], ["", "46113", "46478"], "P5")
    assert three.count("MAX(") == 8 and three.count("46478") == 6  # each later era written twice per earlier one


def test_no_pieces_table_without_organisation_changes(fixture_plan):
    texts = {cell.value for cell in fixture_plan.sheet("Inputs").cells.values() if isinstance(cell.value, str)}
    assert not any(str(t).startswith("Pieces:") for t in texts)
    assert "Organisations formed by the changes" not in texts
