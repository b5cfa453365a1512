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

import numpy as np

from model.engine.inputs import Inputs
from model.schema import COLUMNS, FUNCTIONS
from model.periods import active_fraction, year_of_month

ADDITIVE: tuple[str, ...] = tuple(spec.name for spec in COLUMNS if spec.kind == "additive")
"""Quantities that sum over ICBs (the additive columns of model/schema/columns.yaml);
:func:`run` returns each with shape ``(S, I, T)``."""

PRICES: tuple[str, ...] = tuple(spec.name for spec in COLUMNS if spec.kind == "price")
"""National price indices (the price columns of columns.yaml); :func:`run` returns each with
shape ``(S, 1, T)``."""


def compound(rates: np.ndarray) -> np.ndarray:
    """Index that is 1 in the base year and grows by ``rates[..., s]`` in each later year s.

    ``index[t] = prod_{s=1..t} (1 + rates[s])``; the base year's own rate is ignored.
    """
    growth = 1.0 + rates
    growth[..., 0] = 1.0
    return np.cumprod(growth, axis=-1)


def _at_year(series: np.ndarray, index: np.ndarray) -> np.ndarray:
    """Pick each ICB's and sample's value of ``series`` in year ``index[s, i]`` (clipped into the
    horizon).

    ``series`` is ``(I or 1, T, S)`` (the layout :func:`evaluate` works in), ``index`` an integer
    array ``(S, I)``; returns ``(S, I)``.
    """
    n_sample, n_icb = np.broadcast_shapes((series.shape[2], series.shape[0]), index.shape)
    clipped = np.clip(np.broadcast_to(index, (n_sample, n_icb)), 0, series.shape[1] - 1)
    icbs = np.arange(n_icb)[:, None] if series.shape[0] > 1 else 0
    samples = np.arange(n_sample)[None, :] if series.shape[2] > 1 else 0
    return series[icbs, clipped.T, samples].T


def _national(values: np.ndarray) -> np.ndarray:
    """A per-sample, per-year ``(S, T)`` array as ``(1, T, S)``, the layout of :func:`evaluate`."""
    return np.ascontiguousarray(values.T)[None]


def _local(values: np.ndarray) -> np.ndarray:
    """A per-sample, per-ICB ``(S, I)`` array as ``(I, 1, S)``, the layout of :func:`evaluate`."""
    return np.ascontiguousarray(values.T)[:, None, :]


def run(inp: Inputs) -> dict[str, np.ndarray]:
    """Evaluate the model for every sample, ICB and year (SPEC sections 3 to 5).

    Returns the :data:`ADDITIVE` quantities with shape ``(S, I, T)`` and the :data:`PRICES`
    with shape ``(S, 1, T)``: C-contiguous arrays, or read-only broadcasts of smaller ones where
    a quantity does not vary across samples, ICBs or years.
    """
    return {name: _samples_first(arr) for name, arr in evaluate(inp).items()}


def _samples_first(values: np.ndarray) -> np.ndarray:
    """An :func:`evaluate` array ``(I, T, S)`` as ``(S, I, T)``, copying only what varies.

    Axes that ``values`` merely broadcasts (stride 0) stay broadcast.
    """
    varying = tuple(slice(None) if stride else slice(0, 1) for stride in values.strides)
    compact = np.ascontiguousarray(np.transpose(values[varying], (2, 0, 1)))
    full = (values.shape[2], values.shape[0], values.shape[1])
    return compact if compact.shape == full else np.broadcast_to(compact, full)


