"""A unit's figures: an organisation of the chosen footprint, stated on that footprint in every
year (SPEC section 10), as ``icb-model run --footprint`` states it.

Its pounds, people and staff needed are its pieces' sums (a unit of one piece shows that piece's
rows). Its staff (affordable, employed, attrition, redundancies and their cost) are its pieces'
shares of the pools of the organisations they belonged to each year; where the unit is one
organisation with the same pieces every year, its pool is its staff. Then the gaps, the ratios
recomputed from the sums, and what its allowance rests on (``allowance_basis``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from model.output.workbook.calc import Calc, Registry, Scope, Tagger
from model.output.workbook.national import ratio_rows
from model.output.workbook.piece_rows import org_owner, piece_owner, shares_an_organisation
from model.output.workbook.structure import Piece, Structure
from model.schema import FUNCTIONS

LINEAR: dict[str, tuple[str, str, str, str]] = {
    "population": ("population", "Population", "persons", "pop"),
    "weighted_population": ("weighted_population", "Need-weighted population", "persons", "pop"),
    "programme_pay_allowance_gbp": ("programme", "Programme pay", "£", "gbp"),
    "core_allowance_gbp": ("core", "Core allowance", "£", "gbp"),
    **{f"delegated_allowance_{f}_gbp": (f"{f}_allowance", f"{f.capitalize()}: delegated allowance", "£", "gbp")
       for f in FUNCTIONS},
    "delegated_allowance_gbp": ("delegated", "Delegated allowance", "£", "gbp"),
    "allowance_gbp": ("allowance", "Allowance: core + delegated", "£", "gbp"),
    "required_core_wte": ("required_core", "Staff core functions need", "WTE", "wte"),
    **{f"required_delegated_wte_{f}": (f"{f}_required", f"{f.capitalize()}: staff needed", "WTE", "wte")
       for f in FUNCTIONS},
    "required_delegated_wte": ("required_delegated", "Staff delegated functions need", "WTE", "wte"),
    "required_wte": ("required", "Staff required: core + delegated", "WTE", "wte"),
    "nonpay_cost_gbp": ("nonpay_cost", "Non-pay cost", "£", "gbp"),
    "required_cost_gbp": ("required_cost", "Cost of what is required", "£", "gbp"),
    "arrivals_wte": ("arrivals", "Staff arriving with delegated functions", "WTE", "wte"),
    "allowance_real_gbp": ("allowance_real", "Allowance in base-year prices", "£ base-year prices", "gbp"),
    "core_allowance_real_gbp": ("core_real", "Core allowance in base-year prices", "£ base-year prices", "gbp"),
}
"""Figures that add up over pieces: engine key -> (piece row, label, unit, style)."""
STAFF: dict[str, tuple[str, str, str, str]] = {
    "affordable_wte": ("affordable", "Staff the allowance can pay for", "WTE", "wte"),
    "employed_wte": ("employed", "Staff employed", "WTE", "wte"),
    "attrition_wte": ("attrition", "Leavers not replaced (attrition)", "WTE", "wte"),
    "redundancies_wte": ("redundancies", "Redundancies", "WTE", "wte"),
    "redundancy_cost_gbp": ("redundancy_cost", "Redundancy cost (one-off)", "£", "gbp"),
}
"""Figures of the staff pools: engine key -> (pool row, label, unit, style)."""
GAPS: dict[str, tuple[str, str, str, str, str]] = {
    "wte_gap": ("WTE gap: affordable - required (negative: a shortfall)", "WTE", "wte", "affordable_wte",
                "required_wte"),
    "funding_gap_gbp": ("Funding gap: allowance - cost of what is required (negative: a shortfall)", "£", "gbp",
                        "allowance_gbp", "required_cost_gbp"),
    "core_capacity_wte": ("Left for core functions once delegated functions are staffed: affordable - delegated "
                          "need", "WTE", "wte", "affordable_wte", "required_delegated_wte"),
}
"""Differences: engine key -> (label, unit, style, minuend key, subtrahend key)."""


@dataclass
class UnitRows:
    """What a unit's rows read: its scope (owner ``u<index>``), the sheet, the registry, the
    structure, its code and pieces, the engine's figures for it by year (``q``: sums and ratios)
    and its ``allowance_basis``, the scale of its pounds and WTE, and the engine tag of its rows."""

    s: Scope
    c: Calc
    registry: Registry
    structure: Structure
    code: str
    pieces: tuple[Piece, ...]
    q: dict[str, np.ndarray]
    basis: Sequence[str]
    money: float
    staff: float
    tag: Tagger
    title: str

    def at(self, key: str, y: int) -> str:
        return Registry.ref(self.s.owner, key, y)

    def one(self, key: str) -> str:
        return Registry.ref(self.s.owner, key, None)

    @property
    def atoms(self) -> tuple[int, ...]:
        return tuple(p.atom for p in self.pieces)


def pool_is_unit(structure: Structure, code: str, atoms: tuple[int, ...]) -> bool:
    """Whether the unit is one organisation holding exactly its pieces in every year."""
    org = structure.organisation(code)
    return all(held == atoms for held in org.members)


def unit_rows(u: UnitRows) -> None:
    """The unit's sums, staff, gaps, ratios and allowance basis."""
    u.c.section(u.title)
    _sums(u)
    _staff(u)
    for key, (label, unit, style, plus, minus) in GAPS.items():
        u.s.years(key, label, unit, key, lambda y, p=plus, m=minus: f"={u.at(p, y)}-{u.at(m, y)}", u.q[key], style,
                  scale=u.staff if unit == "WTE" else u.money, engine=u.tag(key))
    ratio_rows(u.c, u.q, u.tag, u.at, u.one)
    _basis(u)


