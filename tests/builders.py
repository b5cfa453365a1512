"""Inputs built directly in code, for engine tests that need no YAML.

``worked_example()`` is SPEC section 9: one ICB (TST, Midlands, 1,000,000 people, no growth),
2022/23 to 2025/26, only dentistry delegated from 2023-07. ``parameters()`` draws random but valid
changes to it (a hypothesis strategy), ``tst`` reads one ICB's figures from an engine run, and
``BLOCK`` is an uncertainty block over it (``dists_of`` gives its distributions). ``steps`` runs
the engine's steps one by one (prices, base year, core allowance, delegation, capacity, workforce).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from hypothesis import strategies as st

from model.analysis.distributions import Distribution, from_entry
from model.cli.vary import parse_variation
from model.engine.allowance import Baseline, baseline, core_allowance, programme_pay, table_base
from model.engine.delegation import Delegated, delegated, transfers
from model.engine.inputs import INPUT_KEYS, Inputs
from model.engine.layout import Frame
from model.engine.prices import Prices, prices
from model.engine.workforce import capacity_and_change, costs
from model.periods import parse_month, year_labels
from model.schema import FUNCTIONS

NUMBERS = tuple(k.path for k in INPUT_KEYS if k.shape == "number" and not k.in_envelope
                and not k.path.startswith("delegation."))
"""The national numbers the engine reads (not the envelope's, not a delegated function's)."""
SERIES = tuple(k.path for k in INPUT_KEYS if k.shape == "series")
WORDS = tuple(k.path for k in INPUT_KEYS if k.shape == "word")
ENVELOPE = tuple(k.path for k in INPUT_KEYS if k.in_envelope)
DELEGATION_NUMBERS = tuple(dict.fromkeys(k.path.rsplit(".", 1)[1] for k in INPUT_KEYS
                                         if k.path.startswith("delegation.") and k.shape in ("number", "flag")))
"""The per-function numbers and flags (transfer_wte_per_100k ... in_cut_scope)."""


def worked_example(populations: tuple[float, ...] = (1_000_000.0,), **changes: object) -> Inputs:
    """SPEC section 9's worked example; keyword arguments replace parameters by dotted path.

    A value may be a number (a scalar parameter, or every year of a series) or a sequence (one
    value per year of a series, or per ICB for a go-live given as month counts).
    ``populations`` gives more ICBs (codes ``T00``, ``T01``...) sharing every parameter.
    """
    labels = tuple(year_labels("2022/23", "2025/26"))
    n_year = len(labels)
    values: dict[str, object] = {
        "population.growth_rate": 0.0,
        "baseline.rca_per_head_gbp": 20.0,
        "baseline.pay_share": 0.75,
        "baseline.salary_per_wte_gbp": 40_000.0,
        "baseline.programme_pay_per_head_gbp": 0.0,
        "running_cost_cut.post_path_uplift": 0.0,
        "running_cost_cut.basis": 0.0,
        "real_terms.index": 0.0,
        "workforce.core_demand_change": 0.0,
        "workforce.turnover_rate": 0.10,
        "workforce.redundancy_months": 12.0,
        "nonpay.annual_saving": 0.0,
        "running_cost_cut.path": [0.0, 0.0, 0.2, 0.3],
        "inflation.pay_award": [0.0, 0.05, 0.05, 0.05],
        "inflation.oncost_rate": 0.25,
        "inflation.nonpay_inflation": [0.0, 0.02, 0.02, 0.02],
        "inflation.gdp_deflator": 0.0,
        "running_cost_cut.envelope.per_head_gbp": 0.0,
        "running_cost_cut.envelope.effective": float("nan"),
        "running_cost_cut.envelope.uplift": 0.0,
    }
    for function in FUNCTIONS:
        prefix = f"delegation.{function}."
        values[prefix + "go_live"] = [float("nan")] * len(populations)
        values[prefix + "transfer_wte_per_100k"] = 0.0
        values[prefix + "required_wte_per_100k"] = 0.0
        values[prefix + "nonpay_per_wte_gbp"] = 0.0
        values[prefix + "in_cut_scope"] = 1.0
    values.update(
        {
            "delegation.dentistry.go_live": [float(parse_month("2023-07"))] * len(populations),
            "delegation.dentistry.transfer_wte_per_100k": 1.0,
            "delegation.dentistry.required_wte_per_100k": 1.5,
            "delegation.dentistry.nonpay_per_wte_gbp": 5_000.0,
        }
    )
    values.update(changes)
    series = {"running_cost_cut.path", "inflation.pay_award", "inflation.oncost_rate",
              "inflation.nonpay_inflation", "inflation.gdp_deflator"}
    arrays = {}
    for path, value in values.items():
        arr = np.atleast_1d(np.asarray(value, dtype=float))
        if path.endswith("go_live") and arr.size == 1:
            arr = np.full(len(populations), arr[0])
        if path in series and arr.size == 1:
            arr = np.full(n_year, arr[0])
        arrays[path] = arr[None, :] if path in series or path.endswith("go_live") else arr
    n_icb = len(populations)
    single = n_icb == 1
    return Inputs.plain(
        labels=labels,
        codes=("TST",) if single else tuple(f"T{i:02d}" for i in range(n_icb)),
        names=("Test ICB",) if single else tuple(f"Test ICB {i}" for i in range(n_icb)),
        regions=("Midlands",) * n_icb,
        population=np.asarray(populations, dtype=float),
        rca_given_gbp=np.full(n_icb, np.nan),
        cut_last=3,
        values=arrays,
    )


@dataclass(frozen=True)
class Steps:
    """Each step of the engine for one run, in the engine's layout ``(I, T, S)`` (see
    model.engine.evaluate, which chains the same calls)."""

    frame: Frame
    prices: Prices
    baseline: Baseline
    population: np.ndarray
    core: np.ndarray
    programme: np.ndarray
    delegated: Delegated
    capacity: dict[str, np.ndarray]
    staff: dict[str, np.ndarray]


def steps(inputs: Inputs) -> Steps:
    """Run the engine's steps one by one on ``inputs`` (the rules alone: nothing published).
    ``capacity`` holds what the functions need and what the allowance affords (costs, gaps);
    ``staff`` the workforce change (employed, arrivals, leavers, redundancies)."""
    x = Frame(inputs)
    p = prices(x)
    population = x.pop0 * x.grown("population.growth_rate")
    programme = programme_pay(x, p, population)
    rca_base = table_base(x)
    b = baseline(x, p, rca_base)
    core = core_allowance(x, p, rca_base, programme, population)
    d = delegated(x, transfers(x, p, population), core)
    need = costs(x, p, b, d)
    change = capacity_and_change(x, p, b, core + d.budget_total, need, d.arrivals)
    staff_keys = ("employed_wte", "arrivals_wte", "attrition_wte", "redundancies_wte", "redundancy_cost_gbp")
    capacity = {**need, **{key: value for key, value in change.items() if key not in staff_keys}}
    staff = {key: change[key] for key in staff_keys}
    return Steps(x, p, b, population, core, programme, d, capacity, staff)


def tst(out: dict[str, np.ndarray], key: str) -> np.ndarray:
    """The single ICB's figures for one quantity, one per year."""
    return out[key][0, 0]


