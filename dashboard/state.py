"""What the dashboard computes, as pure functions and a small server-side cache.

Nothing here imports Dash or Plotly, so all of it is testable without a browser:

- :data:`CONTROLS`: the controls a finance lead moves, each built from the schema's metadata
  (label, description, unit, range, role) with a widget chosen from the kind of value (a fraction
  becomes a percent slider, a flag a switch, a word a choice).
- :class:`StartPoint`: the resolved values of the scenario the custom one starts from, which
  give every control its default.
- :func:`edits`: slider settings -> the parameter changes they make. Each :class:`Edit` gives
  both the :class:`~model.engine.changes.Change` list the engine applies and the YAML fragment the
  downloaded scenario file writes, so the page and ``icb-model run`` compute the same numbers.
- :func:`scenario_yaml`: settings -> a scenario file that ``extends:`` the starting scenario and
  writes only what the sliders changed, each with ``note: "set in the dashboard: ..."``.
- :func:`parse_query` / :func:`to_query`: the page state in the URL, so a view can be shared.
- :class:`ScenarioStore`: each shipped scenario loaded once and its results cached by content
  hash; custom runs cached by their changes; uploads validated by the project's safe loader.
- :func:`waterfall_steps`, :func:`ranking`: the arithmetic behind two of the charts.

Units: settings hold what a control shows (percent, percentage points, £, months, WTE per
100k); :func:`edits` turns them into the model's units (fractions, £, month counts).
"""

from __future__ import annotations

import hashlib
import json
import math
import re
import threading
from collections import OrderedDict
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from urllib.parse import parse_qsl, urlencode

import numpy as np
import pandas as pd
import yaml

from model import engine, schema
from model.engine.inputs import Inputs, from_scenario
from model.schema import FUNCTIONS
from model.engine.changes import Change, apply
from model.periods import month_label, parse_month, parse_year
from model.output.results import ENGLAND_CODE, tabulate

CUSTOM = "custom"
"""Compare key (and scenario name) of the scenario the sliders drive."""
UPLOAD_PREFIX = "upload:"
"""Compare keys of uploaded scenarios start with this, then 12 hex digits of their content hash."""
MAX_COMPARE = 4
REFUSED_KEYS_KEPT = 256
"""How many upload keys that failed re-validation a worker remembers (so it does not retry them)."""
UPLOAD_MAX_BYTES = 256 * 1024
"""Largest scenario file the page accepts (shipped scenario files are under 10 KB)."""
SHIPPED_ORDER = ("base", "envelope_2025", "real_terms_30", "spec_comm_2027", "pod_capacity_gap", "high_pay")
"""Order shipped scenarios are listed in; others in scenarios/ follow alphabetically."""
DEFAULT_COMPARE = ("base", "envelope_2025", CUSTOM)
DEFAULT_YEAR = "2025/26"
DEFAULT_SHIFT_FROM = "2026/27"
"""First year a pay or price shift applies to by default: the first year whose award is not yet paid."""
ENVELOPE_DEFAULTS = {"per_head_gbp": 18.76, "effective": "2026-01", "uplift": 0.0}
"""The envelope a start without one gets when it is switched on: the 2025 instruction
(scenarios/envelope_2025.yaml gives the sources)."""
DASHBOARD_NOTE = "set in the dashboard"
FUNCTION_NAMES = {
    "pharmacy": "Pharmacy",
    "optometry": "Optometry",
    "dentistry": "Dentistry",
    "specialised": "Specialised commissioning",
}
_DECIMALS = 10
"""Model values written by the dashboard are rounded to this many decimals, in the engine and the
YAML alike, so the file reproduces the page exactly."""


# ---------------------------------------------------------------------------------------------
# Controls from parameter metadata

@dataclass(frozen=True)
class Control:
    """One control of the custom scenario.

    ``key`` names it in pattern-matching ids and in the URL. ``path`` is the schema key whose
    description, unit, role and provenance it shows. ``widget`` is one of ``slider``, ``switch``,
    ``choice`` (radio buttons), ``year`` or ``month`` (drop-downs). Slider values are in the
    display unit ``unit``; ``scale`` converts them to the model's unit (100 for percentages).
    """

    key: str
    group: str
    path: str
    label: str
    help: str
    widget: str
    unit: str = ""
    low: float | None = None
    high: float | None = None
    step: float | None = None
    scale: float = 1.0
    choices: tuple[tuple[str, str], ...] = ()
    role: str = "setting"

    @property
    def decimals(self) -> int:
        """Decimals of the step, used to round slider values (0.30000000000000004 -> 0.3)."""
        if not self.step:
            return 0
        text = f"{self.step:.10f}".rstrip("0")
        return len(text.split(".")[1]) if "." in text else 0


_WORD_LABELS = {
    "nominal": "Cash (no uplift for inflation)",
    "real": "Real terms (uplifted for inflation)",
    "cost": "What running an ICB costs",
    "gdp_deflator": "GDP deflator",
}


def _control(key: str, group: str, path: str, *, label: str | None = None, help: str = "",
             widget: str | None = None, unit: str | None = None, low: float | None = None,
             high: float | None = None, step: float | None = None, scale: float | None = None) -> Control:
    """A control whose label, description, unit, widget and range come from the schema's entry
    for ``path``; the arguments given override or narrow them (a slider needs a practical range
    inside the schema's allowed one)."""
    spec = schema.spec_for(path)
    if spec is None:
        raise KeyError(f"{path} is not in the schema")
    display = spec.unit_info.display
    if widget is None:
        widget = {"flag": "switch", "envelope": "switch", "word": "choice", "month": "month",
                  "month_or_null": "month"}.get(spec.kind, "slider")
    if scale is None:
        scale = display.scale if widget == "slider" else 1.0
    if widget == "slider":
        lo = None if spec.low is None else spec.low * scale
        hi = None if spec.high is None else spec.high * scale
        low = low if lo is None else max(low if low is not None else lo, lo)
        high = high if hi is None else min(high if high is not None else hi, hi)
    choices = tuple((c, _WORD_LABELS.get(c, c)) for c in spec.choices) if widget == "choice" else ()
    description = spec.description + (f" {help}" if help else "")
    return Control(
        key=key, group=group, path=path, label=label or spec.label, help=description, widget=widget,
        unit=display.unit if unit is None else unit,
        low=low, high=high, step=step, scale=scale, choices=choices, role=spec.role,
    )


