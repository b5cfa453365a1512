"""Parameters by path (SPEC section 8): what a dotted path such as
``running_cost_cut.path.2025/26`` names, checked against the schema.

Parameters are the numbers a user can vary: a number, a whole series (``inflation.pay_award``)
or one year of a series (``running_cost_cut.path.2025/26``). A function's go-live timing
(``delegation.dentistry.go_live``: every ICB's go-live month at once) may also be varied, by whole
months. See :func:`resolve_parameter`.
"""

from __future__ import annotations

import difflib
import math
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Protocol

from model.errors import InputError
from model.periods import FIRST_MONTH, FIRST_YEAR, LAST_MONTH, LAST_YEAR, PeriodError, month_label, parse_year
from model.schema.keys import NUMERIC_KINDS, SCHEMA, WILDCARDS, KeySpec, expand, spec_for

if TYPE_CHECKING:  # numpy is imported by the functions on arrays: checking files needs none
    from model.arrays import FloatArray

MAX_SHIFT_MONTHS = 1_200
"""Largest go-live shift, in months either way, that any change may make: an uncertainty entry's
bounds, ``--vary``, a grid axis or the dashboard."""

MODES = ("set", "add", "scale")
"""How a change alters a parameter: ``set`` replaces it, ``add`` shifts it (a go-live by whole
months), ``scale`` multiplies it."""

DISTRIBUTIONS: dict[str, tuple[str, ...]] = {
    "uniform": (),
    "triangular": ("peak",),
    "normal": ("mean", "sd"),
    "lognormal": ("median", "sigma"),
}
"""The distributions an ``uncertainty`` entry may name, each with the keys it takes besides
``low`` and ``high``."""


def parameter_paths() -> list[str]:
    """Every numeric parameter a user can vary (SPEC section 8), in schema order.

    A series path names the whole series; add ``.YYYY/YY`` to name one year of it.
    """
    return list(_parameter_paths())


@cache
def _parameter_paths() -> tuple[str, ...]:
    """:func:`parameter_paths`, worked out from the schema once (it never changes while running)."""
    return tuple(path for spec in SCHEMA if spec.kind in NUMERIC_KINDS
                 and not set(spec.pattern.split(".")) & set(WILDCARDS) for path in expand(spec.pattern))


def role_of(path: str) -> str:
    """``lever``, ``uncertainty`` or ``setting`` for a parameter path (a year of a series takes the
    series' role), from the schema."""
    spec = spec_for(path)
    if spec is None or (spec.kind == "section" and spec.role == "setting"):
        spec = spec_for(path.rpartition(".")[0]) or spec
    return spec.role if spec is not None else "setting"


def timing_paths() -> list[str]:
    """The go-live timings a user can vary: ``delegation.F.go_live`` for each function."""
    return list(_timing_paths())


@cache
def _timing_paths() -> tuple[str, ...]:
    return tuple(expand("delegation.F.go_live"))


class ParameterError(InputError):
    """A parameter path that names no parameter the user can vary."""


class ScenarioLike(Protocol):
    """What :func:`resolve_parameter` needs of a scenario."""

    @property
    def years(self) -> list[str]: ...

    def get(self, path: str) -> object: ...


@dataclass(frozen=True)
class ParameterRef:
    """What a parameter path names.

    ``target`` is 'number' (a single number), 'series' (every year of a series), 'year' (one
    year of a series, ``year``), 'go_live' (a function's go-live month in every ICB) or 'month'
    (a month such as the envelope's effective month, which only the dashboard changes). ``key`` is
    the path of the number, series or go-live itself.
    """

    path: str
    key: str
    target: str
    spec: KeySpec
    year: str | None = None


def resolve_parameter(path: str, scenario: ScenarioLike | None = None) -> ParameterRef:
    """Resolve a dotted parameter path such as ``running_cost_cut.path.2025/26``, or a go-live
    timing such as ``delegation.dentistry.go_live``.

    With ``scenario``, also check that the parameter exists in it (an envelope parameter needs an
    envelope) and that a named year is within its horizon. Raises ParameterError, with a
    did-you-mean, when the path names no parameter.
    """
    ref = _parse_parameter(path.strip())
    if scenario is not None:
        _check_in_scenario(ref, scenario)
    return ref


def _parse_parameter(path: str) -> ParameterRef:
    """The ParameterRef of ``path`` judged against the schema alone."""
    params = _parameter_paths()
    if path in _timing_paths():
        return ParameterRef(path, path, "go_live", _known_spec(path))
    if path in params:
        spec = _known_spec(path)
        return ParameterRef(path, path, "series" if spec.kind == "series" else "number", spec)
    head, _, tail = path.rpartition(".")
    if head in params:
        spec = _known_spec(head)
        if spec.kind != "series":
            raise ParameterError(f"'{head}' is a single number, not a series: name it without '.{tail}'.")
        try:
            parse_year(tail)
        except PeriodError as err:
            raise ParameterError(f"in '{path}': {err}.") from None
        return ParameterRef(path, head, "year", spec, tail)
    other = spec_for(path)
    if other is not None:
        raise ParameterError(f"'{path}' is {other.expects()}, not a number that can be varied. "
                             "Parameters are numbers or series, e.g. inflation.pay_award.")
    if "/" in tail:
        close = difflib.get_close_matches(head, params, n=1, cutoff=0.6)
        if close:
            raise ParameterError(f"'{path}' is not a parameter. Did you mean '{close[0]}.{tail}'?")
    raise ParameterError(f"'{path}' is not a parameter. {did_you_mean(path, [*params, *_timing_paths()])}")


