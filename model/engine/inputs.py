"""The numbers a run needs, as arrays: what the engine reads.

A resolved :class:`~model.scenario.Scenario` is a tree of values with provenance; the engine wants
plain arrays over ICBs and years. :class:`Inputs` holds them keyed by the parameter's dotted path
(SPEC section 8), each with a leading *sample* axis so that one engine call can evaluate many
parameter draws at once:

- a number has shape ``(S,)``;
- a series has shape ``(S, T)``, one value per financial year of the horizon;
- a delegated function's go-live has shape ``(S, I)``: one month count per ICB (``NaN``: never).

``S`` is 1 for a deterministic run. Words (``running_cost_cut.basis``, ``real_terms.index``) and
flags (``in_cut_scope``) are stored as 0/1 numbers so that they too can differ across samples.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

import numpy as np

from model.periods import parse_month, parse_year, year_labels

if TYPE_CHECKING:
    from model.scenario import Scenario

FUNCTIONS: tuple[str, ...] = ("pharmacy", "optometry", "dentistry", "specialised")
"""The delegated functions, in the order results report them."""

NUMBERS: tuple[str, ...] = (
    "population.growth_rate",
    "baseline.rca_per_head_gbp",
    "baseline.pay_share",
    "baseline.salary_per_wte_gbp",
    "baseline.programme_pay_per_head_gbp",
    "running_cost_cut.post_path_uplift",
    "workforce.core_demand_change",
    "workforce.turnover_rate",
    "workforce.redundancy_months",
    "nonpay.annual_saving",
)
SERIES: tuple[str, ...] = (
    "running_cost_cut.path",
    "inflation.pay_award",
    "inflation.oncost_rate",
    "inflation.nonpay_inflation",
    "inflation.gdp_deflator",
)
ENVELOPE: tuple[str, ...] = (
    "running_cost_cut.envelope.per_head_gbp",
    "running_cost_cut.envelope.effective",
    "running_cost_cut.envelope.uplift",
)
DELEGATION_NUMBERS: tuple[str, ...] = (
    "transfer_wte_per_100k",
    "required_wte_per_100k",
    "nonpay_per_wte_gbp",
    "in_cut_scope",
)
FLAGS: dict[str, tuple[str, str]] = {
    "running_cost_cut.basis": ("nominal", "real"),
    "real_terms.index": ("cost", "gdp_deflator"),
}
"""Words stored as 0/1: the first choice is 0, the second 1."""


@dataclass(frozen=True)
class Inputs:
    """Everything one engine call needs, as arrays (see the module docstring for shapes).

    Attributes:
        labels: financial-year labels of the horizon, base year first.
        codes, names, regions: the ICBs of the run, in table order.
        population: base-year GP-registered population per ICB, persons, shape ``(I,)``.
        rca_given_gbp: the table's own base-year RCA per ICB, £, ``NaN`` where not given.
        cut_last: index (from the base year) of the last year the cut path lists; may lie
            beyond the horizon, in which case the post-path uplift never applies.
        values: parameter arrays keyed by dotted path, each with a leading sample axis.
    """

    labels: tuple[str, ...]
    codes: tuple[str, ...]
    names: tuple[str, ...]
    regions: tuple[str, ...]
    population: np.ndarray
    rca_given_gbp: np.ndarray
    cut_last: int
    values: dict[str, np.ndarray] = field(repr=False)

    @property
    def base_year(self) -> int:
        """Starting calendar year of the base financial year (2022 for 2022/23)."""
        return parse_year(self.labels[0])

    @property
    def samples(self) -> int:
        """Number of samples the arrays carry (the broadcast size of the leading axis)."""
        return max(a.shape[0] for a in self.values.values())

    def with_values(self, changes: dict[str, np.ndarray]) -> Inputs:
        """A copy with some parameter arrays replaced (each already with its sample axis)."""
        return replace(self, values={**self.values, **changes})

    def select_icbs(self, codes: list[str]) -> Inputs:
        """A copy restricted to some ICBs, in the order given."""
        index = [self.codes.index(c) for c in codes]
        values = {
            path: (arr[:, index] if path.endswith(".go_live") else arr)
            for path, arr in self.values.items()
        }
        return replace(
            self,
            codes=tuple(self.codes[i] for i in index),
            names=tuple(self.names[i] for i in index),
            regions=tuple(self.regions[i] for i in index),
            population=self.population[index],
            rca_given_gbp=self.rca_given_gbp[index],
            values=values,
        )


def _month_or_nan(value: object) -> float:
    return float("nan") if value is None else float(parse_month(str(value)))


def go_live_months(go_live: dict, codes: tuple[str, ...], regions: tuple[str, ...]) -> np.ndarray:
    """Each ICB's go-live month count: ``by_icb`` wins over ``by_region`` over ``default``.

    ``go_live`` holds bare values (month strings or ``None`` for never). Returns shape ``(I,)``.
    """
    by_icb = go_live.get("by_icb") or {}
    by_region = go_live.get("by_region") or {}
    default = go_live.get("default")
    months = []
    for code, region in zip(codes, regions):
        if code in by_icb:
            months.append(_month_or_nan(by_icb[code]))
        elif region in by_region:
            months.append(_month_or_nan(by_region[region]))
        else:
            months.append(_month_or_nan(default))
    return np.array(months, dtype=float)


def from_scenario(scenario: Scenario) -> Inputs:
    """Turn a resolved, validated scenario into the engine's arrays (one sample)."""
    labels = tuple(year_labels(scenario.value("horizon.base_year"), scenario.value("horizon.end_year")))
    table = scenario.icbs
    codes = tuple(table["code"])
    regions = tuple(table["region"])
    values: dict[str, np.ndarray] = {}
    for path in NUMBERS:
        values[path] = np.array([float(scenario.value(path))])
    for path in SERIES:
        values[path] = np.array([scenario.get(path).values(list(labels))], dtype=float)
    for path, (zero, one) in FLAGS.items():
        values[path] = np.array([1.0 if scenario.value(path) == one else 0.0])
    envelope = scenario.value("running_cost_cut.envelope")
    values.update(_envelope_values(envelope))
    for function in FUNCTIONS:
        prefix = f"delegation.{function}."
        for name in DELEGATION_NUMBERS:
            values[prefix + name] = np.array([float(scenario.value(prefix + name))])
        months = go_live_months(scenario.value(prefix + "go_live"), codes, regions)
        values[prefix + "go_live"] = months[None, :]
    # Validation guarantees the path lists a year at or after the base year.
    last = scenario.get("running_cost_cut.path").last_listed()
    cut_last = parse_year(last) - parse_year(labels[0])
    return Inputs(
        labels=labels,
        codes=codes,
        names=tuple(table["name"]),
        regions=regions,
        population=table["population"].to_numpy(dtype=float),
        rca_given_gbp=table["baseline_rca_gbp"].to_numpy(dtype=float),
        cut_last=cut_last,
        values=values,
    )


def _envelope_values(envelope: dict | None) -> dict[str, np.ndarray]:
    """The envelope's three numbers; without an envelope its month is ``NaN`` (never)."""
    if not envelope:
        return {path: np.array([np.nan if path.endswith("effective") else 0.0]) for path in ENVELOPE}
    return {
        "running_cost_cut.envelope.per_head_gbp": np.array([float(envelope["per_head_gbp"])]),
        "running_cost_cut.envelope.effective": np.array([_month_or_nan(envelope["effective"])]),
        "running_cost_cut.envelope.uplift": np.array([float(envelope["uplift"])]),
    }
