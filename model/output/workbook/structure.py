"""The organisations a workbook shows, and where each is laid out.

The engine works on *pieces* of the base-year ICBs (its atoms, :mod:`model.engine.lineage`): a
whole ICB, or the share of one that moved to a new organisation. A workbook shows:

- the base-year ICB table (:class:`IcbRow`), whose population, own RCA and need index each
  piece takes its share of;
- the organisation changes (:class:`ShareRow`: old code, new code, share), whose shares are
  inputs, so that a piece's share of its ICB is a product of input cells;
- the pieces (:class:`Piece`), each with the organisation it belongs to in each year;
- the organisations (:class:`Organisation`), each with the pieces it holds in each year it
  exists (its staff are one pool) and the years it has a published allowance.

The *units* are the organisations of the chosen footprint that get a calculation sheet: each
holds its pieces. Which organisation each piece belongs to, and in which years an organisation
has a published figure, are fixed when the workbook is written; the figures and shares are inputs.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

import numpy as np

from model.engine.inputs import Inputs
from model.engine.lineage import Footprint
from model.errors import InputError

if TYPE_CHECKING:
    from model.scenario import Scenario
    from model.scenario.icb_table import IcbTable
    from model.scenario.organisations import History


@dataclass(frozen=True)
class IcbRow:
    """A row of the base-year ICB table: population (persons), own base-year RCA (£, NaN: use
    the per-head figure) and need index (need-weighted over registered population)."""

    code: str
    name: str
    region: str
    population: float
    rca_given_gbp: float
    need_index: float


@dataclass(frozen=True)
class ShareRow:
    """One row of an organisation change: from ``effective`` (``YYYY-MM``), ``share`` of the old
    organisation (a fraction of its population) belongs to the new one."""

    change: int
    effective: str
    old: str
    new: str
    share: float


@dataclass(frozen=True)
class Piece:
    """A piece (the engine's atom ``atom``): its label, its base-year ICB (a row of the ICB
    table), the change rows whose shares make its share of that ICB, and its organisation's code
    in each year of the horizon."""

    atom: int
    label: str
    icb: int
    shares: tuple[int, ...]
    orgs: tuple[str, ...]



@dataclass(frozen=True)
class Organisation:
    """An organisation of the history: the pieces (atom indices) it holds in each year (empty in
    years it does not exist), the year from which it is a merger (``None``: never), and the
    years (indices) in which it has a published allowance."""

    code: str
    name: str
    region: str
    members: tuple[tuple[int, ...], ...]
    merger_from: int | None
    published: tuple[int, ...]

    @property
    def years(self) -> tuple[int, ...]:
        """The years (indices) it exists."""
        return tuple(t for t, held in enumerate(self.members) if held)

    def same_as_before(self, t: int) -> bool:
        """Whether in year ``t`` it holds exactly the pieces it held in year ``t - 1``."""
        return t > 0 and bool(self.members[t]) and self.members[t] == self.members[t - 1]


@dataclass(frozen=True)
class Structure:
    """The ICB table, the changes, the pieces and the organisations of a workbook; the footprint
    (label) it is stated on, the unit (footprint organisation code) of each piece, and the units
    that get a sheet (codes, in sheet order) with their names and regions."""

    icbs: tuple[IcbRow, ...]
    share_rows: tuple[ShareRow, ...]
    pieces: tuple[Piece, ...]
    organisations: tuple[Organisation, ...]
    footprint: str
    unit_of: tuple[str, ...]
    units: tuple[str, ...]
    unit_names: dict[str, tuple[str, str]]

    def organisation(self, code: str) -> Organisation:
        return self._by_code[code]

    @cached_property
    def _by_code(self) -> dict[str, Organisation]:
        return {org.code: org for org in self.organisations}

    def share_of_icb(self, piece: Piece) -> float:
        """A piece's share of its ICB: the product of the shares of the change rows it passed
        through, multiplied in order as the engine does."""
        share = 1.0
        for n in piece.shares:
            share *= self.share_rows[n].share
        return share

    def pieces_of(self, unit: str) -> tuple[Piece, ...]:
        """The pieces that make up a unit, in atom order."""
        return tuple(p for p in self.pieces if self.unit_of[p.atom] == unit)

    @property
    def changes(self) -> bool:
        """Whether any piece changes organisation or is part of an ICB (the history is not trivial)."""
        return bool(self.share_rows) or any(len(org.years) < len(org.members) for org in self.organisations)


def structure_from_inputs(inputs: Inputs, footprint: str | None = None,
                          units: tuple[str, ...] | None = None) -> Structure:
    """The structure of inputs built in code: each atom its own ICB row (population, own RCA and
    need index as the inputs hold them), no change rows."""
    icbs = tuple(IcbRow(code, name, region, float(pop), float(rca), float(need)) for code, name, region, pop, rca, need
                 in zip(inputs.codes, inputs.names, inputs.regions, inputs.population, inputs.rca_given_gbp,
                        inputs.need_index, strict=True))
    pieces = tuple(Piece(a, label, a, (), _orgs_of(inputs, a)) for a, label in enumerate(inputs.codes))
    return _assemble(inputs, icbs, (), pieces, footprint, units)


def structure_from_scenario(scenario: Scenario, labels: tuple[str, ...], inputs: Inputs,
                            footprint: str | None = None, units: tuple[str, ...] | None = None) -> Structure:
    """The structure of a scenario's run: ``labels`` are the atom labels of the whole run (in
    the order of the scenario's history), ``inputs`` the run the workbook shows (all or some of
    those atoms)."""
    return structure_from_history(scenario.icbs, scenario.history, labels, inputs, footprint, units)


def structure_from_history(table: IcbTable, history: History, labels: tuple[str, ...], inputs: Inputs,
                           footprint: str | None = None, units: tuple[str, ...] | None = None) -> Structure:
    """The structure of a run over an ICB table and its organisations' history (``labels``: the
    atom label of each of the history's atoms). The ICB table keeps the rows the pieces come from;
    the changes keep the rows whose shares the pieces carry."""
    share_rows: list[ShareRow] = []
    index: dict[tuple[int, str, str], int] = {}
    for k, era in enumerate(history.eras[1:], start=1):
        for new, pairs in era.formed_from.items():
            for old, share in pairs:
                index[(k, old, new)] = len(share_rows)
                share_rows.append(ShareRow(k, f"{era.label}-04", old, new, float(share)))
    atoms = dict(zip(labels, history.atoms, strict=True))
    used_icbs = sorted({atoms[label].icb for label in inputs.codes})
    used_rows = sorted({index[(k, atoms[label].codes[k - 1], atoms[label].codes[k])]
                        for label in inputs.codes for k in range(1, len(atoms[label].codes))})
    icb_of, row_of = {i: n for n, i in enumerate(used_icbs)}, {r: n for n, r in enumerate(used_rows)}
    icbs = tuple(IcbRow(table.codes[i], table.names[i], table.regions[i], float(table.population[i]),
                        float(table.baseline_rca_gbp[i]), float(table.need_index[i])) for i in used_icbs)
    pieces = tuple(
        Piece(a, label, icb_of[atoms[label].icb],
              tuple(row_of[index[(k, atoms[label].codes[k - 1], atoms[label].codes[k])]]
                    for k in range(1, len(atoms[label].codes))), _orgs_of(inputs, a))
        for a, label in enumerate(inputs.codes))
    return _assemble(inputs, icbs, tuple(share_rows[r] for r in used_rows), pieces, footprint, units)


def _orgs_of(inputs: Inputs, atom: int) -> tuple[str, ...]:
    lineage = inputs.lineage
    return tuple(lineage.codes[int(o)] for o in lineage.org_of[:, atom])


def _assemble(inputs: Inputs, icbs: tuple[IcbRow, ...], share_rows: tuple[ShareRow, ...],
              pieces: tuple[Piece, ...], footprint: str | None, units: tuple[str, ...] | None) -> Structure:
    """The organisations of the pieces, and the footprint's units."""
    lineage, n_years = inputs.lineage, len(inputs.labels)
    chosen = inputs.footprint(footprint)
    names = {code: (name, region) for f in lineage.footprints
             for code, name, region in zip(f.codes, f.names, f.regions, strict=True)}
    organisations = []
    for o, code in enumerate(lineage.codes):
        members = tuple(tuple(int(a) for a in np.flatnonzero(lineage.org_of[t] == o)) for t in range(n_years))
        if not any(members):
            continue
        merger = int(lineage.merged_from[o])
        published = tuple(t for t in range(n_years) if not math.isnan(inputs.published_gbp[o, t]))
        name, region = names.get(code, (code, ""))
        organisations.append(Organisation(code, name, region, members, merger if merger < n_years else None,
                                          published))
    unit_of = tuple(chosen.codes[int(u)] for u in chosen.unit_of)
    return Structure(icbs, share_rows, pieces, tuple(organisations), chosen.label, unit_of,
                     chosen.codes if units is None else units,
                     {code: (name, region) for code, name, region in zip(chosen.codes, chosen.names, chosen.regions,
                                                                         strict=True)})


