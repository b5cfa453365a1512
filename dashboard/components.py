"""Small pieces of the page: number formatting for people, widgets built from control metadata,
the known-allowance boxes, the place's facts, the headline table, the allowance by year (marking
published figures), the reconciliation of the published allowances with the 30% cut, the "what
this scenario changes" table, the scenarios' descriptions and the sources panel.

Formatting rules (people-facing; machine output stays in £ and fractions): money in £m with one
decimal place (£ with two for per-head figures), percentages with one decimal place, WTE whole
(one decimal place under 10), differences signed, percentage differences in points.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from urllib.parse import urlparse

import pandas as pd
from dash import dcc, html
from dash.development.base_component import Component

from dashboard import a11y
from dashboard.chartdata import value_in
from dashboard.columns import Columns
from dashboard.controls import CONTROLS, CUSTOM, Control, Settings, Value, format_setting, month_choices, year_choices
from dashboard.elements import Element, element
from dashboard.facts import Reconciliation
from dashboard.facts import percent as change_percent
from dashboard.overlay import Edit
from dashboard.places import FORMER, Places, short_name, what
from dashboard.startpoint import StartPoint
from model.output.compare import UNIT
from model.output.results import ENGLAND_CODE
from model.schema import HEADLINES

BASIS_SHOWN = {"published": "published", "restated": "restated (sum of published)", "projected": "projected"}
"""How the page words each ``allowance_basis``."""

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
    if control.widget == "year":
        options = sp.further_years() if control.key == "cut.further_year" else year_choices(sp.labels)
    else:
        options = month_choices(sp.labels)
    return dcc.Dropdown(id=cid, options=options or [value], value=value, clearable=False, searchable=True,
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


def label_children(control: Control, base_year: str, last_published: str = "") -> list:
    """A control's label as the page shows it, with what only screen readers read: its group when
    its label is shared (:func:`spoken_label`) and, for a slider, its unit."""
    parts: list = [control.label]
    if control.label in _SHARED_LABELS:
        parts.append(a11y.hidden_text(spoken_label(control).removeprefix(control.label)))
    if control.widget == "slider" and control.unit:
        parts.append(a11y.hidden_text(f" in {control.unit_for(base_year, last_published)}"))
    return parts


def control_block(control: Control, value: Value, sp: StartPoint, hidden: bool = False) -> html.Div:
    """A control with its label (hover: description and source of the default), its widget, a
    readout of its current value with its unit and a note for when it does nothing (filled by the
    page's callback). ``hidden`` hides it (a control that does not apply to the start). The label
    names the widget for screen readers (with the unit) and the readout describes it
    (:func:`dashboard.a11y.named`)."""
    label_id = {"type": "control-label", "key": control.key}
    readout_id = {"type": "readout", "key": control.key}
    slider = control.widget == "slider"
    return html.Div(
        className="control", id={"type": "control-block", "key": control.key}, hidden=hidden,
        children=[
            html.Div(className="control-head", children=[
                html.Span(label_children(control, sp.base_year, sp.last_published), id=label_id,
                          className="control-label", title=hover_text(control, sp)),
                html.Span(ROLE_TAGS.get(control.role, control.role), className=f"role role-{control.role}",
                          title="Policy levers are choices; uncertainties are outside anyone's control."),
            ]),
            a11y.named(widget(control, value, sp), label_id, readout_id if slider else None),
            html.Div(format_setting(control, value, sp.base_year, sp.last_published), id=readout_id,
                     className="readout", **{"aria-live": "polite"}) if slider else None,
            html.Div(id={"type": "control-note", "key": control.key}, className="control-note"),
        ],
    )


def control_panel(settings: Settings, sp: StartPoint, hidden: set[str] | None = None) -> list:
    """Every control, grouped in fieldsets in the order of :data:`CONTROLS`; those in ``hidden``
    hidden."""
    groups: dict[str, list] = {}
    for control in CONTROLS:
        groups.setdefault(control.group, []).append(
            control_block(control, settings[control.key], sp, control.key in (hidden or set())))
    return [html.Fieldset(className="control-group", children=[html.Legend(name), *blocks])
            for name, blocks in groups.items()]


def year_key(year: str) -> str:
    """A year label as the key of a pattern-matching id ('2026/27' -> '2026-27': Dash's renderer
    cannot read a '/' in an id)."""
    return year.replace("/", "-")


def known_id(year: str) -> dict:
    return {"type": "known", "key": year_key(year)}


def dom_id(cid: dict) -> str:
    """The DOM id Dash gives a pattern-matching id (its keys sorted, compact JSON), for ``<label for>``."""
    return json.dumps(cid, sort_keys=True, separators=(",", ":"))


def known_panel(years: list[str]) -> html.Fieldset:
    """Boxes for allowances already known, one per year after the base year (the page shows those
    open for the place on screen): a table with a header for the year and the box, labelled."""
    rows = [html.Tr(id={"type": "known-row", "key": year_key(year)}, hidden=True, children=[
        html.Th(html.Label([year, html.Span(" allowance, £m", className="visually-hidden")],
                           htmlFor=dom_id(known_id(year))), scope="row"),
        html.Td(dcc.Input(id=known_id(year), type="text", inputMode="decimal", debounce=True, value="",
                          maxLength=40, className="known-input", autoComplete="off")),
    ]) for year in years]
    return html.Fieldset(className="control-group known", id="known-panel", children=[
        html.Legend("Allowances you already know"),
        html.P(id="known-intro", className="hint"),
        html.Table(className="known-table", id="known-table", hidden=True, children=[
            html.Thead(html.Tr([html.Th("Year", scope="col"), html.Th("Allowance, £m", scope="col")])),
            html.Tbody(rows),
        ]),
        html.Div(id="known-messages", role="status", **{"aria-live": "polite"}),
    ])


# ---------------------------------------------------------------------------------------------
# Tables


def headline_table(table: pd.DataFrame, names: list[str], basis: dict[str, str] | None = None) -> Element:
    """The compare figures (model.output.compare.headline_table) as an HTML table, with a row
    saying whether each scenario's allowance is published, restated or projected (``basis``, by
    scenario). Cells carry ``data-measure`` (the results column) and ``data-scenario`` for tests
    and screen readers. Plain elements (:mod:`dashboard.elements`): every slider move remakes it."""
    columns = [c for c in table.columns if c != UNIT]
    head = element("Thead", element("Tr", [element("Th", "Measure", scope="col")] + [
        element("Th", c.replace(" - ", " vs ") if c not in names else c, scope="col",
                className="diff" if c not in names else "") for c in columns]))
    rows = []
    values = {c: table[c].tolist() for c in columns}
    for n, (headline, label, unit) in enumerate(zip(HEADLINES, table.index, table[UNIT].tolist(), strict=False)):
        cells = [element("Th", label, scope="row")]
        for c in columns:
            difference = c not in names
            cells.append(element("Td", headline_cell(float(values[c][n]), unit, difference),
                                 className="diff" if difference else "",
                                 **{"data-measure": headline.name, "data-scenario": c}))
        rows.append(element("Tr", cells))
        if headline.name == "allowance_gbp" and basis:
            rows.append(element("Tr", [element("Th", "Allowance is", scope="row")] + [
                element("Td", BASIS_SHOWN.get(basis.get(c, ""), ""), className=f"basis basis-{basis.get(c, '')}",
                        **{"data-measure": "allowance_basis", "data-scenario": c}) if c in names
                else element("Td", "", className="diff") for c in columns]))
    return element("Table", [head, element("Tbody", rows)], className="headline-table")


def allowance_table(place: dict[str, Columns], known_years: set[str]) -> Element:
    """The allowance by year behind the chart, one pair of columns per scenario: £m and what it
    rests on (published, restated, projected; 'your figure' for an allowance entered as known in
    the custom scenario). Plain elements (:mod:`dashboard.elements`): every slider move remakes it."""
    if not place:
        return element("P", "No scenario to show.", className="muted")
    names = list(place)
    years = next(iter(place.values()))["year"].tolist()
    head = element("Thead", [
        element("Tr", [element("Th", "Year", scope="col", rowSpan=2)] + [
            element("Th", n, scope="colgroup", colSpan=2) for n in names]),
        element("Tr", [th for _ in names for th in (element("Th", "£m, cash", scope="col"),
                                                    element("Th", "Basis", scope="col"))]),
    ])
    by_year = {}
    for name, rows in place.items():
        bases = rows["allowance_basis"].tolist() if "allowance_basis" in rows else [""] * len(rows)
        by_year[name] = dict(zip(rows["year"].tolist(), zip(rows["allowance_gbp"].tolist(), bases, strict=True),
                                 strict=True))
    body = []
    for year in years:
        cells: list[Element] = [element("Th", year, scope="row")]
        for name in names:
            if year not in by_year[name]:
                cells += [element("Td", "n/a"), element("Td", "")]
                continue
            gbp, basis = by_year[name][year]
            shown = "your figure" if name == CUSTOM and year in known_years else BASIS_SHOWN.get(basis, basis)
            cells += [element("Td", gbp_m(float(gbp))),
                      element("Td", shown, className=f"basis basis-{basis}",
                              **{"data-year": year, "data-scenario": name})]
        body.append(element("Tr", cells))
    return element("Table", [head, element("Tbody", body)], className="allowance-table")


def reconciliation_table(rec: Reconciliation) -> html.Table:
    """England's published allowances against the 30% cut (docs/methodology.md section 11)."""
    real = "ICB cost deflator" if rec.index == "cost" else "the scenario's deflator"
    head = html.Thead(html.Tr([html.Th("England", scope="col"), html.Th("£m", scope="col"),
                               html.Th(f"change vs {rec.first}, cash", scope="col"),
                               html.Th(f"in real terms ({real})", scope="col"),
                               html.Th("(GDP deflator)", scope="col")]))

    def shown(value: float | None) -> str:
        return "" if value is None else change_percent(value)

    body = [html.Tr([html.Th(r.label, scope="row"), html.Td(f"{r.gbp / 1e6:,.2f}"), html.Td(shown(r.cash)),
                     html.Td(shown(r.real_cost)), html.Td(shown(r.real_gdp))]) for r in rec.rows]
    return html.Table([head, html.Tbody(body)], className="reconciliation-table")


