"""Headline figures for one place and year, side by side across scenarios.

Used by ``icb-model compare`` and the dashboard's headline table. Figures are for people: £m and
percentages; the machine-readable results stay in £ and fractions.
"""

from __future__ import annotations

import pandas as pd

from model.errors import InputError
from model.output.tables import cell_number
from model.schema import HEADLINES


class SelectionError(InputError):
    """The year or ICB asked for is not in the results."""


def headline_table(results: pd.DataFrame, scenarios: list[str], year: str, icb: str = "ENG") -> pd.DataFrame:
    """Headline figures, one row per measure, one column per scenario, then differences.

    The first scenario is the reference: each further scenario gets a column ``"<name> - <ref>"``
    with its difference. Percentages differ in percentage points.
    """
    chosen = results[(results["year"] == year) & (results["icb_code"] == icb)]
    if chosen.empty:
        years = sorted(results["year"].unique())
        codes = sorted(results["icb_code"].unique())
        if year not in years:
            raise SelectionError(f"year '{year}' is not in the results; choose one of {', '.join(years)}")
        footprint = ", ".join(str(label) for label in sorted(results["footprint"].unique())) \
            if "footprint" in results else ""
        on = f" (footprint {footprint})" if footprint else ""
        codes = [code for code in codes if code != "ENG"]
        raise SelectionError(f"ICB '{icb}' is not in the results{on}; choose ENG or one of {', '.join(codes)}")
    rows = chosen.set_index("scenario")
    table = pd.DataFrame(
        {name: [h.display.show(cell_number(rows.loc[name, h.name])) for h in HEADLINES] for name in scenarios},
        index=pd.Index([h.label for h in HEADLINES], name="measure"),
    )
    table.insert(0, "unit", [h.display.unit for h in HEADLINES])
    reference = scenarios[0]
    for name in scenarios[1:]:
        table[f"{name} - {reference}"] = table[name] - table[reference]
    return table
