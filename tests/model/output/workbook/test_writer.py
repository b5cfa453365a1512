"""Writing a plan with xlsxwriter (model/output/workbook/writer.py): cached results, names, no macros."""

from __future__ import annotations

import zipfile

import openpyxl
import pytest

from model.output.workbook import write_workbook
from tests.workbook_checks import tagged


def test_written_file_has_cached_results_names_and_no_macros(example_plan, tmp_path):
    path = tmp_path / "book.xlsx"
    write_workbook(example_plan, path)
    with zipfile.ZipFile(path) as archive:
        assert not [n for n in archive.namelist() if "vba" in n.lower()]
    book = openpyxl.load_workbook(path, data_only=True)
    assert book.sheetnames[:4] == ["About", "Inputs", "England", "Checks"]
    assert {"pay_share", "pay_award", "cut_path", "golive_dentistry", "icb_population"} <= set(book.defined_names)
    cells = tagged(example_plan)
    sheet = book[example_plan.icb_sheets["TST"]]
    for key in ("core_allowance_gbp", "affordable_wte", "redundancy_cost_gbp"):
        for y in range(4):
            for (row, col), cell in example_plan.sheet("TST").cells.items():
                if cell is cells[(key, "TST", y)]:
                    assert sheet.cell(row + 1, col + 1).value == pytest.approx(cell.value, rel=1e-12)
    assert book["Checks"]["B3"].value is True


def test_uncached_file_holds_no_figures(example_plan, tmp_path):
    path = tmp_path / "book.xlsx"
    write_workbook(example_plan, path, cached=False)
    book = openpyxl.load_workbook(path, data_only=True)
    for pos in example_plan.sheet("TST").formulas():
        assert book["TST"].cell(pos[0] + 1, pos[1] + 1).value in (None, ""), pos
