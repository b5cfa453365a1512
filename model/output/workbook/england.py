"""The England sheet: the sum of the organisations' sheets, with the ratios worked out again from
the sums.

Pounds (£), WTE and population (persons) are sums, cell by cell, of the same figure of every
organisation of the footprint; the price indices are national and laid out as on any calculation
sheet. England's allowance is published in a year where every organisation's is.
"""

from __future__ import annotations

from functools import partial

import numpy as np

from model import engine
from model.engine.lineage import england
from model.output.workbook.calc import Registry, calc_sheet, magnitudes
from model.output.workbook.calc_sheets import Laid, tagger
from model.output.workbook.national import national_rows, ratio_rows
from model.output.workbook.plan import Sheet
from model.output.workbook.unit_rows import GAPS, LINEAR, STAFF, basis_formula

ENGLAND_SUMS: dict[str, tuple[str, str, str]] = {
    **{key: (label, unit, style) for key, (_row, label, unit, style) in LINEAR.items()},
    **{key: (label, unit, style) for key, (_row, label, unit, style) in STAFF.items()},
    **{key: (label, unit, style) for key, (label, unit, style, _plus, _minus) in GAPS.items()},
}
"""Each summed quantity, in the order the England sheet shows them: engine key -> (label, unit,
style). The cost base (one value) follows."""


def england_sheet(laid: Laid) -> Sheet:
    """England as the sum of the units' sheets."""
    spec = laid.spec
    units = spec.structure.units
    sheet = Sheet("England")
    c = calc_sheet(sheet, "England: the sum of the organisations' sheets",
                   f"Scenario {spec.name}, footprint {spec.structure.footprint}. Pounds, WTE and population are sums "
                   f"of the {len(units)} organisations' sheets; ratios are recomputed from the sums.", laid.refs,
                   spec.inputs.labels)
    tag = tagger(None)
    national_rows(c, laid.refs, spec.inputs, laid.out, tag)
    totals = {key: england(values)[0] for key, values in laid.atoms.items()}
    money, staff = magnitudes(totals)

    def total(key: str, y: int | None) -> str:
        return "=SUM(" + ",".join(Registry.ref(f"u{u}", key, y) for u in range(len(units))) + ")"

    c.section("Sums of the organisations' sheets")
    for key, (label, unit, style) in ENGLAND_SUMS.items():
        scale = staff if unit == "WTE" else money if unit.startswith("£") else float(np.abs(totals[key]).max())
        c.years(key, label, unit, key, partial(total, key), totals[key], style, scale=scale, engine=tag(key))
    c.once("cost_base_gbp", "Cost base: the organisations' added", "£", "cost_base", total("cost_base_gbp", None),
           totals["cost_base_gbp"][0], "gbp", scale=money, engine=("cost_base_gbp", None, 0))
    c.section("Ratios recomputed from the sums")
    ratio_rows(c, engine.ratios(totals), tag, c.at, c.one)
    known = [all(t in org.published for org in spec.structure.organisations if org.members[t])
             for t in range(c.T)]
    c.years("allowance_basis", "Allowance basis: published where every organisation's is", "word", "allowance_basis",
            lambda y: basis_formula(known[y], True), list(laid.basis[0]), "word", engine=tag("allowance_basis"))
    for key in ENGLAND_SUMS:
        laid.registry.put("eng", key, sheet.name, c.where[key])
    return sheet
