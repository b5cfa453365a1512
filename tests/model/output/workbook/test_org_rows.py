"""An organisation's rows (model/output/workbook/org_rows.py): its published figure and k, and
its staff pool in the years it exists."""

from __future__ import annotations

import re

import pytest

from model.output.workbook import plan_workbook, spec_from_scenario


@pytest.fixture(scope="module")
def thames(base_scenario):
    return plan_workbook(spec_from_scenario(base_scenario, ["S0E4D"]))


def _rows(sheet, title_start: str, title_end: str = "") -> dict[str, int]:
    """The rows of the block whose section title starts (and ends) so, by label."""
    start = next(row for (row, col), cell in sorted(sheet.cells.items())
                 if col == 0 and str(cell.value).startswith(title_start) and str(cell.value).endswith(title_end))
    rows = {}
    for row in range(start + 1, start + 40):
        cell = sheet.cells.get((row, 0))
        if cell is None:
            if rows:
                break
            continue
        rows[str(cell.value).split(":")[0]] = row
    return rows


def test_k_is_the_figure_less_the_numerators_over_the_denominators(thames):
    other = thames.sheet("Other organisations")
    rows = _rows(other, "QNQ NHS Frimley, as it exists in each year: 2022/23 to 2025/26: 0.58787 of QNQ",
                 "its published allowance and k (SPEC section 10)")
    k = other.cells[(rows["k"], 5)]  # 2023/24
    figure = rows["Published allowance (Inputs)"]
    num, den = (rows[next(r for r in rows if part in r)] for part in ("numerator", "denominator"))
    assert k.formula == f"=(F{figure + 1}-F{num + 1})/F{den + 1}"
    num = other.cells[(num, 5)].formula
    assert num.count("!") == 3 and {"'S0E4D'", "'S9B9J'", "'QRL'"} == set(re.findall(r"'[A-Z0-9]+'", num))
    assert (rows["k"], 4) not in other.cells and (rows["k"], 8) not in other.cells  # only published years
    assert k.value == pytest.approx(1.0, abs=0.3)


def test_a_merger_starts_from_its_predecessors_staff_shared_by_population(thames):
    """Thames Valley's first year: last year's staff are QU9's and 0.58787 of Frimley's."""
    sheet = thames.sheet("S0E4D")
    rows = _rows(sheet, "S0E4D NHS Thames Valley, as it exists in each year",
                 "one pool of staff (SPEC sections 5 and 10)")
    previous = sheet.cells[(rows["Last year's staff, restated on this organisation"], 8)]
    assert re.fullmatch(r"='Other organisations'!H\d+\*H\d+\+'Other organisations'!H\d+\*H\d+", previous.formula)
    assert (rows["Staff employed"], 7) not in sheet.cells  # it does not exist before 2026/27
    later = sheet.cells[(rows["Last year's staff, restated on this organisation"], 9)]
    assert later.formula == f"=I{rows['Staff employed'] + 1}"


def test_an_organisation_that_never_changes_is_its_own_sheets_pool(base_scenario):
    plan = plan_workbook(spec_from_scenario(base_scenario, ["QE1"]))
    sheet = plan.sheet("QE1")
    rows = _rows(sheet, "QE1 NHS Lancashire and South Cumbria, as it exists in each year", "one pool of staff "
                 "(SPEC sections 5 and 10)")
    employed = sheet.cells[(rows["Staff employed"], 4)]
    assert employed.engine == ("employed_wte", "QE1", 0) and employed.formula.startswith("=$D$")
