"""Sobol sensitivity indices (SALib): how much of a metric's variance each uncertain
parameter explains, alone (first-order) and with its interactions (total)."""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
import pandas as pd

from model.analysis.distributions import Distribution, UncertaintyError
from model.analysis.metrics import check_metric, check_place, place_column, year_index
from model.analysis.runs import evaluate, memory_check
from model.arrays import FloatArray
from model.engine.inputs import Inputs
from model.schema import role_of

RESAMPLES = 100
"""Bootstrap resamples of the confidence intervals."""


def check_sobol_size(inputs: Inputs, n_params: int, base: int, footprint: str | None = None) -> None:
    """Refuse, before any work, a Sobol design whose arrays would not fit in memory, with the
    estimate: the design and its parameter values (``base x (D + 2)`` points by D), the metric for
    every place and year of every point, and SALib's bootstrap (``base x RESAMPLES``, a few arrays)."""
    points = base * (n_params + 2)
    needed = 8 * (2 * points * n_params + points * (1 + len(inputs.footprint(footprint))) * len(inputs.labels)
                  + 4 * base * RESAMPLES)
    memory_check(needed, f"a Sobol design of base {base:,} ({points:,} model runs)",
                 "give a smaller --sobol-base (a power of two such as 1024)")


def default_sobol_base(draws: int, n_params: int) -> int:
    """A power of two near ``draws / (n_params + 2)`` (at least 64): SALib's base sample size,
    so that the Sobol design costs about as many model runs as the Monte Carlo."""
    return int(2 ** max(6, math.ceil(math.log2(max(1.0, draws / (n_params + 2))))))


def sobol_indices(
    distributions: list[Distribution],
    model: Callable[[dict[str, FloatArray]], FloatArray],
    base: int,
    seed: int,
    resamples: int = RESAMPLES,
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
    footprint: str | None = None,
) -> pd.DataFrame:
    """Sobol indices of one metric, place and year of the engine (see :func:`sobol_indices`)."""
    check_metric(metric)
    t = year_index(inputs, year)
    code = check_place(inputs, icb, footprint)
    column = place_column(inputs, code, footprint)

    def model(values: dict[str, FloatArray]) -> FloatArray:
        points = len(next(iter(values.values())))
        cells = evaluate(inputs, distributions, values, (metric,), points, chunk_size, scheduler, workers, progress,
                         "Sobol points", footprint)
        output: FloatArray = cells[0, column, t]
        return output

    return sobol_indices(distributions, model, base, seed)