def place_info(places: Places, code: str, footprint: str, rows: Columns | None, year: str,
               scenario: str) -> list[Element]:
    """What the page says about the place on screen: which organisations it belongs with, what it
    was formed from or became (and the shares), and its need index, from ``rows`` (one scenario's
    rows for the place, every year). Plain elements (:mod:`dashboard.elements`): every slider move
    remakes them."""
    info = places.footprints[footprint]
    if footprint == places.current:
        on = f"Results on the {info.count} ICBs of today (from {info.first}; earlier years restated on them)"
    else:
        on = f"Results on the {info.count} ICBs of {info.first} to {info.last}"
    parts: list[Element] = []
    if code == ENGLAND_CODE:
        parts.append(element("P", f"England: the sum of the ICBs, the same on every footprint. {on}."))
    else:
        place = places.by_code[code]
        kind = what(places, place)
        later = " Years after it ended are its share of the ICBs it became part of." \
            if place.kind == FORMER and footprint in place.footprints else ""
        parts.append(element("P", [element("Strong", f"{short_name(place.name)} ({code})"),
                                    f", {place.region}: {kind}. {on}.{later}"]))
        for sentence in (place.formed, place.became, place.planned):
            if sentence:
                parts.append(element("P", f"{sentence} Shares are of GP-registered population.", className="formed"))
    if rows is not None and year in rows["year"].tolist():
        row = {column: value_in(rows, year, column) for column in ("need_index", "weighted_population", "population",
                                                                   "allowance_per_head_gbp", "allowance_gbp")}
        need = float(row["need_index"])
        parts.append(element(
            "P",
            f"Need index {need:.3f} in {year}: need-weighted population {row['weighted_population'] / 1e6:,.2f} "
            f"million over GP-registered population {row['population'] / 1e6:,.2f} million (NHS England's "
            f"allocation formula; 1 = England's average need per head). Allowance under {scenario}: "
            f"£{float(row['allowance_per_head_gbp']):,.2f} per registered person, "
            f"£{float(row['allowance_gbp']) / float(row['weighted_population']):,.2f} per need-weighted person.",
            className="need"))
    return parts