def evaluate(inp: Inputs) -> dict[str, np.ndarray]:
    """:func:`run`'s quantities in the layout the maths runs in: ``(I, T, S)`` (``(1, T, S)`` for
    the prices), ICBs, then years, then samples.

    With samples on the last, fastest axis every numpy inner loop runs along a whole chunk of
    samples, however national series (by year and sample) and ICB data meet: about twice as fast
    as ``(S, I, T)`` for Monte Carlo chunks, and the layout percentiles are taken in. Each formula is the same calculation, in the same order, as SPEC sections 3 to 5
    state it; arrays may be broadcasts.
    """
    v = inp.values
    T = len(inp.labels)
    t = np.arange(T, dtype=float)
    years = inp.base_year + np.arange(T)

    def number(path: str) -> np.ndarray:
        return v[path][None, None, :]

    def series(path: str) -> np.ndarray:
        return _national(v[path])

    def per_sample(path: str) -> np.ndarray:
        return v[path][:, None]  # (S, 1): for powers over years, computed (S, T) then laid out

    # Population (persons): one growth rate for every ICB.
    pop0 = inp.population[:, None, None]
    population = pop0 * _national((1.0 + per_sample("population.growth_rate")) ** t)

    # Price indices (SPEC section 3), all 1 in the base year; shape (1, T, S).
    pay_index = _national(compound(v["inflation.pay_award"]))
    salary = number("baseline.salary_per_wte_gbp")
    loaded_cost = salary * pay_index * (1.0 + series("inflation.oncost_rate"))
    nonpay_index = _national(compound(v["inflation.nonpay_inflation"]))
    pay_share = number("baseline.pay_share")
    cost_deflator = pay_share * loaded_cost / loaded_cost[:, :1] + (1.0 - pay_share) * nonpay_index
    gdp_deflator = _national(compound(v["inflation.gdp_deflator"]))
    use_gdp = number("real_terms.index")
    deflator = use_gdp * gdp_deflator + (1.0 - use_gdp) * cost_deflator

    # Baseline (base-year prices); shape (I, 1, S).
    rca_per_head = v["baseline.rca_per_head_gbp"][:, None]
    given = inp.rca_given_gbp[None, :]
    rca_base = _local(np.where(np.isnan(given), rca_per_head * inp.population[None, :], given))
    prog_base = number("baseline.programme_pay_per_head_gbp") * pop0
    cost_base = rca_base + prog_base
    core_wte_base = (rca_base * pay_share + prog_base) / loaded_cost[:, :1]
    nonpay_base = rca_base * (1.0 - pay_share)

    # Core allowance: the percentage cut, programme pay at cost, then the envelope.
    real_basis = number("running_cost_cut.basis")
    uplift_basis = real_basis * deflator + (1.0 - real_basis)
    after_path = np.maximum(t - inp.cut_last, 0.0)
    a_pct = (
        rca_base
        * (1.0 - series("running_cost_cut.path"))
        * uplift_basis
        * _national((1.0 + per_sample("running_cost_cut.post_path_uplift")) ** after_path)
    )
    programme = prog_base * (population / pop0) * (loaded_cost / loaded_cost[:, :1])
    allowance_pct = a_pct + programme
    core = _apply_envelope(v, years, population, allowance_pct)

    # Delegated functions (SPEC section 4), and what they need (section 5). Per-ICB figures of a
    # function are worked out (S, I), then laid out (I, 1, S).
    growth = per_sample("population.growth_rate")
    delegated = {}
    required_delegated = {}
    arrivals = np.zeros_like(population)
    for function in FUNCTIONS:
        prefix = f"delegation.{function}."
        months = v[prefix + "go_live"]  # (S, I)
        frac = np.ascontiguousarray(np.transpose(active_fraction(months, years), (1, 2, 0)))  # (I, T, S)
        go_year = np.where(np.isnan(months), 0, year_of_month(np.nan_to_num(months)) - inp.base_year)
        go_year = go_year.astype(int)
        pop_at_go = inp.population[None, :] * (1.0 + growth) ** go_year
        transfer_wte = v[prefix + "transfer_wte_per_100k"][:, None] * pop_at_go / 1e5
        nonpay_per_wte = v[prefix + "nonpay_per_wte_gbp"][:, None]
        budget = transfer_wte * (
            _at_year(loaded_cost, go_year) + nonpay_per_wte * _at_year(nonpay_index, go_year)
        )
        core_at_go = _local(_at_year(core, go_year))
        positive = core_at_go > 0
        if positive.all():
            follows_core = core / core_at_go
        else:
            shape = np.broadcast_shapes(core.shape, core_at_go.shape)
            follows_core = np.divide(core, core_at_go, out=np.zeros(shape), where=positive)
        in_scope = number(prefix + "in_cut_scope")
        if np.all(in_scope == 1.0):
            scale = follows_core  # = 1 x follows_core + 0, exactly
        else:
            scale = in_scope * follows_core + (1.0 - in_scope)
        delegated[function] = _local(budget) * frac * scale
        required_delegated[function] = number(prefix + "required_wte_per_100k") * population / 1e5 * frac
        step = np.diff(frac, axis=1, prepend=frac[:, :1])
        arrivals = arrivals + _local(transfer_wte) * step

    delegated_total = sum(delegated.values())
    required_delegated_total = sum(required_delegated.values())
    allowance = core + delegated_total

    # Costs and capacity (SPEC section 5).
    nonpay_cost = nonpay_base * nonpay_index * _national((1.0 - per_sample("nonpay.annual_saving")) ** t) + sum(
        number(f"delegation.{f}.nonpay_per_wte_gbp") * nonpay_index * required_delegated[f] for f in FUNCTIONS
    )
    required_core = core_wte_base * _national((1.0 + per_sample("workforce.core_demand_change")) ** t)
    required = required_core + required_delegated_total
    required_cost = required * loaded_cost + nonpay_cost
    affordable = np.maximum(0.0, allowance - nonpay_cost) / loaded_cost

    # Workforce change and its one-off cost.
    employed = np.minimum(affordable, required)
    employed[:, 0] = np.broadcast_to(core_wte_base[:, 0], employed.shape[:1] + employed.shape[2:])
    previous = np.concatenate([employed[:, :1], employed[:, :-1]], axis=1)
    leavers_needed = np.maximum(0.0, previous + arrivals - employed)
    attrition = number("workforce.turnover_rate") * previous
    redundancies = np.maximum(0.0, leavers_needed - attrition)
    redundancies[:, 0] = 0.0
    attrition[:, 0] = 0.0
    redundancy_cost = redundancies * salary * pay_index * number("workforce.redundancy_months") / 12.0

    shape = np.broadcast_shapes(population.shape, allowance.shape)
    out = {
        "population": population,
        "allowance_gbp": allowance,
        "core_allowance_gbp": core,
        "delegated_allowance_gbp": delegated_total,
        "programme_pay_allowance_gbp": programme,
        "allowance_real_gbp": allowance / deflator,
        "core_allowance_real_gbp": core / deflator,
        "cost_base_gbp": cost_base,
        "nonpay_cost_gbp": nonpay_cost,
        "required_cost_gbp": required_cost,
        "affordable_wte": affordable,
        "required_wte": required,
        "required_core_wte": required_core,
        "required_delegated_wte": required_delegated_total,
        "wte_gap": affordable - required,
        "funding_gap_gbp": allowance - required_cost,
        "core_capacity_wte": affordable - required_delegated_total,
        "employed_wte": employed,
        "arrivals_wte": arrivals,
        "attrition_wte": attrition,
        "redundancies_wte": redundancies,
        "redundancy_cost_gbp": redundancy_cost,
    }
    for f in FUNCTIONS:
        out[f"delegated_allowance_{f}_gbp"] = delegated[f]
        out[f"required_delegated_wte_{f}"] = required_delegated[f]
    out = {name: np.broadcast_to(arr, shape) for name, arr in out.items()}
    prices = {
        "loaded_cost_per_wte_gbp": loaded_cost,
        "pay_index": pay_index,
        "nonpay_index": nonpay_index,
        "deflator": deflator,
    }
    out.update({name: np.broadcast_to(arr, (1, T, shape[2])) for name, arr in prices.items()})
    return out


