"""The England sheet: the sum of the ICB sheets, with the ratios worked out again from the sums.

Pounds (£), WTE and population (persons) are sums, cell by cell, of the same row on every ICB
sheet; the price indices are national and laid out as on an ICB sheet.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

import numpy as np

from model import engine
from model.engine.inputs import Inputs
from model.output.workbook.calc import (
    LABEL,
    ONCE,
    SYMBOL,
    UNIT,
    calc_sheet,
    magnitudes,
    ratio_rows,
    time_and_prices,
)
from model.output.workbook.inputs_layout import InputsRefs
from model.output.workbook.plan import YEAR0, EngineTag, Sheet, a1, quote_sheet
from model.schema import FUNCTIONS

ENGLAND_SUMS: dict[str, str] = {
    # engine key -> ICB sheet row key, in the order the England sheet shows them
    "population": "population",
    "programme_pay_allowance_gbp": "programme",
    "core_allowance_gbp": "core",
    **{f"delegated_allowance_{f}_gbp": f"{f}_allowance" for f in FUNCTIONS},
    "delegated_allowance_gbp": "delegated",
    "allowance_gbp": "allowance",
    "required_core_wte": "required_core",
    **{f"required_delegated_wte_{f}": f"{f}_required" for f in FUNCTIONS},
    "required_delegated_wte": "required_delegated",
    "required_wte": "required",
    "nonpay_cost_gbp": "nonpay_cost",
    "required_cost_gbp": "required_cost",
    "affordable_wte": "affordable",
    "wte_gap": "wte_gap",
    "funding_gap_gbp": "funding_gap",
    "core_capacity_wte": "core_capacity",
    "employed_wte": "employed",
    "arrivals_wte": "arrivals",
    "attrition_wte": "attrition",
    "redundancies_wte": "redundancies",
    "redundancy_cost_gbp": "redundancy_cost",
    "allowance_real_gbp": "allowance_real",
    "core_allowance_real_gbp": "core_real",
}
"""Each summed quantity: the engine's key and the row key of the ICB sheets it sums."""


def _england_tag(key: str) -> Callable[[int], EngineTag]:
    """The engine tag of each year's cell of an England figure."""
    return lambda y: (key, None, y)


def england_sheet(sheet: Sheet, refs: InputsRefs, inp: Inputs, out: dict[str, np.ndarray],
                  icb_sheets: list[str], first_icb: Sheet, rows: dict[str, int], spec_name: str) -> dict[str, int]:
    """Lay out England as the sum of the ICB sheets (``rows``: the row of each quantity on them;
    ``first_icb``: one of them, whose labels, units and styles England repeats). Returns the row
    of each quantity on England."""
    c = calc_sheet(sheet, "England: the sum of the ICB sheets",
                   f"Scenario {spec_name}. Pounds, WTE and population are sums of the {len(icb_sheets)} ICB "
                   "sheets; ratios are recomputed from the sums.", refs, inp.labels)
    time_and_prices(c, refs, inp, out, _england_tag)
    totals = {key: out[key][0].sum(axis=0) for key in engine.ADDITIVE}
    money, staff = magnitudes(totals)

    def total(row_key: str, y: int | None) -> str:
        col = ONCE if y is None else YEAR0 + y
        return "=SUM(" + ",".join(f"{quote_sheet(s)}!{a1(rows[row_key], col)}" for s in icb_sheets) + ")"

    def label_of(row_key: str) -> tuple[str, str, str]:
        cells = first_icb.cells
        symbol = cells.get((rows[row_key], SYMBOL))
        return (str(cells[(rows[row_key], LABEL)].value), str(cells[(rows[row_key], UNIT)].value),
                "" if symbol is None else str(symbol.value))

    c.section("Sums of the ICB sheets")
    for key, row_key in ENGLAND_SUMS.items():
        label, unit, symbol = label_of(row_key)
        style = first_icb.cells[(rows[row_key], YEAR0)].style
        scale = staff if unit == "WTE" else money if unit.startswith("£") else float(np.abs(totals[key]).max())
        c.years(row_key, label, unit, symbol, partial(total, row_key), totals[key], style,
                scale=scale, engine=_england_tag(key))
        if key == "population":
            label, unit, symbol = label_of("cost_base")
            c.once("cost_base", label, unit, symbol, total("cost_base", None), totals["cost_base_gbp"][0], "gbp",
                   scale=money, engine=("cost_base_gbp", None, 0))
    c.section("Ratios recomputed from the sums")
    ratio_rows(c, engine.ratios(totals), _england_tag)
    return dict(c.where)