def _controls() -> tuple[Control, ...]:
    cut, env, prices, staff = "The cut", "The 2025 per-head envelope", "Pay and prices", "Staff"
    items = [
        _control("cut.size", cut, "running_cost_cut.path", label="Size of the cut", unit="% below 2022/23",
                 low=0, high=70, step=1,
                 help="The cut reached in the year below and held after; earlier years keep the "
                      "starting path's shape, scaled to this size."),
        _control("cut.year", cut, "running_cost_cut.path", label="Year the full cut is reached", widget="year",
                 unit="", help="Moving it stretches or squeezes the starting path in time."),
        _control("cut.basis", cut, "running_cost_cut.basis", label="The cut is in"),
        _control("envelope.on", env, "running_cost_cut.envelope", label="Hold running costs to a per-head envelope",
                 help="It covers programme-funded pay too, so compare it with a scenario that includes "
                      "programme pay (envelope_2025 does)."),
        _control("envelope.per_head", env, "running_cost_cut.envelope.per_head_gbp", label="Envelope per head",
                 unit="£ per GP-registered person", low=5, high=40, step=0.01),
        _control("envelope.effective", env, "running_cost_cut.envelope.effective", label="Envelope starts"),
        _control("pay.shift", prices, "inflation.pay_award", label="Pay awards: change",
                 unit="percentage points a year", low=-3, high=5, step=0.1,
                 help="Added to the starting scenario's award in each year from the year below."),
        _control("nonpay.shift", prices, "inflation.nonpay_inflation", label="Non-pay inflation: change",
                 unit="percentage points a year", low=-3, high=5, step=0.1,
                 help="Added to the starting scenario's rate in each year from the year below."),
        _control("oncost.shift", prices, "inflation.oncost_rate", label="Employer on-costs: change",
                 unit="percentage points of salary", low=-5, high=10, step=0.1,
                 help="Added to the starting scenario's rate in each year from the year below."),
        _control("prices.from", prices, "inflation.pay_award", label="These changes apply from", widget="year",
                 unit="", help="The first year the three changes above apply to."),
        _control("workforce.turnover", staff, "workforce.turnover_rate", label="Staff turnover",
                 unit="% of staff a year", low=0, high=30, step=1),
        _control("workforce.redundancy_months", staff, "workforce.redundancy_months", label="Redundancy pay",
                 unit="months of salary", low=0, high=24, step=1),
    ]
    for f in FUNCTIONS:
        group = f"Delegated: {FUNCTION_NAMES[f].lower()}"
        items += [
            _control(f"{f}.go_live_shift", group, f"delegation.{f}.go_live.default",
                     label="Go-live: move by (+ later, - earlier)", widget="slider", unit="months",
                     low=-24, high=48, step=1,
                     help="Moves the go-live of every region and ICB by this many months."),
            _control(f"{f}.required", group, f"delegation.{f}.required_wte_per_100k", label="Staff required",
                     low=0, high=4, step=0.05),
            _control(f"{f}.in_scope", group, f"delegation.{f}.in_cut_scope", label="Its budget faces the cut"),
        ]
    return tuple(items)


CONTROLS: tuple[Control, ...] = _controls()
CONTROL_BY_KEY: dict[str, Control] = {c.key: c for c in CONTROLS}

Settings = dict[str, object]
"""Control key -> value as the control shows it (a number, a bool, a year label or a month)."""


# ---------------------------------------------------------------------------------------------
# The starting scenario


@dataclass(frozen=True)
class Source:
    """Where a default comes from, for hover text and the sources panel."""

    value: str
    status: str
    source: str
    note: str
    set_in: str


@dataclass(frozen=True)
class StartPoint:
    """The resolved values of a starting scenario that the controls read and write.

    Series are tuples over ``labels``; ``go_live`` maps each function to its bare mapping
    ``{default, by_region, by_icb}`` of months (``None``: never); ``envelope`` is None or
    ``{per_head_gbp, effective, uplift}``.
    """

    name: str
    labels: tuple[str, ...]
    cut_path: tuple[float, ...]
    cut_last: int
    basis: str
    envelope: dict | None
    pay_award: tuple[float, ...]
    nonpay_inflation: tuple[float, ...]
    oncost_rate: tuple[float, ...]
    turnover_rate: float
    redundancy_months: float
    programme_pay_per_head_gbp: float
    go_live: dict[str, dict]
    required: dict[str, float]
    in_scope: dict[str, bool]
    sources: dict[str, Source] = field(default_factory=dict)


def _source(param: object, value: str) -> Source:
    prov = getattr(param, "prov", None)
    if prov is None:
        return Source(value, "", "", "", "")
    return Source(value, prov.status or "", prov.source or "", prov.note or "", prov.location())


def start_point(scenario: object, inputs: Inputs) -> StartPoint:
    """The StartPoint of a resolved scenario (``inputs`` is ``from_scenario(scenario)``)."""
    labels = inputs.labels
    v = inputs.values

    def series(path: str) -> tuple[float, ...]:
        return tuple(float(x) for x in v[path][0])

    go_live = {f: scenario.value(f"delegation.{f}.go_live") for f in FUNCTIONS}
    sp = StartPoint(
        name=scenario.name,
        labels=labels,
        cut_path=series("running_cost_cut.path"),
        cut_last=inputs.cut_last,
        basis=scenario.value("running_cost_cut.basis"),
        envelope=scenario.value("running_cost_cut.envelope"),
        pay_award=series("inflation.pay_award"),
        nonpay_inflation=series("inflation.nonpay_inflation"),
        oncost_rate=series("inflation.oncost_rate"),
        turnover_rate=float(v["workforce.turnover_rate"][0]),
        redundancy_months=float(v["workforce.redundancy_months"][0]),
        programme_pay_per_head_gbp=float(v["baseline.programme_pay_per_head_gbp"][0]),
        go_live=go_live,
        required={f: float(v[f"delegation.{f}.required_wte_per_100k"][0]) for f in FUNCTIONS},
        in_scope={f: bool(v[f"delegation.{f}.in_cut_scope"][0]) for f in FUNCTIONS},
    )
    return replace(sp, sources=_sources(scenario, sp))


