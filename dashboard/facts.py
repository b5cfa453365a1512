"""What the page says about NHS England's published allowances: how they reconcile with the 30%
headline of the March 2023 instruction, and where the spread between ICBs comes from.

Every figure is worked out from the scenarios the page loads (the base's published figures,
price indices and results), so the notes cannot drift from the model; ``docs/methodology.md``
section 11 holds the same table and words, and a test checks the two agree.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from dashboard.chartdata import Spread
from model.output.results import ENGLAND_CODE
from model.provenance import Param
from model.scenario import Scenario
from model.scenario.published import read_published

TIMES = "\u00d7"
"""The multiplication sign, for ratios ('x0.8196' reads worse)."""
INSTRUCTION_CUT = 0.30
"""The March 2023 instruction's cut by 2025/26 against 2022/23, as the press reported it."""
REVISIONS = {"2025/26": ("rca_2025_26_gbp", "as first published (v1.2)", "ENIC-revised (v1.4)")}
"""Years whose published allowances were revised: the published table's column that holds them
as first published, and how each version is named (2025/26 was revised for the April 2025 rise in
employer National Insurance contributions, ENIC)."""


GAP_NOTES = (
    "A different starting year. The 30% is against 2022/23; the first published year is 2023/24, whose figures "
    "already include the POD staff budgets that joined that year and funding for the 2023/24 pay award. Both make "
    "2023/24 higher than 2022/23, so against 2022/23 the cut would look larger, not smaller.",
    "2024/25: 0.8196 of 2023/24 is 0.8 x 1.0245, a 20% cut and a 2.45% uplift, which could be pay-award funding; "
    "no source we hold says so.",
    "2025/26: before the employer National Insurance (ENIC) revision the allowances were 25.3% below 2023/24; the "
    "sources do not explain why that is above the instruction's path.",
    "The ENIC revision added 5.5% to every allowance in 2025/26. Under this model's pay share and on-costs the "
    "rise costs about 1.4% of the allowance; the sources do not explain the difference.",
)
"""What explains the gap between the published fall and the 30%, as far as the sources allow (the
bullets of docs/methodology.md section 11)."""


@dataclass(frozen=True)
class Row:
    """One row of the reconciliation: a label, England's allowance (£) and its change from the
    first published year in cash and in real terms by the scenario's deflator and by the GDP
    deflator (fractions; None where the row does not show one)."""

    label: str
    gbp: float
    cash: float | None = None
    real_cost: float | None = None
    real_gdp: float | None = None


@dataclass(frozen=True)
class Reconciliation:
    """England's published allowances against the instruction's 30%: rows in order, the first
    published year and the deflator ``real_cost`` measures against (``cost`` or ``gdp_deflator``)."""

    rows: tuple[Row, ...]
    first: str
    index: str

    def row(self, label: str) -> Row:
        return next(r for r in self.rows if r.label == label)


def reconciliation(scenario: Scenario, results, gdp_deflator: np.ndarray, root: Path) -> Reconciliation | None:
    """England's published allowances in each published year of ``scenario`` (its ``results``,
    on any footprint: England is the same), with the change from the first published year in cash
    and in real terms, and the first-published figure of a revised year where the table has it.
    ``gdp_deflator`` holds the scenario's yearly GDP deflator rates (fractions) over its horizon.
    None when the scenario uses no published figures."""
    years = scenario.published.years()
    if not years:
        return None
    england = results[results["icb_code"] == ENGLAND_CODE].set_index("year")
    labels = list(scenario.years)
    first = years[0]
    gdp_index = np.cumprod(1.0 + np.asarray(gdp_deflator, dtype=float))

    def change(year: str, gbp: float, real: bool) -> Row:
        cash = gbp / float(england.loc[first, "allowance_gbp"])
        if not real:
            return Row(year, gbp, cash - 1.0)
        cost = float(england.loc[year, "deflator"] / england.loc[first, "deflator"])
        gdp = float(gdp_index[labels.index(year)] / gdp_index[labels.index(first)])
        return Row(year, gbp, cash - 1.0, cash / cost - 1.0, cash / gdp - 1.0)

    rows = [Row(first, float(england.loc[first, "allowance_gbp"]))]
    for year in years[1:]:
        earlier = _first_published(scenario, root, year)
        label = year
        if earlier is not None:
            _, first_name, revised_name = REVISIONS[year]
            rows.append(Row(f"{year} {first_name}", earlier, earlier / rows[0].gbp - 1.0))
            label = f"{year} {revised_name}"
        rows.append(Row(label, *_fields(change(year, float(england.loc[year, "allowance_gbp"]), year == years[-1]))))
    index = str(scenario.value("real_terms.index"))
    return Reconciliation(tuple(rows), first, index)


