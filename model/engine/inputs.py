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

import math
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

import numpy as np

from model.arrays import FloatArray
from model.engine.lineage import Footprint, Lineage, from_history, unchanging
from model.errors import InputError
from model.periods import parse_month, parse_year
from model.schema import SCHEMA, WILDCARDS, KeySpec, expand, timing_paths

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
        if spec.pattern.startswith(("uncertainty", "allowance")) or set(spec.pattern.split(".")) & set(WILDCARDS):
            continue  # distributions, published figures and rules keyed by region or ICB are not arrays
        for path in expand(spec.pattern):
            if path in timings:
                keys.append(InputKey(path, spec, "go_live"))
            elif spec.kind in ("number", "series", "word", "flag", "month"):
                keys.append(InputKey(path, spec, spec.kind))
    return tuple(keys)


INPUT_KEYS: tuple[InputKey, ...] = _input_keys()
"""Every array of :class:`Inputs`."""

INPUT_BY_PATH: dict[str, InputKey] = {key.path: key for key in INPUT_KEYS}


def _default(spec: KeySpec) -> float:
    """An optional key's schema default as the engine holds it (a word as its choice's index)."""
    if spec.kind == "word":
        return float(spec.choices.index(str(spec.default)))
    return float(spec.default)  # type: ignore[arg-type]


def input_key(path: str) -> InputKey | None:
    """The InputKey of a path, or None when the engine has no such array."""
    return INPUT_BY_PATH.get(path)


@dataclass(frozen=True)
class Inputs:
    """Everything one engine call needs, as arrays (see the module docstring for shapes).

    The engine works on *atoms* (``I`` of them): the rows of the ICB table, or, when the
    organisations change, the pieces of them the changes make (:mod:`model.engine.lineage`).
    Without changes an atom is an ICB.

    Attributes:
        labels: financial-year labels of the horizon, base year first.
        codes, names, regions: each atom's label (an ICB's code; ``QNQ>S0E4D`` for the piece of
            Frimley that became part of Thames Valley).
        population: base-year GP-registered population per atom, persons, shape ``(I,)``.
        rca_given_gbp: the table's own base-year RCA per atom, £, ``NaN`` where not given.
        cut_last: index (from the base year) of the last year the cut path lists; may lie
            beyond the horizon, in which case the post-path uplift never applies.
        values: parameter arrays keyed by dotted path, each with a leading sample axis.
        need_index: each atom's need-weighted over registered population (1 where unknown).
        lineage: the organisation each atom belongs to in each year, and the footprints
            (default: each atom its own organisation, never changing).
        published_gbp: published allowances, £, by organisation (``lineage.codes``) and year,
            ``NaN`` where none; shape ``(O, T)``.
    """

    labels: tuple[str, ...]
    codes: tuple[str, ...]
    names: tuple[str, ...]
    regions: tuple[str, ...]
    population: FloatArray
    rca_given_gbp: FloatArray
    cut_last: int
    values: dict[str, FloatArray] = field(repr=False)
    need_index: FloatArray = field(repr=False)
    lineage: Lineage = field(repr=False)
    published_gbp: FloatArray = field(repr=False)

    @classmethod
    def plain(cls, labels: tuple[str, ...], codes: tuple[str, ...], names: tuple[str, ...],
              regions: tuple[str, ...], population: FloatArray, rca_given_gbp: FloatArray, cut_last: int,
              values: dict[str, FloatArray]) -> Inputs:
        """Inputs built in code: every atom an ICB that never changes, need index 1, nothing
        published, and an optional key not in ``values`` at its schema default (what tests and
        examples need)."""
        lineage = unchanging(codes, names, regions, len(labels), labels[0][:4])
        defaults = {key.path: np.array([_default(key.spec)]) for key in INPUT_KEYS
                    if key.path not in values and not key.spec.required and key.spec.default is not None}
        return cls(labels, codes, names, regions, population, rca_given_gbp, cut_last, {**defaults, **values},
                   np.ones(len(codes)), lineage, np.full((lineage.n_orgs, len(labels)), np.nan))

    @property
    def footprints(self) -> tuple[str, ...]:
        """The footprint labels of the run, oldest first."""
        return tuple(f.label for f in self.lineage.footprints)

    def footprint(self, label: str | None = None) -> Footprint:
        """A footprint (default: the latest); :class:`~model.errors.InputError` for one the run
        does not have."""
        if label is not None and label not in self.footprints:
            raise InputError(f"there is no {label} footprint in this run; choose {' or '.join(self.footprints)}")
        return self.lineage.footprint(label)

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
        """A copy restricted to some atoms (by label), in the order given."""
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
            need_index=self.need_index[index],
            lineage=self.lineage.restrict(index),
        )


