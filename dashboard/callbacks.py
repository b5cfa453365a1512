"""Callbacks: read the page, ask the :class:`~dashboard.store.ScenarioStore` for numbers, build
figures and tables.

The work is in two plain functions that need no Dash context, so tests and the benchmark call
exactly what a callback runs:

- :func:`resolve`: what triggered the update and the widgets' values -> the :class:`View`
  (from the URL on first load or back/forward; the start's defaults after a change of start or
  a reset; otherwise the widgets as they are).
- :func:`render`: a View -> everything the page shows for it.

One callback (:func:`_register_update`) handles every control, so a slider move costs one
request. Downloads and uploads have their own callbacks, in :mod:`dashboard.transfers`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import parse_qsl

from dash import ALL, Dash, Input, Output, State, ctx, html, no_update
from dash.development.base_component import Component

from dashboard import components, effects, facts, figures, layout, textalt, transfers
from dashboard.chartdata import spread
from dashboard.controls import CONTROL_BY_KEY, CONTROLS, CUSTOM, format_setting
from dashboard.known import Known, amount_text, for_place, from_text, open_years, typed
from dashboard.places import change_marks, place_on, short_name
from dashboard.startpoint import StartPoint, defaults, settings_from
from dashboard.store import Custom, ScenarioStore
from dashboard.urlstate import (
    KNOWN_KEY,
    MAX_COMPARE,
    MAX_QUERY,
    View,
    default_year,
    parse_query,
    to_query,
)
from model import __version__ as MODEL_VERSION
from model.output.compare import headline_table
from model.output.results import ENGLAND_CODE

FIGURES = ("fig-allowance", "fig-workforce", "fig-core", "fig-waterfall", "fig-per-head", "fig-ranking")
TRIGGERS = ("url", "start", "reset", "icb", "year", "compare", "footprint", "uploads")
"""The page's selectors and stores, by id, as :func:`resolve` names what triggered an update
(a control is ``control``, a known-allowance box ``known``)."""


def offered_keys(store: ScenarioStore, uploads: list[dict] | None) -> list[str]:
    """Compare keys this page may use: shipped, custom, and this browser's valid uploads."""
    store.ensure_uploads(uploads if isinstance(uploads, list) else None)
    own = [u["key"] for u in uploads or [] if isinstance(u, dict) and isinstance(u.get("key"), str)
           and store.get(u["key"]) is not None]
    return [*list(store.shipped), CUSTOM, *own]


@dataclass(frozen=True)
class Resolved:
    """The view to show, how it was reached (``url``: first load, back/forward, everything from
    the URL; ``reset``: a new start or the reset button, the start's defaults; ``edit``) and what
    the page must say about it (a place moved to another footprint, a known allowance refused)."""

    view: View
    how: str
    messages: tuple[str, ...] = ()
    known_messages: tuple[str, ...] = ()


def _last_known(search: object, sp: StartPoint) -> Known:
    """The known allowances of the last good view: those in the URL, checked against the start."""
    query = dict(parse_qsl(search[:MAX_QUERY].lstrip("?"))) if isinstance(search, str) else {}
    return from_text(query.get(KNOWN_KEY), sp)


