"""One-way (tornado) and two-way (grid) sensitivity of one result to parameters.

Each setting of the parameters becomes one sample of a single :class:`~model.engine.inputs.Inputs`, so
a whole tornado or grid is evaluated in ONE engine call (:func:`model.engine.evaluate`). A
*metric* is a column of the results table (SPEC section 6: ``wte_gap``, ``funding_gap_gbp``,
``real_change_vs_base``...) for one place, ICB or England (``ENG``: sums over the ICBs of the
run, ratios recomputed from the sums, as :func:`model.engine.ratios` does), and one year.

Parameters are named by dotted path (SPEC section 8) and changed by ``set``, ``add`` or
``scale`` (see :mod:`model.engine.changes`). Tables say of each parameter whether it is a *lever* (a
policy choice: the cut, delegation timing) or an *uncertainty* (pay awards, inflation, staffing
estimates), from :mod:`model.schema`, so that the two are never confused.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import pandas as pd

from model import engine
from model.engine.inputs import Inputs, input_key
from model.engine.changes import Change, OverrideError, apply_checked
from model.schema import MODES
from model.output.results import ENGLAND_CODE, ENGLAND_NAME
from model.schema import COLUMNS, METRICS, column

RATIOS: tuple[str, ...] = tuple(spec.name for spec in COLUMNS if spec.kind == "ratio")
"""Metrics that are ratios of additive quantities (recomputed from sums for England)."""


# ---------------------------------------------------------------------------------------------
# Metrics, places and years
# ---------------------------------------------------------------------------------------------


def check_metric(metric: str) -> str:
    """``metric`` if it is a results column, else an OverrideError with a did-you-mean."""
    if metric in METRICS:
        return metric
    close = difflib.get_close_matches(metric, METRICS, n=1, cutoff=0.5)
    hint = f"did you mean '{close[0]}'?" if close else "choose one of " + ", ".join(METRICS)
    raise OverrideError(f"--metric '{metric}' is not a results column; {hint}")


def check_metrics(metrics: Iterable[str]) -> tuple[str, ...]:
    """Each metric checked, duplicates refused."""
    metrics = tuple(metrics)
    for metric in metrics:
        check_metric(metric)
    twice = sorted({m for m in metrics if metrics.count(m) > 1})
    if twice:
        raise OverrideError(f"metric {', '.join(twice)} is named twice")
    if not metrics:
        raise OverrideError("name at least one metric")
    return metrics


def year_index(inputs: Inputs, year: str) -> int:
    """Index of a year label in the run's horizon, or an OverrideError naming the horizon."""
    if year not in inputs.labels:
        raise OverrideError(
            f"--year '{year}' is not a year of this run; choose one of {inputs.labels[0]} to {inputs.labels[-1]} "
            "(written YYYY/YY)"
        )
    return inputs.labels.index(year)


def check_place(inputs: Inputs, icb: str | None) -> str:
    """The place code (upper case; ``ENG`` when None), or an OverrideError listing the codes."""
    code = (icb or ENGLAND_CODE).upper()
    if code != ENGLAND_CODE and code not in inputs.codes:
        close = difflib.get_close_matches(code, inputs.codes, n=1, cutoff=0.5)
        hint = f"did you mean '{close[0]}'?" if close else f"choose ENG or one of {', '.join(inputs.codes)}"
        raise OverrideError(f"--icb '{icb}' is not an ICB of this run; {hint}")
    return code


def place_name(inputs: Inputs, code: str) -> str:
    """People-facing name of a place code."""
    return ENGLAND_NAME if code == ENGLAND_CODE else inputs.names[inputs.codes.index(code)]


