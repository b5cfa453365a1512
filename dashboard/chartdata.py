"""The arithmetic behind the charts: the waterfall's steps, the ICB rankings (staff gap per 100,000
people, allowance per head) and the spread of allowances per head between ICBs."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np

from dashboard.columns import Columns
from model.output.results import ENGLAND_CODE


@dataclass(frozen=True)
class Step:
    """One bar of the waterfall: a label, £ (base-year prices) and whether it is a total."""

    label: str
    gbp: float
    total: bool = False


def waterfall_steps(rows: Columns, base_year: str, year: str) -> list[Step]:
    """From the base-year allowance to ``year``'s allowance in real terms, for one scenario and
    place (``rows`` holds its rows for every year), in £:

    base allowance + change in the core allowance (the cut, envelope and programme pay, in cash)
    + change in delegated budgets (cash) + inflation (cash minus real) = allowance in real terms.
    """
    def b(column: str) -> float:
        return float(value_in(rows, base_year, column))

    def y(column: str) -> float:
        return float(value_in(rows, year, column))

    return [
        Step(f"{base_year} allowance", b("allowance_gbp"), total=True),
        Step("Cut and envelope (core, cash)", y("core_allowance_gbp") - b("core_allowance_gbp")),
        Step("Delegated functions added (cash)", y("delegated_allowance_gbp") - b("delegated_allowance_gbp")),
        Step("Inflation: buying power lost", y("allowance_real_gbp") - y("allowance_gbp")),
        Step(f"{year} allowance, {base_year} prices", y("allowance_real_gbp"), total=True),
    ]


def value_in(rows: Columns, year: str, column: str) -> object:
    """One scenario's value of ``column`` in ``year``, from its rows for a place (one row a year),
    read by position; KeyError when the rows have no such year."""
    years = rows["year"].tolist()
    if year not in years:
        raise KeyError(year)
    return rows[column][years.index(year)]


FACT = ("published", "restated")
"""``allowance_basis`` values that are NHS England's figures (an organisation's own, or sums of them)."""


InYear = Mapping[str, Columns]
"""The compared scenarios' ICB rows in one year (England's left out), by scenario name, as
:meth:`dashboard.store.Rows.icbs_in` gives them: what the charts of every ICB rank."""

Column = Callable[[Columns], np.ndarray]
"""A value for each of a scenario's rows, worked out from its columns."""


def _ranked(in_year: InYear, names: list[str], value: Column, extra: dict[str, Column] | None = None) -> Columns:
    """A table (:class:`~dashboard.columns.Columns`) of one row per ICB of the first scenario
    present: icb_code, icb_name, region, then one column per scenario of its ``value`` and, for
    each name in ``extra``, a column ``<scenario> <name>``; sorted by the first scenario's value,
    smallest first (ties in table order). Other scenarios' values are matched by ICB code (NaN
    where a scenario lacks the ICB)."""
    present = [name for name in names if name in in_year and len(in_year[name])]
    if not present:
        return Columns.of_arrays({key: np.array([], dtype=object) for key in ("icb_code", "icb_name", "region")})
    first = in_year[present[0]]
    order = np.argsort(value(first), kind="stable")
    table_codes = first["icb_code"][order]
    position = {code: n for n, code in enumerate(table_codes.tolist())}
    columns: dict[str, np.ndarray] = {
        "icb_code": table_codes,
        "icb_name": first["icb_name"][order],
        "region": first["region"][order],
    }
    for name in present:
        rows = in_year[name]
        where = np.array([position.get(code, -1) for code in rows["icb_code"].tolist()], dtype=np.int64)
        kept = where >= 0
        for key, of in (("", value), *((f" {what}", column) for what, column in (extra or {}).items())):
            array = of(rows)
            column = np.full(len(table_codes), np.nan, dtype=float if array.dtype.kind in "fiu" else object)
            column[where[kept]] = array[kept]
            columns[f"{name}{key}"] = column
    return Columns.of_arrays(columns)


def _gap_per_100k(rows: Columns) -> np.ndarray:
    return rows["wte_gap"] / rows["population"] * 1e5


def ranking(in_year: InYear, names: list[str]) -> Columns:
    """Every ICB's WTE gap per 100k GP-registered population: columns icb_code, icb_name, region
    and one per scenario (those of ``names`` in ``in_year``), sorted by the first scenario's gap,
    largest shortfall first. ICBs follow the first scenario's table."""
    return _ranked(in_year, names, _gap_per_100k)


def rca_per_head(rows: Columns) -> np.ndarray:
    """The running cost allowance per GP-registered person (£): the allowance less programme-funded
    pay (which a scenario may count on top, as the 2025 envelope does), over the population, so
    that every scenario shows the same published figures alike."""
    programme: np.ndarray | float = 0.0
    if "programme_pay_allowance_gbp" in rows:
        programme = rows["programme_pay_allowance_gbp"]
    return (rows["allowance_gbp"] - programme) / rows["population"]


def _facts(rows: Columns) -> np.ndarray:
    """Whether each row's allowance is NHS England's figure or a sum of them (see :data:`FACT`)."""
    if "allowance_basis" not in rows:
        return np.zeros(len(rows), bool)
    return np.isin(rows["allowance_basis"], FACT)


def per_head(in_year: InYear, names: list[str]) -> Columns:
    """Every ICB's running cost allowance per GP-registered person (£, :func:`rca_per_head`),
    lowest first by the first scenario: columns icb_code, icb_name, region, then per scenario its
    £ per head, ``<scenario> need`` (the need index) and ``<scenario> fact`` (whether the allowance
    is NHS England's figure or a sum of them, rather than projected)."""
    return _ranked(in_year, names, rca_per_head, {"need": lambda rows: rows["need_index"], "fact": _facts})


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


def spread(results: Columns, name: str, year: str) -> Spread | None:
    """The :class:`Spread` of scenario ``name`` in ``year`` (None when it has no ICB rows). Rows
    come as the results table holds them: each organisation's years in order, one after another."""
    mine = results.take((results["scenario"] == name) & (results["icb_code"] != ENGLAND_CODE))
    years = list(dict.fromkeys(mine["year"].tolist()))
    if year not in years:
        return None
    shape = (-1, len(years))
    head_all = rca_per_head(mine).reshape(shape)
    at = years.index(year)
    head = head_all[:, at]
    need = mine["need_index"].reshape(shape)[:, at]
    low, high = int(np.argmin(head)), int(np.argmax(head))
    correlation = None
    if len(head) > 2 and np.ptp(head) > 1e-9 * np.abs(head).max() and np.ptp(need) > 0:
        value = float(np.corrcoef(head, need)[0, 1])
        correlation = value if math.isfinite(value) else None
    allowance = mine["allowance_gbp"].reshape(shape)
    fact = _facts(mine).reshape(shape)
    ratios = []
    for t in range(1, len(years)):
        if fact[:, t - 1].all() and fact[:, t].all():
            ratio = allowance[:, t] / allowance[:, t - 1]
            ratios.append((years[t], float(ratio.min()), float(ratio.max())))
    names = mine["icb_name"].reshape(shape)[:, at]
    return Spread(float(head[low]), str(names[low]), float(head[high]), str(names[high]), correlation, tuple(ratios))