def resolve(store: ScenarioStore, trigger: str | None, search: str | None, start: object, values: dict[str, object],
            icb: object, year: object, compare: object, uploads: object, footprint: object = None,
            known_boxes: dict[str, object] | None = None) -> Resolved:
    """The view to show from what the page sent, every value checked: anything unreadable falls
    back to the default (or, for a known allowance, to the last good view's figure, with a
    message). A place is shown on a footprint where it exists: choosing a former ICB moves the
    footprint to its own; choosing a footprint moves the place to the organisation there that holds
    most of its people."""
    places = store.places
    keys = offered_keys(store, uploads if isinstance(uploads, list) else None)
    years = list(store.labels)
    starts = store.starts()
    codes = list(places.by_code)
    if trigger in (None, "url"):
        return Resolved(parse_query(search, starts, codes, years, keys, places), "url")
    start = start if isinstance(start, str) and start in starts else "base"
    sp = starts[start]
    icb = icb if isinstance(icb, str) and (icb in places.by_code or icb == ENGLAND_CODE) else ENGLAND_CODE
    year = year if isinstance(year, str) and year in years else default_year(years)
    asked = [k for k in compare if isinstance(k, str)] if isinstance(compare, list) else []
    chosen = tuple(k for k in dict.fromkeys(asked) if k in keys)[:MAX_COMPARE]
    footprint = footprint if isinstance(footprint, str) and footprint in places.footprints else places.current
    messages: list[str] = []
    if trigger == "footprint":
        icb, moved = place_on(places, icb, footprint)
        messages += [moved] if moved else []
    elif not places.exists_on(icb, footprint):
        footprint = places.footprint_for(icb, footprint)
        info = places.footprints[footprint]
        messages.append(f"{places.name(icb)} ({icb}) is an organisation of {info.first} to {info.last}, so results "
                        f"are on the {info.count} ICBs of that time.")
    if trigger in ("start", "reset"):
        return Resolved(View(start, icb, year, chosen, defaults(sp), footprint, ()), "reset", tuple(messages))
    known = _last_known(search, sp)
    known_messages: list[str] = []
    if trigger == "known" and icb != ENGLAND_CODE:
        boxes = known_boxes if isinstance(known_boxes, dict) else {}
        known, found = typed(known, icb, {str(k): v for k, v in boxes.items()}, sp)
        known_messages += found
    view = View(start, icb, year, chosen, settings_from(values if isinstance(values, dict) else {}, sp), footprint,
                known)
    return Resolved(view, "edit", tuple(messages), tuple(known_messages))


@dataclass(frozen=True)
class KnownPanel:
    """The known-allowance boxes for the place on screen: an introduction, the years open (the
    others are hidden), what each open box holds and its placeholder (the projected figure)."""

    intro: str
    open: tuple[str, ...]
    values: dict[str, str]
    placeholders: dict[str, str]


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
    place_info: list = field(default_factory=list)
    allowance_table: Component | None = None
    hidden: set[str] = field(default_factory=set)
    control_notes: dict[str, str] = field(default_factory=dict)
    known: KnownPanel | None = None
    start_description: str = ""
    summaries: dict[str, str] = field(default_factory=dict)
    place_name: str = ""
    allowances: dict[str, float] = field(default_factory=dict)
    """Each compared scenario's allowance (£, cash) for the place and year: what the live region says."""


def _notes(store: ScenarioStore, view: View, names: list[str], names_here: list[str], custom: Custom,
           messages: tuple[str, ...] = ()) -> list:
    notes = list(messages)
    if not names:
        notes.append("Tick at least one scenario to compare.")
    elif CUSTOM not in view.compare:
        notes.append("Your custom scenario is not ticked: tick 'custom' to see your settings in the table and charts.")
    start = store.shipped[view.start]
    sp = start.start
    if custom.edits and effects.unchanged(custom.results, start.results):
        notes.append(f"Your changes leave every figure as in {view.start}: the notes beside the controls say why "
                     "a control has no effect here.")
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
    lacking = store.lacking(view)
    if lacking:
        notes.append(f"Left out here because its history has no {store.footprint(view)} footprint: "
                     f"{', '.join(lacking)}.")
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


def known_panel(store: ScenarioStore, view: View, start_rows) -> KnownPanel:
    """The known-allowance boxes for the place on screen, from the view's known allowances (the
    boxes' placeholders are the start's projection, ``start_rows``: its rows for the place)."""
    sp = store.shipped[view.start].start
    if view.icb == ENGLAND_CODE:
        return KnownPanel("Choose an ICB above to enter an allowance you already know for it (from its allocation "
                          "letter, say): the projection then starts from it.", (), {}, {})
    name = short_name(store.places.name(view.icb))
    if sp.published_last is None:
        return KnownPanel(f"{view.start} projects by the rules alone and takes no published allowances, so a known "
                          "allowance has nothing to start from. Start from base to enter one.", (), {}, {})
    years = tuple(open_years(sp, view.icb))
    if not years:
        return KnownPanel(f"{name} ({view.icb}) has no year after {sp.last_published} in {view.start}: its "
                          f"allowances are all published. Choose the ICB it became part of to enter a later one.",
                          (), {}, {})
    mine = for_place(view.known, view.icb)
    projected = {}
    if start_rows is not None:
        by_year = start_rows.set_index("year")["allowance_gbp"]
        projected = {y: f"projected {float(by_year[y]) / 1e6:,.2f}" for y in years if y in by_year.index}
    return KnownPanel(
        f"For {name} ({view.icb}): type a year's allowance in £m if you already know it (from an allocation letter, "
        f"say). That year then counts as published and the projection starts from it; the downloaded scenario "
        f"file carries it. Leave a box blank to project.",
        years, {y: amount_text(mine[y]) if y in mine else "" for y in years}, projected)


