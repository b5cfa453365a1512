"""Text alternatives for what the page draws and changes (WCAG 1.1.1, 1.3.1, 4.1.3;
docs/accessibility.md).

- :func:`plotted` reads the numbers a chart draws back out of its Plotly figure dict, so the
  summary sentence (:func:`chart_summary`) says exactly what the chart shows, whatever chart it
  is. The "Show the numbers" table is read the same way in the page, from the figure Plotly
  holds, by ``assets/numbers.js`` (it costs the server nothing on a slider move).
- :func:`update_sentence` is the one sentence the page's polite live region says when results
  update: what changed and what the allowance now is.

Plain functions of plain data: no Dash context, cheap.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from dashboard.controls import CONTROL_BY_KEY

_TAG = re.compile(r"<[^>]+>")
_FORMAT = re.compile(r"%\{[xy]:([^}]+)\}")


def plain(text: object) -> str:
    """Chart text without its markup: '<b>Thames Valley ◀</b>' -> 'Thames Valley', line breaks as spaces."""
    return _plain(str(text))


@lru_cache(maxsize=4096)
def _plain(text: str) -> str:
    """:func:`plain` of a string, remembered: a slider move reads about 600 labels, nearly all of
    them (ICB names, years, steps) the moves before read too."""
    return " ".join(_TAG.sub(" ", text).replace("◀", " ").split())


@dataclass(frozen=True)
class Series:
    """One trace's plotted numbers: its name (with its axis where names repeat), the categories it
    is drawn at (years, steps or ICBs), its values, a word per point (published or projected) and
    the number format its hover text uses."""

    name: str
    categories: list[str]
    values: list[float | None]
    words: list[str]
    number_format: str
    across: bool = False
    """Drawn across: values on x, a row per ICB."""
    trace: str = ""
    """The trace's own name ('base'), without its axis."""
    axis: str = ""
    """The value axis's title ('£m, cash')."""
    marked: str = ""
    """The category the chart highlights (the chosen ICB), if any."""


def _axis_title(layout: dict, axis: str) -> str:
    title = layout.get(axis, {}).get("title", {})
    return plain(title.get("text", "") if isinstance(title, dict) else title)


def _across(trace: dict) -> bool:
    """Whether a trace is drawn across: its hover text formats x as the number."""
    return trace.get("type") == "scatter" and "%{x:" in str(trace.get("hovertemplate", ""))


def plotted(figure: dict) -> list[Series]:
    """Every trace of ``figure`` as a :class:`Series`. A trace drawn across (values on x, ICBs as
    rows) takes its categories from its hover labels; others from x."""
    layout = figure.get("layout", {})
    traces = figure.get("data", [])
    names = [str(t.get("name", "")) for t in traces]
    out = []
    for trace, name in zip(traces, names, strict=True):
        found = _FORMAT.search(str(trace.get("hovertemplate", "")))
        number_format = found.group(1) if found else ",.1f"
        custom = list(trace.get("customdata") or [])
        across = _across(trace)
        if across:
            labels = [c[0] if isinstance(c, list | tuple) else c for c in custom]
            categories = [plain(label) for label in labels]
            marked = next((plain(label) for label in labels if "◀" in str(label)), "")
            values, words = list(trace.get("x", [])), [""] * len(categories)
        else:
            categories = [plain(x) for x in trace.get("x", [])]
            marked = ""
            values = list(trace.get("y", []))
            words = [plain(c) if isinstance(c, str) else "" for c in custom] or [""] * len(categories)
        axis = _axis_title(layout, "xaxis" if across else "yaxis" + str(trace.get("yaxis", "y"))[1:])
        shown = f"{name}, {axis}" if names.count(name) > 1 else name
        out.append(Series(shown, categories, values, words, number_format, across, name, axis, marked))
    return out


def _number(value: float | None, number_format: str) -> str:
    if value is None or value != value:  # None or NaN
        return "n/a"
    return format(float(value), number_format)


def value_units(figure: dict) -> str:
    """What the chart's numbers are in: its value axes' titles ('£m, cash; £m, 2022/23 prices')."""
    layout = figure.get("layout", {})
    traces = figure.get("data", [])
    across = any(_across(t) for t in traces)
    axes = ["xaxis"] if across else sorted({"yaxis" + str(t.get("yaxis", "y"))[1:] for t in traces})
    return "; ".join(t for t in (_axis_title(layout, a) for a in axes) if t)


def _join(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def chart_summary(figure: dict, subject: str) -> str:
    """One or two sentences on what the chart shows (``subject``: what its numbers are, 'The
    allowance by year'), made from the plotted numbers: for a chart by year, where each line starts and
    ends; for a waterfall, where each scenario starts and ends; for a chart of every ICB, which
    comes first and last and where the chosen one is."""
    series = [s for s in plotted(figure) if s.categories]
    if not series:
        return f"{subject}: no figures to show."
    units = value_units(figure)
    first = series[0]
    if first.across:
        order = [c for _, c in sorted(zip(first.values, first.categories, strict=False),
                                      key=lambda p: (p[0] is None, p[0] if p[0] is not None else 0))]
        values = dict(zip(first.categories, first.values, strict=False))
        text = (f"{subject} ({units}) for {len(first.categories)} ICBs under {first.name}: lowest "
                f"{order[0]} ({_number(values[order[0]], first.number_format)}), highest {order[-1]} "
                f"({_number(values[order[-1]], first.number_format)}).")
        if first.marked and first.marked in values:
            rank = order.index(first.marked) + 1
            text += (f" {first.marked} is {rank} of {len(order)} from the lowest, at "
                     f"{_number(values[first.marked], first.number_format)}.")
        return text
    shown = [s for s in series if s.axis == first.axis]  # the first panel's lines (cash, beside real terms)
    ends = [f"{s.trace} from {_number(s.values[0], s.number_format)} ({s.categories[0]}) to "
            f"{_number(s.values[-1], s.number_format)} ({s.categories[-1]})" for s in shown if s.values]
    more = " The table below gives every year, in real terms too." if len(shown) < len(series) else ""
    return f"{subject} ({first.axis}): {_join(ends)}.{more}"


TRIGGER_WORDS = {
    "url": "Results shown",
    "start": "Starting scenario changed and controls reset",
    "reset": "Controls reset",
    "icb": "Place changed",
    "year": "Year changed",
    "compare": "Scenarios compared changed",
    "footprint": "Organisations changed",
    "uploads": "Scenarios on offer changed",
    "known": "Known allowance changed",
}


def update_sentence(trigger: str | None, control_key: str | None, readout: str, place: str, year: str,
                    allowances: dict[str, float]) -> str:
    """The live region's one sentence: what changed (a control by its label and new value), then
    the place, the year and each compared scenario's allowance there in £m: "Size of the cut set
    to 35% below 2022/23: NHS Frimley, 2025/26, allowance £40.1m under base and £38.2m under
    custom." """
    if trigger == "control" and control_key in CONTROL_BY_KEY:
        what = f"{CONTROL_BY_KEY[control_key].label} set to {readout}"
    else:
        what = TRIGGER_WORDS.get(trigger or "", "Results updated")
    if not allowances:
        return f"{what}: {place}, {year}, no scenario to show."
    shown = [f"£{gbp / 1e6:,.1f}m under {name}" for name, gbp in allowances.items()]
    return f"{what}: {place}, {year}, allowance {_join(shown)}."