def _sources(scenario: object, sp: StartPoint) -> dict[str, Source]:
    """The provenance of each control's default in the starting scenario."""
    d = defaults(sp)
    out: dict[str, Source] = {}
    for control in CONTROLS:
        shown = format_setting(control, d[control.key])
        path = control.path
        if control.key in ("cut.size", "cut.year"):
            path = f"running_cost_cut.path.{d['cut.year']}"
        elif control.key in ("pay.shift", "nonpay.shift", "oncost.shift", "prices.from"):
            path = f"{control.path}.{d['prices.from']}"
            if control.key != "prices.from":
                series = getattr(sp, control.path.split(".")[1])
                index = sp.labels.index(d["prices.from"])
                shown = f"{format_setting(control, 0)} (the starting value in {d['prices.from']} is " \
                        f"{series[index] * 100:.1f}%)"
        elif control.key == "envelope.on" and sp.envelope is not None:
            path = "running_cost_cut.envelope.per_head_gbp"  # the envelope is a mapping: its amount's source
        elif control.key.startswith("envelope.") and control.key != "envelope.on" and sp.envelope is None:
            out[control.key] = Source(shown, "", "", "No envelope in the starting scenario: this default is "
                                      "the 2025 instruction (scenarios/envelope_2025.yaml gives the sources).", "")
            continue
        try:
            param = scenario.get(path)
        except KeyError:
            param = None
        out[control.key] = _source(param, shown)
    return out


def _reach_index(path: tuple[float, ...], cut_last: int) -> int:
    """Index of the first year the cut path reaches its largest value (the year it is 'reached')."""
    peak = max(path)
    if peak <= 0:
        return max(1, min(cut_last, len(path) - 1))
    return next(i for i, value in enumerate(path) if value >= peak - 1e-12)


def default_shift_from(labels: tuple[str, ...]) -> str:
    """The default first year of pay and price shifts: :data:`DEFAULT_SHIFT_FROM` if in the horizon."""
    if DEFAULT_SHIFT_FROM in labels:
        return DEFAULT_SHIFT_FROM
    return labels[min(1, len(labels) - 1)]


def defaults(sp: StartPoint) -> Settings:
    """Every control's value when nothing has been moved: the starting scenario's own values."""
    envelope = sp.envelope or ENVELOPE_DEFAULTS
    out: Settings = {
        "cut.size": _round(max(sp.cut_path) * 100, 6),
        "cut.year": sp.labels[_reach_index(sp.cut_path, sp.cut_last)],
        "cut.basis": sp.basis,
        "envelope.on": sp.envelope is not None,
        "envelope.per_head": float(envelope["per_head_gbp"]),
        "envelope.effective": str(envelope["effective"]),
        "pay.shift": 0.0,
        "nonpay.shift": 0.0,
        "oncost.shift": 0.0,
        "prices.from": default_shift_from(sp.labels),
        "workforce.turnover": _round(sp.turnover_rate * 100, 6),
        "workforce.redundancy_months": sp.redundancy_months,
    }
    for f in FUNCTIONS:
        out[f"{f}.go_live_shift"] = 0
        out[f"{f}.required"] = sp.required[f]
        out[f"{f}.in_scope"] = sp.in_scope[f]
    return out


def year_choices(labels: tuple[str, ...]) -> list[str]:
    """Years a 'year reached' or 'apply from' control offers: every year after the base year."""
    return list(labels[1:])


def month_choices(labels: tuple[str, ...]) -> list[str]:
    """Months an 'effective month' control offers: every month of the horizon after the base year."""
    first = parse_year(labels[1]) * 12 + 3 if len(labels) > 1 else parse_year(labels[0]) * 12 + 3
    last = parse_year(labels[-1]) * 12 + 3 + 11
    return [month_label(m) for m in range(first, last + 1)]


def clean(control: Control, value: object, sp: StartPoint) -> object:
    """A control value as the model may use it: the right type, rounded to the step, within
    range and among the choices; None when it cannot be read (the caller keeps the default)."""
    if control.widget == "switch":
        if isinstance(value, list):  # a one-box checklist gives [] or ["on"]
            return bool(value)
        if isinstance(value, str):
            return value.lower() in ("1", "true", "on", "yes")
        return None if value is None else bool(value)
    if control.widget == "choice":
        return value if value in dict(control.choices) else None
    if control.widget == "year":
        return value if value in year_choices(sp.labels) else None
    if control.widget == "month":
        return value if isinstance(value, str) and value in month_choices(sp.labels) else None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    if not math.isfinite(number):
        return None
    if control.low is not None:
        number = max(number, control.low)
    if control.high is not None:
        number = min(number, control.high)
    number = round(number, 6) + 0.0  # sliders may report 0.30000000000000004; + 0.0 turns -0.0 into 0.0
    return int(number) if control.decimals == 0 and control.step and number.is_integer() else number


def format_setting(control: Control, value: object) -> str:
    """A control's value with its unit, for people: '30% below 2022/23', '+0.5 percentage points
    a year', '£18.76 per GP-registered person', 'on'."""
    if control.widget == "switch":
        return "yes" if value else "no"
    if control.widget == "choice":
        return dict(control.choices).get(value, str(value))
    if control.widget in ("year", "month"):
        return str(value)
    number = float(value)
    if control.unit.startswith("£"):
        return f"£{number:,.2f}{control.unit[1:]}"
    if control.unit.startswith("%"):
        return f"{number:g}{control.unit}"
    signed = control.unit.startswith("percentage points") or control.key.endswith("_shift")
    return f"{number:+g} {control.unit}" if signed and number else f"{number:g} {control.unit}"


