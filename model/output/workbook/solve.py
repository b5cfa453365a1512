"""The expected values of the workbook's published-allowance solve and staff pools, worked out
with the engine's own steps (:mod:`model.engine`) and the arithmetic the formulas write.

The engine holds each piece's base to its organisation's published figures
(:mod:`model.engine.published`); the workbook shows that solve year by year as formulas:

- ``moving``: the share of the core allowance that in-scope delegated budgets which went live in
  an earlier year add (each budget over the core allowance of its go-live year); ``fixed``: the
  other delegated budgets, £;
- ``num = moving x programme pay + fixed`` and ``den = last year's base x m x (1 + moving)``
  (£), added up over the organisation's pieces, give ``k = (figure - sum num) / sum den``;
- ``base`` (£, base-year prices before the rules' multiplier ``m``): the rules' base-year RCA
  until the first published year, then last year's base x k in each published year; before the
  first published year, the first published year's (the back-cast).

The staff pools (:func:`staff_pools`) are each organisation's sums and workforce change in the
years it exists, as :mod:`model.engine.workforce` works them out. All arrays are ``(pieces, T)``
or ``(T,)``: one sample.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from model.arrays import FloatArray
from model.engine.allowance import cut_multiplier, envelope_terms, programme_pay, table_base
from model.engine.delegation import transfers
from model.engine.inputs import Inputs
from model.engine.layout import Frame
from model.engine.prices import prices
from model.output.workbook.structure import Organisation, Structure
from model.schema import FUNCTIONS


@dataclass(frozen=True)
class Move:
    """One function's transfer, one sample (the engine's :class:`~model.engine.delegation.Transfers`
    row for that function): ``budget`` £ ``(I, 1, S)``, ``frac`` ``(I, T, S)``, ``go_year``
    ``(S, I)``, ``in_scope`` ``(1, 1, S)``."""

    budget: FloatArray
    frac: FloatArray
    go_year: np.ndarray
    in_scope: FloatArray


@dataclass(frozen=True)
class Solve:
    """The solve's figures per piece and year (see the module docstring), and ``k`` and the
    organisation's sums by (organisation code, year)."""

    core_rules: FloatArray
    envelope: FloatArray
    shares: FloatArray
    carried: dict[str, FloatArray]
    moving: FloatArray
    fixed: FloatArray
    num: FloatArray
    den: FloatArray
    base: FloatArray
    core: FloatArray
    figures: dict[tuple[str, int], float]
    k: dict[tuple[str, int], float]
    sums: dict[tuple[str, int], tuple[float, float]]
    first: tuple[int | None, ...]


def _known(structure: Structure, n_years: int) -> np.ndarray:
    """Whether each piece's organisation has a published figure in each year, ``(A, T)``."""
    published = {org.code: set(org.published) for org in structure.organisations}
    return np.array([[t in published[piece.orgs[t]] for t in range(n_years)] for piece in structure.pieces],
                    dtype=bool).reshape(len(structure.pieces), n_years)


