"""Laying out the whole workbook (model/output/workbook/build.py): every engine figure has a cell, every
calculation is a formula on inputs or rows above, and the plan's cached values equal the engine."""

from __future__ import annotations

import re
from dataclasses import replace

import numpy as np
import pytest
from hypothesis import given, settings

from model import engine
from model.output.workbook import a1, plan_workbook, spec_from_inputs
from tests.builders import worked_example
from tests.workbook_checks import close, engine_value, generated_inputs, tagged


def test_every_engine_figure_has_a_cell_for_each_icb_and_england():
    inputs = worked_example(populations=(1e6, 2e6))
    plan = plan_workbook(spec_from_inputs(inputs))
    cells = tagged(plan)
    keys = set(engine.ADDITIVE) | set(engine.PRICES) | {"real_change_vs_base", "core_real_change_vs_base",
                                                        "allowance_per_head_gbp"}
    for key in keys:
        for place in (0, 1, None):
            years = (0,) if key == "cost_base_gbp" else range(len(inputs.labels))
            for y in years:
                assert (key, place, y) in cells, (key, place, y)
    out = engine.run(inputs)
    for tag, cell in cells.items():
        assert close(engine_value(inputs, out, tag), cell.value, cell.scale), tag


_QUALIFIED = re.compile(r"((?:'(?:[^']|'')+'|[A-Za-z_][\w.]*))!(\$?[A-Z]{1,3}\$?\d+(?::\$?[A-Z]{1,3}\$?\d+)?)")


_LOCAL = re.compile(r"(?<![\w$!:.])\$?([A-Z]{1,3})\$?(\d+)(?::\$?([A-Z]{1,3})\$?(\d+))?(?![\w(])")


_NAME = re.compile(r"(?<![\w$!.'])([A-Za-z_][A-Za-z0-9_.]*)(?![\w(!])")


def _col(letters: str) -> int:
    n = 0
    for letter in letters:
        n = n * 26 + ord(letter) - 64
    return n - 1


def _references(formula: str) -> tuple[list[tuple[str, str]], list[tuple[int, int]], set[str]]:
    """(sheet, range) references to other sheets, local cells (0-based), and names used."""
    text = re.sub(r'"[^"]*"', '""', formula[1:])
    other = [(m.group(1).strip("'").replace("''", "'"), m.group(2)) for m in _QUALIFIED.finditer(text)]
    text = _QUALIFIED.sub(" ", text)
    local = []
    for m in _LOCAL.finditer(text):
        local.append((int(m.group(2)) - 1, _col(m.group(1))))
        if m.group(3):
            local.append((int(m.group(4)) - 1, _col(m.group(3))))
    text = _LOCAL.sub(" ", text)
    names = {n for n in _NAME.findall(text) if n.upper() not in ("TRUE", "FALSE")}
    return other, local, names


def test_calculation_sheets_are_formulas_on_inputs_or_rows_above(example_plan):
    plan = plan_workbook(spec_from_inputs(worked_example(populations=(1e6, 2e6, 5e5))))
    icb_sheets = set(plan.icb_sheets.values())
    for name in plan.names.values():
        assert name.startswith("=Inputs!"), name
    for sheet in plan.sheets:
        if sheet.name in ("About", "Inputs"):
            continue
        for (row, col), cell in sheet.cells.items():
            if cell.formula is None:
                # Constants on calculation sheets are labels only, never figures.
                assert (isinstance(cell.value, str) and col <= 3) or sheet.name == "Checks", (sheet.name, row, col)
                continue
            other, local, names = _references(cell.formula)
            assert names <= set(plan.names), (sheet.name, cell.formula, names - set(plan.names))
            if sheet.name == "Checks":
                continue
            allowed = {"Inputs"} | (icb_sheets if sheet.name == "England" else set())
            assert {s for s, _ in other} <= allowed, (sheet.name, cell.formula)
            for r, c in local:
                assert r < row or (r == row and c < col), (sheet.name, a1(row, col), cell.formula)


def test_generated_plans_agree_with_the_engine_without_libreoffice():
    """The plan's expected values (the cache) equal the engine for many more generated scenarios."""

    @settings(max_examples=40, deadline=None)
    @given(generated_inputs())
    def check(inputs):
        plan = plan_workbook(spec_from_inputs(inputs))
        out = engine.run(inputs)
        for tag, cell in tagged(plan).items():
            assert close(engine_value(inputs, out, tag), cell.value, cell.scale), tag
        assert plan.sheet("Checks").cells[(2, 1)].value is True

    check()


def test_sheets_come_in_order_about_inputs_england_checks_then_each_icb():
    plan = plan_workbook(spec_from_inputs(worked_example(populations=(1e6, 2e6, 5e5))))
    assert [s.name for s in plan.sheets] == ["About", "Inputs", "England", "Checks", "T00", "T01", "T02"]
    assert plan.icb_sheets == {"T00": "T00", "T01": "T01", "T02": "T02"}
    assert plan.scenario == "inputs"


def test_icb_codes_must_make_distinct_sheet_names_that_are_not_reserved():
    for codes in (("A/B", "A:B"), ("Checks", "T01")):
        inputs = replace(worked_example(populations=(1e6, 2e6)), codes=codes)
        with pytest.raises(ValueError, match="ICB codes do not make distinct sheet names"):
            plan_workbook(spec_from_inputs(inputs))
    spec = spec_from_inputs(worked_example())
    two = replace(spec, inputs=spec.inputs.with_values({"baseline.pay_share": np.array([0.7, 0.8])}))
    with pytest.raises(ValueError, match="a workbook shows one set of inputs"):
        plan_workbook(two)
