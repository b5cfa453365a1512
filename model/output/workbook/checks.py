"""The Checks sheet: live TRUE/FALSE checks that the workbook holds together.

Per organisation of the footprint: the base year is untouched, the base-year organisations it
comes from balance in it (affordable = required = employed, each as one staff pool: a restated
organisation's own base-year figures need not balance when a later published figure weighs its
pieces differently from the organisation they then belonged to), and no WTE figure is negative.
Per year: England equals the sum of the organisations' sheets. Per published figure: the
organisation's allowance less programme pay equals it. Per organisation change: the shares of
each old organisation add up to 1. Cell B3 is TRUE when every check passes. Figures count as
equal within ``check_tolerance`` (an input, relative).
"""

from __future__ import annotations

import numpy as np

from model.output.workbook.calc import Registry
from model.output.workbook.calc_sheets import Laid
from model.output.workbook.piece_rows import org_owner
from model.output.workbook.plan import Cell, Sheet, a1, quote_sheet

CHECK_TOLERANCE = 1e-9
"""Relative tolerance of the Checks sheet (an input on the Inputs sheet, ``check_tolerance``)."""

_HEAD = 4
"""Row (0-based) of the header of the per-organisation checks; one row per organisation follows."""
_WTE: tuple[str, ...] = ("affordable_wte", "required_wte", "required_core_wte", "required_delegated_wte",
                         "employed_wte", "arrivals_wte", "attrition_wte", "redundancies_wte")
"""WTE figures that must not be negative."""
_ENGLAND_CHECKED: tuple[str, ...] = ("population", "allowance_gbp", "core_allowance_gbp", "delegated_allowance_gbp",
                                     "nonpay_cost_gbp", "affordable_wte", "required_wte", "employed_wte",
                                     "redundancies_wte", "redundancy_cost_gbp", "funding_gap_gbp")
"""England's figures checked against the sum of the organisations' sheets."""


def _close(a: float, b: float, tol: float = CHECK_TOLERANCE) -> bool:
    """As the Checks sheet's formulas test it: ``ABS(a-b) <= tol * MAX(1, ABS(b))``."""
    return abs(a - b) <= tol * max(1.0, abs(b))


def _within(a: str, b: str) -> str:
    """The formula text of :func:`_close` for two cell references."""
    return f"ABS({a}-{b})<=check_tolerance*MAX(1,ABS({b}))"


def checks_sheet(laid: Laid) -> Sheet:
    """Lay out the Checks sheet."""
    sheet = Sheet("Checks")
    T = len(laid.spec.inputs.labels)
    sheet.text(0, 0, "Checks: TRUE when the workbook holds together", "title")
    sheet.text(1, 0, "Each check is live: it recalculates when an input changes. Tolerance: Inputs, "
                     "check_tolerance (relative).", "note")
    titles = ("Organisation", "Name", "Base year untouched (no cut, envelope or live delegation in it)",
              "Base year balances: affordable = required = employed, in the base-year organisations it "
              "comes from", "Smallest WTE figure on the sheet",
              "No negative WTE")
    for col, title in enumerate(titles):
        sheet.text(_HEAD, col, title, "header_wrap")
    units = laid.spec.structure.units
    for u, code in enumerate(units):
        _unit_checks(laid, sheet, _HEAD + 1 + u, u, code)
    last = _HEAD + len(units)
    ranges = [f"{a1(_HEAD + 1, 3)}:{a1(last, 3)}", f"{a1(_HEAD + 1, 5)}:{a1(last, 5)}"]
    row = last + 2
    for part in (_england_checks, _published_checks, _share_checks):
        row, found = part(laid, sheet, row)
        ranges += found
    cells = [c.value for (r, col), c in sheet.cells.items()
             if c.style == "bool" and (r > last or (r > _HEAD and col in (3, 5)))]
    sheet.text(2, 0, "All checks pass", "label_bold")
    sheet.put(2, 1, Cell(value=all(cells), formula=f"=AND({','.join(ranges)})", style="bool_big"))
    sheet.widths.update({0: 34, 1: 44, 2: 22, 3: 22, 4: 16, 5: 14})
    for y in range(T):
        sheet.widths.setdefault(2 + y, 14)
    sheet.freeze = (_HEAD + 1, 2)
    return sheet