fraction = st.floats(0.0, 1.0)
small_rate = st.floats(-0.05, 0.15)
positive = st.floats(1.0, 100.0)
months = st.integers(parse_month("2023-04"), parse_month("2026-03")).map(float)


@st.composite
def parameters(draw) -> dict[str, object]:
    """A random but valid parameter set over the worked example's four years."""
    return {
        "population.growth_rate": draw(st.floats(-0.02, 0.03)),
        "baseline.rca_per_head_gbp": draw(positive),
        "baseline.pay_share": draw(st.floats(0.05, 1.0)),
        "baseline.salary_per_wte_gbp": draw(st.floats(15_000, 120_000)),
        "baseline.programme_pay_per_head_gbp": draw(st.floats(0, 20)),
        "running_cost_cut.path": [0.0, *draw(st.lists(st.floats(0, 0.9), min_size=3, max_size=3))],
        "running_cost_cut.basis": float(draw(st.booleans())),
        "inflation.pay_award": draw(st.lists(small_rate, min_size=4, max_size=4)),
        "inflation.oncost_rate": draw(st.floats(0, 0.4)),
        "inflation.nonpay_inflation": draw(st.lists(small_rate, min_size=4, max_size=4)),
        "workforce.turnover_rate": draw(fraction),
        "workforce.core_demand_change": draw(st.floats(-0.05, 0.05)),
        "delegation.dentistry.go_live": draw(months),
        "delegation.dentistry.transfer_wte_per_100k": draw(st.floats(0, 5)),
        "delegation.dentistry.required_wte_per_100k": draw(st.floats(0, 8)),
        "delegation.dentistry.in_cut_scope": float(draw(st.booleans())),
        "delegation.specialised.go_live": draw(months),
        "delegation.specialised.transfer_wte_per_100k": draw(st.floats(0, 5)),
        "delegation.specialised.required_wte_per_100k": draw(st.floats(0, 8)),
    }


def dists_of(block: dict, inputs: object = None) -> list[Distribution]:
    """Distributions of an uncertainty block written in code (not checked: scenarios check theirs)."""
    return [from_entry(path, entry) for path, entry in block.items()]


BLOCK = {
    "inflation.pay_award": {"distribution": "triangular", "mode": "add", "low": -0.01, "peak": 0, "high": 0.02,
                            "from_year": "2024/25"},
    "inflation.nonpay_inflation": {"distribution": "normal", "mode": "add", "low": -0.01, "mean": 0, "sd": 0.01,
                                   "high": 0.03},
    "workforce.turnover_rate": {"distribution": "uniform", "mode": "set", "low": 0.05, "high": 0.16},
    "delegation.dentistry.required_wte_per_100k": {"distribution": "lognormal", "mode": "scale", "low": 0.5,
                                                   "median": 1, "sigma": 0.3, "high": 2},
    "delegation.dentistry.go_live": {"distribution": "uniform", "mode": "add", "low": -3, "high": 6},
}
"""An uncertainty block over the worked example: every distribution and mode, a from_year and a go-live."""


def renamed(inputs: Inputs, codes: tuple[str, ...]) -> Inputs:
    """The same ICBs under other codes (inputs built in code, no organisation changes)."""
    return Inputs.plain(inputs.labels, codes, inputs.names, inputs.regions, inputs.population, inputs.rca_given_gbp,
                        inputs.cut_last, inputs.values)


VARIATIONS = [
    parse_variation("inflation.pay_award:add:-0.01:0.02"),
    parse_variation("running_cost_cut.path.2025/26:set:0.2:0.5"),
    parse_variation("delegation.dentistry.required_wte_per_100k:scale:0.5:2"),
    parse_variation("delegation.dentistry.go_live:set:2023-04:2024-10"),
    parse_variation("real_terms.index:set:cost:gdp_deflator"),
]
"""Five ``--vary`` variations of different kinds (add, set on a year, scale, a go-live, a choice)
that the tornado tests of the analysis and of the command line share."""