def settings_from(values: dict[str, object], sp: StartPoint) -> Settings:
    """Complete, clean settings: the given values where readable, else the start's defaults."""
    out = defaults(sp)
    for key, value in values.items():
        control = CONTROL_BY_KEY.get(key)
        if control is None:
            continue
        cleaned = clean(control, value, sp)
        if cleaned is not None:
            out[key] = cleaned
    return out


# ---------------------------------------------------------------------------------------------
# Settings -> edits (engine changes and YAML fragments)


@dataclass(frozen=True)
class Edit:
    """One parameter the custom scenario changes.

    ``path`` is where the YAML fragment ``fragment`` goes; ``changes`` are what the engine
    applies; ``before``/``after`` are the values for people; ``cut_last`` is set when the cut path
    is rewritten (the index of its last listed year, which the post-path uplift counts from).
    """

    path: str
    label: str
    unit: str
    before: str
    after: str
    changes: tuple[Change, ...]
    fragment: object
    cut_last: int | None = None


def _round(value: float, decimals: int = _DECIMALS) -> float:
    return float(round(float(value), decimals)) + 0.0  # + 0.0 turns -0.0 into 0.0


def _note(text: str) -> str:
    return f"{DASHBOARD_NOTE}: {text}"


def _provenance(value_key: str, value: object, unit: str | None, note: str) -> dict:
    out = {value_key: value}
    if unit:
        out["unit"] = unit
    out.update({"status": "assumption", "note": _note(note)})
    return out


def _pct(fraction: float) -> str:
    return f"{fraction * 100:.4g}%"


def stretched_path(path: tuple[float, ...], reach_old: int, size: float, reach_new: int) -> list[float]:
    """The cut path with its largest value moved to ``size`` and the year it is reached to
    ``reach_new``: each year's cut is the starting path's shape (its share of the largest cut),
    stretched or squeezed in time, times ``size`` (fractions; rounded to 10 decimals).

    A starting path with no cut has no shape; the new one then rises in a straight line from the
    base year to ``reach_new``.
    """
    n = len(path)
    peak = max(path)
    if peak <= 0 or reach_old < 1:
        shape = [min(1.0, t / reach_new) for t in range(n)]
    else:
        old = np.array(path) / peak
        positions = np.arange(n) * reach_old / reach_new
        shape = list(np.interp(positions, np.arange(n), old))
    return [_round(size * s) for s in shape]


def _cut_edit(settings: Settings, sp: StartPoint, d: Settings) -> Edit | None:
    if settings["cut.size"] == d["cut.size"] and settings["cut.year"] == d["cut.year"]:
        return None
    labels = sp.labels
    size = float(settings["cut.size"]) / 100
    new = stretched_path(sp.cut_path, _reach_index(sp.cut_path, sp.cut_last), size,
                         labels.index(settings["cut.year"]))
    last = len(new) - 1
    while last > 0 and new[last] == new[last - 1]:
        last -= 1
    cut_last = max(last, sp.cut_last)
    written = {labels[t]: new[t] for t in range(min(cut_last, len(labels) - 1) + 1)}
    changes = tuple(Change(f"running_cost_cut.path.{label}", "set", value) for label, value in zip(labels, new))
    text = f"{_pct(size)} by {settings['cut.year']}"
    before = f"{_pct(max(sp.cut_path))} by {d['cut.year']}"
    fragment = _provenance("values", written, "fraction",
                           f"cut of {text} (was {before}), keeping the shape of {sp.name}'s path")
    return Edit("running_cost_cut.path", "Cumulative cut", "% below 2022/23", before, text, changes, fragment,
                cut_last=cut_last)


def _shift_edit(key: str, attr: str, path: str, label: str, settings: Settings, sp: StartPoint) -> Edit | None:
    points = float(settings[key])
    if points == 0:
        return None
    start = getattr(sp, attr)
    first = sp.labels.index(settings["prices.from"])
    written = {sp.labels[t]: _round(start[t] + points / 100) for t in range(first, len(sp.labels))}
    changes = tuple(Change(f"{path}.{year}", "set", value) for year, value in written.items())
    unit = schema.spec_for(path).unit
    text = f"{points:+.4g} percentage points from {settings['prices.from']}"
    fragment = _provenance("values", written, unit, f"{label.lower()} {text} on {sp.name}")
    return Edit(path, label, "percentage points", "as the starting scenario", text, changes, fragment)


def _number_edit(path: str, label: str, value: object, before: object, shown: str, shown_before: str) -> Edit:
    spec = schema.spec_for(path)
    unit = None if spec.kind in ("flag", "word") else spec.unit
    fragment = _provenance("value", value, unit, f"{label.lower()} {shown} (was {shown_before})")
    return Edit(path, label, spec.unit or "", shown_before, shown, (Change(path, "set", value),), fragment)


def _shift_month(month: str | None, months: int) -> str | None:
    return None if month is None else month_label(parse_month(month) + months)


def _go_live_edit(f: str, months: int, sp: StartPoint) -> Edit:
    """Every go-live the start sets for ``f`` (default, each region, each ICB) moved by ``months``:
    mappings merge, so every entry the start sets must be written for all of them to move."""
    start = sp.go_live[f]
    text = f"{months:+d} months"
    note = f"go-live moved {text} from {sp.name}"

    def entry(month: str | None) -> dict:
        return _provenance("value", _shift_month(month, months), "month", note)

    fragment: dict[str, object] = {"default": entry(start.get("default"))}
    for group in ("by_region", "by_icb"):
        if start.get(group):
            fragment[group] = {key: entry(month) for key, month in start[group].items()}
    before = f"from {start.get('default') or 'never'}"
    after = f"from {_shift_month(start.get('default'), months) or 'never'} ({text}; regions and ICBs alike)"
    change = Change(f"delegation.{f}.go_live", "add", months)
    return Edit(f"delegation.{f}.go_live", f"{FUNCTION_NAMES[f]}: go-live", "month", before, after,
                (change,), fragment)


