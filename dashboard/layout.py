"""The page: functions returning components. No callbacks and no model logic here.

Reading order: what to show (place, year, scenarios), the headline table, what the custom
scenario changes, then the charts, each with a short note on how to read it. The custom
scenario's controls sit in a side panel with the sources of their defaults and the scenario file
upload and download.
"""

from __future__ import annotations

from dash import dcc, html
from dash.development.base_component import Component

from dashboard import a11y, components
from dashboard.controls import CUSTOM
from dashboard.figures import short_name
from dashboard.startpoint import defaults
from dashboard.store import UPLOAD_MAX_BYTES, ScenarioStore
from dashboard.urlstate import MAX_COMPARE, default_compare, default_year
from model.output.results import ENGLAND_CODE

CHARTS: tuple[tuple[str, str, str], ...] = (
    ("fig-allowance", "The allowance by year",
     "Each line is one scenario. Left: pounds in each year's cash. Right: the same pounds in {base} prices, "
     "that is, what the money buys once pay awards and price rises are paid. A line that falls faster on the "
     "right than on the left shows inflation eating into the allowance."),
    ("fig-workforce", "Staff the allowance pays for, against staff needed",
     "Solid lines: the whole-time equivalent (WTE) staff the allowance can pay for once non-pay costs are met. "
     "Dashed lines: the staff that core and delegated functions need. Where a solid line runs below its dashed "
     "line there is a shortfall; the table above gives its size for the year chosen."),
    ("fig-core", "Staff left for core work once delegated functions are staffed",
     "What is left for the ICB's own (core) work after pharmacy, optometry, dentistry and specialised "
     "commissioning are staffed as they need. The grey dotted line is what core functions need; below it, "
     "core work is squeezed to keep delegated functions running."),
    ("fig-waterfall", "From the {base} allowance to {year}'s, in {base} prices",
     "Start from the {base} allowance (left). Pale bars going down take money away: the cut to the core "
     "allowance (including any envelope) and inflation, the buying power lost to pay awards and price rises. "
     "Bars going up add money: the budgets that came with delegated functions. The last bar is what is left, "
     "in {base} prices. One group of bars per scenario, in £m."),
    ("fig-ranking", "Every ICB's staff gap per 100,000 GP-registered population, {year}",
     "Each row is an ICB, ranked by its gap under the first scenario ticked: the largest shortfall at the top. "
     "Each marker is one scenario; left of the zero line is a shortfall. Gaps are per 100,000 people on GP "
     "lists so that large and small ICBs compare fairly. Your chosen ICB is highlighted."),
)


RESULTS = "results"
"""Id of the page's main part, where "Skip to results" takes the keyboard."""
GRAPH_CONFIG = {"displaylogo": False, "responsive": True, "modeBarButtons": [["toImage"]],
                "toImageButtonOptions": {"format": "png", "scale": 2}}
"""Every chart's settings. Its tool bar keeps the picture download only: the other tools (zoom,
pan, select) work by mouse alone and each would be a stop for the Tab key; dragging on a chart
still zooms and a double click resets it."""


def chart_text(base_year: str, year: str) -> dict[str, tuple[str, str]]:
    """Each chart's title and "how to read this" note, for a base year and a chosen year."""
    return {graph_id: (title.format(base=base_year, year=year), note.format(base=base_year, year=year))
            for graph_id, title, note in CHARTS}


def units_hint(base_year: str) -> str:
    """What the headline table's figures are in, for a start whose base year is ``base_year``."""
    return (f"£m in cash unless stated; real terms in {base_year} prices; WTE = whole-time equivalent staff. "
            "Gaps are negative when there is a shortfall. Redundancy costs are one-off, beside the "
            "recurrent figures.")


def icb_options(store: ScenarioStore) -> list[dict]:
    """England, then every ICB by name, with its code and region."""
    table = store.icbs.sort_values("name")
    options = [{"label": f"England (all {len(table)} ICBs)", "value": ENGLAND_CODE}]
    options += [{"label": f"{short_name(r.name)} ({r.code}), {r.region}", "value": r.code}
                for r in table.itertuples(index=False)]
    return options


