"""Laying out a whole workbook: :func:`plan_workbook` puts the sheets in order.

About, Inputs, England, Checks, then one calculation sheet per ICB named by its ODS code.
"""

from __future__ import annotations

import numpy as np

from model import engine
from model.output.workbook.about import about_sheet
from model.output.workbook.checks import checks_sheet
from model.output.workbook.england import england_sheet
from model.output.workbook.icb_sheet import icb_sheet
from model.output.workbook.inputs_sheet import inputs_sheet
from model.output.workbook.plan import Plan, Sheet, safe_sheet_name
from model.output.workbook.spec import WorkbookSpec

_RESERVED = {"about", "inputs", "england", "checks"}
"""Sheet names (lower case) an ICB sheet may not take."""


def plan_workbook(spec: WorkbookSpec, out: dict[str, np.ndarray] | None = None) -> Plan:
    """Lay out the whole workbook for a spec; ``out`` is the engine's run of ``spec.inputs``
    (run here when not given)."""
    inp = spec.inputs
    if inp.samples != 1:
        raise ValueError("a workbook shows one set of inputs; these Inputs carry several samples")
    out = engine.run(inp) if out is None else out
    inputs = inputs_sheet(spec)
    icb_sheets = [safe_sheet_name(code) for code in inp.codes]
    lowered = {s.lower() for s in icb_sheets}
    if len(lowered) != len(icb_sheets) or _RESERVED & lowered:
        raise ValueError(f"ICB codes do not make distinct sheet names: {', '.join(inp.codes)}")
    if not icb_sheets:
        raise ValueError("a workbook needs at least one ICB")
    sheets = [Sheet(name) for name in icb_sheets]
    layouts = [icb_sheet(sheet, inputs.refs, inp, out, i, spec.name) for i, sheet in enumerate(sheets)]
    rows = layouts[0]
    if any(layout != rows for layout in layouts[1:]):
        raise AssertionError("ICB sheets must share one layout")
    england = Sheet("England")
    england_rows = england_sheet(england, inputs.refs, inp, out, icb_sheets, sheets[0], rows, spec.name)
    checks = Sheet("Checks")
    checks_sheet(checks, inp, out, icb_sheets, rows, england_rows)
    return Plan(
        sheets=[about_sheet(spec, icb_sheets, inp), inputs.sheet, england, checks, *sheets],
        names=inputs.names,
        input_names=tuple(inputs.engine_inputs),
        scenario=spec.name,
        icb_sheets=dict(zip(inp.codes, icb_sheets, strict=False)),
    )
