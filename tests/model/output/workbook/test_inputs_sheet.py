"""The Inputs sheet (model/output/workbook/inputs_sheet.py): every engine input once, with its provenance."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from model.engine.inputs import INPUT_KEYS
from model.output.workbook import NEVER, NO_ENVELOPE, month_serial, plan_workbook, spec_from_inputs, spec_from_scenario
from model.scenario import load_scenario
from tests.builders import worked_example
from tests.workbook_checks import name_cell

ROOT = Path(__file__).resolve().parents[4]


def test_inputs_sheet_shows_every_assumption_with_provenance(base_scenario):
    plan = plan_workbook(spec_from_scenario(base_scenario, ["QE1", "QUE"], "2022"))
    inputs = plan.sheet("Inputs")
    by_text = {cell.value: pos for pos, cell in inputs.cells.items() if isinstance(cell.value, str)}
    row, _ = by_text["baseline.pay_share"]
    texts = [inputs.cells[(row, c)].value for c in range(20) if (row, c) in inputs.cells]
    assert 0.75 in texts and "assumption" in texts and any("assumptions.yaml:" in str(t) for t in texts)
    row, _ = by_text["inflation.pay_award"]
    assert [inputs.cells[(row, 4 + y)].value for y in range(3)] == [0.05, 0.05, 0.055]
    assert inputs.cells[name_cell(plan, "cut_basis")].value == "nominal"
    assert inputs.cells[name_cell(plan, "cut_path_last_year")].value == "2025/26"
    # Go-live: rules (default, by region) and the ICB table's derived month.
    assert inputs.cells[name_cell(plan, "golive_default_specialised")].value == month_serial("2027-04")
    que = name_cell(plan, "golive_dentistry", 2)  # the pieces: QE1, QHG, QUE...; QUE is East of England: 2023-04
    assert inputs.cells[que].formula.startswith("=IF(") and inputs.cells[que].value == month_serial("2023-04")
    # Every resolved path the formulas read is shown with its provenance.
    from model.output.listing import assumption_rows

    shown = {cell.value for cell in inputs.cells.values() if isinstance(cell.value, str)}
    for row in assumption_rows(base_scenario):
        path = row.path.split(" (")[0]
        parent = path.rsplit(".", 1)[0]  # a series' year is shown in its series' row
        assert path in shown or parent in shown or any(s.startswith(path + ".") for s in shown), row.path


def _shown_input(key, value: float) -> object:
    """What the Inputs sheet's cell of a single engine input value holds."""
    if key.shape == "go_live":
        return NEVER if np.isnan(value) else month_serial(value)
    if key.shape == "word":
        return key.spec.choices[int(value)]
    if key.shape == "flag":
        return bool(value)
    if key.shape == "month":
        return NO_ENVELOPE if np.isnan(value) else month_serial(value)
    return float(value)


@pytest.mark.parametrize("scenario", ["worked_example", "envelope_2025"])
def test_every_engine_input_is_on_the_inputs_sheet_once(scenario):
    """Each array the engine reads (INPUT_KEYS) has one place on the Inputs sheet: a defined name
    whose cells hold its value and, but for a go-live (a column of the ICB table), one row that
    shows its path with the schema's unit."""
    if scenario == "worked_example":
        spec = spec_from_inputs(worked_example())
    else:
        spec = spec_from_scenario(load_scenario(scenario, ROOT), ["QE1", "S1Y5D"])
    plan = plan_workbook(spec)
    laid_out = [path for path, _ in plan.input_names]
    assert sorted(laid_out) == sorted(key.path for key in INPUT_KEYS)  # every one, and each once
    sheet = plan.sheet("Inputs")
    paths = [cell.value for (_, col), cell in sheet.cells.items() if col == 1]
    names = dict(plan.input_names)
    for key in INPUT_KEYS:
        value = spec.inputs.values[key.path][0]  # per ICB for a go-live, per year for a series
        if key.shape == "go_live":
            for i in range(len(spec.inputs.codes)):
                assert sheet.cells[name_cell(plan, names[key.path], i)].value == _shown_input(key, value[i]), key.path
            continue
        row, col = name_cell(plan, names[key.path])
        assert paths.count(key.path) == 1, key.path
        assert sheet.cells[(row, 1)].value == key.path
        words = {"word": "word", "flag": "TRUE/FALSE"}
        assert sheet.cells[(row, 2)].value == (key.spec.unit_info.text or words[key.shape])
        if key.shape == "series":
            assert [sheet.cells[(row, col + y)].value for y in range(len(spec.inputs.labels))] == list(value)
        else:
            assert sheet.cells[(row, col)].value == _shown_input(key, value), key.path
            assert sheet.cells[(row, col)].input
