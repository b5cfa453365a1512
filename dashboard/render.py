"""What the page shows for a :class:`~dashboard.urlstate.View`: :func:`render` asks the
:class:`~dashboard.store.ScenarioStore` for the compared scenarios' results and builds the headline
table, the six charts with their text alternatives, the notes, the place's facts, the controls'
readouts and notes and the known-allowance boxes. A plain function with no Dash context, so the
update callback (:mod:`dashboard.callbacks`), the tests and the benchmark call exactly the same.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from dashboard import components, effects, facts, figures, layout, textalt
from dashboard.chartdata import value_in
from dashboard.columns import Columns
from dashboard.controls import CONTROLS, CUSTOM, format_setting
from dashboard.elements import Element, element
from dashboard.figures import Place
from dashboard.known import amount_text, for_place, open_years
from dashboard.places import change_marks, short_name
from dashboard.store import Custom, ScenarioStore
from dashboard.urlstate import View
from model import __version__ as MODEL_VERSION
from model.output.compare import UNIT, headline_of, headline_table
from model.output.results import ENGLAND_CODE
from model.schema import HEADLINES

FIGURES = ("fig-allowance", "fig-workforce", "fig-core", "fig-waterfall", "fig-per-head", "fig-ranking")
"""The page's charts, by id, in page order."""


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
    notes: list[Element]
    headline: Element
    changes: Element
    figures: dict
    chart_text: dict
    footer: list
    readouts: dict[str, str]
    units: str
    place_info: list[Element] = field(default_factory=list)
    allowance_table: Element | None = None
    hidden: set[str] = field(default_factory=set)
    control_notes: dict[str, str] = field(default_factory=dict)
    known: KnownPanel | None = None
    start_description: str = ""
    summaries: dict[str, str] = field(default_factory=dict)
    place_name: str = ""
    allowances: dict[str, float] = field(default_factory=dict)
    """Each compared scenario's allowance (£, cash) for the place and year: what the live region says."""


def _notes(store: ScenarioStore, view: View, names: list[str], names_here: list[str], custom: Custom,
           messages: tuple[str, ...] = ()) -> list[Element]:
    """The notes above the charts: the ``messages`` first, then what the view leaves out or how to
    read it."""
    notes = list(messages)
    if not names:
        notes.append("Tick at least one scenario to compare.")
    elif CUSTOM not in view.compare:
        notes.append("Your custom scenario is not ticked: tick 'custom' to see your settings in the table and charts.")
    start = store.shipped[view.start]
    sp = start.start
    if custom.edits and effects.unchanged(custom.latest.whole, start.latest.whole):
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
    return [element("P", text, className="note") for text in notes]


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


def known_panel(store: ScenarioStore, view: View, start_rows: Columns | None) -> KnownPanel:
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
        by_year = dict(zip(start_rows["year"].tolist(), start_rows["allowance_gbp"].tolist(), strict=True))
        projected = {y: f"projected {by_year[y] / 1e6:,.2f}" for y in years if y in by_year}
    return KnownPanel(
        f"For {name} ({view.icb}): type a year's allowance in £m if you already know it (from an allocation letter, "
        f"say). That year then counts as published and the projection starts from it; the downloaded scenario "
        f"file carries it. Leave a box blank to project.",
        years, {y: amount_text(mine[y]) if y in mine else "" for y in years}, projected)


def _headline(place: Place, year: str, icb: str) -> pd.DataFrame:
    """The headline table (:func:`~model.output.compare.headline_table`) of each scenario's rows for
    the place, read from their columns. Where a scenario lacks the year, or one is named as the
    units column is, the whole table's checks raise the error they give."""
    names = list(place)
    if UNIT in names or any(year not in rows["year"].tolist() for rows in place.values()):
        return headline_table(pd.concat([rows.frame for rows in place.values()]), names, year, icb)
    return headline_of({name: {h.name: value_in(rows, year, h.name) for h in HEADLINES}
                        for name, rows in place.items()}, names)


def render(store: ScenarioStore, view: View, messages: tuple[str, ...] = ()) -> Rendered:
    """The headline table, the changes table, the charts, the notes, the place's facts and the
    controls' notes for a view (``messages``: what :func:`resolve` must tell the user)."""
    parts, custom = store.compared_rows(view)
    names = [name for name, _ in parts]
    place = figures.place_rows(parts, view.icb)
    in_year = {name: rows.icbs_in(view.year) for name, rows in parts}
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
        table = _headline(place, view.year, view.icb)
        basis = {name: str(value_in(rows, view.year, "allowance_basis")) for name, rows in place.items()
                 if "allowance_basis" in rows}
        headline = components.headline_table(table, names_here, basis)
    else:
        headline = element("P", "No scenario to show.", className="muted")
    shown = {fp for key in view.compare for fp in _footprints(store, view, key)}
    marks = change_marks(store.places, view.icb, shown)
    figs = {
        "fig-allowance": figures.allowance_figure(place, colour, base_year, footer, marks),
        "fig-workforce": figures.workforce_figure(place, colour, footer, marks),
        "fig-core": figures.core_capacity_figure(place, colour, footer, marks),
        "fig-waterfall": figures.waterfall_figure(place, colour, base_year, view.year, footer),
        "fig-per-head": figures.per_head_figure(in_year, names, view.icb, colour, view.year, footer),
        "fig-ranking": figures.ranking_figure(in_year, names, view.icb, colour, view.year, footer),
    }
    text = layout.chart_text(base_year, view.year)
    if names:
        title, note = text["fig-per-head"]
        explained = facts.spread_sentences(parts[0][1].spread(view.year), names[0], view.year)
        text["fig-per-head"] = (title, f"{note} {explained}")
    summaries = {f: textalt.chart_summary(figs[f], text[f][0]) for f in FIGURES}
    allowances = {name: float(value_in(rows, view.year, "allowance_gbp")) for name, rows in place.items()
                  if view.year in rows["year"].tolist()}
    people = "n/a"
    first_rows = place[names_here[0]] if names_here else None
    if first_rows is not None and view.year in first_rows["year"].tolist():
        people = f"{value_in(first_rows, view.year, 'population') / 1e6:,.2f} million"
    start_table = start.rows_on(footprint)
    start_rows = None if start_table is None else start_table.place(view.icb)
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
