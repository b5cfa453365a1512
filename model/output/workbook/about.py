"""The About sheet: what the workbook is, how to use it, and a link to every sheet."""

from __future__ import annotations

from model.engine.inputs import Inputs
from model.output.workbook.plan import Cell, Sheet, quote_sheet
from model.output.workbook.spec import WorkbookSpec

_HOW_TO_USE: tuple[str, ...] = (
    "Change a yellow cell on Inputs (a pay award, the cut path, the envelope, a go-live month...) and every "
    "sheet follows: Excel recalculates at once; in LibreOffice, if a sheet looks stale, use Data > Calculate "
    "> Recalculate Hard (Ctrl+Shift+F9).",
    "Each ICB sheet shows one quantity per row, years across, in the order of the methodology (SPEC sections "
    "3 to 5): prices, base year, core allowance, each delegated function, the allowance, costs and capacity, "
    "workforce change, real terms. Column D holds quantities with one value per ICB. Every figure is a "
    "formula on Inputs or on rows above; select a cell to see it, or use Formulas > Trace Precedents.",
    "England sums the ICB sheets; Checks shows TRUE/FALSE live: the base year balances, England equals the "
    "sum of the ICBs, no negative WTE.",
    "The figures equal the model's engine (icb-model run) to a relative 1e-9: the test suite recalculates "
    "workbooks with LibreOffice and compares every formula cell.",
    "Formulas use only IF, AND, OR, NOT, MIN, MAX, ABS, INT, SUM, INDEX, MATCH, ISNUMBER, YEAR, MONTH, LEFT "
    "and VALUE: no macros, nothing volatile, the same in Excel and LibreOffice.",
    "Units: pounds are £ in cash of each year unless marked base-year prices; staff are whole-time "
    "equivalents (WTE); shares are fractions shown as %. Populations are GP-registered lists.",
)
_SHEETS: tuple[tuple[str, str], ...] = (
    ("Inputs", "every assumption with its source; the ICB table"),
    ("England", "the sum of the ICB sheets"),
    ("Checks", "live TRUE/FALSE checks"),
)


def about_sheet(spec: WorkbookSpec, icb_sheets: list[str], inp: Inputs) -> Sheet:
    """The About sheet of a workbook with these ICB sheets."""
    from model import __version__

    sheet = Sheet("About", kind="text")
    lines = [
        ("ICB running-cost model: the calculation as a live workbook", "title"),
        (f"Scenario: {spec.name}. Model version {__version__}. {len(icb_sheets)} ICB sheet(s), "
         f"{inp.labels[0]} to {inp.labels[-1]}.", "text"),
        (spec.description, "note"),
        ("", "text"),
        ("How to use it", "section"),
        *((text, "note") for text in _HOW_TO_USE),
        ("", "text"),
        ("Sheets", "section"),
    ]
    row = 0
    for text, style in lines:
        if text:
            sheet.text(row, 0, text, style)
        row += 1
    links = [*_SHEETS, *((name, f"{inp.names[i]} ({inp.regions[i]})") for i, name in enumerate(icb_sheets))]
    for name, what in links:
        sheet.put(row, 0, Cell(value=name, style="link", link=f"internal:{quote_sheet(name)}!A1"))
        sheet.text(row, 1, what)
        row += 1
    sheet.widths.update({0: 16, 1: 120})
    return sheet
