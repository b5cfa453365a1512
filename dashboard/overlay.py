"""Settings -> the overlay: what the custom scenario changes in its start, as a scenario file holds it.

There is one route from the controls to the engine. The settings become the overlay document
(:func:`document`): a nested dict exactly as a scenario YAML file would hold it, each value in the
provenance form ``{value: ..., unit: ..., status: assumption, note: "set in the dashboard: ..."}``.
:func:`custom_scenario` lays it over the start with :func:`model.scenario.overlay`, which
normalises it against the schema and merges it with the code that merges ``extends``; the
downloaded file (:func:`scenario_yaml`) is ``extends: <start>`` and the same document. So the
page, the downloaded file and ``icb-model run`` cannot differ.

Units: settings are in the controls' display units (percent, percentage points, £ per head,
months, WTE per 100k); the document holds the model's units (fractions, £ per head, months
``YYYY-MM``, WTE per 100k), numbers rounded to :data:`DECIMALS` places.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import yaml

from dashboard.controls import CONTROL_BY_KEY, CUSTOM, FUNCTION_NAMES, Settings, Value, tidy
from dashboard.cutpath import further_path, stretched_path
from dashboard.known import Known
from dashboard.startpoint import ENVELOPE, StartPoint, defaults, reach_index
from model import schema
from model.periods import month_label, parse_month
from model.scenario import Scenario, overlay
from model.schema import FUNCTIONS

DASHBOARD = "the dashboard"
"""Where the overlay's values are set, as their provenance names it."""
DASHBOARD_NOTE = f"set in {DASHBOARD}"
DECIMALS = 10
"""Decimals of the numbers the overlay writes."""

Fragment = dict[str, Any] | None
"""What the document holds at an Edit's path: a provenance form, a mapping of them, or null."""


@dataclass(frozen=True)
class Edit:
    """One parameter the custom scenario changes: ``path`` (dotted; ``uncertainty.<parameter
    path>`` for an uncertainty entry) and what the document holds there (``fragment``), with its
    ``label`` and its value ``before`` and ``after``, for people."""

    path: str
    label: str
    before: str
    after: str
    fragment: Fragment


def _provenance(value_key: str, value: Any, unit: str | None, note: str) -> dict[str, Any]:
    """``{value_key: value, unit: unit, status: assumption, note: "set in the dashboard: note"}``."""
    out = {value_key: value}
    if unit:
        out["unit"] = unit
    out.update({"status": "assumption", "note": f"{DASHBOARD_NOTE}: {note}"})
    return out


def _pct(fraction: float) -> str:
    return f"{fraction * 100:.4g}%"


def _cut_edits(settings: Settings, sp: StartPoint, d: Settings) -> list[Edit]:
    """The cut path: a further cut after the published years for a start that uses published
    allowances (:func:`_further_edits`); else the whole path, written from the base year to the
    later of the year it stops changing and the start's last listed year (a post-path uplift
    counts from the last listed year)."""
    if sp.published_last is not None:
        return _further_edits(settings, sp, d)
    if settings["cut.size"] == d["cut.size"] and settings["cut.year"] == d["cut.year"]:
        return []
    labels = sp.labels
    size = float(settings["cut.size"]) / 100
    new = stretched_path(sp.cut_path, reach_index(sp.cut_path, sp.cut_last), size,
                         labels.index(str(settings["cut.year"])))
    last = len(new) - 1
    while last > 0 and new[last] == new[last - 1]:
        last -= 1
    last = max(last, sp.cut_last)
    written = {labels[t]: new[t] for t in range(min(last, len(labels) - 1) + 1)}
    text = f"{_pct(size)} by {settings['cut.year']}"
    before = f"{_pct(max(sp.cut_path))} by {d['cut.year']}"
    fragment = _provenance("values", written, "fraction",
                           f"cut of {text} (was {before}), keeping the shape of {sp.name}'s path")
    return [Edit("running_cost_cut.path", "Cumulative cut", before, text, fragment)]


