"""The dashboard's charts, each comparing the chosen scenarios. Inputs are results rows in the
SPEC section 6 format (£, fractions); the charts show £m, percentages and WTE.

Figures are plain Plotly figure dicts (``{"data": [...], "layout": {...}}``), which ``dcc.Graph``
takes as they are: building ``plotly.graph_objects`` validates every property and costs more
than the model run itself on every slider move. The tests validate each figure against Plotly's
schema instead (``plotly.graph_objects.Figure(figure)``).

Every figure carries a footer naming the model version and each scenario's content hash, so a
screenshot can be traced to its inputs. Markers are solid where the allowance is NHS England's
published figure (or a sum of them) and open where it is projected; a dotted line marks each year
the organisations changed.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from dashboard import places
from dashboard.chartdata import FACT, InYear, per_head, ranking, waterfall_steps
from dashboard.columns import Columns
from dashboard.controls import CUSTOM

if TYPE_CHECKING:
    from dashboard.store import Rows

PALETTE = ("#0072B2", "#B26B00", "#009E73", "#B0487F", "#2C88C8", "#D55E00", "#7F3C8D", "#8C8C8C")
"""Okabe-Ito colours (safe for colour-blind readers; orange, pink and sky blue darkened) then two
more: each at least 3:1 against the white chart (WCAG 1.4.11)."""
CUSTOM_COLOUR = "#1a1a1a"
LOOKS = {
    PALETTE[0]: ("solid", "circle"), PALETTE[1]: ("dash", "diamond"), PALETTE[2]: ("dashdot", "square"),
    PALETTE[3]: ("dot", "triangle-up"), PALETTE[4]: ("longdashdot", "triangle-down"),
    PALETTE[5]: ("dash", "pentagon"), PALETTE[6]: ("dashdot", "hexagon"), PALETTE[7]: ("dot", "cross"),
    CUSTOM_COLOUR: ("longdash", "star"),
}
"""Each scenario's colour comes with its own line dash and marker, so colour is never the only
thing that tells scenarios apart (WCAG 1.4.1)."""
AXIS_LINE = "#767676"
"""Axis and zero lines: 4.5:1 against white."""
Mark = tuple[str, str]
"""A year the organisations changed and what to write beside its line: ('2026/27', '36 ICBs from April 2026')."""
BASIS_WORDS = {"published": "published", "restated": "restated from published figures", "projected": "projected"}
FONT = "Liberation Sans, Arial, Helvetica, sans-serif"


def colours(keys: list[str], shipped: list[str]) -> dict[str, str]:
    """A fixed colour per scenario: shipped scenarios by their order, custom near-black, uploads after."""
    out = {}
    extra = iter(PALETTE[len(shipped):] + PALETTE)
    for key in keys:
        if key == CUSTOM:
            out[key] = CUSTOM_COLOUR
        elif key in shipped:
            out[key] = PALETTE[shipped.index(key) % len(PALETTE)]
        else:
            out[key] = next(extra)
    return out


def dash(colour: str) -> str:
    """The line dash that goes with a scenario's colour (:data:`LOOKS`)."""
    return LOOKS.get(colour, ("solid", "circle"))[0]


def symbol(colour: str) -> str:
    """The marker that goes with a scenario's colour (:data:`LOOKS`)."""
    return LOOKS.get(colour, ("solid", "circle"))[1]


def tint(colour: str, share: float = 0.6) -> str:
    """``colour`` (#rrggbb) mixed with white, ``share`` of the way: used for bars that take money away."""
    rgb = [int(colour[i:i + 2], 16) for i in (1, 3, 5)]
    return "#" + "".join(f"{round(c + (255 - c) * share):02x}" for c in rgb)


def _base_layout(height: int, footer: str, **extra: object) -> dict:
    layout = {
        "height": height,
        "margin": {"l": 70, "r": 20, "t": 40, "b": 90},
        "font": {"family": FONT, "size": 13, "color": "#222"},
        "paper_bgcolor": "white",
        "plot_bgcolor": "white",
        "legend": {"orientation": "h", "y": 1.02, "yanchor": "bottom", "x": 0, "xanchor": "left"},
        "hovermode": "x unified",
        "annotations": [_footer(footer)],
    }
    layout.update(extra)
    return layout


