"""The plan of a workbook (model/output/workbook/plan.py): functions used, dates and references."""

from __future__ import annotations

import pytest

from model.output.workbook import (
    ALLOWED_FUNCTIONS,
    GoLiveRules,
    functions_used,
    month_serial,
)
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
