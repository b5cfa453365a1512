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
from model.engine.delegation import Delegated, ordered_sum, stacked
from model.engine.fused import chain
from model.engine.layout import Frame, national
from model.engine.lineage import Lineage
from model.engine.prices import Prices


def costs(x: Frame, p: Prices, b: Baseline, d: Delegated) -> dict[str, FloatArray]:
    """Non-pay cost, the staff core and delegated functions need and what that costs, per atom.

    An organisation formed from more than one predecessor needs ``merger_saving`` less of its
    combined core staff, from the year it forms.
    """
    saving = national((1.0 - x.per_sample("nonpay.annual_saving")) ** x.t)
    per_function = chain(stacked(x, "nonpay_per_wte_gbp")[:, None, None, :], (np.multiply, p.nonpay_index),
                         (np.multiply, d.need_stack))
    nonpay_cost = chain(b.nonpay_base, (np.multiply, p.nonpay_index), (np.multiply, saving),
                        (np.add, ordered_sum(list(per_function))))
    required_core = chain(b.core_wte_base, (np.multiply, x.grown("workforce.core_demand_change")),
                          (np.multiply, _merger_factor(x)))
    required_delegated = d.required_total
    required = chain(required_core, (np.add, required_delegated))
    return {
        "nonpay_cost_gbp": nonpay_cost,
        "required_cost_gbp": chain(required, (np.multiply, p.loaded_cost), (np.add, nonpay_cost)),
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

    affordable = chain(pooled(allowance), (np.subtract, pooled(need["nonpay_cost_gbp"])), (np.maximum, 0.0, True),
                       (np.divide, p.loaded_cost))
    required = pooled(need["required_wte"])
    base_year = lineage.orgs_in_year(np.broadcast_to(b.core_wte_base[:, 0], (shape[0], shape[2])), 0)
    staff = _change(x, p, lineage, affordable, required, base_year, pooled(arrivals))
    shared = {name: lineage.to_atoms(values) for name, values in {"affordable_wte": affordable, **staff}.items()}
    shared["arrivals_wte"] = arrivals
    return {
        **shared,
        "wte_gap": chain(shared["affordable_wte"], (np.subtract, need["required_wte"])),
        "funding_gap_gbp": chain(allowance, (np.subtract, need["required_cost_gbp"])),
        "core_capacity_wte": chain(shared["affordable_wte"], (np.subtract, need["required_delegated_wte"])),
    }


def _change(x: Frame, p: Prices, lineage: Lineage, affordable: FloatArray, required: FloatArray,
            base_year: FloatArray, arrivals: FloatArray) -> dict[str, FloatArray]:
    """Employed WTE, leavers not replaced, redundancies and their cost, per organisation;
    ``base_year`` is each organisation's core workforce in the base year, ``(O, S)``."""
    employed = np.minimum(affordable, required)
    employed[:, 0] = np.broadcast_to(base_year, employed.shape[:1] + employed.shape[2:])
    previous = lineage.previous_on(employed)
    leavers_needed = chain(previous, (np.add, arrivals), (np.subtract, employed), (np.maximum, 0.0, True))
    attrition = x.number("workforce.turnover_rate") * previous
    redundancies = chain(leavers_needed, (np.subtract, attrition), (np.maximum, 0.0, True))
    redundancies[:, 0] = 0.0
    attrition[:, 0] = 0.0
    redundancy_cost = chain(redundancies, (np.multiply, p.salary), (np.multiply, p.pay_index),
                            (np.multiply, x.number("workforce.redundancy_months")), (np.divide, 12.0))
    return {
        "employed_wte": employed,
        "attrition_wte": attrition,
        "redundancies_wte": redundancies,
        "redundancy_cost_gbp": redundancy_cost,
    }
