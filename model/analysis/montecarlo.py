"""Monte Carlo over a scenario's uncertainties, and Sobol indices, in chunks of draws.

Every parameter's full vector of draws is made first (:func:`model.analysis.distributions.sample`, seeded by
parameter identity); the draws are then cut into chunks, each chunk becomes the sample axis of one
engine call, and the chosen metrics of every chunk are written into one array
``(metrics, 1 + ICBs, years, draws)`` (England first). Statistics are taken over that array at
the end, so neither the chunk size nor where a chunk ran (this process or a Dask worker) can
change a single bit of the results.

Memory: the engine holds a few dozen ``(ICBs, years, chunk)`` arrays at a time per thread, and
the result array takes ``8 x metrics x (ICBs + 1) x years x draws`` bytes (10 metrics, 42 ICBs,
9 years and 10,000 draws: 310 MB); a run that would need more than half the machine's memory is
refused. Choose fewer metrics for very long runs.
"""

from __future__ import annotations

import math
import os
import time
from collections import deque
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
import pandas as pd

from model import engine
from model.engine.inputs import Inputs
from model.engine.changes import OverrideError, apply
from model.output.results import ENGLAND_CODE, ENGLAND_NAME
from model.schema import column
from model.analysis.sensitivity import cell_metrics, check_metric, check_metrics, check_place, role_of, year_index
from model.analysis.distributions import (Distribution, UncertaintyError, changes_for, check_bounds, check_seed,
                                         sample)

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
    "scenario", "icb_code", "icb_name", "region", "year", "metric",
    "p5", "p50", "p95", "mean", "sd", "prob_negative", "draws",
)
"""Columns of ``montecarlo.csv``. ``prob_negative`` is the share of draws below zero at the
precision files show (for ``funding_gap_gbp``: the probability of a funding shortfall); ``sd``
divides by ``draws - 1``."""

CELLS_PER_CHUNK = 72_000
"""Default chunk size, in sample x ICB x year cells per engine call (190 draws for 42 ICBs over
9 years): big enough to amortise numpy's per-call cost, small enough that the engine's arrays
(about 0.6 MB each) stay in a core's cache; twice this was half as fast on the 2-core test machine."""


