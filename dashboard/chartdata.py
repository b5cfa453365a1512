"""The arithmetic behind two of the charts: the waterfall's steps and the ICB ranking."""

from __future__ import annotations

from dataclasses import dataclass

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
    by_year = rows.set_index("year")
    b, y = by_year.loc[base_year], by_year.loc[year]
    return [
        Step(f"{base_year} allowance", float(b["allowance_gbp"]), total=True),
        Step("Cut and envelope (core, cash)", float(y["core_allowance_gbp"] - b["core_allowance_gbp"])),
        Step("Delegated functions added (cash)",
             float(y["delegated_allowance_gbp"] - b["delegated_allowance_gbp"])),
        Step("Inflation: buying power lost", float(y["allowance_real_gbp"] - y["allowance_gbp"])),
        Step(f"{year} allowance, {base_year} prices", float(y["allowance_real_gbp"]), total=True),
    ]


def ranking(results: pd.DataFrame, names: list[str], year: str) -> pd.DataFrame:
    """Every ICB's WTE gap per 100k GP-registered population in ``year``: columns icb_code,
    icb_name, region and one per scenario (those of ``names`` in the results), sorted by the first
    scenario's gap, largest shortfall first. ICBs follow the first scenario's table."""
    rows = results[(results["year"] == year) & (results["icb_code"] != ENGLAND_CODE)]
    gap = rows["wte_gap"].to_numpy() / rows["population"].to_numpy() * 1e5
    scenario = rows["scenario"].to_numpy()
    codes = rows["icb_code"].to_numpy()
    table: pd.DataFrame | None = None
    columns: dict[str, pd.Series] = {}
    for name in names:
        mask = scenario == name
        if not mask.any():
            continue
        if table is None:
            table = rows.loc[mask, ["icb_code", "icb_name", "region"]].set_index("icb_code", drop=False)
        columns[name] = pd.Series(gap[mask], index=codes[mask])
    if table is None:
        return pd.DataFrame(columns=["icb_code", "icb_name", "region"])
    table = pd.concat([table, pd.DataFrame(columns, index=table.index)], axis=1)
    first = next(iter(columns))
    return table.sort_values(first, kind="stable").reset_index(drop=True)
