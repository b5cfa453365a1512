"""The briefing's three charts, drawn with matplotlib as PNG images: the allowance by year, the
workforce it pays for against the need, and the waterfall from the base year's allowance to the
chosen year's.

Why matplotlib and not the dashboard's plotly: plotly's static export (kaleido) starts Chromium
for each call and takes seconds; matplotlib draws the three charts in a fraction of a second with
no browser, so a briefing can be made anywhere. One PNG per chart serves all three formats (HTML,
PDF and DOCX show the same pixels).

Each scenario has a colour from the NHS palette *and* its own marker, so no line is told apart by
colour alone; money that a step takes away is drawn as a pale bar with a full-colour edge.
"""

from __future__ import annotations

import io
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING

from model.output.briefing import style, wording

if TYPE_CHECKING:  # matplotlib is imported when a chart is drawn, not with the module
    from matplotlib.artist import Artist
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure
    from matplotlib.ticker import FuncFormatter
    from matplotlib.typing import RcKeyType

MM_PER_INCH = 25.4
DPI = 170
WIDTH_MM = 170.0
_LOCK = threading.Lock()
"""matplotlib's style settings are global: one chart is drawn at a time, so a threaded server
(the dashboard under gunicorn) can make briefings in several threads."""


@dataclass(frozen=True)
class Chart:
    """A chart as a PNG and the size it is meant to be shown at."""

    png: bytes
    width_mm: float
    height_mm: float


@dataclass(frozen=True)
class Line:
    """One scenario's series for a line chart: its name, the years and the values (display units).
    ``published`` marks the years whose figure is NHS England's published one."""

    name: str
    years: Sequence[str]
    values: Sequence[float]
    published: Sequence[bool] = ()


@dataclass(frozen=True)
class Step:
    """One bar of the waterfall: a label, £m and whether it is a total (drawn from zero)."""

    label: str
    value: float
    total: bool = False


def _rc() -> dict[RcKeyType, object]:
    from model.output.briefing.fonts import face

    return {
        "font.family": "sans-serif",
        "font.sans-serif": [face().family, "DejaVu Sans"],
        "font.size": 8.5,
        "text.color": style.TEXT,
        "axes.labelcolor": style.TEXT,
        "axes.edgecolor": style.NHS_MID_GREY,
        "axes.titlesize": 9.5,
        "axes.titleweight": "bold",
        "axes.titlecolor": style.HEADING,
        "axes.titlelocation": "left",
        "xtick.color": style.MUTED_TEXT,
        "ytick.color": style.MUTED_TEXT,
        "xtick.labelcolor": style.TEXT,
        "ytick.labelcolor": style.TEXT,
        "legend.frameon": False,
        "legend.fontsize": 8,
        "svg.fonttype": "path",
    }


LEGEND_ROW_MM = 4.6


def _figure(height_mm: float, ncols: int = 1, *, left: float = 15, right: float = 3, bottom: float = 9,
            top: float = 8, gap: float = 0.28) -> tuple[Figure, list[Axes]]:
    """A figure of the page's chart width with fixed margins in mm (faster than matplotlib's
    constrained layout, which draws every chart twice)."""
    from matplotlib.figure import Figure

    width_in, height_in = WIDTH_MM / MM_PER_INCH, height_mm / MM_PER_INCH
    fig = Figure(figsize=(width_in, height_in), dpi=DPI)
    fig.subplots_adjust(left=left / WIDTH_MM, right=1 - right / WIDTH_MM, bottom=bottom / height_mm,
                        top=1 - top / height_mm, wspace=gap)
    axes: list[Axes] = list(fig.subplots(1, ncols, squeeze=False)[0])
    for ax in axes:
        ax.spines[["top", "right"]].set_visible(False)
        ax.grid(axis="y", color=style.NHS_PALE_GREY, linewidth=0.8)
        ax.set_axisbelow(True)
    return fig, axes