def _further_edits(settings: Settings, sp: StartPoint, d: Settings) -> list[Edit]:
    """A further cut after the last published year (see :func:`dashboard.cutpath.further_path`):
    the path's years after it, each with the start's uplift folded in."""
    size = float(settings["cut.further"]) / 100
    year = str(settings["cut.further_year"])
    if size == 0 or sp.published_last is None or year not in sp.further_years():
        return []
    labels = sp.labels
    written = further_path(sp.cut_path, sp.cut_last, sp.post_path_uplift, sp.published_last, size,
                           labels.index(year))
    basis = "in real terms" if settings["cut.basis"] == "real" else "in cash"
    text = f"{_pct(size)} below {sp.last_published} by {year} ({basis})"
    fragment = _provenance("values", {labels[t]: value for t, value in written.items()}, "fraction",
                           f"a further cut of {text}, on top of what {sp.name} projects after its published "
                           "allowances")
    before = f"{sp.name}'s projection from {sp.last_published}"
    return [Edit("running_cost_cut.path", "Further cut", before, text, fragment)]


def _shift_edits(key: str, attr: str, path: str, label: str, settings: Settings, sp: StartPoint) -> list[Edit]:
    """A series moved by the setting's percentage points in every year from ``prices.from``."""
    points = float(settings[key])
    if points == 0:
        return []
    start = getattr(sp, attr)
    first = sp.labels.index(str(settings["prices.from"]))
    written = {sp.labels[t]: tidy(start[t] + points / 100, DECIMALS) for t in range(first, len(sp.labels))}
    unit = schema.spec_for(path).unit
    text = f"{points:+.4g} percentage points from {settings['prices.from']}"
    fragment = _provenance("values", written, unit, f"{label.lower()} {text} on {sp.name}")
    return [Edit(path, label, "as the starting scenario", text, fragment)]


def _value_edit(path: str, label: str, value: Value, shown: str, shown_before: str) -> Edit:
    """One value set, with its unit (none for a flag or a word)."""
    spec = schema.spec_for(path)
    unit = None if spec.kind in ("flag", "word") else spec.unit
    fragment = _provenance("value", value, unit, f"{label.lower()} {shown} (was {shown_before})")
    return Edit(path, label, shown_before, shown, fragment)


def _shift_month(month: str | None, months: int) -> str | None:
    return None if month is None else month_label(parse_month(month) + months)


def _go_live_edit(f: str, months: int, sp: StartPoint) -> Edit:
    """Every go-live the start sets for ``f`` (default, each region, each ICB) moved by ``months``:
    mappings merge, so every entry the start sets must be written for all of them to move."""
    start = sp.go_live[f]
    text = f"{months:+d} months"
    note = f"go-live moved {text} from {sp.name}"

    def entry(month: str | None) -> dict[str, Any]:
        return _provenance("value", _shift_month(month, months), "month", note)

    fragment: dict[str, Any] = {"default": entry(start.get("default"))}
    for group in ("by_region", "by_icb"):
        if start.get(group):
            fragment[group] = {key: entry(month) for key, month in start[group].items()}
    before = f"from {start.get('default') or 'never'}"
    after = f"from {_shift_month(start.get('default'), months) or 'never'} ({text}; regions and ICBs alike)"
    return Edit(f"delegation.{f}.go_live", f"{FUNCTION_NAMES[f]}: go-live", before, after, fragment)


def _envelope_edits(settings: Settings, sp: StartPoint, d: Settings) -> list[Edit]:
    """Off: ``envelope: null``. On for a start without one: all three keys (the uplift is the
    default envelope's). Otherwise the amount and the month where they moved."""
    label = "Per-head envelope"
    on, had = bool(settings["envelope.on"]), sp.envelope is not None
    per_head, effective = float(settings["envelope.per_head"]), str(settings["envelope.effective"])
    basis_words = dict(CONTROL_BY_KEY["envelope.basis"].choices)
    basis = str(settings["envelope.basis"])
    if not on:
        if not had:
            return []
        before = f"£{float(sp.envelope['per_head_gbp']):.2f} per head from {sp.envelope['effective']}"
        return [Edit(ENVELOPE, label, before, "none", None)]
    shown = f"£{per_head:.2f} per head from {effective}"
    if not had:
        default = sp.envelope_default
        uplift = "no uplift" if default.uplift == 0 else f"uplift {_pct(default.uplift)} a year"
        note = f"envelope of {shown}, {uplift}" + (f" as in {default.scenario}" if default.scenario else "")
        fragment = {
            "per_head_gbp": _provenance("value", per_head, "gbp per head", note),
            "effective": _provenance("value", effective, "month", note),
            "uplift": _provenance("value", default.uplift, "fraction per year", note),
        }
        if basis != default.population_basis:
            per = f"per {basis_words[basis].lower()}"
            fragment["population_basis"] = _provenance("value", basis, None, f"{note}, {per}")
            shown += f" {per}"
        return [Edit(ENVELOPE, label, "none", shown, fragment)]
    edits = []
    if per_head != d["envelope.per_head"]:
        edits.append(_value_edit(f"{ENVELOPE}.per_head_gbp", "Envelope per head", per_head, f"£{per_head:.2f}",
                                 f"£{float(d['envelope.per_head']):.2f}"))
    if effective != d["envelope.effective"]:
        edits.append(_value_edit(f"{ENVELOPE}.effective", "Envelope starts", effective, effective,
                                 str(d["envelope.effective"])))
    if basis != d["envelope.basis"]:
        edits.append(_value_edit(f"{ENVELOPE}.population_basis", "Envelope per", basis,
                                 basis_words[basis].lower(), basis_words[str(d["envelope.basis"])].lower()))
    return edits


