"""The XLSX writer (model/output/xlsx.py): cells read back as written, text never a formula, legal and
unique sheet names, frozen panes, widths and bold rows, and the same bytes for the same cells."""

from __future__ import annotations

import zipfile
from io import BytesIO

import numpy as np
import pytest
from openpyxl import load_workbook

from model.output import xlsx
from model.output.xlsx import Sheet, column_letter, looks_like_formula, sheet_names, workbook_bytes


def read(data: bytes):
    return load_workbook(BytesIO(data))


def test_cells_read_back_as_written():
    row = ["text", 1.5, -0.0, 3, np.int64(4), np.float64(0.1), True, np.bool_(False), None, float("nan"),
           float("inf"), "", "  spaced  ", "line\nbreak", "<&>\"'", "£ and é", "a" * 40_000]
    book = read(workbook_bytes([Sheet("data", [row])]))
    got = [cell.value for cell in book["data"][1]]
    assert got[:8] == ["text", 1.5, 0.0, 3, 4, 0.1, True, False]
    assert got[8:12] == [None, None, "inf", None]  # nothing, NaN and empty text leave the cell empty
    assert got[12:16] == ["  spaced  ", "line\nbreak", "<&>\"'", "£ and é"]
    assert got[16] == "a" * xlsx.MAX_TEXT  # Excel's longest text
    assert [cell.data_type for cell in book["data"][1]][:8] == ["s", "n", "n", "n", "n", "n", "b", "b"]


def test_numbers_keep_every_digit():
    values = [0.1 + 0.2, 1 / 3, 1053415443.23, -6455.663146963044, 1e-300, 2.0**60]
    book = read(workbook_bytes([Sheet("n", [values])]))
    assert [cell.value for cell in book["n"][1]] == values


def test_control_characters_are_escaped_as_excel_does():
    """Characters XML cannot hold become _xHHHH_, and a literal _xHHHH_ is escaped so that Excel
    shows it as typed (openpyxl leaves the escapes as they are)."""
    data = workbook_bytes([Sheet("c", [["bell\x07", "a_x0041_b"]])])
    with zipfile.ZipFile(BytesIO(data)) as archive:
        sheet = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "bell_x0007_" in sheet and "a_x005F_x0041_b" in sheet


@pytest.mark.parametrize("text", ["=1+2", "+1+1", "-2+3+cmd|' /C calc'!A0", "@SUM(A1)", "\tx", "\rx",
                                  "=HYPERLINK(\"h\")"])
def test_text_like_a_formula_is_a_text_cell_with_the_quote_prefix(text):
    assert looks_like_formula(text)
    data = workbook_bytes([Sheet("t", [[text, "plain"]], bold_rows=(0,))])
    with zipfile.ZipFile(BytesIO(data)) as archive:
        assert not any(b"<f>" in archive.read(name) for name in archive.namelist())
    first, second = read(data)["t"][1]
    assert (first.value, first.data_type, first.quotePrefix, first.font.b) == (text, "s", True, True)
    assert (second.value, second.quotePrefix) == ("plain", False)


@pytest.mark.parametrize("text", ["-0.01", "+3", "1e-5", "-.5", "plain", "a=b", ""])
def test_numbers_written_as_text_and_other_text_are_not_formulas(text):
    assert not looks_like_formula(text)


def test_sheet_names_are_legal_unique_and_keep_their_order():
    wanted = ["base", "BASE", "'quoted'", "x" * 40, "x" * 40, "a[b]:c*d?e/f\\g", "History", "readme", "", "''",
              "tab\there", "y" * 30 + "'z"]
    names = sheet_names(wanted, taken=["README"])
    assert names == ["base", "BASE (2)", "quoted", "x" * 31, "x" * 27 + " (2)", "a_b__c_d_e_f_g", "History_",
                     "readme (2)", "sheet", "sheet (2)", "tab_here", "y" * 30]
    assert len({n.lower() for n in names} | {"readme"}) == len(names) + 1
    assert sheet_names(wanted, taken=["README"]) == names  # the same every time


def test_a_workbook_refuses_sheet_names_that_are_not_legal_and_unique():
    with pytest.raises(ValueError, match="legal and unique"):
        workbook_bytes([Sheet("a", []), Sheet("A", [])])
    with pytest.raises(ValueError, match="legal and unique"):
        workbook_bytes([Sheet("a/b", [])])
    with pytest.raises(ValueError, match="legal and unique"):
        workbook_bytes([])


def test_layout_frozen_panes_widths_bold_and_wrapped_columns():
    sheets = [
        Sheet("README", [["key", "text"]], bold_columns=(0,), widths={0: 22, 1: 100}),
        Sheet("table", [["a", "b", "c"], [1, 2, "long text"]], bold_rows=(0,), wrap_columns=(2,),
              widths={0: 16, 2: 60}, freeze=(1, 2)),
        Sheet("rows only", [["x"]], freeze=(3, 0)),
    ]
    book = read(workbook_bytes(sheets))
    assert book.sheetnames == ["README", "table", "rows only"]
    readme, table, rows_only = book.worksheets
    assert readme["A1"].font.b and not readme["B1"].font.b
    assert readme.column_dimensions["A"].width == pytest.approx(22.71, abs=0.01)
    assert table.freeze_panes == "C2" and rows_only.freeze_panes == "A4" and readme.freeze_panes is None
    assert all(cell.font.b for cell in table[1]) and not table["A2"].font.b
    assert table["C2"].alignment.wrap_text and table["C2"].alignment.vertical == "top"
    assert table.column_dimensions["C"].width == pytest.approx(60.71, abs=0.01)


def test_the_same_cells_give_the_same_bytes():
    sheets = [Sheet("s", [["a", 1.0], ["b", 2.0]], freeze=(1, 0))]
    assert workbook_bytes(sheets) == workbook_bytes(sheets)


def test_write_is_atomic_and_records_the_bytes(tmp_path):
    written = xlsx.write(tmp_path / "sub" / "w.xlsx", [Sheet("s", [["a"]])])
    assert written.path.read_bytes() == workbook_bytes([Sheet("s", [["a"]])])
    assert [p.name for p in (tmp_path / "sub").iterdir()] == ["w.xlsx"]


@pytest.mark.parametrize(("index", "letters"), [(0, "A"), (25, "Z"), (26, "AA"), (51, "AZ"), (701, "ZZ"), (702, "AAA")])
def test_column_letters(index, letters):
    assert column_letter(index) == letters
