"""Checking ``uncertainty:`` entries: the one set of rules for a distribution of a parameter.

:func:`entry_problems` checks an entry on its own as the file is read (its keys, distribution,
mode, bounds and shape); :func:`check_uncertainty` checks it against the resolved scenario (the
parameter exists there, ``from_year`` is in the horizon). Monte Carlo and sensitivity runs read
the entries of a checked scenario (:mod:`model.analysis.distributions`) and check only that the
parameter stays in its range at the bounds, with the range check every change gets.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from model import schema
from model.periods import PeriodError, parse_month, parse_year
from model.provenance import PROVENANCE_KEYS
from model.scenario.resolved import param, section
from model.scenario.values import calendar_problem, listed, shown, unit_key
from model.scenario.yamlio import Issue, shorten
from model.schema import (
    DISTRIBUTIONS,
    MODES,
    KeyPath,
    ParameterError,
    change_problem,
    did_you_mean,
    percent_hint,
)

if TYPE_CHECKING:
    from model.scenario.resolved import Scenario

Problems = list[tuple[KeyPath, str]]
"""Problems with an entry: the sub-path of the key at fault (``()`` for the whole entry) and a message."""

SHAPE_KEYS = ("peak", "mean", "sd", "median", "sigma")
ENTRY_KEYS = ("distribution", "mode", "low", "high", *SHAPE_KEYS, "from_year", *PROVENANCE_KEYS)


def entry_problems(raw: dict[str, object], ref: schema.ParameterRef) -> Problems:
    """Problems with one uncertainty entry ``raw`` for the parameter ``ref``, as (sub-path, message)."""
    unknown: Problems = [((key,), f"unknown key. {did_you_mean(key, ENTRY_KEYS)}")
                         for key in raw if key not in ENTRY_KEYS]
    problems: Problems = []
    for key, choices in (("distribution", tuple(DISTRIBUTIONS)), ("mode", MODES)):
        if key not in raw:
            problems.append(((), f"missing {key}. An uncertainty entry needs distribution "
                                 f"({', '.join(DISTRIBUTIONS)}), mode ({', '.join(MODES)}), low and high."))
        elif raw[key] not in choices:
            problems.append(((key,), f"unknown {key} {shown(raw[key])}. {did_you_mean(str(raw[key]), choices)}"))
    if problems:
        return unknown + problems
    problems = unknown
    kind, mode = str(raw["distribution"]), str(raw["mode"])  # both checked against their choices above
    months = ref.target == "go_live" and mode == "set"
    takes = ("low",) + DISTRIBUTIONS[kind] + ("high",)
    problems += [((), f"missing {key}: a {kind} distribution takes {listed(takes)}.")
                 for key in takes if key not in raw]
    problems += [((key,), f"a {kind} distribution does not take {key}; it takes {listed(takes)}. Remove {key}.")
                 for key in SHAPE_KEYS if key in raw and key not in takes]
    numbers: dict[str, float] = {}
    for key in (key for key in takes if key in raw):
        number, message = _entry_number(raw[key], months and key in ("low", "peak", "high"))
        if number is None:
            problems.append(((key,), f"{key} {message}"))
        else:
            numbers[key] = number
    problems += _entry_fit(raw, ref, kind, mode)
    if all(key in numbers for key in takes):
        problems += _entry_bounds(raw, numbers, ref, mode, months)
    return problems


def _entry_number(raw: object, month: bool) -> tuple[float | None, str | None]:
    """A bound or shape value as a number (a month count when ``month``), or a message."""
    if month:
        try:
            count = parse_month(str(raw))
        except PeriodError as err:
            return None, f"must be a month with mode set on a go-live: {shorten(str(err), 200)}."
        problem = calendar_problem(str(raw), False)
        return (None, problem) if problem else (float(count), None)
    if isinstance(raw, bool) or not isinstance(raw, (int, float)):
        return None, f"must be a finite number, got {shown(raw)}."
    try:
        number = float(raw)
    except OverflowError:
        number = math.inf
    if not math.isfinite(number):
        return None, f"must be a finite number, got {shown(raw)}."
    return number, None


def _entry_fit(raw: dict[str, object], ref: schema.ParameterRef, kind: str, mode: str) -> Problems:
    """Problems with how an entry's distribution, mode, from_year and unit fit its parameter."""
    problems: Problems = []
    if ref.target == "go_live" and mode == "set" and kind not in ("uniform", "triangular"):
        problems.append((("distribution",), "with mode set a go-live draw is a month: use uniform or triangular "
                                            "with low and high as months (YYYY-MM), or mode add with months."))
    if "from_year" in raw:
        try:
            parse_year(str(raw["from_year"]))
        except PeriodError as err:
            problems.append((("from_year",), f"{err}."))
        if ref.target != "series":
            problems.append((("from_year",), "from_year applies a draw to a series from that year on, and "
                                             f"{ref.key} is not a whole series. Remove it, or name a series."))
    if "unit" in raw:
        unit = _draw_unit(ref, mode)
        if unit_key(raw["unit"]) != unit_key(unit):
            has = f"is in {unit}" if unit else "has no unit (it is a multiplier)"
            problems.append((("unit",), f"unit {shown(raw['unit'])} does not fit: a {mode} draw on {ref.key} {has}. "
                                        "Correct it or leave unit out."))
    return problems