def _uncertainty_drops(settings: Settings, sp: StartPoint) -> list[Edit]:
    """With the envelope off, ``null`` for each uncertainty entry of an envelope parameter the start
    has: a scenario without an envelope cannot draw its parameters."""
    if settings["envelope.on"] or sp.envelope is None:
        return []
    out = []
    for path, entry in sp.envelope_uncertainty.items():
        before = f"{entry['distribution']} ({entry['mode']}) from {entry['low']} to {entry['high']}"
        label = f"Uncertainty of the {schema.spec_for(path).label.lower()}"
        out.append(Edit(f"uncertainty.{path}", label, before, "dropped with the envelope", None))
    return out


def _delegation_edits(f: str, settings: Settings, sp: StartPoint, d: Settings) -> list[Edit]:
    """A delegated function's go-live, staff required and whether its budget faces the cut."""
    out = []
    months = int(settings[f"{f}.go_live_shift"])
    if months:
        out.append(_go_live_edit(f, months, sp))
    if settings[f"{f}.required"] != d[f"{f}.required"]:
        value = tidy(float(settings[f"{f}.required"]), DECIMALS)
        out.append(_value_edit(f"delegation.{f}.required_wte_per_100k", f"{FUNCTION_NAMES[f]}: staff required",
                               value, f"{value:g} WTE per 100k", f"{sp.required[f]:g} WTE per 100k"))
    if settings[f"{f}.in_scope"] != d[f"{f}.in_scope"]:
        value = bool(settings[f"{f}.in_scope"])
        yes_no = {True: "faces the cut", False: "outside the cut"}
        out.append(_value_edit(f"delegation.{f}.in_cut_scope", f"{FUNCTION_NAMES[f]}: budget", value,
                               yes_no[value], yes_no[sp.in_scope[f]]))
    return out


def _known_edits(known: Known, sp: StartPoint) -> list[Edit]:
    """Known allowances, one Edit per organisation: ``allowance.published.figures.<code>`` with a
    figure (£) for each year entered."""
    by_code: dict[str, dict[str, float]] = {}
    for figure in known:
        by_code.setdefault(figure.code, {})[figure.year] = figure.gbp
    out = []
    for code, years in by_code.items():
        shown = "; ".join(f"£{gbp:,.2f} in {year}" for year, gbp in years.items())
        fragment = {year: _provenance("value", gbp, "gbp", f"{code}'s allowance for {year}, entered as known")
                    for year, gbp in years.items()}
        out.append(Edit(f"allowance.published.figures.{code}", f"Known allowance of {code}",
                        f"projected from {sp.last_published}", shown, fragment))
    return out


