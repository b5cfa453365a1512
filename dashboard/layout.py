"""The page: functions returning components. No callbacks and no model logic here.

Reading order: what to show (place, footprint, year, scenarios), the place and the headline
table, the published allowances against the 30% cut, what the custom scenario changes, then the
charts, each with a short note on how to read it. The custom scenario's controls sit in a side
panel with the allowances a finance lead already knows, the sources of the defaults and the
scenario file upload and download.
"""

from __future__ import annotations

from dash import dcc, html
from dash.development.base_component import Component

from dashboard import a11y, components, effects, facts, statement
from dashboard.controls import CUSTOM
from dashboard.places import footprint_options, place_options
from dashboard.startpoint import defaults
from dashboard.store import UPLOAD_MAX_BYTES, ScenarioStore
from dashboard.urlstate import MAX_COMPARE, default_compare, default_year
from model.output.listing import published_lines
from model.output.results import ENGLAND_CODE

SERVED = "as-served"
"""The store that says whether the page still shows the view it was served with: True until the
update first answers with a change (dashboard.callbacks.serve_default_view)."""

CHARTS: tuple[tuple[str, str, str], ...] = (
    ("fig-allowance", "The allowance by year",
     "Each line is one scenario. Left: pounds in each year's cash. Right: the same pounds in {base} prices, "
     "that is, what the money buys once pay awards and price rises are paid. A line that falls faster on the "
     "right than on the left shows inflation eating into the allowance. Solid markers are NHS England's "
     "published allowances (or, for an ICB formed later, the sum of its predecessors' published figures); "
     "open markers are projected by the scenario's rules. A dotted line marks the year the ICBs changed."),
    ("fig-workforce", "Staff the allowance pays for, against staff needed",
     "Thick lines with filled markers: the whole-time equivalent (WTE) staff the allowance can pay for once "
     "non-pay costs are met. Thin lines with open markers: the staff that core and delegated functions need. "
     "Each scenario keeps its colour, line dash and marker. Where a thick line runs below its thin one there is "
     "a shortfall; the table above gives its size for the year chosen."),
    ("fig-core", "Staff left for core work once delegated functions are staffed",
     "What is left for the ICB's own (core) work after pharmacy, optometry, dentistry and specialised "
     "commissioning are staffed as they need. The grey dotted line is what core functions need; below it, "
     "core work is squeezed to keep delegated functions running."),
    ("fig-waterfall", "From the {base} allowance to {year}'s, in {base} prices",
     "Start from the {base} allowance (left). Pale bars going down take money away: the cut to the core "
     "allowance (including any envelope) and inflation, the buying power lost to pay awards and price rises. "
     "Bars going up add money: the budgets that came with delegated functions. The last bar is what is left, "
     "in {base} prices. One group of bars per scenario, in £m."),
    ("fig-per-head", "Every ICB's running cost allowance per GP-registered person, {year}",
     "Each row is an ICB, lowest allowance per head at the top under the first scenario ticked; each marker is "
     "one scenario (solid: published or a sum of published figures; open: projected). Programme-funded pay, which "
     "some scenarios count on top, is left out so that published figures show alike. The axis spans the ICBs' "
     "spread rather than starting at zero. Hover for an ICB's need index. Your chosen ICB is highlighted."),
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


ROW_HEADERS = {"fig-allowance": "Year", "fig-workforce": "Year", "fig-core": "Year", "fig-waterfall": "Step",
               "fig-per-head": "ICB", "fig-ranking": "ICB"}
"""What each row of a chart's "Show the numbers" table is."""


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
    """England, the current ICBs by name, then the former ones ('until March 2026') and those a
    scenario plans, each with its code and region (see :func:`dashboard.places.place_options`)."""
    return place_options(store.places)


def valid_uploads(uploads: object) -> list[dict]:
    """The uploads the browser holds that have the shape the page gave them (a key and a name)."""
    if not isinstance(uploads, list):
        return []
    return [u for u in uploads if isinstance(u, dict) and isinstance(u.get("key"), str)
            and isinstance(u.get("name"), str)]


def compare_options(store: ScenarioStore, uploads: list[dict], chosen: list[str]) -> list[dict]:
    """The scenarios on offer, each with its description on hover; unticked ones are disabled once
    :data:`MAX_COMPARE` are ticked."""
    full = len(chosen) >= MAX_COMPARE
    options = []
    for key, loaded in store.shipped.items():
        options.append((key, key, loaded.scenario.description))
    options.append((CUSTOM, "custom (your settings)", "The scenario the controls on the left describe."))
    for upload in valid_uploads(uploads):
        options.append((upload["key"], f"{upload['name']} (uploaded)", "A scenario file you uploaded."))
    return [{"label": html.Span(label, title=description), "value": key, "disabled": full and key not in chosen}
            for key, label, description in options]


def _field(label: str, child: Component, hint: str = "", field_id: str = "", wide: bool = False) -> html.Div:
    """A labelled field: a ``<label for>`` for a single control (``field_id``), else a fieldset
    whose legend names a group of radio buttons or boxes. A label names the widget's focusable
    parts for screen readers too and the hint describes them (:func:`a11y.named`)."""
    classes = "field wide" if wide else "field"
    base = a11y.dom_id(child.id)
    label_id, hint_id = f"{base}-label", f"{base}-hint"
    hint_div = html.Div(hint, className="hint", id=hint_id) if hint else None
    described = hint_id if hint else None
    if not field_id:  # the fieldset is the group: assets/a11y.js gives Dash's list inside no role of its own
        return html.Fieldset(className=f"{classes} field-group", children=[
            html.Legend(label, className="field-label", id=label_id), child, hint_div,
        ], **({"aria-describedby": hint_id} if hint else {}))
    return html.Div(className=classes, children=[
        html.Label(label, htmlFor=field_id, id=label_id),
        a11y.named(child, label_id, described), hint_div,
    ])


def scenario_descriptions(store: ScenarioStore, uploads: list[dict] | None) -> html.Dl:
    """Each scenario on offer and what it is: the shipped ones' descriptions, the custom one (what
    it changes is under "What the custom scenario changes") and uploads'."""
    items = [(key, loaded.scenario.description) for key, loaded in store.shipped.items()]
    items.append((CUSTOM, "Your settings: the starting scenario chosen on the left with what the controls change, "
                          "listed under \"What the custom scenario changes\"."))
    for upload in valid_uploads(uploads):
        loaded = store.get(upload["key"])
        if loaded is not None:
            items.append((f"{loaded.name} (uploaded)", loaded.scenario.description or "No description."))
    return components.scenario_list(items)


def view_bar(store: ScenarioStore) -> html.Div:
    """Place, footprint, year and the scenarios to compare (with what each scenario is)."""
    keys = store.keys()
    years = list(store.labels)
    chosen = list(default_compare(keys))
    return html.Div(className="view-bar card", children=[
        _field("Place", dcc.Dropdown(id="icb", options=icb_options(store), value=ENGLAND_CODE, clearable=False,
                                     searchable=True, className="icb-dropdown", maxHeight=420),
               "England, one of the ICBs of today, or a former ICB (until March 2026). Type a name or code to "
               "search.", "icb"),
        _field("Organisations", dcc.RadioItems(id="footprint", options=footprint_options(store.places),
                                               value=store.places.current, className="control-choice footprint"),
               "Which ICBs the results are stated on; other years are restated on them by population shares.", ""),
        _field("Year", dcc.Dropdown(id="year", options=years, value=default_year(years), clearable=False,
                                    className="year-dropdown"),
               "For the table, the waterfall and the rankings.", "year"),
        _field(f"Scenarios to compare (up to {MAX_COMPARE})",
               dcc.Checklist(id="compare", options=compare_options(store, [], chosen), value=chosen,
                             inline=True, className="compare-list"),
               "The first ticked is the reference the table's differences are measured from. "
               "Hover over a name for what it means, or open the list below.", wide=True),
        html.Details(className="scenarios", children=[
            html.Summary("What each scenario is"),
            html.Div(id="scenario-list", children=scenario_descriptions(store, [])),
        ]),
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
        html.Details(className="start-about", children=[
            html.Summary("What the starting scenario is"),
            html.P(store.shipped["base"].scenario.description, id="start-description", className="hint"),
        ]),
        html.Button("Reset the controls", id="reset", n_clicks=0, className="button secondary"),
        components.known_panel(list(store.labels[1:])),
        html.Div(id="controls", children=components.control_panel(settings, base, effects.hidden_controls(base))),
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
    """A chart with its title, a short note on how to read it and its text alternative: a summary
    sentence (:mod:`dashboard.textalt`) and "Show the numbers", a table of what it plots that
    ``assets/numbers.js`` builds in the page from the figure when opened; the
    allowance chart has what each figure rests on too (published, restated or projected by year)."""
    table = [html.Details(className="figures-behind", children=[
        html.Summary("The figures behind this chart"),
        html.Div(id="allowance-table", tabIndex="0", role="region",
                 **{"aria-label": "The allowance by year: what each figure rests on"}),
    ])] if graph_id == "fig-allowance" else []
    return html.Section(className="chart card", children=[
        html.H3(title, id=f"{graph_id}-title"),
        html.Details(open=True, className="how-to-read", children=[
            html.Summary("How to read this"),
            html.P(note, id=f"{graph_id}-note"),
        ]),
        # On a narrow screen the chart keeps a readable width and scrolls sideways in its box (a chart
        # is two-dimensional content, WCAG 1.4.10); Tab reaches the box so the keyboard can scroll it.
        html.Div(role="figure", className="chart-box", tabIndex="0",
                 **{"aria-labelledby": f"{graph_id}-title", "aria-describedby": f"{graph_id}-summary"},
                 children=dcc.Graph(id=graph_id, config=GRAPH_CONFIG, className="chart-graph")),
        html.P(id=f"{graph_id}-summary", className="chart-summary"),
        html.Details(className="numbers-behind", **{"data-graph": graph_id, "data-rows": ROW_HEADERS[graph_id]},
                     children=[
            html.Summary("Show the numbers"),
            html.Div(id=f"{graph_id}-numbers", className="table-scroll", tabIndex="0", role="region",
                     **{"aria-labelledby": f"{graph_id}-title"}),  # scrolls sideways: Tab reaches it
        ]),
        *table,
    ])


def published_section(store: ScenarioStore) -> html.Section:
    """NHS England's published allowances against the 30% cut (docs/methodology.md section 11):
    a sentence always in view, the table, and the figures the base takes as facts."""
    base = store.shipped["base"]
    rec = facts.reconciliation(base.scenario, base.results, base.inputs.values["inflation.gdp_deflator"][0],
                               store.root)
    if rec is None:
        return html.Section(id="published-section")
    return html.Section(className="card published", id="published-section", children=[
        html.H3("Published allowances and the 30% cut"),
        html.P(facts.headline_sentence(rec), className="fact-note"),
        html.Details(className="reconciliation", children=[
            html.Summary("The figures, and what explains the gap"),
            components.reconciliation_table(rec),
            html.Ul([html.Li(text) for text in facts.GAP_NOTES]),
            html.P("Where the base uses them, these figures are facts: in those years each ICB's allowance equals "
                   "NHS England's figure, and the rules only project the years after. docs/methodology.md, "
                   "section 11, has the sources.", className="hint"),
            html.Pre("\n".join(published_lines(base.scenario)), className="published-lines"),
        ]),
    ])


def main_panel(store: ScenarioStore) -> html.Main:
    """The headline table, what the custom scenario changes, and the charts."""
    return html.Main(className="main", id=RESULTS, tabIndex="-1", children=[
        html.Section(className="card headline", children=[
            html.H2(id="view-title"),
            html.Div(id="view-error", role="alert"),
            html.Div(id="place-info", className="place-info"),
            html.Div(id="notes", role="status", **{"aria-live": "polite"}),
            html.P(id="announce", role="status", className="visually-hidden",
                   **{"aria-live": "polite", "aria-atomic": "true"}),
            html.Div(id="headline", tabIndex="0", role="region", **{"aria-labelledby": "view-title"}),  # may scroll
            html.P(units_hint(store.shipped["base"].start.base_year), id="units-hint", className="hint"),
            html.Div(className="downloads", children=[
                html.Button("Download compared results (CSV)", id="btn-csv", n_clicks=0, className="button"),
                html.Button("Download compared results (Excel)", id="btn-xlsx", n_clicks=0, className="button"),
                html.Span("Every ICB and England, every year, in £ and fractions (the results.csv format), on the "
                          "organisations chosen above.", className="hint"),
                html.Div(id="download-status", role="status", **{"aria-live": "polite"}),
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
        published_section(store),
        html.Section(className="card", children=[
            html.H3("What the custom scenario changes", id="changes-title"),
            html.Div(id="changes", tabIndex="0", role="region", **{"aria-labelledby": "changes-title"}),
            html.Details(className="sources", id="sources-section", children=[
                html.Summary("What each control sets and where its default comes from"),
                html.P("Each control, what it sets, its default in the starting scenario, with its status "
                       "(sourced, inference or assumption), its source or the note that explains it, and the file "
                       "and line that set it (the same text as the control's hover).",
                       className="hint"),
                html.Div(id="sources", tabIndex="0", role="region",
                         **{"aria-label": "What each control sets and where its default comes from"},
                         children=components.sources_panel(store.shipped["base"].start)),
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
        dcc.Store(id=SERVED, data=True),
        dcc.Download(id="dl-csv"),
        dcc.Download(id="dl-xlsx"),
        dcc.Download(id="dl-yaml"),
        dcc.Download(id="dl-briefing"),
        html.Header(className="header", children=[
            html.H1("ICB running costs: what the cuts mean for your ICB"),
            html.P("Pick England or an ICB, compare the official scenarios and try your own. NHS England's "
                   "published allowances (2023/24 to 2025/26) are facts, marked as published; other years are "
                   "modelled, and every default has a source or a stated assumption. Per-head figures use "
                   "GP-registered population."),
        ]),
        view_bar(store),
        html.Div(className="columns", children=[side_panel(store), main_panel(store)]),
        html.Footer(className="site-footer", children=[
            html.A("Accessibility statement", href=statement.PATH),
            " · ICB running-cost model: open source; every figure traceable to its inputs.",
        ]),
    ])
