"""Organisations through time, for the engine: which organisation each atom belongs to in each
year, and the sums and shares that move figures between atoms and organisations.

An *atom* is a piece of a base-year ICB (:mod:`model.scenario.organisations`): the engine works out
every linear figure (allowances, populations, delegated budgets, staff needed) per atom, then adds
atoms into the organisations that exist in each year to work out what only an organisation as a
whole has (what it can afford, whom it employs, its redundancies: its staff are one pool), and
shares those back to its atoms by population. Results on any footprint add atoms into that
footprint's organisations. Every sum adds atoms one by one in atom order, so a figure does not
depend on how samples are chunked; it does so with whole-array operations, a few per sum
(:class:`Layers`), not a Python loop over atoms.

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


@dataclass(frozen=True, eq=False)
class Layers:
    """How to add rows of an array into groups, each group's rows one by one in row order, with a
    few whole-array operations: layer ``j`` adds the ``j``-th row of every group that has one
    (rows ``sources[j]`` into groups ``targets[j]``; a group appears at most once in a layer).

    Adding layer by layer into zeros gives every group ``((0 + r1) + r2) + ...`` in row order,
    exactly the sums of a loop over the rows, in as many steps as the largest group has rows.
    """

    targets: tuple[IntArray, ...]
    sources: tuple[IntArray, ...]

    @classmethod
    def of(cls, groups: IntArray) -> Layers:
        """The layers that add row ``r`` into group ``groups[r]``."""
        groups = np.asarray(groups, dtype=np.int64).ravel()
        order = np.argsort(groups, kind="stable")  # by group, rows in order within each
        ordered = groups[order]
        starts = np.flatnonzero(np.r_[True, ordered[1:] != ordered[:-1]]) if ordered.size else ordered
        rank = np.arange(ordered.size) - np.repeat(starts, np.diff(np.r_[starts, ordered.size]))
        layers = range(int(rank.max()) + 1 if rank.size else 0)
        return cls(tuple(ordered[rank == j] for j in layers), tuple(order[rank == j] for j in layers))

    def sums(self, values: FloatArray, n_groups: int) -> FloatArray:
        """Each group's rows of ``values`` added up, ``(n_groups, ...)``: ``0 + r1 + r2 + ...`` in row
        order (a group with no rows is 0). The first layer is written, not added to zeros: ``x + 0``
        is ``x`` but for the sign of a zero, which ``+ 0.0`` settles as adding to zeros would."""
        if not self.targets:
            return np.zeros((n_groups, *values.shape[1:]))
        first = values[self.sources[0]]
        first += 0.0
        if self._covers(n_groups):
            out = first
        else:
            out = np.zeros((n_groups, *values.shape[1:]))
            out[self.targets[0]] = first
        for targets, sources in zip(self.targets[1:], self.sources[1:], strict=True):
            out[targets] += values[sources]
        return out

    def _covers(self, n_groups: int) -> bool:
        """Whether the first layer holds every group, in order (so it is the whole result)."""
        return len(self.targets[0]) == n_groups and bool((self.targets[0] == np.arange(n_groups)).all())


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

    @cached_property
    def layers(self) -> Layers:
        """How atoms add into the units (:class:`Layers`)."""
        return Layers.of(self.unit_of)


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
        n_atoms, n_years = values.shape[:2]
        compact = values[..., :1] if values.ndim > 2 and values.strides[-1] == 0 else values  # one sample for all
        rows = np.ascontiguousarray(compact).reshape(n_atoms * n_years, -1)
        sums = self._year_layers.sums(rows, self.n_orgs * n_years).reshape(self.n_orgs, n_years, *compact.shape[2:])
        return np.broadcast_to(sums, (self.n_orgs, *values.shape[1:]))

    def orgs_in_year(self, values: FloatArray, t: int) -> FloatArray:
        """Atom figures ``(A, ...)`` of year ``t`` added into that year's organisations:
        ``(O, ...)``, the year ``t`` of :meth:`to_orgs`."""
        if self.identity:
            return np.array(values)
        return Layers.of(self.org_of[t]).sums(values, self.n_orgs)

    def to_atoms(self, values: FloatArray) -> FloatArray:
        """Organisation figures ``(O, T, S)`` shared to their atoms by population: ``(A, T, S)``."""
        if self.identity:
            return np.array(values)
        orgs, years = self._atom_source
        return values[orgs, years] * self._atom_share

    def previous_on(self, values: FloatArray) -> FloatArray:
        """Last year's organisation figures ``(O, T, S)`` restated on each year's organisations
        (shared to atoms by population, then added into this year's organisations); year 0 keeps
        its own figures."""
        if self.identity:
            return np.concatenate([values[:, :1], values[:, :-1]], axis=1)
        orgs, years = self._atom_source
        last = np.maximum(np.arange(orgs.shape[1]) - 1, 0)
        return self.to_orgs(values[orgs[:, last], years[:, last]] * self._atom_share[:, last])

    @cached_property
    def _year_layers(self) -> Layers:
        """How atom-years (row ``a * T + t``) add into organisation-years (row ``o * T + t``)."""
        n_years = self.org_of.shape[0]
        return Layers.of((self.org_of * n_years + np.arange(n_years)[:, None]).T)

    @cached_property
    def _atom_source(self) -> tuple[IntArray, IntArray]:
        """For each atom and year ``(A, T)``: its organisation and the year (to index ``(O, T, ...)``)."""
        n_years = self.org_of.shape[0]
        return np.ascontiguousarray(self.org_of.T), np.broadcast_to(np.arange(n_years), self.org_of.T.shape)

    @cached_property
    def _atom_share(self) -> FloatArray:
        """Each atom's share of its organisation's population, ``(A, T, 1)``."""
        return np.ascontiguousarray(self.share.T)[:, :, None]


def to_units(values: FloatArray, footprint: Footprint) -> FloatArray:
    """Atom figures ``(A, ...)`` added into a footprint's units: ``(U, ...)``, atoms in order (a
    unit of one atom is that atom's figure, unchanged). Where ``values`` is the same along an axis
    (a broadcast), so is the result, and the sums are done once."""
    compact = _compact(values)
    if footprint.one_atom_each:
        sums = np.array(compact[footprint.atom_of_unit])
    else:
        sums = footprint.layers.sums(compact, len(footprint))
    return np.broadcast_to(sums, (len(footprint), *values.shape[1:])) if sums.shape[1:] != values.shape[1:] else sums


def england(values: FloatArray) -> FloatArray:
    """Atom figures ``(A, ...)`` added up for England, atoms in order, keeping the axis: ``(1, ...)``.

    Summing the first axis of a C-ordered array whose rows have more than one element adds the
    rows one by one in order (numpy makes the rows its inner loop; tests/model/engine/test_lineage.py
    checks it against the loop); otherwise the rows are added in a loop. Where ``values`` is the
    same along an axis (a broadcast), the sum is done once.
    """
    rows = np.ascontiguousarray(_compact(values))
    if rows.ndim > 1 and rows[0].size > 1:
        total = np.add.reduce(rows, axis=0, keepdims=True)
    else:
        total = np.empty((1, *rows.shape[1:]))
        total[0] = rows[0]
        for row in rows[1:]:
            total[0] += row
    return np.broadcast_to(total, (1, *values.shape[1:])) if total.shape[1:] != values.shape[1:] else total


def _compact(values: FloatArray) -> FloatArray:
    """``values`` without the repeats of a broadcast: each axis after the first along which it does
    not change (stride 0) cut to length 1."""
    keep = tuple(slice(None) if k == 0 or stride or size == 1 else slice(0, 1)
                 for k, (stride, size) in enumerate(zip(values.strides, values.shape, strict=True)))
    return values[keep]


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
