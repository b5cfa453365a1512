"""The base year and the core allowance (SPEC sections 3 and 4), by the rules.

The base year: each ICB's running cost allowance (its own figure, else the per-head figure times
its population), programme-funded pay, the cost base every "vs base" ratio uses, and the core
workforce and non-pay it pays for. The core allowance: the percentage cut (cash or real), the
uplift after the cut path, programme pay at cost, and the per-head envelope blended in from its
effective month. Arrays in the engine's layout (model.engine.layout); pounds in cash of each year.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np

from model.arrays import FloatArray
from model.engine.fused import chain
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


def table_base(x: Frame) -> FloatArray:
    """Each atom's base-year RCA by the rules of SPEC section 3, ``(I, 1, S)``: the table's own
    figure where it gives one, else the per-head figure times the base-year population."""
    rca_per_head = x.raw("baseline.rca_per_head_gbp")[:, None]
    given = x.inputs.rca_given_gbp[None, :]
    return local(np.where(np.isnan(given), rca_per_head * x.inputs.population[None, :], given))


def baseline(x: Frame, p: Prices, rca_base: FloatArray) -> Baseline:
    """SPEC section 3's base year from each atom's base-year RCA ``rca_base`` (``(I, 1, S)``):
    ``prog_base``, ``cost_base``, ``core_wte_base`` and ``nonpay_base``."""
    prog_base = x.number("baseline.programme_pay_per_head_gbp") * x.pop0
    cost_base = rca_base + prog_base
    core_wte_base = (rca_base * p.pay_share + prog_base) / p.loaded_cost_base
    nonpay_base = rca_base * (1.0 - p.pay_share)
    return Baseline(rca_base, prog_base, cost_base, core_wte_base, nonpay_base)


def programme_pay(x: Frame, p: Prices, population: FloatArray) -> FloatArray:
    """Programme-funded pay, funded at cost: it follows population and the cost of a WTE,
    ``(I, T, S)``."""
    prog_base = x.number("baseline.programme_pay_per_head_gbp") * x.pop0
    return prog_base * (population / x.pop0) * (p.loaded_cost / p.loaded_cost_base)


def _cut_terms(x: Frame, p: Prices) -> tuple[FloatArray, FloatArray, FloatArray]:
    """The factors of the percentage cut, each ``(1, T, S)``: ``1 - cut``, ``U`` (the deflator
    when the cut is real, else 1) and the uplift after the cut path's last year."""
    real_basis = x.number("running_cost_cut.basis")
    uplift_basis = real_basis * p.deflator + (1.0 - real_basis)
    after_path = np.maximum(x.t - x.inputs.cut_last, 0.0)
    return 1.0 - x.series("running_cost_cut.path"), uplift_basis, x.grown("running_cost_cut.post_path_uplift",
                                                                             after_path)


def cut_multiplier(x: Frame, p: Prices) -> FloatArray:
    """What the rules make of each pound of the base-year RCA in each year, ``(1, T, S)``."""
    kept, uplift_basis, after = _cut_terms(x, p)
    return kept * uplift_basis * after


def core_allowance(x: Frame, p: Prices, rca_base: FloatArray, programme: FloatArray,
                   population: FloatArray) -> FloatArray:
    """The core allowance ``(I, T, S)`` by the rules of SPEC section 4: the cut RCA plus programme
    pay at cost, with the envelope blended in."""
    kept, uplift_basis, after = _cut_terms(x, p)
    held = chain(rca_base, (np.multiply, kept), (np.multiply, uplift_basis), (np.multiply, after), (np.add, programme))
    return blend(envelope_terms(x, population), held)


@dataclass(frozen=True)
class Envelope:
    """The per-head envelope of a run: ``frac``, its active fraction of each year (``(1, T, S)``:
    0 before the year it takes effect, part in that year, 1 after; 0 without an envelope), and
    :attr:`amount`, worked out only when some year has it."""

    frac: FloatArray
    x: Frame
    population: FloatArray

    @cached_property
    def active(self) -> bool:
        """Whether the envelope applies in any year of any sample."""
        return bool((self.frac > 0).any())

    @cached_property
    def amount(self) -> FloatArray:
        """``E = per_head * people * (1 + uplift) ** (t - t_eff)``, ``(I, T, S)``: people are
        registered or, with ``population_basis: weighted``, need-weighted."""
        x = self.x
        month = x.raw("running_cost_cut.envelope.effective")  # (S,)
        t_eff = np.where(np.isnan(month), 0, year_of_month(np.nan_to_num(month)) - x.years[0])
        exponent = np.arange(len(x.years))[None, :] - t_eff[:, None]  # (S, T)
        per_head = x.number("running_cost_cut.envelope.per_head_gbp")
        weighted = x.number("running_cost_cut.envelope.population_basis")
        people = self.population * (1.0 + weighted * (x.inputs.need_index[:, None, None] - 1.0))
        return per_head * people * x.grown("running_cost_cut.envelope.uplift", exponent)


def envelope_terms(x: Frame, population: FloatArray) -> Envelope:
    """The run's per-head envelope (:class:`Envelope`)."""
    month = x.raw("running_cost_cut.envelope.effective")  # (S,)
    return Envelope(national(active_fraction(month, x.years)), x, population)


def blend(envelope: Envelope, allowance: FloatArray) -> FloatArray:
    """``(1 - f) * A + f * E`` where the envelope is active, ``A`` where it is not (``A`` itself
    when it is active nowhere)."""
    if not envelope.active:
        return allowance
    frac = envelope.frac
    return np.where(frac > 0, (1.0 - frac) * allowance + frac * envelope.amount, allowance)
