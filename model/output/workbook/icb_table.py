"""The go-live rules and the ICB table, on the Inputs sheet.

The rules: a default month per delegated function (``golive_default_F``) and one row per region
(``golive_region_F``, looked up by ``golive_regions``), each cell a month, the word ``never`` or
empty for no rule. The ICB table (the base year's ICBs): code, name, region, base-year population
(persons), the ICB's own base-year RCA (£, empty: use the per-head figure), its need index, and a
go-live set for that ICB (``golive_override_F``). Without organisation changes each ICB is a
piece of the run and the table ends with the go-live used (``golive_F``), a formula in which the
most specific rule wins; with changes the pieces have a table of their own
(:mod:`model.output.workbook.pieces_table`).
"""

from __future__ import annotations

import math

from model.output.workbook.inputs_layout import I_LABEL, I_PATH, I_UNIT, I_VALUE, InputsSheet, input_name
from model.output.workbook.plan import NEVER, YEAR0, Cell, a1, month_cell, month_serial
from model.schema import FUNCTIONS


def go_live_rules(b: InputsSheet) -> None:
    """The table of go-live rules (default, then by region), then where each rule comes from."""
    sheet, spec = b.sheet, b.spec
    b.section("Go-live of delegated functions: the most specific rule wins (ICB, then region, then default)")
    head = b.row
    sheet.text(head, I_LABEL, "Rule", "header")
    sheet.text(head, I_PATH, "Region", "header")
    sheet.text(head, I_UNIT, "Unit", "header")
    for k, function in enumerate(FUNCTIONS):
        sheet.text(head, YEAR0 + k, function, "header_year")
    sheet.text(head, b.prov0, f"Month the function goes live (1st of the month), '{NEVER}', or empty "
                              "for no rule", "prov")
    regions = list(dict.fromkeys(
        [r for f in FUNCTIONS for r in spec.go_live[f].by_region] + [icb.region for icb in spec.structure.icbs]))
    default_row = head + 1
    sheet.text(default_row, I_LABEL, "Default: every ICB without a rule below", "label")
    sheet.text(default_row, I_UNIT, "month", "unit")
    for k, function in enumerate(FUNCTIONS):
        source = spec.sources.get(f"delegation.{function}.go_live.default")
        sheet.put(default_row, YEAR0 + k, Cell(value=month_cell(spec.go_live[function].default), style="month",
                                               input=True, comment=source.text() if source else None))
        b.name(f"golive_default_{function}", default_row, YEAR0 + k)
    first = default_row + 1
    for n, region in enumerate(regions):
        row = first + n
        sheet.text(row, I_LABEL, f"Region rule: {region}", "label")
        sheet.text(row, I_PATH, region, "path")
        sheet.text(row, I_UNIT, "month", "unit")
        for k, function in enumerate(FUNCTIONS):
            rules = spec.go_live[function]
            if region in rules.by_region:
                source = spec.sources.get(f"delegation.{function}.go_live.by_region.{region}")
                sheet.put(row, YEAR0 + k, Cell(value=month_cell(rules.by_region[region]), style="month",
                                               input=True, comment=source.text() if source else None))
            else:
                sheet.put(row, YEAR0 + k, Cell(value=None, style="month", input=True))
    last = first + len(regions) - 1
    b.name("golive_regions", first, I_PATH, last_row=last)
    for k, function in enumerate(FUNCTIONS):
        b.name(f"golive_region_{function}", first, YEAR0 + k, last_row=last)
    b.row = last + 1
    _rule_sources(b)


def _rule_sources(b: InputsSheet) -> None:
    """Each go-live rule the scenario sets, with its month and provenance."""
    sheet, spec = b.sheet, b.spec
    listed = [(path, source) for path, source in spec.sources.items()
              if path.startswith("delegation.") and ".go_live." in path]
    if not listed:
        return
    b.row += 1
    sheet.text(b.row, I_LABEL, "Where the go-live rules come from", "subsection")
    b.row += 1
    for path, source in listed:
        parts = path.split(".")
        where = "default" if parts[3] == "default" else f"{parts[3].replace('by_', '')} {'.'.join(parts[4:])}"
        value = spec.go_live[parts[1]]
        month = (value.default if parts[3] == "default" else
                 value.by_region.get(".".join(parts[4:])) if parts[3] == "by_region" else
                 value.by_icb.get(".".join(parts[4:])))
        sheet.text(b.row, I_LABEL, f"{parts[1]}: {where}", "label")
        sheet.text(b.row, I_PATH, path, "path")
        sheet.text(b.row, I_UNIT, "month", "unit")
        sheet.text(b.row, I_VALUE, month or NEVER, "ref_value")
        b.provenance(b.row, source)
        b.row += 1


_CODE, _NAME, _REGION, _POPULATION, _RCA, _NEED = range(6)
"""Columns of the ICB table; the go-live set for each ICB and (without organisation changes) the
go-live used follow."""
_OWN0 = 6
_USED0 = _OWN0 + len(FUNCTIONS)