def _envelope_edits(settings: Settings, sp: StartPoint, d: Settings) -> list[Edit]:
    label = "Per-head envelope"
    on, had = bool(settings["envelope.on"]), sp.envelope is not None
    per_head, effective = float(settings["envelope.per_head"]), str(settings["envelope.effective"])
    if not on:
        if not had:
            return []
        fragment = None
        change = Change("running_cost_cut.envelope.effective", "set", float("nan"))
        before = f"£{sp.envelope['per_head_gbp']:.2f} per head from {sp.envelope['effective']}"
        return [Edit("running_cost_cut.envelope", label, "", before, "none", (change,), fragment)]
    shown = f"£{per_head:.2f} per head from {effective}"
    if not had:
        uplift = float(ENVELOPE_DEFAULTS["uplift"])
        note = f"envelope of {shown}, no uplift"
        fragment = {
            "per_head_gbp": _provenance("value", per_head, "gbp per head", note),
            "effective": _provenance("value", effective, "month", note),
            "uplift": _provenance("value", uplift, "fraction per year", note),
        }
        changes = (
            Change("running_cost_cut.envelope.per_head_gbp", "set", per_head),
            Change("running_cost_cut.envelope.effective", "set", float(parse_month(effective))),
            Change("running_cost_cut.envelope.uplift", "set", uplift),
        )
        return [Edit("running_cost_cut.envelope", label, "", "none", shown, changes, fragment)]
    edits = []
    if per_head != d["envelope.per_head"]:
        edits.append(_number_edit("running_cost_cut.envelope.per_head_gbp", "Envelope per head", per_head,
                                  d["envelope.per_head"], f"£{per_head:.2f}", f"£{d['envelope.per_head']:.2f}"))
    if effective != d["envelope.effective"]:
        edit = _number_edit("running_cost_cut.envelope.effective", "Envelope starts", effective,
                            d["envelope.effective"], effective, str(d["envelope.effective"]))
        change = Change("running_cost_cut.envelope.effective", "set", float(parse_month(effective)))
        edits.append(replace(edit, changes=(change,)))
    return edits


def edits(settings: Settings, sp: StartPoint) -> list[Edit]:
    """What the settings change in the starting scenario, one Edit per parameter, in YAML order."""
    d = defaults(sp)
    out: list[Edit] = []
    if settings["cut.basis"] != d["cut.basis"]:
        words = dict(CONTROL_BY_KEY["cut.basis"].choices)
        out.append(_number_edit("running_cost_cut.basis", "Cut basis", settings["cut.basis"], d["cut.basis"],
                                words[settings["cut.basis"]].lower(), words[d["cut.basis"]].lower()))
    cut = _cut_edit(settings, sp, d)
    if cut:
        out.append(cut)
    out += _envelope_edits(settings, sp, d)
    for key, attr, path, label in (
        ("pay.shift", "pay_award", "inflation.pay_award", "Pay awards"),
        ("oncost.shift", "oncost_rate", "inflation.oncost_rate", "Employer on-costs"),
        ("nonpay.shift", "nonpay_inflation", "inflation.nonpay_inflation", "Non-pay inflation"),
    ):
        edit = _shift_edit(key, attr, path, label, settings, sp)
        if edit:
            out.append(edit)
    if settings["workforce.turnover"] != d["workforce.turnover"]:
        value = _round(float(settings["workforce.turnover"]) / 100)
        out.append(_number_edit("workforce.turnover_rate", "Staff turnover", value, sp.turnover_rate,
                                f"{settings['workforce.turnover']:g}% a year",
                                f"{d['workforce.turnover']:g}% a year"))
    if settings["workforce.redundancy_months"] != d["workforce.redundancy_months"]:
        value = float(settings["workforce.redundancy_months"])
        out.append(_number_edit("workforce.redundancy_months", "Redundancy pay", value, sp.redundancy_months,
                                f"{value:g} months", f"{sp.redundancy_months:g} months"))
    for f in FUNCTIONS:
        months = int(settings[f"{f}.go_live_shift"])
        if months:
            out.append(_go_live_edit(f, months, sp))
        if settings[f"{f}.required"] != d[f"{f}.required"]:
            value = _round(float(settings[f"{f}.required"]))
            out.append(_number_edit(f"delegation.{f}.required_wte_per_100k", f"{FUNCTION_NAMES[f]}: staff required",
                                    value, sp.required[f], f"{value:g} WTE per 100k",
                                    f"{sp.required[f]:g} WTE per 100k"))
        if settings[f"{f}.in_scope"] != d[f"{f}.in_scope"]:
            value = bool(settings[f"{f}.in_scope"])
            yes_no = {True: "faces the cut", False: "outside the cut"}
            out.append(_number_edit(f"delegation.{f}.in_cut_scope", f"{FUNCTION_NAMES[f]}: budget", value,
                                    sp.in_scope[f], yes_no[value], yes_no[sp.in_scope[f]]))
    return out


def changes(settings: Settings, sp: StartPoint) -> list[Change]:
    """The engine changes (SPEC section 8) the settings make to the starting scenario."""
    return [change for edit in edits(settings, sp) for change in edit.changes]


def custom_inputs(start_inputs: Inputs, found: list[Edit]) -> Inputs:
    """The starting scenario's inputs with the edits applied (:func:`model.engine.changes.apply`)."""
    changed = apply(start_inputs, [change for edit in found for change in edit.changes])
    cut_last = [edit.cut_last for edit in found if edit.cut_last is not None]
    return replace(changed, cut_last=cut_last[0]) if cut_last else changed


# ---------------------------------------------------------------------------------------------
# Settings -> scenario YAML


def scenario_document(settings: Settings, sp: StartPoint, extends: str, name: str = CUSTOM) -> dict:
    """The scenario the settings describe, as a dict ready to dump: it ``extends`` the start and
    writes only what the sliders changed."""
    found = edits(settings, sp)
    described = "; ".join(f"{e.label.lower()} {e.after}" for e in found) or "no changes"
    doc: dict[str, object] = {
        "name": name,
        "extends": extends,
        "description": f"Made in the dashboard from {sp.name}: {described}.",
    }
    for edit in found:
        node = doc
        parts = edit.path.split(".")
        for part in parts[:-1]:
            node = node.setdefault(part, {})
        node[parts[-1]] = edit.fragment
    return doc


