"""What every calculation sheet shares (model/output/workbook/calc.py): the header, a row per quantity,
references to rows above, and the time and price rows every sheet starts with."""

from __future__ import annotations

import numpy as np
import pytest

from model.output.workbook import Sheet
from model.output.workbook.calc import HEADER_ROW, calc_sheet, magnitudes
from model.output.workbook.inputs_layout import InputsRefs

LABELS = ("2022/23", "2023/24", "2024/25")


@pytest.fixture
def calc():
    refs = InputsRefs(year_label_row=5, year_start_row=6, series_rows={"inflation.pay_award": 30})
    return calc_sheet(Sheet("TST"), "Title", "Subtitle", refs, LABELS)


def test_the_header_takes_its_years_from_inputs(calc):
    sheet = calc.sheet
    assert HEADER_ROW == 4 and calc.row == HEADER_ROW + 1
    assert [sheet.cells[(HEADER_ROW, c)].value for c in range(4)] == ["Quantity", "Unit", "SPEC symbol", "One value"]
    years = [sheet.cells[(HEADER_ROW, 4 + y)] for y in range(3)]
    assert [c.value for c in years] == list(LABELS)
    assert [c.formula for c in years] == ["=Inputs!E6", "=Inputs!F6", "=Inputs!G6"]
    assert sheet.freeze == (5, 4) and sheet.cells[(0, 0)].value == "Title"


def test_rows_are_laid_out_once_and_referred_to_by_key(calc):
    calc.years("x", "X", "£", "x[t]", lambda y: f"={y}", [1.0, 2.0, 3.0], "gbp")
    calc.once("k", "K", "£", "k", "=Inputs!D9", np.float64(4.5), "gbp", engine=("cost_base_gbp", 0, 0))
    row_x, row_k = calc.where["x"], calc.where["k"]
    assert (row_x, row_k) == (5, 6)
    assert calc.at("x", 2) == "G6" and calc.base("x") == "$E$6" and calc.span("x") == "$E$6:$G$6"
    assert calc.one("k") == "$D$7"
    assert calc.value("x") == [1.0, 2.0, 3.0] and calc.value("k") == 4.5 and type(calc.value("k")) is float
    assert calc.sheet.cells[(row_k, 3)].engine == ("cost_base_gbp", 0, 0)
    assert [calc.sheet.cells[(row_x, 4 + y)].formula for y in range(3)] == ["=0", "=1", "=2"]
    with pytest.raises(ValueError, match="row x laid out twice"):
        calc.years("x", "X", "£", "", lambda y: "=0", [0, 0, 0], "gbp")


def test_magnitudes_are_the_largest_pounds_and_staff():
    q = {"allowance_gbp": np.array([1.0, -7.0]), "cost_base_gbp": np.array([5.0]), "required_cost_gbp": np.array([6.0]),
         "required_wte": np.array([2.0]), "affordable_wte": np.array([-3.0]), "employed_wte": np.array([1.0])}
    assert magnitudes(q) == (7.0, 3.0)


def test_other_owners_rows_are_placeholders_resolved_once_every_sheet_is_laid_out():
    """A piece's row is found wherever it was laid out: on the same sheet as a plain reference,
    on another as a quoted one, its one-value cell fixed, its whole row as a range."""
    from model.output.workbook import Cell
    from model.output.workbook.calc import Registry, Scope, resolve

    registry = Registry(3)
    here, there = Sheet("QE1"), Sheet("Other organisations")
    refs = InputsRefs(year_label_row=5, year_start_row=6)
    piece = Scope(calc_sheet(there, "T", "S", refs, LABELS), "a0", registry)
    piece.years("base", "Base", "£", "", lambda y: "=1", [1.0, 1.0, 1.0], "gbp")
    piece.once("pop0", "Population", "persons", "", "=2", 2.0, "pop")
    row = piece.c.where["a0.base"]
    assert registry.rows[("a0", "base")] == ("Other organisations", row)
    formula = "=" + Registry.ref("a0", "base", 1) + "*" + Registry.ref("a0", "pop0", None)
    here.put(9, 4, Cell(value=0.0, formula=formula))
    there.put(40, 4, Cell(value=0.0, formula="=SUM(" + Registry.span("a0", "base") + ")"))
    resolve([here, there], registry)
    assert here.cells[(9, 4)].formula == f"='Other organisations'!F{row + 1}*'Other organisations'!$D${row + 2}"
    assert there.cells[(40, 4)].formula == f"=SUM($E${row + 1}:$G${row + 1})"
    assert piece.has("base") and not piece.has("core") and piece.value("pop0") == 2.0
