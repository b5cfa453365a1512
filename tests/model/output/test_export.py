"""Writing a run folder (model/output/export.py): results.csv rounded per unit, results.xlsx with its
README and Assumptions sheets, and manifest.json last with the sha256 of each file as written."""

from __future__ import annotations

import hashlib
import json
import zipfile

import numpy as np
import pandas as pd
import pytest
from openpyxl import load_workbook

from model.output.export import NonFiniteResults, check_finite, write_csv, write_run, write_xlsx
from model.output.results import rounded, scenario_results
from model.scenario import load_scenario, overlay
from model.schema import COLUMN_NAMES
from tests.fixtures import PROJECT


@pytest.fixture(scope="module")
def base():
    return load_scenario("base", PROJECT)


@pytest.fixture(scope="module")
def results(base):
    return scenario_results(base)


def test_write_run_writes_three_files_and_the_manifest_records_each_as_written(tmp_path, base, results):
    paths = write_run(results, [base], tmp_path / "run")
    assert [p.name for p in paths] == ["results.csv", "results.xlsx", "manifest.json"]
    record = json.loads((tmp_path / "run" / "manifest.json").read_text())
    assert set(record["files"]) == {"results.csv", "results.xlsx"}
    for name, entry in record["files"].items():
        data = (tmp_path / "run" / name).read_bytes()
        assert entry == {"bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()}, name
    assert record["scenarios"][0]["content_sha256"] == base.content_hash()


def test_without_xlsx_only_the_csv_and_the_manifest(tmp_path, base, results):
    paths = write_run(results, [base], tmp_path, xlsx=False)
    assert [p.name for p in paths] == ["results.csv", "manifest.json"]
    assert not (tmp_path / "results.xlsx").exists()


def test_results_csv_is_the_rounded_table(tmp_path, results):
    write_csv(results, tmp_path / "results.csv")
    got = pd.read_csv(tmp_path / "results.csv", keep_default_na=False)
    assert list(got.columns) == list(COLUMN_NAMES)
    want = rounded(results)
    np.testing.assert_array_equal(got["allowance_gbp"].to_numpy(), want["allowance_gbp"].to_numpy())
    pence = got["allowance_gbp"].to_numpy() * 100
    np.testing.assert_allclose(pence, pence.round(), rtol=0, atol=1e-4)  # to the penny
    assert "\r\n" not in (tmp_path / "results.csv").read_text()


def readme_tables(book) -> tuple[list[tuple], list[tuple]]:
    """The README sheet's two tables: (sheet, scenario, description) rows and (column, unit, meaning) rows."""
    rows = [(*row, None, None, None)[:3] for row in book["README"].iter_rows(values_only=True)]
    sheets_at = rows.index(("sheet", "scenario", "description"))
    columns_at = rows.index(("column", "unit", "meaning"))
    return rows[sheets_at + 1: columns_at - 1], rows[columns_at + 1:]


def test_results_xlsx_has_a_readme_a_sheet_per_scenario_and_the_assumptions(tmp_path, base):
    """Sheet names are made safe for a spreadsheet (31 characters, no []:*?/\\) and kept distinct;
    the README says which sheet holds which scenario."""
    long_a = overlay(base, {}, "A name far longer than thirty-one characters: one", "t.yaml")
    long_b = overlay(base, {}, "A name far longer than thirty-one characters: two", "t.yaml", "The second.")
    frames = [scenario_results(s) for s in (base, long_a, long_b)]
    write_xlsx(pd.concat(frames, ignore_index=True), [base, long_a, long_b], tmp_path / "r.xlsx")
    book = load_workbook(tmp_path / "r.xlsx", read_only=True)
    assert book.sheetnames == ["README", "base", "A name far longer than thirty-o",
                               "A name far longer than thir (2)", "Assumptions"]
    sheets, columns = readme_tables(book)
    assert sheets == [("base", "base", base.description),
                      ("A name far longer than thirty-o", long_a.name, None),
                      ("A name far longer than thir (2)", long_b.name, "The second.")]
    assert [row[0] for row in columns] == list(COLUMN_NAMES)
    assert dict((row[0], row[1]) for row in columns)["allowance_gbp"] == "£ cash"
    header, *rows = book["Assumptions"].iter_rows(values_only=True)
    assert header == ("scenario", "path", "value", "unit", "status", "source", "note", "set_in")
    cells = {(r[0], r[1]): r[2] for r in rows}
    assert cells[("base", "running_cost_cut.envelope")] == "null"
    assert cells[("base", "delegation.pharmacy.in_cut_scope")] == "true"
    assert cells[("base", "baseline.pay_share")] == 0.75
    table = list(book["base"].iter_rows(values_only=True))
    assert table[0] == tuple(COLUMN_NAMES) and len(table) == len(frames[0]) + 1
    assert table[1][COLUMN_NAMES.index("allowance_gbp")] == rounded(frames[0])["allowance_gbp"].iloc[0]


@pytest.mark.parametrize("name", ["'quoted'", "x" * 40, "a[b]:c*d?e/f\\g", "History", "README", "assumptions"])
def test_a_scenario_name_that_is_no_legal_sheet_name_gets_a_legal_one_listed_on_the_readme(tmp_path, base, name):
    other = overlay(base, {}, name, "t.yaml")
    write_xlsx(pd.concat([scenario_results(s) for s in (base, other)], ignore_index=True), [base, other],
               tmp_path / "r.xlsx")
    book = load_workbook(tmp_path / "r.xlsx", read_only=True)
    sheet = book.sheetnames[2]
    assert book.sheetnames[:2] == ["README", "base"] and book.sheetnames[3] == "Assumptions"
    assert 1 <= len(sheet) <= 31 and not set(sheet) & set("[]:*?/\\") and sheet[0] != "'" != sheet[-1]
    assert sheet.lower() not in ("history", "readme", "assumptions")
    sheets, _ = readme_tables(book)
    assert {row[1]: row[0] for row in sheets}[name] == sheet  # the README maps the scenario to its sheet
    assert {row[0] for row in book[sheet].iter_rows(min_row=2, max_col=1, values_only=True)} == {name}


@pytest.mark.parametrize("text", ["=HYPERLINK(\"http://x\",\"y\")", "+1+1", "-2+3+cmd|' /C calc'!A0", "@SUM(A1)",
                                  "\tTAB", "\rCR"])
def test_text_that_looks_like_a_formula_is_written_as_text(tmp_path, base, text):
    """OWASP's formula-injection rule: scenario names and descriptions reach the workbook as text
    cells with Excel's quote prefix (never formulas), and the CSV with an apostrophe in front."""
    other = overlay(base, {}, text, "t.yaml", text)
    results = pd.concat([scenario_results(s) for s in (base, other)], ignore_index=True)
    write_xlsx(results, [base, other], tmp_path / "r.xlsx")
    with zipfile.ZipFile(tmp_path / "r.xlsx") as archive:
        assert not any(b"<f>" in archive.read(name) for name in archive.namelist())  # no formula anywhere
    book = load_workbook(tmp_path / "r.xlsx")
    sheets, _ = readme_tables(book)
    assert sheets[1][1:] == (text, text)
    readme = book["README"]
    flagged = [c for row in readme.iter_rows() for c in row if c.value == text]
    assert len(flagged) >= 2 and all(c.data_type == "s" and c.quotePrefix for c in flagged)
    cell = book[book.sheetnames[2]]["A2"]
    assert (cell.value, cell.data_type, cell.quotePrefix) == (text, "s", True)
    assumptions = [r for r in book["Assumptions"].iter_rows() if r[0].value == text]
    assert assumptions and all(r[0].quotePrefix for r in assumptions)
    write_csv(results, tmp_path / "r.csv")
    got = pd.read_csv(tmp_path / "r.csv", keep_default_na=False)
    assert set(got["scenario"]) == {"base", "'" + text}


def test_figures_that_are_not_finite_are_never_written(tmp_path, base, results):
    broken = results.copy()
    broken.loc[7, "wte_gap"] = np.inf
    with pytest.raises(NonFiniteResults) as caught:
        write_run(broken, [base], tmp_path / "out")
    message = str(caught.value)
    assert "wte_gap for QAA in 2024/25" in message and "scenario 'base'" in message and "nothing was written" in message
    assert not (tmp_path / "out").exists()
    check_finite(results)  # the real results pass
