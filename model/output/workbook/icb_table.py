"""The go-live rules and the ICB table, at the foot of the Inputs sheet.

The rules: a default month per delegated function (``golive_default_F``) and one row per region
(``golive_region_F``, looked up by ``golive_regions``), each cell a month, the word ``never`` or
empty for no rule. The ICB table: code, name, region, base-year population (persons), the ICB's
own base-year RCA (£, empty: use the per-head figure), a go-live set for that ICB
(``golive_override_F``) and the go-live used (``golive_F``), a formula in which the most specific
rule wins.
"""

from __future__ import annotations

import math

from model.output.workbook.inputs_layout import I_LABEL, I_PATH, I_UNIT, I_VALUE, InputsSheet, input_name
from model.output.workbook.plan import NEVER, YEAR0, Cell, a1, month_cell
from model.periods import parse_month
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
        [r for f in FUNCTIONS for r in spec.go_live[f].by_region] + list(b.inp.regions)))
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


_CODE, _NAME, _REGION, _POPULATION, _RCA = range(5)
"""Columns of the ICB table; the go-live set for each ICB and the go-live used follow."""
_OWN0 = 5
_USED0 = _OWN0 + len(FUNCTIONS)


def icb_table(b: InputsSheet) -> None:
    """One row per ICB of the run: code, name, region, population, own RCA, go-lives."""
    sheet, spec, inp = b.sheet, b.spec, b.inp
    b.section("ICB table (one row per ICB of the run)")
    sheet.text(b.row, I_LABEL, spec.icb_note, "note")
    b.row += 1
    head = b.row
    titles = ["Code", "Name", "Region", "Population (base year, persons)",
              "Own base-year RCA, £ (empty: per-head figure)"]
    titles += [f"Go-live set for this ICB: {f}" for f in FUNCTIONS]
    titles += [f"Go-live used: {f}" for f in FUNCTIONS]
    for col, title in enumerate(titles):
        sheet.text(head, col, title, "header_wrap")
    first = head + 1
    for i, code in enumerate(inp.codes):
        row = first + i
        sheet.text(row, _CODE, code, "code")
        sheet.text(row, _NAME, inp.names[i], "text")
        sheet.put(row, _REGION, Cell(value=inp.regions[i], style="text", input=True))
        sheet.put(row, _POPULATION, Cell(value=float(inp.population[i]), style="pop", input=True))
        rca = inp.rca_given_gbp[i]
        sheet.put(row, _RCA, Cell(value=None if math.isnan(rca) else float(rca), style="gbp", input=True))
        _icb_go_lives(b, i, row)
    last = first + len(inp.codes) - 1
    for name, col in (("icb_code", _CODE), ("icb_name", _NAME), ("icb_region", _REGION),
                      ("icb_population", _POPULATION), ("icb_baseline_rca", _RCA)):
        b.name(name, first, col, last_row=last)
    for k, function in enumerate(FUNCTIONS):
        b.name(f"golive_override_{function}", first, _OWN0 + k, last_row=last)
        path = f"delegation.{function}.go_live"
        b.name(input_name(path), first, _USED0 + k, last_row=last)
        b.engine_inputs.append((path, input_name(path)))
    b.row = last + 1


def _icb_go_lives(b: InputsSheet, i: int, row: int) -> None:
    """An ICB's own go-live for each function (an input) and the go-live used (a formula)."""
    spec, inp = b.spec, b.inp
    code = inp.codes[i]
    for k, function in enumerate(FUNCTIONS):
        rules = spec.go_live[function]
        source = spec.sources.get(f"delegation.{function}.go_live.by_icb.{code}")
        b.sheet.put(row, _OWN0 + k, Cell(value=month_cell(rules.by_icb[code]) if code in rules.by_icb else None,
                                         style="month", input=True, comment=source.text() if source else None))
        own = a1(row, _OWN0 + k)
        lookup = f"INDEX(golive_region_{function},MATCH({a1(row, _REGION)},golive_regions,0))"
        formula = f'=IF({own}<>"",{own},IF({lookup}<>"",{lookup},golive_default_{function}))'
        month = rules.month_for(code, inp.regions[i])
        expected = inp.values[f"delegation.{function}.go_live"][0][i]
        if (month is None) != math.isnan(expected) or (month is not None and parse_month(month) != expected):
            raise AssertionError(f"go-live rules of {function} disagree with the inputs for {code}")
        b.sheet.put(row, _USED0 + k, Cell(value=month_cell(month), formula=formula, style="month"))
