"""The Checks sheet: live TRUE/FALSE checks that the workbook holds together.

Per ICB: the base year is untouched and balances (affordable = required = core WTE), and no WTE
figure is negative. Per year: England equals the sum of the ICB sheets. Cell B3 is TRUE when
every check passes. Figures count as equal within ``check_tolerance`` (an input, relative).
"""

from __future__ import annotations

import numpy as np

from model import engine
from model.engine.inputs import Inputs
from model.output.workbook.calc import ONCE
from model.output.workbook.plan import YEAR0, Cell, Sheet, a1, quote_sheet

CHECK_TOLERANCE = 1e-9
"""Relative tolerance of the Checks sheet (an input on the Inputs sheet, ``check_tolerance``)."""

_HEAD = 4
"""Row (0-based) of the header of the per-ICB checks; one row per ICB follows."""
_WTE_ROWS: tuple[str, ...] = ("affordable", "required", "required_core", "required_delegated", "employed",
                              "arrivals", "attrition", "redundancies")
"""Rows of the ICB sheets that hold WTE and must not be negative."""
_WTE_KEYS: tuple[str, ...] = ("affordable_wte", "required_wte", "required_core_wte", "required_delegated_wte",
                              "employed_wte", "arrivals_wte", "attrition_wte", "redundancies_wte")
"""The engine's keys of the same quantities, in the same order."""
_ENGLAND_CHECKED: tuple[str, ...] = ("population", "allowance", "core", "delegated", "nonpay_cost", "affordable",
                                     "required", "employed", "redundancies", "redundancy_cost", "funding_gap")
"""Rows of England checked against the sum of the ICB sheets."""


def _close(a: float, b: float, tol: float = CHECK_TOLERANCE) -> bool:
    """As the Checks sheet's formulas test it: ``ABS(a-b) <= tol * MAX(1, ABS(b))``."""
    return abs(a - b) <= tol * max(1.0, abs(b))


def _within(a: str, b: str) -> str:
    """The formula text of :func:`_close` for two cell references."""
    return f"ABS({a}-{b})<=check_tolerance*MAX(1,ABS({b}))"


def checks_sheet(sheet: Sheet, inp: Inputs, out: dict[str, np.ndarray], icb_sheets: list[str],
                 rows: dict[str, int], england_rows: dict[str, int]) -> None:
    """Lay out the Checks sheet (``rows``: the row of each quantity on the ICB sheets)."""
    T = len(inp.labels)
    sheet.text(0, 0, "Checks: TRUE when the workbook holds together", "title")
    sheet.text(1, 0, "Each check is live: it recalculates when an input changes. Tolerance: Inputs, "
                     "check_tolerance (relative).", "note")
    titles = ("ICB", "Name", "Base year untouched (no cut, envelope or live delegation in it)",
              "Base year balances: affordable = required = core WTE", "Smallest WTE figure on the sheet",
              "No negative WTE")
    for col, title in enumerate(titles):
        sheet.text(_HEAD, col, title, "header_wrap")
    q = {key: out[key][0] for key in engine.ADDITIVE}
    for i, name in enumerate(icb_sheets):
        _icb_checks(sheet, _HEAD + 1 + i, inp, q, i, name, rows)
    last = _HEAD + len(icb_sheets)
    first_eng, last_eng = _england_checks(sheet, last + 2, inp, icb_sheets, rows, england_rows)
    summary = (f"=AND({a1(_HEAD + 1, 3)}:{a1(last, 3)},{a1(_HEAD + 1, 5)}:{a1(last, 5)},"
               f"{a1(first_eng, 2)}:{a1(last_eng, 2 + T - 1)})")
    all_ok = all(sheet.cells[(r, col)].value for r in range(_HEAD + 1, last + 1) for col in (3, 5))
    sheet.text(2, 0, "All checks pass", "label_bold")
    sheet.put(2, 1, Cell(value=bool(all_ok), formula=summary, style="bool_big"))
    sheet.widths.update({0: 34, 1: 44, 2: 22, 3: 22, 4: 16, 5: 14})
    for y in range(T):
        sheet.widths.setdefault(2 + y, 14)
    sheet.freeze = (_HEAD + 1, 2)


def _icb_checks(sheet: Sheet, row: int, inp: Inputs, q: dict[str, np.ndarray], i: int, name: str,
                rows: dict[str, int]) -> None:
    """One ICB's row: base year untouched, base year balances, smallest WTE figure, none negative."""
    s = quote_sheet(name)

    def cell(key: str, y: int | None = 0) -> str:
        return f"{s}!{a1(rows[key], ONCE if y is None else YEAR0 + y)}"

    sheet.put(row, 0, Cell(value=inp.codes[i], style="code", link=f"internal:{s}!A1"))
    sheet.text(row, 1, inp.names[i])
    cost_base = float(q["cost_base_gbp"][i, 0])
    untouched = (_close(float(q["core_allowance_gbp"][i, 0]), cost_base)
                 and q["delegated_allowance_gbp"][i, 0] == 0 and q["required_delegated_wte"][i, 0] == 0)
    sheet.put(row, 2, Cell(
        value=bool(untouched), style="bool",
        formula=f"=AND({_within(cell('core'), cell('cost_base', None))},"
                f"{cell('delegated')}=0,{cell('required_delegated')}=0)"))
    aff, req = float(q["affordable_wte"][i, 0]), float(q["required_wte"][i, 0])
    cwb = float(q["employed_wte"][i, 0])
    balanced = (not untouched) or (_close(aff, req) and _close(req, cwb))
    sheet.put(row, 3, Cell(
        value=bool(balanced), style="bool",
        formula=f"=OR(NOT({a1(row, 2)}),AND({_within(cell('affordable'), cell('required'))},"
                f"{_within(cell('required'), cell('core_wte_base', None))}))"))
    T = len(inp.labels)
    spans = ",".join(f"{s}!{a1(rows[k], YEAR0)}:{a1(rows[k], YEAR0 + T - 1)}" for k in _WTE_ROWS)
    smallest = min(float(np.min(q[k][i])) for k in _WTE_KEYS)
    sheet.put(row, 4, Cell(value=smallest, formula=f"=MIN({spans})", style="wte",
                           scale=float(np.abs(q["required_wte"][i]).max())))
    sheet.put(row, 5, Cell(value=smallest >= 0, formula=f"={a1(row, 4)}>=0", style="bool"))


def _england_checks(sheet: Sheet, row: int, inp: Inputs, icb_sheets: list[str], rows: dict[str, int],
                    england_rows: dict[str, int]) -> tuple[int, int]:
    """England equals the sum of the ICB sheets, quantity by quantity and year by year; returns
    the first and last row of the checks."""
    sheet.text(row, 0, "England equals the sum of the ICB sheets", "section")
    row += 1
    sheet.text(row, 0, "Quantity", "header")
    for y, label in enumerate(inp.labels):
        sheet.text(row, 2 + y, label, "header_year")
    first = row + 1
    for n, key in enumerate(_ENGLAND_CHECKED):
        r = first + n
        sheet.text(r, 0, f"England: {key.replace('_', ' ')}", "label")
        for y in range(len(inp.labels)):
            eng = f"England!{a1(england_rows[key], YEAR0 + y)}"
            parts = ",".join(f"{quote_sheet(s)}!{a1(rows[key], YEAR0 + y)}" for s in icb_sheets)
            sheet.put(r, 2 + y, Cell(value=True, style="bool",
                                     formula=f"=ABS({eng}-SUM({parts}))<=check_tolerance*MAX(1,ABS({eng}))"))
    return first, first + len(_ENGLAND_CHECKED) - 1
