"""What every calculation sheet (each ICB's, and England's) shares: its columns, its header, a
builder that lays it out one quantity per row, and the rows it starts with (time and prices).

Columns: **A** label, **B** unit, **C** SPEC symbol, **D** quantities with one value per ICB,
**E...** the years. Every figure is a formula; each cell's expected value (its cached result) is
worked out beside it, from the engine's run or from the same arithmetic.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from model import engine
from model.engine.inputs import Inputs
from model.output.workbook.inputs_layout import InputsRefs
from model.output.workbook.plan import YEAR0, Cell, EngineTag, Sheet, a1, plain
from model.periods import parse_year

LABEL, UNIT, SYMBOL, ONCE = 0, 1, 2, 3
"""Columns of the calculation sheets (0-based): label, unit, symbol, one value per ICB."""
HEADER_ROW = 4
"""Row (0-based) of the year header on every calculation sheet; quantities start below it."""

Tagger = Callable[[str], Callable[[int], EngineTag] | None]
"""Given an engine key, the engine tag of each year's cell (None: the cells show no engine figure)."""


class Calc:
    """Lays out a calculation sheet top to bottom, one quantity per row.

    ``where`` holds the row of each quantity by key, and :meth:`value` the value it was laid out
    with, so that a row below can refer to it (in a formula) and compute with it (its expected
    value) alike.
    """

    def __init__(self, sheet: Sheet, n_years: int, first_row: int) -> None:
        self.sheet = sheet
        self.T = n_years
        self.row = first_row
        self.where: dict[str, int] = {}
        self._values: dict[str, Any] = {}

    def section(self, title: str) -> None:
        """A blank row, then a section title."""
        self.row += 1
        self.sheet.text(self.row, LABEL, title, "section")
        self.row += 1

    def _label(self, key: str, label: str, unit: str, symbol: str) -> int:
        if key in self.where:
            raise ValueError(f"row {key} laid out twice")
        row = self.row
        self.where[key] = row
        self.sheet.text(row, LABEL, label, "label")
        self.sheet.text(row, UNIT, unit, "unit")
        if symbol:
            self.sheet.text(row, SYMBOL, symbol, "symbol")
        self.row += 1
        return row

    def once(self, key: str, label: str, unit: str, symbol: str, formula: str, value: object, style: str,
             scale: float = 1.0, engine: EngineTag | None = None) -> None:
        """A quantity with one value per ICB, in column D: its formula and expected value."""
        row = self._label(key, label, unit, symbol)
        self._values[key] = plain(value)
        self.sheet.put(row, ONCE, Cell(value=plain(value), formula=formula, style=style, scale=scale,
                                       engine=engine))

    def years(self, key: str, label: str, unit: str, symbol: str, formula: Callable[[int], str],
              values: Sequence[float] | np.ndarray, style: str, scale: float = 1.0,
              engine: Callable[[int], EngineTag] | None = None) -> None:
        """A quantity with a value per year: each year's formula and expected value."""
        row = self._label(key, label, unit, symbol)
        self._values[key] = values
        for y in range(self.T):
            self.sheet.put(row, YEAR0 + y, Cell(value=plain(values[y]), formula=formula(y), style=style,
                                                scale=scale, engine=engine(y) if engine else None))

    def value(self, key: str) -> Any:
        """The expected value a row above was laid out with (a number, or the values by year)."""
        return self._values[key]

    def at(self, key: str, y: int) -> str:
        """This sheet's cell of a per-year row in year ``y``."""
        return a1(self.where[key], YEAR0 + y)

    def one(self, key: str) -> str:
        """This sheet's cell of a once-per-ICB row (column D), fixed."""
        return a1(self.where[key], ONCE, True)

    def base(self, key: str) -> str:
        """A per-year row's base-year cell, fixed."""
        return a1(self.where[key], YEAR0, True)

    def span(self, key: str) -> str:
        """A per-year row's cells across the horizon, fixed (for INDEX)."""
        row = self.where[key]
        return f"{a1(row, YEAR0, True)}:{a1(row, YEAR0 + self.T - 1, True)}"


def magnitudes(q: dict[str, np.ndarray]) -> tuple[float, float]:
    """The largest pounds (£: allowance, cost base, required cost) and the largest staff figure
    (WTE: required, affordable, employed) among additive figures by year: the scale that rows of
    pounds and of WTE are compared at."""
    money = float(max(np.abs(q["allowance_gbp"]).max(), np.abs(q["cost_base_gbp"]).max(),
                      np.abs(q["required_cost_gbp"]).max()))
    staff = float(max(np.abs(q["required_wte"]).max(), np.abs(q["affordable_wte"]).max(),
                      np.abs(q["employed_wte"]).max()))
    return money, staff