class _Dumper(yaml.SafeDumper):
    """Block style, keys in insertion order, long text folded."""


def _str(dumper: yaml.SafeDumper, text: str) -> yaml.ScalarNode:
    style = ">" if len(text) > 90 else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", text, style=style)


_Dumper.add_representer(str, _str)


def scenario_yaml(settings: Settings, sp: StartPoint, extends: str, start_hash: str, model_version: str,
                  name: str = CUSTOM, today: date | None = None) -> str:
    """A scenario file ``icb-model run`` accepts unchanged, with a header saying where it came from."""
    doc = scenario_document(settings, sp, extends, name)
    today = today or date.today()
    header = [
        f"# Made in the ICB running-cost dashboard on {today.isoformat()} (model version {model_version}).",
        f"# Starts from '{sp.name}' (content sha256 {start_hash[:16]}...) and changes only what the sliders moved;",
        "# each changed value says so in its note. Run it with:",
        f"#   icb-model run {name}.yaml --out results/",
    ]
    body = yaml.dump(doc, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100, default_flow_style=False)
    return "\n".join(header) + "\n" + body


# ---------------------------------------------------------------------------------------------
# Page state in the URL


@dataclass(frozen=True)
class View:
    """Everything the page shows is a function of this (and the uploads held server-side)."""

    start: str
    icb: str
    year: str
    compare: tuple[str, ...]
    settings: Settings


def to_query(view: View, sp: StartPoint) -> str:
    """The URL query for a view: where it differs from the page's defaults only."""
    d = defaults(sp)
    pairs: list[tuple[str, str]] = []
    if view.icb != ENGLAND_CODE:
        pairs.append(("icb", view.icb))
    if view.year != DEFAULT_YEAR:
        pairs.append(("year", view.year))
    shown = tuple(k for k in view.compare if not k.startswith(UPLOAD_PREFIX))
    if shown != DEFAULT_COMPARE:
        pairs.append(("compare", ",".join(shown)))
    if view.start != "base":
        pairs.append(("start", view.start))
    for control in CONTROLS:
        value = view.settings.get(control.key)
        if value is not None and value != d[control.key]:
            pairs.append((control.key, _query_value(value)))
    return "?" + urlencode(pairs, safe="/,") if pairs else ""


def _query_value(value: object) -> str:
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def parse_query(search: str | None, starts: dict[str, StartPoint], icbs: list[str], years: list[str],
                keys: list[str]) -> View:
    """The view a URL query asks for; anything unreadable falls back to the default.

    ``starts`` maps each scenario that may start the custom one to its StartPoint; ``icbs``,
    ``years`` and ``keys`` are the ICB codes, year labels and compare keys on offer.
    """
    query = dict(parse_qsl((search or "").lstrip("?"), keep_blank_values=False))
    start = query.get("start") if query.get("start") in starts else ("base" if "base" in starts else next(iter(starts)))
    icb = (query.get("icb") or ENGLAND_CODE).upper()
    icb = icb if icb in icbs or icb == ENGLAND_CODE else ENGLAND_CODE
    year = query.get("year") if query.get("year") in years else default_year(years)
    compare = default_compare(keys)
    if "compare" in query:
        wanted = [k for k in dict.fromkeys(query["compare"].split(",")) if k in keys]
        compare = tuple(wanted[:MAX_COMPARE]) or compare
    return View(start, icb, year, compare, settings_from(query, starts[start]))


def default_year(years: list[str]) -> str:
    """The year shown first: :data:`DEFAULT_YEAR` when offered, else the last year."""
    return DEFAULT_YEAR if DEFAULT_YEAR in years else years[-1]


def default_compare(keys: list[str]) -> tuple[str, ...]:
    """The scenarios compared first: :data:`DEFAULT_COMPARE`, those of them on offer."""
    chosen = tuple(k for k in DEFAULT_COMPARE if k in keys)
    return chosen or tuple(keys[:1])


# ---------------------------------------------------------------------------------------------
# Scenarios, runs and the cache


@dataclass(frozen=True)
class Loaded:
    """A scenario the page can show: its Scenario, Inputs, StartPoint and results.

    ``key`` is its compare key (its name for shipped scenarios); ``name`` appears in results
    tables, legends and downloads.
    """

    key: str
    name: str
    scenario: object
    inputs: Inputs
    start: StartPoint
    results: pd.DataFrame
    content_hash: str


@dataclass(frozen=True)
class Custom:
    """The custom scenario for some settings: its edits, inputs and results."""

    start: Loaded
    settings: Settings
    edits: tuple[Edit, ...]
    inputs: Inputs
    results: pd.DataFrame

    @property
    def settings_hash(self) -> str:
        """sha256 of the starting scenario's content hash and the changes: identifies the run."""
        payload = json.dumps([self.start.content_hash, [[c.path, c.mode, repr(c.value)] for e in self.edits
                                                         for c in e.changes]])
        return hashlib.sha256(payload.encode()).hexdigest()


@dataclass(frozen=True)
class UploadResult:
    """What became of an upload: the scenario (None when refused) and messages for the page."""

    loaded: Loaded | None
    messages: tuple[str, ...]


_SAFE_NAME = re.compile(r"[^A-Za-z0-9_.-]+")


def safe_filename(name: str | None) -> str:
    """An uploaded file's name reduced to letters, digits, ``_ . -``, ending ``.yaml``."""
    stem = Path(str(name or "uploaded")).name
    stem = re.sub(r"\.(ya?ml)$", "", stem, flags=re.IGNORECASE)
    stem = _SAFE_NAME.sub("_", stem).strip("._-")[:60] or "uploaded"
    return f"{stem}.yaml"