def compare_options(store: ScenarioStore, uploads: list[dict], chosen: list[str]) -> list[dict]:
    """The scenarios on offer, each with its description on hover; unticked ones are disabled once
    :data:`MAX_COMPARE` are ticked."""
    full = len(chosen) >= MAX_COMPARE
    options = []
    for key, loaded in store.shipped.items():
        options.append((key, key, loaded.scenario.description))
    options.append((CUSTOM, "custom (your settings)", "The scenario the controls on the left describe."))
    for upload in uploads or []:
        options.append((upload["key"], f"{upload['name']} (uploaded)", "A scenario file you uploaded."))
    return [{"label": html.Span(label, title=description), "value": key, "disabled": full and key not in chosen}
            for key, label, description in options]


def _field(label: str, child: Component, hint: str = "", field_id: str = "") -> html.Div:
    """A labelled input: the label names the widget for screen readers too (:func:`a11y.named`)
    and the hint describes it."""
    base = a11y.dom_id(child.id)
    label_id, hint_id = f"{base}-label", f"{base}-hint"
    return html.Div(className="field", children=[
        html.Label(label, htmlFor=field_id, id=label_id) if field_id
        else html.Div(label, className="field-label", id=label_id),
        a11y.named(child, label_id, hint_id if hint else None),
        html.Div(hint, className="hint", id=hint_id) if hint else None,
    ])


def view_bar(store: ScenarioStore) -> html.Div:
    """Place, year and the scenarios to compare."""
    keys = store.keys()
    years = list(store.labels)
    chosen = list(default_compare(keys))
    return html.Div(className="view-bar card", children=[
        _field("Place", dcc.Dropdown(id="icb", options=icb_options(store), value=ENGLAND_CODE, clearable=False,
                                     searchable=True, className="icb-dropdown"),
               "England or any ICB. Type to search by name or code.", "icb"),
        _field("Year", dcc.Dropdown(id="year", options=years, value=default_year(years), clearable=False,
                                    className="year-dropdown"),
               "For the table, the waterfall and the ranking.", "year"),
        _field(f"Scenarios to compare (up to {MAX_COMPARE})",
               dcc.Checklist(id="compare", options=compare_options(store, [], chosen), value=chosen,
                             inline=True, className="compare-list"),
               "The first ticked is the reference the table's differences are measured from. "
               "Hover over a name for what it means."),
    ])


def side_panel(store: ScenarioStore) -> html.Aside:
    """The custom scenario's controls, where their defaults come from, and scenario files."""
    base = store.shipped["base"].start
    settings = defaults(base)
    return html.Aside(className="side card", children=[
        html.H2("Your custom scenario"),
        html.P("Start from any scenario and move the controls: the 'custom' lines and columns follow at once. "
               "Hover over a control's name for what it means and where its default comes from.",
               className="hint"),
        _field("Starts from", dcc.Dropdown(id="start", options=list(store.shipped), value="base", clearable=False),
               "Changing it resets the controls to that scenario's values.", "start"),
        html.Button("Reset the controls", id="reset", n_clicks=0, className="button secondary"),
        html.Div(id="controls", children=components.control_panel(settings, base)),
        html.P(["Every default's source, status and file: ",
                html.A("where the defaults come from", href="#sources-section"), "."], className="hint"),
        html.H3("Scenario files"),
        html.Button("Download the custom scenario (YAML)", id="btn-yaml", n_clicks=0, className="button"),
        html.P("A file that `icb-model run` accepts unchanged: it starts from your starting scenario and "
               "writes only what you changed.", className="hint"),
        a11y.named(dcc.Upload(
            id="upload",
            children=html.Div(["Add a scenario: drop a YAML file here, or ",
                               html.Button("choose a file", id="upload-button", n_clicks=0, className="link-button")],
                              id="upload-label"),
            className="upload", multiple=False, accept=".yaml,.yml,text/yaml,application/x-yaml",
        ), "upload-label", "upload-hint"),
        html.P(f"Up to {UPLOAD_MAX_BYTES // 1024} KB. It is checked like `icb-model validate` and never run "
               "as code; a valid one joins the scenarios to compare.", className="hint", id="upload-hint"),
        html.Div(id="upload-messages", role="status", **{"aria-live": "polite"}),
    ])