def render(store: ScenarioStore, view: View, messages: tuple[str, ...] = ()) -> Rendered:
    """The headline table, the changes table, the charts, the notes, the place's facts and the
    controls' notes for a view (``messages``: what :func:`resolve` must tell the user)."""
    results, names, custom = store.compared(view)
    place = figures.place_rows(results, names, view.icb)
    names_here = list(place)
    base_year = store.labels[0]
    colour = figures.colours(names, list(store.shipped))
    footer = _footer(view, store, custom)
    start = store.shipped[view.start]
    sp = start.start
    footprint = store.footprint(view)
    place_name = store.places.name(view.icb)
    basis = {}
    if names_here:
        table = headline_table(results, names_here, view.year, view.icb)
        basis = {name: str(rows.loc[rows["year"] == view.year, "allowance_basis"].iloc[0])
                 for name, rows in place.items() if "allowance_basis" in rows}
        headline = components.headline_table(table, names_here, basis)
    else:
        headline = html.P("No scenario to show.", className="muted")
    shown = {fp for key in view.compare for fp in _footprints(store, view, key)}
    marks = change_marks(store.places, view.icb, shown)
    figs = {
        "fig-allowance": figures.allowance_figure(place, colour, base_year, footer, marks),
        "fig-workforce": figures.workforce_figure(place, colour, footer, marks),
        "fig-core": figures.core_capacity_figure(place, colour, footer, marks),
        "fig-waterfall": figures.waterfall_figure(place, colour, base_year, view.year, footer),
        "fig-per-head": figures.per_head_figure(results, names, view.icb, colour, view.year, footer),
        "fig-ranking": figures.ranking_figure(results, names, view.icb, colour, view.year, footer),
    }
    text = layout.chart_text(base_year, view.year)
    if names:
        title, note = text["fig-per-head"]
        explained = facts.spread_sentences(spread(results, names[0], view.year), names[0], view.year)
        text["fig-per-head"] = (title, f"{note} {explained}")
    summaries = {f: textalt.chart_summary(figs[f], text[f][0]) for f in FIGURES}
    allowances = {name: float(rows.loc[rows["year"] == view.year, "allowance_gbp"].iloc[0])
                  for name, rows in place.items() if (rows["year"] == view.year).any()}
    people = "n/a"
    first_rows = place[names_here[0]] if names_here else None
    if first_rows is not None:
        population = first_rows.loc[first_rows["year"] == view.year, "population"]
        people = f"{population.iloc[0] / 1e6:,.2f} million" if len(population) else "n/a"
    start_table = start.results_on(footprint)
    start_rows = None if start_table is None else start_table[start_table["icb_code"] == view.icb]
    return Rendered(
        title=f"{place_name}, {view.year}: {people} GP-registered people",
        notes=_notes(store, view, names, names_here, custom, messages),
        headline=headline,
        changes=components.changes_table(list(custom.edits), view.start),
        figures=figs,
        chart_text=text,
        footer=[footer],
        readouts={c.key: format_setting(c, view.settings[c.key], sp.base_year, sp.last_published) for c in CONTROLS},
        units=layout.units_hint(sp.base_year),
        place_info=components.place_info(store.places, view.icb, footprint, first_rows, view.year,
                                         names_here[0] if names_here else ""),
        allowance_table=components.allowance_table(place, {k.year for k in view.known if k.code == view.icb}),
        hidden=effects.hidden_controls(sp),
        control_notes=effects.control_notes(sp, view.settings),
        known=known_panel(store, view, start_rows),
        start_description=start.scenario.description,
        summaries=summaries,
        place_name=place_name,
        allowances=allowances,
    )


def _footprints(store: ScenarioStore, view: View, key: str) -> tuple[str, ...]:
    loaded = store.shipped[view.start] if key == CUSTOM else store.get(key)
    return () if loaded is None else loaded.inputs.footprints


