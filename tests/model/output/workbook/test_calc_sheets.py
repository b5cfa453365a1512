"""Laying out the calculation sheets (model/output/workbook/calc_sheets.py): each organisation of
the footprint with its pieces and its pool, and Other organisations for the rest."""

from __future__ import annotations

from model.output.workbook import plan_workbook, spec_from_scenario


def _titles(sheet) -> list[str]:
    return [str(cell.value) for (row, col), cell in sorted(sheet.cells.items())
            if col == 0 and cell.style == "section"]


def test_a_unit_sheet_shows_pieces_then_k_then_allowances_then_the_pool_then_its_figures(base_scenario):
    plan = plan_workbook(spec_from_scenario(base_scenario, ["S0E4D"]))
    titles = _titles(plan.sheet("S0E4D"))
    order = [next(n for n, t in enumerate(titles) if t.startswith(start)) for start in (
        "Its pieces:", "Piece: QU9 (NHS Buckinghamshire, Oxfordshire and Berkshire West): population",
        "Piece: 0.58787 of QNQ (NHS Frimley): population", "Piece: QU9 (NHS Buckinghamshire, Oxfordshire and "
        "Berkshire West): its allowance", "S0E4D NHS Thames Valley, as it exists in each year",
        "S0E4D NHS Thames Valley on the 2026 footprint")]
    assert order == sorted(order)
    other = _titles(plan.sheet("Other organisations"))
    assert any(t.startswith("QNQ NHS Frimley, as it exists in each year: 2022/23 to 2025/26") for t in other)
    assert not any(t.startswith("S0E4D") for t in other)


def test_an_unchanged_icb_reads_as_one_organisation(base_scenario):
    plan = plan_workbook(spec_from_scenario(base_scenario, ["QE1"]))
    titles = _titles(plan.sheet("QE1"))
    assert titles[2].startswith("The organisation: population and the base year")
    assert [s.name for s in plan.sheets] == ["About", "Inputs", "England", "Checks", "QE1"]
