"""Callbacks: read the page, ask the :class:`~dashboard.store.ScenarioStore` for numbers, build
figures and tables.

The work is in two plain functions that need no Dash context, so tests and the benchmark call
exactly what a callback runs:

- :func:`resolve`: what triggered the update and the widgets' values -> the :class:`View`
  (from the URL on first load or back/forward; the start's defaults after a change of start or
  a reset; otherwise the widgets as they are).
- :func:`render`: a View -> everything the page shows for it.

One callback (:func:`_register_update`) handles every control, so a slider move costs one
request. Downloads and uploads have their own callbacks; what the downloads hold is made by
:func:`results_csv`, :func:`results_xlsx` and :func:`dashboard.briefing.board_briefing`.
"""

from __future__ import annotations

import base64
import binascii
import tempfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from dash import ALL, Dash, Input, Output, State, ctx, dcc, html, no_update
from dash.development.base_component import Component

from dashboard import components, figures, layout
from dashboard.briefing import BRIEFING_BUTTONS, board_briefing
from dashboard.controls import CONTROL_BY_KEY, CONTROLS, CUSTOM, format_setting
from dashboard.startpoint import defaults, settings_from
from dashboard.store import UPLOAD_MAX_BYTES, Custom, ScenarioStore
from dashboard.urlstate import MAX_COMPARE, UPLOAD_PREFIX, View, default_year, parse_query, to_query
from model import __version__ as MODEL_VERSION
from model.output.compare import headline_table
from model.output.results import ENGLAND_CODE, rounded

FIGURES = ("fig-allowance", "fig-workforce", "fig-core", "fig-waterfall", "fig-ranking")


def offered_keys(store: ScenarioStore, uploads: list[dict] | None) -> list[str]:
    """Compare keys this page may use: shipped, custom, and this browser's valid uploads."""
    store.ensure_uploads(uploads)
    own = [u["key"] for u in uploads or [] if store.get(u["key"]) is not None]
    return [*list(store.shipped), CUSTOM, *own]


def resolve(store: ScenarioStore, trigger: str | None, search: str | None, start: str | None,
            values: dict[str, object], icb: str | None, year: str | None, compare: list[str] | None,
            uploads: list[dict] | None) -> tuple[View, str]:
    """The view to show and how it was reached: ``url`` (first load, back/forward: everything from
    the URL), ``reset`` (a new start or the reset button: the start's defaults) or ``edit``."""
    keys = offered_keys(store, uploads)
    years = list(store.labels)
    codes = list(store.icbs["code"])
    starts = store.starts()
    if trigger in (None, "url"):
        return parse_query(search, starts, codes, years, keys), "url"
    start = start if start in starts else "base"
    icb = icb if icb in codes else ENGLAND_CODE
    year = year if year in years else default_year(years)
    chosen = tuple(k for k in dict.fromkeys(compare or []) if k in keys)[:MAX_COMPARE]
    if trigger in ("start", "reset"):
        return View(start, icb, year, chosen, defaults(starts[start])), "reset"
    return View(start, icb, year, chosen, settings_from(values, starts[start])), "edit"


@dataclass(frozen=True)
class Rendered:
    """Everything the page shows for a view (components and figures)."""

    title: str
    notes: list
    headline: Component
    changes: Component
    figures: dict
    chart_text: dict
    footer: list
    readouts: dict[str, str]
    units: str


def _notes(store: ScenarioStore, view: View, names: list[str], names_here: list[str]) -> list:
    notes = []
    if not names:
        notes.append("Tick at least one scenario to compare.")
    elif CUSTOM not in view.compare:
        notes.append("Your custom scenario is not ticked: tick 'custom' to see your settings in the table and charts.")
    sp = store.shipped[view.start].start
    if view.settings["envelope.on"] and sp.envelope is None and sp.programme_pay_per_head_gbp == 0:
        notes.append(f"The per-head envelope covers running costs and programme-funded pay together, but "
                     f"{view.start} has no programme pay, so the envelope is set against the running cost "
                     "allowance alone. Start from envelope_2025 to include programme pay.")
    with_programme = [key for key in view.compare if _programme_pay(store, view, key) > 0]
    if with_programme and len(with_programme) < len(view.compare):
        shown = [CUSTOM if k == CUSTOM else store.get(k).name for k in with_programme]
        who = shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " and " + shown[-1]
        verb, its = ("counts", "its") if len(shown) == 1 else ("count", "their")
        notes.append(f"{who} {verb} programme-funded pay within the allowance (as the 2025 envelope does), so "
                     f"{its} allowance and staff start higher than the others'. Compare changes rather than levels.")
    missing = [n for n in names if n not in names_here]
    if missing:
        notes.append(f"Left out here because it does not include this place: {', '.join(missing)}.")
    return [html.P(text, className="note") for text in notes]