def published_solve(inputs: Inputs, structure: Structure) -> Solve:
    """The solve as the workbook's formulas make it: one pass per published year (the engine's,
    whenever no function in the cut's scope went live before a piece's first published year)."""
    x = Frame(inputs)
    p = prices(x)
    population = x.pop0 * x.grown("population.growth_rate")
    programme = programme_pay(x, p, population)[:, :, 0]
    every = transfers(x, p, population)
    moves = {f: Move(every.budget[i], every.frac[i], every.go_year[i], every.in_scope[i])
             for i, f in enumerate(FUNCTIONS)}
    m = cut_multiplier(x, p)[0, :, 0]
    per_head = envelope_terms(x, population)
    frac, envelope = per_head.frac[0, :, 0], per_head.amount[:, :, 0]

    def blend(allowance: FloatArray) -> FloatArray:
        """The engine's blend with the envelope, one sample (``(1 - f) A + f E`` where active)."""
        mixed: FloatArray = np.where(frac > 0, (1.0 - frac) * allowance + frac * envelope, allowance)
        return mixed
    rules_base = table_base(x)[:, 0, 0]
    T = len(inputs.labels)
    known = _known(structure, T)
    first = tuple(int(np.argmax(row)) if row.any() else None for row in known)

    def core_of(base: FloatArray) -> FloatArray:
        held = base * m + programme
        out: FloatArray = np.where(known, held, blend(held))
        return out

    core_rules = blend(rules_base[:, None] * m + programme)
    figures = {(org.code, t): float(inputs.published_gbp[inputs.lineage.codes.index(org.code), t])
               for org in structure.organisations for t in org.published}
    base = np.broadcast_to(rules_base[:, None], known.shape).copy()
    k: dict[tuple[str, int], float] = {}
    sums: dict[tuple[str, int], tuple[float, float]] = {}
    for t in range(T):
        terms = _terms(moves, first, core_rules, core_of(base), programme, m, base, rules_base, t)
        for org in structure.organisations:
            if t in org.published:
                num = _added(terms[2], org.members[t])
                den = _added(terms[3], org.members[t])
                sums[(org.code, t)] = (num, den)
                with np.errstate(divide="ignore", invalid="ignore"):  # a cut of 100%: as the engine, inf
                    k[(org.code, t)] = float(np.float64(figures[(org.code, t)] - num) / np.float64(den))
        _rescale(base, known, first, structure, k, rules_base, t)
    core = core_of(base)
    carried = {f: _carried(move, core) for f, move in moves.items()}
    rows = [np.stack(parts, axis=1) for parts in zip(*(_terms(moves, first, core_rules, core, programme, m, base,
                                                              rules_base, t) for t in range(T)), strict=True)]
    no_envelope = np.isnan(inputs.values["running_cost_cut.envelope.effective"][0])
    shown = np.zeros_like(core) if no_envelope else envelope  # the sheet shows E = 0 without an envelope
    return Solve(core_rules, shown, population_shares(inputs, structure), carried, rows[0], rows[1],
                 rows[2], rows[3], base, core, figures, k, sums, first)


def _terms(moves: dict[str, Move], first: tuple[int | None, ...], core_rules: FloatArray, core: FloatArray,
           programme: FloatArray, m: FloatArray, base: FloatArray, rules_base: FloatArray,
           t: int) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray]:
    """Each piece's ``moving``, ``fixed``, ``num`` and ``den`` in year ``t`` (``(A,)`` each); a
    piece in its first published year sees the core allowance of the rules alone."""
    moving = np.zeros(len(first))
    fixed = np.zeros(len(first))
    for move in moves.values():
        live = move.budget[:, 0, 0] * move.frac[:, t, 0]
        went_before = (t > move.go_year[0]) & (move.in_scope[0, 0, 0] == 1.0)
        at_go = np.clip(move.go_year[0], 0, core.shape[1] - 1)
        seen = np.where([f == t for f in first], core_rules[np.arange(len(first)), at_go],
                        np.where(t > at_go, core[np.arange(len(first)), at_go], 0.0))
        moving = moving + np.where(went_before, live / np.where(seen > 0, seen, 1.0), 0.0)
        fixed = fixed + np.where(went_before, 0.0, live)
    before_first = np.array([f is None or t <= f for f in first])
    previous = rules_base if t == 0 else np.where(before_first, rules_base, base[:, t - 1])
    return moving, fixed, moving * programme[:, t] + fixed, previous * m[t] * (1.0 + moving)


def _added(values: FloatArray, members: tuple[int, ...]) -> float:
    """The members' values added in piece order."""
    total = 0.0
    for a in members:
        total += float(values[a])
    return total


def _rescale(base: FloatArray, known: np.ndarray, first: tuple[int | None, ...], structure: Structure,
             k: dict[tuple[str, int], float], rules_base: FloatArray, t: int) -> None:
    """Year ``t``'s base of every piece: last year's, times its organisation's k where it has a
    figure; a piece's first figure also sets every earlier year (the back-cast)."""
    previous = rules_base if t == 0 else base[:, t - 1]
    base[:, t:] = previous[:, None]
    for piece in structure.pieces:
        a = piece.atom
        if known[a, t]:
            base[a, t:] = previous[a] * k[(piece.orgs[t], t)]
            if first[a] == t:
                base[a, :t] = base[a, t]


def _carried(move: Move, core: FloatArray) -> FloatArray:
    """The core allowance of each piece's go-live year, from the year after it (0 before)."""
    at_go = np.clip(move.go_year[0], 0, core.shape[1] - 1)
    years = np.arange(core.shape[1])[None, :]
    return np.where(years > at_go[:, None], core[np.arange(core.shape[0]), at_go][:, None], 0.0)


