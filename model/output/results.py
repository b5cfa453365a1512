"""Engine arrays to the tidy results table of SPEC section 6.

One row per (scenario, ICB or England, year). England's ``icb_code`` is ``ENG``, its name
``England`` and its region empty; its pounds, WTE and population are sums over the ICBs of the
run and its ratios are recomputed from those sums.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from model import __version__, engine
from model.engine.inputs import FUNCTIONS, Inputs, from_scenario

if TYPE_CHECKING:
    from model.scenario import Scenario

ENGLAND_CODE = "ENG"
ENGLAND_NAME = "England"

COLUMNS: dict[str, tuple[str, str]] = {
    "scenario": ("", "The scenario's own name (its `name:`, or its file's stem)."),
    "icb_code": ("", "ICB ODS code, or ENG for England (the sum of the ICBs in the run)."),
    "icb_name": ("", "ICB name."),
    "region": ("", "NHS England region (empty for England)."),
    "year": ("", "Financial year, April to March (2025/26 = April 2025 to March 2026)."),
    "population": ("persons", "GP-registered population, grown at the scenario's growth rate."),
    "allowance_gbp": ("£ cash", "Running cost allowance: core plus delegated functions."),
    "core_allowance_gbp": ("£ cash", "Core allowance: the cut RCA plus programme pay, or the per-head envelope."),
    "delegated_allowance_gbp": ("£ cash", "Budgets added for delegated functions (POD, specialised)."),
    "allowance_real_gbp": ("£ base-year prices", "Allowance deflated by the chosen real-terms index."),
    "real_change_vs_base": ("fraction", "Real allowance against the base-year cost base, minus 1 (-0.3 = 30% lower)."),
    "core_real_change_vs_base": ("fraction", "Real core allowance against the base-year cost base, minus 1."),
    "allowance_per_head_gbp": ("£ per head", "Allowance per GP-registered person."),
    "loaded_cost_per_wte_gbp": ("£ per WTE", "Average salary with pay awards and employer on-costs."),
    "nonpay_cost_gbp": ("£ cash", "Non-pay costs of core and delegated functions."),
    "affordable_wte": ("WTE", "Staff the allowance can pay for after non-pay costs."),
    "required_wte": ("WTE", "Staff core and delegated functions need."),
    "required_core_wte": ("WTE", "Staff core functions need."),
    "required_delegated_wte": ("WTE", "Staff delegated functions need."),
    "wte_gap": ("WTE", "Affordable minus required WTE (negative: a shortfall)."),
    "funding_gap_gbp": ("£ cash", "Allowance minus the cost of what is required (negative: a shortfall)."),
    "core_capacity_wte": ("WTE", "Affordable WTE left for core functions once delegated functions are staffed."),
    "employed_wte": ("WTE", "Staff employed: the lesser of affordable and required."),
    "redundancies_wte": ("WTE", "Posts lost beyond what turnover absorbs."),
    "redundancy_cost_gbp": ("£ cash", "One-off cost of those redundancies (not netted from the allowance)."),
    "programme_pay_allowance_gbp": ("£ cash", "Programme-funded pay within the core allowance, before any envelope."),
    "core_allowance_real_gbp": ("£ base-year prices", "Core allowance deflated by the real-terms index."),
    "cost_base_gbp": ("£ base-year prices", "Base-year RCA plus programme pay: what every 'vs base' ratio uses."),
    "required_cost_gbp": ("£ cash", "Cost of the required WTE plus non-pay."),
    "arrivals_wte": ("WTE", "Staff arriving with delegated functions in the year."),
    "attrition_wte": ("WTE", "Leavers not replaced: turnover times last year's employed WTE."),
    **{
        f"delegated_allowance_{f}_gbp": ("£ cash", f"Budget added for delegated {f} commissioning.")
        for f in FUNCTIONS
    },
    **{f"required_delegated_wte_{f}": ("WTE", f"Staff delegated {f} commissioning needs.") for f in FUNCTIONS},
    "pay_index": ("index, base year = 1", "Cumulative pay awards."),
    "nonpay_index": ("index, base year = 1", "Cumulative non-pay inflation."),
    "deflator": ("index, base year = 1", "The real-terms index (running-cost mix or GDP deflator)."),
    "scenario_sha256": ("", "sha256 of the scenario's resolved inputs and ICB table: the same hash, the same inputs."),
    "model_version": ("", "Version of the model that computed the row."),
}
"""Every column of ``results.csv`` in order, with its unit and meaning. The first 25 are the
SPEC section 6 contract; the rest are extra detail."""

CONTRACT_COLUMNS: tuple[str, ...] = tuple(COLUMNS)[:25]
_IDENTITY = ("scenario", "icb_code", "icb_name", "region", "year")
_TRACE = ("scenario_sha256", "model_version")


def _decimals(column: str) -> int:
    """Rounding for machine output: pounds to the penny, WTE to 4 places, ratios to 10."""
    if column.endswith("_gbp"):
        return 2
    if column.endswith("_wte") or column.startswith("required_delegated_wte"):
        return 4
    if column == "population":
        return 2
    return 10


def tabulate(
    name: str, inputs: Inputs, out: dict[str, np.ndarray], sample: int = 0, content_hash: str = ""
) -> pd.DataFrame:
    """One scenario's results as the SPEC section 6 table: England first, then ICBs in table order.

    ``content_hash`` (the scenario's :meth:`~model.scenario.Scenario.content_hash`) and the model
    version are written on every row so that any figure traces back to the inputs that made it.
    """
    n_icb, n_year = len(inputs.codes), len(inputs.labels)
    icb = {key: out[key][sample] for key in engine.ADDITIVE}
    england = {key: value.sum(axis=0, keepdims=True) for key, value in icb.items()}
    icb.update(engine.ratios(icb))
    england.update(engine.ratios(england))
    data: dict[str, np.ndarray | list] = {}
    for key in COLUMNS:
        if key in _IDENTITY or key in _TRACE:
            continue
        if key in engine.PRICES:
            data[key] = np.tile(out[key][sample, 0], n_icb + 1)
        else:
            data[key] = np.concatenate([england[key], icb[key]], axis=0).ravel()
    frame = pd.DataFrame(
        {
            "scenario": name,
            "icb_code": np.repeat((ENGLAND_CODE, *inputs.codes), n_year),
            "icb_name": np.repeat((ENGLAND_NAME, *inputs.names), n_year),
            "region": np.repeat(("", *inputs.regions), n_year),
            "year": np.tile(inputs.labels, n_icb + 1),
            **data,
            "scenario_sha256": content_hash,
            "model_version": __version__,
        }
    )
    return frame[list(COLUMNS)]


def scenario_results(scenario: Scenario) -> pd.DataFrame:
    """Run one resolved scenario and return its results table."""
    inputs = from_scenario(scenario)
    return tabulate(scenario.name, inputs, engine.run(inputs), content_hash=scenario.content_hash())


def rounded(frame: pd.DataFrame) -> pd.DataFrame:
    """The table as written to files: each numeric column rounded for its unit."""
    return frame.round({c: _decimals(c) for c in frame.columns if c not in _IDENTITY + _TRACE})
