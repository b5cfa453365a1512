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


def test_text_that_looks_like_a_formula_stays_text(tmp_path):
    """Scenario text (name, description, notes, sources, names of ICBs) that starts with =, +, -, @,
    a tab or a carriage return is written as text with Excel's quote prefix, never as a formula."""
    from dataclasses import replace

    from model.output.workbook import OtherSetting, Source, plan_workbook, spec_from_inputs
    from tests.builders import worked_example

    risky = ["=HYPERLINK(\"http://x\",\"y\")", "+1+1", "-2+3", "@SUM(1)", "\t=1", "\r=1"]
    spec = spec_from_inputs(worked_example(), name=risky[0], description=risky[1])
    spec = replace(spec, sources={**spec.sources, "baseline.pay_share": Source("assumption", risky[2], risky[3],
                                                                                risky[4], "fraction")},
                   other=(OtherSetting("name", risky[0], Source()), OtherSetting("description", risky[5], Source())))
    plan = plan_workbook(spec)
    path = tmp_path / "book.xlsx"
    write_workbook(plan, path)
    book = openpyxl.load_workbook(path)
    found = {}
    for ws in book.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.data_type == "s" and cell.value and cell.value[0] in "=+-@\t\r_":
                    found[cell.value] = cell
    shown = [text.replace("\r", "_x000D_") for text in risky]  # openpyxl keeps Excel's escape of CR
    assert set(shown) <= set(found)
    for text in shown:
        assert found[text].quotePrefix, (found[text].coordinate, text)