def chart_card(graph_id: str, title: str, note: str) -> html.Section:
    """A chart with its title and a short note on how to read it."""
    return html.Section(className="chart card", children=[
        html.H3(title, id=f"{graph_id}-title"),
        html.Details(open=True, className="how-to-read", children=[
            html.Summary("How to read this"),
            html.P(note, id=f"{graph_id}-note"),
        ]),
        dcc.Graph(id=graph_id, config=GRAPH_CONFIG),
    ])


def main_panel(store: ScenarioStore) -> html.Main:
    """The headline table, what the custom scenario changes, and the charts."""
    return html.Main(className="main", id=RESULTS, tabIndex="-1", children=[
        html.Section(className="card headline", children=[
            html.H2(id="view-title"),
            html.Div(id="notes", role="status", **{"aria-live": "polite"}),
            html.Div(id="headline"),
            html.P(units_hint(store.shipped["base"].start.base_year), id="units-hint", className="hint"),
            html.Div(className="downloads", children=[
                html.Button("Download compared results (CSV)", id="btn-csv", n_clicks=0, className="button"),
                html.Button("Download compared results (Excel)", id="btn-xlsx", n_clicks=0, className="button"),
                html.Span("Every ICB and England, every year, in £ and fractions (the results.csv format).",
                          className="hint"),
            ]),
            html.Div(className="downloads", children=[
                html.Button("Download board briefing (PDF)", id="btn-briefing-pdf", n_clicks=0, className="button"),
                html.Button("Download board briefing (Word)", id="btn-briefing-docx", n_clicks=0,
                            className="button"),
                html.Span("A paper for the board on this place, year and these scenarios (the first ticked is the "
                          "reference), your custom settings included. It takes a second or two.", className="hint"),
                dcc.Loading(html.Div(id="briefing-status", role="status", **{"aria-live": "polite"}), type="dot",
                            color="#005eb8"),
            ]),
        ]),
        html.Section(className="card", children=[
            html.H3("What the custom scenario changes", id="changes-title"),
            html.Div(id="changes"),
            html.Details(className="sources", id="sources-section", children=[
                html.Summary("Where the defaults come from"),
                html.P("Each control's default in the starting scenario, with its status (sourced, inference or "
                       "assumption), its source or the note that explains it, and the file and line that set it.",
                       className="hint"),
                html.Div(id="sources", children=components.sources_panel(store.shipped["base"].start)),
            ]),
        ]),
        *[chart_card(graph_id, title, note) for graph_id, (title, note) in
          chart_text(store.labels[0], default_year(list(store.labels))).items()],
        html.Footer(id="footer", className="footer"),
    ])


def build_layout(store: ScenarioStore) -> html.Div:
    """The whole page."""
    return html.Div(className="page", children=[
        a11y.skip_link(RESULTS),
        dcc.Location(id="url", refresh=False),
        dcc.Store(id="uploads", data=[]),
        dcc.Download(id="dl-csv"),
        dcc.Download(id="dl-xlsx"),
        dcc.Download(id="dl-yaml"),
        dcc.Download(id="dl-briefing"),
        html.Header(className="header", children=[
            html.H1("ICB running costs: what the cuts mean for your ICB"),
            html.P("Pick England or an ICB, compare the official scenarios and try your own. Figures are "
                   "modelled, not published: every default has a source or a stated assumption. Per-head "
                   "figures use GP-registered population."),
        ]),
        view_bar(store),
        html.Div(className="columns", children=[side_panel(store), main_panel(store)]),
    ])
