"""Writing tables: CSV, and XLSX with a README sheet, always atomically (model.output.atomic).

Every table a command writes goes through these functions, so every CSV has the same line
endings and every workbook the same README layout. Text that a spreadsheet could read as a
formula is defused in both (OWASP's rule for CSV and formula injection): in a CSV file, where a
cell has no type, such text gets a leading apostrophe (``'=1+2``); in a workbook it is a text
cell with Excel's quote prefix and keeps its characters (:mod:`model.output.xlsx`).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from model.output import xlsx
from model.output.atomic import Written, atomic_write


def cell_number(value: object) -> float:
    """A cell of a table that holds a number (Python's or numpy's), as a float."""
    if isinstance(value, (int, float, np.integer, np.floating)):
        return float(value)
    raise TypeError(f"expected a number in the table, got {value!r}")


def defused(value: object) -> object:
    """A CSV cell: text a spreadsheet could read as a formula (:func:`model.output.xlsx.looks_like_formula`)
    with an apostrophe in front, so it is shown as text; anything else as it is."""
    return "'" + value if isinstance(value, str) and xlsx.looks_like_formula(value) else value


def csv_safe(table: pd.DataFrame) -> pd.DataFrame:
    """``table`` with every text cell, column label and index label :func:`defused` (numbers are
    never touched; the table is copied only when something changes)."""
    out = table
    for k in range(table.shape[1]):
        column = table.iloc[:, k]
        if not pd.api.types.is_numeric_dtype(column.dtype) and any(map(_is_formula, pd.unique(column))):
            out = out.copy() if out is table else out
            out.isetitem(k, column.map(defused).to_list())
    if any(_is_formula(label) for label in out.columns):
        out = out.set_axis([defused(label) for label in out.columns], axis=1)
    if any(_is_formula(label) for label in (*out.index, *out.index.names)):
        index = out.index.map(defused)
        index.names = [defused(name) for name in out.index.names]
        out = out.set_axis(index, axis=0)
    return out


def _is_formula(value: object) -> bool:
    return isinstance(value, str) and xlsx.looks_like_formula(value)


def csv_text(table: pd.DataFrame, index: bool = False) -> str:
    """``table`` as CSV text with ``\\n`` line endings, text cells :func:`defused`.

    Fields are quoted only where they must be, except in a table with a carriage return that
    no line feed follows: the CSV writer would leave such a field bare and a reader would split
    the row there, so then every text field is quoted.

    A table of numbers and text (the commonest: every results table) is written by Python's CSV
    writer, in about half the time pandas takes, to the same characters (a float as ``repr``
    gives it, a missing value as an empty field); any other table by pandas.
    """
    safe = csv_safe(table)
    if any(_lone_cr(value) for value in _text_cells(safe)):
        return safe.to_csv(index=index, lineterminator="\n", quoting=csv.QUOTE_NONNUMERIC)
    parts: list[pd.Series | pd.Index] = [*([safe.index] if index else []),
                                         *(safe.iloc[:, k] for k in range(safe.shape[1]))]
    header = [*([safe.index.name or ""] if index else []), *safe.columns]
    columns = [_plain_cells(part) for part in parts]
    if safe.index.nlevels > 1 or not all(isinstance(label, str) for label in header) or None in columns:
        return safe.to_csv(index=index, lineterminator="\n")
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(zip(*columns, strict=True))
    return buffer.getvalue()


def _plain_cells(values: pd.Series | pd.Index) -> list[object] | None:
    """The cells of a column (or index) as Python's CSV writer should get them to write what
    pandas would (a missing value as ''), or None unless they are float64 numbers, numpy
    integers, true/false or text (pandas writes float32 and nullable types its own way)."""
    dtype = values.dtype
    if dtype == np.float64:
        numbers = values.to_numpy()
        cells = numbers.tolist()
        return ["" if cell != cell else cell for cell in cells] if np.isnan(numbers).any() else cells
    if isinstance(dtype, np.dtype) and dtype.kind in "iub":
        return values.tolist()
    if pd.api.types.infer_dtype(values, skipna=True) in ("string", "empty"):
        return ["" if cell is None or cell != cell else cell for cell in values.tolist()]
    return None


def _text_cells(table: pd.DataFrame) -> Iterator[object]:
    """Every distinct cell, label and index label of ``table`` that may hold text."""
    yield from table.columns
    yield from table.index.names
    if not pd.api.types.is_numeric_dtype(table.index.dtype):
        yield from table.index
    for k in range(table.shape[1]):
        if not pd.api.types.is_numeric_dtype(table.iloc[:, k].dtype):
            yield from pd.unique(table.iloc[:, k])


def _lone_cr(value: object) -> bool:
    return isinstance(value, str) and "\r" in value.replace("\r\n", "")


def write_csv(path: Path, table: pd.DataFrame, index: bool = False) -> Written:
    """``table`` as CSV (:func:`csv_text`) at ``path``."""
    text = csv_text(table, index)
    return atomic_write(path, lambda tmp: tmp.write_text(text, encoding="utf-8", newline=""))


def rows_of(table: pd.DataFrame, index: bool = False) -> list[Sequence[object]]:
    """A table as spreadsheet rows: the header (with ``index``, the index's name first), then one
    row per record, each cell a Python value (NaN and None become empty cells)."""
    labels: list[object] = list(table.columns)
    columns = [table.iloc[:, k].tolist() for k in range(len(labels))]
    if index:
        labels = [table.index.name or "", *labels]
        columns = [table.index.tolist(), *columns]
    return [labels, *(list(row) for row in zip(*columns, strict=True))]


def write_xlsx(path: Path, sheets: dict[str, pd.DataFrame], about: Sequence[tuple[str, str]],
               index: bool = False) -> Written:
    """An XLSX workbook: a README sheet of ``about`` rows (key, text), then one sheet per table
    (named by its key, made a legal sheet name)."""
    names = xlsx.sheet_names(list(sheets), taken=["README"])
    readme = xlsx.Sheet("README", [list(pair) for pair in about], bold_columns=(0,), widths={0: 22, 1: 100})
    pages = [xlsx.Sheet(name, rows_of(table, index), bold_rows=(0,),
                        widths=dict.fromkeys(range(len(table.columns) + int(index)), 18))
             for name, table in zip(names, sheets.values(), strict=True)]
    return xlsx.write(path, [readme, *pages])
