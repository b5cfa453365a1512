"""Organisations through time, for the engine: which organisation each atom belongs to in each
year, and the sums and shares that move figures between atoms and organisations.

An *atom* is a piece of a base-year ICB (:mod:`model.scenario.organisations`): the engine works out
every linear figure (allowances, populations, delegated budgets, staff needed) per atom, then adds
atoms into the organisations that exist in each year to work out what only an organisation as a
whole has (what it can afford, whom it employs, its redundancies: its staff are one pool), and
shares those back to its atoms by population. Results on any footprint add atoms into that
footprint's organisations. Every sum adds atoms one by one in atom order, so a figure does not
depend on how samples are chunked.

Arrays are in the engine's layout (model.engine.layout): ``(A, T, S)`` for atoms, ``(O, T, S)``
for organisations (the union of every era's organisations).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

import numpy as np

from model.arrays import FloatArray, IntArray

if TYPE_CHECKING:
    from model.scenario.organisations import History


@dataclass(frozen=True)
class Footprint:
    """The organisations of one era, used to restate every year: ``unit_of[a]`` is the unit of
    atom ``a``; ``codes``, ``names`` and ``regions`` describe the units."""

    label: str
    codes: tuple[str, ...]
    names: tuple[str, ...]
    regions: tuple[str, ...]
    unit_of: IntArray
    first: int

    def __len__(self) -> int:
        return len(self.codes)

    @property
    def one_atom_each(self) -> bool:
        """Whether every unit is exactly one atom (no unit adds or shares atoms)."""
        return len(self.unit_of) == len(self.codes) and len(set(self.unit_of.tolist())) == len(self.codes)

    @property
    def atom_of_unit(self) -> IntArray:
        """When each unit is one atom, that atom (by unit)."""
        return np.argsort(self.unit_of, kind="stable")


@dataclass(frozen=True, eq=False)
class Lineage:
    """Atoms and organisations over a horizon of ``T`` years.

    ``org_of[t, a]`` is the organisation (an index into ``codes``, the union of every era's
    organisations) atom ``a`` belongs to in year ``t``; ``population[a]`` the atom's base-year
    population, whose share of its organisation's (:attr:`share`) apportions what only an
    organisation has; ``merged_from[o]`` the year index from which organisation ``o`` is a merger
    (formed from more than one predecessor), or ``T`` when it never is. ``footprints`` are the
    eras, oldest first.
    """

    codes: tuple[str, ...]
    org_of: IntArray
    population: FloatArray
    merged_from: IntArray
    footprints: tuple[Footprint, ...]

    @property
    def n_orgs(self) -> int:
        return len(self.codes)

    @cached_property
    def share(self) -> FloatArray:
        """``share[t, a]``: atom ``a``'s share of its organisation's population in year ``t``
        (populations grow at one rate, so a base-year share holds every year)."""
        n_years = self.org_of.shape[0]
        totals = np.zeros((n_years, self.n_orgs))
        for t in range(n_years):
            np.add.at(totals[t], self.org_of[t], self.population)
        return self.population[None, :] / totals[np.arange(n_years)[:, None], self.org_of]

    @cached_property
    def identity(self) -> bool:
        """Whether every organisation is one atom in every year (no change ever pools atoms)."""
        return all(len(set(row.tolist())) == len(row) for row in self.org_of) and self.n_orgs == self.org_of.shape[1]

    def footprint(self, label: str | None = None) -> Footprint:
        """The footprint of that label (default: the latest)."""
        if label is None:
            return self.footprints[-1]
        return next(f for f in self.footprints if f.label == label)

    def restrict(self, atoms: list[int]) -> Lineage:
        """The lineage of some of the atoms (in the order given): organisations keep their codes,
        footprints keep only the units those atoms belong to."""
        picked = np.asarray(atoms, dtype=np.int64)
        footprints = []
        for f in self.footprints:
            units = sorted(set(f.unit_of[picked].tolist()))
            local = {u: n for n, u in enumerate(units)}
            footprints.append(Footprint(f.label, tuple(f.codes[u] for u in units), tuple(f.names[u] for u in units),
                                        tuple(f.regions[u] for u in units),
                                        np.array([local[u] for u in f.unit_of[picked].tolist()], dtype=np.int64),
                                        f.first))
        return Lineage(self.codes, self.org_of[:, picked], self.population[picked], self.merged_from,
                       tuple(footprints))

    def to_orgs(self, values: FloatArray) -> FloatArray:
        """Atom figures ``(A, T, S)`` added into the organisations of each year: ``(O, T, S)``."""
        if self.identity:
            return np.array(values)
        out = np.zeros((self.n_orgs, *values.shape[1:]))
        for t0, t1, orgs in self._eras():
            _add_into(out[:, t0:t1], values[:, t0:t1], orgs)
        return out

    def to_atoms(self, values: FloatArray) -> FloatArray:
        """Organisation figures ``(O, T, S)`` shared to their atoms by population: ``(A, T, S)``."""
        if self.identity:
            return np.array(values)
        n_atoms = self.org_of.shape[1]
        out = np.empty((n_atoms, *values.shape[1:]))
        for t0, t1, orgs in self._eras():
            out[:, t0:t1] = values[orgs, t0:t1] * self.share[t0, :, None, None]
        return out

    def previous_on(self, values: FloatArray) -> FloatArray:
        """Last year's organisation figures ``(O, T, S)`` restated on each year's organisations
        (shared to atoms by population, then added into this year's organisations); year 0 keeps
        its own figures."""
        atoms = self.to_atoms(values)
        shifted = np.concatenate([atoms[:, :1], atoms[:, :-1]], axis=1)
        return self.to_orgs(shifted)

    def _eras(self) -> list[tuple[int, int, IntArray]]:
        """(first year, end year, org of each atom) for each run of years with the same organisations."""
        n_years = self.org_of.shape[0]
        starts = [0] + [t for t in range(1, n_years) if not np.array_equal(self.org_of[t], self.org_of[t - 1])]
        return [(t0, t1, self.org_of[t0]) for t0, t1 in zip(starts, [*starts[1:], n_years], strict=True)]


def _add_into(out: FloatArray, values: FloatArray, groups: IntArray) -> None:
    """``out[groups[a]] += values[a]`` for every atom ``a``, in atom order (so the same atoms always
    add in the same order, whatever the other axes hold)."""
    for a, group in enumerate(groups.tolist()):
        out[group] += values[a]


def to_units(values: FloatArray, footprint: Footprint) -> FloatArray:
    """Atom figures ``(A, ...)`` added into a footprint's units: ``(U, ...)``, atoms in order (a
    unit of one atom is that atom's figure, unchanged)."""
    if footprint.one_atom_each:
        return np.array(values[footprint.atom_of_unit])
    out = np.zeros((len(footprint), *values.shape[1:]))
    _add_into(out, values, footprint.unit_of)
    return out


def england(values: FloatArray) -> FloatArray:
    """Atom figures ``(A, ...)`` added up for England, atoms in order, keeping the axis: ``(1, ...)``."""
    total = np.empty((1, *values.shape[1:]))
    total[0] = values[0]
    for row in values[1:]:
        total[0] += row
    return total


def unchanging(codes: tuple[str, ...], names: tuple[str, ...], regions: tuple[str, ...], n_years: int,
             label: str) -> Lineage:
    """The lineage of a run whose organisations never change: one atom per organisation."""
    n = len(codes)
    footprint = Footprint(label, codes, names, regions, np.arange(n, dtype=np.int64), 0)
    return Lineage(codes, np.tile(np.arange(n, dtype=np.int64), (n_years, 1)), np.ones(n),
                   np.full(n, n_years, dtype=np.int64), (footprint,))


def from_history(history: History, population: FloatArray, n_years: int) -> Lineage:
    """The engine's lineage of a scenario's :class:`~model.scenario.organisations.History`;
    ``population`` is each atom's base-year population (shares within an organisation follow it)."""
    codes: list[str] = []
    for era in history.eras:
        codes += [org.code for org in era.organisations if org.code not in codes]
    index = {code: n for n, code in enumerate(codes)}
    org_of = np.empty((n_years, len(history.atoms)), dtype=np.int64)
    footprints = []
    for k, era in enumerate(history.eras):
        last = history.eras[k + 1].first if k + 1 < len(history.eras) else n_years
        era_orgs = np.array([index[atom.codes[k]] for atom in history.atoms], dtype=np.int64)
        org_of[era.first:last] = era_orgs
        local = {org.code: n for n, org in enumerate(era.organisations)}
        footprints.append(Footprint(era.label, era.codes(), tuple(o.name for o in era.organisations),
                                    tuple(o.region for o in era.organisations),
                                    np.array([local[atom.codes[k]] for atom in history.atoms], dtype=np.int64),
                                    era.first))
    merged_from = np.full(len(codes), n_years, dtype=np.int64)
    for era in history.eras[1:]:
        for code, pairs in era.formed_from.items():
            if len({old for old, _ in pairs}) > 1:
                merged_from[index[code]] = min(int(merged_from[index[code]]), era.first)
    return Lineage(tuple(codes), org_of, population, merged_from, tuple(footprints))
