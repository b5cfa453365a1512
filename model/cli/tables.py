"""Plain-text tables for the terminal: the compare table, tornado, grid and Monte Carlo
summaries. Figures are shown in each column's display unit (model/schema/units.yaml) with one
more decimal place than the dashboard, for analysts comparing close figures."""

from __future__ import annotations

import pandas as pd

from model.analysis.sensitivity import show_setting
from model.output.tables import cell_number
from model.scenario.yamlio import printable
from model.schema import column


def unit_of(metric: str) -> str:
    """The unit people see for a metric ('£m', '%', 'WTE'...): its column's display unit."""
    return column(metric).display.unit


def show_metric(metric: str, value: float) -> str:
    """A metric's value for people, in its display unit: £m to 2 places, % to 2, WTE to 1."""
    display = column(metric).display
    places = display.decimals + 1
    return f"{round(display.show(value), places) + 0.0:,.{places}f}"


def text_table(title: str, header: list[str], rows: list[list[str]], left: int) -> str:
    """Columns padded to their widest cell; the first ``left`` columns left-aligned. Cells are
    shown on one line with control characters escaped (a name from a file cannot break the table)."""
    header, rows = [printable(str(c)) for c in header], [[printable(str(c)) for c in r] for r in rows]
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]

    def line(cells: list[str]) -> str:
        return "  ".join(str(c).ljust(w) if i < left else str(c).rjust(w)
                         for i, (c, w) in enumerate(zip(cells, widths, strict=True)))

    return "\n".join([title, "", line(header), "  ".join("-" * w for w in widths), *(line(r) for r in rows)])


def format_tornado(table: pd.DataFrame, metric: str, title: str) -> str:
    """The tornado as a plain-text table for the terminal."""
    unit = unit_of(metric)
    header = ["rank", "parameter", "role", "mode", "low", "high", f"at low ({unit})", f"at high ({unit})",
              f"swing ({unit})"]
    rows = [
        [str(r.rank), str(r.parameter) + (f" from {r.from_year}" if getattr(r, "from_year", "") else ""),
         str(r.role), str(r.mode), show_setting(r.low), show_setting(r.high),
         show_metric(metric, cell_number(r.metric_low)), show_metric(metric, cell_number(r.metric_high)),
         show_metric(metric, cell_number(r.swing))]
        for r in table.itertuples()
    ]
    base = show_metric(metric, float(table["metric_base"].iloc[0])) if len(table) else "n/a"
    return text_table(f"{title}\nbase: {base} {unit}", header, rows, left=3)


def format_grid(table: pd.DataFrame, metric: str, title: str) -> str:
    """The grid as a plain-text table for the terminal."""
    header = [str(table.index.name), *map(str, table.columns)]
    rows = [[label, *(show_metric(metric, v) for v in row)]
            for label, row in zip(table.index, table.to_numpy(), strict=True)]
    return text_table(f"{title} ({unit_of(metric)})", header, rows, left=1)


def format_compare(table: pd.DataFrame, title: str) -> str:
    """The compare table (model.output.compare.headline_table) with thousands separators and one
    decimal place."""
    header = ["measure", *map(str, table.columns)]
    body = [[str(label), *(v if isinstance(v, str) else f"{v:,.1f}" for v in row)]
            for label, row in zip(table.index, table.itertuples(index=False), strict=True)]
    return text_table(title, header, body, left=1)