def _fields(row: Row) -> tuple[float, float | None, float | None, float | None]:
    return row.gbp, row.cash, row.real_cost, row.real_gdp


def _first_published(scenario: Scenario, root: Path, year: str) -> float | None:
    """England's total of a year as first published (:data:`REVISIONS`), where the scenario's
    published table has that column; else None."""
    table = scenario.get("allowance.published.table")
    if year not in REVISIONS or not isinstance(table, Param) or table.value is None:
        return None
    column = REVISIONS[year][0]
    found, issues = read_published(table, {year: Param(column, table.prov)}, root, "allowance.published.table")
    if issues or not found.figures:
        return None
    return float(sum(figure.gbp for figure in found.figures.values()))


def percent(fraction: float) -> str:
    """A change as the notes write it: '-18.0%'."""
    return f"{fraction * 100:+.1f}%".replace("+", "") if fraction < 0 else f"+{fraction * 100:.1f}%"


def headline_sentence(rec: Reconciliation) -> str:
    """The reconciliation in a few sentences, for the page's notes (the wording of
    docs/methodology.md section 11)."""
    shown = [r for r in rec.rows if "first published" not in r.label]
    first, *middle, last = shown
    falls = [f"{abs(r.cash or 0) * 100:.1f}% in cash from {first.label} to {r.label}" for r in middle]
    year, _, version = last.label.partition(" ")
    version = f", {version.split(' (')[0]}," if version else ""
    real = f" ({abs(last.real_cost or 0) * 100:.1f}% in real terms)" if last.real_cost is not None else ""
    return (f"NHS England's published allowances fell {' and'.join(falls)} and{version} "
            f"{abs(last.cash or 0) * 100:.1f}% by {year}{real}, not the {INSTRUCTION_CUT * 100:.0f}% of the March "
            "2023 instruction. The instruction measured its cut against 2022/23, for which the model holds no "
            f"published allowances; the {first.label} figures already hold the POD budgets and pay-award funding "
            "that joined that year, so against 2022/23 the cut would look larger, not smaller. The sources do not "
            "explain the gap. The base takes the published figures as facts; instruction_2023 applies the "
            "instruction as written.")


def spread_sentences(spread: Spread | None, scenario: str, year: str) -> str:
    """Where the spread of allowances per head comes from, in words, for the per-head chart."""
    if spread is None:
        return ""
    text = (f"Under {scenario}, in {year} the running cost allowance per GP-registered person runs from "
            f"£{spread.low:,.2f} "
            f"({spread.low_name}) to £{spread.high:,.2f} ({spread.high_name}).")
    if spread.high - spread.low < 0.005:
        return text + " Every ICB gets the same per head here: the rules alone start every ICB from the same " \
                      "allowance per head."
    same = [(year_, low) for year_, low, high in spread.ratios if high - low < 1e-3]
    if same:
        steps = ", ".join(f"{TIMES}{low:.4f} in {year_}" for year_, low in same)
        text += (f" The spread does not come from the cuts: NHS England changed every ICB's allowance by the same "
                 f"ratio each year ({steps}), so it is the spread of the first published year, inherited from the "
                 "running-cost allowances of the clinical commissioning groups (CCGs) that ICBs replaced and from "
                 "the pharmacy, optometry and dentistry budgets that joined in 2023.")
    if spread.need_correlation is not None:
        text += (f" It follows need only loosely: across these ICBs the correlation between allowance per head and "
                 f"the need index (need-weighted over registered population) is {spread.need_correlation:.2f}.")
    return text
