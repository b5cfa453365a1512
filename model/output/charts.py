"""Charts of sensitivity and Monte Carlo results: tornado, heatmap and fan chart.

Figures are plain plotly figure dicts (``{"data": [...], "layout": {...}}``, :data:`Figure`), as
the dashboard's are (:mod:`dashboard.figures`): building ``plotly.graph_objects`` validates every
property and loads the template through them, about 0.2 s of a command's first chart, more than
writing it. The tests validate each figure against plotly's schema instead
(``plotly.graph_objects.Figure(figure)``). :func:`export` writes them as interactive HTML (plotly.js
embedded, so the file opens offline) and as PNG, drawn from the same figure by matplotlib
(:mod:`model.output.png`): no browser is started, so a PNG takes a fraction of a second and needs
nothing installed beyond the package's dependencies. The commands draw theirs in a second process
started when they begin (:mod:`model.output.png_renderer`), so that loading matplotlib overlaps
their computing.

People-facing units: £m for pounds, % for fractions, WTE for staff. Levers (policy choices) and
uncertainties are drawn in different colours, and every chart carries a footer with the scenario,
its content hash and what made the figure.
"""

from __future__ import annotations

import json
import pkgutil
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cache, partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from model.arrays import FloatArray
from model.output.atomic import Written, atomic_write, atomic_write_text
from model.schema import column

if TYPE_CHECKING:
    from model.output.png_renderer import PngRenderer

Figure = dict[str, Any]
"""A plotly figure as JSON-ready dicts and lists (numpy arrays allowed): ``{"data": [...], "layout": {...}}``."""

ROLE_COLOURS: dict[str, tuple[str, str]] = {
    "uncertainty": ("#9ecae1", "#2171b5"),
    "lever": ("#fdae6b", "#d94801"),
    "setting": ("#c7c7c7", "#636363"),
}
"""(low, high) bar colours for each role of a parameter."""

FAN_COLOUR = "#2171b5"
WIDTH, HEIGHT = 1000, 600
TEMPLATE = "plotly_white"
"""The plotly template of every chart: its JSON goes into the HTML (the PNG does not read it)."""
LEGEND_ABOVE = {"orientation": "h", "y": 1.02, "x": 1, "xanchor": "right", "yanchor": "bottom"}
"""The legend in a row above the plot, right-aligned: each figure gets its own copy."""


def scale_for(metric: str) -> tuple[float, str]:
    """Multiplier and axis unit for showing a metric to people (£m, %, WTE...): its column's display."""
    display = column(metric).display
    return display.factor, display.unit


@cache
def _template() -> str:
    """:data:`TEMPLATE` as plotly ships it (JSON text), read as ``plotly.io.templates`` reads it
    but without making graph objects of it."""
    data = pkgutil.get_data("plotly", f"package_data/templates/{TEMPLATE}.json")
    if data is None:
        raise FileNotFoundError(f"plotly's {TEMPLATE} template")
    return data.decode("utf-8")


def _layout(fig: Figure, title: str, footer: str, height: int = HEIGHT) -> Figure:
    """Every chart's title, template, size, margins and font, and its footer under the plot."""
    layout = fig["layout"]
    layout.update(
        title={"text": title, "x": 0.01, "xanchor": "left"},
        template=json.loads(_template()),
        width=WIDTH,
        height=height,
        margin={"l": 20, "r": 20, "t": 70, "b": 90},
        font={"family": "Arial, sans-serif", "size": 13},
    )
    layout.setdefault("annotations", []).append({
        "text": footer, "xref": "paper", "yref": "paper", "x": 0, "y": -0.13, "xanchor": "left", "yanchor": "top",
        "showarrow": False, "font": {"size": 10, "color": "#666"}, "align": "left",
    })
    return fig


