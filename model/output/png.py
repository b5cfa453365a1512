"""PNG images of the sensitivity and Monte Carlo charts (:mod:`model.output.charts`), drawn by
matplotlib from the plotly figures themselves: no browser.

Plotly draws PNGs only through kaleido, which starts Chromium: about 4 s per command, and no PNG
at all where Chromium is missing. The charts use few of plotly's features, and this module draws
exactly those with matplotlib's Agg renderer: horizontal bars from a base, a heatmap with its
values written in, lines and a band filled between two of them; the title, axis titles, category
order, reference lines and their labels, the legend and the notes under the chart. So each chart
is defined once (``charts.py``) and drawn twice: interactive in the HTML, static in the PNG.
Drawing reads the figure's plotly JSON without its template (:func:`spec`), so the same code
draws in this process (:func:`png_bytes`) or in another one that never imports plotly
(:mod:`model.output.png_renderer`).

Images are ``scale`` times the figure's size in pixels (2: 2000 x 1200 for a 1000 x 600 figure).
matplotlib is imported when a chart is drawn, not with the module; its global settings are never
changed, so charts can be drawn in several threads.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.colors import Colormap
    from matplotlib.figure import Figure

DPI = 100
"""Pixels per inch of the figure, before ``scale``: a plotly figure of W x H pixels is W/100 x H/100
inches."""

FONT = "DejaVu Sans"
"""matplotlib's own font, present wherever matplotlib is."""

Spec = dict[str, Any]
"""A figure's plotly JSON (``{"data": [...], "layout": {...}}``), or any part of it."""

_DASHES = {"dot": ":", "dash": "--", "dashdot": "-.", "solid": "-", None: "-"}
_RGB = re.compile(r"rgba?\(([^)]*)\)")


def png_bytes(fig: Spec, scale: float = 2.0) -> bytes:
    """The figure (:data:`model.output.charts.Figure`) as a PNG image, ``scale`` times its width
    and height in pixels."""
    return draw(spec(fig), scale)


def spec(fig: Spec) -> Spec:
    """What :func:`draw` reads of a figure: its traces and layout without the template (which only
    the HTML uses), so that it pickles quickly to another process (:mod:`model.output.png_renderer`)."""
    return {"data": fig["data"], "layout": {k: v for k, v in fig["layout"].items() if k != "template"}}


def draw(figure: Spec, scale: float = 2.0) -> bytes:
    """A figure's :func:`spec` as a PNG image, ``scale`` times its width and height in pixels."""
    from matplotlib.figure import Figure
    from matplotlib.layout_engine import TightLayoutEngine

    layout = figure["layout"]
    width, height = layout.get("width") or 1000, layout.get("height") or 600
    canvas = Figure(figsize=(width / DPI, height / DPI), dpi=DPI)
    ax = canvas.add_subplot()
    for n, trace in enumerate(figure["data"]):
        {"bar": _bar, "heatmap": _heatmap, "scatter": _scatter}[trace["type"]](ax, figure, n)
    _layout(canvas, ax, figure)
    # Figure.tight_layout would leave a placeholder layout engine, for which savefig lays the figure
    # out again in a draw of its own: the same image, about 10% later.
    TightLayoutEngine(rect=(0.0, ((_at(layout, "margin", "b") or 90) - 40) / height, 1.0,
                            1 - ((_at(layout, "margin", "t") or 70) - 10) / height)).execute(canvas)
    buffer = io.BytesIO()
    canvas.savefig(buffer, format="png", dpi=DPI * scale, pil_kwargs={"compress_level": 1})
    return buffer.getvalue()


def _at(node: Any, *keys: str) -> Any:
    """``node[k1][k2]...``, or None where a key is missing (as plotly gives for a property not set)."""
    for key in keys:
        if not isinstance(node, dict):
            return None
        node = node.get(key)
    return node


def colour(text: str | None) -> Any:
    """A plotly colour (``#rrggbb``, ``rgb(r,g,b)``, ``rgba(r,g,b,a)`` or a name) as matplotlib
    takes it."""
    if text is None:
        return None
    found = _RGB.fullmatch(text.replace(" ", ""))
    if not found:
        return text
    parts = [float(p) for p in found.group(1).split(",")]
    return (*(p / 255 for p in parts[:3]), *parts[3:])


def _category_positions(ax: Axes, axis: str, labels: Sequence[str]) -> dict[str, int]:
    """Each category's position on an axis, in the order given (the first at the bottom or left)."""
    positions = {label: n for n, label in enumerate(labels)}
    ticks = getattr(ax, f"set_{axis}ticks")
    ticks(range(len(labels)), [str(label) for label in labels])
    return positions


def _bar(ax: Axes, figure: Spec, n: int) -> None:
    """Horizontal bars from ``base`` (the tornado), in the y axis's category order (the first at
    the bottom)."""
    trace, axis = figure["data"][n], figure["layout"].get("yaxis", {})
    labels = list(axis["categoryarray"]) if axis.get("categoryorder") == "array" else \
        list(dict.fromkeys(y for t in figure["data"] for y in t["y"]))
    positions = _category_positions(ax, "y", labels)
    ax.barh([positions[y] for y in trace["y"]], trace["x"], left=trace.get("base"), height=0.8,
            color=colour(_at(trace, "marker", "color")), label=trace.get("name"))


