"""Delegated functions (SPEC sections 4 and 5): pharmacy, optometry, dentistry and specialised
commissioning. For each, the budget added to the allowance when its staff transfer (moving with
the core allowance afterwards when it is in the cut's scope), the staff it needs, and the staff
who arrive with it. Arrays in the engine's layout (model.engine.layout).

Staff per 100,000 people count registered people, or need-weighted people when the function's
``population_basis`` is ``weighted`` (fair shares: the atom's need index times its population).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from model.arrays import FloatArray, IntArray
from model.engine.layout import Frame, at_year, local
from model.engine.prices import Prices
from model.periods import active_fraction, year_of_month
from model.schema import FUNCTIONS


@dataclass(frozen=True)
class Transfer:
    """What one function brings, before the cut moves its budget.

    ``budget``: the full-year budget at go-live prices, £, ``(I, 1, S)``; ``frac``: the share of
    each year it is live, ``(I, T, S)``; ``go_year``: the year index it goes live, ``(S, I)``;
    ``in_scope``: 1 when the budget then moves with the core allowance, ``(1, 1, S)``; ``need``:
    the WTE it needs and ``arrivals`` the WTE arriving with it each year, ``(I, T, S)``.
    """

    budget: FloatArray
    frac: FloatArray
    go_year: IntArray
    in_scope: FloatArray
    need: FloatArray
    arrivals: FloatArray


@dataclass(frozen=True)
class Delegated:
    """Each function's budget (£, ``(I, T, S)``) and required WTE, and the WTE arriving each year
    with all functions."""

    budgets: dict[str, FloatArray]
    required: dict[str, FloatArray]
    arrivals: FloatArray

    @property
    def budget_total(self) -> FloatArray:
        return sum(self.budgets.values())  # type: ignore[return-value]  # arrays sum to an array, never to sum's start 0

    @property
    def required_total(self) -> FloatArray:
        return sum(self.required.values())  # type: ignore[return-value]  # arrays sum to an array, never to sum's start 0


def transfers(x: Frame, p: Prices, population: FloatArray) -> dict[str, Transfer]:
    """Every function's transfer (see :class:`Transfer`), in the order of the schema's functions."""
    return {function: _transfer(x, p, population, f"delegation.{function}.") for function in FUNCTIONS}


def delegated(x: Frame, moves: dict[str, Transfer], core: FloatArray) -> Delegated:
    """Every function's budget, need and arrivals for a run whose core allowance is ``core``."""
    budgets, required = {}, {}
    arrivals: FloatArray = np.zeros_like(core)
    for function, move in moves.items():
        scale = cut_scale(core, local(at_year(core, move.go_year)), move.in_scope)
        budgets[function] = move.budget * move.frac * scale
        required[function] = move.need
        arrivals = arrivals + move.arrivals
    return Delegated(budgets, required, arrivals)


def _transfer(x: Frame, p: Prices, population: FloatArray, prefix: str) -> Transfer:
    """One function's transfer.

    ``transfer_wte = transfer_wte_per_100k * pop[go-live year] / 1e5``; the full-year budget
    ``D = transfer_wte * (loaded_cost + nonpay_per_wte * nonpay_index)`` at go-live prices joins
    for the active part of each year.
    """
    months = x.raw(prefix + "go_live")  # (S, I)
    frac = np.ascontiguousarray(np.transpose(active_fraction(months, x.years), (1, 2, 0)))  # (I, T, S)
    go_year = np.where(np.isnan(months), 0, year_of_month(np.nan_to_num(months)) - x.inputs.base_year)
    go_year = go_year.astype(int)
    weighted = x.raw(prefix + "population_basis")[:, None]  # (S, 1): 1 for need-weighted people
    people = 1.0 + weighted * (x.inputs.need_index[None, :] - 1.0)  # (S, I); exactly 1 for registered
    pop_at_go = x.inputs.population[None, :] * people * (1.0 + x.per_sample("population.growth_rate")) ** go_year
    transfer_wte = x.raw(prefix + "transfer_wte_per_100k")[:, None] * pop_at_go / 1e5
    nonpay_per_wte = x.raw(prefix + "nonpay_per_wte_gbp")[:, None]
    budget = transfer_wte * (at_year(p.loaded_cost, go_year) + nonpay_per_wte * at_year(p.nonpay_index, go_year))
    need = x.number(prefix + "required_wte_per_100k") * population * local(people) / 1e5 * frac
    step = np.diff(frac, axis=1, prepend=frac[:, :1])
    return Transfer(local(budget), frac, go_year, x.number(prefix + "in_cut_scope"), need,
                    local(transfer_wte) * step)


def cut_scale(core: FloatArray, core_at_go: FloatArray, in_scope: FloatArray) -> FloatArray:
    """``S[t]``: 1 outside the cut's scope; else the core allowance against its value in the
    go-live year (0 where that is not positive)."""
    positive = core_at_go > 0
    if positive.all():
        follows_core = core / core_at_go
    else:
        shape = np.broadcast_shapes(core.shape, core_at_go.shape)
        follows_core = np.divide(core, core_at_go, out=np.zeros(shape), where=positive)
    if np.all(in_scope == 1.0):
        return follows_core  # = 1 x follows_core + 0, exactly
    return in_scope * follows_core + (1.0 - in_scope)
