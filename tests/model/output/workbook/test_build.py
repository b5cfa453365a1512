"""Laying out the whole workbook (model/output/workbook/build.py): every engine figure has a cell, every
calculation is a formula on inputs or on cells laid out before it (no formula depends on itself, ranges
included), and the plan's cached values equal the engine."""

from __future__ import annotations

import re
from dataclasses import replace

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings

from model import engine
from model.output.workbook import a1, plan_workbook, spec_from_inputs
from tests.builders import renamed, worked_example
from tests.workbook_checks import EngineFigures, changing_specs, close, engine_value, generated_inputs, tagged

RATIOS = {"real_change_vs_base", "core_real_change_vs_base", "allowance_per_head_gbp", "need_index",
          "allowance_basis"}


def test_every_engine_figure_has_a_cell_for_each_icb_and_england():
    inputs = worked_example(populations=(1e6, 2e6))
    plan = plan_workbook(spec_from_inputs(inputs))
    cells = tagged(plan)
    keys = set(engine.ADDITIVE) | set(engine.PRICES) | RATIOS
    for key in keys:
        for place in ("T00", "T01", None):
            years = (0,) if key == "cost_base_gbp" else range(len(inputs.labels))
            for y in years:
                assert (key, place, y) in cells, (key, place, y)
    out = engine.run(inputs)
    for tag, cell in cells.items():
        assert close(engine_value(inputs, out, tag), cell.value, cell.scale), tag


@pytest.mark.parametrize(("name", "footprint"), [("base", None), ("base", "2022"), ("merger_2027", None)])
def test_every_engine_figure_of_a_changing_history_has_a_cell(name, footprint):
    """Every organisation of the footprint and England show every figure of results.csv, equal to
    the engine's (published allowances, pieces, pools and footprints included)."""
    from model.output.workbook import spec_from_scenario
    from model.scenario import load_scenario
    from tests.workbook_checks import ROOT

    spec = spec_from_scenario(load_scenario(name, ROOT), footprint=footprint)
    plan = plan_workbook(spec)
    cells = tagged(plan)
    figures = EngineFigures(spec.inputs, engine.run(spec.inputs), footprint)
    units = spec.inputs.footprint(footprint).codes
    assert list(plan.icb_sheets) == list(units)
    for key in set(engine.ADDITIVE) | RATIOS:
        for place in (*units, None):
            assert (key, place, 0 if key == "cost_base_gbp" else 1) in cells, (key, place)
    for tag, cell in cells.items():
        assert close(figures(tag), cell.value, cell.scale), tag


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
    """Without organisation changes or published figures a sheet reads top to bottom: every
    reference goes to Inputs (or, from England, to the organisations' sheets) or to a row above
    (a running figure: the year before, in the same row)."""
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


def _cells(sheet: str, ref: str) -> list[tuple[str, int, int]]:
    """Every cell of a reference (a cell or a range) on a sheet, 0-based."""
    ends = [re.fullmatch(r"\$?([A-Z]+)\$?(\d+)", end) for end in ref.split(":")]
    rows = [int(m.group(2)) - 1 for m in ends]
    cols = [_col(m.group(1)) for m in ends]
    return [(sheet, r, c) for r in range(min(rows), max(rows) + 1) for c in range(min(cols), max(cols) + 1)]


@pytest.mark.parametrize(("name", "codes", "footprint"), [("base", ["S0E4D", "QE1"], None),
                                                          ("merger_2027", ["X27SS"], None),
                                                          ("base", ["QNQ"], "2022")])
