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
(11 to 18 rounds for the base's figures; :func:`_rounds`), else once.

A figure must leave ``k > 0``: be more than ``sum_a (q_a programme_a + c_a)``, the delegated
budgets it would hold with no core RCA. Otherwise the base, and with it the core allowance, would
be zero or negative; the budgets that move with the core allowance would then vanish (they are
scaled by it, SPEC section 4) and the allowance could not equal the figure. :func:`anchored_base`
refuses such a figure (:class:`PublishedError`), as the scenario refuses a cut of 100%.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

import numpy as np

from model.arrays import FloatArray
from model.engine.delegation import Transfers, ordered_sum
from model.engine.lineage import Lineage
from model.errors import InputError

MAX_ROUNDS = 50
"""Most rounds of the solve for a first published year (each shrinks the error by the share of the
allowance the in-scope budgets hold, about a twentieth for the base's figures: 11 to 18 rounds
reach the last digit, see :func:`_rounds`)."""


class PublishedError(InputError):
    """A published allowance that does not cover the delegated budgets inside it."""


def published_mask(lineage: Lineage, published: FloatArray) -> tuple[FloatArray, np.ndarray]:
    """Each atom's organisation's published figure in each year (``(I, T)``, NaN: none) and
    whether there is one."""
    n_years = published.shape[1]
    figure = published[lineage.org_of, np.arange(n_years)[:, None]].T
    return figure, ~np.isnan(figure)


def anchored_base(base: FloatArray, m: FloatArray, programme: FloatArray, moves: Transfers,
                  lineage: Lineage, published: FloatArray,
                  core_at_go: Callable[[FloatArray], FloatArray], labels: tuple[str, ...]) -> FloatArray:
    """Each atom's base ``(I, T, S)`` from its rules base ``base`` (``(I, 1, S)``) and the
    published figures ``published`` (``(O, T)``, NaN where none, years ``labels``);
    ``core_at_go(base)`` is the core allowance the rules give for a base (published years at their
    figures, no envelope) in each function's go-live year, ``(F, I, S)``: all the solve needs of
    it. Raises :class:`PublishedError` for a figure that leaves ``k <= 0``."""
    n_years = published.shape[1]
    figure, mask = published_mask(lineage, published)
    shape = (base.shape[0], n_years, max(base.shape[2], m.shape[2], programme.shape[2]))
    out = np.array(np.broadcast_to(base, shape))
    anchored = np.zeros(shape[0], dtype=bool)
    zeros = np.zeros_like(out[:, 0] * m[0, 0])  # the shape of one year of the rules RCA, (I, S)
    for t in np.flatnonzero(mask.any(axis=0)).tolist():
        atoms = mask[:, t]
        first = atoms & ~anchored
        one_round = partial(_one_round, out, m, programme, _YearTerms.of(moves, t, zeros), lineage, figure[:, t],
                            atoms, first, t, core_at_go)
        floor = _rounds(out, MAX_ROUNDS if _back_cast_matters(moves, first, t) else 1, one_round)
        _refuse_uncovered(lineage, figure[:, t], atoms, t, out[:, t], floor, labels)
        anchored |= atoms
    return out


def _one_round(out: FloatArray, m: FloatArray, programme: FloatArray, terms: _YearTerms, lineage: Lineage,
               figure: FloatArray, atoms: np.ndarray, first: np.ndarray, t: int,
               core_at_go: Callable[[FloatArray], FloatArray]) -> tuple[FloatArray, FloatArray]:
    """One round of the solve for year ``t``: rescale the base ``out`` in place by the factor the
    figures ``figure`` give the published atoms ``atoms``, from ``t`` on (and in every earlier
    year for those published for the first time, ``first``); returns the factor and the floor."""
    factor, floor = _factor(out, m, programme, terms, lineage, figure, atoms, t, core_at_go(out))
    scaled = out[atoms, t] * factor[atoms]
    out[atoms, t:] = scaled[:, None, :]
    out[first, :t] = scaled[first[atoms]][:, None, :]
    return factor, floor


def _rounds(out: FloatArray, rounds: int, one_round: Callable[[], tuple[FloatArray, FloatArray]]) -> FloatArray:
    """Run ``one_round`` (which rescales ``out`` in place and returns its factor and floor) up to
    ``rounds`` times, and return the last round's floor. It stops when a round's factor is the
    round before's: the base has settled. In the last digits the rounding can instead leave the
    base alternating between two states, so that no factor ever repeats its predecessor; once
    ``out`` is what it was two rounds before, every round left would only alternate, and the
    state (and floor) the last of them would leave is taken at once. The result is exactly that
    of running every round."""
    previous: FloatArray | None = None
    kept: list[tuple[FloatArray, FloatArray]] = []  # out and the floor after each of the two rounds before
    floor = np.zeros(0)
    for done in range(rounds):
        factor, floor = one_round()
        if previous is not None and np.array_equal(previous, factor):
            break
        previous = factor
        if len(kept) == 2 and np.array_equal(out, kept[0][0]):
            if (rounds - 1 - done) % 2:  # the last round would leave the state of the round before
                out[...] = kept[1][0]
                floor = kept[1][1]
            break
        if rounds > 1:
            kept = [*kept[-1:], (out.copy(), floor)]
    return floor


def _refuse_uncovered(lineage: Lineage, figure: FloatArray, atoms: np.ndarray, t: int, base: FloatArray,
                      floor: FloatArray, labels: tuple[str, ...]) -> None:
    """Raise :class:`PublishedError` if a figure of year ``t`` leaves an atom of its organisation
    a base ``base`` (``(I, S)``, after the solve) that is not positive in some sample: the
    product of the ``k`` so far is not, as every base starts positive. The message names the
    least the figure must exceed, ``floor``: the delegated budgets it would hold with no core RCA
    (``sum_a (q_a programme_a + c_a)``, each atom's organisation's, ``(I, S)``)."""
    bad = atoms & ~np.all(base > 0, axis=1)
    if not bad.any():
        return
    first = int(np.flatnonzero(bad)[0])
    samples = ~(base[first] > 0)  # (S,)
    worst = int(np.argmax(np.where(samples, floor[first], -np.inf)))
    where = "" if samples.size == 1 else f" (in {int(samples.sum())} of {samples.size} samples)"
    raise PublishedError(
        f"the published allowance of {lineage.codes[lineage.org_of[t][first]]} in {labels[t]}, "
        f"£{figure[first]:,.2f}, does not cover the delegated budgets inside it, £{floor[first, worst]:,.2f}{where}: "
        "its core allowance (programme pay aside) would be zero or less. Give the whole allowance in pounds, "
        "or fewer staff transferred with the delegated functions (delegation.F.transfer_wte_per_100k).")


@dataclass(frozen=True)
class _YearTerms:
    """What the solve for one year takes from the delegated functions that does not depend on the
    base, worked out once for all its rounds: each function's budget live that year ``live`` and
    whether it went live before that year in the cut's scope ``went_before`` (``(F, I, S)``), and
    the budgets that do not move with the core allowance, added up ``fixed`` (``(I, S)``)."""

    live: FloatArray
    went_before: np.ndarray
    fixed: FloatArray
    zeros: FloatArray

    @classmethod
    def of(cls, moves: Transfers, t: int, zeros: FloatArray) -> _YearTerms:
        """The terms of year ``t``; ``zeros`` is ``(I, S)``, the shape of one year of the base."""
        live = moves.budget[:, :, 0] * moves.frac[:, :, t]  # (F, I, S)
        went_before = (t > np.transpose(moves.go_year, (0, 2, 1))) & (moves.in_scope[:, 0] == 1.0)  # (F, I, S)
        return cls(live, went_before, ordered_sum([zeros, *np.where(went_before, 0.0, live)]), zeros)


def _factor(base: FloatArray, m: FloatArray, programme: FloatArray, terms: _YearTerms, lineage: Lineage,
            figure: FloatArray, atoms: np.ndarray, t: int, core_at_go: FloatArray) -> tuple[FloatArray, FloatArray]:
    """``k`` for each atom's organisation in year ``t`` (``(I, S)``; 1 for atoms not published)
    and the sum ``k``'s numerator takes from the figure (``(I, S)``; 0 for atoms not published);
    ``core_at_go`` is the core allowance in each function's go-live year, ``(F, I, S)``."""
    rules = base[:, t] * m[0, t]  # (I, S): the rules RCA with the current base
    safe = np.where(terms.went_before & (core_at_go > 0), core_at_go, 1.0)
    moving = ordered_sum([terms.zeros, *np.where(terms.went_before, terms.live / safe, 0.0)])
    numerator = _by_org(lineage, t, moving * programme[:, t] + terms.fixed, atoms)
    denominator = _by_org(lineage, t, rules * (1.0 + moving), atoms)
    org = lineage.org_of[t]
    factor: FloatArray = np.ones_like(rules)
    floor: FloatArray = np.zeros_like(rules)
    known = np.flatnonzero(atoms)
    floor[known] = numerator[org[known]]
    factor[known] = (figure[known, None] - floor[known]) / denominator[org[known]]
    return factor, floor


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