def _by_key(ids: list, values: list) -> dict[str, object]:
    """Widget values by the key of their pattern-matching id (ids that are not such ids are left out)."""
    return {i["key"]: v for i, v in zip(ids, values, strict=False)
            if isinstance(i, dict) and isinstance(i.get("key"), str)}


def view_from_state(store: ScenarioStore, start: str, values: list, ids: list[dict], icb: str, year: str,
                    compare: list[str], uploads: list[dict], footprint: str | None = None,
                    search: str | None = None) -> View:
    """The view the widgets show now (for downloads), from their state in the downloads' order;
    the known allowances are the last good view's, from the URL ``search``."""
    ids = ids if isinstance(ids, list) else []
    values = values if isinstance(values, list) else []
    return resolve(store, "edit", search, start, _by_key(ids, values), icb, year, compare, uploads, footprint).view


CONTROL_IDS = State({"type": "control", "key": ALL}, "id")


def register_callbacks(app: Dash, store: ScenarioStore) -> None:
    """Attach the page's callbacks to ``app``."""
    _register_update(app, store)
    transfers.register_uploads(app, store)
    transfers.register_downloads(app, store, lambda *state: view_from_state(store, *state))


def _trigger(triggered: object) -> str | None:
    """What triggered an update, as :func:`resolve` names it."""
    if isinstance(triggered, str):
        return triggered if triggered in TRIGGERS else None
    if isinstance(triggered, dict):
        return {"control": "control", "known": "known"}.get(str(triggered.get("type")))
    return None


def _register_update(app: Dash, store: ScenarioStore) -> None:
    """The one callback every control, selector, known-allowance box and the URL trigger. Whatever
    goes wrong, it answers: the last good view stays on screen with a message saying why."""
    years = list(store.labels[1:])

    @app.callback(
        Output("url", "search"),
        Output("start", "value"),
        Output({"type": "control", "key": ALL}, "value"),
        Output("icb", "value"),
        Output("year", "value"),
        Output("compare", "value"),
        Output("footprint", "value"),
        Output({"type": "readout", "key": ALL}, "children"),
        Output({"type": "control-label", "key": ALL}, "title"),
        Output({"type": "control-block", "key": ALL}, "hidden"),
        Output({"type": "control-note", "key": ALL}, "children"),
        Output({"type": "known", "key": ALL}, "value"),
        Output({"type": "known", "key": ALL}, "placeholder"),
        Output({"type": "known-row", "key": ALL}, "hidden"),
        Output("known-table", "hidden"),
        Output("known-intro", "children"),
        Output("known-messages", "children"),
        Output("start-description", "children"),
        Output("scenario-list", "children"),
        Output("sources", "children"),
        Output("view-title", "children"),
        Output("view-error", "children"),
        Output("place-info", "children"),
        Output("notes", "children"),
        Output("headline", "children"),
        Output("units-hint", "children"),
        Output("changes", "children"),
        Output("allowance-table", "children"),
        *[Output(f, "figure") for f in FIGURES],
        *[Output(f"{f}-title", "children") for f in FIGURES],
        *[Output(f"{f}-note", "children") for f in FIGURES],
        *[Output(f"{f}-summary", "children") for f in FIGURES],
        Output("announce", "children"),
        Output("footer", "children"),
        Input("url", "search"),
        Input("start", "value"),
        Input("reset", "n_clicks"),
        Input({"type": "control", "key": ALL}, "value"),
        Input("icb", "value"),
        Input("year", "value"),
        Input("compare", "value"),
        Input("footprint", "value"),
        Input({"type": "known", "key": ALL}, "value"),
        Input("uploads", "data"),
        CONTROL_IDS,
        State({"type": "readout", "key": ALL}, "id"),
        State({"type": "known", "key": ALL}, "id"),
    )
    def update(search, start, _reset, values, icb, year, compare, footprint, boxes, uploads, ids, readout_ids,
               box_ids):
        try:
            typed_boxes = {key.replace("-", "/"): value for key, value in _by_key(box_ids, boxes).items()}
            changed = ctx.triggered_id.get("key") if isinstance(ctx.triggered_id, dict) else None
            return _update(store, years, _trigger(ctx.triggered_id), search, start, values, icb, year, compare,
                           footprint, typed_boxes, uploads, ids, readout_ids, changed)
        except Exception as error:  # the edge: never a server error, keep the last good view
            app.logger.exception("update failed")
            return _kept(error, ctx.outputs_list)