def _unit_checks(laid: Laid, sheet: Sheet, row: int, u: int, code: str) -> None:
    """One organisation's row: base year untouched, base year balances, smallest WTE figure, none
    negative."""
    owner, q = f"u{u}", laid.units
    index = laid.spec.inputs.footprint(laid.spec.structure.footprint).codes.index(code)

    def cell(key: str, y: int | None = 0) -> str:
        return Registry.ref(owner, key, y)

    sheet.put(row, 0, Cell(value=code, style="code", link=f"internal:{quote_sheet(laid.unit_sheets[code])}!A1"))
    sheet.text(row, 1, laid.spec.structure.unit_names[code][0])
    cost_base = float(q["cost_base_gbp"][index, 0])
    untouched = (_close(float(q["core_allowance_gbp"][index, 0]), cost_base)
                 and q["delegated_allowance_gbp"][index, 0] == 0 and q["required_delegated_wte"][index, 0] == 0)
    sheet.put(row, 2, Cell(value=bool(untouched), style="bool",
                           formula=f"=AND({_within(cell('core_allowance_gbp'), cell('cost_base_gbp', None))},"
                                   f"{cell('delegated_allowance_gbp')}=0,{cell('required_delegated_wte')}=0)"))
    balanced, within = True, []
    for org in _base_year_sources(laid, code):
        pool, at = laid.pools[org], org_owner(laid.spec.structure, org)
        aff, req, emp = (float(pool[key][0]) for key in ("affordable", "required_wte", "employed"))
        balanced = balanced and _close(aff, req) and _close(req, emp)
        aff_ref, req_ref, emp_ref = (Registry.ref(at, key, 0) for key in ("affordable", "required", "employed"))
        within += [_within(aff_ref, req_ref), _within(req_ref, emp_ref)]
    sheet.put(row, 3, Cell(value=(not untouched) or balanced, style="bool",
                           formula=f"=OR(NOT({a1(row, 2)}),AND({','.join(within)}))"))
    smallest = min(float(np.min(q[key][index])) for key in _WTE)
    sheet.put(row, 4, Cell(value=smallest, formula="=MIN(" + ",".join(Registry.span(owner, key) for key in _WTE) + ")",
                           style="wte", scale=float(np.abs(q["required_wte"][index]).max())))
    sheet.put(row, 5, Cell(value=smallest >= 0, formula=f"={a1(row, 4)}>=0", style="bool"))


def _base_year_sources(laid: Laid, code: str) -> list[str]:
    """The organisations of the base year that a unit's pieces belonged to, in order."""
    return list(dict.fromkeys(piece.orgs[0] for piece in laid.spec.structure.pieces_of(code)))


def _england_checks(laid: Laid, sheet: Sheet, row: int) -> tuple[int, list[str]]:
    """England equals the sum of the organisations' sheets, figure by figure and year by year."""
    labels, units = laid.spec.inputs.labels, laid.spec.structure.units
    sheet.text(row, 0, "England equals the sum of the organisations' sheets", "section")
    row += 1
    sheet.text(row, 0, "Figure", "header")
    for y, label in enumerate(labels):
        sheet.text(row, 2 + y, label, "header_year")
    first = row + 1
    for n, key in enumerate(_ENGLAND_CHECKED):
        r = first + n
        sheet.text(r, 0, f"England: {key}", "label")
        for y in range(len(labels)):
            eng = Registry.ref("eng", key, y)
            parts = ",".join(Registry.ref(f"u{u}", key, y) for u in range(len(units)))
            sheet.put(r, 2 + y, Cell(value=True, style="bool",
                                     formula=f"=ABS({eng}-SUM({parts}))<=check_tolerance*MAX(1,ABS({eng}))"))
    last = first + len(_ENGLAND_CHECKED) - 1
    return last + 2, [f"{a1(first, 2)}:{a1(last, 2 + len(labels) - 1)}"]


def _published_checks(laid: Laid, sheet: Sheet, row: int) -> tuple[int, list[str]]:
    """Each organisation's allowance less programme pay equals its published figure (where the
    figures are used)."""
    orgs = [(n, org) for n, org in enumerate(laid.spec.structure.organisations) if org.published]
    if not orgs:
        return row, []
    sheet.text(row, 0, "Published allowances are met: allowance less programme pay = the figure", "section")
    found = []
    for n, org in orgs:
        row += 1
        owner = f"o{n}"
        sheet.text(row, 0, f"{org.code}: {org.name}", "label")
        pool = laid.pools[org.code]
        for t in org.published:
            allowance, programme, figure = (Registry.ref(owner, key, t)
                                            for key in ("allowance", "programme", "figure"))
            value = _close(float(pool["allowance_gbp"][t] - pool["programme_pay_allowance_gbp"][t]),
                           laid.sol.figures[(org.code, t)])
            met = _within(f"{allowance}-{programme}", figure)
            sheet.put(row, 2 + t, Cell(value=value, style="bool", formula=f"=OR(NOT(use_published),{met})"))
            found.append(a1(row, 2 + t))
    return row + 2, found


def _share_checks(laid: Laid, sheet: Sheet, row: int) -> tuple[int, list[str]]:
    """The shares of each old organisation of each change add up to 1."""
    share_rows = laid.spec.structure.share_rows
    groups: dict[tuple[int, str], list[int]] = {}
    for n, share_row in enumerate(share_rows):
        groups.setdefault((share_row.change, share_row.old), []).append(n)
    if not groups:
        return row, []
    sheet.text(row, 0, "Organisation changes: the shares of each old organisation add up to 1", "section")
    found = []
    for (_change, old), rows in groups.items():
        row += 1
        sheet.text(row, 0, f"From {share_rows[rows[0]].effective}: {old}", "label")
        total = sum(share_rows[n].share for n in rows)
        cells = "+".join(f"Inputs!{laid.refs.share_cells[n]}" for n in rows)
        sheet.put(row, 2, Cell(value=abs(total - 1.0) <= CHECK_TOLERANCE, style="bool",
                               formula=f"=ABS({cells}-1)<=check_tolerance"))
        found.append(a1(row, 2))
    return row + 2, found
