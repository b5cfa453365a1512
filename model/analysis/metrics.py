"""Metrics: one column of the results (SPEC section 6) for every place, year and sample.

A *metric* is a numeric column of results.csv (``wte_gap``, ``funding_gap_gbp``,
``real_change_vs_base``...). :func:`cell_metrics` lays out any set of metrics for England and
every ICB from one engine evaluation, England's additive figures summed over the ICBs and its
ratios recomputed from those sums, exactly as :func:`model.output.results.tabulate` makes them.
Sensitivity and Monte Carlo runs read their figures here.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable

import numpy as np

from model import engine
from model.arrays import FloatArray
from model.engine.inputs import Inputs
from model.errors import InputError
from model.output.results import ENGLAND_CODE, ENGLAND_NAME
from model.schema import COLUMNS, METRICS

RATIOS: tuple[str, ...] = tuple(spec.name for spec in COLUMNS if spec.kind == "ratio")
"""Metrics that are ratios of additive quantities (recomputed from sums for England)."""

_RATIO_INPUTS = ("allowance_real_gbp", "core_allowance_real_gbp", "cost_base_gbp", "allowance_gbp", "population")
"""The additive quantities :func:`model.engine.ratios` reads."""


def check_metric(metric: str) -> str:
    """``metric`` if it is a numeric results column, else an InputError with a did-you-mean."""
    if metric in METRICS:
        return metric
    close = difflib.get_close_matches(metric, METRICS, n=1, cutoff=0.5)
    hint = f"did you mean '{close[0]}'?" if close else "choose one of " + ", ".join(METRICS)
    raise InputError(f"'{metric}' is not a results column; {hint}")


def check_metrics(metrics: Iterable[str]) -> tuple[str, ...]:
    """Each metric checked, duplicates refused."""
    chosen = tuple(metrics)
    for metric in chosen:
        check_metric(metric)
    twice = sorted({m for m in chosen if chosen.count(m) > 1})
    if twice:
        raise InputError(f"metric {', '.join(twice)} is named twice")
    if not chosen:
        raise InputError("name at least one metric")
    return chosen


def year_index(inputs: Inputs, year: str) -> int:
    """Index of a year label in the run's horizon, or an InputError naming the horizon."""
    if year not in inputs.labels:
        raise InputError(f"'{year}' is not a year of this run; choose one of {inputs.labels[0]} to "
                         f"{inputs.labels[-1]} (written YYYY/YY)")
    return inputs.labels.index(year)


def check_place(inputs: Inputs, icb: str | None) -> str:
    """The place code (upper case; ``ENG`` when None), or an InputError listing the codes."""
    code = (icb or ENGLAND_CODE).upper()
    if code != ENGLAND_CODE and code not in inputs.codes:
        close = difflib.get_close_matches(code, inputs.codes, n=1, cutoff=0.5)
        hint = f"did you mean '{close[0]}'?" if close else f"choose ENG or one of {', '.join(inputs.codes)}"
        raise InputError(f"'{icb}' is not an ICB of this run; {hint}")
    return code


def place_name(inputs: Inputs, code: str) -> str:
    """People-facing name of a place code."""
    return ENGLAND_NAME if code == ENGLAND_CODE else inputs.names[inputs.codes.index(code)]


def place_column(inputs: Inputs, code: str) -> int:
    """Where a place sits on the place axis of :func:`cell_metrics` (England is 0)."""
    return 0 if code == ENGLAND_CODE else 1 + inputs.codes.index(code)


def england_sum(values: FloatArray, out: FloatArray | None = None) -> FloatArray:
    """Sum over the first (ICB) axis, adding ICBs one by one in table order; keeps the axis.

    A fixed order makes England's figures bit-for-bit independent of how samples are chunked
    (numpy's ``sum`` may switch to pairwise order with the array's shape), and equal to the
    England rows of :func:`model.output.results.tabulate`. ``out``, if given, receives the sum.
    """
    total = np.empty((1, *values.shape[1:])) if out is None else out
    total[0] = values[0]
    for row in values[1:]:
        total[0] += row
    return total


def cell_metrics(
    inputs: Inputs, evaluated: dict[str, FloatArray], metrics: tuple[str, ...], out: FloatArray | None = None
) -> FloatArray:
    """Every metric for England then each ICB, samples last: shape ``(M, 1 + I, T, S)``.

    ``evaluated`` is :func:`model.engine.evaluate`'s result, already ICBs, years, samples; England's
    additive quantities are :func:`england_sum`s and its ratios come from those sums, as
    :func:`model.engine.ratios` makes them. ``out`` (any array of that shape, such as a slice of
    a bigger one) receives the figures, each written once, straight into place.
    """
    n_icb, n_year, samples = evaluated["allowance_gbp"].shape
    result = np.empty((len(metrics), 1 + n_icb, n_year, samples)) if out is None else out
    icb: dict[str, FloatArray] = {}
    england: dict[str, FloatArray] = {}
    for m, metric in enumerate(metrics):
        if metric in engine.ADDITIVE:
            result[m, 1:] = evaluated[metric]
            icb[metric] = evaluated[metric]
            england[metric] = england_sum(evaluated[metric], out=result[m, :1])
    if set(metrics) & set(RATIOS):
        for name in _RATIO_INPUTS:
            if name not in icb:
                icb[name] = evaluated[name]
                england[name] = england_sum(evaluated[name])
        icb_ratios = engine.ratios(icb)
        england_ratios = engine.ratios(england)
    for m, metric in enumerate(metrics):
        if metric in engine.PRICES:
            result[m] = evaluated[metric]
        elif metric in RATIOS:
            result[m, 1:] = icb_ratios[metric]
            result[m, :1] = england_ratios[metric]
    return result


def place_metric(inputs: Inputs, metric: str, year: str, icb: str | None) -> FloatArray:
    """One metric for one place and year, one value per sample of ``inputs``: shape ``(S,)``."""
    t = year_index(inputs, year)
    column = place_column(inputs, check_place(inputs, icb))
    values: FloatArray = cell_metrics(inputs, engine.evaluate(inputs), (check_metric(metric),))[0, column, t]
    return values
