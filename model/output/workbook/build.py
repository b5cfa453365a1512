"""Laying out a whole workbook: :func:`plan_workbook` puts the sheets in order.

About, Inputs, England, Checks, then one calculation sheet per organisation of the chosen
footprint, named by its code, and ``Other organisations`` (the organisations of other years) when
the organisations change.
"""

from __future__ import annotations

import numpy as np

from model import engine
from model.output.workbook.about import about_sheet
from model.output.workbook.calc import Registry, resolve
from model.output.workbook.calc_sheets import lay_out, other_sheet, unit_sheet
from model.output.workbook.checks import checks_sheet
from model.output.workbook.england import england_sheet
from model.output.workbook.inputs_sheet import inputs_sheet
from model.output.workbook.plan import Plan, sheet_names
from model.output.workbook.spec import WorkbookSpec


def plan_workbook(spec: WorkbookSpec, out: dict[str, np.ndarray] | None = None) -> Plan:
    """Lay out the whole workbook for a spec; ``out`` is the engine's run of ``spec.inputs``
    (run here when not given)."""
    inp = spec.inputs
    if inp.samples != 1:
        raise ValueError("a workbook shows one set of inputs; these Inputs carry several samples")
    if not spec.structure.units:
        raise ValueError("a workbook needs at least one organisation")
    out = engine.run(inp) if out is None else out
    inputs = inputs_sheet(spec)
    unit_sheets = sheet_names(spec.structure.units)
    registry = Registry(len(inp.labels))
    laid = lay_out(spec, out, inputs.refs, registry, unit_sheets)
    units = [unit_sheet(laid, code) for code in spec.structure.units]
    other = other_sheet(laid)
    calc = [england_sheet(laid), *units, *([other] if other else [])]
    calc.insert(1, checks_sheet(laid))
    resolve(calc, registry)
    return Plan(
        sheets=[about_sheet(spec, unit_sheets, other is not None), inputs.sheet, *calc],
        names=inputs.names,
        input_names=tuple(inputs.engine_inputs),
        scenario=spec.name,
        icb_sheets=unit_sheets,
        footprint=spec.structure.footprint,
    )
