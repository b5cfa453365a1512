"""Organisations that change, on the Inputs sheet (SPEC section 10): the organisations the
changes form, each change's table of (old code, new code, share) with the shares as inputs, and
the pieces the changes cut the base-year ICBs into.

A piece's share of its ICB is the product of the shares of the rows it passed through, so its
population and own RCA are that share of its ICB's. Its go-live follows the organisation it
belongs to: the first month from which that organisation has the function, by the organisation's
own rule, else the piece's region's, else the default (a rule for an organisation counts from the
April it forms).
"""

from __future__ import annotations

import math

from model.output.workbook.icb_table import Overrides, golive_value, own_go_lives, region_rule
from model.output.workbook.inputs_layout import InputsSheet, input_name
from model.output.workbook.plan import NEVER, Cell, a1, month_serial
from model.output.workbook.structure import Piece
from model.periods import parse_year
from model.schema import FUNCTIONS


def organisation_changes(b: InputsSheet, overrides: Overrides) -> None:
    """The later organisations, the changes and the pieces (nothing without changes)."""
    if not b.spec.structure.changes:
        return
    _later_organisations(b, overrides)
    _changes(b)
    _pieces(b, overrides)


def _later_organisations(b: InputsSheet, overrides: Overrides) -> None:
    """Organisations the changes form (not in the ICB table): code, name, region, the year they
    form and a go-live set for each (inputs)."""
    structure = b.spec.structure
    later = [org for org in structure.organisations if org.code not in overrides]
    if not later:
        return
    b.section("Organisations formed by the changes")
    titles = ["Code", "Name", "Region", "Exists from"] + [f"Go-live set for it: {f}" for f in FUNCTIONS]
    for col, title in enumerate(titles):
        b.sheet.text(b.row, col, title, "header_wrap")
    for org in later:
        b.row += 1
        b.sheet.text(b.row, 0, org.code, "code")
        b.sheet.text(b.row, 1, org.name)
        b.sheet.text(b.row, 2, org.region)
        b.sheet.text(b.row, 3, b.inp.labels[org.years[0]])
        overrides[org.code] = own_go_lives(b, org.code, b.row, 4)
    b.row += 1


def _changes(b: InputsSheet) -> None:
    """Each change: its month, then one row per (old code, new code) with the share (an input)."""
    structure, sheet = b.spec.structure, b.sheet
    source = b.spec.sources.get("organisations.changes")
    names = {org.code: org.name for org in structure.organisations}
    for change in sorted({row.change for row in structure.share_rows}):
        rows = [(n, row) for n, row in enumerate(structure.share_rows) if row.change == change]
        b.section(f"Organisation change from {rows[0][1].effective}: share of each old organisation's "
                  "population that each new one takes (the shares of an old code sum to 1)")
        b.provenance(b.row - 1, source)
        for col, title in enumerate(("Old code", "New code", "New organisation", "Share")):
            sheet.text(b.row, col, title, "header")
        for n, row in rows:
            b.row += 1
            sheet.text(b.row, 0, row.old, "code")
            sheet.text(b.row, 1, row.new, "code")
            sheet.text(b.row, 2, names.get(row.new, row.new))
            sheet.put(b.row, 3, Cell(value=row.share, style="share_in", input=True))
            b.refs.share_cells[n] = a1(b.row, 3, True)
        b.row += 1


_PIECE, _ICB, _SHARE, _POPULATION, _RCA, _NEED, _ERA0 = range(7)
"""Columns of the pieces table; one column per era (its organisation), then per function the
rule of its region (or the default) and the go-live used."""


def _pieces(b: InputsSheet, overrides: Overrides) -> None:
    """One row per piece: its ICB and share of it, population, own RCA and need index, the
    organisation it belongs to in each era, and its go-live used (a formula)."""
    structure, sheet = b.spec.structure, b.sheet
    eras = _era_starts(b)
    fallback0 = _ERA0 + len(eras)
    used0 = fallback0 + len(FUNCTIONS)
    b.section("Pieces: the parts of the base year's ICBs the changes make (each belongs to one organisation "
              "a year)")
    titles = ["Piece", "ICB", "Share of the ICB (product of the change rows' shares)", "Population (base year)",
              "Own base-year RCA, £", "Need index"]
    titles += [f"Organisation from {b.inp.labels[first]}" for first, _ in eras]
    titles += [f"Rule of its region, else default: {f}" for f in FUNCTIONS]
    titles += [f"Go-live used: {f}" for f in FUNCTIONS]
    for col, title in enumerate(titles):
        sheet.text(b.row, col, title, "header_wrap")
    first = b.row + 1
    icb_rows = b.icb_rows
    for piece in structure.pieces:
        row = first + piece.atom
        icb_row = icb_rows[piece.icb]
        _piece_row(b, piece, row, icb_row)
        for k, (year, _) in enumerate(eras):
            sheet.text(row, _ERA0 + k, piece.orgs[year], "code")
        for k, function in enumerate(FUNCTIONS):
            fallback = a1(row, fallback0 + k)
            sheet.put(row, fallback0 + k, Cell(value=None, formula="=" + region_rule(function, a1(icb_row, 2)),
                                               style="month"))
            formula = _go_live_formula([overrides[piece.orgs[year]][function] for year, _ in eras],
                                       [start for _, start in eras], fallback)
            sheet.put(row, used0 + k, Cell(value=golive_value(b, piece.atom, function), formula=formula,
                                           style="month"))
            b.refs.piece_cells[piece.atom][f"golive_{function}"] = f"Inputs!{a1(row, used0 + k, True)}"
    last = first + len(structure.pieces) - 1
    _fallback_values(b, first, fallback0)
    for k, function in enumerate(FUNCTIONS):
        path = f"delegation.{function}.go_live"
        b.name(input_name(path), first, used0 + k, last_row=last)
        b.engine_inputs.append((path, input_name(path)))
    b.row = last + 1


