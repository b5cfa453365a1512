"""Costs, capacity and workforce change (SPEC section 5): what core and delegated functions need,
what the allowance can pay for, the gap, and the posts that must go and what that costs.

What is needed and what it costs add up over atoms, so they are worked out per atom. What an
organisation can afford, whom it employs and its redundancies are worked out for each
organisation as it exists in each year, on its whole allowance and need (its staff are one
pool: SPEC section 10), then shared to its atoms by population (:mod:`model.engine.lineage`).
Arrays in the engine's layout (model.engine.layout); pounds in cash of each year, WTE.
"""

from __future__ import annotations

import numpy as np

from model.arrays import FloatArray
from model.engine.allowance import Baseline
from model.engine.delegation import Delegated
from model.engine.layout import Frame, national
from model.engine.lineage import Lineage
from model.engine.prices import Prices
from model.schema import FUNCTIONS


def costs(x: Frame, p: Prices, b: Baseline, d: Delegated) -> dict[str, FloatArray]:
    """Non-pay cost, the staff core and delegated functions need and what that costs, per atom.

    An organisation formed from more than one predecessor needs ``merger_saving`` less of its
    combined core staff, from the year it forms.
    """
    nonpay_cost = b.nonpay_base * p.nonpay_index * national((1.0 - x.per_sample("nonpay.annual_saving")) ** x.t) + sum(
        x.number(f"delegation.{f}.nonpay_per_wte_gbp") * p.nonpay_index * d.required[f] for f in FUNCTIONS
    )
    required_core = b.core_wte_base * x.grown("workforce.core_demand_change") * _merger_factor(x)
    required_delegated = d.required_total
    required = required_core + required_delegated
    return {
        "nonpay_cost_gbp": nonpay_cost,
        "required_cost_gbp": required * p.loaded_cost + nonpay_cost,
        "required_wte": required,
        "required_core_wte": required_core,
        "required_delegated_wte": required_delegated,
    }


def _merger_factor(x: Frame) -> FloatArray:
    """``1 - merger_saving`` for atoms of an organisation that is a merger that year, else 1:
    ``(I, T, S)`` or a broadcastable shape."""
    lineage = x.inputs.lineage
    merged = np.arange(x.n_years)[:, None] >= lineage.merged_from[lineage.org_of]  # (T, I)
    return 1.0 - x.number("organisations.merger_saving") * merged.T[:, :, None]


def capacity_and_change(x: Frame, p: Prices, b: Baseline, allowance: FloatArray, need: dict[str, FloatArray],
                        arrivals: FloatArray) -> dict[str, FloatArray]:
    """What each organisation can afford and employs, its leavers and redundancies (shared to
    its atoms), and each atom's gaps.

    Affordable WTE = (allowance - non-pay) / cost of a WTE, never below 0; employed = the lesser of
    affordable and required (the core workforce in the base year); posts to lose = last year's
    employed (restated on this year's organisations) + arrivals - this year's employed; turnover
    absorbs ``turnover_rate`` x last year's employed; the rest are redundancies, costed at
    ``redundancy_months`` of that year's salary before on-costs.
    """
    lineage = x.inputs.lineage
    shape = np.broadcast_shapes(allowance.shape, need["required_wte"].shape)

    def pooled(values: FloatArray) -> FloatArray:
        return lineage.to_orgs(np.broadcast_to(values, shape))

    affordable = np.maximum(0.0, pooled(allowance) - pooled(need["nonpay_cost_gbp"])) / p.loaded_cost
    required = pooled(need["required_wte"])
    staff = _change(x, p, lineage, affordable, required, pooled(b.core_wte_base), pooled(arrivals))
    shared = {name: lineage.to_atoms(values) for name, values in {"affordable_wte": affordable, **staff}.items()}
    shared["arrivals_wte"] = arrivals
    return {
        **shared,
        "wte_gap": shared["affordable_wte"] - need["required_wte"],
        "funding_gap_gbp": allowance - need["required_cost_gbp"],
        "core_capacity_wte": shared["affordable_wte"] - need["required_delegated_wte"],
    }


def _change(x: Frame, p: Prices, lineage: Lineage, affordable: FloatArray, required: FloatArray,
            core_wte_base: FloatArray, arrivals: FloatArray) -> dict[str, FloatArray]:
    """Employed WTE, leavers not replaced, redundancies and their cost, per organisation."""
    employed = np.minimum(affordable, required)
    employed[:, 0] = np.broadcast_to(core_wte_base[:, 0], employed.shape[:1] + employed.shape[2:])
    previous = lineage.previous_on(employed)
    leavers_needed = np.maximum(0.0, previous + arrivals - employed)
    attrition = x.number("workforce.turnover_rate") * previous
    redundancies = np.maximum(0.0, leavers_needed - attrition)
    redundancies[:, 0] = 0.0
    attrition[:, 0] = 0.0
    redundancy_cost = redundancies * p.salary * p.pay_index * x.number("workforce.redundancy_months") / 12.0
    return {
        "employed_wte": employed,
        "attrition_wte": attrition,
        "redundancies_wte": redundancies,
        "redundancy_cost_gbp": redundancy_cost,
    }
