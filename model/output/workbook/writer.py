"""Writing a plan as an .xlsx file with xlsxwriter: values, formulas with their cached
results, styles, comments, links, column widths, drop-downs and defined names.

Two details:

- Text is always written as text. A text cell that starts with ``=``, ``+``, ``-``, ``@``, a tab
  or a carriage return (scenario names, descriptions, notes and sources are the user's text) also
  gets Excel's "quote prefix", so that editing the cell never turns it into a formula (OWASP's
  formula injection).
- Formulas go in as written. xlsxwriter rewrites each formula for Excel's newer functions (some
  30 regular-expression passes per formula, most of the time a workbook takes to write); the
  workbook's formulas use only :data:`~model.output.workbook.plan.ALLOWED_FUNCTIONS`, none of
  which needs it, so :class:`_Worksheet` only strips the leading ``=``.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

from xlsxwriter.worksheet import Worksheet

from model.output.workbook.plan import Cell, Plan, Sheet

_RISKY_START = ("=", "+", "-", "@", "\t", "\r")
"""First characters that make a spreadsheet read text as a formula (OWASP formula injection)."""


class _Worksheet(Worksheet):  # type: ignore[misc]  # xlsxwriter is untyped
    """A worksheet that stores each formula as written, less its ``=`` (see the module docstring)."""

    def _prepare_formula(self, formula: str, expand_future_functions: bool = False) -> str:
        return formula[1:] if formula.startswith("=") else formula

_NUMBER_FORMATS: dict[str, str] = {
    "gbp": "#,##0;-#,##0",
    "gbp2": "#,##0.00;-#,##0.00",
    "wte": "#,##0.00;-#,##0.00",
    "wte_in": "0.00",
    "pct": "0.00%",
    "frac_in": "0.00%",
    "index": "0.0000",
    "index_in": "0.00000",
    "share": "0.000%",
    "share_in": "0.00000",
    "pop": "#,##0",
    "int": "0",
    "year": "0",
    "num_in": "General",
    "month": "yyyy-mm",
}
"""The number format of each cell style that shows a number (pounds, WTE, fractions as %...)."""


def write_workbook(plan: Plan, path: Path, cached: bool = True) -> None:
    """Write a plan to ``path`` (atomically). ``cached=False`` stores no cached results, so the
    figures appear only once a spreadsheet recalculates (tests use it to prove they do)."""
    from model.output.atomic import atomic_write

    atomic_write(Path(path), lambda tmp: _write(plan, tmp, cached))


def _write(plan: Plan, path: Path, cached: bool) -> None:
    import xlsxwriter

    book = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False, "strings_to_formulas": False,
                                          "strings_to_urls": False, "in_memory": True})
    book.set_properties({"title": f"ICB running-cost model: {plan.scenario}",
                         "comments": "Every figure is a formula; see the About sheet."})
    formats = _Formats(book)
    for sheet in plan.sheets:
        _write_sheet(book.add_worksheet(sheet.name, worksheet_class=_Worksheet), sheet, formats, cached)
    for name, ref in plan.names.items():
        book.define_name(name, ref)
    book.get_worksheet_by_name("About").activate()
    book.close()


class _Formats:
    """The workbook's cell formats, made once for each (style, input, quoted) triple."""

    def __init__(self, book: Any) -> None:
        self.book = book
        self.made: dict[tuple[str, bool, bool], Any] = {}

    def __call__(self, style: str, is_input: bool, quoted: bool = False) -> Any:
        key = (style, is_input, quoted)
        if key not in self.made:
            self.made[key] = self.book.add_format({**_format_properties(style, is_input),
                                                   **({"quote_prefix": True} if quoted else {})})
        return self.made[key]


def risky(text: str) -> bool:
    """Whether a text would be read as a formula if typed into a cell (it starts with ``=``, ``+``,
    ``-``, ``@``, a tab or a carriage return)."""
    return text.startswith(_RISKY_START)


def _format_properties(style: str, is_input: bool) -> dict[str, object]:
    """xlsxwriter format properties of a cell style; input cells are yellow with a border."""
    props: dict[str, object] = {"font_name": "Arial", "font_size": 10}
    if style in _NUMBER_FORMATS:
        props["num_format"] = _NUMBER_FORMATS[style]
    if style == "title":
        props.update(bold=True, font_size=14)
    elif style in ("section", "subsection"):
        props.update(bold=True, font_color="#1F4E79", font_size=11 if style == "section" else 10)
    elif style in ("header", "header_year", "header_wrap"):
        props.update(bold=True, bg_color="#D9E1F2", bottom=1)
        if style == "header_year":
            props["align"] = "right"
        if style == "header_wrap":
            props.update(text_wrap=True, valign="top")
    elif style in ("unit", "symbol", "path", "small", "prov", "ref_value"):
        props.update(font_color="#595959")
        if style == "symbol":
            props["font_name"] = "Consolas"
    elif style in ("label_bold", "code"):
        props["bold"] = True
    elif style == "bool_big":
        props.update(bold=True, font_size=12, align="center")
    elif style == "link":
        props.update(font_color="blue", underline=1)
    if is_input:
        props.update(bg_color="#FFF2CC", border=1, border_color="#BF9000")
    return props


def _write_sheet(ws: Any, sheet: Sheet, formats: _Formats, cached: bool) -> None:
    """One worksheet: its cells in order, then widths, frozen panes, drop-downs and page set-up."""
    for (row, col), cell in sorted(sheet.cells.items()):
        quoted = cell.formula is None and isinstance(cell.value, str) and risky(cell.value)
        _write_cell(ws, row, col, cell, formats(cell.style, cell.input, quoted), cached)
    for col, width in sheet.widths.items():
        ws.set_column(col, col, width)
    if sheet.freeze:
        ws.freeze_panes(*sheet.freeze)
    for row, col, options in sheet.choices:
        ws.data_validation(row, col, row, col, {"validate": "list", "source": list(options)})
    if sheet.kind == "calc":
        ws.set_landscape()
        ws.fit_to_pages(1, 0)


def _write_cell(ws: Any, row: int, col: int, cell: Cell, style: Any, cached: bool) -> None:
    """One cell: a formula (with its cached result unless ``cached`` is False), a link, a blank,
    a flag, a number or text; then its comment."""
    if cell.formula is not None:
        value = cell.value if cached else ""
        if isinstance(value, float) and not math.isfinite(value):
            value = ""
        ws.write_formula(row, col, cell.formula, style, value)
    elif cell.link is not None:
        ws.write_url(row, col, cell.link, style, string=str(cell.value))
    elif cell.value is None:
        ws.write_blank(row, col, None, style)
    elif isinstance(cell.value, bool):
        ws.write_boolean(row, col, cell.value, style)
    elif isinstance(cell.value, (int, float)):
        ws.write_number(row, col, float(cell.value), style)
    else:
        ws.write_string(row, col, str(cell.value), style)
    if cell.comment:
        ws.write_comment(row, col, cell.comment[:30000], {"x_scale": 3, "y_scale": 3})
