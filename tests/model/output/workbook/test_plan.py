"""The plan of a workbook (model/output/workbook/plan.py): functions used, dates and references."""

from __future__ import annotations

import pytest

from model.output.workbook import ALLOWED_FUNCTIONS, GoLiveRules, functions_used, month_serial
from model.periods import parse_month


def test_only_functions_that_excel_and_libreoffice_share(example_plan):
    used = set()
    for sheet in example_plan.sheets:
        for cell in sheet.formulas().values():
            used |= functions_used(cell.formula)
    assert used <= set(ALLOWED_FUNCTIONS), used - set(ALLOWED_FUNCTIONS)
    assert not used & {"OFFSET", "INDIRECT", "NOW", "TODAY", "RAND", "RANDBETWEEN", "CELL", "INFO"}


def test_month_serial_is_the_spreadsheet_date():
    assert month_serial("2023-07") == 45108.0  # 1 July 2023
    assert month_serial(parse_month("1901-01")) == 367.0
    with pytest.raises(ValueError):
        month_serial("1899-01")
    assert GoLiveRules(default=None, by_region={"X": "2024-04"}, by_icb={"A": None}).month_for("A", "X") is None


def test_references():
    from model.output.workbook import a1, col_name, quote_sheet, safe_sheet_name

    assert [col_name(c) for c in (0, 3, 25, 26, 27, 701, 702)] == ["A", "D", "Z", "AA", "AB", "ZZ", "AAA"]
    assert a1(0, 0) == "A1" and a1(82, 11) == "L83" and a1(82, 11, absolute=True) == "$L$83"
    assert quote_sheet("QE1") == "'QE1'" and quote_sheet("O'Neil") == "'O''Neil'"
    assert safe_sheet_name("a/b:c*d?e[f]g\\h") == "a_b_c_d_e_f_g_h"
    assert safe_sheet_name("x" * 40) == "x" * 31
    assert safe_sheet_name("'QE1'") == "QE1" and safe_sheet_name("") == "Sheet" and safe_sheet_name("a\tb") == "a_b"


def test_sheet_names_are_legal_unique_and_not_reserved():
    from model.output.workbook import sheet_names

    names = sheet_names(["QE1", "qe1", "Checks", "A/B", "A:B", "x" * 40, "x" * 41, "History"])
    assert names == {"QE1": "QE1", "qe1": "qe1~2", "Checks": "Checks~2", "A/B": "A_B", "A:B": "A_B~2",
                     "x" * 40: "x" * 31, "x" * 41: "x" * 29 + "~2", "History": "History~2"}
    assert all(len(name) <= 31 for name in names.values())
    assert len({name.lower() for name in names.values()}) == len(names)


def test_functions_used_ignore_text_and_sheet_names():
    assert functions_used('=IF(A1="SUM(x)",MAX(B1,0),0)') == {"IF", "MAX"}
    assert functions_used("='OFFSET(1)'!A1+ABS(B2)") == {"ABS"}
    assert not set(ALLOWED_FUNCTIONS) & {"OFFSET", "INDIRECT", "NOW", "TODAY", "RAND"}


def test_cells_sheets_and_plans():
    import numpy as np

    from model.output.workbook import Cell, Plan, Sheet
    from model.output.workbook.plan import month_cell, plain

    sheet = Sheet("S")
    sheet.text(0, 0, "label")
    sheet.put(1, 1, Cell(value=2.0, formula="=1+1"))
    with pytest.raises(ValueError, match="S!A1 laid out twice"):
        sheet.text(0, 0, "again")
    assert list(sheet.formulas()) == [(1, 1)]
    plan = Plan([sheet, Sheet("T")], {}, "x", {})
    assert plan.sheet("T").name == "T" and plan.formula_count() == 1
    with pytest.raises(KeyError):
        plan.sheet("U")
    assert month_cell(None) == "never" and month_cell("2023-07") == 45108.0
    assert type(plain(np.float64(1.5))) is float and plain(np.bool_(True)) is True and plain("x") == "x"
