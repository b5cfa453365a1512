"""Price indices (SPEC section 3): what pay and non-pay cost each year, and the deflator real
terms are measured against. National series, all 1 in the base year, shape ``(1, T, S)``."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from model.arrays import FloatArray
from model.engine.layout import Frame, national


def compound(rates: FloatArray) -> FloatArray:
    """Index that is 1 in the base year and grows by ``rates[..., s]`` in each later year s.

    ``index[t] = prod_{s=1..t} (1 + rates[s])``; the base year's own rate is ignored.
    """
    growth = 1.0 + rates
    growth[..., 0] = 1.0
    return np.cumprod(growth, axis=-1)  # type: ignore[return-value]  # numpy's stubs widen float64 to floating


@dataclass(frozen=True)
class Prices:
    """The price indices of a run.

    ``pay_index``: pay awards compounded; ``loaded_cost``: £ per WTE per year, salary x pay index
    x (1 + on-costs); ``nonpay_index``: non-pay inflation compounded; ``deflator``: the index
    real terms are measured against (the cost of running an ICB, or the GDP deflator).
    """

    pay_index: FloatArray
    loaded_cost: FloatArray
    nonpay_index: FloatArray
    deflator: FloatArray
    salary: FloatArray
    pay_share: FloatArray

    @property
    def loaded_cost_base(self) -> FloatArray:
        """The base-year cost of a WTE, ``(1, 1, S)``."""
        return self.loaded_cost[:, :1]


def prices(x: Frame) -> Prices:
    """SPEC section 3's indices for a run."""
    pay_index = national(compound(x.raw("inflation.pay_award")))
    salary = x.number("baseline.salary_per_wte_gbp")
    loaded_cost = salary * pay_index * (1.0 + x.series("inflation.oncost_rate"))
    nonpay_index = national(compound(x.raw("inflation.nonpay_inflation")))
    pay_share = x.number("baseline.pay_share")
    cost_deflator = pay_share * loaded_cost / loaded_cost[:, :1] + (1.0 - pay_share) * nonpay_index
    gdp_deflator = national(compound(x.raw("inflation.gdp_deflator")))
    use_gdp = x.number("real_terms.index")
    deflator = use_gdp * gdp_deflator + (1.0 - use_gdp) * cost_deflator
    return Prices(pay_index, loaded_cost, nonpay_index, deflator, salary, pay_share)