def _legend_top(entries: int, ncols: int, extra: float = 0.0) -> float:
    """The top margin (mm) that a legend of ``entries`` in ``ncols`` columns needs above the plot."""
    rows = -(-entries // max(ncols, 1))
    return 2.5 + rows * LEGEND_ROW_MM + extra


def _figure_legend(fig: Figure, handles: Sequence[Artist], labels: Sequence[str], ncols: int) -> None:
    fig.legend(handles, labels, loc="upper center", bbox_to_anchor=(0.5, 1.0), ncols=ncols, borderaxespad=0.4,
               handlelength=2.4, columnspacing=1.6)


def _png(fig: Figure, height_mm: float) -> Chart:
    out = io.BytesIO()
    fig.savefig(out, format="png", dpi=DPI, facecolor="white", metadata={"Software": None})
    return Chart(out.getvalue(), WIDTH_MM, height_mm)


def _thousands(unit: str = "") -> FuncFormatter:
    from matplotlib.ticker import FuncFormatter

    return FuncFormatter(lambda value, _pos: f"{value:,.0f}{unit}")


def _year_axis(ax: Axes, years: Sequence[str], year: str | None) -> None:
    ticks = list(range(len(years)))
    ax.set_xticks(ticks, list(years))
    ax.set_xlim(-0.4, len(years) - 0.6)
    if year is not None and year in years:
        at = list(years).index(year)
        ax.axvline(at, color=style.NHS_MID_GREY, linestyle=":", linewidth=1)
        ax.annotate(year, (at, 1), xycoords=("data", "axes fraction"), xytext=(3, -2), textcoords="offset points",
                    va="top", fontsize=7.5, color=style.MUTED_TEXT,
                    bbox={"boxstyle": "square,pad=0.15", "facecolor": "white", "edgecolor": "none"})


def _plot_lines(ax: Axes, lines: Sequence[Line], dashed: bool = False, label: str = "{name}",
                filled: bool = True) -> None:
    for i, line in enumerate(lines):
        x = range(len(line.values))
        colour = style.scenario_colour(i)
        ax.plot(x, line.values, color=colour, linewidth=1.8, linestyle="--" if dashed else "-",
                marker=style.scenario_marker(i), markersize=4.5,
                markerfacecolor=colour if filled else "white", markeredgecolor=colour,
                label=label.format(name=line.name))
        marked = [j for j, flag in enumerate(line.published) if flag]
        if marked:
            ax.plot(marked, [line.values[j] for j in marked], linestyle="none", marker="o", markersize=8,
                    markerfacecolor="none", markeredgecolor=style.NHS_BLACK, markeredgewidth=1)


def allowance_chart(cash: Sequence[Line], real: Sequence[Line], base_year: str, year: str | None) -> Chart:
    """The allowance by year, in cash (left) and in base-year prices (right), £m."""
    published = any(any(line.published) for line in cash)
    entries = len(cash) + int(published)
    ncols = min(entries, 4)
    with _rc_context():
        top = _legend_top(entries, ncols, 6)
        height = 66.0 + top
        fig, (left, right) = _figure(height, 2, left=15, bottom=13, top=top)
        panels = ((left, cash, "In cash", "£m, cash"),
                  (right, real, f"In real terms ({base_year} prices)", f"£m, {base_year} prices"))
        for ax, lines, title, unit in panels:
            _plot_lines(ax, lines)
            ax.set_title(title, pad=4)
            ax.set_ylabel(unit)
            _headroom(ax)
            ax.yaxis.set_major_formatter(_thousands())
            _year_axis(ax, lines[0].years if lines else [], year)
            ax.tick_params(axis="x", labelrotation=45, labelsize=7.5)
            for label in ax.get_xticklabels():
                label.set_horizontalalignment("right")
                label.set_rotation_mode("anchor")
        handles, labels = left.get_legend_handles_labels()
        if published:
            from matplotlib.lines import Line2D

            handles.append(Line2D([], [], linestyle="none", marker="o", markersize=8, markerfacecolor="none",
                                  markeredgecolor=style.NHS_BLACK))
            labels.append("NHS England's published figure")
        _figure_legend(fig, handles, labels, ncols)
        return _png(fig, height)


def workforce_chart(affordable: Sequence[Line], required: Sequence[Line], year: str | None) -> Chart:
    """Staff the allowance pays for (solid, filled markers) against staff needed (dashed, open
    markers), WTE by year. The legend names each scenario once and says which line is which."""
    from matplotlib.lines import Line2D

    n = len(affordable)
    ncols = min(n + 2, 4)
    with _rc_context():
        top = _legend_top(n + 2, ncols)
        height = 68.0 + top
        fig, (ax,) = _figure(height, left=17, bottom=8, top=top)
        _plot_lines(ax, affordable)
        handles, labels = ax.get_legend_handles_labels()
        _plot_lines(ax, required, dashed=True, filled=False)
        grey = style.NHS_BLACK
        handles += [Line2D([], [], color=grey, linewidth=1.8, marker="o", markersize=4.5),
                    Line2D([], [], color=grey, linewidth=1.8, linestyle="--", marker="o", markersize=4.5,
                           markerfacecolor="white")]
        labels += ["solid: pays for", "dashed: needs"]
        _figure_legend(fig, handles, labels, ncols)
        ax.set_ylabel("Whole-time equivalents (WTE)")
        _headroom(ax)
        ax.yaxis.set_major_formatter(_thousands())
        _year_axis(ax, affordable[0].years if affordable else [], year)
        return _png(fig, height)


def waterfall_chart(steps: Sequence[tuple[str, Sequence[Step]]], base_year: str) -> Chart:
    """From the base-year allowance to the chosen year's in base-year prices (£m), one group of
    bars per scenario: totals from zero, changes from the running total."""
    from matplotlib.patches import Patch

    with _rc_context():
        entries = len(steps) + 1
        ncols = min(entries, 4)
        top = _legend_top(entries, ncols)
        height = 78.0 + top
        fig, (ax,) = _figure(height, left=15, bottom=14, top=top)
        n = max(len(steps), 1)
        width = 0.8 / n
        labels = [step.label for step in steps[0][1]] if steps else []
        highest = 0.0
        for i, (_, bars) in enumerate(steps):
            colour, light = style.scenario_colour(i), style.tint(style.scenario_colour(i))
            running = 0.0
            for j, step in enumerate(bars):
                x = j + (i - (n - 1) / 2) * width
                if step.total:
                    bottom, height_ = 0.0, step.value
                    running = step.value
                    face = colour
                else:
                    bottom, height_ = running, step.value
                    running += step.value
                    face = colour if step.value >= 0 else light
                ax.bar(x, height_, width * 0.92, bottom=bottom, color=face, edgecolor=colour, linewidth=1.2,
                       hatch=None if step.total or step.value >= 0 else "///")
                end = max(bottom, bottom + height_)
                highest = max(highest, end)
                text = f"{step.value:,.1f}" if step.total else f"{step.value:+,.1f}".replace("-", wording.MINUS)
                ax.annotate(text, (x, end), xytext=(0, 2), textcoords="offset points", ha="center", va="bottom",
                            fontsize=6.5 if n > 2 else 7.5, color=style.TEXT, rotation=90 if n > 3 else 0)
        ax.set_xticks(range(len(labels)), [_wrap(label) for label in labels], fontsize=7.5)
        ax.set_ylabel(f"£m, {base_year} prices")
        ax.set_ylim(0, highest * (1.1 if n <= 3 else 1.2) if highest > 0 else 1)
        ax.yaxis.set_major_formatter(_thousands())
        handles = [Patch(facecolor=style.scenario_colour(i), edgecolor=style.scenario_colour(i))
                   for i in range(len(steps))]
        handles.append(Patch(facecolor="white", edgecolor=style.NHS_DARK_GREY, hatch="///"))
        _figure_legend(fig, handles, [*(name for name, _ in steps), "takes money away"], ncols)
        return _png(fig, height)


def _headroom(ax: Axes) -> None:
    """From zero, with room above the highest line for the year's label."""
    import numpy as np

    values = [np.asarray(line.get_ydata(), dtype=float) for line in ax.get_lines()]
    finite = np.concatenate([v[np.isfinite(v)] for v in values]) if values else np.array([])
    top = float(finite.max()) if finite.size else 0.0
    ax.set_ylim(0, top * 1.14 if top > 0 else 1)


def _wrap(text: str, width: int = 18) -> str:
    lines, line = [], ""
    for word in text.split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return "\n".join([*lines, line])


@contextmanager
def _rc_context() -> Iterator[None]:
    """The briefing's style for one chart, holding :data:`_LOCK` while it is drawn."""
    import matplotlib

    with _LOCK, matplotlib.rc_context(_rc()):
        yield
