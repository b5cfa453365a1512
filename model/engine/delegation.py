"""Delegated functions (SPEC sections 4 and 5): pharmacy, optometry, dentistry and specialised
commissioning. For each, the budget added to the allowance when its staff transfer (moving with
the core allowance afterwards when it is in the cut's scope), the staff it needs, and the staff
who arrive with it. Arrays in the engine's layout (model.engine.layout), with the functions
stacked on a first axis ``F`` (in the schema's order), so that every step is worked out for all
four functions at once.

Staff per 100,000 people count registered people, or need-weighted people when the function's
``population_basis`` is ``weighted`` (fair shares: the atom's need index times its population).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np

from model.arrays import FloatArray, IntArray
from model.engine.fused import chain
from model.engine.layout import Frame, at_years
from model.engine.prices import Prices
from model.periods import active_fraction, year_of_month
from model.schema import FUNCTIONS


@dataclass(frozen=True)
class Transfers:
    """What the functions bring, before the cut moves their budgets; axis 0 is the function.

    ``budget``: the full-year budget at go-live prices, £, ``(F, I, 1, S)``; ``frac``: the share
    of each year it is live, ``(F, I, T, S)``; ``go_year``: the year index it goes live,
    ``(F, S, I)``; ``in_scope``: 1 when the budget then moves with the core allowance,
    ``(F, 1, 1, S)``; ``need``: the WTE it needs and ``arrivals`` the WTE arriving with it each
    year, ``(F, I, T, S)``.
    """

    budget: FloatArray
    frac: FloatArray
    go_year: IntArray
    in_scope: FloatArray
    need: FloatArray
    arrivals: FloatArray


@dataclass(frozen=True)
class Delegated:
    """The functions' budgets (£) and required WTE, stacked ``(F, I, T, S)``, and the WTE arriving
    each year with all functions."""

    budget_stack: FloatArray
    need_stack: FloatArray
    arrivals: FloatArray

    @property
    def budgets(self) -> dict[str, FloatArray]:
        """Each function's budget, ``(I, T, S)``."""
        return dict(zip(FUNCTIONS, self.budget_stack, strict=True))

    @property
    def required(self) -> dict[str, FloatArray]:
        """The WTE each function needs, ``(I, T, S)``."""
        return dict(zip(FUNCTIONS, self.need_stack, strict=True))

    @cached_property
    def budget_total(self) -> FloatArray:
        """The functions' budgets added up, in the schema's order."""
        return ordered_sum(list(self.budget_stack))

    @cached_property
    def required_total(self) -> FloatArray:
        """The WTE the functions need, added up in the schema's order."""
        return ordered_sum(list(self.need_stack))


def ordered_sum(terms: list[FloatArray]) -> FloatArray:
    """``0 + terms[0] + terms[1] + ...``, in that order, as Python's ``sum`` adds them."""
    total: FloatArray = terms[0] + 0.0
    for term in terms[1:]:
        total = np.add(total, term, out=total) if total.shape == np.broadcast_shapes(total.shape, term.shape) \
            else total + term
    return total


def stacked(x: Frame, name: str) -> FloatArray:
    """Every function's ``delegation.<function>.<name>`` array, broadcast together and stacked."""
    return np.stack(np.broadcast_arrays(*(x.raw(f"delegation.{function}.{name}") for function in FUNCTIONS)))


def transfers(x: Frame, p: Prices, population: FloatArray) -> Transfers:
    """Every function's transfer (see :class:`Transfers`).

    ``transfer_wte = transfer_wte_per_100k * pop[go-live year] / 1e5``; the full-year budget
    ``D = transfer_wte * (loaded_cost + nonpay_per_wte * nonpay_index)`` at go-live prices joins
    for the active part of each year.
    """
    months = stacked(x, "go_live")  # (F, S, I)
    frac = np.ascontiguousarray(np.transpose(active_fraction(months, x.years), (0, 2, 3, 1)))  # (F, I, T, S)
    go_year = np.where(np.isnan(months), 0, year_of_month(np.nan_to_num(months)) - x.inputs.base_year)
    go_year = go_year.astype(int)
    weighted = stacked(x, "population_basis")[:, :, None]  # (F, S, 1): 1 for need-weighted people
    people = 1.0 + weighted * (x.inputs.need_index[None, None, :] - 1.0)  # (F, S, I); exactly 1 for registered
    growth = (1.0 + x.per_sample("population.growth_rate"))[None]  # (1, S, 1)
    pop_at_go = x.inputs.population[None, None, :] * people * growth ** go_year
    transfer_wte = _local(stacked(x, "transfer_wte_per_100k")[:, :, None] * pop_at_go / 1e5)  # (F, I, 1, S)
    nonpay_per_wte = _local(stacked(x, "nonpay_per_wte_gbp")[:, :, None])  # (F, 1, 1, S)
    loaded_cost, nonpay_index = (at_years(series, go_year)[:, :, None, :] for series in (p.loaded_cost, p.nonpay_index))
    budget = transfer_wte * (loaded_cost + nonpay_per_wte * nonpay_index)
    need = chain(stacked(x, "required_wte_per_100k")[:, None, None, :], (np.multiply, population),
                 *(() if (people == 1.0).all() else ((np.multiply, _local(people)),)),  # x 1 changes nothing
                 (np.divide, 1e5), (np.multiply, frac))
    step = np.diff(frac, axis=2, prepend=frac[:, :, :1])
    return Transfers(budget, frac, go_year, stacked(x, "in_cut_scope")[:, None, None, :], need, transfer_wte * step)


def _local(values: FloatArray) -> FloatArray:
    """Per-function, per-sample, per-ICB ``(F, S, I)`` values as ``(F, I, 1, S)``."""
    return np.ascontiguousarray(np.transpose(values, (0, 2, 1)))[:, :, None, :]


def delegated(x: Frame, moves: Transfers, core: FloatArray) -> Delegated:
    """Every function's budget, need and arrivals for a run whose core allowance is ``core``."""
    scale = cut_scale(core, at_years(core, moves.go_year)[:, :, None, :], moves.in_scope)
    budgets = chain(moves.budget, (np.multiply, moves.frac), (np.multiply, scale))
    return Delegated(budgets, moves.need, ordered_sum(list(moves.arrivals)))


def cut_scale(core: FloatArray, core_at_go: FloatArray, in_scope: FloatArray) -> FloatArray:
    """``S[t]`` for each function (``core_at_go`` and ``in_scope`` have the function axis first):
    1 outside the cut's scope; else the core allowance against its value in the go-live year (0
    where that is not positive)."""
    positive = core_at_go > 0
    if positive.all():
        follows_core = core / core_at_go
    else:
        shape = np.broadcast_shapes(core.shape, core_at_go.shape)
        follows_core = np.divide(core, core_at_go, out=np.zeros(shape), where=positive)
    for f, scope in enumerate(in_scope):
        if not np.all(scope == 1.0):  # in scope: the core's ratio itself (1 x ratio + 0 would be the same)
            follows_core[f] = scope * follows_core[f] + (1.0 - scope)
    return follows_core
