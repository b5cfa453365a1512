"""What every calculation sheet shares: its columns, its header, a builder that lays it out one
quantity per row, scopes for the rows of one piece or organisation, references to rows on other
sheets, and the rows each sheet starts with (time, prices and the rules' national terms).

Columns: **A** label, **B** unit, **C** SPEC symbol, **D** quantities with one value (a piece's
base-year RCA, a function's go-live year...), **E...** the years. Every figure is a formula; each
cell's expected value (its cached result) is worked out beside it, from the engine's run or from
the same arithmetic.

A row of another piece or organisation, which may sit on another sheet or further down, is
written as a placeholder (:meth:`Registry.ref`) and resolved once every sheet is laid out
(:func:`resolve`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import numpy as np

from model.output.workbook.inputs_layout import InputsRefs
from model.output.workbook.plan import YEAR0, Cell, EngineTag, Sheet, a1, plain, quote_sheet

LABEL, UNIT, SYMBOL, ONCE = 0, 1, 2, 3
"""Columns of the calculation sheets (0-based): label, unit, symbol, one value."""
HEADER_ROW = 4
"""Row (0-based) of the year header on every calculation sheet; quantities start below it."""

Tagger = Callable[[str], Callable[[int], EngineTag] | None]
"""Given an engine key, the engine tag of each year's cell (None: the cells show no engine figure)."""

_PLACEHOLDER = re.compile(r"«([^|»]+)\|([^|»]+)\|(-?\d+)»")


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

    def section(self, title: str, style: str = "section") -> None:
        """A blank row, then a section title."""
        self.row += 1
        self.sheet.text(self.row, LABEL, title, style)
        self.row += 1

    def note(self, text: str) -> None:
        """A line of explanation in the label column."""
        self.sheet.text(self.row, LABEL, text, "note")
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
        """A quantity with one value, in column D: its formula and expected value."""
        row = self._label(key, label, unit, symbol)
        self._values[key] = plain(value)
        self.sheet.put(row, ONCE, Cell(value=plain(value), formula=formula, style=style, scale=scale,
                                       engine=engine))

    def years(self, key: str, label: str, unit: str, symbol: str, formula: Callable[[int], str],
              values: Sequence[Any] | np.ndarray, style: str, scale: float = 1.0,
              engine: Callable[[int], EngineTag] | None = None, only: Iterable[int] | None = None) -> None:
        """A quantity with a value per year (or only in the years ``only``): each year's formula
        and expected value."""
        row = self._label(key, label, unit, symbol)
        self._values[key] = values
        for y in range(self.T) if only is None else only:
            self.sheet.put(row, YEAR0 + y, Cell(value=plain(values[y]), formula=formula(y), style=style,
                                                scale=scale, engine=engine(y) if engine else None))

    def value(self, key: str) -> Any:
        """The expected value a row above was laid out with (a number, or the values by year)."""
        return self._values[key]

    def at(self, key: str, y: int) -> str:
        """This sheet's cell of a per-year row in year ``y``."""
        return a1(self.where[key], YEAR0 + y)

    def one(self, key: str) -> str:
        """This sheet's cell of a one-value row (column D), fixed."""
        return a1(self.where[key], ONCE, True)

    def base(self, key: str) -> str:
        """A per-year row's base-year cell, fixed."""
        return a1(self.where[key], YEAR0, True)

    def span(self, key: str) -> str:
        """A per-year row's cells across the horizon, fixed (for INDEX)."""
        row = self.where[key]
        return f"{a1(row, YEAR0, True)}:{a1(row, YEAR0 + self.T - 1, True)}"


class Registry:
    """Where each owner's rows sit (owner: a piece ``a<atom>``, an organisation ``o<index>``, a
    unit ``u<index>``, England ``eng``), so that any sheet can refer to them; ``n_years`` is the
    horizon's length."""

    def __init__(self, n_years: int) -> None:
        self.rows: dict[tuple[str, str], tuple[str, int]] = {}
        self.n_years = n_years

    def put(self, owner: str, key: str, sheet: str, row: int) -> None:
        self.rows[(owner, key)] = (sheet, row)

    @staticmethod
    def ref(owner: str, key: str, y: int | None) -> str:
        """A placeholder for an owner's row in year ``y`` (None: its one-value cell)."""
        return f"«{owner}|{key}|{-1 if y is None else y}»"

    @staticmethod
    def span(owner: str, key: str) -> str:
        """A placeholder for an owner's row across the horizon."""
        return f"«{owner}|{key}|-2»"

    def cell(self, owner: str, key: str, y: int, here: str) -> str:
        """The reference a placeholder stands for, seen from sheet ``here`` (``y``: a year, -1 the
        one-value cell, -2 the whole row)."""
        sheet, row = self.rows[(owner, key)]
        if y == -2:
            cell = f"{a1(row, YEAR0, True)}:{a1(row, YEAR0 + self.n_years - 1, True)}"
        else:
            cell = a1(row, ONCE, True) if y == -1 else a1(row, YEAR0 + y)
        return cell if sheet == here else f"{quote_sheet(sheet)}!{cell}"


def resolve(sheets: Iterable[Sheet], registry: Registry) -> None:
    """Replace every placeholder in the sheets' formulas by its cell reference."""
    for sheet in sheets:
        def one(match: re.Match[str], here: str = sheet.name) -> str:
            return registry.cell(match.group(1), match.group(2), int(match.group(3)), here)

        for cell in sheet.cells.values():
            if cell.formula is not None and "«" in cell.formula:
                cell.formula = _PLACEHOLDER.sub(one, cell.formula)


class Scope:
    """The rows of one owner (a piece, an organisation or a unit) on a calculation sheet: keys
    are prefixed so that several owners share a sheet, and each row is registered so that other
    sheets can refer to it."""

    def __init__(self, c: Calc, owner: str, registry: Registry) -> None:
        self.c, self.owner, self.registry = c, owner, registry

    def _key(self, name: str) -> str:
        return f"{self.owner}.{name}"

    def once(self, name: str, *args: Any, **kwargs: Any) -> None:
        self.c.once(self._key(name), *args, **kwargs)
        self.registry.put(self.owner, name, self.c.sheet.name, self.c.where[self._key(name)])

    def years(self, name: str, *args: Any, **kwargs: Any) -> None:
        self.c.years(self._key(name), *args, **kwargs)
        self.registry.put(self.owner, name, self.c.sheet.name, self.c.where[self._key(name)])

    def has(self, name: str) -> bool:
        return self._key(name) in self.c.where

    def value(self, name: str) -> Any:
        return self.c.value(self._key(name))

    def at(self, name: str, y: int) -> str:
        return self.c.at(self._key(name), y)

    def one(self, name: str) -> str:
        return self.c.one(self._key(name))

    def base(self, name: str) -> str:
        return self.c.base(self._key(name))

    def span(self, name: str) -> str:
        return self.c.span(self._key(name))


def magnitudes(q: dict[str, np.ndarray]) -> tuple[float, float]:
    """The largest pounds (£: allowance, cost base, required cost) and the largest staff figure
    (WTE: required, affordable, employed) among figures by year: the scale that rows of pounds
    and of WTE are compared at."""
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
