"""results.xlsx as LibreOffice reads it (model/output/xlsx.py writes it without xlsxwriter): every
cell of every sheet comes back as written, and text that looks like a formula stays text. Skipped
when ``soffice`` is missing (Debian: libreoffice-calc-nogui)."""

from __future__ import annotations

import openpyxl
import pandas as pd
import pytest

from model.output.export import write_xlsx
from model.output.results import scenario_results
from model.scenario import load_scenario, overlay
from tests import libreoffice
from tests.fixtures import PROJECT

pytestmark = pytest.mark.skipif(not libreoffice.available(),
                                reason="LibreOffice not installed (Debian: apt-get install libreoffice-calc-nogui)")


def values(path) -> dict[str, list[tuple]]:
    book = openpyxl.load_workbook(path, read_only=True)
    try:
        return {ws.title: [tuple(v for v in row if v is not None) for row in ws.iter_rows(values_only=True)]
                for ws in book.worksheets}
    finally:
        book.close()


def test_libreoffice_reads_every_cell_of_results_xlsx_as_written(tmp_path):
    base = load_scenario("base", PROJECT)
    odd = overlay(base, {}, "=1+2 'odd' [name] that is far too long", "t.yaml", "-2+3+cmd|' /C calc'!A0")
    results = pd.concat([scenario_results(s) for s in (base, odd)], ignore_index=True)
    written = tmp_path / "in" / "results.xlsx"
    written.parent.mkdir()
    write_xlsx(results, [base, odd], written)
    (saved,) = libreoffice.recalculate([written], tmp_path / "out")
    ours, theirs = values(written), values(saved)
    assert list(theirs) == list(ours) == ["README", "base", "=1+2 'odd' _name_ that is far t", "Assumptions"]
    for sheet, rows in ours.items():
        assert theirs[sheet] == rows, sheet
    book = openpyxl.load_workbook(saved)
    flagged = [c for ws in book.worksheets for row in ws.iter_rows() for c in row
               if isinstance(c.value, str) and c.value.startswith(("=1+2", "-2+3"))]
    assert flagged and all(c.data_type == "s" for c in flagged)