class ScenarioStore:
    """Scenarios for the page, loaded once per process, with results cached by content hash.

    Shipped scenarios (``base`` and every file in ``scenarios/``) are loaded at start. Custom runs
    are kept in a small LRU cache keyed by the starting scenario's content hash and the changes;
    uploads by their content hash. Safe to share between threads.
    """

    def __init__(self, root: Path, custom_cache: int = 64, upload_cache: int = 32) -> None:
        from model.scenario import load_scenario

        self.root = Path(root).resolve()
        names = ["base"] + sorted(p.stem for p in (self.root / "scenarios").glob("*.yaml"))
        names.sort(key=lambda n: (SHIPPED_ORDER.index(n) if n in SHIPPED_ORDER else len(SHIPPED_ORDER), n))
        self._lock = threading.Lock()
        self._by_hash: dict[str, tuple[Inputs, dict]] = {}
        self._custom: OrderedDict[tuple, Custom] = OrderedDict()
        self._uploads: OrderedDict[str, Loaded] = OrderedDict()
        self._refused_keys: OrderedDict[str, None] = OrderedDict()
        self._custom_cache, self._upload_cache = custom_cache, upload_cache
        self.shipped: dict[str, Loaded] = {}
        for name in names:
            self.shipped[name] = self._prepare(name, load_scenario(name, self.root))
        base = self.shipped["base"]
        self.labels: tuple[str, ...] = base.inputs.labels
        table = base.scenario.icbs
        self.icbs = pd.DataFrame({"code": table.codes, "name": table.names, "region": table.regions,
                                  "population": table.population})

    def _prepare(self, key: str, scenario: object) -> Loaded:
        """Inputs, engine run and results of a scenario, run once per content hash."""
        digest = scenario.content_hash()
        with self._lock:
            cached = self._by_hash.get(digest)
        if cached is None:
            inputs = from_scenario(scenario)
            cached = (inputs, engine.run(inputs))
            with self._lock:
                self._by_hash[digest] = cached
        inputs, out = cached
        results = tabulate(scenario.name, inputs, out, content_hash=digest)
        return Loaded(key, scenario.name, scenario, inputs, start_point(scenario, inputs), results, digest)

    # -- what can be compared ------------------------------------------------------------------

    def keys(self) -> list[str]:
        """Compare keys on offer: shipped scenarios, the custom one, then uploads."""
        with self._lock:
            uploads = list(self._uploads)
        return list(self.shipped) + [CUSTOM] + uploads

    def get(self, key: str) -> Loaded | None:
        """A shipped or uploaded scenario by compare key."""
        if key in self.shipped:
            return self.shipped[key]
        with self._lock:
            return self._uploads.get(key)

    def starts(self) -> dict[str, StartPoint]:
        """The scenarios the custom one may start from (the shipped ones) and their StartPoints."""
        return {key: loaded.start for key, loaded in self.shipped.items()}

    # -- the custom scenario --------------------------------------------------------------------

    def custom(self, start_key: str, settings: Settings) -> Custom:
        """The custom scenario: the start's inputs with the settings' changes, run once (all ICBs)."""
        start = self.shipped[start_key]
        found = tuple(edits(settings, start.start))
        cache_key = (start.content_hash, tuple((c.path, c.mode, repr(c.value)) for e in found for c in e.changes),
                     tuple(e.cut_last for e in found))
        with self._lock:
            hit = self._custom.get(cache_key)
            if hit is not None:
                self._custom.move_to_end(cache_key)
        if hit is not None and hit.settings == settings:
            return hit
        if hit is not None:
            return replace(hit, settings=dict(settings))
        inputs = custom_inputs(start.inputs, list(found))
        results = tabulate(CUSTOM, inputs, engine.run(inputs))
        made = Custom(start, dict(settings), found, inputs, results)
        with self._lock:
            self._custom[cache_key] = made
            while len(self._custom) > self._custom_cache:
                self._custom.popitem(last=False)
        return made

    def custom_yaml(self, start_key: str, settings: Settings, model_version: str) -> str:
        """The custom scenario as a YAML file that extends its start by name."""
        start = self.shipped[start_key]
        return scenario_yaml(settings, start.start, start_key, start.content_hash, model_version)

    def load_text(self, text: str, filename: str) -> object:
        """Load scenario YAML text through the project's loader: it may extend a shipped scenario
        by name but never names a file. Raises ScenarioError with messages naming ``filename``."""
        from model.scenario import load_text

        return load_text(text, self.root, safe_filename(filename))

    # -- uploads --------------------------------------------------------------------------------

    def upload(self, filename: str | None, raw: bytes) -> UploadResult:
        """Validate an uploaded scenario file (size-limited, parsed by the safe loader, never
        executed) and keep it for comparison. Messages are those the command line would print."""
        from model.scenario import ScenarioError
        from model.scenario.yamlio import decode_utf8

        shown = safe_filename(filename)
        if len(raw) > UPLOAD_MAX_BYTES:
            return UploadResult(None, (f"{shown} | the file is {len(raw):,} bytes, over the limit of "
                                       f"{UPLOAD_MAX_BYTES:,}. Scenario files are small; check it is the right file.",))
        text, issue = decode_utf8(raw, shown)
        if issue is not None:
            return UploadResult(None, (str(issue),))
        try:
            scenario = self.load_text(text, shown)
        except ScenarioError as error:
            return UploadResult(None, tuple(str(i) for i in error.issues))
        taken = set(self.shipped) | {CUSTOM}
        if scenario.name in taken:
            return UploadResult(None, (f"{shown}, name | the scenario is named '{scenario.name}', like a scenario "
                                       f"the page already shows. Give it its own `name:` (not {', '.join(sorted(taken))}).",))
        key = UPLOAD_PREFIX + scenario.content_hash()[:12]
        loaded = self._prepare(key, scenario)
        with self._lock:
            clash = [u for k, u in self._uploads.items() if u.name == loaded.name and k != key]
            for old in clash:
                del self._uploads[old.key]
            self._uploads[key] = loaded
            self._uploads.move_to_end(key)
            while len(self._uploads) > self._upload_cache:
                self._uploads.popitem(last=False)
        return UploadResult(loaded, (f"{shown}: valid. '{loaded.name}' is ready to compare.",))

    def ensure_uploads(self, uploads: list[dict] | None) -> None:
        """Re-validate uploads this process does not hold (another server worker took them, or
        it restarted) from the text the browser keeps: ``[{key, name, filename, text}]``.

        A request can carry at most :data:`MAX_COMPARE` uploads that are looked at, and a key whose
        text fails validation or gives another key is remembered (up to
        :data:`REFUSED_KEYS_KEPT`) and not validated again, so a client cannot make every request
        re-validate megabytes of text."""
        for upload in (uploads or [])[:MAX_COMPARE]:
            key, text = upload.get("key"), upload.get("text")
            if not (isinstance(key, str) and isinstance(text, str)) or self.get(key) is not None:
                continue
            with self._lock:
                if key in self._refused_keys:
                    continue
            result = self.upload(upload.get("filename"), text.encode("utf-8"))
            if result.loaded is None or result.loaded.key != key:
                with self._lock:
                    self._refused_keys[key] = None
                    while len(self._refused_keys) > REFUSED_KEYS_KEPT:
                        self._refused_keys.popitem(last=False)

    # -- results for a view ---------------------------------------------------------------------

    def compared(self, view: View) -> tuple[pd.DataFrame, list[str], Custom]:
        """Results of the compared scenarios (all ICBs, England, all years) and their names in order,
        and the custom scenario of the view's settings."""
        custom = self.custom(view.start, view.settings)
        frames, names = [], []
        for key in view.compare:
            if key == CUSTOM:
                frames.append(custom.results)
                names.append(CUSTOM)
                continue
            loaded = self.get(key)
            if loaded is not None:
                frames.append(loaded.results)
                names.append(loaded.name)
        results = pd.concat(frames, ignore_index=True) if frames else custom.results.iloc[0:0]
        return results, names, custom

    def export_results(self, view: View, model_version: str) -> pd.DataFrame:
        """The compared results as a download writes them: the custom rows carry the content hash
        ``icb-model run`` gives the downloaded scenario file (found by loading it)."""
        results, _, custom = self.compared(view)
        if CUSTOM not in view.compare:
            return results
        return self.with_custom_hash(results, self.scenarios_for_export(view, custom, model_version))

    @staticmethod
    def with_custom_hash(results: pd.DataFrame, scenarios: list[object]) -> pd.DataFrame:
        """``results`` with the custom rows' ``scenario_sha256`` set from its loaded Scenario."""
        loaded = [s for s in scenarios if s.name == CUSTOM]
        if not loaded or "scenario_sha256" not in results.columns:
            return results
        out = results.copy()
        out.loc[out["scenario"] == CUSTOM, "scenario_sha256"] = loaded[0].content_hash()
        return out

    def scenarios_for_export(self, view: View, custom: Custom, model_version: str) -> list[object]:
        """Scenario objects of the compared scenarios, for the workbook's Assumptions sheet. The
        custom one is its YAML loaded back through the loader, so its provenance reads as the
        downloaded file's."""
        out = []
        for key in view.compare:
            if key == CUSTOM:
                text = self.custom_yaml(view.start, custom.settings, model_version)
                out.append(self.load_text(text, f"{CUSTOM}.yaml"))
            else:
                loaded = self.get(key)
                if loaded is not None:
                    out.append(loaded.scenario)
        return out


