"""Writing a run's results: ``results.csv``, ``results.xlsx`` and ``manifest.json``.

Running and saving are separate: :func:`model.output.results.scenario_results` returns tables; this
module writes them, atomically (see :mod:`model.output.atomic`).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from model import __version__
from model.output import tables, xlsx
from model.output.atomic import Written
from model.output.listing import assumption_rows
from model.output.manifest import manifest, write_manifest
from model.output.results import rounded
from model.schema import COLUMNS

if TYPE_CHECKING:
    from model.scenario import Scenario

POPULATION_NOTE = (
    "Populations are GP-registered lists (the basis NHS allocations use), which run above ONS "
    "resident estimates; per-head figures divide by them."
)


def write_csv(results: pd.DataFrame, path: Path) -> Written:
    """``results.csv``: SPEC section 6 columns first, £ and fractions, rounded per unit."""
    return tables.write_csv(path, rounded(results))


def write_xlsx(results: pd.DataFrame, scenarios: list[Scenario], path: Path) -> Written:
    """``results.xlsx``: a README sheet, one sheet per scenario and an Assumptions sheet.

    A scenario's sheet is named after it, made a legal and unique sheet name
    (:func:`model.output.xlsx.sheet_names`); the README lists which sheet holds which scenario.
    """
    names = xlsx.sheet_names([s.name for s in scenarios], taken=["README", "Assumptions"])
    sheets = [_readme(scenarios, names)]
    header, *body = tables.rows_of(rounded(results))
    of_scenario = results["scenario"].to_numpy()
    for scenario, name in zip(scenarios, names, strict=True):
        rows = [header, *(body[at] for at in np.flatnonzero(of_scenario == scenario.name))]
        sheets.append(xlsx.Sheet(name, rows, bold_rows=(0,), widths=dict.fromkeys(range(len(header)), 16),
                                 freeze=(1, 5)))
    rows = [[s.name, row.path, _cell(row.value), row.unit, row.status, row.source, row.note, row.set_in]
            for s in scenarios for row in assumption_rows(s)]
    sheets.append(xlsx.Sheet("Assumptions", [list(ASSUMPTION_COLUMNS), *rows], bold_rows=(0,), wrap_columns=(5, 6),
                             widths={0: 18, 1: 48, 2: 14, 3: 14, 4: 14, 5: 60, 6: 60, 7: 30}, freeze=(1, 2)))
    return xlsx.write(path, sheets)


ASSUMPTION_COLUMNS = ("scenario", "path", "value", "unit", "status", "source", "note", "set_in")
"""Columns of results.xlsx's Assumptions sheet: every resolved value with its unit and provenance."""


def _readme(scenarios: list[Scenario], names: list[str]) -> xlsx.Sheet:
    """The README sheet: what the workbook is, which sheet holds which scenario, and every column's
    unit and meaning."""
    rows: list[Sequence[object]] = [
        ["ICB running-cost model: results"],
        [f"Model version {__version__}. Pounds are £ (not £m); fractions are 0-1 (0.3 = 30%)."],
        [POPULATION_NOTE],
        [],
        ["sheet", "scenario", "description"],
        *([name, s.name, s.description] for s, name in zip(scenarios, names, strict=True)),
        [],
        ["column", "unit", "meaning"],
        *([spec.name, spec.unit_info.text, spec.description] for spec in COLUMNS),
    ]
    bold = (0, 4, 6 + len(scenarios))
    return xlsx.Sheet("README", rows, bold_rows=bold, widths={0: 34, 1: 22, 2: 90})


def _cell(value: object) -> object:
    """A value as a spreadsheet cell: numbers stay numbers, everything else becomes text."""
    if isinstance(value, bool) or value is None:
        return "null" if value is None else str(value).lower()
    return value if isinstance(value, (int, float)) else str(value)


class NonFiniteResults(ValueError):
    """Results holding NaN or infinity: never written (validation should make this impossible)."""


def check_finite(results: pd.DataFrame) -> None:
    """Raise NonFiniteResults, naming the first place, if any numeric figure is NaN or infinite."""
    numeric = results.select_dtypes(include="number")
    bad = ~np.isfinite(numeric.to_numpy(dtype=float))
    if not bad.any():
        return
    row, column = (int(i[0]) for i in np.nonzero(bad))
    where = results.iloc[row]
    raise NonFiniteResults(
        f"the results of scenario '{where.get('scenario', '?')}' hold a figure that is not a finite number "
        f"({numeric.columns[column]} for {where.get('icb_code', '?')} in {where.get('year', '?')}), so nothing "
        "was written. The scenario passed validation, so this is a bug in the model: please report it with "
        "the scenario files."
    )


def write_run(results: pd.DataFrame, scenarios: list[Scenario], out_dir: Path, xlsx: bool = True) -> list[Path]:
    """Write a run folder: results.csv, results.xlsx (optional) and manifest.json.

    Nothing is written unless every figure is finite. Each file is replaced atomically, and the
    manifest goes last with the sha256 of the files written before it: a run killed between two
    files leaves each file complete, and a manifest that matches the results only if both are new.
    """
    check_finite(results)
    out_dir = Path(out_dir)
    written = [write_csv(results, out_dir / "results.csv")]
    if xlsx:
        written.append(write_xlsx(results, scenarios, out_dir / "results.xlsx"))
    written.append(write_manifest(out_dir / "manifest.json", manifest(scenarios, written)))
    return [item.path for item in written]