def default_chunk_size(inputs: Inputs) -> int:
    """Draws per engine call for a run of this size."""
    return max(1, CELLS_PER_CHUNK // (len(inputs.codes) * len(inputs.labels)))


def evaluate_chunk(
    inputs: Inputs,
    distributions: list[Distribution],
    values: Mapping[str, np.ndarray],
    metrics: tuple[str, ...],
    n: int,
    out: np.ndarray | None = None,
) -> np.ndarray:
    """The metrics for one chunk of ``n`` draws: shape ``(M, 1 + I, T, n)``, England first.

    ``values`` holds this chunk's draws for every distribution (``(n,)`` each); ``out``, if given,
    receives the figures (a slice of the whole run's array). A pure function of its arguments: it
    runs the same in this process or on a Dask worker.
    """
    changed = apply(inputs, changes_for(distributions, values, inputs.labels)) if distributions else inputs
    evaluated = engine.evaluate(changed)
    if evaluated["allowance_gbp"].shape[-1] != n:  # nothing drawn: one run stands for every draw
        evaluated = {k: np.broadcast_to(a, (*a.shape[:-1], n)) for k, a in evaluated.items()}
    return cell_metrics(changed, evaluated, metrics, out=out)


def _chunks(draws: int, size: int) -> list[tuple[int, int]]:
    return [(start, min(start + size, draws)) for start in range(0, draws, size)]


def _progress(total: int, show: bool, desc: str):
    from tqdm import tqdm

    return tqdm(total=total, unit="run", desc=desc, disable=not show, delay=0.5, leave=False, dynamic_ncols=True)


def evaluate(
    inputs: Inputs,
    distributions: list[Distribution],
    values: Mapping[str, np.ndarray],
    metrics: tuple[str, ...],
    draws: int,
    chunk_size: int | None = None,
    scheduler: str | None = None,
    workers: int | None = None,
    progress: bool = False,
    label: str = "draws",
) -> np.ndarray:
    """All draws' metrics, ``(M, 1 + I, T, draws)``, computed chunk by chunk.

    ``scheduler`` is None (this process, with ``workers`` threads: numpy releases the GIL, so
    chunks run side by side), ``"local"`` (a Dask LocalCluster of ``workers`` processes started
    for the run) or the address of a running Dask scheduler. Every chunk is the same pure
    function of its draws, so none of these choices changes the result.
    """
    if inputs.samples != 1:
        raise OverrideError("a Monte Carlo run starts from one deterministic run (one sample)")
    size = int(default_chunk_size(inputs) if chunk_size is None else chunk_size)
    if size < 1:
        raise OverrideError(f"--chunk-size must be 1 or more; got {chunk_size}")
    if workers is not None and workers < 1:
        raise OverrideError(f"--workers must be 1 or more; got {workers}")
    shape = (len(metrics), 1 + len(inputs.codes), len(inputs.labels), draws)
    _check_memory(8 * math.prod(shape))
    result = np.empty(shape)
    spans = _chunks(draws, size)

    def part(start: int, stop: int) -> dict[str, np.ndarray]:
        return {path: v[start:stop] for path, v in values.items()}

    def one(span: tuple[int, int]) -> None:
        start, stop = span
        evaluate_chunk(inputs, distributions, part(start, stop), metrics, stop - start, out=result[..., start:stop])

    if scheduler is None:
        finished = _threaded(one, spans, workers or default_threads())
    else:
        finished = _dask_chunks(inputs, distributions, part, metrics, spans, scheduler, workers)
    try:
        with _progress(draws, progress, label) as bar:
            for (start, stop), chunk in finished:
                if chunk is not None:
                    result[..., start:stop] = chunk
                bar.update(stop - start)
    finally:
        finished.close()  # stops the threads or releases the cluster at once, even on Ctrl-C
    return result


def _check_memory(needed: int) -> None:
    """Refuse a run whose results would take more than half of this machine's memory."""
    try:
        physical = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (AttributeError, OSError, ValueError):
        return
    if needed > physical // 2:
        raise OverrideError(
            f"the results of this run would take {needed / 2**30:,.1f} GiB, more than half of this machine's "
            f"{physical / 2**30:,.1f} GiB; ask for fewer --draws or fewer --metrics"
        )


def default_threads() -> int:
    """Threads for chunks in this process: one per core, at most 8."""
    return max(1, min(8, os.cpu_count() or 1))


def _threaded(
    work: Callable[[tuple[int, int]], None], spans: list[tuple[int, int]], threads: int
) -> Iterator[tuple[tuple[int, int], None]]:
    """Run ``work`` (which writes its chunk in place) on each span in a pool of threads, at most
    two chunks ahead per thread, yielding each span when done, in order. On an interrupt, chunks
    not yet started are cancelled."""
    if threads == 1 or len(spans) == 1:
        for span in spans:
            yield span, work(span)
        return
    pool = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="montecarlo")
    pending: deque = deque()
    try:
        queue = iter(spans)
        for span in queue:
            pending.append((span, pool.submit(work, span)))
            if len(pending) >= 2 * threads:
                break
        while pending:
            span, future = pending.popleft()
            result = future.result()
            following = next(queue, None)
            if following is not None:
                pending.append((following, pool.submit(work, following)))
            yield span, result
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _dask_chunks(
    inputs: Inputs,
    distributions: list[Distribution],
    part: Callable[[int, int], dict[str, np.ndarray]],
    metrics: tuple[str, ...],
    spans: list[tuple[int, int]],
    scheduler: str,
    workers: int | None,
) -> Iterator[tuple[tuple[int, int], np.ndarray]]:
    """Run chunks on a Dask cluster and yield them as they finish; always releases the cluster."""
    import logging

    from distributed import Client, LocalCluster, as_completed

    cluster = None
    if scheduler == "local":
        cluster = LocalCluster(
            n_workers=workers or default_threads(),
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
            silence_logs=logging.ERROR,
        )
        client = Client(cluster)
    else:
        try:
            client = Client(scheduler, timeout="10s")
        except (OSError, TimeoutError, ValueError) as error:
            raise OverrideError(f"--scheduler {scheduler}: cannot reach a Dask scheduler there ({error})") from None
    futures = []
    try:
        shared = client.scatter(inputs, broadcast=True)
        where = {}
        for span in spans:
            future = client.submit(
                evaluate_chunk, shared, distributions, part(*span), metrics, span[1] - span[0], pure=False
            )
            where[future.key] = span
            futures.append(future)
        for future in as_completed(futures):
            try:
                chunk = future.result()
            except ImportError as error:
                raise OverrideError(
                    f"--scheduler {scheduler}: a worker cannot import the model ({error}); install this package "
                    "on every worker (pip install .[batch])"
                ) from None
            yield where[future.key], chunk
    finally:
        for future in futures:
            future.cancel()
        client.close()
        if cluster is not None:
            cluster.close()


