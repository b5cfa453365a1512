"""Writing tables: CSV, and XLSX with a README sheet, always atomically (model.output.atomic).

Every table a command writes goes through these two functions, so every CSV has the same line
endings and every workbook the same README layout.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from model.output.atomic import Written, atomic_write


def cell_number(value: object) -> float:
    """A cell of a table that holds a number (Python's or numpy's), as a float."""
    if isinstance(value, (int, float, np.integer, np.floating)):
        return float(value)
    raise TypeError(f"expected a number in the table, got {value!r}")


def write_csv(path: Path, table: pd.DataFrame, index: bool = False) -> Written:
    """``table`` as CSV (``\\n`` line endings) at ``path``."""
    return atomic_write(path, lambda tmp: table.to_csv(tmp, index=index, lineterminator="\n"))


def write_xlsx(path: Path, sheets: dict[str, pd.DataFrame], about: Sequence[tuple[str, str]],
               index: bool = False) -> Written:
    """An XLSX workbook: a README sheet of ``about`` rows (key, text), then one sheet per table."""

    def write(tmp: Path) -> None:
        with pd.ExcelWriter(tmp, engine="xlsxwriter") as writer:
            readme = writer.book.add_worksheet("README")
            bold = writer.book.add_format({"bold": True})
            for row, (key, value) in enumerate(about):
                readme.write(row, 0, key, bold)
                readme.write(row, 1, value)
            readme.set_column(0, 0, 22)
            readme.set_column(1, 1, 100)
            for name, table in sheets.items():
                table.to_excel(writer, sheet_name=name, index=index)
                writer.sheets[name].set_column(0, len(table.columns) + int(index), 18)

    return atomic_write(path, write)