def _programme_pay(store: ScenarioStore, view: View, key: str) -> float:
    """Programme-funded pay per head (£, base year) a compared scenario counts in its allowance."""
    loaded = store.shipped[view.start] if key == CUSTOM else store.get(key)
    return 0.0 if loaded is None else loaded.start.programme_pay_per_head_gbp


def _footer(view: View, store: ScenarioStore, custom: Custom) -> str:
    """The charts' footer: the model version and each compared scenario's content hash."""
    parts = []
    for key in view.compare:
        if key == CUSTOM:
            parts.append(f"custom = {view.start} + {len(custom.edits)} change(s), sha256 {custom.content_hash[:12]}")
        else:
            loaded = store.get(key)
            if loaded is not None:
                parts.append(f"{loaded.name} sha256 {loaded.content_hash[:12]}")
    return f"ICB running-cost model {MODEL_VERSION}. " + "; ".join(parts)


def render(store: ScenarioStore, view: View) -> Rendered:
    """The headline table, the changes table, the five charts and the notes for a view."""
    results, names, custom = store.compared(view)
    place = figures.place_rows(results, names, view.icb)
    names_here = list(place)
    base_year = store.labels[0]
    colour = figures.colours(names, list(store.shipped))
    footer = _footer(view, store, custom)
    start_year = store.shipped[view.start].start.base_year
    place_name = "England" if view.icb == ENGLAND_CODE else str(
        store.icbs.loc[store.icbs["code"] == view.icb, "name"].iloc[0])
    if names_here:
        table = headline_table(results, names_here, view.year, view.icb)
        headline = components.headline_table(table, names_here)
    else:
        headline = html.P("No scenario to show.", className="muted")
    figs = {
        "fig-allowance": figures.allowance_figure(place, colour, base_year, footer),
        "fig-workforce": figures.workforce_figure(place, colour, footer),
        "fig-core": figures.core_capacity_figure(place, colour, footer),
        "fig-waterfall": figures.waterfall_figure(place, colour, base_year, view.year, footer),
        "fig-ranking": figures.ranking_figure(results, names, view.icb, colour, view.year, footer),
    }
    people = "n/a"
    if names_here:
        rows = place[names_here[0]]
        population = rows.loc[rows["year"] == view.year, "population"]
        people = f"{population.iloc[0] / 1e6:,.2f} million" if len(population) else "n/a"
    return Rendered(
        title=f"{place_name}, {view.year}: {people} GP-registered people",
        notes=_notes(store, view, names, names_here),
        headline=headline,
        changes=components.changes_table(list(custom.edits), view.start),
        figures=figs,
        chart_text=layout.chart_text(base_year, view.year),
        footer=[footer],
        readouts={c.key: format_setting(c, view.settings[c.key], start_year) for c in CONTROLS},
        units=layout.units_hint(start_year),
    )


def _by_key(ids: list[dict], values: list) -> dict[str, object]:
    return {i["key"]: v for i, v in zip(ids, values, strict=False)}


def view_from_state(store: ScenarioStore, start: str, ids: list[dict], values: list, icb: str, year: str,
                    compare: list[str], uploads: list[dict]) -> View:
    """The view the widgets show now (for downloads)."""
    view, _ = resolve(store, "edit", None, start, _by_key(ids, values), icb, year, compare, uploads)
    return view


def results_csv(store: ScenarioStore, view: View) -> str:
    """The compared results as ``results.csv`` text (£ and fractions, rounded per column), the
    custom rows byte for byte what ``icb-model run`` writes for the downloaded scenario file."""
    results, _, _ = store.compared(view)
    return rounded(results).to_csv(index=False, lineterminator="\n")