def _heatmap(ax: Axes, figure: Spec, n: int) -> None:
    """A heatmap, first row at the top, each cell with its value, and a colour bar."""
    import numpy as np
    from matplotlib.colors import Normalize

    trace = figure["data"][n]
    z = np.asarray(trace["z"], dtype=float)
    finite = z[np.isfinite(z)]
    low, high = (float(finite.min()), float(finite.max())) if finite.size else (0.0, 1.0)
    middle = trace.get("zmid")
    if middle is not None:
        reach = max(abs(high - middle), abs(low - middle)) or 1.0
        low, high = middle - reach, middle + reach
    image = ax.imshow(z, cmap=_colormap(trace["colorscale"]), norm=Normalize(low, high), aspect="auto")
    ax.set_xticks(range(len(trace["x"])), [str(x) for x in trace["x"]])
    ax.set_yticks(range(len(trace["y"])), [str(y) for y in trace["y"]])
    digits = re.search(r"\.(\d)f", trace.get("texttemplate") or "")
    places = int(digits.group(1)) if digits else 1
    for (row, col), value in np.ndenumerate(z):
        if np.isfinite(value):
            shade = image.cmap(image.norm(value))
            ink = "white" if 0.299 * shade[0] + 0.587 * shade[1] + 0.114 * shade[2] < 0.5 else "black"
            ax.text(col, row, f"{value:,.{places}f}", ha="center", va="center", color=ink, fontsize=10, family=FONT)
    bar = ax.figure.colorbar(image, ax=ax)
    bar.set_label(_at(trace, "colorbar", "title", "text") or "", family=FONT)


def _colormap(scale: Sequence[tuple[float, str]]) -> Colormap:
    from matplotlib.colors import LinearSegmentedColormap

    return LinearSegmentedColormap.from_list("plotly", [(float(at), colour(c)) for at, c in scale])


def _scatter(ax: Axes, figure: Spec, n: int) -> None:
    """A line (with markers for ``lines+markers``); ``fill="tonexty"`` fills down to the trace before."""
    trace = figure["data"][n]
    x = list(range(len(trace["x"])))
    ax.set_xticks(x, [str(label) for label in trace["x"]])
    line = trace.get("line", {})
    width = line.get("width")
    if width != 0:
        ax.plot(x, trace["y"], color=colour(line.get("color")), linestyle=_DASHES.get(line.get("dash"), "-"),
                linewidth=width or 2, marker="o" if "markers" in (trace.get("mode") or "") else None,
                label=trace.get("name") if trace.get("showlegend") is not False else None)
    if trace.get("fill") == "tonexty":
        ax.fill_between(x, trace["y"], figure["data"][n - 1]["y"], color=colour(trace.get("fillcolor")), linewidth=0,
                        label=trace.get("name"))


def _layout(canvas: Figure, ax: Axes, figure: Spec) -> None:
    """Title, axis titles, reference lines and their labels, the legend and the notes below."""
    layout = figure["layout"]
    canvas.text(0.01, 0.985, _at(layout, "title", "text") or "", ha="left", va="top", fontsize=15, family=FONT)
    ax.set_xlabel(_at(layout, "xaxis", "title", "text") or "", family=FONT)
    ax.set_ylabel(_at(layout, "yaxis", "title", "text") or "", family=FONT)
    heatmap = any(t["type"] == "heatmap" for t in figure["data"])
    if _at(layout, "yaxis", "autorange") == "reversed" and not heatmap:
        ax.invert_yaxis()
    if not heatmap:
        ax.grid(True, color="#e5e5e5", linewidth=0.8)
        ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    for shape in layout.get("shapes", ()):
        ink, dash = colour(_at(shape, "line", "color")) or "#333", _DASHES.get(_at(shape, "line", "dash"), "-")
        if shape.get("x0") == shape.get("x1") and shape.get("xref") == "x":
            ax.axvline(shape["x0"], color=ink, linestyle=dash, linewidth=1)
        elif shape.get("y0") == shape.get("y1") and shape.get("yref") == "y":
            ax.axhline(shape["y0"], color=ink, linestyle=dash, linewidth=1)
    for note in layout.get("annotations", ()):
        text = re.sub(r"<br\s*/?>", "\n", note.get("text") or "")
        if note.get("xref") == "paper":
            canvas.text(0.01, 0.015, text, ha="left", va="bottom", fontsize=9, color="#666", family=FONT)
        else:
            ax.annotate(text, (note.get("x"), 1.0), xycoords=("data", "axes fraction"), ha="center", va="bottom",
                        fontsize=10, family=FONT)
    handles, labels = ax.get_legend_handles_labels()
    if labels:
        ax.legend(handles, labels, loc="lower right", bbox_to_anchor=(1.0, 1.04), ncol=min(len(labels), 4),
                  frameon=False, prop={"family": FONT, "size": 10})
