"""Rows of a results table as the page reads them: column by column, each column read once.

The page reads a place's rows and the ICBs' rows in a year many times a slider move (a chart, the
tables, the live region each read the years, the allowances, the bases...). Reading a column of a
pandas frame makes a new Series each time (pandas 3 keeps no cache), about ten microseconds;
:class:`Columns` reads each column once into a numpy array and hands the same array out after.
The shipped scenarios' selections are kept across moves (:class:`dashboard.store.Rows`), so most
reads of a move cost a dictionary look-up.
"""

from __future__ import annotations

import numpy as np
import pandas as pd


class Columns:
    """Some rows of a results table, read by column: ``columns[name]`` is the column as a numpy
    array (read-only; text as Python strings), ``name in columns`` says whether the table has it
    and ``len(columns)`` is the number of rows. ``frame`` is the table itself.

    The frame must not change after it is wrapped (results tables never do). Two threads reading
    a column at once both get an equal array."""

    __slots__ = ("_read", "frame")

    def __init__(self, frame: pd.DataFrame) -> None:
        self.frame = frame
        self._read: dict[str, np.ndarray] = {}

    def __getitem__(self, name: str) -> np.ndarray:
        column = self._read.get(name)
        if column is None:
            column = self._read[name] = self.frame[name].to_numpy()
        return column

    def __contains__(self, name: object) -> bool:
        return name in self.frame.columns

    def __len__(self) -> int:
        return len(self.frame)

    def __repr__(self) -> str:
        return f"Columns({len(self)} rows, {len(self.frame.columns)} columns)"