def test_no_formula_depends_on_itself_ranges_included(name, codes, footprint):
    """With published figures and organisation changes, a sheet's rows refer to each other across
    years and sheets (a piece's base needs its organisation's k, which needs last year's base).
    The cells still form no cycle, counting every cell of a range a formula reads (Excel warns of
    a circular reference if an INDEX range holds a cell that depends on the formula)."""
    from graphlib import TopologicalSorter

    from model.output.workbook import spec_from_scenario
    from model.scenario import load_scenario
    from tests.workbook_checks import ROOT

    plan = plan_workbook(spec_from_scenario(load_scenario(name, ROOT), codes, footprint))
    names = {name: ref[1:].split("!") for name, ref in plan.names.items()}
    graph: dict[tuple[str, int, int], set[tuple[str, int, int]]] = {}
    for sheet in plan.sheets:
        for (row, col), cell in sheet.formulas().items():
            other, local, used = _references(cell.formula)
            needs = {(s, r, c) for s, r, c in (cell for s, ref in other for cell in _cells(s, ref))}
            needs |= {(sheet.name, r, c) for r, c in local}
            needs |= {cell for n in used for cell in _cells(*names[n])}
            graph[(sheet.name, row, col)] = needs
    order = list(TopologicalSorter(graph).static_order())  # raises CycleError on a cycle
    assert len(order) >= plan.formula_count()


def test_generated_plans_agree_with_the_engine_without_libreoffice():
    """The plan's expected values (the cache) equal the engine for many more generated scenarios."""

    @settings(max_examples=40, deadline=None)
    @given(generated_inputs())
    def check(inputs):
        plan = plan_workbook(spec_from_inputs(inputs))
        figures = EngineFigures(inputs, engine.run(inputs))
        for tag, cell in tagged(plan).items():
            assert close(figures(tag), cell.value, cell.scale), tag
        assert plan.sheet("Checks").cells[(2, 1)].value is True

    check()


def test_generated_changing_histories_agree_with_the_engine_without_libreoffice():
    """Generated mergers and splits, published figures in random organisation-years, go-live
    rules by organisation, on either footprint: every engine figure the plan shows is the
    engine's, and the Checks pass."""

    @settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.filter_too_much,
                                                                      HealthCheck.too_slow])
    @given(changing_specs())
    def check(spec):
        plan = plan_workbook(spec)
        figures = EngineFigures(spec.inputs, engine.run(spec.inputs), plan.footprint)
        for tag, cell in tagged(plan).items():
            assert close(figures(tag), cell.value, cell.scale), tag
        checks = plan.sheet("Checks")
        # A published figure below an organisation's delegated budgets leaves a negative core
        # allowance and negative WTE in the engine too; the Checks must then say so.
        smallest = min(cell.value for (row, col), cell in checks.cells.items()
                       if col == 4 and (checks.cells.get((row, 5)) or cell).formula == f"=E{row + 1}>=0")
        assert checks.cells[(2, 1)].value is (smallest >= 0)

    check()


def test_sheets_come_in_order_about_inputs_england_checks_then_each_icb():
    plan = plan_workbook(spec_from_inputs(worked_example(populations=(1e6, 2e6, 5e5))))
    assert [s.name for s in plan.sheets] == ["About", "Inputs", "England", "Checks", "T00", "T01", "T02"]
    assert plan.icb_sheets == {"T00": "T00", "T01": "T01", "T02": "T02"}
    assert plan.scenario == "inputs"


def test_other_organisations_come_last_when_the_organisations_change(base_scenario):
    from model.output.workbook import spec_from_scenario

    plan = plan_workbook(spec_from_scenario(base_scenario, ["S0E4D"]))
    assert [s.name for s in plan.sheets] == ["About", "Inputs", "England", "Checks", "S0E4D", "S9B9J", "QRL",
                                             "Other organisations"]
    assert plan.footprint == "2026"


def test_codes_become_legal_distinct_sheet_names():
    inputs = renamed(worked_example(populations=(1e6, 2e6, 3e6)), ("A/B", "A:B", "Checks"))
    plan = plan_workbook(spec_from_inputs(inputs))
    assert plan.icb_sheets == {"A/B": "A_B", "A:B": "A_B~2", "Checks": "Checks~2"}
    assert [s.name for s in plan.sheets][4:] == ["A_B", "A_B~2", "Checks~2"]


def test_a_workbook_shows_one_sample():
    spec = spec_from_inputs(worked_example())
    two = replace(spec, inputs=spec.inputs.with_values({"baseline.pay_share": np.array([0.7, 0.8])}))
    with pytest.raises(ValueError, match="a workbook shows one set of inputs"):
        plan_workbook(two)
