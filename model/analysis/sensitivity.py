"""One-way (tornado) and two-way (grid) sensitivity of one result to parameters.

Each setting of the parameters becomes one sample of a single :class:`~model.engine.inputs.Inputs`,
so a whole tornado or grid is evaluated in ONE engine call (:func:`model.engine.evaluate`); the
figures come from :mod:`model.analysis.metrics`. Parameters are named by dotted path (SPEC
section 8) and changed by ``set``, ``add`` or ``scale``; every setting is checked with the range
check every change gets (:func:`model.engine.changes.apply_checked`). Tables say of each
parameter whether it is a *lever* (a policy choice) or an *uncertainty* (outside anyone's
control), from the schema, so that the two are never confused. Functions here return tables;
they never print or write.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterator
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from model.analysis.distributions import Distribution
from model.analysis.metrics import check_metric, check_place, place_metric, year_index
from model.analysis.runs import default_chunk_size
from model.arrays import FloatArray
from model.engine.changes import Change, OverrideError, apply_checked, numeric
from model.engine.inputs import Inputs, input_key
from model.engine.published import published_mask
from model.periods import parse_year
from model.schema import MODES, role_of


def show_setting(value: object) -> str:
    """A setting for tables and labels: numbers as short as they go, words as they are."""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, float):
        return f"{value:g}"
    return "never" if value is None else str(value)


@dataclass(frozen=True)
class Variation:
    """One tornado bar: parameter ``path`` changed by ``mode`` to ``low`` and to ``high``.

    ``from_year`` (a year label, series only) limits the change to that year and later ones.
    """

    path: str
    mode: str
    low: object
    high: object
    from_year: str | None = None

    def changes(self, value: object, labels: tuple[str, ...]) -> list[Change]:
        """The changes that put the parameter at ``value``."""
        if self.from_year is None:
            return [Change(self.path, self.mode, value)]
        if self.from_year not in labels:
            raise OverrideError(
                f"{self.path}: from_year {self.from_year} is not a year of this run; choose one of "
                f"{labels[0]} to {labels[-1]}"
            )
        return [Change(f"{self.path}.{y}", self.mode, value) for y in labels[labels.index(self.from_year):]]

    @property
    def label(self) -> str:
        """The parameter as people read it: its path, and the first year when from_year is set."""
        return self.path if self.from_year is None else f"{self.path} from {self.from_year}"

    @classmethod
    def of(cls, path: str, mode: str, low: object, high: object, from_year: str | None = None) -> Variation:
        """A variation, with its mode and bounds checked."""
        if mode not in MODES:
            raise OverrideError(f"{path}: mode '{mode}' is not one of {', '.join(MODES)}")
        for value in (low, high):
            if isinstance(value, float) and not math.isfinite(value):
                raise OverrideError(f"{path}: {value} is not a finite number")
        if (isinstance(low, (int, float)) and isinstance(high, (int, float)) and not isinstance(low, bool)
                and float(low) > float(high)):
            raise OverrideError(f"{path}: low ({show_setting(low)}) is above high ({show_setting(high)}); "
                                "give the smaller value first")
        return cls(path, mode, low, high, None if from_year is None else str(from_year))


@dataclass(frozen=True)
class Axis:
    """One axis of a grid: parameter ``path`` changed by ``mode`` to each of ``values``."""

    path: str
    mode: str
    values: tuple[object, ...]


MAX_VARIATIONS = 1_000
"""Most parameters one tornado varies (a bar each, two runs a bar): more is no chart to read, and
each run costs about a millisecond to set up."""
MAX_GRID_POINTS = 40_000
"""Most points one grid evaluates (200 x 200): the table and heatmap of more are unreadable."""
MAX_ENGINE_CELLS = 60_000_000
"""Most organisation-year cells, over all runs, one tornado or grid evaluates: about a minute on
a 2-core machine (the engine does about a million a second with published allowances). Runs are
evaluated a chunk at a time, so memory stays bounded whatever the size."""
CELLS_PER_SECOND = 1_000_000
"""The engine's speed assumed in estimates (measured on the 2-core test machine)."""


def stack(runs: list[Inputs]) -> Inputs:
    """Many one-sample runs as one run whose samples are the runs, in order."""
    first = runs[0]
    values = {
        path: np.concatenate([np.broadcast_to(r.values[path], (1, *first.values[path].shape[1:])) for r in runs])
        for path in first.values
    }
    return replace(first, values=values)


def repeated(inputs: Inputs, samples: int) -> Inputs:
    """A one-sample run as ``samples`` identical samples (every input carries them)."""
    return replace(inputs, values={path: np.repeat(value, samples, axis=0) for path, value in inputs.values.items()})


