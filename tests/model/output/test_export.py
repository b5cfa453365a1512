"""Writing a run folder (model/output/export.py): results.csv rounded per unit, results.xlsx with its
README and Assumptions sheets, and manifest.json last with the sha256 of each file as written."""

from __future__ import annotations

import hashlib
import json

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


def test_results_xlsx_has_a_readme_a_sheet_per_scenario_and_the_assumptions(tmp_path, base):
    """Sheet names are made safe for a spreadsheet (31 characters, no []:*?/\\) and kept distinct."""
    long_a = overlay(base, {}, "A name far longer than thirty-one characters: one", "t.yaml")
    long_b = overlay(base, {}, "A name far longer than thirty-one characters: two", "t.yaml")
    frames = [scenario_results(s) for s in (base, long_a, long_b)]
    write_xlsx(pd.concat(frames, ignore_index=True), [base, long_a, long_b], tmp_path / "r.xlsx")
    book = load_workbook(tmp_path / "r.xlsx", read_only=True)
    assert book.sheetnames == ["README", "base", "A name far longer than thirty-o",
                               "A name far longer than thir (2)", "Assumptions"]
    readme = list(book["README"].iter_rows(values_only=True))
    assert readme[4][:3] == ("column", "unit", "meaning")
    assert [row[0] for row in readme[5:]] == list(COLUMN_NAMES)
    assert dict((row[0], row[1]) for row in readme[5:])["allowance_gbp"] == "£ cash"
    header, *rows = book["Assumptions"].iter_rows(values_only=True)
    assert header == ("scenario", "path", "value", "unit", "status", "source", "note", "set_in")
    cells = {(r[0], r[1]): r[2] for r in rows}
    assert cells[("base", "running_cost_cut.envelope")] == "null"
    assert cells[("base", "delegation.pharmacy.in_cut_scope")] == "true"
    assert cells[("base", "baseline.pay_share")] == 0.75


def test_figures_that_are_not_finite_are_never_written(tmp_path, base, results):
    broken = results.copy()
    broken.loc[7, "wte_gap"] = np.inf
    with pytest.raises(NonFiniteResults) as caught:
        write_run(broken, [base], tmp_path / "out")
    message = str(caught.value)
    assert "wte_gap for QAA in 2024/25" in message and "scenario 'base'" in message and "nothing was written" in message
    assert not (tmp_path / "out").exists()
    check_finite(results)  # the real results pass