def footer_lines(text: str, width: int = 150) -> str:
    """A long footer broken into lines at '; ' so it fits under a chart."""
    lines, line = [], ""
    for part in text.split("; "):
        if line and len(line) + 2 + len(part) > width:
            lines.append(line + ";")
            line = part
        else:
            line = f"{line}; {part}" if line else part
    return "<br>".join([*lines, line])


def _footer(text: str) -> dict:
    return {"text": footer_lines(text), "xref": "paper", "yref": "paper", "x": 0, "y": 0, "yshift": -78,
            "xanchor": "left",
            "yanchor": "bottom", "align": "left", "showarrow": False, "font": {"size": 10, "color": "#666"}}


def _axis(title: str = "", **extra: object) -> dict:
    axis = {"title": {"text": title}, "gridcolor": "#e6e6e6", "zerolinecolor": AXIS_LINE, "linecolor": AXIS_LINE,
            "showline": True, "automargin": True}
    axis.update(extra)
    return axis


Place = dict[str, Columns]
"""One place's results by scenario name: each scenario's rows for that ICB (or England), by year."""


def place_rows(parts: Sequence[tuple[str, Rows]], icb: str) -> Place:
    """Each compared scenario's rows for ``icb`` (``parts``: scenario names and their results, as
    :meth:`dashboard.store.ScenarioStore.compared_rows` gives them), in that order; scenarios
    without the place are left out."""
    return {name: place for name, rows in parts if len(place := rows.place(icb))}


def _series(place: Place, name: str, column: str, scale: float = 1.0) -> tuple[list, list]:
    rows = place[name]
    return rows["year"].tolist(), (rows[column] / scale).tolist()


def _figure(data: list, layout: dict) -> dict:
    return {"data": data, "layout": layout}


def _symbols(rows: Columns, symbol: str = "circle") -> list[str]:
    """A solid marker where the allowance is NHS England's figure (or a sum of them), else open."""
    if "allowance_basis" not in rows:
        return [symbol] * len(rows)
    return [symbol if basis in FACT else f"{symbol}-open" for basis in rows["allowance_basis"].tolist()]


def _basis_words(rows: Columns) -> list[str]:
    if "allowance_basis" not in rows:
        return [""] * len(rows)
    return [BASIS_WORDS.get(basis, basis) for basis in rows["allowance_basis"].tolist()]


def change_lines(marks: list[Mark], years: list[str], axes: tuple[str, ...] = ("",)) -> tuple[list, list]:
    """Shapes and labels for the years the organisations changed: a dotted line just before each
    such year, on each x axis of ``axes`` ("" for x, "2" for x2), labelled at the top."""
    shapes, notes = [], []
    for year, text in marks:
        if year not in years:
            continue
        position = years.index(year) - 0.5
        for axis in axes:
            shapes.append({"type": "line", "xref": f"x{axis}", "yref": "paper", "x0": position, "x1": position,
                           "y0": 0, "y1": 1, "line": {"color": "#8a6d00", "width": 1.5, "dash": "dot"}})
            notes.append({"text": text, "xref": f"x{axis}", "yref": "paper", "x": position, "y": 1.0,
                          "xanchor": "left", "yanchor": "top", "showarrow": False, "xshift": 3,
                          "font": {"size": 11, "color": "#6b5500"}, "bgcolor": "rgba(255,255,255,0.8)"})
    return shapes, notes


def _years(place: Place) -> list[str]:
    return next(iter(place.values()))["year"].tolist() if place else []