def _setting(value: object) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def tornado_figure(table: pd.DataFrame, metric: str, place: str, year: str, footer: str) -> Figure:
    """Horizontal bars from the base value to the metric at each parameter's low and high.

    The largest swing is at the top; bars are coloured by role (lever or uncertainty), lighter
    for the low setting and darker for the high one.
    """
    factor, unit = scale_for(metric)
    rows = table.sort_values("rank", ascending=False)
    labels = [
        f"{r.parameter}{' from ' + str(r.from_year) if getattr(r, 'from_year', '') else ''} "
        f"({r.mode} {_setting(r.low)} to {_setting(r.high)})"
        for r in rows.itertuples()
    ]
    base = float(table["metric_base"].iloc[0]) * factor if len(table) else 0.0
    bars = []
    for role, (light, dark) in ROLE_COLOURS.items():
        chosen = (rows["role"] == role).to_numpy()
        if not chosen.any():
            continue
        for which, colour in (("low", light), ("high", dark)):
            values = rows[f"metric_{which}"].to_numpy() * factor
            bars.append({
                "type": "bar", "y": np.array(labels)[chosen], "x": (values - base)[chosen], "base": base,
                "orientation": "h", "name": f"{role}: at {which}", "marker": {"color": colour},
                "customdata": np.stack([values[chosen], rows[which].astype(str).to_numpy()[chosen]], axis=-1),
                "hovertemplate": f"%{{y}}<br>at {which} (%{{customdata[1]}}): %{{customdata[0]:,.2f}} {unit}"
                                 "<extra></extra>",
            })
    layout = {
        "barmode": "overlay", "legend": dict(LEGEND_ABOVE),
        "xaxis": {"title": {"text": f"{metric} ({unit})"}, "zeroline": False},
        "yaxis": {"automargin": True, "categoryorder": "array", "categoryarray": labels},
        "shapes": [{"type": "line", "x0": base, "x1": base, "xref": "x", "y0": 0, "y1": 1, "yref": "y domain",
                    "line": {"color": "#333", "dash": "dot"}}],
        "annotations": [{"text": f"base {base:,.1f}", "x": base, "xref": "x", "y": 1, "yref": "y domain",
                         "xanchor": "center", "yanchor": "bottom", "showarrow": False}],
    }
    height = max(HEIGHT, 160 + 45 * len(table))
    return _layout({"data": bars, "layout": layout}, f"What moves {metric}: {place}, {year}", footer, height)


def heatmap_figure(grid: pd.DataFrame, metric: str, place: str, year: str, footer: str) -> Figure:
    """The two-way grid as a heatmap with its values: red for shortfalls, blue for surpluses
    (centred on zero when the grid has both), deeper for larger ones."""
    from plotly.colors import get_colorscale

    factor, unit = scale_for(metric)
    y_name, _, x_name = (_axis_title(part) for part in str(grid.index.name).partition(" \\ "))
    z = grid.to_numpy(dtype=float) * factor
    finite = z[np.isfinite(z)]
    both_signs = bool(finite.size) and finite.min() < 0 < finite.max()
    if both_signs:
        colours = "RdBu"
    elif finite.size and finite.max() <= 0:
        colours = "Reds_r"
    else:
        colours = "Blues"
    heat: dict[str, Any] = {
        "type": "heatmap", "z": z, "x": [str(c) for c in grid.columns], "y": [str(i) for i in grid.index],
        "colorscale": _even(get_colorscale(colours)), "colorbar": {"title": {"text": unit}},
        "texttemplate": "%{z:,.1f}",
        "hovertemplate": f"{x_name} = %{{x}}<br>{y_name} = %{{y}}<br>{metric}: %{{z:,.2f}} {unit}<extra></extra>",
    }
    if both_signs:
        heat["zmid"] = 0
    layout = {"xaxis": {"title": {"text": x_name}, "type": "category"},
              "yaxis": {"title": {"text": y_name}, "type": "category", "autorange": "reversed"}}
    return _layout({"data": [heat], "layout": layout}, f"{metric} ({unit}): {place}, {year}", footer)


def _even(scale: list[list[Any]]) -> list[list[Any]]:
    """A colour scale's colours at ``i / (n - 1)``, as plotly places a named scale's (``get_colorscale``
    steps by ``i * (1 / (n - 1))``, a few units of the last place off)."""
    return [[i / (len(scale) - 1), colour] for i, (_, colour) in enumerate(scale)]


def _axis_title(text: str) -> str:
    """``PATH:MODE`` as ``PATH (MODE)``."""
    path, _, mode = text.rpartition(":")
    return f"{path} ({mode})" if path else text


