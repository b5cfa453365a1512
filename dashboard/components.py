"""Small pieces of the page: number formatting for people, widgets built from control metadata,
the headline table, the "what this scenario changes" table and the sources panel.

Formatting rules (people-facing; machine output stays in £ and fractions): money in £m with one
decimal place (£ with two for per-head figures), percentages with one decimal place, WTE whole
(one decimal place under 10), differences signed, percentage differences in points.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from urllib.parse import urlparse

import pandas as pd
from dash import dcc, html
from dash.development.base_component import Component

from dashboard import a11y
from dashboard.controls import CONTROLS, Control, Settings, Value, format_setting, month_choices, year_choices
from dashboard.overlay import Edit
from dashboard.startpoint import StartPoint
from model.schema import HEADLINES

MINUS = "-"


# ---------------------------------------------------------------------------------------------
# Numbers


def gbp_m(gbp: float, signed: bool = False) -> str:
    """Pounds as £m with one decimal place: '£908.8m', '-£12.3m' ('+£1.0m' when signed)."""
    if gbp is None or not math.isfinite(gbp):
        return "n/a"
    millions = round(gbp / 1e6, 1) + 0.0
    sign = MINUS if millions < 0 else ("+" if signed and millions > 0 else "")
    return f"{sign}£{abs(millions):,.1f}m"


def percent(fraction: float, signed: bool = False) -> str:
    """A fraction as a percentage with one decimal place: '-38.2%'."""
    if fraction is None or not math.isfinite(fraction):
        return "n/a"
    value = round(fraction * 100, 1) + 0.0
    return f"{value:+.1f}%" if signed and value else f"{value:.1f}%"


def wte(value: float, signed: bool = False) -> str:
    """Whole-time equivalents: whole numbers with separators, one decimal place under 10."""
    if value is None or not math.isfinite(value):
        return "n/a"
    decimals = 1 if abs(value) < 10 else 0
    value = round(value, decimals) + 0.0
    if value == 0:
        return "0"
    text = f"{value:+,.{decimals}f}" if signed and value else f"{value:,.{decimals}f}"
    return text


def headline_cell(value: float, unit: str, difference: bool = False) -> str:
    """A headline figure already in its display unit (£m, %, WTE), as compare.headline_table gives it."""
    if value is None or not math.isfinite(value):
        return "n/a"
    if unit == "£m":
        return gbp_m(value * 1e6, signed=difference)
    if unit == "%":
        text = f"{round(value, 1) + 0.0:+.1f}" if difference else f"{round(value, 1) + 0.0:.1f}"
        return f"{text} pts" if difference else f"{text}%"
    return wte(value, signed=difference)


# ---------------------------------------------------------------------------------------------
# Controls, from their metadata


def control_id(key: str) -> dict:
    return {"type": "control", "key": key}


def widget_value(control: Control, value: Value) -> Value | list[str]:
    """A setting as its widget holds it (a switch is a one-box checklist: ['on'] or [])."""
    if control.widget == "switch":
        return ["on"] if value else []
    return value


def _marks(control: Control) -> dict:
    def text(v: float) -> str:
        return f"{v:g}"

    return {control.low: text(control.low), control.high: text(control.high)}


def widget(control: Control, value: Value, sp: StartPoint) -> Component:
    """The input component for a control, chosen by its widget kind."""
    cid = control_id(control.key)
    if control.widget == "slider":
        return dcc.Slider(id=cid, min=control.low, max=control.high, step=control.step, value=value,
                          marks=_marks(control), updatemode="mouseup", className="control-slider")
    if control.widget == "switch":
        label = html.Span([a11y.hidden_text(f"{spoken_label(control)}: "), " yes"])
        return dcc.Checklist(id=cid, options=[{"label": label, "value": "on"}], value=widget_value(control, value),
                             className="control-switch", inline=True)
    if control.widget == "choice":
        return dcc.RadioItems(id=cid, options=[{"label": f" {text}", "value": v} for v, text in control.choices],
                              value=value, className="control-choice")
    options = year_choices(sp.labels) if control.widget == "year" else month_choices(sp.labels)
    return dcc.Dropdown(id=cid, options=options, value=value, clearable=False, searchable=True,
                        className="control-dropdown")


def hover_text(control: Control, sp: StartPoint) -> str:
    """What hovering over a control says: what it is, its default and where that comes from."""
    source = sp.sources.get(control.key)
    lines = [control.help]
    if source is not None:
        lines.append(f"Default in {sp.name}: {source.value}.")
        if source.status:
            lines.append(f"Status: {source.status}.")
        if source.source:
            lines.append(f"Source: {source.source}")
        if source.note:
            lines.append(f"Note: {source.note}")
        if source.set_in:
            lines.append(f"Set in {source.set_in}.")
    return "\n".join(lines)


ROLE_TAGS = {"lever": "policy lever", "uncertainty": "uncertainty", "setting": "assumption"}


_SHARED_LABELS = {label for label, n in Counter(c.label for c in CONTROLS).items() if n > 1}
"""Labels more than one control shows (each delegated function's "Staff required")."""


def spoken_label(control: Control) -> str:
    """The label, with its group where other controls share it: "Staff required (delegated:
    pharmacy)", so a screen reader's list of controls says which is which."""
    if control.label in _SHARED_LABELS:
        return f"{control.label} ({control.group[0].lower()}{control.group[1:]})"
    return control.label


def label_children(control: Control, base_year: str) -> list:
    """A control's label as the page shows it, with what only screen readers read: its group when
    its label is shared (:func:`spoken_label`) and, for a slider, its unit."""
    parts: list = [control.label]
    if control.label in _SHARED_LABELS:
        parts.append(a11y.hidden_text(spoken_label(control).removeprefix(control.label)))
    if control.widget == "slider" and control.unit:
        parts.append(a11y.hidden_text(f" in {control.unit_for(base_year)}"))
    return parts


def control_block(control: Control, value: Value, sp: StartPoint) -> html.Div:
    """A control with its label (hover: description and source of the default), its widget and a
    readout of its current value with its unit. The label names the widget for screen readers
    (with the unit) and the readout describes it (:func:`dashboard.a11y.named`)."""
    label_id = {"type": "control-label", "key": control.key}
    readout_id = {"type": "readout", "key": control.key}
    slider = control.widget == "slider"
    return html.Div(
        className="control",
        children=[
            html.Div(className="control-head", children=[
                html.Span(label_children(control, sp.base_year), id=label_id, className="control-label",
                          title=hover_text(control, sp)),
                html.Span(ROLE_TAGS.get(control.role, control.role), className=f"role role-{control.role}",
                          title="Policy levers are choices; uncertainties are outside anyone's control."),
            ]),
            a11y.named(widget(control, value, sp), label_id, readout_id if slider else None),
            html.Div(format_setting(control, value, sp.base_year), id=readout_id,
                     className="readout") if slider else None,
        ],
    )


def control_panel(settings: Settings, sp: StartPoint) -> list:
    """Every control, grouped in fieldsets in the order of :data:`CONTROLS`."""
    groups: dict[str, list] = {}
    for control in CONTROLS:
        groups.setdefault(control.group, []).append(control_block(control, settings[control.key], sp))
    return [html.Fieldset(className="control-group", children=[html.Legend(name), *blocks])
            for name, blocks in groups.items()]


# ---------------------------------------------------------------------------------------------
# Tables


def headline_table(table: pd.DataFrame, names: list[str]) -> html.Table:
    """The compare figures (model.output.compare.headline_table) as an HTML table. Cells carry
    ``data-measure`` (the results column) and ``data-scenario`` for tests and screen readers."""
    columns = [c for c in table.columns if c != "unit"]
    head = html.Thead(html.Tr([html.Th("Measure", scope="col")] + [
        html.Th(c.replace(" - ", " vs ") if c not in names else c, scope="col",
                className="diff" if c not in names else "") for c in columns]))
    rows = []
    for headline, (label, row) in zip(HEADLINES, table.iterrows(), strict=False):
        cells = [html.Th(label, scope="row")]
        for c in columns:
            difference = c not in names
            cells.append(html.Td(
                headline_cell(float(row[c]), row["unit"], difference),
                className="diff" if difference else "",
                **{"data-measure": headline.name, "data-scenario": c},
            ))
        rows.append(html.Tr(cells))
    return html.Table([head, html.Tbody(rows)], className="headline-table")


def changes_table(found: list[Edit], start: str) -> html.Table | html.P:
    """What the custom scenario changes in its start: parameter, starting value, custom value."""
    if not found:
        return html.P(f"Nothing yet: the custom scenario equals {start}. Move a control on the left.",
                      className="muted")
    head = html.Thead(html.Tr([html.Th("What"), html.Th(f"In {start}"), html.Th("Custom"), html.Th("Parameter")]))
    body = html.Tbody([html.Tr([html.Td(e.label), html.Td(e.before), html.Td(e.after),
                                html.Td(html.Code(e.path))]) for e in found])
    return html.Table([head, body], className="changes-table")


_URL = re.compile(r"(https?://[^\s;,)]+)")


def linked(text: str) -> list:
    """Text with its URLs as links, each shown as its site's name (the full address on hover)."""
    parts: list = []
    for i, piece in enumerate(_URL.split(text or "")):
        if i % 2:
            site = urlparse(piece).netloc.removeprefix("www.") or piece
            parts.append(html.A(site, href=piece, title=piece, target="_blank", rel="noopener noreferrer"))
        elif piece:
            parts.append(piece)
    return parts


def sources_panel(sp: StartPoint) -> list:
    """Each control's default in the starting scenario, with its status, source or note and file."""
    rows = []
    for control in CONTROLS:
        source = sp.sources.get(control.key)
        if source is None:
            continue
        detail = source.source or source.note
        rows.append(html.Tr([
            html.Td(control.label, title=control.help),
            html.Td(source.value),
            html.Td(source.status or "-"),
            html.Td(linked(detail) if detail else "-", className="source-text"),
            html.Td(source.set_in or "-"),
        ]))
    head = html.Thead(html.Tr([html.Th("Control"), html.Th(f"Default in {sp.name}"), html.Th("Status"),
                               html.Th("Source or note"), html.Th("Set in")]))
    return [html.Table([head, html.Tbody(rows)], className="sources-table")]