def allowance_figure(place: Place, colour: dict[str, str], base_year: str, footer: str,
                     marks: list[Mark] | None = None) -> dict:
    """Allowance by year: cash on the left, real terms (base-year prices) on the right, in £m;
    solid markers where the allowance is published (or a sum of published figures), open where
    projected, and a dotted line where the organisations changed."""
    traces = []
    for name in place:
        rows = place[name]
        symbols, words = _symbols(rows, symbol(colour[name])), _basis_words(rows)
        for column, axis, show in (("allowance_gbp", "", True), ("allowance_real_gbp", "2", False)):
            x, y = _series(place, name, column, 1e6)
            traces.append(dict(
                type="scatter", x=x, y=y, name=name, legendgroup=name, showlegend=show, mode="lines+markers",
                line={"color": colour[name], "width": 3 if name == CUSTOM else 2,
                      "dash": dash(colour[name])}, xaxis=f"x{axis}", yaxis=f"y{axis}",
                marker={"symbol": symbols, "size": 9, "line": {"width": 2, "color": colour[name]}},
                customdata=words,
                hovertemplate=f"{name}: £%{{y:,.1f}}m (%{{customdata}})<extra></extra>",
            ))
    shapes, notes = change_lines(marks or [], _years(place), ("", "2"))
    layout = _base_layout(
        400, footer, shapes=shapes,
        xaxis=_axis(domain=[0, 0.43], type="category"),
        xaxis2=_axis(domain=[0.57, 1], type="category"),
        yaxis=_axis("£m, cash", rangemode="tozero", tickformat=",.0f"),
        yaxis2=_axis(f"£m, {base_year} prices", anchor="x2", rangemode="tozero", tickformat=",.0f"),
    )
    layout["margin"]["t"] = 110
    layout["legend"]["y"] = 1.12
    layout["annotations"] = layout["annotations"] + notes + [
        _panel_title("In cash", 0.0), _panel_title(f"In real terms ({base_year} prices)", 0.57),
        {"text": "● published (or a sum of published figures)   ○ projected", "xref": "paper", "yref": "paper",
         "x": 0, "y": 1.28, "xanchor": "left", "yanchor": "bottom", "showarrow": False,
         "font": {"size": 11, "color": "#444"}}]
    return _figure(traces, layout)


def _panel_title(text: str, x: float) -> dict:
    return {"text": f"<b>{text}</b>", "xref": "paper", "yref": "paper", "x": x, "y": 1.0, "xanchor": "left",
            "yanchor": "bottom", "showarrow": False, "font": {"size": 13}}


def workforce_figure(place: Place, colour: dict[str, str], footer: str, marks: list[Mark] | None = None) -> dict:
    """Affordable WTE (thick line, filled markers) against required WTE (thin line, open markers),
    by year, each scenario in its colour, dash and marker; a dotted line where the organisations
    changed."""
    traces = []
    for name in place:
        for column, needs, what in (("affordable_wte", False, "can afford"), ("required_wte", True, "needs")):
            x, y = _series(place, name, column)
            width = (3 if name == CUSTOM else 2.5) if not needs else 1.5
            traces.append(dict(
                type="scatter", x=x, y=y, name=f"{name}: {what}", legendgroup=name, mode="lines+markers",
                line={"color": colour[name], "dash": dash(colour[name]), "width": width},
                marker={"symbol": symbol(colour[name]) + ("-open" if needs else ""), "size": 9 if not needs else 7,
                        "line": {"width": 1.5, "color": colour[name]}},
                hovertemplate=f"{name}, {what}: %{{y:,.0f}} WTE<extra></extra>",
            ))
    shapes, notes = change_lines(marks or [], _years(place))
    layout = _base_layout(380, footer, xaxis=_axis(type="category"), shapes=shapes,
                          yaxis=_axis("Whole-time equivalents (WTE)", rangemode="tozero", tickformat=",.0f"))
    layout["margin"]["t"] = 60
    layout["annotations"] = layout["annotations"] + notes
    return _figure(traces, layout)


