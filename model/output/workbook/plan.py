"""The plan of a workbook: cells, sheets and defined names in plain Python, and A1 references.

A :class:`Plan` is what :func:`~model.output.workbook.plan_workbook` lays out and
:func:`~model.output.workbook.write_workbook` writes; it needs no spreadsheet library. Rows and
columns are 0-based throughout; :func:`a1` turns them into the references formulas use.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache

import numpy as np

from model.periods import month_label, parse_month

ALLOWED_FUNCTIONS: tuple[str, ...] = (
    "ABS", "AND", "IF", "INDEX", "INT", "ISNUMBER", "LEFT", "MATCH", "MAX", "MIN", "MONTH", "NOT",
    "OR", "SUM", "VALUE", "YEAR",
)
"""Every spreadsheet function the workbook's formulas use: all behave the same in Excel and
LibreOffice, and none is volatile."""

NEVER = "never"
"""What a go-live cell holds for a function that never goes live."""
NO_ENVELOPE = "none"
"""What the envelope's effective-month cell holds when the scenario has no envelope."""

YEAR0 = 4
"""First year column (0-based) of the Inputs sheet and of every calculation sheet (column E)."""

EngineTag = tuple[str, str | None, int]
"""The engine figure a cell shows: ``(key, place, year index)``; the place is an organisation's
code on the workbook's footprint, ``piece:LABEL`` (a piece, the engine's atom), ``org:CODE`` (an
organisation in the years it exists) or None for England."""

_EXCEL_EPOCH = dt.date(1899, 12, 30)
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\\x00-\x1f]")
RESERVED_SHEETS: tuple[str, ...] = ("About", "Inputs", "England", "Checks", "Other organisations", "History")
"""Sheet names an organisation's sheet may not take (Excel keeps History for itself)."""
_FUNCTION_RE = re.compile(r"([A-Z][A-Z0-9.]*)\(")


@dataclass
class Cell:
    """One cell of the plan.

    ``value`` is the constant written, or for a formula the value it should evaluate to (written
    as the cached result), in the unit of its row (£, WTE, persons, a fraction...). ``scale`` is
    the magnitude of the quantities the row is built from, in the same unit: comparisons allow
    ``1e-9 * max(|value|, scale)``, because a difference of two large figures (a WTE gap) cannot
    be more exact than the figures themselves. ``engine`` names the engine figure the cell shows.
    """

    value: object = None
    formula: str | None = None
    style: str = "text"
    input: bool = False
    comment: str | None = None
    link: str | None = None
    scale: float = 1.0
    engine: EngineTag | None = None


@dataclass
class Sheet:
    """One worksheet of the plan: cells keyed by 0-based (row, column), column widths in
    characters, the frozen (row, column), drop-down choices and the kind (calc, inputs, text)."""

    name: str
    cells: dict[tuple[int, int], Cell] = field(default_factory=dict)
    widths: dict[int, float] = field(default_factory=dict)
    freeze: tuple[int, int] | None = None
    choices: list[tuple[int, int, tuple[str, ...]]] = field(default_factory=list)
    kind: str = "calc"

    def put(self, row: int, col: int, cell: Cell) -> None:
        """Place a cell; a position may be laid out only once."""
        if (row, col) in self.cells:
            raise ValueError(f"{self.name}!{a1(row, col)} laid out twice")
        self.cells[(row, col)] = cell

    def text(self, row: int, col: int, text: object, style: str = "text") -> None:
        """Place a constant (text, or any value) with a style."""
        self.put(row, col, Cell(value=text, style=style))

    def formulas(self) -> dict[tuple[int, int], Cell]:
        """The cells that hold a formula."""
        return {pos: cell for pos, cell in self.cells.items() if cell.formula is not None}


@dataclass
class Plan:
    """A whole workbook: sheets in order, the defined names (name -> ``=Sheet!$A$1``), the
    scenario's name, the sheet of each organisation's code (on ``footprint``), and where each
    engine input sits on the Inputs sheet (``(parameter path, defined name)`` in sheet order)."""

    sheets: list[Sheet]
    names: dict[str, str]
    scenario: str
    icb_sheets: dict[str, str]
    input_names: tuple[tuple[str, str], ...] = ()
    footprint: str = ""

    def sheet(self, name: str) -> Sheet:
        """The sheet of a name; KeyError if there is none."""
        for sheet in self.sheets:
            if sheet.name == name:
                return sheet
        raise KeyError(name)

    def formula_count(self) -> int:
        """How many cells of the workbook hold a formula."""
        return sum(len(sheet.formulas()) for sheet in self.sheets)


@cache
def col_name(col: int) -> str:
    """Spreadsheet column letters of a 0-based column (0 -> A, 26 -> AA); kept once worked out
    (a workbook refers to a few dozen columns some 100,000 times)."""
    name = ""
    col += 1
    while col:
        col, rem = divmod(col - 1, 26)
        name = chr(65 + rem) + name
    return name


def a1(row: int, col: int, absolute: bool = False) -> str:
    """A1 reference of a 0-based (row, column); ``absolute`` gives ``$A$1``."""
    if absolute:
        return f"${col_name(col)}${row + 1}"
    return f"{col_name(col)}{row + 1}"


def quote_sheet(name: str) -> str:
    """A sheet name as formulas write it: always quoted (ICB codes such as QE1 look like cells)."""
    return "'" + name.replace("'", "''") + "'"


def safe_sheet_name(name: str) -> str:
    """A name a spreadsheet accepts for a sheet: ``[]:*?/\\`` and control characters replaced by
    ``_``, no apostrophe at either end, not empty, at most 31 characters."""
    return _SHEET_FORBIDDEN.sub("_", name).strip("'")[:31].strip("'") or "Sheet"


def sheet_names(codes: Sequence[str], reserved: Sequence[str] = RESERVED_SHEETS) -> dict[str, str]:
    """A sheet name for each code: :func:`safe_sheet_name`, made unique (ignoring case, and apart
    from ``reserved``) by a suffix ``~2``, ``~3``... The About sheet lists which code each sheet
    stands for."""
    taken = {name.lower() for name in reserved}
    names = {}
    for code in codes:
        base = name = safe_sheet_name(code)
        n = 1
        while name.lower() in taken:
            n += 1
            name = base[:31 - len(f"~{n}")] + f"~{n}"
        taken.add(name.lower())
        names[code] = name
    return names


def month_serial(month: str | float) -> float:
    """The spreadsheet date (days since 1899-12-30) of the first day of a month.

    ``month`` is ``YYYY-MM`` or a month count (year * 12 + month - 1).
    """
    count = parse_month(month) if isinstance(month, str) else int(month)
    year, index = divmod(count, 12)
    if not 1901 <= year <= 9998:
        raise ValueError(f"month {month_label(count)} is outside what a spreadsheet date can hold")
    return float((dt.date(year, index + 1, 1) - _EXCEL_EPOCH).days)


def month_cell(month: str | None) -> object:
    """What a go-live cell holds: the month's spreadsheet date, or the word ``never`` for None."""
    return NEVER if month is None else month_serial(month)


def plain(value: object) -> object:
    """A numpy scalar as the Python float or bool a cell holds; anything else unchanged."""
    if isinstance(value, (np.floating, np.integer)):
        return float(value)
    if isinstance(value, np.bool_):
        return bool(value)
    return value


def functions_used(formula: str) -> set[str]:
    """Spreadsheet function names a formula calls (text in double quotes ignored)."""
    bare = re.sub(r'"[^"]*"', '""', formula)
    bare = re.sub(r"'[^']*'!", "X!", bare)
    return set(_FUNCTION_RE.findall(bare))