def month_or_nan(value: object) -> float:
    """A month ``YYYY-MM`` as a month count; ``None`` (never) as NaN."""
    return float("nan") if value is None else float(parse_month(str(value)))


def go_live_months(go_live: Mapping[str, object], lineages: list[tuple[str, ...]], regions: tuple[str, ...],
                   starts: tuple[int, ...] = (0,)) -> FloatArray:
    """Each atom's go-live month count: ``by_icb`` wins over ``by_region`` over ``default``.

    ``go_live`` holds bare values (month strings or ``None`` for never); ``lineages`` gives each
    atom's organisation codes, one per era; ``starts`` each era's first month (the first era's is
    never used); ``regions`` each atom's base-year region. A function goes live for an
    organisation in its month and stays live: an atom's month is the first in which the
    organisation it then belongs to has the function (a rule for an organisation counts from the
    month it forms). Without changes that is the atom's own rule. Returns shape ``(I,)``.
    """
    by_icb = _mapping(go_live.get("by_icb"))
    by_region = _mapping(go_live.get("by_region"))
    default = go_live.get("default")
    months = []
    for codes, region in zip(lineages, regions, strict=True):
        fallback = month_or_nan(by_region.get(region, default))
        live = math.nan
        for k, code in enumerate(codes):
            month = month_or_nan(by_icb[code]) if code in by_icb else fallback
            if k and not math.isnan(month):
                month = max(month, starts[k])
            if not math.isnan(month) and (k + 1 == len(codes) or month < starts[k + 1]):
                live = month
                break
        months.append(live)
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
    """Turn a resolved, validated scenario into the engine's arrays (one sample), over the atoms
    of its organisations' history."""
    from model.scenario.resolved import series

    labels = tuple(scenario.years)
    atoms = _Atoms(scenario)
    has_envelope = isinstance(scenario.value("running_cost_cut.envelope"), dict)
    values: dict[str, FloatArray] = {}
    for key in INPUT_KEYS:
        if key.shape == "go_live":
            values[key.path] = go_live_months(_mapping(scenario.value(key.path)), atoms.lineages,
                                              atoms.regions, atoms.era_starts)[None, :]
        elif key.shape == "series":
            values[key.path] = np.array([series(scenario.get(key.path)).values(list(labels))], dtype=np.float64)
        elif key.in_envelope and not has_envelope:
            values[key.path] = np.array([np.nan if key.shape == "month" else 0.0])
        else:
            values[key.path] = np.array([as_number(key, scenario.value(key.path))])
    # Validation guarantees the path lists a year at or after the base year.
    last = series(scenario.get("running_cost_cut.path")).last_listed()
    assert last is not None
    lineage = from_history(scenario.history, atoms.population, len(labels))
    published = np.full((lineage.n_orgs, len(labels)), np.nan)
    for (code, year), figure in scenario.published.figures.items():
        published[lineage.codes.index(code), labels.index(year)] = figure.gbp
    return Inputs(labels, atoms.codes, atoms.names, atoms.regions, atoms.population, atoms.rca_given,
                  parse_year(last) - parse_year(labels[0]), values, atoms.need_index, lineage, published)


class _Atoms:
    """The atoms of a scenario (:mod:`model.scenario.organisations`): labels, base-year population
    and own RCA (each its share of its ICB's), need index, and organisation codes over time."""

    def __init__(self, scenario: Scenario) -> None:
        table, history = scenario.icbs, scenario.history
        rows = [atom.icb for atom in history.atoms]
        weights = np.array([atom.weight for atom in history.atoms])
        self.lineages = [atom.codes for atom in history.atoms]
        base_year = parse_year(scenario.years[0])
        self.era_starts = tuple(parse_month(f"{base_year + era.first}-04") for era in history.eras)
        self.regions = tuple(table.regions[i] for i in rows)
        self.population = weights * np.asarray(table.population, dtype=float)[rows]
        self.rca_given = weights * np.asarray(table.baseline_rca_gbp, dtype=float)[rows]
        self.need_index = np.asarray(table.need_index, dtype=float)[rows]
        whole = [len(set(codes)) == 1 and weight == 1.0 for codes, weight in zip(self.lineages, weights, strict=True)]
        self.codes = tuple(codes[0] if plain else ">".join(dict.fromkeys(codes))
                           for codes, plain in zip(self.lineages, whole, strict=True))
        self.names = tuple(table.names[i] if plain else f"{table.names[i]} ({w:.5g} of it, in {codes[-1]})"
                           for i, codes, w, plain in zip(rows, self.lineages, weights, whole, strict=True))


__all__ = ["INPUT_KEYS", "SHAPES", "InputKey", "Inputs", "as_number", "from_scenario", "go_live_months", "input_key",
           "month_or_nan"]