def _components(footprint: Footprint, org_of: np.ndarray) -> list[set[int]]:
    """Groups of atoms that share an organisation in some year (what one unit's figures can
    depend on)."""
    parent = list(range(org_of.shape[1]))

    def find(a: int) -> int:
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    for row in (*org_of, footprint.unit_of):
        first: dict[int, int] = {}
        for a, o in enumerate(row.tolist()):
            if o in first:
                parent[find(a)] = find(first[o])
            else:
                first[o] = a
    groups: dict[int, set[int]] = {}
    for a in range(org_of.shape[1]):
        groups.setdefault(find(a), set()).add(a)
    return list(groups.values())


def select_units(inputs: Inputs, footprint: str | None, codes: list[str]) -> tuple[list[str], list[str]]:
    """The units a workbook of ``codes`` (organisations of the footprint) needs, and the atoms
    (labels, in run order) it runs on.

    A unit's figures depend on every organisation its pieces belong to in any year, and so on
    the pieces of those (NHS Frimley's staff pool before 2026 holds the pieces that went to three
    new ICBs): the workbook takes every unit tied to the chosen ones that way, the chosen first.
    Raises :class:`~model.errors.InputError` listing the footprint's codes for an unknown code.
    """
    chosen = inputs.footprint(footprint)
    unknown = [code for code in codes if code not in chosen.codes]
    if unknown:
        elsewhere = [f"{code} is on the {f.label} footprint" for code in unknown for f in inputs.lineage.footprints
                     if code in f.codes]
        hint = f" ({'; '.join(elsewhere)}: give --footprint)" if elsewhere else ""
        raise InputError(f"{', '.join(unknown)} {'is' if len(unknown) == 1 else 'are'} not an organisation of the "
                         f"{chosen.label} footprint{hint}; choose from {', '.join(chosen.codes)}")
    wanted = {chosen.codes.index(code) for code in codes}
    atoms: set[int] = set()
    for group in _components(chosen, inputs.lineage.org_of):
        if {int(chosen.unit_of[a]) for a in group} & wanted:
            atoms |= group
    units = list(dict.fromkeys([*codes, *(chosen.codes[int(chosen.unit_of[a])] for a in sorted(atoms))]))
    return units, [inputs.codes[a] for a in sorted(atoms)]