def _alias(u: UnitRows, key: str, owner: str, row: str) -> None:
    """The unit's figure ``key`` is another owner's row (its one piece's, or its pool's)."""
    sheet, r = u.registry.rows[(owner, row)]
    u.registry.put(u.s.owner, key, sheet, r)


def _sums(u: UnitRows) -> None:
    """Its pieces' figures added (a unit of one piece: that piece's rows)."""
    if len(u.pieces) == 1:
        owner = piece_owner(u.pieces[0].atom)
        for key, (row, *_rest) in LINEAR.items():
            _alias(u, key, owner, row)
        _alias(u, "cost_base_gbp", owner, "cost_base")
        return
    u.c.note(f"Sums of its {len(u.pieces)} pieces (above).")
    for key, (row, label, unit, style) in LINEAR.items():
        u.s.years(key, f"{label}: its pieces' added", unit, key,
                  lambda y, r=row: "=" + "+".join(Registry.ref(piece_owner(a), r, y) for a in u.atoms), u.q[key],
                  style, scale=u.staff if unit == "WTE" else u.money if unit.startswith("£") else 1.0,
                  engine=u.tag(key))
    tag = u.tag("cost_base_gbp")
    u.s.once("cost_base_gbp", "Cost base: its pieces' added", "£", "cost_base",
             "=" + "+".join(Registry.ref(piece_owner(a), "cost_base", None) for a in u.atoms),
             u.q["cost_base_gbp"][0], "gbp", scale=u.money, engine=tag(0) if tag else None)


def _staff(u: UnitRows) -> None:
    """Its staff: its pool, or its pieces' shares of the pools they belonged to."""
    structure = u.structure
    if pool_is_unit(structure, u.code, u.atoms):
        for key, (row, *_rest) in STAFF.items():
            _alias(u, key, org_owner(structure, u.code), row)
        return
    u.c.note("Staff: its pieces' shares of the staff pools of the organisations they belonged to each year.")
    for key, (row, label, unit, style) in STAFF.items():
        u.s.years(key, f"{label}: its pieces' shares of their organisations'", unit, key,
                  lambda y, r=row: _shared(u, r, y), u.q[key], style, scale=u.staff if unit == "WTE" else u.money,
                  engine=u.tag(key))


def _shared(u: UnitRows, row: str, y: int) -> str:
    """The unit's share of a pool row in year ``y``: the pool itself where the unit is that
    organisation that year, else each piece's share of its organisation's."""
    structure = u.structure
    codes = {p.orgs[y] for p in u.pieces}
    if len(codes) == 1 and structure.organisation(next(iter(codes))).members[y] == u.atoms:
        return "=" + Registry.ref(org_owner(structure, next(iter(codes))), row, y)
    parts = []
    for piece in u.pieces:
        part = Registry.ref(org_owner(structure, piece.orgs[y]), row, y)
        if shares_an_organisation(structure, piece):
            part += "*" + Registry.ref(piece_owner(piece.atom), "share", y)
        parts.append(part)
    return "=" + "+".join(parts)


def basis_formula(published: bool, whole: bool) -> str:
    """``allowance_basis`` as a formula: published (the row's organisation's figure), restated
    (made of other organisations' figures) while the figures are used, else projected."""
    if not published:
        return '="projected"'
    return f'=IF(use_published,"{"published" if whole else "restated"}","projected")'


def _basis(u: UnitRows) -> None:
    """What its allowance rests on each year (SPEC section 10)."""
    structure = u.structure

    def formula(y: int) -> str:
        codes = {p.orgs[y] for p in u.pieces}
        published = all(y in structure.organisation(code).published for code in codes)
        whole = len(codes) == 1 and structure.organisation(next(iter(codes))).members[y] == u.atoms
        return basis_formula(published, whole)

    u.s.years("allowance_basis", "Allowance basis: published, restated (from other organisations' figures) or "
              "projected", "word", "allowance_basis", formula, list(u.basis), "word", engine=u.tag("allowance_basis"))