def percentiles_sorted(ordered: np.ndarray, q: tuple[float, ...] = PERCENTILES) -> np.ndarray:
    """Percentiles along the last axis of data already sorted along it: shape ``(..., len(q))``.

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


def _statistics(data: np.ndarray, zero: float) -> np.ndarray:
    """P5, P50, P95, mean, sd and the share below ``-zero`` of ``(..., N)`` draws: ``(..., 6)``."""
    draws = data.shape[-1]
    stats = np.empty((*data.shape[:-1], 6))
    stats[..., 0:3] = percentiles_sorted(np.sort(data, axis=-1))
    stats[..., 3] = data.mean(axis=-1)
    stats[..., 4] = data.std(axis=-1, ddof=1) if draws > 1 else 0.0
    stats[..., 5] = np.count_nonzero(data < -zero, axis=-1) / draws
    return stats


def summarise(
    inputs: Inputs, cells: np.ndarray, metrics: tuple[str, ...], scenario: str, threads: int | None = None
) -> pd.DataFrame:
    """``montecarlo.csv``'s table from all draws' metrics ``(M, 1 + I, T, N)``.

    One row per place (England first, then ICBs in table order), year and metric. Metrics are
    summarised side by side in ``threads`` threads (sorting releases the GIL). A draw counts as
    negative when it is below zero at the precision files show (half a penny, half of 0.0001 WTE):
    the base year balances by construction, and rounding noise is not a shortfall.
    """
    n_metric, n_place, n_year, draws = cells.shape
    zeros = [0.5 * 10.0 ** -_decimals(m) for m in metrics]
    with ThreadPoolExecutor(max_workers=threads or default_threads()) as pool:
        stats = np.stack(list(pool.map(_statistics, cells, zeros)))  # metric, place, year, stat
    stats = np.moveaxis(stats, 0, 2)  # place, year, metric, stat
    n_rows = n_place * n_year * n_metric
    frame = pd.DataFrame(
        {
            "scenario": scenario,
            "icb_code": np.repeat((ENGLAND_CODE, *inputs.codes), n_year * n_metric),
            "icb_name": np.repeat((ENGLAND_NAME, *inputs.names), n_year * n_metric),
            "region": np.repeat(("", *inputs.regions), n_year * n_metric),
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
    for column in ("p5", "p50", "p95", "mean", "sd"):
        values = out[column].to_numpy(dtype=float)
        out[column] = [round(float(v), int(d)) + 0.0 for v, d in zip(values, digits)]
    out["prob_negative"] = out["prob_negative"].round(10)
    return out


@dataclass(frozen=True)
class MonteCarloRun:
    """A Monte Carlo run: the summary table, the draws that made it and how long it took.

    ``cells`` holds every draw's metrics ``(M, 1 + I, T, N)`` (England first); ``draws`` maps
    each parameter path to its ``(N,)`` draws.
    """

    summary: pd.DataFrame
    cells: np.ndarray
    draws: dict[str, np.ndarray]
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
) -> MonteCarloRun:
    """Sample every distribution, evaluate all draws and summarise them (see the module docstring)."""
    started = time.perf_counter()
    metrics = check_metrics(metrics)
    check_bounds(distributions, inputs)
    cells = len(metrics) * (1 + len(inputs.codes)) * len(inputs.labels) + len(distributions)
    _check_memory(8 * cells * max(int(draws), 0))
    values = sample(distributions, draws, check_seed(seed))
    cells = evaluate(inputs, distributions, values, metrics, draws, chunk_size, scheduler, workers, progress)
    summary = summarise(inputs, cells, metrics, scenario, workers if scheduler is None else None)
    return MonteCarloRun(summary, cells, values, metrics, time.perf_counter() - started)


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


# ---------------------------------------------------------------------------------------------
# Sobol indices
# ---------------------------------------------------------------------------------------------


def default_sobol_base(draws: int, n_params: int) -> int:
    """A power of two near ``draws / (n_params + 2)`` (at least 64): SALib's base sample size,
    so that the Sobol design costs about as many model runs as the Monte Carlo."""
    return 2 ** max(6, math.ceil(math.log2(max(1.0, draws / (n_params + 2)))))


def sobol_indices(
    distributions: list[Distribution],
    model: Callable[[dict[str, np.ndarray]], np.ndarray],
    base: int,
    seed: int,
    resamples: int = 100,
) -> pd.DataFrame:
    """First-order and total Sobol indices of ``model``'s output for each distribution.

    SALib's Saltelli design (``base x (D + 2)`` points, scrambled Sobol sequence seeded by
    ``seed``) is drawn on the unit hypercube and mapped through each distribution's quantile
    function, so the indices respect the declared distributions and bounds. ``model`` takes a
    mapping from path to values (one per point) and returns one output per point. Returns
    ``parameter, role, S1, S1_conf, ST, ST_conf`` (confidence half-widths at 95%, by bootstrap).
    """
    import warnings

    from SALib.analyze import sobol as sobol_analyze
    from SALib.sample import sobol as sobol_sample

    if not distributions:
        raise UncertaintyError("Sobol indices need an uncertainty block with at least one distribution")
    if base < 2 or base & (base - 1):
        raise UncertaintyError(f"the Sobol base sample must be a power of two (such as 1024); got {base}")
    names = [d.path for d in distributions]
    problem = {"num_vars": len(names), "names": names, "bounds": [[0.0, 1.0]] * len(names)}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        unit = sobol_sample.sample(problem, base, calc_second_order=False, scramble=True, seed=seed)
    values = {d.path: d.ppf(unit[:, j]) for j, d in enumerate(distributions)}
    output = np.asarray(model(values), dtype=float)
    frame = pd.DataFrame({"parameter": names, "role": [role_of(n) for n in names]})
    if not np.isfinite(output).all():
        raise UncertaintyError("the metric is not finite for some draws; Sobol indices cannot be computed")
    if np.ptp(output) == 0:
        for column in ("S1", "S1_conf", "ST", "ST_conf"):
            frame[column] = 0.0
        return frame
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        indices = sobol_analyze.analyze(
            problem, output, calc_second_order=False, num_resamples=resamples, print_to_console=False, seed=seed
        )
    for column in ("S1", "S1_conf", "ST", "ST_conf"):
        frame[column] = np.asarray(indices[column], dtype=float)
    return frame


def engine_sobol(
    inputs: Inputs,
    distributions: list[Distribution],
    metric: str,
    year: str,
    icb: str | None,
    base: int,
    seed: int,
    chunk_size: int | None = None,
    scheduler: str | None = None,
    workers: int | None = None,
    progress: bool = False,
) -> pd.DataFrame:
    """Sobol indices of one metric, place and year of the engine (see :func:`sobol_indices`)."""
    check_metric(metric)
    t = year_index(inputs, year)
    code = check_place(inputs, icb)
    column = 0 if code == ENGLAND_CODE else 1 + inputs.codes.index(code)

    def model(values: dict[str, np.ndarray]) -> np.ndarray:
        points = len(next(iter(values.values())))
        cells = evaluate(inputs, distributions, values, (metric,), points, chunk_size, scheduler, workers, progress,
                         "Sobol points")
        return cells[0, column, t]

    return sobol_indices(distributions, model, base, seed)
