"""Laying out the calculation sheets: one per unit (an organisation of the chosen footprint), and
``Other organisations`` for the organisations of other years.

A unit's sheet holds, top to bottom: the rows every sheet starts with (:mod:`.national`); its
pieces (where organisations change: which ICB each comes from, its share of it and the
organisation it belongs to each year); each piece's rules and solve terms (:mod:`.piece_rows`);
the published figures and k of the organisations whose home is the sheet (:mod:`.org_rows`: the
organisation of the unit's own code); each piece's allowance and costs; those organisations'
staff pools; and the unit's own figures (:mod:`.unit_rows`). An organisation of another year (NHS
Frimley before 2026, on the 2026 footprint) has its k and pool on ``Other organisations``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from model import engine
from model.engine.lineage import to_units
from model.output.results import allowance_basis
from model.output.workbook.calc import Calc, Registry, Scope, Tagger, calc_sheet, magnitudes
from model.output.workbook.inputs_layout import InputsRefs
from model.output.workbook.national import national_rows
from model.output.workbook.org_rows import OrgRows, k_rows, pool_rows
from model.output.workbook.piece_allowance import allowance_rows
from model.output.workbook.piece_rows import PieceRows, org_owner, piece_owner, rules_rows
from model.output.workbook.plan import YEAR0, Sheet
from model.output.workbook.solve import Solve, published_solve, staff_pools
from model.output.workbook.spec import WorkbookSpec
from model.output.workbook.structure import Organisation, Piece
from model.output.workbook.unit_rows import UnitRows, pool_is_unit, unit_rows

OTHER = "Other organisations"
"""The sheet of the organisations that are not units of the footprint."""


def tagger(place: str | None) -> Tagger:
    """Tags of the cells that show an engine figure for a place (a unit's code, ``piece:LABEL``,
    ``org:CODE``, or None for England)."""
    return lambda key: (lambda y: (key, place, y))


def _no_tag(key: str) -> None:
    return None


@dataclass
class Laid:
    """What every sheet's layout reads: the spec, the engine's run, the Inputs references, the
    registry, the sheet of each unit and organisation, the solve, the pools and the engine's
    figures of each piece and unit."""

    spec: WorkbookSpec
    out: dict[str, np.ndarray]
    refs: InputsRefs
    registry: Registry
    unit_sheets: dict[str, str]
    sol: Solve
    pools: dict[str, dict[str, np.ndarray]]
    atoms: dict[str, np.ndarray]
    units: dict[str, np.ndarray]
    basis: np.ndarray

    def home(self, code: str) -> str:
        return self.unit_sheets.get(code, OTHER)


def lay_out(spec: WorkbookSpec, out: dict[str, np.ndarray], refs: InputsRefs, registry: Registry,
            unit_sheets: dict[str, str]) -> Laid:
    """The figures the calculation sheets show beside their formulas."""
    inp, structure = spec.inputs, spec.structure
    sol = published_solve(inp, structure)
    atoms = {key: out[key][0] for key in engine.ADDITIVE}
    pay_share = float(inp.values["baseline.pay_share"][0])
    prog_base = float(inp.values["baseline.programme_pay_per_head_gbp"][0]) * inp.population
    core_wte_base = (sol.base[:, 0] * pay_share + prog_base) / out["loaded_cost_per_wte_gbp"][0, 0, 0]
    pools = staff_pools(inp, structure, atoms, core_wte_base, sol.shares)
    chosen = inp.footprint(structure.footprint)
    units = {key: to_units(values, chosen) for key, values in atoms.items()}
    units.update(engine.ratios(units))
    return Laid(spec, out, refs, registry, unit_sheets, sol, pools, atoms, units, allowance_basis(inp, chosen))


def unit_sheet(laid: Laid, code: str) -> Sheet:
    """A unit's calculation sheet."""
    spec, structure = laid.spec, laid.spec.structure
    name, region = structure.unit_names[code]
    sheet = Sheet(laid.unit_sheets[code])
    c = calc_sheet(sheet, f"{code}: {name}", f"{region}. Scenario {spec.name}, footprint {structure.footprint}. "
                   "Every figure is a formula on Inputs, on rows of this sheet or of the sheets it names.",
                   laid.refs, spec.inputs.labels)
    national_rows(c, laid.refs, spec.inputs, laid.out, tagger(code))
    pieces = structure.pieces_of(code)
    if len(pieces) > 1 or set(pieces[0].orgs) != {code} or structure.share_of_icb(pieces[0]) != 1.0:
        _pieces_summary(laid, c, pieces)
    rows = [_piece_rows(laid, c, piece, code if len(pieces) == 1 else f"piece:{piece.label}", len(pieces))
            for piece in pieces]
    for r in rows:
        rules_rows(r)
    homed = [org for org in structure.organisations if org.code == code]
    for org in homed:
        k_rows(_org_rows(laid, c, org, code))
    for r in rows:
        allowance_rows(r)
    for org in homed:
        pool_rows(_org_rows(laid, c, org, code))
    _unit(laid, c, code, pieces)
    return sheet