def results_xlsx(store: ScenarioStore, view: View) -> bytes:
    """The compared results as ``results.xlsx`` (as ``icb-model run`` writes it), with an Assumptions
    sheet in which the custom scenario's values changed by the controls say "set in the dashboard"."""
    from model.output.export import write_xlsx

    results, _, custom = store.compared(view)
    with tempfile.TemporaryDirectory(prefix="icb-xlsx-") as folder:
        path = Path(folder) / "results.xlsx"
        write_xlsx(results, store.scenarios_for_export(view, custom), path)
        return path.read_bytes()


def decode_upload(contents: str) -> bytes | str:
    """The bytes of a dcc.Upload data URL, or a message when it cannot be read or is too large."""
    try:
        encoded = contents.split(",", 1)[1]
    except (AttributeError, IndexError):
        return "the upload could not be read. Try again."
    if len(encoded) * 3 // 4 > UPLOAD_MAX_BYTES + 3:
        size = len(encoded) * 3 // 4
        return f"the file is about {size:,} bytes, over the limit of {UPLOAD_MAX_BYTES:,}. Scenario files are small; " \
               "check it is the right file."
    try:
        return base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError):
        return "the upload could not be read. Try again."


CONTROL_IDS = State({"type": "control", "key": ALL}, "id")


def register_callbacks(app: Dash, store: ScenarioStore) -> None:
    """Attach the page's callbacks to ``app``."""
    _register_update(app, store)
    _register_uploads(app, store)
    _register_downloads(app, store)


def _register_update(app: Dash, store: ScenarioStore) -> None:
    """The one callback every control, selector and the URL trigger."""

    @app.callback(
        Output("url", "search"),
        Output("start", "value"),
        Output({"type": "control", "key": ALL}, "value"),
        Output("icb", "value"),
        Output("year", "value"),
        Output("compare", "value"),
        Output({"type": "readout", "key": ALL}, "children"),
        Output({"type": "control-label", "key": ALL}, "title"),
        Output("sources", "children"),
        Output("view-title", "children"),
        Output("notes", "children"),
        Output("headline", "children"),
        Output("units-hint", "children"),
        Output("changes", "children"),
        *[Output(f, "figure") for f in FIGURES],
        *[Output(f"{f}-title", "children") for f in FIGURES],
        *[Output(f"{f}-note", "children") for f in FIGURES],
        Output("footer", "children"),
        Input("url", "search"),
        Input("start", "value"),
        Input("reset", "n_clicks"),
        Input({"type": "control", "key": ALL}, "value"),
        Input("icb", "value"),
        Input("year", "value"),
        Input("compare", "value"),
        Input("uploads", "data"),
        CONTROL_IDS,
        State({"type": "readout", "key": ALL}, "id"),
    )
    def update(search, start, _reset, values, icb, year, compare, uploads, ids, readout_ids):
        trigger = ctx.triggered_id if isinstance(ctx.triggered_id, str) else ("control" if ctx.triggered_id else None)
        view, how = resolve(store, trigger, search, start, _by_key(ids, values), icb, year, compare, uploads)
        out = render(store, view)
        sp = store.shipped[view.start].start
        keys_in_page = [i["key"] for i in ids]
        query = to_query(view, sp)
        new_search = no_update if how == "url" or query == (search or "") else query
        if how == "edit":
            widgets = [no_update] * len(ids)
        else:
            widgets = [components.widget_value(CONTROL_BY_KEY[k], view.settings[k]) for k in keys_in_page]
        selectors = (view.start, view.icb, view.year, list(view.compare)) if how == "url" else (
            no_update, no_update, no_update, list(view.compare) if list(view.compare) != (compare or []) else no_update)
        if how == "edit":
            titles, sources = [no_update] * len(ids), no_update
        else:
            titles = [components.hover_text(CONTROL_BY_KEY[k], sp) for k in keys_in_page]
            sources = components.sources_panel(sp)
        return (
            new_search, selectors[0], widgets, selectors[1], selectors[2], selectors[3],
            [out.readouts[i["key"]] for i in readout_ids], titles, sources,
            out.title, out.notes, out.headline, out.units, out.changes,
            *[out.figures[f] for f in FIGURES],
            *[out.chart_text[f][0] for f in FIGURES],
            *[out.chart_text[f][1] for f in FIGURES],
            out.footer,
        )