def _apply_envelope(
    v: dict[str, np.ndarray], years: np.ndarray, population: np.ndarray, allowance: np.ndarray
) -> np.ndarray:
    """Core allowance with the per-head envelope blended in from its effective month.

    ``core = (1 - f) * A + f * E`` where ``f`` is the envelope's active fraction of each year
    (0 before the year it takes effect, part in that year, 1 after) and
    ``E = per_head * pop * (1 + uplift) ** (t - t_eff)``. Without an envelope ``f`` is 0.
    Arrays are in :func:`evaluate`'s ``(I, T, S)`` layout.
    """
    month = v["running_cost_cut.envelope.effective"]  # (S,)
    frac = _national(active_fraction(month, years))  # (1, T, S)
    t_eff = np.where(np.isnan(month), 0, year_of_month(np.nan_to_num(month)) - years[0])
    t = np.arange(len(years))
    exponent = t[None, :] - t_eff[:, None]  # (S, T)
    per_head = v["running_cost_cut.envelope.per_head_gbp"][None, None, :]
    uplift = v["running_cost_cut.envelope.uplift"][:, None]
    envelope = per_head * population * _national((1.0 + uplift) ** exponent)
    return np.where(frac > 0, (1.0 - frac) * allowance + frac * envelope, allowance)


def ratios(q: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Real-terms change and per-head figures, made from additive quantities.

    Works the same on one ICB's figures and on England's sums (SPEC section 5: England rows
    recompute ratios from sums).
    """
    return {
        "real_change_vs_base": q["allowance_real_gbp"] / q["cost_base_gbp"] - 1.0,
        "core_real_change_vs_base": q["core_allowance_real_gbp"] / q["cost_base_gbp"] - 1.0,
        "allowance_per_head_gbp": q["allowance_gbp"] / q["population"],
    }