POOL_SUMS: tuple[str, ...] = ("allowance_gbp", "programme_pay_allowance_gbp", "nonpay_cost_gbp", "required_wte",
                              "arrivals_wte")
"""Linear figures an organisation adds up over its pieces (engine keys)."""


def staff_pools(inputs: Inputs, structure: Structure, q: dict[str, FloatArray], core_wte_base: FloatArray,
                shares: FloatArray) -> dict[str, dict[str, FloatArray]]:
    """Each organisation's pool by year (NaN in years it does not exist): its sums
    (:data:`POOL_SUMS`), what it can afford and employs, last year's staff restated on it, leavers
    needed, attrition, redundancies (WTE) and their cost (£). ``q`` holds the engine's figures per
    piece ``(A, T)``, ``core_wte_base`` each piece's base-year core workforce and ``shares`` each
    piece's share of its organisation's population ``(A, T)``."""
    v = {path: float(inputs.values[path][0]) for path in ("workforce.turnover_rate", "workforce.redundancy_months",
                                                          "baseline.salary_per_wte_gbp")}
    x = Frame(inputs)
    p = prices(x)
    loaded, pay_index = p.loaded_cost[0, :, 0], p.pay_index[0, :, 0]
    pools: dict[str, dict[str, FloatArray]] = {}
    for org in structure.organisations:
        pools[org.code] = _pool(org, q, core_wte_base, loaded)
    for t in range(len(inputs.labels)):
        for org in structure.organisations:
            if org.members[t]:
                _change(pools, org, structure, shares, t, v, pay_index[t])
    return pools


def _pool(org: Organisation, q: dict[str, FloatArray], core_wte_base: FloatArray,
          loaded: FloatArray) -> dict[str, FloatArray]:
    """An organisation's sums, affordable and employed WTE."""
    T = len(org.members)
    out = {key: np.full(T, np.nan) for key in (*POOL_SUMS, "population0", "affordable", "employed", "previous",
                                               "leavers", "attrition", "redundancies", "redundancy_cost")}
    for t in org.years:
        for key in POOL_SUMS:
            out[key][t] = _added(q[key][:, t], org.members[t])
        out["affordable"][t] = max(0.0, out["allowance_gbp"][t] - out["nonpay_cost_gbp"][t]) / loaded[t]
        out["employed"][t] = (_added(core_wte_base, org.members[t]) if t == 0 else
                              min(out["affordable"][t], out["required_wte"][t]))
    return out


def _change(pools: dict[str, dict[str, FloatArray]], org: Organisation, structure: Structure, shares: FloatArray,
            t: int, v: dict[str, float], pay_index: float) -> None:
    """Year ``t``'s leavers, attrition and redundancies of one organisation."""
    pool = pools[org.code]
    if t == 0:
        for key in ("previous", "leavers", "attrition", "redundancies", "redundancy_cost"):
            pool[key][t] = 0.0
        return
    if org.same_as_before(t):
        previous = float(pool["employed"][t - 1])
    else:
        previous = 0.0
        for a in org.members[t]:
            before = structure.pieces[a].orgs[t - 1]
            previous += float(pools[before]["employed"][t - 1]) * float(shares[a, t - 1])
    pool["previous"][t] = previous
    pool["leavers"][t] = max(0.0, previous + pool["arrivals_wte"][t] - pool["employed"][t])
    pool["attrition"][t] = v["workforce.turnover_rate"] * previous
    pool["redundancies"][t] = max(0.0, pool["leavers"][t] - pool["attrition"][t])
    pool["redundancy_cost"][t] = (pool["redundancies"][t] * v["baseline.salary_per_wte_gbp"] * pay_index
                                  * v["workforce.redundancy_months"] / 12)


def population_shares(inputs: Inputs, structure: Structure) -> FloatArray:
    """Each piece's share of its organisation's base-year population in each year, ``(A, T)``."""
    T = len(inputs.labels)
    out = np.ones((len(structure.pieces), T))
    org_of = {org.code: org for org in structure.organisations}
    for piece in structure.pieces:
        for t in range(T):
            members = org_of[piece.orgs[t]].members[t]
            out[piece.atom, t] = inputs.population[piece.atom] / _added(inputs.population, members)
    return out