def check_size(inputs: Inputs, runs: int, what: str, most: int) -> None:
    """Refuse, before any work, a tornado or grid of ``runs`` engine runs of ``inputs`` that is
    more than ``most`` runs or MAX_ENGINE_CELLS cells, with the estimate in the message."""
    cells = runs * len(inputs.codes) * len(inputs.labels)
    if runs > most or cells > MAX_ENGINE_CELLS:
        seconds = cells / CELLS_PER_SECOND
        raise OverrideError(
            f"{what} means {runs:,} engine runs of {len(inputs.codes):,} organisations over {len(inputs.labels)} "
            f"years ({cells:,} cells, about {seconds:,.0f} s on a 2-core machine); the most one command does is "
            f"{most:,} runs and {MAX_ENGINE_CELLS:,} cells. Ask for fewer values.")


def _chunked_metric(inputs: Inputs, runs: Iterator[Inputs], metric: str, year: str, code: str,
                    footprint: str | None) -> FloatArray:
    """The metric of each one-sample run, stacked and evaluated a chunk at a time (memory stays
    bounded, whatever the number of runs)."""
    size = default_chunk_size(inputs)
    values = []
    while chunk := list(itertools.islice(runs, size)):
        values.append(place_metric(stack(chunk), metric, year, code, footprint))
    return np.concatenate(values)


def _one(inputs: Inputs, changes: list[Change], label: str) -> Inputs:
    """The base with ``changes`` applied, checked against the schema's ranges."""
    try:
        return apply_checked(inputs, changes)
    except OverrideError as error:
        raise OverrideError(f"{label}: {error}") from None


def _check_single(inputs: Inputs) -> None:
    if inputs.samples != 1:
        raise OverrideError("a sensitivity run starts from one deterministic run (one sample)")


def _choice_mode(path: str, mode: str) -> None:
    """A word or a flag (a choice) can only be set."""
    key = input_key(path)
    if key is not None and key.shape in ("word", "flag") and mode != "set":
        raise OverrideError(f"{path}: a choice can only be set, not {mode}")


def tornado(inputs: Inputs, variations: list[Variation], metric: str, year: str, icb: str | None = None,
            footprint: str | None = None) -> pd.DataFrame:
    """One-way sensitivity: the metric with each parameter at its low and its high value.

    Returns one row per variation, largest swing first: ``parameter, mode, low, high,
    metric_base, metric_low, metric_high, swing, rank, role, from_year``. ``swing`` is
    ``|metric_high - metric_low|``; ``rank`` 1 is the largest (ties keep the order given). At most
    MAX_VARIATIONS variations (and MAX_ENGINE_CELLS cells) are evaluated.
    """
    _check_single(inputs)
    check_metric(metric)
    year_index(inputs, year)
    code = check_place(inputs, icb, footprint)
    if not variations:
        raise OverrideError("nothing to vary: name parameters to vary, or give the scenario an uncertainty block")
    check_size(inputs, 1 + 2 * len(variations), f"a tornado of {len(variations):,} parameters",
               1 + 2 * MAX_VARIATIONS)
    seen = [(v.label, v.mode) for v in variations]
    twice = sorted({f"{p}:{m}" for p, m in seen if seen.count((p, m)) > 1})
    if twice:
        raise OverrideError(f"{', '.join(twice)} is varied twice; give each parameter once")
    for v in variations:
        _choice_mode(v.path, v.mode)

    def runs() -> Iterator[Inputs]:
        yield inputs
        for v in variations:
            for which, value in (("low", v.low), ("high", v.high)):
                yield _one(inputs, v.changes(value, inputs.labels), f"{v.label} at {which} ({show_setting(value)})")

    values = _chunked_metric(inputs, runs(), metric, year, code, footprint)
    base = float(values[0])
    low, high = values[1::2], values[2::2]
    swing = np.abs(high - low)
    table = pd.DataFrame(
        {
            "parameter": [v.path for v in variations],
            "mode": [v.mode for v in variations],
            "low": [_cell(v.low) for v in variations],
            "high": [_cell(v.high) for v in variations],
            "metric_base": base,
            "metric_low": low,
            "metric_high": high,
            "swing": swing,
        }
    )
    order = np.argsort(-swing, kind="stable")
    ranks = np.empty(len(order), dtype=int)
    ranks[order] = np.arange(1, len(order) + 1)
    table["rank"] = ranks
    table["role"] = [role_of(v.path) for v in variations]
    table["from_year"] = [v.from_year or "" for v in variations]
    return table.sort_values("rank", kind="stable").reset_index(drop=True)


def _cell(value: object) -> object:
    """A setting as a table cell: numbers stay numbers."""
    return value if isinstance(value, (int, float)) and not isinstance(value, bool) else show_setting(value)


