"""Headline figures for one place and year, side by side across scenarios.

Used by ``icb-model compare`` and the dashboard's headline table. Figures are for people: £m and
percentages; the machine-readable results stay in £ and fractions.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from model.errors import InputError
from model.output.tables import cell_number
from model.schema import HEADLINES


class SelectionError(InputError):
    """The year or ICB asked for is not in the results."""


UNIT = "unit"
"""The headline table's column of display units (so no scenario in it may have this name)."""


def headline_table(results: pd.DataFrame, scenarios: list[str], year: str, icb: str = "ENG") -> pd.DataFrame:
    """Headline figures, one row per measure, one column per scenario, then differences.

    The first scenario is the reference: each further scenario gets a column ``"<name> - <ref>"``
    with its difference. Percentages differ in percentage points. Raises SelectionError naming
    the scenario that lacks the year or place, and the years or places every scenario has.
    """
    chosen = results[(results["year"].to_numpy() == year) & (results["icb_code"].to_numpy() == icb)]
    row_of = {name: n for n, name in enumerate(chosen["scenario"].tolist())}  # one row per scenario
    if len(set(scenarios)) != len(scenarios) or not set(scenarios) <= set(row_of) or UNIT in scenarios:
        _check_selection(results, scenarios, year, icb)  # says what is missing, and where
    values = {h.name: chosen[h.name].to_numpy() for h in HEADLINES}
    return headline_of({name: {h.name: values[h.name][row_of[name]] for h in HEADLINES} for name in scenarios},
                       scenarios)


def headline_of(figures: Mapping[str, Mapping[str, object]], scenarios: list[str]) -> pd.DataFrame:
    """:func:`headline_table` of figures already chosen: each scenario's value of every
    :data:`~model.schema.HEADLINES` column (£, fractions, WTE as in the results) for one place
    and year, by scenario name. ``scenarios`` must be distinct and none named :data:`UNIT`
    (:func:`headline_table` checks that)."""
    shown = {name: np.array([h.display.show(cell_number(figures[name][h.name])) for h in HEADLINES])
             for name in scenarios}
    reference = scenarios[0]
    columns = {UNIT: [h.display.unit for h in HEADLINES], **shown,
               **{f"{name} - {reference}": shown[name] - shown[reference] for name in scenarios[1:]}}
    return pd.DataFrame(columns, index=pd.Index([h.label for h in HEADLINES], name="measure"))


def _check_selection(results: pd.DataFrame, scenarios: list[str], year: str, icb: str) -> None:
    """SelectionError unless every scenario's results have ``year`` and the place ``icb``."""
    if UNIT in scenarios:
        raise SelectionError(f"a scenario named '{UNIT}' cannot be compared: the table's column of units has that "
                             "name. Give the scenario another `name:`")
    twice = sorted({name for name in scenarios if scenarios.count(name) > 1})
    if twice:
        raise SelectionError(f"scenario {', '.join(twice)} is named twice; name each scenario once")
    years, places = _per_scenario(results, scenarios)
    for name in scenarios:
        if year not in years[name]:
            shared = [y for y in years[scenarios[0]] if all(y in years[other] for other in scenarios)]
            where = "the results" if len(scenarios) == 1 else f"the results of {name}"
            choose = f"choose one of {_span(shared)}" if shared else "the scenarios share no year"
            raise SelectionError(f"year '{year}' is not in {where} ({_span(years[name])}); {choose}")
    for name in scenarios:
        if icb != "ENG" and icb not in places[name]:
            shared = [c for c in places[scenarios[0]] if all(c in places[other] for other in scenarios)]
            where = "the results" if len(scenarios) == 1 else f"the results of {name}"
            footprint = ", ".join(str(label) for label in sorted(results["footprint"].unique())) \
                if "footprint" in results else ""
            on = f" (footprint {footprint})" if footprint else ""
            raise SelectionError(f"ICB '{icb}' is not in {where}{on}; choose ENG or one of {', '.join(shared)}")


def _per_scenario(results: pd.DataFrame, scenarios: list[str]) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """Each scenario's years (in order) and ICB codes (England left out)."""
    years, places = {}, {}
    for name in scenarios:
        rows = results[results["scenario"] == name]
        years[name] = list(dict.fromkeys(rows["year"]))
        places[name] = sorted(set(rows["icb_code"]) - {"ENG"})
    return years, places


def _span(years: list[str]) -> str:
    """'2023/24 to 2031/32' (or the one year, or 'no year')."""
    return "no year" if not years else years[0] if len(years) == 1 else f"{years[0]} to {years[-1]}"


def differences(results: pd.DataFrame, scenarios: list[str]) -> list[str]:
    """What only some of the scenarios have, in words: years outside another's horizon and ICBs
    another does not run (so England's totals sum different ICBs). Empty when they match."""
    years, places = _per_scenario(results, scenarios)
    notes = []
    if any(years[name] != years[scenarios[0]] for name in scenarios):
        notes.append("the horizons differ: " + "; ".join(f"{name} runs {_span(years[name])}" for name in scenarios)
                     + ". Only years every scenario has can be compared.")
    every = set.intersection(*(set(places[name]) for name in scenarios))
    for name in scenarios:
        only = [code for code in places[name] if code not in every]
        if only:
            shown = ", ".join(only[:12]) + (f" and {len(only) - 12} more" if len(only) > 12 else "")
            notes.append(f"{name} runs {len(only)} ICB(s) not every scenario runs ({shown}), so England's figures "
                         "add up different ICBs.")
    return notes
