"""Callbacks: read the page, work out the view, and say what every output becomes.

The work is in plain functions that need no Dash context, so tests and the benchmark call
exactly what a callback runs:

- :func:`resolve`: what triggered the update and the widgets' values -> the :class:`View`
  (from the URL on first load or back/forward; the start's defaults after a change of start or
  a reset; otherwise the widgets as they are).
- :func:`dashboard.render.render`: a View -> everything the page shows for it.

One callback (:func:`_register_update`) handles every control, so a slider move costs one
request. The page is served already showing the default view (:func:`serve_default_view`), so its
first request is answered with what differs from it, if anything. Downloads and uploads have their
own callbacks, in :mod:`dashboard.transfers`.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import parse_qsl

from dash import ALL, Dash, Input, Output, State, ctx, html, no_update
from dash.development.base_component import Component
from dash.exceptions import PreventUpdate
from plotly.io.json import to_json_plotly

from dashboard import components, layout, textalt, transfers
from dashboard.controls import CONTROL_BY_KEY, CUSTOM
from dashboard.elements import element
from dashboard.known import Known, from_text, typed
from dashboard.layout import SERVED
from dashboard.places import place_on
from dashboard.render import FIGURES, render
from dashboard.startpoint import StartPoint, defaults, settings_from
from dashboard.store import ScenarioStore
from dashboard.urlstate import (
    KNOWN_KEY,
    MAX_COMPARE,
    MAX_QUERY,
    View,
    default_year,
    parse_query,
    to_query,
)
from model.output.results import ENGLAND_CODE

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


def _at(dependencies: list, component_type: str) -> int:
    """Where a pattern-matching group of components (``{"type": component_type, "key": ALL}``) is
    in a callback's inputs or outputs."""
    return next(n for n, dependency in enumerate(dependencies) if dependency.component_id == {
        "type": component_type, "key": ALL})


