"""The About sheet: what the workbook is, how to use it, and a link to every sheet (with the
organisation code each calculation sheet stands for, since a code may have had to change to make
a legal, unique sheet name)."""

from __future__ import annotations

from model.output.workbook.plan import Cell, Sheet, quote_sheet
from model.output.workbook.spec import WorkbookSpec

_HOW_TO_USE: tuple[str, ...] = (
    "Change a yellow cell on Inputs (a pay award, the cut path, the envelope, a go-live month, a published "
    "allowance, a share of an organisation change...) and every sheet follows: Excel recalculates at once; in "
    "LibreOffice, if a sheet looks stale, use Data > Calculate > Recalculate Hard (Ctrl+Shift+F9).",
    "Each organisation's sheet shows one quantity per row, years across, in the order of the methodology (SPEC "
    "sections 3 to 5 and 10): prices and the rules' multiplier; then each of its pieces (a base-year ICB, or the "
    "share of one an organisation change moved): population, base year, the allowance by the rules, delegated "
    "functions; the published allowance's k; each piece's allowance and costs; the organisation's pool of staff; "
    "and its figures on the footprint. Column D holds quantities with one value. Every figure is a formula; "
    "select a cell to see it, or use Formulas > Trace Precedents.",
    "Published allowances are facts: in a year with a figure, k scales each piece's base so that the "
    "organisation's allowance (core + delegated budgets; programme pay on top) equals it; before the first "
    "figure the base is back-cast, after the last the rules carry on. Set use_published to FALSE for the rules "
    "alone.",
    "Staff are one pool per organisation as it exists in each year: what it can afford, employs and makes "
    "redundant is worked out for the whole organisation, then shared to its pieces by population.",
    "England sums the organisations' sheets; Checks shows TRUE/FALSE live: the base year balances, England equals "
    "the sum of the organisations, no negative WTE, published figures are met, shares add up to 1.",
    "The figures equal the model's engine (icb-model run) to a relative 1e-9: the test suite recalculates "
    "workbooks with LibreOffice and compares every formula cell.",
    "Formulas use only IF, AND, OR, NOT, MIN, MAX, ABS, INT, SUM, INDEX, MATCH, ISNUMBER, YEAR, MONTH, LEFT "
    "and VALUE: no macros, nothing volatile, the same in Excel and LibreOffice.",
    "Units: pounds are £ in cash of each year unless marked base-year prices; staff are whole-time "
    "equivalents (WTE); shares are fractions shown as %. Populations are GP-registered lists.",
)
_SHEETS: tuple[tuple[str, str], ...] = (
    ("Inputs", "every assumption with its source; the ICB table, organisation changes and published allowances"),
    ("England", "the sum of the organisations' sheets"),
    ("Checks", "live TRUE/FALSE checks"),
)


def about_sheet(spec: WorkbookSpec, unit_sheets: dict[str, str], other: bool) -> Sheet:
    """The About sheet of a workbook with these organisations' sheets (code -> sheet name) and,
    when ``other``, the Other organisations sheet."""
    from model import __version__

    sheet = Sheet("About", kind="text")
    structure, labels = spec.structure, spec.inputs.labels
    lines = [
        ("ICB running-cost model: the calculation as a live workbook", "title"),
        (f"Scenario: {spec.name}. Model version {__version__}. {len(unit_sheets)} organisation sheet(s) on the "
         f"{structure.footprint} footprint, {labels[0]} to {labels[-1]}.", "text"),
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
    links = [*_SHEETS]
    for code, name in unit_sheets.items():
        org, region = structure.unit_names[code]
        stands = "" if name == code else f" [sheet name for the code {code}]"
        links.append((name, f"{code}: {org} ({region}){stands}"))
    if other:
        links.append(("Other organisations", "the organisations of other years: their published figures, k and "
                                             "staff pools"))
    for name, what in links:
        sheet.put(row, 0, Cell(value=name, style="link", link=f"internal:{quote_sheet(name)}!A1"))
        sheet.text(row, 1, what)
        row += 1
    sheet.widths.update({0: 22, 1: 120})
    return sheet
