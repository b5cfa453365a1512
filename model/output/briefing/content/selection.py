"""Choosing what a briefing is about: the place's rows of each scenario and the year."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from model.output.compare import SelectionError
from model.output.tables import cell_number

ENGLAND = "ENG"
PREFERRED_YEAR = "2026/27"
"""The year a briefing shows unless told otherwise (the last year of the horizon when it is not in it)."""


def choose_year(results: pd.DataFrame, names: Sequence[str], year: str | None = None) -> str:
    """``year`` if every scenario has it, else an error; without one, 2026/27 if every scenario
    has it, else the last year they all have."""
    common = _common_years(results, names)
    if year is not None:
        if year not in common:
            raise SelectionError(f"year '{year}' is not in the results of every scenario; choose one of "
                                 f"{', '.join(common)}")
        return year
    if not common:
        raise SelectionError("the scenarios share no year")
    return PREFERRED_YEAR if PREFERRED_YEAR in common else common[-1]


def _common_years(results: pd.DataFrame, names: Sequence[str]) -> list[str]:
    years: list[str] | None = None
    for name in names:
        own = list(dict.fromkeys(results.loc[results["scenario"] == name, "year"]))
        years = own if years is None else [y for y in years if y in own]
    return years or []


def place_rows(results: pd.DataFrame, names: Sequence[str], place: str) -> dict[str, pd.DataFrame]:
    """Each scenario's rows for ``place`` indexed by year, in horizon order; an error naming the
    choices when a scenario lacks the place."""
    chosen = results[results["icb_code"] == place]
    out = {}
    for name in names:
        rows = chosen[chosen["scenario"] == name]
        if rows.empty:
            if not (results["scenario"] == name).any():
                raise SelectionError(f"scenario '{name}' is not in the results")
            codes = sorted(set(results.loc[results["scenario"] == name, "icb_code"]) - {ENGLAND})
            raise SelectionError(f"ICB '{place}' is not in the results of {name}; choose ENG or one of "
                                 f"{', '.join(codes)}")
        out[name] = rows.set_index("year")
    return out


def year_row(rows: pd.DataFrame, year: str) -> pd.Series:
    """A scenario's row for ``year`` from :func:`place_rows` (indexed by year, one row a year)."""
    row = rows.loc[year]
    if not isinstance(row, pd.Series):
        raise TypeError(f"expected one row for {year}, got {len(row)}")
    return row


def number(row: pd.Series, column: str) -> float:
    """A figure of a results row, as a float."""
    return cell_number(row[column])


def basis(row: pd.Series) -> str | None:
    """The row's ``allowance_basis`` (published, restated or projected), or None where the results have none."""
    value = row.get("allowance_basis")
    return value if isinstance(value, str) and value else None