def _ids(groups: object, at: int) -> list:
    """The ids of a pattern-matching group of a callback's inputs or outputs, as Dash lists them
    (``ctx.inputs_list``, ``ctx.outputs_list``): ``[{"id": ..., "property": ...}, ...]``."""
    group = groups[at] if isinstance(groups, list) and len(groups) > at else None
    return [item.get("id") for item in group if isinstance(item, dict)] if isinstance(group, list) else []


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
    goes wrong, it answers: the last good view stays on screen with a message saying why.

    The page is served already showing the default view (:func:`serve_default_view`). While nothing
    has changed it since (``as-served``), the update the page sends as it opens is answered with
    only what differs from it: nothing at all (a 204) for an address with no query."""
    years = list(store.labels[1:])

    outputs = [
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
        Output(SERVED, "data"),  # last: the callback adds it to what _update answers
    ]
    inputs = [
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
    ]
    controls_at, boxes_at, readouts_at = _at(inputs, "control"), _at(inputs, "known"), _at(outputs, "readout")

    shown = serve_default_view(app.layout, store, outputs)

    @app.callback(*outputs, *inputs, State(SERVED, "data"))
    def update(search, start, _reset, values, icb, year, compare, footprint, boxes, uploads, as_served):
        first = as_served is True and ctx.triggered_id == "url"  # the page's first request, as served
        if first and not search:
            raise PreventUpdate  # the page shows the default view: what _unchanged would leave is nothing
        try:  # the ids of the controls, readouts and boxes: those of their values in the request
            ids, box_ids = _ids(ctx.inputs_list, controls_at), _ids(ctx.inputs_list, boxes_at)
            readout_ids = _ids(ctx.outputs_list, readouts_at)
            typed_boxes = {key.replace("-", "/"): value for key, value in _by_key(box_ids, boxes).items()}
            changed = ctx.triggered_id.get("key") if isinstance(ctx.triggered_id, dict) else None
            answer = _update(store, years, _trigger(ctx.triggered_id), search, start, values, icb, year, compare,
                             footprint, typed_boxes, uploads, ids, readout_ids, changed)
            if first:
                answer = _unchanged(answer, ctx.outputs_list[:-1], shown)
        except Exception as error:  # the edge: never a server error, keep the last good view
            app.logger.exception("update failed")
            answer = _kept(error, ctx.outputs_list[:-1])
        return (*answer, False if as_served is not False and _changes(answer) else no_update)


def serve_default_view(page: Component, store: ScenarioStore, outputs: list[Output]) -> dict[str, object]:
    """Write into ``page`` (the layout, changed in place) what the update answers the page's first
    request when its address asks for nothing in particular (no query): the default view, every
    widget, panel, table and chart as that answer leaves them. ``outputs`` are the update's.

    The browser then draws the default view as it lays out the page, and the update it sends as
    the page opens is answered with no change (:func:`_register_update`): it neither waits for
    that answer nor applies its 190 or so outputs, 0.3-0.6 s of its work in a fresh load
    (docs/performance.md). At an address with a query, the answer holds only what differs from
    the page. A first request's answer depends only on its address, its uploads (none yet) and
    the order of the page's controls (tests/dashboard/test_callbacks.py checks the page against
    the answer itself). Returns what the page shows, as JSON, by output (:func:`_output_key`)."""
    found = list(_walk(page))

    def group(component_id: object) -> list[Component]:
        if isinstance(component_id, dict):  # a pattern-matching group, in the page's order
            return [c for c in found if isinstance(getattr(c, "id", None), dict) and
                    c.id.get("type") == component_id.get("type")]
        return [c for c in found if getattr(c, "id", None) == component_id]

    controls, readouts = group({"type": "control"}), group({"type": "readout"})
    answer = _update(store, list(store.labels[1:]), "url", "", None, [c.value for c in controls], None, None, None,
                     None, {}, [], [c.id for c in controls], [c.id for c in readouts])
    shown: dict[str, object] = {}
    for output, value in zip(outputs[:-1], answer, strict=True):  # the last, as-served, is the page's own
        targets = group(output.component_id)
        values = value if isinstance(output.component_id, dict) else [value]
        for component, prop in zip(targets, values, strict=True):
            if prop is not no_update:
                setattr(component, output.component_property, prop)
                shown[_output_key(component.id, output.component_property)] = _as_sent(prop)
    return shown


def _output_key(component_id: object, prop: str) -> str:
    """An output's name as Dash writes it (``id.property``; a dict id as sorted, compact JSON)."""
    name = json.dumps(component_id, sort_keys=True, separators=(",", ":")) if isinstance(component_id, dict) \
        else str(component_id)
    return f"{name}.{prop}"


def _as_sent(value: object) -> object:
    """A value as the browser receives it: through Dash's JSON writer (components as their JSON)."""
    return json.loads(to_json_plotly(value))


_NOT_SHOWN = object()
"""What :func:`_unchanged` compares an output the page was not served with to: equal to nothing."""


def _unchanged(answer: tuple, outputs: list, shown: dict[str, object]) -> tuple:
    """``answer`` with each output whose value the page already shows (``shown``, by
    :func:`_output_key`) left out (``no_update``); ``outputs`` are Dash's list of them
    (``ctx.outputs_list``), a list for each pattern-matching group."""
    def kept(spec: dict, value: object) -> object:
        if value is no_update or _as_sent(value) != shown.get(_output_key(spec["id"], spec["property"]), _NOT_SHOWN):
            return value
        return no_update

    return tuple([kept(s, v) for s, v in zip(spec, value, strict=True)] if isinstance(spec, list) else kept(spec, value)
                 for spec, value in zip(outputs, answer, strict=True))


def _changes(answer: tuple) -> bool:
    """Whether an answer changes anything (an output, or one of a group's, that is not ``no_update``)."""
    return any(any(v is not no_update for v in value) if isinstance(value, list) else value is not no_update
               for value in answer)


def _walk(node: object) -> Iterator[Component]:
    """Every component of a layout, in the page's order."""
    if isinstance(node, Component):
        yield node
        yield from _walk(getattr(node, "children", None))
    elif isinstance(node, (list, tuple)):
        for child in node:
            yield from _walk(child)


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
        [element("P", m, className="note") for m in resolved.known_messages],
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
