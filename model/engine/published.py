"""Published allowances as facts (SPEC section 10): the rules project from them.

In a year where an organisation has a published allowance, its allowance (core plus the delegated
budgets inside the RCA; programme pay comes on top) equals that figure, and the envelope does not
apply. Each atom carries a *base*: the base-year RCA the rules would need to give what was
published, so ``core RCA[t] = base[t] x m[t]`` with ``m`` the rules' multiplier
(:func:`~model.engine.allowance.cut_multiplier`). The base is the table's (or the per-head
figure's) until the first year the atom's organisation has a figure; that figure sets it for
that year, every later year and, back-cast through the rules, every earlier one; each later
figure rescales it from that year on. So "vs base" ratios describe an ICB's real starting point,
and projection after the last figure carries on from it.

In a published year ``t`` an organisation's atoms share one factor ``k`` (so each keeps its own
size): with ``x_a`` the atom's rules RCA, ``q_a`` the in-scope delegated budgets that move with
the core allowance (``D x frac / core[go-live year]`` summed over such functions) and ``c_a``
the other delegated budgets,

    published = sum_a (k x_a + q_a (k x_a + programme_a) + c_a),
    k = (published - sum_a (q_a programme_a + c_a)) / sum_a x_a (1 + q_a).

When a function went live, in the cut's scope, before the first published year, ``q`` depends on
the back-cast core allowance and so on ``k``; the solve is then repeated until ``k`` settles
(a few rounds), else once.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from model.arrays import FloatArray
from model.engine.delegation import Transfers, ordered_sum
from model.engine.lineage import Lineage

MAX_ROUNDS = 50
"""Most rounds of the solve for a first published year (each shrinks the error by the share of the
allowance the in-scope budgets hold: a few rounds reach the last digit)."""


def published_mask(lineage: Lineage, published: FloatArray) -> tuple[FloatArray, np.ndarray]:
    """Each atom's organisation's published figure in each year (``(I, T)``, NaN: none) and
    whether there is one."""
    n_years = published.shape[1]
    figure = published[lineage.org_of, np.arange(n_years)[:, None]].T
    return figure, ~np.isnan(figure)


def anchored_base(base: FloatArray, m: FloatArray, programme: FloatArray, moves: Transfers,
                  lineage: Lineage, published: FloatArray,
                  core_at_go: Callable[[FloatArray], FloatArray]) -> FloatArray:
    """Each atom's base ``(I, T, S)`` from its rules base ``base`` (``(I, 1, S)``) and the
    published figures ``published`` (``(O, T)``, NaN where none); ``core_at_go(base)`` is the core
    allowance the rules give for a base (published years at their figures, no envelope) in each
    function's go-live year, ``(F, S, I)``: all the solve needs of it."""
    n_years = published.shape[1]
    figure, mask = published_mask(lineage, published)
    shape = (base.shape[0], n_years, max(base.shape[2], m.shape[2], programme.shape[2]))
    out = np.array(np.broadcast_to(base, shape))
    anchored = np.zeros(shape[0], dtype=bool)
    for t in np.flatnonzero(mask.any(axis=0)).tolist():
        atoms = mask[:, t]
        first = atoms & ~anchored
        k = None
        for _ in range(MAX_ROUNDS if _back_cast_matters(moves, first, t) else 1):
            factor = _factor(out, m, programme, moves, lineage, figure[:, t], atoms, t, core_at_go(out))
            scaled = out[atoms, t] * factor[atoms]
            out[atoms, t:] = scaled[:, None, :]
            out[first, :t] = scaled[first[atoms]][:, None, :]
            if k is not None and np.array_equal(k, factor):
                break
            k = factor
        anchored |= atoms
    return out


def _factor(base: FloatArray, m: FloatArray, programme: FloatArray, moves: Transfers, lineage: Lineage,
            figure: FloatArray, atoms: np.ndarray, t: int, core_at_go: FloatArray) -> FloatArray:
    """``k`` for each atom's organisation in year ``t`` (``(I, S)``; 1 for atoms not published);
    ``core_at_go`` is the core allowance in each function's go-live year, ``(F, S, I)``."""
    rules = base[:, t] * m[0, t]  # (I, S): the rules RCA with the current base
    live = moves.budget[:, :, 0] * moves.frac[:, :, t]  # (F, I, S)
    went_before = (t > np.transpose(moves.go_year, (0, 2, 1))) & (moves.in_scope[:, 0] == 1.0)  # (F, I, S)
    at_go = np.transpose(core_at_go, (0, 2, 1))  # (F, I, S)
    safe = np.where(went_before & (at_go > 0), at_go, 1.0)
    zeros = np.zeros_like(rules)
    moving = ordered_sum([zeros, *np.where(went_before, live / safe, 0.0)])
    fixed = ordered_sum([zeros, *np.where(went_before, 0.0, live)])
    numerator = _by_org(lineage, t, moving * programme[:, t] + fixed, atoms)
    denominator = _by_org(lineage, t, rules * (1.0 + moving), atoms)
    org = lineage.org_of[t]
    factor: FloatArray = np.ones_like(rules)
    known = np.flatnonzero(atoms)
    factor[known] = (figure[known, None] - numerator[org[known]]) / denominator[org[known]]
    return factor


def _by_org(lineage: Lineage, t: int, values: FloatArray, atoms: np.ndarray) -> FloatArray:
    """``values`` (``(I, S)``) of the atoms ``atoms`` added into their organisations in year ``t``."""
    out = np.zeros((lineage.n_orgs, values.shape[1]))
    np.add.at(out, lineage.org_of[t][atoms], values[atoms])
    return out


def _back_cast_matters(moves: Transfers, first: np.ndarray, t: int) -> bool:
    """Whether a function in the cut's scope went live before ``t`` for an atom published for the
    first time in ``t`` (its budget then moves with a back-cast core allowance, which depends on
    the factor being solved)."""
    if not first.any():
        return False
    before = np.transpose(moves.go_year, (0, 2, 1))[:, first] < t  # (F, atoms, S)
    return bool((before & (moves.in_scope[:, 0] == 1.0)).any())