# ---------------------------------------------------------------------------------------------
# The arithmetic behind the charts


@dataclass(frozen=True)
class Step:
    """One bar of the waterfall: a label, £ (base-year prices) and whether it is a total."""

    label: str
    gbp: float
    total: bool = False


def waterfall_steps(rows: pd.DataFrame, base_year: str, year: str) -> list[Step]:
    """From the base-year allowance to ``year``'s allowance in real terms, for one scenario and
    place (``rows`` holds its rows for every year):

    base allowance + change in the core allowance (the cut, envelope and programme pay, in cash)
    + change in delegated budgets (cash) + inflation (cash minus real) = allowance in real terms.
    """
    by_year = rows.set_index("year")
    b, y = by_year.loc[base_year], by_year.loc[year]
    return [
        Step(f"{base_year} allowance", float(b["allowance_gbp"]), total=True),
        Step("Cut and envelope (core, cash)", float(y["core_allowance_gbp"] - b["core_allowance_gbp"])),
        Step("Delegated functions added (cash)",
             float(y["delegated_allowance_gbp"] - b["delegated_allowance_gbp"])),
        Step("Inflation: buying power lost", float(y["allowance_real_gbp"] - y["allowance_gbp"])),
        Step(f"{year} allowance, {base_year} prices", float(y["allowance_real_gbp"]), total=True),
    ]


def ranking(results: pd.DataFrame, names: list[str], year: str) -> pd.DataFrame:
    """Every ICB's WTE gap per 100k GP-registered population in ``year``: columns icb_code,
    icb_name, region and one per scenario (those of ``names`` in the results), sorted by the first
    scenario's gap, largest shortfall first. ICBs follow the first scenario's table."""
    rows = results[(results["year"] == year) & (results["icb_code"] != ENGLAND_CODE)]
    gap = rows["wte_gap"].to_numpy() / rows["population"].to_numpy() * 1e5
    scenario = rows["scenario"].to_numpy()
    codes = rows["icb_code"].to_numpy()
    table: pd.DataFrame | None = None
    columns: dict[str, pd.Series] = {}
    for name in names:
        mask = scenario == name
        if not mask.any():
            continue
        if table is None:
            table = rows.loc[mask, ["icb_code", "icb_name", "region"]].set_index("icb_code", drop=False)
        columns[name] = pd.Series(gap[mask], index=codes[mask])
    if table is None:
        return pd.DataFrame(columns=["icb_code", "icb_name", "region"])
    table = pd.concat([table, pd.DataFrame(columns, index=table.index)], axis=1)
    first = next(iter(columns))
    return table.sort_values(first, kind="stable").reset_index(drop=True)
