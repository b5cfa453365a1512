"""The arithmetic behind the charts: the waterfall's steps, the ICB rankings (staff gap per 100,000
people, allowance per head) and the spread of allowances per head between ICBs."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from model.output.results import ENGLAND_CODE


@dataclass(frozen=True)
class Step:
    """One bar of the waterfall: a label, £ (base-year prices) and whether it is a total."""

    label: str
    gbp: float
    total: bool = False


def waterfall_steps(rows: pd.DataFrame, base_year: str, year: str) -> list[Step]:
    """From the base-year allowance to ``year``'s allowance in real terms, for one scenario and
    place (``rows`` holds its rows for every year), in £:

    base allowance + change in the core allowance (the cut, envelope and programme pay, in cash)
    + change in delegated budgets (cash) + inflation (cash minus real) = allowance in real terms.
    """
    years = rows["year"].tolist()
    for label in (base_year, year):
        if label not in years:
            raise KeyError(label)
    columns = {c: rows[c].to_numpy() for c in ("allowance_gbp", "core_allowance_gbp", "delegated_allowance_gbp",
                                                "allowance_real_gbp")}

    def b(column: str) -> float:
        return float(columns[column][years.index(base_year)])

    def y(column: str) -> float:
        return float(columns[column][years.index(year)])

    return [
        Step(f"{base_year} allowance", b("allowance_gbp"), total=True),
        Step("Cut and envelope (core, cash)", y("core_allowance_gbp") - b("core_allowance_gbp")),
        Step("Delegated functions added (cash)", y("delegated_allowance_gbp") - b("delegated_allowance_gbp")),
        Step("Inflation: buying power lost", y("allowance_real_gbp") - y("allowance_gbp")),
        Step(f"{year} allowance, {base_year} prices", y("allowance_real_gbp"), total=True),
    ]


def value_in(rows: pd.DataFrame, year: str, column: str) -> object:
    """One scenario's value of ``column`` in ``year``, from its rows for a place (one row a year),
    read by position; KeyError when the rows have no such year."""
    years = rows["year"].tolist()
    if year not in years:
        raise KeyError(year)
    return rows[column].to_numpy()[years.index(year)]


FACT = ("published", "restated")
"""``allowance_basis`` values that are NHS England's figures (an organisation's own, or sums of them)."""


def _ranked(rows: pd.DataFrame, names: list[str], values: np.ndarray,
            extra: dict[str, np.ndarray] | None = None) -> pd.DataFrame:
    """One row per ICB of the first scenario present (icb_code, icb_name, region, then one
    column per scenario of ``values`` and, for each name in ``extra``, a column ``<scenario>
    <name>``), sorted by the first scenario's value, smallest first (ties in table order). Other
    scenarios' values are matched by ICB code (NaN where a scenario lacks the ICB)."""
    scenario = rows["scenario"].to_numpy()
    codes = rows["icb_code"].to_numpy()
    present = [name for name in names if (scenario == name).any()]
    if not present:
        return pd.DataFrame(columns=["icb_code", "icb_name", "region"])
    first = scenario == present[0]
    order = np.argsort(values[first], kind="stable")
    table_codes = codes[first][order]
    position = {code: n for n, code in enumerate(table_codes.tolist())}
    columns: dict[str, np.ndarray] = {
        "icb_code": table_codes,
        "icb_name": rows["icb_name"].to_numpy()[first][order],
        "region": rows["region"].to_numpy()[first][order],
    }
    for name in present:
        mask = scenario == name
        where = np.array([position.get(code, -1) for code in codes[mask].tolist()], dtype=np.int64)
        kept = where >= 0
        for key, array in (("", values), *((f" {what}", data) for what, data in (extra or {}).items())):
            column = np.full(len(table_codes), np.nan, dtype=float if array.dtype.kind in "fiu" else object)
            column[where[kept]] = array[mask][kept]
            columns[f"{name}{key}"] = column
    return pd.DataFrame(columns)


def _icb_rows(results: pd.DataFrame, year: str) -> pd.DataFrame:
    return results[(results["year"].to_numpy() == year) & (results["icb_code"].to_numpy() != ENGLAND_CODE)]