def edits(settings: Settings, sp: StartPoint, known: Known = ()) -> list[Edit]:
    """What the settings and known allowances change in the starting scenario, one Edit per
    parameter (per organisation for known allowances), in YAML order."""
    d = defaults(sp)
    out: list[Edit] = _known_edits(known, sp) if sp.published_last is not None else []
    if settings["cut.basis"] != d["cut.basis"]:
        words = dict(CONTROL_BY_KEY["cut.basis"].choices)
        out.append(_value_edit("running_cost_cut.basis", "Cut basis", settings["cut.basis"],
                               words[str(settings["cut.basis"])].lower(), words[str(d["cut.basis"])].lower()))
    out += _cut_edits(settings, sp, d)
    out += _envelope_edits(settings, sp, d)
    for key, attr, path, label in (
        ("pay.shift", "pay_award", "inflation.pay_award", "Pay awards"),
        ("oncost.shift", "oncost_rate", "inflation.oncost_rate", "Employer on-costs"),
        ("nonpay.shift", "nonpay_inflation", "inflation.nonpay_inflation", "Non-pay inflation"),
    ):
        out += _shift_edits(key, attr, path, label, settings, sp)
    if settings["workforce.turnover"] != d["workforce.turnover"]:
        value = tidy(float(settings["workforce.turnover"]) / 100, DECIMALS)
        out.append(_value_edit("workforce.turnover_rate", "Staff turnover", value,
                               f"{settings['workforce.turnover']:g}% a year", f"{d['workforce.turnover']:g}% a year"))
    if settings["workforce.redundancy_months"] != d["workforce.redundancy_months"]:
        value = float(settings["workforce.redundancy_months"])
        out.append(_value_edit("workforce.redundancy_months", "Redundancy pay", value,
                               f"{value:g} months", f"{sp.redundancy_months:g} months"))
    for f in FUNCTIONS:
        out += _delegation_edits(f, settings, sp, d)
    return out + _uncertainty_drops(settings, sp)


def document(found: list[Edit]) -> dict[str, Any]:
    """The overlay document of some edits: each fragment at its path, in the edits' order."""
    doc: dict[str, Any] = {}
    for edit in found:
        *parents, last = schema.key_parts(edit.path)
        node = doc
        for part in parents:
            node = node.setdefault(part, {})
        node[last] = edit.fragment
    return doc


def describe(found: list[Edit], sp: StartPoint) -> str:
    """The custom scenario's description: its start and what it changes."""
    described = "; ".join(f"{e.label[:1].lower()}{e.label[1:]} {e.after}" for e in found) or "no changes"
    return f"Made in the dashboard from {sp.name}: {described}."


def custom_scenario(start: Scenario, doc: dict[str, Any], description: str = "") -> Scenario:
    """The custom scenario: the overlay document ``doc`` laid over ``start`` (named
    :data:`~dashboard.controls.CUSTOM`, its values set in :data:`DASHBOARD`). Raises
    :class:`model.scenario.ScenarioError` when the document is not valid there."""
    return overlay(start, doc, name=CUSTOM, display=DASHBOARD, description=description)


def scenario_document(settings: Settings, sp: StartPoint, extends: str, name: str = CUSTOM,
                      known: Known = ()) -> dict[str, Any]:
    """The scenario file the settings and known allowances describe, as a dict ready to dump:
    ``name``, ``extends`` (the start), ``description``, then the overlay document."""
    found = edits(settings, sp, known)
    return {"name": name, "extends": extends, "description": describe(found, sp), **document(found)}


class _Dumper(yaml.SafeDumper):
    """Block style, keys in insertion order, long text folded."""


def _str(dumper: yaml.SafeDumper, text: str) -> yaml.ScalarNode:
    style = ">" if len(text) > 90 else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", text, style=style)


_Dumper.add_representer(str, _str)


def scenario_yaml(settings: Settings, sp: StartPoint, extends: str, start_hash: str, model_version: str,
                  name: str = CUSTOM, today: date | None = None, known: Known = (), footprint: str = "") -> str:
    """A scenario file ``icb-model run`` accepts unchanged, with a header saying where it came from
    (``start_hash`` is the start's content sha256) and, for results on a ``footprint`` other than
    the scenario's latest, the ``--footprint`` that reproduces the page."""
    doc = scenario_document(settings, sp, extends, name, known)
    today = today or date.today()
    header = [
        f"# Made in the ICB running-cost dashboard on {today.isoformat()} (model version {model_version}).",
        f"# Starts from '{sp.name}' (content sha256 {start_hash[:16]}...) and changes only what the sliders moved;",
        "# each changed value says so in its note. Run it with:",
        f"#   icb-model run {name}.yaml --out results/" + (f" --footprint {footprint}" if footprint else ""),
    ]
    body = yaml.dump(doc, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100, default_flow_style=False)
    return "\n".join(header) + "\n" + body
