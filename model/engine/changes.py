"""Changing parameters by dotted path (SPEC section 8), on the engine's arrays.

A change names a parameter by its path in the YAML tree and says how to change it:

- ``set``: replace the value (every year of a series, or every ICB's go-live month);
- ``add``: shift it (every year of a series; a go-live by whole months);
- ``scale``: multiply it.

``inflation.pay_award`` names a whole series, ``running_cost_cut.path.2025/26`` one year of it.
The value may be a number or an array of shape ``(S,)``: one value per sample, which is how the
sensitivity runner evaluates many settings in one engine call.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

import numpy as np

from model.arrays import FloatArray
from model.engine.inputs import INPUT_BY_PATH, Inputs
from model.errors import InputError
from model.periods import PeriodError, parse_month
from model.schema import MODES, ParameterRef, change_problem, value_problem


class OverrideError(InputError):
    """A change that names no parameter, uses an unknown mode or gives an unusable value."""


@dataclass(frozen=True)
class Change:
    """One change to one parameter: ``path``, ``mode`` (set, add or scale) and ``value``."""

    path: str
    mode: str
    value: object

    def __post_init__(self) -> None:
        if self.mode not in MODES:
            raise OverrideError(f"{self.path}: mode '{self.mode}' is not one of {', '.join(MODES)}")


def parameter_paths(inputs: Inputs) -> list[str]:
    """Every path a change may name: parameters, and each year of each series."""
    paths = sorted(inputs.values)
    series = [p for p in inputs.values if INPUT_BY_PATH[p].shape == "series"]
    return paths + [f"{p}.{label}" for p in series for label in inputs.labels]


def _split(inputs: Inputs, path: str) -> tuple[str, int | None]:
    """The parameter a path names and, for one year of a series, that year's index."""
    if path in inputs.values:
        return path, None
    head, _, year = path.rpartition(".")
    if head in inputs.values and INPUT_BY_PATH[head].shape == "series":
        if year not in inputs.labels:
            raise OverrideError(
                f"{path}: {year} is not a year of this run; choose one of {inputs.labels[0]} to {inputs.labels[-1]}"
            )
        return head, inputs.labels.index(year)
    close = difflib.get_close_matches(path, parameter_paths(inputs), n=1, cutoff=0.6)
    hint = f"; did you mean '{close[0]}'?" if close else "; see `icb-model show base` for the parameters"
    raise OverrideError(f"'{path}' is not a parameter{hint}")


def numeric(path: str, mode: str, value: object) -> FloatArray:
    """The change's value as a float array, reading words, flags and months where they belong."""
    shape = INPUT_BY_PATH[path].shape
    if shape == "word" and mode == "set" and isinstance(value, str):
        choices = INPUT_BY_PATH[path].spec.choices
        if value not in choices:
            raise OverrideError(f"{path}: '{value}' is not one of {', '.join(choices)}")
        return np.array(float(choices.index(value)))
    if shape == "go_live" and mode == "set" and (value is None or isinstance(value, str)):
        try:
            return np.array(np.nan if value in (None, "null", "never") else float(parse_month(value)))
        except PeriodError as error:
            raise OverrideError(f"{path}: {error}") from None
    if isinstance(value, bool):
        return np.array(float(value))
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise OverrideError(f"{path}: '{value}' is not a number") from None
    if arr.ndim > 1:
        raise OverrideError(f"{path}: give one number, or one per sample")
    if shape == "go_live" and mode == "add" and not np.all(np.equal(np.mod(arr, 1), 0)):
        raise OverrideError(f"{path}: go-live shifts are whole months")
    return arr


def apply(inputs: Inputs, changes: list[Change]) -> Inputs:
    """Apply changes in order and return new inputs; the originals are untouched.

    A change whose value has ``S`` entries makes every parameter carry ``S`` samples (a value
    of one entry, or a plain number, applies to every sample).
    """
    values = dict(inputs.values)
    for change in changes:
        name, year = _split(inputs, change.path)
        current = values[name]
        amount = numeric(name, change.mode, change.value)
        samples = max(current.shape[0], amount.size)
        if current.shape[0] not in (1, samples) or amount.size not in (1, samples):
            raise OverrideError(f"{change.path}: {amount.size} values for {current.shape[0]} samples")
        new = np.array(np.broadcast_to(current, (samples, *current.shape[1:])), dtype=float)
        view = new if year is None else new[:, year]
        column = amount.reshape((-1,) + (1,) * (view.ndim - 1)) if amount.ndim else amount
        if change.mode == "set":
            result = np.broadcast_to(column, view.shape)
        elif change.mode == "add":
            result = view + column
        else:
            result = view * column
        view[...] = result
        values[name] = new
    return inputs.with_values(values)


def apply_checked(inputs: Inputs, changes: list[Change]) -> Inputs:
    """:func:`apply`, with the checks uncertainty entries get too: each change itself first
    (:func:`model.schema.change_problem`: no scaled go-live, shifts of whole months within
    MAX_SHIFT_MONTHS, scale factors 0 or more), then every parameter changed where the schema
    allows it (:func:`model.schema.value_problem`). Raises OverrideError saying which change or
    value is at fault, or that a change has no effect (a parameter of the per-head envelope in a
    run without one)."""
    no_envelope = bool(np.isnan(inputs.values["running_cost_cut.envelope.effective"]).all())
    for change in changes:
        name, _ = _split(inputs, change.path)
        key = INPUT_BY_PATH[name]
        if key.in_envelope and no_envelope and name != "running_cost_cut.envelope.effective":
            raise OverrideError(f"{change.path} has no effect here: the scenario has no per-head envelope "
                                "(running_cost_cut.envelope is null). Vary it in a scenario with an envelope, "
                                "such as envelope_2025.")
        if key.shape not in ("word", "flag"):
            fault = change_problem(_ref(name), change.mode, numeric(name, change.mode, change.value))
            if fault:
                raise OverrideError(fault[1])
    changed = apply(inputs, changes)
    for change in changes:
        name, _ = _split(inputs, change.path)
        if INPUT_BY_PATH[name].shape not in ("word", "flag"):
            problem = value_problem(_ref(name), changed.values[name])
            if problem:
                raise OverrideError(problem)
    return changed


def _ref(name: str) -> ParameterRef:
    """The schema's reference to the engine input ``name``, for the checks every change gets."""
    key = INPUT_BY_PATH[name]
    target = {"go_live": "go_live", "month": "month", "series": "series"}.get(key.shape, "number")
    return ParameterRef(name, name, target, key.spec)