def other_sheet(laid: Laid) -> Sheet | None:
    """The organisations that are not units of the footprint (None when there are none)."""
    spec = laid.spec
    homed = [org for org in spec.structure.organisations if org.code not in laid.unit_sheets]
    if not homed:
        return None
    sheet = Sheet(OTHER)
    c = calc_sheet(sheet, "Organisations of other years", f"Scenario {spec.name}. Organisations that are not on the "
                   f"{spec.structure.footprint} footprint: their published figures and k, and their staff pools, in "
                   "the years they exist. Their pieces are on the sheets of the organisations they belong to on "
                   "the footprint.", laid.refs, spec.inputs.labels)
    national_rows(c, laid.refs, spec.inputs, laid.out, _no_tag)
    for org in homed:
        k_rows(_org_rows(laid, c, org, None))
    for org in homed:
        pool_rows(_org_rows(laid, c, org, None))
    return sheet


def describe(laid: Laid, piece: Piece) -> str:
    """A piece in words: its ICB, whole or the share of it."""
    structure = laid.spec.structure
    share = structure.share_of_icb(piece)
    icb = structure.icbs[piece.icb]
    return f"{icb.code} ({icb.name})" if share == 1.0 else f"{share:.5g} of {icb.code} ({icb.name})"


def _pieces_summary(laid: Laid, c: Calc, pieces: tuple[Piece, ...]) -> None:
    """Each piece: its share of its ICB (Inputs) and the organisation it belongs to each year."""
    c.section("Its pieces: the parts of the base year's ICBs it holds, and the organisation each belongs to")
    for n, piece in enumerate(pieces, start=1):
        key = f"piece{n}"
        c.once(key, f"Piece {n}: {describe(laid, piece)}: share of its ICB (Inputs); organisation each year",
               "fraction", "", f"={laid.refs.piece(piece.atom, 'share')}", laid.spec.structure.share_of_icb(piece),
               "share")
        for y, org in enumerate(piece.orgs):
            c.sheet.text(c.where[key], YEAR0 + y, org, "code")


def _piece_rows(laid: Laid, c: Calc, piece: Piece, place: str, n_pieces: int) -> PieceRows:
    q = {key: values[piece.atom] for key, values in laid.atoms.items()}
    title = describe(laid, piece) if n_pieces > 1 else "The organisation"
    return PieceRows(Scope(c, piece_owner(piece.atom), laid.registry), c, laid.refs, laid.spec.inputs,
                     laid.spec.structure, piece, q, laid.sol, *magnitudes(q), tagger(place),
                     f"Piece: {title}" if n_pieces > 1 else title)


def _org_rows(laid: Laid, c: Calc, org: Organisation, unit: str | None) -> OrgRows:
    structure = laid.spec.structure
    pool = laid.pools[org.code]
    atoms = tuple(p.atom for p in structure.pieces_of(unit)) if unit else ()
    tag = tagger(unit) if unit and pool_is_unit(structure, unit, atoms) else tagger(f"org:{org.code}")
    money = float(np.nanmax(np.abs([pool["allowance_gbp"], pool["nonpay_cost_gbp"]])))
    staff = float(np.nanmax(np.abs([pool["required_wte"], pool["affordable"], pool["employed"]])))
    return OrgRows(Scope(c, org_owner(structure, org.code), laid.registry), c, laid.refs, structure, org, pool,
                   laid.sol, money, staff, tag, f"{org.code} {org.name}, as it exists in each year: "
                   + _composition(laid, org))


def _composition(laid: Laid, org: Organisation) -> str:
    """Which pieces an organisation holds, year by year (runs of years with the same pieces)."""
    labels = laid.spec.inputs.labels
    runs: list[tuple[int, int, tuple[int, ...]]] = []
    for t in org.years:
        if runs and runs[-1][2] == org.members[t] and runs[-1][1] == t - 1:
            runs[-1] = (runs[-1][0], t, org.members[t])
        else:
            runs.append((t, t, org.members[t]))
    pieces = laid.spec.structure.pieces
    return "; ".join(f"{labels[a]}" + (f" to {labels[b]}" if b > a else "") + ": "
                     + " + ".join(describe(laid, pieces[m]) for m in held) for a, b, held in runs)


def _unit(laid: Laid, c: Calc, code: str, pieces: tuple[Piece, ...]) -> None:
    structure = laid.spec.structure
    index = laid.spec.inputs.footprint(structure.footprint).codes.index(code)
    q = {key: values[index] for key, values in laid.units.items()}
    name = structure.unit_names[code][0]
    unit_rows(UnitRows(Scope(c, f"u{structure.units.index(code)}", laid.registry), c, laid.registry, structure,
                       code, pieces, q,
                       list(laid.basis[1 + index]), *magnitudes(q), tagger(code),
                       f"{code} {name} on the {structure.footprint} footprint: its figures in every year"))
