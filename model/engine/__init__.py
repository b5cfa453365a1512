"""The methodology of SPEC sections 3 to 5 as pure, vectorised array maths.

:func:`run` takes :class:`~model.engine.inputs.Inputs` and returns arrays of shape ``(S, I, T)``
(samples, ICBs, years) with no Python loop over ICBs, years or samples. Every quantity it returns
is *additive*: England's figure is the sum over ICBs. Ratios (real-terms change, per head) are
made from those sums by :func:`ratios`, the same way for an ICB and for England.

The maths itself (:func:`evaluate`) runs with samples on the last axis, ``(I, T, S)``, so that
numpy's inner loops run along whole chunks of Monte Carlo draws; :func:`run` lays the results
out as ``(S, I, T)``. The layout changes no number: each formula is the same operations in the
same order.

Units: pounds (£) in cash of each year unless a name says ``real`` (base-year prices); whole-time
equivalents (WTE); persons. Rates and shares are fractions (0.3 = 30%).
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from model.arrays import FloatArray
from model.engine.allowance import (
    baseline,
    blend,
    core_allowance,
    cut_multiplier,
    envelope_terms,
    programme_pay,
    table_base,
)
from model.engine.delegation import Transfers, delegated, transfers
from model.engine.fused import chain
from model.engine.inputs import Inputs
from model.engine.layout import Frame, at_years, samples_first
from model.engine.prices import Prices, compound, prices
from model.engine.published import anchored_base, published_mask
from model.engine.workforce import capacity_and_change, costs
from model.schema import COLUMNS, FUNCTIONS

__all__ = ["ADDITIVE", "PRICES", "RATIO_INPUTS", "compound", "evaluate", "ratios", "run"]

ADDITIVE: tuple[str, ...] = tuple(spec.name for spec in COLUMNS if spec.kind == "additive")
"""Quantities that sum over ICBs (the additive columns of model/schema/columns.yaml);
:func:`run` returns each with shape ``(S, I, T)``."""

PRICES: tuple[str, ...] = tuple(spec.name for spec in COLUMNS if spec.kind == "price")
"""National price indices (the price columns of columns.yaml); :func:`run` returns each with
shape ``(S, 1, T)``."""


def run(inp: Inputs) -> dict[str, FloatArray]:
    """Evaluate the model for every sample, ICB and year (SPEC sections 3 to 5).

    Returns the :data:`ADDITIVE` quantities with shape ``(S, I, T)`` and the :data:`PRICES`
    with shape ``(S, 1, T)``: C-contiguous arrays, or read-only broadcasts of smaller ones where
    a quantity does not vary across samples, ICBs or years.
    """
    return {name: samples_first(arr) for name, arr in evaluate(inp).items()}


def evaluate(inp: Inputs) -> dict[str, FloatArray]:
    """:func:`run`'s quantities in the layout the maths runs in: ``(I, T, S)`` (``(1, T, S)`` for
    the prices), ICBs, then years, then samples (see :mod:`model.engine.layout`).

    The steps follow SPEC sections 3 to 5: prices (:mod:`~model.engine.prices`), the base year and
    core allowance (:mod:`~model.engine.allowance`), delegated functions
    (:mod:`~model.engine.delegation`), then costs, capacity and workforce change
    (:mod:`~model.engine.workforce`).
    """
    x = Frame(inp)
    p = prices(x)
    population = x.pop0 * x.grown("population.growth_rate")
    programme = programme_pay(x, p, population)
    moves = transfers(x, p, population)
    core, rca_base = _core(x, p, population, programme, moves)
    b = baseline(x, p, rca_base)
    d = delegated(x, moves, core)
    allowance = core + d.budget_total
    need = costs(x, p, b, d)
    staff = capacity_and_change(x, p, b, allowance, need, d.arrivals)
    shape = np.broadcast_shapes(population.shape, allowance.shape)
    out = {
        "population": population,
        "weighted_population": population * x.inputs.need_index[:, None, None],
        "allowance_gbp": allowance,
        "core_allowance_gbp": core,
        "delegated_allowance_gbp": d.budget_total,
        "programme_pay_allowance_gbp": programme,
        "allowance_real_gbp": allowance / p.deflator,
        "core_allowance_real_gbp": core / p.deflator,
        "cost_base_gbp": b.cost_base,
        **need,
        **staff,
    }
    for f in FUNCTIONS:
        out[f"delegated_allowance_{f}_gbp"] = d.budgets[f]
        out[f"required_delegated_wte_{f}"] = d.required[f]
    out = {name: np.broadcast_to(arr, shape) for name, arr in out.items()}
    national_prices = {"loaded_cost_per_wte_gbp": p.loaded_cost, "pay_index": p.pay_index,
                       "nonpay_index": p.nonpay_index, "deflator": p.deflator}
    out.update({name: np.broadcast_to(arr, (1, shape[1], shape[2])) for name, arr in national_prices.items()})
    return out


def _core(x: Frame, p: Prices, population: FloatArray, programme: FloatArray,
          moves: Transfers) -> tuple[FloatArray, FloatArray]:
    """The core allowance ``(I, T, S)`` and each atom's base-year RCA ``(I, 1, S)``: by the rules
    of SPEC section 4, or, where organisations have published allowances, held to them and
    projected from them (:mod:`model.engine.published`)."""
    rules_base = table_base(x)
    published = x.inputs.published_gbp
    if np.isnan(published).all():
        return core_allowance(x, p, rules_base, programme, population), rules_base
    m = cut_multiplier(x, p)
    envelope = envelope_terms(x, population)
    figure_known = published_mask(x.inputs.lineage, published)[1][:, :, None]

    def core_of(base: FloatArray) -> FloatArray:
        held = chain(base, (np.multiply, m), (np.add, programme))
        if not envelope.active:
            return held  # = the held figure or the blend, which is the held figure without an envelope
        return np.where(figure_known, held, blend(envelope, held))

    def core_at_go(base: FloatArray) -> FloatArray:
        """``core_of(base)`` in each function's go-live year: without an envelope, worked out
        there only (the same arithmetic on the same numbers as the whole array's)."""
        go = moves.go_year
        if envelope.active:
            return at_years(core_of(base), go)
        return chain(at_years(base, go), (np.multiply, at_years(m, go)), (np.add, at_years(programme, go)))

    base = anchored_base(rules_base, m, programme, moves, x.inputs.lineage, published, core_at_go)
    return core_of(base), base[:, :1]


RATIO_INPUTS: dict[str, tuple[str, str]] = {
    "real_change_vs_base": ("allowance_real_gbp", "cost_base_gbp"),
    "core_real_change_vs_base": ("core_allowance_real_gbp", "cost_base_gbp"),
    "allowance_per_head_gbp": ("allowance_gbp", "population"),
    "need_index": ("weighted_population", "population"),
}
"""Each ratio's numerator and denominator (additive quantities)."""


def ratios(q: dict[str, FloatArray], names: Iterable[str] | None = None) -> dict[str, FloatArray]:
    """Real-terms change and per-head figures, made from additive quantities: those ``names``
    (default: every ratio whose quantities ``q`` holds).

    Works the same on one ICB's figures and on England's sums (SPEC section 5: England rows
    recompute ratios from sums).
    """
    chosen = [name for name, inputs in RATIO_INPUTS.items() if all(i in q for i in inputs)] if names is None \
        else list(names)
    out = {}
    for name in chosen:
        numerator, denominator = RATIO_INPUTS[name]
        ratio = q[numerator] / q[denominator]
        out[name] = ratio - 1.0 if name.endswith("_change_vs_base") else ratio
    return out
