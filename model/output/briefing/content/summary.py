"""The summary a board reads first: the key messages, written from the numbers by
:mod:`~model.output.briefing.wording`, and the headline table."""

from __future__ import annotations

import pandas as pd

from model.output.briefing import wording
from model.output.briefing.content.blocks import Table
from model.output.briefing.content.selection import basis, number, year_row
from model.output.compare import UNIT, headline_table
from model.schema import HEADLINES

MAX_MESSAGES = 5

# ---------------------------------------------------------------------------------------------
# Key messages


def key_messages(rows: dict[str, pd.DataFrame], place_name: str, year: str) -> list[wording.Sentence]:
    """Three to five sentences from the numbers: the reference scenario's allowance and its
    real-terms change, what it pays for against the need and the gap, the posts that go and
    their cost, what is left for core functions (when there is room), and up to two other
    scenarios against the reference."""
    names = list(rows)
    ref = rows[names[0]]
    base_year = str(ref.index[0])
    at = year_row(ref, year)
    upto = ref.iloc[: list(ref.index).index(year) + 1]
    first_year = str(ref.index[1]) if len(ref.index) > 1 else base_year
    first = [
        wording.allowance(place_name, year, base_year, number(at, "allowance_gbp"), number(at, "real_change_vs_base"),
                          basis(at)),
        wording.workforce(number(at, "affordable_wte"), number(at, "required_wte"), number(at, "wte_gap"),
                          number(at, "funding_gap_gbp")),
    ]
    core = wording.core_capacity(number(at, "core_capacity_wte"), number(at, "required_core_wte"))
    posts = wording.redundancy(year, first_year, number(at, "redundancies_wte"), number(at, "redundancy_cost_gbp"),
                               float(upto["redundancies_wte"].sum()), float(upto["redundancy_cost_gbp"].sum()))
    comparisons: list[wording.Sentence] = []
    for name in names[1:]:
        other = rows[name]
        if str(other.index[0]) != base_year:
            continue
        row = year_row(other, year)
        comparisons.append(wording.comparison(name, names[0], year, base_year, number(row, "real_change_vs_base"),
                                              number(at, "real_change_vs_base"), number(row, "wte_gap"),
                                              number(at, "wte_gap")))
    caution = programme_pay_caution(rows)
    if caution and comparisons:
        comparisons[0] = wording.join(comparisons[0], caution)
    messages = [*first, posts, *comparisons[:2]]
    if len(messages) < MAX_MESSAGES:
        messages.insert(2, core)
    return messages[:MAX_MESSAGES]


def programme_pay_caution(rows: dict[str, pd.DataFrame]) -> wording.Sentence | None:
    """A warning when some scenarios count programme-funded pay in the allowance and others do not."""
    counting = [n for n, r in rows.items() if "programme_pay_allowance_gbp" in r
                and float(r["programme_pay_allowance_gbp"].iloc[0]) > 0]
    if not counting or len(counting) == len(rows):
        return None
    return wording.programme_pay_caution(counting, [n for n in rows if n not in counting])


# ---------------------------------------------------------------------------------------------
# The headline table


def headline(results: pd.DataFrame, rows: dict[str, pd.DataFrame], names: list[str], place: str,
             place_name: str, year: str, base_year: str, table_number: int) -> Table:
    """The compare table's measures for the place and year, one column per scenario, then each
    scenario's difference from the reference; a row for the basis of the allowance where the
    results say which figures are published."""
    table = headline_table(results, names, year, place)
    units = list(table[UNIT])
    body = []
    for i, spec in enumerate(HEADLINES):
        unit = units[i]
        cells = [wording.cell(float(table.iloc[i][name]), unit) for name in names]
        diffs = [wording.cell(float(table.iloc[i][f"{name} - {names[0]}"]), unit, difference=True)
                 for name in names[1:]]
        body.append((spec.label, _unit_label(unit, base_year, spec.name), *cells, *diffs))
    if any(basis(year_row(r, year)) for r in rows.values()):
        body.insert(1, ("Basis of the allowance", "", *(basis(year_row(rows[n], year)) or "projected" for n in names),
                        *("" for _ in names[1:])))
    header = ("Measure", "Unit", *names, *(f"{n} {wording.MINUS} {names[0]}" for n in names[1:]))
    notes = [f"Cash unless stated; real terms in {base_year} prices. WTE: whole-time equivalents. Negative gaps "
             "are shortfalls. Differences of percentages are in percentage points. Figures are rounded "
             "independently, so they may not add up exactly."]
    if len(body) > len(HEADLINES):
        notes.append("Basis of the allowance: published is NHS England's published figure for the organisation; "
                     "restated is summed or apportioned from published figures of other organisations; projected "
                     "is from the scenario's rules.")
    return Table(table_number, f"Headline figures for {place_name}, {year}", header, tuple(body),
                 (False, False, *(True for _ in header[2:])), tuple(notes))


def _unit_label(unit: str, base_year: str, name: str) -> str:
    if unit == "£m":
        return f"£m, {base_year} prices" if name.endswith("_real_gbp") else "£m, cash"
    return unit
