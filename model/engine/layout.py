"""The array layout the engine's formulas work in, and the helpers that move arrays into it.

:func:`model.engine.evaluate` works with samples on the last axis: ``(I, T, S)`` for ICBs, years
and samples, ``(1, T, S)`` for national series, ``(I, 1, S)`` for per-ICB constants and
``(1, 1, S)`` for numbers. Every numpy inner loop then runs along a whole chunk of Monte Carlo
draws. :class:`Frame` reads a run's parameters in that layout.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from model.arrays import FloatArray, IntArray
from model.engine.inputs import Inputs


def national(values: FloatArray) -> FloatArray:
    """A per-sample, per-year ``(S, T)`` array as ``(1, T, S)``."""
    return np.ascontiguousarray(values.T)[None]


def local(values: FloatArray) -> FloatArray:
    """A per-sample, per-ICB ``(S, I)`` array as ``(I, 1, S)``."""
    return np.ascontiguousarray(values.T)[:, None, :]


def at_year(series: FloatArray, index: IntArray) -> FloatArray:
    """Each ICB's and sample's value of ``series`` in year ``index[s, i]`` (clipped into the
    horizon).

    ``series`` is ``(I or 1, T, S)``, ``index`` an integer array ``(S, I)``; returns ``(I, S)``, the
    engine's layout. An index that is the same for every sample (``(1, I)``, the usual case:
    go-live dates are seldom drawn) picks whole rows at once.
    """
    if index.shape[0] == 1 and series.shape[0] in (1, index.shape[1]):
        years = np.clip(index[0], 0, series.shape[1] - 1)
        rows: FloatArray = series[np.arange(index.shape[1]), years] if series.shape[0] > 1 else series[0, years]
        return rows
    n_sample, n_icb = np.broadcast_shapes((series.shape[2], series.shape[0]), index.shape)
    clipped = np.clip(np.broadcast_to(index, (n_sample, n_icb)), 0, series.shape[1] - 1)
    icbs = np.arange(n_icb)[:, None] if series.shape[0] > 1 else 0
    samples = np.arange(n_sample)[None, :] if series.shape[2] > 1 else 0
    picked: FloatArray = series[icbs, clipped.T, samples]
    return picked


def at_years(series: FloatArray, index: IntArray) -> FloatArray:
    """:func:`at_year` for each row of a stack of indices: ``index`` ``(F, S, I)`` gives ``(F, I, S)``.
    Indices that are the same for every sample (``(F, 1, I)``) pick every row in one gather."""
    if index.shape[1] == 1 and series.shape[0] in (1, index.shape[2]):
        years = np.clip(index[:, 0, :], 0, series.shape[1] - 1)  # (F, I)
        rows: FloatArray = series[np.arange(index.shape[2]), years] if series.shape[0] > 1 else series[0, years]
        return rows
    return np.stack([at_year(series, rows) for rows in index])


def samples_first(values: FloatArray) -> FloatArray:
    """An ``(I, T, S)`` array as ``(S, I, T)``, copying only what varies.

    Axes that ``values`` merely broadcasts (stride 0) stay broadcast.
    """
    varying = tuple(slice(None) if stride else slice(0, 1) for stride in values.strides)
    compact = np.ascontiguousarray(np.transpose(values[varying], (2, 0, 1)))
    full = (values.shape[2], values.shape[0], values.shape[1])
    return compact if compact.shape == full else np.broadcast_to(compact, full)


@dataclass(frozen=True)
class Frame:
    """One run's parameters and time axis, read in the engine's layout.

    ``t`` counts years from the base year (float), ``years`` are the calendar years the financial
    years start in, ``pop0`` is the base-year population ``(I, 1, 1)``.
    """

    inputs: Inputs
    t: FloatArray = field(init=False)
    years: IntArray = field(init=False)
    pop0: FloatArray = field(init=False)

    def __post_init__(self) -> None:
        n_year = len(self.inputs.labels)
        object.__setattr__(self, "t", np.arange(n_year, dtype=float))
        object.__setattr__(self, "years", self.inputs.base_year + np.arange(n_year))
        object.__setattr__(self, "pop0", self.inputs.population[:, None, None])

    @property
    def n_years(self) -> int:
        return len(self.inputs.labels)

    def raw(self, path: str) -> FloatArray:
        """A parameter's array as :class:`~model.engine.inputs.Inputs` holds it (sample axis first)."""
        return self.inputs.values[path]

    def number(self, path: str) -> FloatArray:
        """A number as ``(1, 1, S)``."""
        return self.inputs.values[path][None, None, :]

    def series(self, path: str) -> FloatArray:
        """A series as ``(1, T, S)``."""
        return national(self.inputs.values[path])

    def per_sample(self, path: str) -> FloatArray:
        """A number as ``(S, 1)``: for powers over years, computed ``(S, T)`` then laid out."""
        return self.inputs.values[path][:, None]

    def grown(self, path: str, exponent: FloatArray | IntArray | None = None) -> FloatArray:
        """``(1 + rate) ** exponent`` for a yearly rate (default exponent: ``t``), as ``(1, T, S)``."""
        return national((1.0 + self.per_sample(path)) ** (self.t if exponent is None else exponent))
