"""Published allowances on the Inputs sheet (SPEC section 10): a switch and one row per
organisation with its published figures (£, yellow inputs) in the years it has them.

``use_published`` (TRUE/FALSE) turns every figure on or off, as ``allowance.use_published`` does:
off, the rules alone give every allowance. The years that have figures are fixed when the
workbook is written; each figure can be changed, and every sheet follows.
"""

from __future__ import annotations

from model.output.workbook.inputs_layout import I_LABEL, I_PATH, I_UNIT, InputsSheet
from model.output.workbook.plan import YEAR0, Cell, a1
from model.output.workbook.spec import Source, merge_sources


def published_table(b: InputsSheet) -> None:
    """The switch, then a row per organisation that has a published figure."""
    spec, sheet = b.spec, b.sheet
    b.section("Published allowances (SPEC section 10): in a year with a figure, the organisation's allowance "
              "(core + delegated budgets; programme pay on top) equals it")
    b.scalar("allowance.use_published", "use_published", "Use the published allowances (FALSE: the rules alone)",
             "TRUE/FALSE", spec.use_published, "bool")
    orgs = [org for org in spec.structure.organisations if org.published]
    if not orgs:
        sheet.text(b.row, I_LABEL, "No published figure for the organisations of this run.", "note")
        b.row += 1
        return
    sheet.text(b.row, I_LABEL, "Organisation", "header")
    sheet.text(b.row, I_PATH, "Code", "header")
    sheet.text(b.row, I_UNIT, "Unit", "header")
    for y, label in enumerate(b.inp.labels):
        sheet.text(b.row, YEAR0 + y, label, "header_year")
    codes = b.inp.lineage.codes
    for org in orgs:
        b.row += 1
        sheet.text(b.row, I_LABEL, org.name, "label")
        sheet.text(b.row, I_PATH, org.code, "code")
        sheet.text(b.row, I_UNIT, "£", "unit")
        sources = [spec.figure_sources.get((org.code, b.inp.labels[t]), Source()) for t in org.published]
        several = len(set(sources)) > 1
        for t, source in zip(org.published, sources, strict=True):
            figure = float(b.inp.published_gbp[codes.index(org.code), t])
            sheet.put(b.row, YEAR0 + t, Cell(value=figure, style="gbp2", input=True,
                                             comment=f"{b.inp.labels[t]}: {source.text()}" if several else None))
            b.refs.figure_cells[(org.code, t)] = f"Inputs!{a1(b.row, YEAR0 + t, True)}"
        b.provenance(b.row, merge_sources(sources))
    b.row += 1