def _kept(error: Exception, outputs: list) -> tuple:
    """Every output left as it is (``outputs``: the callback's outputs as Dash lists them) but the
    error box, which says what went wrong."""
    issues = getattr(error, "issues", None)
    shown = "; ".join(str(issue) for issue in issues) if issues else str(error)
    message = html.Div(className="upload-error", children=[
        html.P("These settings could not be shown; the figures on the page are from your last good settings."),
        html.P(shown[:500] or type(error).__name__),
    ])
    return tuple([no_update] * len(spec) if isinstance(spec, list)  # a pattern-matching output: one per match
                 else message if isinstance(spec, dict) and spec.get("id") == "view-error" else no_update
                 for spec in outputs)


def _update(store: ScenarioStore, years: list[str], trigger: str | None, search, start, values, icb, year, compare,
            footprint, boxes: dict[str, object], uploads, ids, readout_ids, changed: object = None) -> tuple:
    """The update callback's work: resolve the view, render it, and say what every output becomes
    (``changed``: the key of the control or box that triggered it, for the live region's sentence)."""
    ids = [i for i in ids if isinstance(i, dict)] if isinstance(ids, list) else []
    readout_ids = readout_ids if isinstance(readout_ids, list) else []
    resolved = resolve(store, trigger, search, start, _by_key(ids, values if isinstance(values, list) else []),
                       icb, year, compare, uploads, footprint, boxes)
    view, how = resolved.view, resolved.how
    out = render(store, view, resolved.messages)
    sp = store.shipped[view.start].start
    keys_in_page = [i["key"] for i in ids]
    query = to_query(view, sp, store.places.current)
    new_search = no_update if how == "url" or query == (search or "") else query
    if how == "edit":
        widgets = [no_update] * len(ids)
    else:
        widgets = [components.widget_value(CONTROL_BY_KEY[k], view.settings[k]) for k in keys_in_page]
    selectors = (view.start, view.icb, view.year, list(view.compare), view.footprint) if how == "url" else (
        no_update, no_update if view.icb == icb else view.icb, no_update,
        list(view.compare) if list(view.compare) != (compare or []) else no_update,
        no_update if view.footprint == footprint else view.footprint)
    if how == "edit":
        titles, sources = [no_update] * len(ids), no_update
    else:
        titles = [components.hover_text(CONTROL_BY_KEY[k], sp) for k in keys_in_page]
        sources = components.sources_panel(sp)
    panel = out.known
    assert panel is not None
    moved = trigger in ("control", "known")  # the place, start and year stand: their panels too
    same = [no_update] * len(years)
    box_values = same if trigger == "known" else [panel.values.get(y, "") for y in years]
    return (
        new_search, selectors[0], widgets, selectors[1], selectors[2], selectors[3], selectors[4],
        [out.readouts[i["key"]] for i in readout_ids if isinstance(i, dict) and i.get("key") in out.readouts],
        titles,
        [k in out.hidden for k in keys_in_page],
        [out.control_notes.get(k, "") for k in keys_in_page],
        box_values,
        same if moved else [panel.placeholders.get(y, "") for y in years],
        same if moved else [y not in panel.open for y in years],
        no_update if moved else not panel.open,
        no_update if moved else panel.intro,
        [html.P(m, className="note") for m in resolved.known_messages],
        no_update if how == "edit" else out.start_description,
        no_update if moved else layout.scenario_descriptions(store, uploads if isinstance(uploads, list) else None),
        sources,
        out.title, None, out.place_info, out.notes, out.headline, out.units, out.changes, out.allowance_table,
        *[out.figures[f] for f in FIGURES],
        *[out.chart_text[f][0] for f in FIGURES],
        *[out.chart_text[f][1] for f in FIGURES],
        *[out.summaries[f] for f in FIGURES],
        textalt.update_sentence(trigger, changed if isinstance(changed, str) else None,
                                out.readouts.get(changed, "") if isinstance(changed, str) else "",
                                out.place_name, view.year, out.allowances),
        out.footer,
    )
