"""Monte Carlo over a scenario's uncertainty block: percentiles, mean, spread and the share of
draws below zero, for every place, year and metric.

Draws come from :mod:`model.analysis.distributions` (seeded by parameter identity), are evaluated
in chunks by :mod:`model.analysis.runs` and summarised here. The same seed gives byte-identical
summaries however the draws are chunked or wherever they run. Functions here return tables; they
never print or write.

A run whose draws fit in :data:`KEEP_BYTES` keeps every draw of every cell and its percentiles are
exact. A bigger one (100,000 draws of the default metrics would take 2.7 GB) is evaluated in
batches of :data:`BATCH_DRAWS` draws that stream through running sums and histograms
(:mod:`model.analysis.binned`): mean, sd and the share below zero are exact sums, and each
percentile is within one histogram bin of the exact one (see that module for the bound).
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import partial

import numpy as np
import pandas as pd

from model.analysis.binned import Binned, bins_for
from model.analysis.distributions import Distribution, check_bounds, check_seed, sample
from model.analysis.metrics import check_metrics
from model.analysis.runs import default_threads, evaluate, memory_check
from model.arrays import FloatArray
from model.engine.inputs import Inputs
from model.output.results import ENGLAND_CODE, ENGLAND_NAME
from model.schema import column, role_of

DEFAULT_METRICS: tuple[str, ...] = (
    "allowance_gbp",
    "allowance_real_gbp",
    "real_change_vs_base",
    "affordable_wte",
    "required_wte",
    "wte_gap",
    "funding_gap_gbp",
    "core_capacity_wte",
    "redundancies_wte",
    "redundancy_cost_gbp",
)
"""Metrics summarised unless others are asked for: the headline figures of a run."""

PERCENTILES: tuple[float, ...] = (5.0, 50.0, 95.0)
"""Reported percentiles (numpy's default 'linear' method: interpolation between order statistics)."""

SUMMARY_COLUMNS: tuple[str, ...] = (
    "scenario", "icb_code", "icb_name", "region", "footprint", "year", "metric",
    "p5", "p50", "p95", "mean", "sd", "prob_negative", "draws",
)
"""Columns of ``montecarlo.csv``. ``prob_negative`` is the share of draws below zero at the
precision files show (for ``funding_gap_gbp``: the probability of a funding shortfall); ``sd``
divides by ``draws - 1``."""

KEEP_BYTES = 512 * 2**20
"""Most memory a run may take to keep every draw of every cell (float64) and summarise them
exactly; a bigger run streams its draws through binned summaries."""

BATCH_DRAWS = 4_096
"""Draws per batch of a streamed run (a fixed number: the summaries depend on it, never on the
engine's chunks)."""


def percentiles_sorted(ordered: FloatArray, q: tuple[float, ...] = PERCENTILES) -> FloatArray:
    """Percentiles along the last axis of data sorted along it, or at least at the positions
    :func:`order_positions` names (as ``numpy.partition`` leaves them): shape ``(..., len(q))``.

    Identical to ``numpy.percentile(data, q, axis=-1)`` (its default 'linear' method: the
    ``(n - 1) * q / 100``-th order statistic, interpolated), without numpy's repeated partitions.
    """
    n = ordered.shape[-1]
    out = np.empty((*ordered.shape[:-1], len(q)))
    for j, percent in enumerate(q):
        virtual = (n - 1) * (float(percent) / 100.0)
        below = math.floor(virtual)
        above = min(below + 1, n - 1)
        gamma = virtual - below
        a, b = ordered[..., below], ordered[..., above]
        diff = b - a
        out[..., j] = b - diff * (1.0 - gamma) if gamma >= 0.5 else a + diff * gamma
    return out


def order_positions(n: int, q: tuple[float, ...] = PERCENTILES) -> list[int]:
    """The order statistics (0 is the least of ``n``) that the percentiles ``q`` interpolate between."""
    positions = set()
    for percent in q:
        below = math.floor((n - 1) * (float(percent) / 100.0))
        positions |= {below, min(below + 1, n - 1)}
    return sorted(positions)


Ordering = Callable[[FloatArray], FloatArray]
"""Draws along the last axis put in order, at least at the positions the percentiles read."""


def by_sorting(data: FloatArray) -> FloatArray:
    """Every draw in order (``numpy.sort``)."""
    return np.sort(data, axis=-1)


def by_partition(data: FloatArray) -> FloatArray:
    """The order statistics the percentiles read in place (``numpy.partition``)."""
    return np.partition(data, order_positions(data.shape[-1]), axis=-1)


CALIBRATION_ROWS = 8
"""Cells of draws :func:`fastest_ordering` times each way before a summary."""


def fastest_ordering(data: FloatArray) -> Ordering:
    """:func:`by_sorting` or :func:`by_partition`, whichever orders a few cells of ``data`` (``(..., N)``)
    faster on this machine.

    Both leave the same values at the positions the percentiles read, so the choice cannot change a
    figure; which is faster depends on the processor and numpy's kernels for it (x86-simd-sort):
    602 cells of 10,000 draws took 62-66 ms to sort and 129-134 ms to partition on one 2-core test
    machine, and 333 cells 105 ms and 60 ms on another (an AMD EPYC). Timing both on
    :data:`CALIBRATION_ROWS` cells costs a few milliseconds, against a summary's hundreds.
    """
    rows = data.reshape(-1, data.shape[-1])
    if len(rows) <= 4 * CALIBRATION_ROWS:
        return by_sorting
    sample = np.ascontiguousarray(rows[:: len(rows) // CALIBRATION_ROWS][:CALIBRATION_ROWS])
    times: dict[Ordering, float] = {}
    for ordering in (by_sorting, by_partition, by_sorting, by_partition):
        started = time.perf_counter()
        ordering(sample)
        elapsed = time.perf_counter() - started
        times[ordering] = min(elapsed, times.get(ordering, elapsed))
    return min(times, key=times.__getitem__)


def _statistics(data: FloatArray, zero: float, ordering: Ordering) -> FloatArray:
    """P5, P50, P95, mean, sd and the share below ``-zero`` of ``(..., N)`` draws, put in order by
    ``ordering``: ``(..., 6)``."""
    draws = data.shape[-1]
    stats = np.empty((*data.shape[:-1], 6))
    stats[..., 0:3] = percentiles_sorted(ordering(data))
    stats[..., 3] = data.mean(axis=-1)
    stats[..., 4] = data.std(axis=-1, ddof=1) if draws > 1 else 0.0
    stats[..., 5] = np.count_nonzero(data < -zero, axis=-1) / draws
    return stats


def summarise(inputs: Inputs, cells: FloatArray, metrics: tuple[str, ...], scenario: str, threads: int | None = None,
              footprint: str | None = None) -> pd.DataFrame:
    """``montecarlo.csv``'s table from all draws' metrics ``(M, 1 + I, T, N)``.

    One row per place (England first, then the footprint's organisations in order), year and metric. Metrics are
    summarised side by side in ``threads`` threads (ordering draws releases the GIL), each cell's draws
    put in order the faster way on this machine (:func:`fastest_ordering`). A draw counts as
    negative when it is below zero at the precision files show (half a penny, half of 0.0001 WTE):
    the base year balances by construction, and rounding noise is not a shortfall.
    """
    zeros = [_zero(m) for m in metrics]
    statistics = partial(_statistics, ordering=fastest_ordering(cells))
    with ThreadPoolExecutor(max_workers=threads or default_threads()) as pool:
        stats = np.stack(list(pool.map(statistics, cells, zeros)))  # metric, place, year, stat
    return _table(inputs, stats, metrics, scenario, cells.shape[-1], footprint)


def _zero(metric: str) -> float:
    """Half a unit of the last decimal files show: a draw below minus this counts as below zero."""
    return 0.5 * 10.0 ** -_decimals(metric)


def _table(inputs: Inputs, stats: FloatArray, metrics: tuple[str, ...], scenario: str, draws: int,
           footprint: str | None) -> pd.DataFrame:
    """``montecarlo.csv``'s table from the statistics ``(M, 1 + U, T, 6)`` (P5, P50, P95, mean,
    sd, share below zero)."""
    n_metric, n_place, n_year = stats.shape[:3]
    chosen = inputs.footprint(footprint)
    stats = np.moveaxis(stats, 0, 2)  # place, year, metric, stat
    n_rows = n_place * n_year * n_metric
    frame = pd.DataFrame(
        {
            "scenario": scenario,
            "icb_code": np.repeat((ENGLAND_CODE, *chosen.codes), n_year * n_metric),
            "icb_name": np.repeat((ENGLAND_NAME, *chosen.names), n_year * n_metric),
            "region": np.repeat(("", *chosen.regions), n_year * n_metric),
            "footprint": chosen.label,
            "year": np.tile(np.repeat(inputs.labels, n_metric), n_place),
            "metric": np.tile(metrics, n_place * n_year),
        }
    )
    flat = stats.reshape(n_rows, 6)
    for j, name in enumerate(("p5", "p50", "p95", "mean", "sd", "prob_negative")):
        frame[name] = flat[:, j]
    frame["draws"] = draws
    return frame[list(SUMMARY_COLUMNS)]


def _decimals(metric: str) -> int:
    """Rounding in files: the metric's column's decimals, as results.csv rounds it."""
    return column(metric).decimals or 0


def rounded(frame: pd.DataFrame) -> pd.DataFrame:
    """The summary as written to files: each metric's statistics rounded for its unit."""
    out = frame.copy()
    digits = out["metric"].map(_decimals).to_numpy()
    for statistic in ("p5", "p50", "p95", "mean", "sd"):
        values = out[statistic].to_numpy(dtype=float)
        out[statistic] = [round(float(v), int(d)) + 0.0 for v, d in zip(values, digits, strict=True)]
    out["prob_negative"] = out["prob_negative"].round(10)
    return out


@dataclass(frozen=True)
class MonteCarloRun:
    """A Monte Carlo run: the summary table, the draws that made it and how long it took.

    ``cells`` holds every draw's metrics ``(M, 1 + I, T, N)`` (England first), or is None for a
    run too big to keep them (its summary is binned); ``draws`` maps each parameter path to its
    ``(N,)`` draws.
    """

    summary: pd.DataFrame
    cells: FloatArray | None
    draws: dict[str, FloatArray]
    metrics: tuple[str, ...]
    seconds: float


def simulate(
    inputs: Inputs,
    distributions: list[Distribution],
    draws: int,
    seed: int,
    metrics: tuple[str, ...] = DEFAULT_METRICS,
    scenario: str = "",
    chunk_size: int | None = None,
    scheduler: str | None = None,
    workers: int | None = None,
    progress: bool = False,
    footprint: str | None = None,
    keep_bytes: int = KEEP_BYTES,
) -> MonteCarloRun:
    """Sample every distribution, evaluate all draws and summarise them on a footprint (default:
    the latest): exactly when every draw fits in ``keep_bytes``, else binned, batch by batch (see
    the module docstring)."""
    started = time.perf_counter()
    metrics = check_metrics(metrics)
    check_bounds(distributions, inputs)
    n_cells = len(metrics) * (1 + len(inputs.footprint(footprint))) * len(inputs.labels)
    draws = max(int(draws), 0)
    keep = 8 * n_cells * draws <= keep_bytes
    kept = draws if keep else 3 * min(draws, BATCH_DRAWS)  # a batch, and its working copies
    memory_check(8 * (n_cells * kept + len(distributions) * draws) + (0 if keep else 4 * n_cells * bins_for(n_cells)))
    values = sample(distributions, draws, check_seed(seed))
    if keep:
        cells = evaluate(inputs, distributions, values, metrics, draws, chunk_size, scheduler, workers, progress,
                         footprint=footprint)
        summary = summarise(inputs, cells, metrics, scenario, workers if scheduler is None else None, footprint)
        return MonteCarloRun(summary, cells, values, metrics, time.perf_counter() - started)
    binned = Binned(np.repeat([_zero(m) for m in metrics], n_cells // len(metrics)), bins_for(n_cells))
    for start in range(0, draws, BATCH_DRAWS):
        stop = min(start + BATCH_DRAWS, draws)
        batch = evaluate(inputs, distributions, {path: v[start:stop] for path, v in values.items()}, metrics,
                         stop - start, chunk_size, scheduler, workers, progress,
                         label=f"draws {start + 1:,}-{stop:,} of {draws:,}", footprint=footprint)
        binned.add(batch.reshape(n_cells, stop - start), workers or default_threads())
    stats = binned.statistics(PERCENTILES).reshape(len(metrics), -1, len(inputs.labels), 6)
    summary = _table(inputs, stats, metrics, scenario, draws, footprint)
    return MonteCarloRun(summary, None, values, metrics, time.perf_counter() - started)


def draws_table(run: MonteCarloRun) -> pd.DataFrame:
    """Each draw's parameter values, one row per draw (``draws.csv``)."""
    return pd.DataFrame({"draw": np.arange(len(next(iter(run.draws.values()), []))), **run.draws})


def distributions_table(distributions: list[Distribution]) -> pd.DataFrame:
    """The uncertainty block as a table: parameter, role, distribution and its provenance."""
    return pd.DataFrame(
        [
            {
                "parameter": d.path,
                "role": role_of(d.path),
                "distribution": d.distribution,
                "mode": d.mode,
                "low": d.low,
                "high": d.high,
                "peak": d.peak,
                "mean": d.mean,
                "sd": d.sd,
                "median": d.median,
                "sigma": d.sigma,
                "from_year": d.from_year,
                "status": d.status,
                "source": d.source,
                "note": d.note,
            }
            for d in distributions
        ],
        columns=["parameter", "role", "distribution", "mode", "low", "high", "peak", "mean", "sd", "median",
                 "sigma", "from_year", "status", "source", "note"],
    )