def core_capacity_figure(place: Place, colour: dict[str, str], footer: str, marks: list[Mark] | None = None) -> dict:
    """WTE left for core functions once delegated functions are staffed, against what core needs;
    a dotted line where the organisations changed."""
    traces = []
    names = list(place)
    if names:
        x, y = _series(place, names[0], "required_core_wte")
        traces.append(dict(type="scatter", x=x, y=y, name=f"core functions need ({names[0]})", mode="lines",
                           line={"color": "#6e6e6e", "dash": "dot", "width": 2},
                           hovertemplate="core need: %{y:,.0f} WTE<extra></extra>"))
    for name in names:
        x, y = _series(place, name, "core_capacity_wte")
        traces.append(dict(
            type="scatter", x=x, y=y, name=name, mode="lines+markers",
            line={"color": colour[name], "width": 3 if name == CUSTOM else 2, "dash": dash(colour[name])},
            marker={"symbol": symbol(colour[name]), "size": 8},
            hovertemplate=f"{name}: %{{y:,.0f}} WTE<extra></extra>",
        ))
    shapes, notes = change_lines(marks or [], _years(place))
    layout = _base_layout(360, footer, xaxis=_axis(type="category"), shapes=shapes,
                          yaxis=_axis("WTE left for core functions", rangemode="tozero", tickformat=",.0f"))
    layout["annotations"] = layout["annotations"] + notes
    return _figure(traces, layout)


def waterfall_figure(place: Place, colour: dict[str, str], base_year: str, year: str, footer: str) -> dict:
    """From the base-year allowance to the chosen year's, in base-year prices (£m), one group of
    bars per scenario: the change in the core allowance, delegated budgets added, inflation."""
    traces = []
    for name, rows in place.items():
        steps = waterfall_steps(rows, base_year, year)
        values = [s.gbp / 1e6 for s in steps]
        traces.append(dict(
            type="waterfall", name=name, x=[wrap(s.label) for s in steps], y=values,
            measure=["absolute" if i == 0 else ("total" if s.total else "relative") for i, s in enumerate(steps)],
            text=[f"{v:,.1f}" for v in values], textposition="outside", textfont={"size": 11},
            increasing={"marker": {"color": colour[name]}},
            decreasing={"marker": {"color": tint(colour[name]), "line": {"color": colour[name], "width": 2}}},
            totals={"marker": {"color": colour[name]}},
            connector={"line": {"color": "#bbb", "width": 1}},
            hovertemplate=f"{name}: %{{x}}: £%{{y:,.1f}}m<extra></extra>",
            cliponaxis=False,
        ))
    layout = _base_layout(420, footer, waterfallmode="group", waterfallgap=0.25, hovermode="closest",
                          xaxis=_axis(type="category"),
                          yaxis=_axis(f"£m, {base_year} prices", rangemode="tozero", tickformat=",.0f"))
    layout["margin"]["t"] = 60
    return _figure(traces, layout)


def wrap(text: str, width: int = 16) -> str:
    """Text broken into lines of about ``width`` characters with <br>, for category labels."""
    lines, line = [], ""
    for word in text.split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return "<br>".join([*lines, line])


AXIS_NAME_LIMIT = 42
"""Longest organisation name an axis shows before cutting it short."""


def short_name(name: str) -> str:
    """An ICB's name without 'NHS ' and ' Integrated Care Board', cut short for axis labels."""
    return places.short_name(name, AXIS_NAME_LIMIT)


def ranking_figure(in_year: InYear, names: list[str], icb: str, colour: dict[str, str], year: str,
                   footer: str) -> dict:
    """All ICBs ranked by WTE gap per 100k GP-registered population in ``year`` (first scenario's
    order, largest shortfall at the top), one marker per scenario; the chosen ICB highlighted
    (``in_year``: each scenario's ICB rows in ``year``)."""
    table = ranking(in_year, names)
    codes, labels = _row_labels(table, icb)
    shown = [n for n in names if n in table]
    traces = []
    for i, name in enumerate(shown):
        offset = (i - (len(shown) - 1) / 2) * 0.2  # dodge: each scenario on its own line within the row
        traces.append(dict(
            type="scatter", x=table[name].tolist(), y=[row + offset for row in range(len(table))],
            customdata=labels, name=name, mode="markers",
            marker={"color": colour[name], "size": 8, "symbol": symbol(colour[name]),
                    "line": {"width": 1, "color": "white"}},
            hovertemplate=f"{name}: %{{customdata}}: %{{x:,.1f}} WTE per 100k<extra></extra>",
        ))
    shapes = _highlight_row(codes, icb)
    height = 140 + 21 * max(len(table), 1)
    layout = _base_layout(
        height, footer, hovermode="closest", shapes=shapes,
        xaxis=_axis(f"WTE gap per 100k GP-registered population, {year} (negative: shortfall)",
                    tickformat=",.1f", side="top", zeroline=True, zerolinewidth=2),
        yaxis=_axis(tickmode="array", tickvals=list(range(len(table))), ticktext=labels,
                    range=[len(table) - 0.5, -0.5], tickfont={"size": 11}, showgrid=False, zeroline=False),
    )
    layout["margin"] = {"l": 250, "r": 20, "t": 110, "b": 90}
    layout["legend"].update({"yref": "container", "y": 0.99, "yanchor": "top"})
    return _figure(traces, layout)


