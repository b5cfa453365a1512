"""The Checks sheet (model/output/workbook/checks.py): live TRUE/FALSE checks per organisation, per year,
per published figure and per organisation change."""

from __future__ import annotations

import re

import numpy as np
import pytest

from model.output.workbook import CHECK_TOLERANCE, plan_workbook, spec_from_inputs
from model.periods import parse_month
from tests.builders import worked_example


@pytest.fixture(scope="module")
def two_icbs():
    return plan_workbook(spec_from_inputs(worked_example(populations=(1e6, 2e6))))


def test_one_row_of_checks_per_icb(two_icbs):
    checks = two_icbs.sheet("Checks")
    assert [checks.cells[(row, 0)].value for row in (5, 6)] == ["T00", "T01"]
    assert checks.cells[(5, 0)].link == "internal:'T00'!A1"
    assert [checks.cells[(5, col)].value for col in (2, 3, 5)] == [True, True, True]
    untouched = checks.cells[(5, 2)].formula
    assert untouched.startswith("=AND(ABS('T00'!") and "<=check_tolerance*MAX(1,ABS('T00'!$D$" in untouched
    assert checks.cells[(6, 3)].formula.startswith("=OR(NOT(C7),AND(")
    assert checks.cells[(5, 5)].formula == "=E6>=0"
    assert checks.cells[(5, 4)].formula.startswith("=MIN('T00'!") and checks.cells[(5, 4)].value >= 0


def test_england_equals_the_sum_of_the_icb_sheets_year_by_year(two_icbs):
    checks = two_icbs.sheet("Checks")
    labels = {checks.cells[(row, 0)].value: row for row, col in checks.cells if col == 0}
    row = labels["England: allowance_gbp"]
    formulas = [checks.cells[(row, 2 + y)].formula for y in range(4)]
    pattern = (r"=ABS\('England'!([A-Z]+)(\d+)-SUM\('T00'!\1(\d+),'T01'!\1\3\)\)"
               r"<=check_tolerance\*MAX\(1,ABS\('England'!\1\2\)\)")
    assert all(re.fullmatch(pattern, f) for f in formulas), formulas
    assert [re.fullmatch(pattern, f).group(1) for f in formulas] == ["E", "F", "G", "H"]
    assert {checks.cells[(row, 2 + y)].value for y in range(4)} == {True}
    assert {"England: population", "England: funding_gap_gbp", "England: redundancy_cost_gbp"} <= set(labels)


def test_all_checks_pass_in_b3(two_icbs):
    summary = two_icbs.sheet("Checks").cells[(2, 1)]
    assert summary.value is True and summary.formula == "=AND(D6:D7,F6:F7,C11:F21)"
    assert CHECK_TOLERANCE == 1e-9


def test_a_function_live_in_the_base_year_means_the_base_year_is_not_untouched():
    """The base year then has a delegated budget: the first check is FALSE, and the balance check,
    which only applies to an untouched base year, stays TRUE, as does the summary."""
    inputs = worked_example(**{"delegation.dentistry.go_live": float(parse_month("2021-04"))})
    checks = plan_workbook(spec_from_inputs(inputs)).sheet("Checks")
    assert checks.cells[(5, 2)].value is False and checks.cells[(5, 3)].value is True
    assert checks.cells[(2, 1)].value is True
    assert np.isfinite(checks.cells[(5, 4)].value)


def test_published_figures_and_shares_are_checked(base_scenario):
    """Each published figure is met (the organisation's allowance less programme pay), unless the
    figures are switched off; the shares of each old organisation of a change add up to 1."""
    from model.output.workbook import spec_from_scenario

    checks = plan_workbook(spec_from_scenario(base_scenario, ["S0E4D"])).sheet("Checks")
    labels = {cell.value: row for (row, col), cell in checks.cells.items() if col == 0}
    frimley = checks.cells[(labels["QNQ: NHS Frimley"], 3)]  # 2023/24
    assert frimley.value is True and frimley.formula.startswith("=OR(NOT(use_published),ABS(")
    assert "'Other organisations'!" in frimley.formula
    shares = checks.cells[(labels["From 2026-04: QNQ"], 2)]
    assert shares.value is True and shares.formula.count("Inputs!") == 3
    assert shares.formula.endswith("-1)<=check_tolerance")
    summary = checks.cells[(2, 1)].formula
    assert f"D{labels['QNQ: NHS Frimley'] + 1}" in summary and f"C{labels['From 2026-04: QNQ'] + 1}" in summary


def test_base_year_balance_is_checked_on_the_organisations_of_the_base_year(tmp_path):
    """A tenth of QAA becomes QNW in April 2023 with a published 2023/24 allowance far above its
    share by the rules: QNW's base year is back-cast from that figure and QAA's piece is not, so
    neither restated unit balances on its own in 2022/23 (the engine's staff are one pool: QAA's),
    but QAA as it then was does, and that is what the Checks sheet holds to."""
    import shutil

    from model import engine
    from model.engine.inputs import from_scenario
    from model.output.workbook import spec_from_scenario
    from model.scenario import load_scenario
    from tests.fixtures import PROJECT

    root = tmp_path / "project"
    shutil.copytree(PROJECT, root)
    (root / "data" / "split.csv").write_text("old_code,new_code,share\nQAA,QAA,0.9\nQAA,QNW,0.1\nQBB,QBB,1\n"
                                             "QCC,QCC,1\n", encoding="utf-8")
    (root / "data" / "split_icbs.csv").write_text(
        "code,ons_code,name,region,region_code\nQAA,E1,NHS Test North,North East and Yorkshire,Y63\n"
        "QNW,E2,NHS Test New,London,Y56\nQBB,E3,NHS Test Middle,Midlands,Y60\nQCC,E4,NHS Test South,South West,Y58\n",
        encoding="utf-8")
    (root / "scenarios" / "split.yaml").write_text(
        "name: split\nextends: base\norganisations:\n  changes:\n    - effective: '2023-04'\n"
        "      table: ../data/split.csv\n      icbs: ../data/split_icbs.csv\n"
        "allowance:\n  use_published: true\n  published:\n    figures: {QNW: {'2023/24': 9000000}}\n",
        encoding="utf-8")
    scenario = load_scenario("split", root)
    out = engine.run(from_scenario(scenario))
    affordable, required = out["affordable_wte"][0, :2, 0], out["required_wte"][0, :2, 0]
    assert not np.allclose(affordable, required)  # the pieces do not balance one by one
    assert affordable.sum() == pytest.approx(required.sum(), rel=1e-12)  # QAA as one pool does

    checks = plan_workbook(spec_from_scenario(scenario)).sheet("Checks")
    rows = {checks.cells[(row, 0)].value: row for row in range(5, 9)}
    assert set(rows) == {"QAA", "QNW", "QBB", "QCC"}
    for code in ("QAA", "QNW"):
        balance = checks.cells[(rows[code], 3)]
        assert balance.value is True
        assert set(re.findall(r"'(\w+)'!", balance.formula)) == {"QAA"}  # QAA's pool in 2022/23
    assert checks.cells[(2, 1)].value is True
