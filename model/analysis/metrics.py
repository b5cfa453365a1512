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
from model.engine.lineage import england, to_units
from model.errors import InputError
from model.output.results import ENGLAND_CODE, ENGLAND_NAME
from model.schema import COLUMNS, METRICS

RATIOS: tuple[str, ...] = tuple(spec.name for spec in COLUMNS if spec.kind == "ratio")
"""Metrics that are ratios of additive quantities (recomputed from sums for England)."""


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


def check_place(inputs: Inputs, icb: str | None, footprint: str | None = None) -> str:
    """The place code (upper case; ``ENG`` when None), or an InputError listing the codes of the
    footprint (default: the latest)."""
    codes = inputs.footprint(footprint).codes
    code = (icb or ENGLAND_CODE).upper()
    if code != ENGLAND_CODE and code not in codes:
        close = difflib.get_close_matches(code, codes, n=1, cutoff=0.5)
        hint = f"did you mean '{close[0]}'?" if close else f"choose ENG or one of {', '.join(codes)}"
        other = [f.label for f in inputs.lineage.footprints if code in f.codes]
        where = f" on the {inputs.footprint(footprint).label} footprint (it is on the {other[0]} one)" if other else \
            " of this run"
        raise InputError(f"'{icb}' is not an ICB{where}; {hint}")
    return code


def place_name(inputs: Inputs, code: str, footprint: str | None = None) -> str:
    """People-facing name of a place code."""
    chosen = inputs.footprint(footprint)
    return ENGLAND_NAME if code == ENGLAND_CODE else chosen.names[chosen.codes.index(code)]


def place_column(inputs: Inputs, code: str, footprint: str | None = None) -> int:
    """Where a place sits on the place axis of :func:`cell_metrics` (England is 0)."""
    return 0 if code == ENGLAND_CODE else 1 + inputs.footprint(footprint).codes.index(code)


def cell_metrics(inputs: Inputs, evaluated: dict[str, FloatArray], metrics: tuple[str, ...],
                 out: FloatArray | None = None, footprint: str | None = None) -> FloatArray:
    """Every metric for England then each organisation of a footprint (default: the latest),
    samples last: shape ``(M, 1 + U, T, S)``.

    ``evaluated`` is :func:`model.engine.evaluate`'s result, atoms, years, samples; England's and
    each organisation's additive quantities add up their atoms in atom order
    (:mod:`model.engine.lineage`), so a figure does not depend on how samples are chunked, and
    ratios come from those sums, as :func:`model.engine.ratios` makes them and as
    :func:`model.output.results.tabulate` does. ``out`` (any array of that shape, such as a slice
    of a bigger one) receives the figures.
    """
    chosen = inputs.footprint(footprint)
    n_year, samples = evaluated["allowance_gbp"].shape[1:]
    result = np.empty((len(metrics), 1 + len(chosen), n_year, samples)) if out is None else out
    units: dict[str, FloatArray] = {}
    england_of: dict[str, FloatArray] = {}
    wanted = [m for m in metrics if m in engine.ADDITIVE]
    asked = [m for m in metrics if m in RATIOS]
    wanted += [name for m in asked for name in engine.RATIO_INPUTS[m] if name not in wanted]
    for name in wanted:
        units[name] = to_units(evaluated[name], chosen)
        england_of[name] = england(evaluated[name])
    units.update(engine.ratios(units, asked))
    england_of.update(engine.ratios(england_of, asked))
    for m, metric in enumerate(metrics):
        if metric in engine.PRICES:
            result[m] = evaluated[metric]
        else:
            result[m, 1:] = units[metric]
            result[m, :1] = england_of[metric]
    return result


def place_metric(inputs: Inputs, metric: str, year: str, icb: str | None, footprint: str | None = None) -> FloatArray:
    """One metric for one place and year, one value per sample of ``inputs``: shape ``(S,)``."""
    t = year_index(inputs, year)
    column = place_column(inputs, check_place(inputs, icb, footprint), footprint)
    values: FloatArray = cell_metrics(inputs, engine.evaluate(inputs), (check_metric(metric),),
                                      footprint=footprint)[0, column, t]
    return values