def grid(inputs: Inputs, x: Axis, y: Axis, metric: str, year: str, icb: str | None = None,
         footprint: str | None = None) -> pd.DataFrame:
    """Two-way sensitivity: the metric for every pair of an ``x`` value and a ``y`` value.

    Returns a table with one row per ``y`` value and one column per ``x`` value (labels as
    given); the index is named ``"Y.PATH:MODE \\ X.PATH:MODE"``. Each axis value is checked alone
    (a message names it), then the points are evaluated a chunk at a time, each chunk one engine
    call with one sample per point. At most MAX_GRID_POINTS points (and MAX_ENGINE_CELLS cells).
    """
    _check_single(inputs)
    check_metric(metric)
    year_index(inputs, year)
    code = check_place(inputs, icb, footprint)
    if x.path == y.path:
        raise OverrideError(f"both axes vary {x.path}; choose two different parameters")
    points = len(x.values) * len(y.values)
    check_size(inputs, points, f"a grid of {len(x.values):,} x {len(y.values):,} values", MAX_GRID_POINTS)
    amounts = {}
    for axis in (x, y):
        _choice_mode(axis.path, axis.mode)
        for value in axis.values:
            _one(inputs, [Change(axis.path, axis.mode, value)], f"{axis.path} = {show_setting(value)}")
        amounts[axis.path] = np.array([float(numeric(_input_path(inputs, axis.path), axis.mode, value))
                                       for value in axis.values])
    xs, ys = np.tile(amounts[x.path], len(y.values)), np.repeat(amounts[y.path], len(x.values))
    size = default_chunk_size(inputs)

    def chunk(start: int) -> FloatArray:
        span = slice(start, min(start + size, points))
        changes = [Change(x.path, x.mode, xs[span]), Change(y.path, y.mode, ys[span])]
        samples = repeated(inputs, span.stop - span.start)  # every input one sample per point
        return place_metric(_one(samples, changes, f"{x.path} with {y.path}"), metric, year, code, footprint)

    values = np.concatenate([chunk(start) for start in range(0, points, size)])
    return pd.DataFrame(
        values.reshape(len(y.values), len(x.values)),
        index=pd.Index([show_setting(v) for v in y.values], name=f"{y.path}:{y.mode} \\ {x.path}:{x.mode}"),
        columns=[show_setting(v) for v in x.values],
    )


def _input_path(inputs: Inputs, path: str) -> str:
    """The engine input a parameter path names (a year of a series names the series)."""
    return path if path in inputs.values else path.rpartition(".")[0]


NO_EFFECT_RTOL = 1e-12
"""How close (relative) a parameter's figures at its low and high must be to the base figure for
it to count as not moving the metric: a few units in the last place of a float, the noise of the
published-allowance solve, and far below a penny on any allowance."""


def no_effect(inputs: Inputs, table: pd.DataFrame, metric: str, year: str) -> list[str]:
    """A sentence for each row of a tornado ``table`` whose parameter did not move ``metric`` in
    ``year`` at all (its figures at low and high equal the base one, to NO_EFFECT_RTOL), with the
    reason where one can be named: the change starts after ``year``, or every organisation's
    allowance in ``year`` is a published figure. A cut in a published year can still move later
    years, so only the computed figures decide."""
    t = year_index(inputs, year)
    _, published = published_mask(inputs.lineage, inputs.published_gbp)
    fixed = bool(published[:, t].all())
    base = table["metric_base"].to_numpy(dtype=float)
    still = np.isclose(table["metric_low"].to_numpy(dtype=float), base, rtol=NO_EFFECT_RTOL, atol=0) & \
        np.isclose(table["metric_high"].to_numpy(dtype=float), base, rtol=NO_EFFECT_RTOL, atol=0)
    notes = []
    for parameter, from_year in zip(table["parameter"][still], table["from_year"][still], strict=True):
        starts = from_year or (parameter.rpartition(".")[2] if "/" in parameter else "")
        if starts and parse_year(starts) > parse_year(year):
            reason = f": it changes {starts} and later years only"
        elif fixed:
            reason = (f": every organisation's allowance in {year} is NHS England's published figure, which the "
                      "model takes as fact (choose a later --year to see its effect)")
        else:
            reason = ""
        label = f"{parameter} from {from_year}" if from_year else str(parameter)
        notes.append(f"{label} does not move {metric} in {year} at all in this scenario{reason}.")
    return notes


def variations_from_uncertainty(distributions: list[Distribution]) -> list[Variation]:
    """A tornado over a scenario's ``uncertainty`` block: each distribution's low and high."""
    return [Variation.of(d.path, d.mode, d.low, d.high, d.from_year) for d in distributions]