def per_head_figure(in_year: InYear, names: list[str], icb: str, colour: dict[str, str], year: str,
                    footer: str) -> dict:
    """Every ICB's running cost allowance per GP-registered person in ``year`` (£, programme-funded
    pay left out), lowest at the top by the first scenario, one marker per scenario (solid:
    published or restated; open: projected), the chosen ICB highlighted; the axis spans the ICBs'
    spread, not from zero, so the spread shows (``in_year``: each scenario's ICB rows in ``year``)."""
    table = per_head(in_year, names)
    codes, labels = _row_labels(table, icb)
    shown = [n for n in names if n in table]
    traces = []
    for i, name in enumerate(shown):
        offset = (i - (len(shown) - 1) / 2) * 0.2
        mark = symbol(colour[name])
        symbols = [mark if fact else f"{mark}-open" for fact in table[f"{name} fact"].tolist()]
        traces.append(dict(
            type="scatter", x=table[name].tolist(), y=[row + offset for row in range(len(table))],
            customdata=[[label, need] for label, need in zip(labels, table[f"{name} need"].tolist(), strict=True)],
            name=name, mode="markers",
            marker={"color": colour[name], "size": 9, "symbol": symbols, "line": {"width": 1.5, "color": colour[name]}},
            hovertemplate=f"{name}: %{{customdata[0]}}: £%{{x:,.2f}} per head, need index %{{customdata[1]:.3f}}"
                          "<extra></extra>",
        ))
    shapes = _highlight_row(codes, icb)
    height = 140 + 21 * max(len(table), 1)
    layout = _base_layout(
        height, footer, hovermode="closest", shapes=shapes,
        xaxis=_axis(f"Running cost allowance per GP-registered person, {year} (£, cash)", tickformat=",.2f",
                    side="top",
                    zeroline=False),
        yaxis=_axis(tickmode="array", tickvals=list(range(len(table))), ticktext=labels,
                    range=[len(table) - 0.5, -0.5], tickfont={"size": 11}, showgrid=False, zeroline=False),
    )
    layout["margin"] = {"l": 250, "r": 20, "t": 110, "b": 90}
    layout["legend"].update({"yref": "container", "y": 0.99, "yanchor": "top"})
    return _figure(traces, layout)


def _highlight_row(codes: list[str], icb: str) -> list[dict]:
    """A pale band behind the chosen ICB's row of a one-row-per-ICB chart (none if not listed)."""
    if icb not in codes:
        return []
    row = codes.index(icb)
    return [{"type": "rect", "xref": "paper", "yref": "y", "x0": 0, "x1": 1, "y0": row - 0.5, "y1": row + 0.5,
             "fillcolor": "#fff3b0", "line": {"width": 0}, "layer": "below"}]


def _row_labels(table: Columns, icb: str) -> tuple[list[str], list[str]]:
    """The codes of a one-row-per-ICB chart's rows and their axis labels (the chosen ICB's bold,
    with a pointer)."""
    codes = table["icb_code"].tolist()
    labels = [f"<b>{short_name(n)} ◀</b>" if c == icb else short_name(n)
              for c, n in zip(codes, table["icb_name"].tolist(), strict=True)]
    return codes, labels