def _draw_unit(ref: schema.ParameterRef, mode: str) -> str | None:
    """The unit of a draw: the parameter's (months for a go-live), none for a scale factor."""
    if mode == "scale":
        return None
    if ref.target == "go_live":
        return "month" if mode == "set" else "months"
    return ref.spec.unit


def _entry_bounds(raw: dict[str, object], numbers: dict[str, float], ref: schema.ParameterRef, mode: str,
                  months: bool) -> Problems:
    """Problems with an entry's bounds and centre: order, the centre within, positive spreads,
    bounds that the parameter can take (mode set), and the check every change gets
    (:func:`model.schema.change_problem`: no scaled go-live, shifts bounded, scale factors 0 or more)."""
    low, high = numbers["low"], numbers["high"]
    if low >= high:
        return [(("low",), f"low ({raw['low']}) must be less than high ({raw['high']}). Swap them, or widen the "
                           "range; a fixed value is a scenario, not an uncertainty.")]
    problems: Problems = [((key,), f"{key} ({raw[key]}) must lie between low ({raw['low']}) and high ({raw['high']}).")
                for key in ("peak", "mean", "median") if key in numbers and not low <= numbers[key] <= high]
    problems += [((key,), f"{key} must be more than 0, got {raw[key]}.")
                 for key in ("sd", "sigma", "median") if key in numbers and numbers[key] <= 0]
    spec = ref.spec
    if mode == "set" and not months and not (spec.in_range(low) and spec.in_range(high)):
        limits = f", and {spec.limits_text()}" if spec.floor is not None or spec.ceiling is not None else ""
        problems.append(((), f"with mode set, low and high are values of the parameter, which must be "
                             f"{spec.range_text()}{limits} ({spec.unit}); got {low:g} to {high:g}."
                             f"{percent_hint(high, spec)}"))
    change = change_problem(ref, mode, [low, high])
    if change:
        key, message = change
        problems.append(((key,) if key else (), message))
    elif raw.get("distribution") == "lognormal" and low < 0:
        problems.append((("low",), f"a lognormal's values are positive: low must be 0 or more, got {low:g}."))
    return problems



def check_uncertainty(scenario: Scenario, issues: list[Issue]) -> None:
    """Each entry against the resolved scenario: the parameter exists in it (an envelope's needs
    an envelope, a year must be in the horizon) and ``from_year`` is a year of the horizon.

    Whether the parameter stays in its range at the entry's bounds depends on the values it is
    drawn around, which a scenario that extends this one may change; that is checked when the
    entries are used (:func:`model.analysis.distributions.check_bounds`), by the one range check
    every change of a parameter gets."""
    for path, node in section(scenario.tree["uncertainty"]).items():
        entry = section(node)
        first = param(next(iter(entry.values())))
        where = (first.prov.file, first.prov.line, f"uncertainty.{path}")
        try:
            schema.resolve_parameter(path, scenario)
        except ParameterError as err:
            issues.append(Issue(*where, str(err)))
            continue
        from_year = param(entry["from_year"]) if "from_year" in entry else None
        years = scenario.years
        if from_year is not None and str(from_year.value) not in years:
            issues.append(Issue(*where, f"from_year {from_year.value} is not a year of this scenario; choose one of "
                                        f"{years[0]} to {years[-1]}."))