def calc_sheet(sheet: Sheet, title: str, subtitle: str, refs: InputsRefs, labels: Sequence[str]) -> Calc:
    """Title, subtitle and the header row (years across, from Inputs) of a calculation sheet, and
    the builder that lays out its rows below the header."""
    T = len(labels)
    sheet.text(0, 0, title, "title")
    sheet.text(1, 0, subtitle, "note")
    sheet.text(HEADER_ROW, LABEL, "Quantity", "header")
    sheet.text(HEADER_ROW, UNIT, "Unit", "header")
    sheet.text(HEADER_ROW, SYMBOL, "SPEC symbol", "header")
    sheet.text(HEADER_ROW, ONCE, "One value", "header_year")
    for y in range(T):
        sheet.put(HEADER_ROW, YEAR0 + y, Cell(value=labels[y], formula=f"={refs.year_label(y)}",
                                              style="header_year"))
    sheet.widths.update({LABEL: 62, UNIT: 13, SYMBOL: 24, ONCE: 14})
    for y in range(T):
        sheet.widths[YEAR0 + y] = 14
    sheet.freeze = (HEADER_ROW + 1, YEAR0)
    return Calc(sheet, T, HEADER_ROW + 1)


def time_and_prices(c: Calc, refs: InputsRefs, inp: Inputs, out: dict[str, np.ndarray], tag: Tagger) -> None:
    """Rows every calculation sheet starts with: the year, t, and the national price indices
    (pay, cost of a WTE in £, non-pay, GDP deflator, the cost of running an ICB, the deflator)."""
    T = c.T
    base = parse_year(inp.labels[0])
    starts = np.arange(T, dtype=float) + base
    c.years("year_start", "Financial year starts in April of", "year", "", lambda y: f"={refs.year_start(y)}",
            starts, "year")
    c.years("t", "Years from the base year", "years", "t", lambda y: f"={c.at('year_start', y)}-{c.base('year_start')}",
            np.arange(T, dtype=float), "int")

    c.section("Price indices (SPEC section 3; all 1 in the base year)")
    c.years("pay_index", "Pay index: pay awards compounded", "index", "pay_index[t]",
            lambda y: "=1" if y == 0 else f"={c.at('pay_index', y - 1)}*(1+{refs.series('inflation.pay_award', y)})",
            out["pay_index"][0, 0], "index", engine=tag("pay_index"))
    c.years("loaded_cost", "Cost of a WTE: salary x pay index x (1 + on-cost rate)", "£ per WTE", "loaded_cost[t]",
            lambda y: f"=salary_per_wte*{c.at('pay_index', y)}*(1+{refs.series('inflation.oncost_rate', y)})",
            out["loaded_cost_per_wte_gbp"][0, 0], "gbp2", scale=float(out["loaded_cost_per_wte_gbp"][0, 0].max()),
            engine=tag("loaded_cost_per_wte_gbp"))
    c.years("nonpay_index", "Non-pay index: non-pay inflation compounded", "index", "nonpay_index[t]",
            lambda y: "=1" if y == 0 else
            f"={c.at('nonpay_index', y - 1)}*(1+{refs.series('inflation.nonpay_inflation', y)})",
            out["nonpay_index"][0, 0], "index", engine=tag("nonpay_index"))
    gdp = engine.compound(inp.values["inflation.gdp_deflator"][0].copy())
    c.years("gdp_index", "GDP deflator index: GDP deflator growth compounded", "index", "prod(1+gdp_deflator)",
            lambda y: "=1" if y == 0 else
            f"={c.at('gdp_index', y - 1)}*(1+{refs.series('inflation.gdp_deflator', y)})", gdp, "index")
    loaded = out["loaded_cost_per_wte_gbp"][0, 0]
    pay_share = float(inp.values["baseline.pay_share"][0])
    cost_index = pay_share * loaded / loaded[0] + (1.0 - pay_share) * out["nonpay_index"][0, 0]
    c.years("cost_index", "Cost of running an ICB: pay share x loaded-cost index + (1 - pay share) x non-pay index",
            "index", "cost deflator",
            lambda y: f"=pay_share*{c.at('loaded_cost', y)}/{c.base('loaded_cost')}"
                      f"+(1-pay_share)*{c.at('nonpay_index', y)}", cost_index, "index")
    c.years("deflator", "Deflator used for real terms (Inputs: real terms measured against)", "index", "deflator[t]",
            lambda y: f'=IF(real_terms_index="gdp_deflator",{c.at("gdp_index", y)},{c.at("cost_index", y)})',
            out["deflator"][0, 0], "index", engine=tag("deflator"))


def ratio_rows(c: Calc, ratios: dict[str, np.ndarray], tag: Tagger) -> None:
    """The ratios, worked out from the rows above rather than summed: real change and core real
    change against the cost base (fractions), and the allowance per head (£ per head)."""
    c.years("real_change", "Real change against the cost base: real allowance / cost base - 1", "fraction",
            "real_change_vs_base", lambda y: f"={c.at('allowance_real', y)}/{c.one('cost_base')}-1",
            ratios["real_change_vs_base"], "pct", engine=tag("real_change_vs_base"))
    c.years("core_real_change", "Real change of the core allowance against the cost base", "fraction",
            "core_real_change_vs_base", lambda y: f"={c.at('core_real', y)}/{c.one('cost_base')}-1",
            ratios["core_real_change_vs_base"], "pct", engine=tag("core_real_change_vs_base"))
    per_head = ratios["allowance_per_head_gbp"]
    c.years("per_head", "Allowance per head: allowance / population", "£ per head", "allowance_per_head_gbp",
            lambda y: f"={c.at('allowance', y)}/{c.at('population', y)}", per_head, "gbp2",
            scale=float(np.abs(per_head).max()), engine=tag("allowance_per_head_gbp"))
