"""Rows of a results table as the page reads them: column by column, each column read once.

The page reads a place's rows and the ICBs' rows in a year many times a slider move (a chart, the
tables, the live region each read the years, the allowances, the bases...). Reading a column of a
pandas frame makes a new Series each time (pandas 3 keeps no cache), about ten microseconds;
:class:`Columns` reads each column once into a numpy array and hands the same array out after.
The shipped scenarios' selections are kept across moves (:class:`dashboard.store.Rows`), so most
reads of a move cost a dictionary look-up. The custom scenario, new at every move, is never made
a frame unless something asks for one (a download, say): its columns come straight from the
engine's arrays (:func:`model.output.results.table_columns`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import numpy as np
import pandas as pd


class Columns:
    """Some rows of a results table, read by column: ``columns[name]`` is the column as a numpy
    array, not to be written to (text as Python strings, as the frame's ``to_numpy`` gives);
    ``name in columns`` says whether the table has it and ``len(columns)`` is the number of rows.
    :meth:`take` selects rows; :attr:`frame` is the table as a pandas frame.

    Made from a frame (``Columns(frame)``) or from arrays (:meth:`of_arrays`). Neither may change
    after (results tables never do). Two threads reading a column at once both get an equal array.
    """

    __slots__ = ("_frame", "_length", "_names", "_read", "_source")

    def __init__(self, frame: pd.DataFrame) -> None:
        self._frame: pd.DataFrame | None = frame
        self._names: dict[str, None] = dict.fromkeys(frame.columns)
        self._length = len(frame)
        self._source: Callable[[str], np.ndarray] = lambda name: frame[name].to_numpy()
        self._read: dict[str, np.ndarray] = {}

    @classmethod
    def of_arrays(cls, arrays: Mapping[str, np.ndarray]) -> Columns:
        """The table whose columns are ``arrays`` (equal lengths), in their order; its frame is made
        only if asked for. The arrays are made read-only: every reader shares them."""
        lengths = {len(array) for array in arrays.values()}
        if len(lengths) > 1:
            raise ValueError(f"columns of unequal lengths: {sorted(lengths)}")
        return cls._lazy(dict.fromkeys(arrays), lengths.pop() if lengths else 0,
                         lambda name: _read_only(arrays[name]))

    @classmethod
    def _lazy(cls, names: dict[str, None], length: int, source: Callable[[str], np.ndarray]) -> Columns:
        made = cls.__new__(cls)
        made._frame, made._names, made._length, made._source, made._read = None, names, length, source, {}
        return made

    def take(self, rows: np.ndarray) -> Columns:
        """The rows where ``rows`` (a boolean array, one per row) is true, in order; each column
        is selected when first read."""
        if self._frame is not None:
            return Columns(self._frame[rows])
        return Columns._lazy(self._names, int(np.count_nonzero(rows)),
                             lambda name: _read_only(self[name][rows]))

    @property
    def frame(self) -> pd.DataFrame:
        """The rows as a pandas frame (made from the columns on first use, when not made from one)."""
        if self._frame is None:
            self._frame = pd.DataFrame({name: self[name] for name in self._names})
        return self._frame

    def __getitem__(self, name: str) -> np.ndarray:
        column = self._read.get(name)
        if column is None:
            if name not in self._names:
                raise KeyError(name)
            column = self._read[name] = self._source(name)
        return column

    def __contains__(self, name: object) -> bool:
        return name in self._names

    def __len__(self) -> int:
        return self._length

    def __repr__(self) -> str:
        return f"Columns({self._length} rows, {len(self._names)} columns)"


def _read_only(array: np.ndarray) -> np.ndarray:
    """``array``, made read-only (it is shared by every reader)."""
    array.flags.writeable = False
    return array