def ranking(results: pd.DataFrame, names: list[str], year: str) -> pd.DataFrame:
    """Every ICB's WTE gap per 100k GP-registered population in ``year``: columns icb_code,
    icb_name, region and one per scenario (those of ``names`` in the results), sorted by the first
    scenario's gap, largest shortfall first. ICBs follow the first scenario's table."""
    rows = _icb_rows(results, year)
    return _ranked(rows, names, rows["wte_gap"].to_numpy() / rows["population"].to_numpy() * 1e5)


def rca_per_head(rows: pd.DataFrame) -> np.ndarray:
    """The running cost allowance per GP-registered person (£): the allowance less programme-funded
    pay (which a scenario may count on top, as the 2025 envelope does), over the population, so
    that every scenario shows the same published figures alike."""
    programme = rows["programme_pay_allowance_gbp"].to_numpy() if "programme_pay_allowance_gbp" in rows else 0.0
    return (rows["allowance_gbp"].to_numpy() - programme) / rows["population"].to_numpy()


def per_head(results: pd.DataFrame, names: list[str], year: str) -> pd.DataFrame:
    """Every ICB's running cost allowance per GP-registered person (£, :func:`rca_per_head`) in
    ``year``, lowest first by the first scenario: columns icb_code, icb_name, region, then per
    scenario its £ per head, ``<scenario> need`` (the need index) and ``<scenario> fact``
    (whether the allowance is NHS England's figure or a sum of them, rather than projected)."""
    rows = _icb_rows(results, year)
    fact = rows["allowance_basis"].isin(FACT).to_numpy() if "allowance_basis" in rows else np.zeros(len(rows), bool)
    return _ranked(rows, names, rca_per_head(rows), {"need": rows["need_index"].to_numpy(), "fact": fact})


@dataclass(frozen=True)
class Spread:
    """How far running cost allowances per head differ between ICBs in a year, for one scenario:
    the lowest and highest (£ per GP-registered person, :func:`rca_per_head`, with the ICBs'
    names), the correlation of allowance per head with the need index across ICBs (None where it
    cannot be worked out), and, for each
    year in which every ICB's allowance and the year before's are NHS England's figures, the
    smallest and largest ratio of an ICB's allowance to the year before's."""

    low: float
    low_name: str
    high: float
    high_name: str
    need_correlation: float | None
    ratios: tuple[tuple[str, float, float], ...]


def spread(results: pd.DataFrame, name: str, year: str) -> Spread | None:
    """The :class:`Spread` of scenario ``name`` in ``year`` (None when it has no ICB rows). Rows
    come as the results table holds them: each organisation's years in order, one after another."""
    mine = results[(results["scenario"].to_numpy() == name) & (results["icb_code"].to_numpy() != ENGLAND_CODE)]
    years = list(dict.fromkeys(mine["year"]))
    if year not in years:
        return None
    shape = (-1, len(years))
    head_all = rca_per_head(mine).reshape(shape)
    at = years.index(year)
    head = head_all[:, at]
    need = mine["need_index"].to_numpy().reshape(shape)[:, at]
    low, high = int(np.argmin(head)), int(np.argmax(head))
    correlation = None
    if len(head) > 2 and np.ptp(head) > 1e-9 * np.abs(head).max() and np.ptp(need) > 0:
        value = float(np.corrcoef(head, need)[0, 1])
        correlation = value if math.isfinite(value) else None
    allowance = mine["allowance_gbp"].to_numpy().reshape(shape)
    fact = mine["allowance_basis"].isin(FACT).to_numpy().reshape(shape) if "allowance_basis" in mine \
        else np.zeros(allowance.shape, dtype=bool)
    ratios = []
    for t in range(1, len(years)):
        if fact[:, t - 1].all() and fact[:, t].all():
            ratio = allowance[:, t] / allowance[:, t - 1]
            ratios.append((years[t], float(ratio.min()), float(ratio.max())))
    names = mine["icb_name"].to_numpy().reshape(shape)[:, at]
    return Spread(float(head[low]), str(names[low]), float(head[high]), str(names[high]), correlation, tuple(ratios))