def fan_figure(
    summary: pd.DataFrame, metric: str, place_code: str, place: str, base: Sequence[float] | FloatArray | None,
    footer: str,
) -> Figure:
    """Fan chart of one metric for one place over the years: the 5-95% band, median and mean,
    and the deterministic run for reference."""
    factor, unit = scale_for(metric)
    rows = summary[(summary["metric"] == metric) & (summary["icb_code"] == place_code)]
    years = rows["year"].tolist()
    p5, p50, p95, mean = (rows[c].to_numpy(dtype=float) * factor for c in ("p5", "p50", "p95", "mean"))
    lines = [
        {"y": p95, "mode": "lines", "line": {"width": 0}, "showlegend": False, "hoverinfo": "skip"},
        {"y": p5, "mode": "lines", "line": {"width": 0}, "fill": "tonexty", "fillcolor": "rgba(33,113,181,0.22)",
         "name": "5% to 95% of draws", "customdata": np.stack([p5, p95], axis=-1),
         "hovertemplate": "%{x}: %{customdata[0]:,.2f} to %{customdata[1]:,.2f}<extra>P5-P95</extra>"},
        {"y": p50, "mode": "lines+markers", "line": {"color": FAN_COLOUR, "width": 2.5}, "name": "median"},
        {"y": mean, "mode": "lines", "line": {"color": FAN_COLOUR, "dash": "dash"}, "name": "mean"},
    ]
    if base is not None:
        lines.append({"y": np.asarray(base, dtype=float) * factor, "mode": "lines",
                      "line": {"color": "#333", "dash": "dot"}, "name": "scenario as written"})
    layout: dict[str, Any] = {"xaxis": {"title": {"text": "financial year"}, "type": "category"},
                              "yaxis": {"title": {"text": f"{metric} ({unit})"}}, "legend": dict(LEGEND_ABOVE)}
    if metric.endswith("_gap") or metric.endswith("_gap_gbp"):
        layout["shapes"] = [{"type": "line", "x0": 0, "x1": 1, "xref": "x domain", "y0": 0, "y1": 0, "yref": "y",
                             "line": {"color": "#999"}}]
    draws = int(rows["draws"].iloc[0]) if len(rows) else 0
    data = [{"type": "scatter", "x": years, **line} for line in lines]
    return _layout({"data": data, "layout": layout}, f"{metric}: {place}, {draws:,} draws", footer)


@dataclass(frozen=True)
class Exported:
    """What :func:`export` wrote, and why any PNG was not written (None when all were)."""

    written: list[Written]
    png_problem: str | None = None


def export(figures: Sequence[tuple[Figure, Path]], png: bool = True,
           renderer: PngRenderer | None = None) -> Exported:
    """Write each figure to ``STEM.html`` and (with ``png``) ``STEM.png``, atomically.

    PNGs are drawn by ``renderer`` (:mod:`model.output.png_renderer`), which is sent every figure
    before any HTML is written, so that it draws while this process writes; without one, here.
    The HTML is always written. If drawing a PNG fails, the HTML files are still complete and
    :attr:`Exported.png_problem` says why the remaining PNGs were not written.
    """
    from plotly.io import to_html

    images = _pngs([fig for fig, _ in figures], renderer) if png else None
    written: list[Written] = []
    for fig, stem in figures:
        html = to_html(fig, include_plotlyjs=True, full_html=True, config={"displaylogo": False}, validate=False)
        written.append(atomic_write_text(Path(stem).with_suffix(".html"), html))
    if images is None:
        return Exported(written)
    for _, stem in figures:
        try:
            image = next(images)
        except Exception as error:  # noqa: BLE001 - a chart that cannot be drawn must not lose the HTML
            return Exported(written, f"a PNG chart could not be drawn ({type(error).__name__}: {error}); "
                                     "remaining PNG charts skipped")
        written.append(atomic_write(Path(stem).with_suffix(".png"), partial(Path.write_bytes, data=image)))
    return Exported(written)


def _pngs(figures: list[Figure], renderer: PngRenderer | None) -> Iterator[bytes]:
    """Each figure's PNG, in order: from ``renderer``, which starts on them all now, or drawn here
    as each is taken."""
    from model.output import png

    if renderer is not None:
        return renderer.pngs(figures)
    return (png.png_bytes(fig) for fig in figures)