def england_sum(values: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
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


_RATIO_INPUTS = ("allowance_real_gbp", "core_allowance_real_gbp", "cost_base_gbp", "allowance_gbp", "population")
"""The additive quantities :func:`model.engine.ratios` reads."""


def cell_metrics(
    inputs: Inputs, evaluated: dict[str, np.ndarray], metrics: tuple[str, ...], out: np.ndarray | None = None
) -> np.ndarray:
    """Every metric for England then each ICB, samples last: shape ``(M, 1 + I, T, S)``.

    ``evaluated`` is :func:`model.engine.evaluate`'s result, already ICBs, years, samples; England's
    additive quantities are :func:`england_sum`s and its ratios come from those sums, as
    :func:`model.engine.ratios` makes them. ``out`` (any array of that shape, such as a slice of
    a bigger one) receives the figures, each written once, straight into place.
    """
    n_icb, n_year, samples = evaluated["allowance_gbp"].shape
    result = np.empty((len(metrics), 1 + n_icb, n_year, samples)) if out is None else out
    icb: dict[str, np.ndarray] = {}
    england: dict[str, np.ndarray] = {}
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


def place_metric(inputs: Inputs, metric: str, year: str, icb: str | None) -> np.ndarray:
    """One metric for one place and year, one value per sample of ``inputs``: shape ``(S,)``."""
    t = year_index(inputs, year)
    code = check_place(inputs, icb)
    column = 0 if code == ENGLAND_CODE else 1 + inputs.codes.index(code)
    return cell_metrics(inputs, engine.evaluate(inputs), (check_metric(metric),))[0, column, t]


# ---------------------------------------------------------------------------------------------
# Parameters, settings and roles
# ---------------------------------------------------------------------------------------------


def role_of(path: str) -> str:
    """``lever``, ``uncertainty`` or ``setting`` for a parameter path (from the schema)."""
    from model.schema import spec_for

    if path.endswith(".go_live"):
        return "lever"
    spec = spec_for(path)
    if spec is None or spec.kind == "section":
        spec = spec_for(path.rpartition(".")[0])
    return spec.role if spec is not None else "setting"


def parse_value(text: object) -> object:
    """A value from the command line: a number, true/false, null, or a word or month as given."""
    if not isinstance(text, str):
        return text
    stripped = text.strip()
    lowered = stripped.lower()
    if lowered in ("true", "false"):
        return lowered == "true"
    if lowered in ("null", "none", "never"):
        return None
    try:
        value = float(stripped)
    except ValueError:
        return stripped
    if not math.isfinite(value):
        raise OverrideError(f"'{stripped}' is not a finite number")
    return value


def _show(value: object) -> str:
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
    def parse(cls, text: str) -> Variation:
        """``PATH:MODE:LOW:HIGH`` (``--vary``)."""
        parts = text.split(":")
        if len(parts) != 4 or not all(p.strip() for p in parts):
            raise OverrideError(
                f"--vary '{text}' should be PATH:MODE:LOW:HIGH, e.g. inflation.pay_award:add:-0.01:0.02"
            )
        path, mode, low, high = (p.strip() for p in parts)
        try:
            low_value, high_value = parse_value(low), parse_value(high)
        except OverrideError as error:
            raise OverrideError(f"--vary {path}: {error}") from None
        return cls.of(path, mode, low_value, high_value)

    @classmethod
    def of(cls, path: str, mode: str, low: object, high: object, from_year: str | None = None) -> Variation:
        """A variation, with its mode and bounds checked."""
        if mode not in MODES:
            raise OverrideError(f"{path}: mode '{mode}' is not one of {', '.join(MODES)}")
        for value in (low, high):
            if isinstance(value, float) and not math.isfinite(value):
                raise OverrideError(f"{path}: {value} is not a finite number")
        if isinstance(low, (int, float)) and isinstance(high, (int, float)) and not isinstance(low, bool):
            if float(low) > float(high):
                raise OverrideError(f"{path}: low ({_show(low)}) is above high ({_show(high)}); give the smaller value first")
        return cls(path, mode, low, high, None if from_year is None else str(from_year))


@dataclass(frozen=True)
class Axis:
    """One axis of a grid: parameter ``path`` changed by ``mode`` to each of ``values``."""

    path: str
    mode: str
    values: tuple[object, ...]

    @classmethod
    def parse(cls, text: str, flag: str = "--x") -> Axis:
        """``PATH:MODE:V1,V2,...`` (``--x``/``--y``)."""
        parts = text.split(":")
        if len(parts) != 3 or not all(p.strip() for p in parts):
            raise OverrideError(
                f"{flag} '{text}' should be PATH:MODE:V1,V2,..., e.g. running_cost_cut.path.2025/26:set:0.2,0.3,0.4"
            )
        path, mode, values = (p.strip() for p in parts)
        if mode not in MODES:
            raise OverrideError(f"{flag} {path}: mode '{mode}' is not one of {', '.join(MODES)}")
        items = [v.strip() for v in values.split(",")]
        if any(not v for v in items):
            raise OverrideError(f"{flag} {path}: an empty value in '{values}'; separate values with single commas")
        try:
            parsed = tuple(parse_value(v) for v in items)
        except OverrideError as error:
            raise OverrideError(f"{flag} {path}: {error}") from None
        shown = [_show(v) for v in parsed]
        twice = sorted({s for s in shown if shown.count(s) > 1})
        if twice:
            raise OverrideError(f"{flag} {path}: {', '.join(twice)} appears twice")
        return cls(path, mode, parsed)


def load_vary_file(path: Path) -> list[Variation]:
    """Variations from a YAML file: a list (optionally under ``vary:``) of mappings with
    ``path``, ``mode``, ``low`` and ``high`` (and optionally ``from_year``), or a mapping from path
    to ``{mode, low, high}``.
    """
    import yaml

    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise OverrideError(f"{path}: not valid YAML: {error}") from None
    if isinstance(data, Mapping) and set(data) == {"vary"}:
        data = data["vary"]
    if isinstance(data, Mapping):
        data = [{"path": key, **(spec if isinstance(spec, Mapping) else {"bad": spec})} for key, spec in data.items()]
    if not isinstance(data, list) or not data:
        raise OverrideError(f"{path}: expected a list of {{path, mode, low, high}} entries")
    variations = []
    for n, item in enumerate(data, start=1):
        keys = {"path", "mode", "low", "high"}
        if not isinstance(item, Mapping) or not keys <= set(item) <= keys | {"from_year"}:
            got = sorted(item) if isinstance(item, Mapping) else repr(item)
            raise OverrideError(
                f"{path}: entry {n} should have path, mode, low and high (and optionally from_year); got {got}"
            )
        variations.append(
            Variation.of(str(item["path"]), str(item["mode"]), item["low"], item["high"], item.get("from_year"))
        )
    return variations


def stack(runs: list[Inputs]) -> Inputs:
    """Many one-sample runs as one run whose samples are the runs, in order."""
    first = runs[0]
    values = {
        path: np.concatenate([np.broadcast_to(r.values[path], (1, *first.values[path].shape[1:])) for r in runs])
        for path in first.values
    }
    return replace(first, values=values)


def _one(inputs: Inputs, changes: list[Change], label: str) -> Inputs:
    """The base with ``changes`` applied, checked against the schema's ranges."""
    try:
        return apply_checked(inputs, changes)
    except OverrideError as error:
        raise OverrideError(f"{label}: {error}") from None


def _check_single(inputs: Inputs) -> None:
    if inputs.samples != 1:
        raise OverrideError("a sensitivity run starts from one deterministic run (one sample)")


def _flag_range(path: str, mode: str) -> None:
    key = input_key(path)
    if key is not None and key.shape in ("word", "flag") and mode != "set":
        raise OverrideError(f"{path}: a choice can only be set, not {mode}")


def tornado(inputs: Inputs, variations: list[Variation], metric: str, year: str, icb: str | None = None) -> pd.DataFrame:
    """One-way sensitivity: the metric with each parameter at its low and its high value.

    Returns one row per variation, largest swing first: ``parameter, mode, low, high,
    metric_base, metric_low, metric_high, swing, rank, role, from_year``. ``swing`` is
    ``|metric_high - metric_low|``; ``rank`` 1 is the largest (ties keep the order given).
    """
    _check_single(inputs)
    check_metric(metric)
    year_index(inputs, year)
    code = check_place(inputs, icb)
    if not variations:
        raise OverrideError("nothing to vary: give --vary PATH:MODE:LOW:HIGH, --vary-file, or an uncertainty block")
    seen = [(v.label, v.mode) for v in variations]
    twice = sorted({f"{p}:{m}" for p, m in seen if seen.count((p, m)) > 1})
    if twice:
        raise OverrideError(f"{', '.join(twice)} is varied twice; give each parameter once")
    runs = [inputs]
    for v in variations:
        _flag_range(v.path, v.mode)
        for which, value in (("low", v.low), ("high", v.high)):
            runs.append(_one(inputs, v.changes(value, inputs.labels), f"{v.label} at {which} ({_show(value)})"))
    values = place_metric(stack(runs), metric, year, code)
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
    return value if isinstance(value, (int, float)) and not isinstance(value, bool) else _show(value)


def grid(inputs: Inputs, x: Axis, y: Axis, metric: str, year: str, icb: str | None = None) -> pd.DataFrame:
    """Two-way sensitivity: the metric for every pair of an ``x`` value and a ``y`` value.

    Returns a table with one row per ``y`` value and one column per ``x`` value (labels as
    given); the index is named ``"Y.PATH:MODE \\ X.PATH:MODE"``.
    """
    _check_single(inputs)
    check_metric(metric)
    year_index(inputs, year)
    code = check_place(inputs, icb)
    if x.path == y.path:
        raise OverrideError(f"--x and --y both vary {x.path}; choose two different parameters")
    for axis in (x, y):
        _flag_range(axis.path, axis.mode)
    runs = []
    for y_value in y.values:
        for x_value in x.values:
            changes = [Change(x.path, x.mode, x_value), Change(y.path, y.mode, y_value)]
            label = f"{x.path} = {_show(x_value)} with {y.path} = {_show(y_value)}"
            runs.append(_one(inputs, changes, label))
    values = place_metric(stack(runs), metric, year, code)
    table = pd.DataFrame(
        values.reshape(len(y.values), len(x.values)),
        index=pd.Index([_show(v) for v in y.values], name=f"{y.path}:{y.mode} \\ {x.path}:{x.mode}"),
        columns=[_show(v) for v in x.values],
    )
    return table


def variations_from_uncertainty(distributions: list) -> list[Variation]:
    """A tornado over a scenario's ``uncertainty`` block: each distribution's low and high."""
    return [Variation.of(d.path, d.mode, d.low, d.high, d.from_year) for d in distributions]


# ---------------------------------------------------------------------------------------------
# Tables for people
# ---------------------------------------------------------------------------------------------


def unit_of(metric: str) -> str:
    """The unit people see for a metric ('£m', '%', 'WTE'...): its column's display unit."""
    return column(metric).display.unit


def show_metric(metric: str, value: float) -> str:
    """A metric's value for people, in its display unit with one more decimal place than the
    dashboard shows (analysts compare close figures): £m to 2 places, % to 2, WTE to 1."""
    display = column(metric).display
    places = display.decimals + 1
    return f"{round(display.show(value), places) + 0.0:,.{places}f}"


def format_tornado(table: pd.DataFrame, metric: str, title: str) -> str:
    """The tornado as a plain-text table for the terminal."""
    unit = unit_of(metric)
    header = ["rank", "parameter", "role", "mode", "low", "high", f"at low ({unit})", f"at high ({unit})",
              f"swing ({unit})"]
    rows = [
        [str(r.rank), r.parameter + (f" from {r.from_year}" if getattr(r, "from_year", "") else ""), r.role, r.mode, _show(r.low), _show(r.high),
         show_metric(metric, r.metric_low), show_metric(metric, r.metric_high), show_metric(metric, r.swing)]
        for r in table.itertuples()
    ]
    base = show_metric(metric, float(table["metric_base"].iloc[0])) if len(table) else "n/a"
    return text_table(f"{title}\nbase: {base} {unit}", header, rows, left=3)


def format_grid(table: pd.DataFrame, metric: str, title: str) -> str:
    """The grid as a plain-text table for the terminal."""
    header = [table.index.name, *table.columns]
    rows = [[label, *(show_metric(metric, v) for v in row)] for label, row in zip(table.index, table.to_numpy())]
    return text_table(f"{title} ({unit_of(metric)})", header, rows, left=1)


def text_table(title: str, header: list[str], rows: list[list[str]], left: int) -> str:
    """Columns padded to their widest cell; the first ``left`` columns left-aligned."""
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]

    def line(cells: list[str]) -> str:
        return "  ".join(str(c).ljust(w) if i < left else str(c).rjust(w) for i, (c, w) in enumerate(zip(cells, widths)))

    return "\n".join([title, "", line(header), "  ".join("-" * w for w in widths), *(line(r) for r in rows)])
