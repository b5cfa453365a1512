"""The numbers a run needs, as arrays: what the engine reads.

A resolved :class:`~model.scenario.Scenario` is a tree of values with provenance; the engine wants
plain arrays over ICBs and years. :class:`Inputs` holds them keyed by the parameter's dotted path
(SPEC section 8), each with a leading *sample* axis so that one engine call can evaluate many
parameter draws at once. Which paths there are, and the shape of each, follows from the schema
(model/schema/keys.yaml) by the key's kind; nothing here lists the parameters again:

- a number has shape ``(S,)``;
- a series has shape ``(S, T)``, one value per financial year of the horizon;
- a word (``running_cost_cut.basis``) has shape ``(S,)``: the index of the choice in the schema's
  ``choices`` (``nominal`` 0, ``real`` 1), so that it too can differ across samples; a flag
  (``in_cut_scope``) is 0 or 1;
- a month (``running_cost_cut.envelope.effective``) is a month count, ``(S,)``;
- a delegated function's go-live has shape ``(S, I)``: one month count per ICB.

A month is ``NaN`` for "never". Under a null envelope its numbers are 0 and its month ``NaN``.
``S`` is 1 for a deterministic run.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

import numpy as np

from model.arrays import FloatArray
from model.periods import parse_month, parse_year
from model.schema import SCHEMA, KeySpec, expand, timing_paths

if TYPE_CHECKING:
    from model.scenario import Scenario

SHAPES = ("number", "series", "word", "flag", "month", "go_live")
"""How a parameter is held (see the module docstring)."""


@dataclass(frozen=True)
class InputKey:
    """One array of :class:`Inputs`: the parameter's path, its schema entry and its shape."""

    path: str
    spec: KeySpec
    shape: str

    @property
    def in_envelope(self) -> bool:
        """Whether the parameter belongs to the optional per-head envelope."""
        return self.path.startswith("running_cost_cut.envelope.")


def _input_keys() -> tuple[InputKey, ...]:
    """Every array the engine reads, in schema order, from the kinds of keys.yaml."""
    timings = set(timing_paths())
    keys = []
    for spec in SCHEMA:
        if spec.pattern.startswith("uncertainty"):
            continue
        for path in expand(spec.pattern):
            if path in timings:
                keys.append(InputKey(path, spec, "go_live"))
            elif spec.kind in ("number", "series", "word", "flag", "month"):
                keys.append(InputKey(path, spec, spec.kind))
    return tuple(keys)


INPUT_KEYS: tuple[InputKey, ...] = _input_keys()
"""Every array of :class:`Inputs`."""

INPUT_BY_PATH: dict[str, InputKey] = {key.path: key for key in INPUT_KEYS}


def input_key(path: str) -> InputKey | None:
    """The InputKey of a path, or None when the engine has no such array."""
    return INPUT_BY_PATH.get(path)


@dataclass(frozen=True)
class Inputs:
    """Everything one engine call needs, as arrays (see the module docstring for shapes).

    Attributes:
        labels: financial-year labels of the horizon, base year first.
        codes, names, regions: the ICBs of the run, in table order.
        population: base-year GP-registered population per ICB, persons, shape ``(I,)``.
        rca_given_gbp: the table's own base-year RCA per ICB, £, ``NaN`` where not given.
        cut_last: index (from the base year) of the last year the cut path lists; may lie
            beyond the horizon, in which case the post-path uplift never applies.
        values: parameter arrays keyed by dotted path, each with a leading sample axis.
    """

    labels: tuple[str, ...]
    codes: tuple[str, ...]
    names: tuple[str, ...]
    regions: tuple[str, ...]
    population: FloatArray
    rca_given_gbp: FloatArray
    cut_last: int
    values: dict[str, FloatArray] = field(repr=False)

    @property
    def base_year(self) -> int:
        """Starting calendar year of the base financial year (2022 for 2022/23)."""
        return parse_year(self.labels[0])

    @property
    def samples(self) -> int:
        """Number of samples the arrays carry (the broadcast size of the leading axis)."""
        return max(int(a.shape[0]) for a in self.values.values())

    def with_values(self, changes: dict[str, FloatArray]) -> Inputs:
        """A copy with some parameter arrays replaced (each already with its sample axis)."""
        return replace(self, values={**self.values, **changes})

    def select_icbs(self, codes: list[str]) -> Inputs:
        """A copy restricted to some ICBs, in the order given."""
        index = [self.codes.index(c) for c in codes]
        values = {path: (arr[:, index] if INPUT_BY_PATH[path].shape == "go_live" else arr)
                  for path, arr in self.values.items()}
        return replace(
            self,
            codes=tuple(self.codes[i] for i in index),
            names=tuple(self.names[i] for i in index),
            regions=tuple(self.regions[i] for i in index),
            population=self.population[index],
            rca_given_gbp=self.rca_given_gbp[index],
            values=values,
        )