Overrides = dict[str, dict[str, str]]
"""Each organisation's go-live set for it, by code and function: a cell of the Inputs sheet."""


def icb_table(b: InputsSheet) -> Overrides:
    """One row per base-year ICB of the run: code, name, region, population, own RCA, need
    index, go-live set for it; without organisation changes each row is also a piece of the run,
    with its go-live used. Returns the go-live cells set for each ICB."""
    sheet, spec = b.sheet, b.spec
    structure = spec.structure
    b.section("ICB table (the base year's ICBs: one row per ICB of the run)")
    sheet.text(b.row, I_LABEL, spec.icb_note, "note")
    b.row += 1
    head = b.row
    titles = ["Code", "Name", "Region", "Population (base year, persons)",
              "Own base-year RCA, £ (empty: per-head figure)", "Need index (need-weighted / registered people)"]
    titles += [f"Go-live set for this ICB: {f}" for f in FUNCTIONS]
    if not structure.changes:
        titles += [f"Go-live used: {f}" for f in FUNCTIONS]
    for col, title in enumerate(titles):
        sheet.text(head, col, title, "header_wrap")
    first = head + 1
    overrides: Overrides = {}
    b.icb_rows = [first + i for i in range(len(structure.icbs))]
    for i, icb in enumerate(structure.icbs):
        row = first + i
        sheet.text(row, _CODE, icb.code, "code")
        sheet.text(row, _NAME, icb.name, "text")
        sheet.put(row, _REGION, Cell(value=icb.region, style="text", input=True))
        sheet.put(row, _POPULATION, Cell(value=icb.population, style="pop", input=True))
        rca = icb.rca_given_gbp
        sheet.put(row, _RCA, Cell(value=None if math.isnan(rca) else rca, style="gbp", input=True))
        sheet.put(row, _NEED, Cell(value=icb.need_index, style="index_in", input=True))
        overrides[icb.code] = own_go_lives(b, icb.code, row, _OWN0)
    last = first + len(structure.icbs) - 1
    for name, col in (("icb_code", _CODE), ("icb_name", _NAME), ("icb_region", _REGION),
                      ("icb_population", _POPULATION), ("icb_baseline_rca", _RCA), ("icb_need_index", _NEED)):
        b.name(name, first, col, last_row=last)
    for k, function in enumerate(FUNCTIONS):
        b.name(f"golive_override_{function}", first, _OWN0 + k, last_row=last)
    if not structure.changes:
        _icbs_as_pieces(b, first, overrides)
    b.row = last + 1
    return overrides


def own_go_lives(b: InputsSheet, code: str, row: int, col0: int) -> dict[str, str]:
    """An organisation's own go-live for each function (an input: a month, the word never, or
    empty), from column ``col0``; returns its cells by function."""
    cells = {}
    for k, function in enumerate(FUNCTIONS):
        rules = b.spec.go_live[function]
        source = b.spec.sources.get(f"delegation.{function}.go_live.by_icb.{code}")
        b.sheet.put(row, col0 + k, Cell(value=month_cell(rules.by_icb[code]) if code in rules.by_icb else None,
                                        style="month", input=True, comment=source.text() if source else None))
        cells[function] = a1(row, col0 + k)
    return cells


def region_rule(function: str, region_cell: str) -> str:
    """The rule of a region, else the default (formula text without the ``=``)."""
    lookup = f"INDEX(golive_region_{function},MATCH({region_cell},golive_regions,0))"
    return f'IF({lookup}<>"",{lookup},golive_default_{function})'


def golive_value(b: InputsSheet, atom: int, function: str) -> object:
    """The go-live the engine uses for a piece: a spreadsheet date, or the word never."""
    month = b.inp.values[f"delegation.{function}.go_live"][0][atom]
    return NEVER if math.isnan(month) else month_serial(float(month))


def _icbs_as_pieces(b: InputsSheet, first: int, overrides: Overrides) -> None:
    """Without organisation changes each ICB is one piece: its go-live used (the most specific
    rule wins) beside its row, and its cells for the calculation sheets."""
    for piece in b.spec.structure.pieces:
        row = first + piece.icb
        cells = {"population": a1(row, _POPULATION, True), "rca": a1(row, _RCA, True),
                 "need": a1(row, _NEED, True)}
        for k, function in enumerate(FUNCTIONS):
            own = overrides[piece.label][function]
            formula = f'=IF({own}<>"",{own},{region_rule(function, a1(row, _REGION))})'
            b.sheet.put(row, _USED0 + k, Cell(value=golive_value(b, piece.atom, function), formula=formula,
                                              style="month"))
            cells[f"golive_{function}"] = a1(row, _USED0 + k, True)
        b.refs.piece_cells[piece.atom] = {what: f"Inputs!{cell}" for what, cell in cells.items()}
    last = first + len(b.spec.structure.icbs) - 1
    for k, function in enumerate(FUNCTIONS):
        path = f"delegation.{function}.go_live"
        b.name(input_name(path), first, _USED0 + k, last_row=last)
        b.engine_inputs.append((path, input_name(path)))