def _piece_row(b: InputsSheet, piece: Piece, row: int, icb_row: int) -> None:
    """A piece's label, ICB, share of it (a product of share cells), population, own RCA and
    need index (formulas on the ICB table)."""
    sheet, inp = b.sheet, b.inp
    sheet.text(row, _PIECE, piece.label, "code")
    sheet.text(row, _ICB, b.spec.structure.icbs[piece.icb].code, "code")
    cells = [b.refs.share_cells[n] for n in piece.shares] or ["1"]
    sheet.put(row, _SHARE, Cell(value=b.spec.structure.share_of_icb(piece), formula="=" + "*".join(cells),
                                style="share_in"))
    sheet.put(row, _POPULATION, Cell(value=float(inp.population[piece.atom]), style="pop",
                                     formula=f"={a1(row, _SHARE)}*{a1(icb_row, 3)}"))
    rca = float(inp.rca_given_gbp[piece.atom])
    own = a1(icb_row, 4)
    sheet.put(row, _RCA, Cell(value="" if math.isnan(rca) else rca, style="gbp",
                              formula=f'=IF({own}="","",{a1(row, _SHARE)}*{own})'))
    sheet.put(row, _NEED, Cell(value=float(inp.need_index[piece.atom]), formula=f"={a1(icb_row, 5)}",
                               style="index_in"))
    b.refs.piece_cells[piece.atom] = {"share": f"Inputs!{a1(row, _SHARE, True)}",
                                      "population": f"Inputs!{a1(row, _POPULATION, True)}",
                                      "rca": f"Inputs!{a1(row, _RCA, True)}",
                                      "need": f"Inputs!{a1(row, _NEED, True)}"}


def _fallback_values(b: InputsSheet, first: int, col0: int) -> None:
    """The expected value of each piece's region-or-default rule (a date, or never)."""
    for piece in b.spec.structure.pieces:
        region = b.spec.structure.icbs[piece.icb].region
        for k, function in enumerate(FUNCTIONS):
            rules = b.spec.go_live[function]
            month = rules.by_region.get(region, rules.default)
            b.sheet.cells[(first + piece.atom, col0 + k)].value = NEVER if month is None else month_serial(month)


def _era_starts(b: InputsSheet) -> list[tuple[int, str]]:
    """Each era's first year (index) and the spreadsheet date of its April (a number in the
    formula: eras are fixed when the workbook is written)."""
    base = parse_year(b.inp.labels[0])
    firsts = sorted({int(row.effective[:4]) - base for row in b.spec.structure.share_rows})
    return [(0, "")] + [(first, f"{month_serial(f'{base + first}-04'):.0f}") for first in firsts]


def _go_live_formula(rules: list[str], starts: list[str], fallback: str) -> str:
    """The go-live used: the first era whose organisation's month (its own rule, else the
    piece's region's or the default; not before the era's April) falls before the next era;
    ``never`` if none. Eras in a row with the same organisation count as one."""
    merged: list[tuple[str, str]] = []
    for rule, start in zip(rules, starts, strict=True):
        if not merged or merged[-1][0] != rule:
            merged.append((rule, start))
    month = [f'IF({rule}<>"",{rule},{fallback})' for rule, _ in merged]
    if len(merged) == 1:
        return "=" + month[0]
    expr = f'IF(ISNUMBER({month[-1]}),MAX({month[-1]},{merged[-1][1]}),"{NEVER}")'
    for k in range(len(merged) - 2, -1, -1):
        m = month[k] if k == 0 else f"MAX({month[k]},{merged[k][1]})"
        expr = f"IF(ISNUMBER({month[k]}),IF({m}<{merged[k + 1][1]},{m},{expr}),{expr})"
    return "=" + expr

