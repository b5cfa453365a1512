"""The base year and the core allowance (SPEC sections 3 and 4).

The base year: each ICB's running cost allowance (its own figure, else the per-head figure times
its population), programme-funded pay, the cost base every "vs base" ratio uses, and the core
workforce and non-pay it pays for. The core allowance: the percentage cut (cash or real), the
uplift after the cut path, programme pay at cost, and the per-head envelope blended in from its
effective month. Arrays in the engine's layout (model.engine.layout); pounds in cash of each year.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from model.arrays import FloatArray
from model.engine.layout import Frame, local, national
from model.engine.prices import Prices
from model.periods import active_fraction, year_of_month


@dataclass(frozen=True)
class Baseline:
    """Base-year figures per ICB, ``(I, 1, S)``: £ in base-year prices, WTE."""

    rca_base: FloatArray
    prog_base: FloatArray
    cost_base: FloatArray
    core_wte_base: FloatArray
    nonpay_base: FloatArray


def baseline(x: Frame, p: Prices) -> Baseline:
    """SPEC section 3's base year: ``rca_base``, ``prog_base``, ``cost_base``, ``core_wte_base``
    and ``nonpay_base``."""
    rca_per_head = x.raw("baseline.rca_per_head_gbp")[:, None]
    given = x.inputs.rca_given_gbp[None, :]
    rca_base = local(np.where(np.isnan(given), rca_per_head * x.inputs.population[None, :], given))
    prog_base = x.number("baseline.programme_pay_per_head_gbp") * x.pop0
    cost_base = rca_base + prog_base
    core_wte_base = (rca_base * p.pay_share + prog_base) / p.loaded_cost_base
    nonpay_base = rca_base * (1.0 - p.pay_share)
    return Baseline(rca_base, prog_base, cost_base, core_wte_base, nonpay_base)


def core_allowance(x: Frame, p: Prices, b: Baseline, population: FloatArray) -> tuple[FloatArray, FloatArray]:
    """The core allowance ``(I, T, S)`` and the programme-funded pay within it (before any
    envelope): the cut RCA plus programme pay at cost, with the envelope blended in."""
    real_basis = x.number("running_cost_cut.basis")
    uplift_basis = real_basis * p.deflator + (1.0 - real_basis)
    after_path = np.maximum(x.t - x.inputs.cut_last, 0.0)
    a_pct = (
        b.rca_base
        * (1.0 - x.series("running_cost_cut.path"))
        * uplift_basis
        * x.grown("running_cost_cut.post_path_uplift", after_path)
    )
    programme = b.prog_base * (population / x.pop0) * (p.loaded_cost / p.loaded_cost_base)
    return apply_envelope(x, population, a_pct + programme), programme


def apply_envelope(x: Frame, population: FloatArray, allowance: FloatArray) -> FloatArray:
    """Core allowance with the per-head envelope blended in from its effective month.

    ``core = (1 - f) * A + f * E`` where ``f`` is the envelope's active fraction of each year
    (0 before the year it takes effect, part in that year, 1 after) and
    ``E = per_head * pop * (1 + uplift) ** (t - t_eff)``. Without an envelope ``f`` is 0.
    """
    years = x.years
    month = x.raw("running_cost_cut.envelope.effective")  # (S,)
    frac = national(active_fraction(month, years))  # (1, T, S)
    t_eff = np.where(np.isnan(month), 0, year_of_month(np.nan_to_num(month)) - years[0])
    exponent = np.arange(len(years))[None, :] - t_eff[:, None]  # (S, T)
    per_head = x.number("running_cost_cut.envelope.per_head_gbp")
    envelope = per_head * population * x.grown("running_cost_cut.envelope.uplift", exponent)
    return np.where(frac > 0, (1.0 - frac) * allowance + frac * envelope, allowance)
