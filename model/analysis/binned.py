"""Summaries of more Monte Carlo draws than memory can keep: running sums and a histogram per cell.

A cell is one metric for one place and year. Draws arrive in batches, in draw order; a batch is
``(cells, draws)``. For each cell the summary keeps

- the number of draws, a shift ``c`` (its first draw) and the sums of ``x - c`` and ``(x - c)²``,
  for the mean and the standard deviation (each batch summed, then the batches added in order);
- how many draws lie below ``-zero`` (the share of draws below zero);
- the least and greatest draw, and how many draws are exactly zero;
- a histogram of :data:`BINS` equal bins, ``[k w, (k + 1) w)`` for whole numbers ``k``, spanning the
  first batch's range widened by half of it on each side (a draw outside falls into the nearest
  end bin). Zero is always a bin edge.

A percentile is the same interpolation between two order statistics as
:func:`model.analysis.montecarlo.percentiles_sorted`, each order statistic read from the histogram:
in the bin holding it, at its place among the bin's draws, as if they were spread evenly (an end
bin reaches out to the least or greatest draw), except that draws of exactly zero are counted
apart, so an order statistic that is zero (no redundancies in most draws, say) is exactly zero.
Its error is at most one bin width, ``1 / (BINS / 2)`` of the first batch's range: for a
bell-shaped spread of 4,096 first draws, about 0.004 standard deviations with 4,096 bins, and in
practice a small part of that (a ten-thousandth of a standard deviation is typical). Mean,
standard deviation and the share below zero are exact sums (to within rounding, as any sum of
floats). Nothing here depends on how draws were chunked for the engine, only on their order.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import numpy as np

from model.arrays import FloatArray, IntArray

BINS = 4_096
"""Histogram bins per cell (fewer when there are many cells: see :func:`bins_for`)."""

HISTOGRAM_BYTES = 128 * 2**20
"""Most memory the histograms may take."""

ROWS = 8
"""Cells counted into their histograms at once."""


def bins_for(n_cells: int) -> int:
    """Bins per cell: :data:`BINS`, halved until the histograms fit :data:`HISTOGRAM_BYTES` (at
    least 256)."""
    bins = BINS
    while bins > 256 and 8 * bins * n_cells > HISTOGRAM_BYTES:
        bins //= 2
    return bins


@dataclass
class Binned:
    """Running summaries of ``zero.size`` cells; :meth:`add` each batch of draws in draw order.

    ``zero`` is each cell's threshold: a draw below ``-zero`` counts as below zero.
    """

    zero: FloatArray
    bins: int = BINS
    draws: int = 0
    shift: FloatArray = field(init=False)
    sum1: FloatArray = field(init=False)
    sum2: FloatArray = field(init=False)
    negative: IntArray = field(init=False)
    zeros: IntArray = field(init=False)
    least: FloatArray = field(init=False)
    most: FloatArray = field(init=False)
    first: FloatArray = field(init=False)
    width: FloatArray = field(init=False)
    counts: IntArray = field(init=False)

    def add(self, batch: FloatArray, threads: int = 1) -> None:
        """Take in a batch of draws, ``(cells, n)``, the draws after those already added, with
        ``threads`` threads (each cell's summary is its own, so they cannot change a figure)."""
        if not self.draws:
            self._start(batch)
        offsets = (np.arange(ROWS) * self.bins)[:, None]  # each cell of a group its own bins
        groups = [slice(start, start + ROWS) for start in range(0, batch.shape[0], ROWS)]

        def add_groups(part: list[slice]) -> None:
            for rows in part:  # a group's draws stay in the cache through every step
                self._add_rows(rows, batch[rows], offsets[: batch[rows].shape[0]])

        if threads > 1:
            with ThreadPoolExecutor(max_workers=threads) as pool:
                list(pool.map(add_groups, [groups[k::threads] for k in range(threads)]))
        else:
            add_groups(groups)
        self.draws += batch.shape[1]

    def _add_rows(self, rows: slice, draws: FloatArray, offsets: IntArray) -> None:
        """Take in the draws of the cells ``rows``."""
        work = np.subtract(draws, self.shift[rows, None])
        self.sum1[rows] += work.sum(axis=1)
        self.sum2[rows] += np.einsum("ij,ij->i", work, work)
        low, high = draws.min(axis=1), draws.max(axis=1)
        np.minimum(self.least[rows], low, out=self.least[rows])
        np.maximum(self.most[rows], high, out=self.most[rows])
        threshold = -self.zero[rows]
        self.negative[rows] += np.where(high < threshold, draws.shape[1], 0)  # all of them, or count:
        mixed = (low < threshold) & (high >= threshold)
        if mixed.any():
            self.negative[rows][mixed] += np.count_nonzero(draws[mixed] < threshold[mixed, None], axis=1)
        straddle = (low <= 0.0) & (high >= 0.0)
        if straddle.any():
            self.zeros[rows][straddle] += np.count_nonzero(draws[straddle] == 0.0, axis=1)
        np.divide(draws, self.width[rows, None], out=work)
        np.floor(work, out=work)
        work -= self.first[rows, None]  # the bin: whole multiples of the width, counted from the first bin's
        np.clip(work, 0, self.bins - 1, out=work)
        work += offsets
        counted = np.bincount(work.astype(np.int64).ravel(), minlength=len(work) * self.bins)
        self.counts[rows] += counted.reshape(len(work), self.bins)

    def _start(self, batch: FloatArray) -> None:
        """Set the shifts and the histograms' range from the first batch."""
        n_cells = batch.shape[0]
        self.shift = batch[:, 0].copy()
        self.sum1, self.sum2 = np.zeros(n_cells), np.zeros(n_cells)
        self.negative = np.zeros(n_cells, dtype=np.int64)
        self.zeros = np.zeros(n_cells, dtype=np.int64)
        self.least, self.most = batch.min(axis=1), batch.max(axis=1)
        spread = self.most - self.least
        span = np.where(spread > 0, 2 * spread, np.maximum(np.abs(self.least), 1.0) * 2.0**-40)
        self.width = span / self.bins
        self.first = np.floor((self.least - spread / 2) / self.width)
        self.counts = np.zeros((n_cells, self.bins), dtype=np.int64)

    def statistics(self, q: tuple[float, ...]) -> FloatArray:
        """Percentiles ``q``, mean, sd and the share below zero of every cell: ``(cells, len(q) + 3)``."""
        n = self.draws
        out = np.empty((self.counts.shape[0], len(q) + 3))
        cumulative = np.cumsum(self.counts, axis=1, dtype=np.int64)
        for j, percent in enumerate(q):
            virtual = (n - 1) * (float(percent) / 100.0)
            below = int(np.floor(virtual))
            above = min(below + 1, n - 1)
            gamma = virtual - below
            a, b = self._order_statistic(cumulative, below), self._order_statistic(cumulative, above)
            diff = b - a
            out[:, j] = b - diff * (1.0 - gamma) if gamma >= 0.5 else a + diff * gamma
        k = len(q)
        out[:, k] = self.shift + self.sum1 / n
        out[:, k + 1] = np.sqrt(np.maximum(self.sum2 - self.sum1 * self.sum1 / n, 0.0) / (n - 1)) if n > 1 else 0.0
        out[:, k + 2] = self.negative / n
        return out

    def _order_statistic(self, cumulative: IntArray, rank: int) -> FloatArray:
        """Each cell's ``rank``-th smallest draw (0 is the least), read from its histogram
        (``cumulative``: the running counts over the bins)."""
        j = np.minimum((cumulative <= rank).sum(axis=1), self.bins - 1)  # the bin holding it
        cells = np.arange(len(j))
        before = np.where(j > 0, cumulative[cells, np.maximum(j - 1, 0)], 0)
        inside = self.counts[cells, j]
        start = (self.first + j) * self.width
        end = start + self.width
        start = np.where(j == 0, np.minimum(start, self.least), start)
        end = np.where(j == self.bins - 1, np.maximum(end, self.most), end)
        zeros = np.where(self.first + j == 0, self.zeros, 0)  # the bin that starts at zero holds the zeros first
        place = (rank - before - zeros + 0.5) / np.maximum(inside - zeros, 1)
        value: FloatArray = np.clip(start + place * (end - start), self.least, self.most)
        return np.where(rank - before < zeros, 0.0, value)
