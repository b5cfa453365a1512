"""Writing a run's results: ``results.csv``, ``results.xlsx`` and ``manifest.json``.

Running and saving are separate: :func:`model.output.results.scenario_results` returns tables; this
module writes them, atomically (see :mod:`model.output.atomic`).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from model import __version__
from model.output import tables
from model.output.atomic import Written, atomic_write
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


def _sheet_name(name: str, taken: set[str]) -> str:
    """An Excel-safe, unique sheet name (31 characters, no []:*?/\\)."""
    clean = "".join("_" if c in "[]:*?/\\" else c for c in name)[:31] or "scenario"
    candidate, n = clean, 2
    while candidate.lower() in taken:
        suffix = f" ({n})"
        candidate, n = clean[: 31 - len(suffix)] + suffix, n + 1
    taken.add(candidate.lower())
    return candidate


def write_xlsx(results: pd.DataFrame, scenarios: list[Scenario], path: Path) -> Written:
    """``results.xlsx``: a README sheet, one sheet per scenario and an Assumptions sheet."""

    def write(tmp: Path) -> None:
        with pd.ExcelWriter(tmp, engine="xlsxwriter") as writer:
            book = writer.book
            bold = book.add_format({"bold": True})
            wrap = book.add_format({"text_wrap": True, "valign": "top"})
            readme = book.add_worksheet("README")
            readme.write(0, 0, "ICB running-cost model: results", bold)
            readme.write(1, 0, f"Model version {__version__}. Pounds are £ (not £m); fractions are 0-1 (0.3 = 30%).")
            readme.write(2, 0, POPULATION_NOTE)
            readme.write_row(4, 0, ["column", "unit", "meaning"], bold)
            for r, spec in enumerate(COLUMNS, start=5):
                readme.write_row(r, 0, [spec.name, spec.unit_info.text, spec.description])
            readme.set_column(0, 0, 34)
            readme.set_column(1, 1, 22)
            readme.set_column(2, 2, 90)
            taken = {"readme", "assumptions"}
            for scenario in scenarios:
                table = rounded(results[results["scenario"] == scenario.name])
                sheet = _sheet_name(scenario.name, taken)
                table.to_excel(writer, sheet_name=sheet, index=False, freeze_panes=(1, 5))
                writer.sheets[sheet].set_column(0, len(table.columns) - 1, 16)
            rows = [
                {"scenario": s.name, **row.__dict__, "value": _cell(row.value)}
                for s in scenarios
                for row in assumption_rows(s)
            ]
            frame = pd.DataFrame(rows, columns=["scenario", "path", "value", "unit", "status", "source", "note",
                                                "set_in"])
            frame.to_excel(writer, sheet_name="Assumptions", index=False, freeze_panes=(1, 2))
            sheet = writer.sheets["Assumptions"]
            sheet.set_column(0, 0, 18)
            sheet.set_column(1, 1, 48)
            sheet.set_column(2, 4, 14)
            sheet.set_column(5, 6, 60, wrap)
            sheet.set_column(7, 7, 30)

    return atomic_write(path, write)


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