def _known_spec(path: str) -> KeySpec:
    """The KeySpec of a parameter or timing path (which are keys of the schema)."""
    spec = spec_for(path)
    assert spec is not None
    return spec


def _check_in_scenario(ref: ParameterRef, scenario: ScenarioLike) -> None:
    """Raise ParameterError unless the parameter ``ref`` exists in ``scenario``."""
    in_envelope = ref.key.startswith("running_cost_cut.envelope.")
    if in_envelope and not isinstance(scenario.get("running_cost_cut.envelope"), dict):
        raise ParameterError(f"'{ref.path}' is a parameter of the envelope, but this scenario has none "
                             "(running_cost_cut.envelope is null). Set an envelope first.")
    if ref.year is not None and ref.year not in scenario.years:
        raise ParameterError(f"{ref.year} in '{ref.path}' is outside the horizon {scenario.years[0]} to "
                             f"{scenario.years[-1]}. Name a year within it.")


def did_you_mean(word: str, choices: list[str] | tuple[str, ...]) -> str:
    """'Did you mean 'x'?' for the closest of ``choices``, or a list of them when none is close."""
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    if close:
        return f"Did you mean '{close[0]}'?"
    shown = ", ".join(choices[:12]) + (", …" if len(choices) > 12 else "")
    return f"Expected one of: {shown}." if choices else "Nothing is allowed here."


def percent_hint(value: float, spec: KeySpec) -> str:
    """A hint when ``value`` looks like a percentage written where a fraction belongs, else ''."""
    if not (spec.unit or "").startswith("fraction") or not math.isfinite(value) or not 2 <= abs(value) <= 100:
        return ""
    if not spec.in_range(value / 100):
        return ""
    return f" A fraction is written 0-1: write {value:g}% as {value / 100:g}."


def changed(current: FloatArray, mode: str, amount: float | FloatArray) -> FloatArray:
    """Values after a change: ``amount`` set, added or multiplied (``mode``), broadcast."""
    import numpy as np

    if mode == "set":
        return np.broadcast_to(np.asarray(amount, dtype=float), np.broadcast_shapes(np.shape(current),
                                                                                     np.shape(amount)))
    return current + amount if mode == "add" else current * amount


def change_problem(ref: ParameterRef, mode: str, amounts: FloatArray | list[float]) -> tuple[str, str] | None:
    """What is wrong with changing the parameter ``ref`` by ``mode`` with each of ``amounts`` (an
    uncertainty entry's bounds, ``--vary``'s low and high, a grid axis's values), whatever it is
    applied to: None, or the key at fault (``mode`` or ``low``; '' for the amounts) and a message.

    The one check of a change itself, with :func:`value_problem` the one check of what it gives:
    a go-live is shifted or set, never scaled; a shift is whole months, at most MAX_SHIFT_MONTHS
    either way; a scale factor is 0 or more (a negative one turns a cost into a saving). Plain
    Python over the numbers (a few bounds or axis values), so that checking files needs no numpy.
    """
    flat = [float(amount) for amount in (amounts if isinstance(amounts, list) else amounts.ravel().tolist())]
    if ref.target == "go_live" and mode == "scale":
        return "mode", "a go-live cannot be scaled. Use mode add (a shift in whole months) or set (months YYYY-MM)."
    if ref.target == "go_live" and mode == "add":
        far = [amount for amount in flat if not abs(amount) <= MAX_SHIFT_MONTHS]
        if far:
            return "", (f"a go-live shift is in months and must stay within {MAX_SHIFT_MONTHS:,} months either way; "
                        f"got {far[0]:g}. Check it is months, not days.")
        if any(amount != round(amount) for amount in flat):
            return "", "a go-live shift is in whole months; give whole numbers."
    negative = [amount for amount in flat if not amount >= 0]
    if mode == "scale" and negative:
        return "low", (f"with mode scale the value multiplies the parameter, so it must be 0 or more, got "
                       f"{negative[0]:g}.")
    return None


def value_problem(ref: ParameterRef, values: FloatArray) -> str | None:
    """Whether a parameter may take ``values`` (after a change): None, or what is wrong with the
    first one that may not. The one range check for uncertainty entries, ``--vary``, grid axes
    and the dashboard: numbers within the key's range and sanity limits, go-live months within
    the calendar years the model accepts (NaN: never)."""
    import numpy as np

    flat = np.ravel(np.asarray(values, dtype=float))
    if ref.target in ("go_live", "month"):
        months = flat[~np.isnan(flat)]
        bad = months[(months < FIRST_MONTH) | (months > LAST_MONTH) | (months != np.round(months))]
        if bad.size:
            shown = month_label(int(bad[0])) if math.isfinite(bad[0]) and abs(bad[0]) < 1e7 else f"{bad[0]:g}"
            return (f"{ref.key} would go live in {shown}, outside the years the model accepts ({FIRST_YEAR} to "
                    f"{LAST_YEAR})")
        return None
    spec = ref.spec
    for value in flat:
        if not math.isfinite(value) or not spec.in_range(float(value)):
            within = math.isfinite(value) and spec.in_bounds(float(value))
            allowed = spec.limits_text() if within else spec.range_text()
            return f"{ref.key} would be {value:g}, outside its range ({allowed})"
    return None
