"""Costs, capacity and workforce change (SPEC section 5): what core and delegated functions need,
what the allowance can pay for, the gap, and the posts that must go and what that costs.
Arrays in the engine's layout (model.engine.layout); pounds in cash of each year, WTE."""

from __future__ import annotations

import numpy as np

from model.arrays import FloatArray
from model.engine.allowance import Baseline
from model.engine.delegation import Delegated
from model.engine.layout import Frame, national
from model.engine.prices import Prices
from model.schema import FUNCTIONS


def costs_and_capacity(x: Frame, p: Prices, b: Baseline, allowance: FloatArray,
                       d: Delegated) -> dict[str, FloatArray]:
    """Non-pay cost, required and affordable WTE, the gaps and the core capacity."""
    nonpay_cost = b.nonpay_base * p.nonpay_index * national((1.0 - x.per_sample("nonpay.annual_saving")) ** x.t) + sum(
        x.number(f"delegation.{f}.nonpay_per_wte_gbp") * p.nonpay_index * d.required[f] for f in FUNCTIONS
    )
    required_core = b.core_wte_base * x.grown("workforce.core_demand_change")
    required_delegated = d.required_total
    required = required_core + required_delegated
    required_cost = required * p.loaded_cost + nonpay_cost
    affordable = np.maximum(0.0, allowance - nonpay_cost) / p.loaded_cost
    return {
        "nonpay_cost_gbp": nonpay_cost,
        "required_cost_gbp": required_cost,
        "affordable_wte": affordable,
        "required_wte": required,
        "required_core_wte": required_core,
        "required_delegated_wte": required_delegated,
        "wte_gap": affordable - required,
        "funding_gap_gbp": allowance - required_cost,
        "core_capacity_wte": affordable - required_delegated,
    }


def workforce_change(x: Frame, p: Prices, b: Baseline, affordable: FloatArray, required: FloatArray,
                     arrivals: FloatArray) -> dict[str, FloatArray]:
    """Employed WTE (the lesser of affordable and required; the core workforce in the base
    year), leavers not replaced, redundancies and their one-off cost.

    Posts to lose = last year's employed + arrivals - this year's employed; turnover absorbs
    ``turnover_rate`` x last year's employed; the rest are redundancies, costed at
    ``redundancy_months`` of that year's salary before on-costs.
    """
    employed = np.minimum(affordable, required)
    employed[:, 0] = np.broadcast_to(b.core_wte_base[:, 0], employed.shape[:1] + employed.shape[2:])
    previous = np.concatenate([employed[:, :1], employed[:, :-1]], axis=1)
    leavers_needed = np.maximum(0.0, previous + arrivals - employed)
    attrition = x.number("workforce.turnover_rate") * previous
    redundancies = np.maximum(0.0, leavers_needed - attrition)
    redundancies[:, 0] = 0.0
    attrition[:, 0] = 0.0
    redundancy_cost = redundancies * p.salary * p.pay_index * x.number("workforce.redundancy_months") / 12.0
    return {
        "employed_wte": employed,
        "arrivals_wte": arrivals,
        "attrition_wte": attrition,
        "redundancies_wte": redundancies,
        "redundancy_cost_gbp": redundancy_cost,
    }