def _register_uploads(app: Dash, store: ScenarioStore) -> None:
    """The compare options (uploads join them) and the upload callback."""

    @app.callback(
        Output("compare", "options"),
        Input("compare", "value"),
        Input("uploads", "data"),
    )
    def compare_options(chosen, uploads):
        return layout.compare_options(store, uploads, chosen or [])

    @app.callback(
        Output("upload-messages", "children"),
        Output("uploads", "data"),
        Output("compare", "value", allow_duplicate=True),
        Output("upload", "contents"),
        Input("upload", "contents"),
        State("upload", "filename"),
        State("uploads", "data"),
        State("compare", "value"),
        prevent_initial_call=True,
    )
    def upload(contents, filename, uploads, chosen):
        if not contents:
            return no_update, no_update, no_update, no_update
        raw = decode_upload(contents)
        if isinstance(raw, str):
            messages, loaded = (f"{filename or 'the upload'} | {raw}",), None
        else:
            result = store.upload(filename, raw)
            messages, loaded = result.messages, result.loaded
        uploads = [u for u in uploads or [] if loaded is None or u["name"] != loaded.name]
        chosen = list(chosen or [])
        if loaded is not None:
            uploads.append({"key": loaded.key, "name": loaded.name, "filename": filename,
                            "text": raw.decode("utf-8-sig")})
            chosen = [k for k in chosen if not k.startswith(UPLOAD_PREFIX) or k in {u["key"] for u in uploads}]
            if loaded.key not in chosen and len(chosen) < MAX_COMPARE:
                chosen.append(loaded.key)
        ok = loaded is not None
        box = html.Div(className="upload-ok" if ok else "upload-error", role="alert", children=[
            html.P("Scenario file accepted." if ok else "The scenario file was not accepted:"),
            html.Ul([html.Li(html.Code(m)) for m in messages]),
        ])
        return box, uploads, chosen, None


def _register_downloads(app: Dash, store: ScenarioStore) -> None:
    """The CSV, Excel, board briefing and scenario file downloads."""
    downloads_state = (
        State("start", "value"), State({"type": "control", "key": ALL}, "value"), CONTROL_IDS,
        State("icb", "value"), State("year", "value"), State("compare", "value"), State("uploads", "data"),
    )

    @app.callback(Output("dl-csv", "data"), Input("btn-csv", "n_clicks"), *downloads_state,
                  prevent_initial_call=True)
    def download_csv(_n, start, values, ids, icb, year, compare, uploads):
        view = view_from_state(store, start, ids, values, icb, year, compare, uploads)
        return dcc.send_string(results_csv(store, view), f"icb_results_{date.today().isoformat()}.csv")

    @app.callback(Output("dl-xlsx", "data"), Input("btn-xlsx", "n_clicks"), *downloads_state,
                  prevent_initial_call=True)
    def download_xlsx(_n, start, values, ids, icb, year, compare, uploads):
        view = view_from_state(store, start, ids, values, icb, year, compare, uploads)
        return dcc.send_bytes(results_xlsx(store, view), f"icb_results_{date.today().isoformat()}.xlsx")

    @app.callback(Output("dl-yaml", "data"), Input("btn-yaml", "n_clicks"), *downloads_state,
                  prevent_initial_call=True)
    def download_yaml(_n, start, values, ids, icb, year, compare, uploads):
        view = view_from_state(store, start, ids, values, icb, year, compare, uploads)
        text = store.custom_yaml(view.start, view.settings, MODEL_VERSION)
        return dcc.send_string(text, f"{CUSTOM}.yaml")

    @app.callback(Output("dl-briefing", "data"), Output("briefing-status", "children"),
                  *[Input(button, "n_clicks") for button in BRIEFING_BUTTONS], *downloads_state,
                  running=[(Output(button, "disabled"), True, False) for button in BRIEFING_BUTTONS],
                  prevent_initial_call=True)
    def download_briefing(_pdf, _docx, start, values, ids, icb, year, compare, uploads):
        kind = BRIEFING_BUTTONS.get(ctx.triggered_id) if isinstance(ctx.triggered_id, str) else None
        if kind is None:
            return no_update, no_update
        view = view_from_state(store, start, ids, values, icb, year, compare, uploads)
        made = board_briefing(store, view, kind)
        status = html.P(made.note or f"Downloaded {made.filename}.", className="note" if made.note else "hint")
        sent = no_update if made.data is None else dcc.send_bytes(made.data, made.filename, type=made.media_type)
        return sent, status