def scenario_list(items: list[tuple[str, str]]) -> html.Dl:
    """Each scenario's name and description."""
    children: list = []
    for name, description in items:
        children += [html.Dt(name), html.Dd(description)]
    return html.Dl(children, className="scenario-list")


def changes_table(found: list[Edit], start: str) -> Element:
    """What the custom scenario changes in its start: parameter, starting value, custom value.
    Plain elements (:mod:`dashboard.elements`): every slider move remakes it."""
    if not found:
        return element("P", f"Nothing yet: the custom scenario equals {start}. Move a control on the left.",
                       className="muted")
    head = element("Thead", element("Tr", [element("Th", "What"), element("Th", f"In {start}"),
                                           element("Th", "Custom"), element("Th", "Parameter")]))
    body = element("Tbody", [element("Tr", [element("Td", e.label), element("Td", e.before), element("Td", e.after),
                                            element("Td", element("Code", e.path))]) for e in found])
    return element("Table", [head, body], className="changes-table")


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
    """Each control's default in the starting scenario, with what it sets, its status, source or
    note and file: the text of every control's hover, in a table a keyboard and a screen reader
    reach too."""
    rows = []
    for control in CONTROLS:
        source = sp.sources.get(control.key)
        detail = source and (source.source or source.note)
        rows.append(html.Tr([
            html.Th(control.label, scope="row"),
            html.Td(control.help),
            html.Td(source.value if source else "-"),
            html.Td((source and source.status) or "-"),
            html.Td(linked(detail) if detail else "-", className="source-text"),
            html.Td((source and source.set_in) or "-"),
        ]))
    head = html.Thead(html.Tr([html.Th("Control", scope="col"), html.Th("What it sets", scope="col"),
                               html.Th(f"Default in {sp.name}", scope="col"), html.Th("Status", scope="col"),
                               html.Th("Source or note", scope="col"), html.Th("Set in", scope="col")]))
    return [html.Table([head, html.Tbody(rows)], className="sources-table")]
