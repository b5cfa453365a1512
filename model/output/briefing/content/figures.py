"""The three figures: the allowance, the workforce and the waterfall, each drawn by
:mod:`~model.output.briefing.charts` with its caption and alt text written from the numbers."""

from __future__ import annotations

import pandas as pd

from model.output.briefing import wording
from model.output.briefing.content.blocks import Figure
from model.output.briefing.content.selection import basis, number, year_row

WATERFALL_LABELS = ("Cut and envelope (core, cash)", "Delegated functions added (cash)",
                    "Inflation: buying power lost")


def waterfall_steps(rows: pd.DataFrame, base_year: str, year: str) -> list[tuple[str, float, bool]]:
    """(label, £, total?) from the base-year allowance to ``year``'s in base-year prices: the base
    allowance, the change in the core allowance (cash), the change in delegated budgets (cash),
    inflation (cash minus real) and the allowance in real terms. The changes add up to the last."""
    b, y = year_row(rows, base_year), year_row(rows, year)
    return [
        (f"{base_year} allowance", number(b, "allowance_gbp"), True),
        (WATERFALL_LABELS[0], number(y, "core_allowance_gbp") - number(b, "core_allowance_gbp"), False),
        (WATERFALL_LABELS[1], number(y, "delegated_allowance_gbp") - number(b, "delegated_allowance_gbp"), False),
        (WATERFALL_LABELS[2], number(y, "allowance_real_gbp") - number(y, "allowance_gbp"), False),
        (f"{year} allowance, {base_year} prices", number(y, "allowance_real_gbp"), True),
    ]


def figures(rows: dict[str, pd.DataFrame], place_name: str, year: str, base_year: str) -> list[Figure]:
    """Figure 1, the allowance; 2, the workforce; 3, the waterfall; each with its caption and alt text."""
    from model.output.briefing import charts

    names = list(rows)
    years = [y for y in rows[names[0]].index if all(y in r.index for r in rows.values())]

    def lines(column: str, scale: float = 1.0, published: bool = False) -> list[charts.Line]:
        out: list[charts.Line] = []
        for name, r in rows.items():
            r = r.loc[years]
            marks = [(basis(row) == "published") for _, row in r.iterrows()] if published else []
            out.append(charts.Line(name, years, list(r[column].to_numpy(dtype=float) / scale), marks))
        return out

    first, last = years[0], years[-1]
    at_last = {name: year_row(r, last) for name, r in rows.items()}
    at_year = {name: year_row(r, year) for name, r in rows.items()}
    ref_last, ref_year = at_last[names[0]], at_year[names[0]]
    cash = lines("allowance_gbp", 1e6, published=True)
    any_published = any(any(line.published) for line in cash)
    alt1 = wording.allowance_chart_alt(
        place_name, first, last, names[0], number(year_row(rows[names[0]], first), "allowance_gbp"),
        number(ref_last, "allowance_gbp"), number(ref_last, "allowance_real_gbp"),
        [(n, number(at_last[n], "allowance_gbp"), number(at_last[n], "allowance_real_gbp")) for n in names[1:]])
    fig1 = Figure(1, f"The allowance for {place_name} by year, in cash and in {base_year} prices (£m). The dotted "
                     f"line marks {year}." + (" Circled points are NHS England's published figures."
                                              if any_published else ""), alt1.text,
                  charts.allowance_chart(cash, lines("allowance_real_gbp", 1e6), base_year, year))
    alt2 = wording.workforce_chart_alt(
        place_name, first, last, year, names[0], number(ref_year, "affordable_wte"), number(ref_year, "required_wte"),
        [(n, number(at_year[n], "affordable_wte"), number(at_year[n], "required_wte")) for n in names[1:]])
    fig2 = Figure(2, f"Staff the allowance pays for (solid lines) against the staff core and delegated functions "
                     f"need (dashed lines), {place_name}, whole-time equivalents (WTE).", alt2.text,
                  charts.workforce_chart(lines("affordable_wte"), lines("required_wte"), year))
    steps = {name: waterfall_steps(r, base_year, year) for name, r in rows.items() if base_year in r.index}
    ref_steps = steps[names[0]]
    alt3 = wording.waterfall_chart_alt(place_name, base_year, year, names[0], *(value for _, value, _ in ref_steps))
    fig3 = Figure(3, f"From the {base_year} allowance to the {year} allowance in {base_year} prices (£m), "
                     f"{place_name}: the change in the core allowance, the budgets delegated functions brought, and "
                     "the buying power lost to inflation. Hatched bars take money away.", alt3.text,
                  charts.waterfall_chart([(name, [charts.Step(label, value / 1e6, total)
                                                  for label, value, total in s]) for name, s in steps.items()],
                                         base_year))
    return [fig1, fig2, fig3]