def month_or_nan(value: object) -> float:
    """A month ``YYYY-MM`` as a month count; ``None`` (never) as NaN."""
    return float("nan") if value is None else float(parse_month(str(value)))


def go_live_months(go_live: Mapping[str, object], codes: tuple[str, ...], regions: tuple[str, ...]) -> FloatArray:
    """Each ICB's go-live month count: ``by_icb`` wins over ``by_region`` over ``default``.

    ``go_live`` holds bare values (month strings or ``None`` for never). Returns shape ``(I,)``.
    """
    by_icb = _mapping(go_live.get("by_icb"))
    by_region = _mapping(go_live.get("by_region"))
    default = go_live.get("default")
    months = []
    for code, region in zip(codes, regions, strict=True):
        if code in by_icb:
            months.append(month_or_nan(by_icb[code]))
        elif region in by_region:
            months.append(month_or_nan(by_region[region]))
        else:
            months.append(month_or_nan(default))
    return np.array(months, dtype=float)


def _mapping(value: object) -> Mapping[str, object]:
    """A section of bare values: ``value`` itself, or ``{}`` for None (an absent section)."""
    return value if isinstance(value, dict) else {}


def as_number(key: InputKey, value: object) -> float:
    """A resolved value (a word, flag, month or number) as the number the engine holds."""
    if key.shape == "word":
        return float(key.spec.choices.index(str(value)))
    if key.shape == "month":
        return month_or_nan(value)
    if isinstance(value, (int, float)):  # a number, or a flag (bool)
        return float(value)
    raise TypeError(f"{key.path}: expected a number, got {value!r}")


def from_scenario(scenario: Scenario) -> Inputs:
    """Turn a resolved, validated scenario into the engine's arrays (one sample)."""
    from model.scenario.resolved import series

    labels = tuple(scenario.years)
    table = scenario.icbs
    codes, regions = table.codes, table.regions
    has_envelope = isinstance(scenario.value("running_cost_cut.envelope"), dict)
    values: dict[str, FloatArray] = {}
    for key in INPUT_KEYS:
        if key.shape == "go_live":
            values[key.path] = go_live_months(_mapping(scenario.value(key.path)), codes, regions)[None, :]
        elif key.shape == "series":
            values[key.path] = np.array([series(scenario.get(key.path)).values(list(labels))], dtype=np.float64)
        elif key.in_envelope and not has_envelope:
            values[key.path] = np.array([np.nan if key.shape == "month" else 0.0])
        else:
            values[key.path] = np.array([as_number(key, scenario.value(key.path))])
    # Validation guarantees the path lists a year at or after the base year.
    last = series(scenario.get("running_cost_cut.path")).last_listed()
    assert last is not None
    cut_last = parse_year(last) - parse_year(labels[0])
    return Inputs(
        labels=labels,
        codes=codes,
        names=table.names,
        regions=regions,
        population=np.array(table.population, dtype=float),
        rca_given_gbp=np.array(table.baseline_rca_gbp, dtype=float),
        cut_last=cut_last,
        values=values,
    )


__all__ = ["INPUT_KEYS", "SHAPES", "InputKey", "Inputs", "as_number", "from_scenario", "go_live_months", "input_key",
           "month_or_nan"]
