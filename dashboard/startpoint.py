"""The scenario the custom one starts from: the values the controls read, each control's default
and where that default comes from.

A :class:`StartPoint` holds a resolved scenario's values in the model's units: fractions (the cut
path, pay awards, inflation, on-costs, turnover), £ (per head), months (``YYYY-MM``; redundancy
pay as a count of months of salary) and WTE per 100,000 GP-registered population.
:func:`defaults` gives the controls' values for it, in their display units.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from dashboard.controls import (
    CONTROL_BY_KEY,
    CONTROLS,
    Settings,
    clean,
    format_setting,
    month_choices,
    tidy,
    year_choices,
)
from model.engine.inputs import Inputs
from model.provenance import Param, Provenance
from model.scenario import Scenario
from model.scenario.resolved import Node
from model.schema import FUNCTIONS

DEFAULT_SHIFT_FROM = "2026/27"
"""First year a pay or price shift applies to by default: the first year whose award is not yet paid."""
ENVELOPE = "running_cost_cut.envelope"
ENVELOPE_KEYS = ("per_head_gbp", "effective", "uplift", "population_basis")


@dataclass(frozen=True)
class Source:
    """Where a default comes from, for hover text and the sources panel: the value as shown, its
    status, source and note, and the file and line that set it."""

    value: str
    status: str
    source: str
    note: str
    set_in: str


@dataclass(frozen=True)
class EnvelopeDefault:
    """The envelope switching it on gives a start without one: ``per_head_gbp`` (£ per
    GP-registered person, cash, in its first year), ``effective`` (month ``YYYY-MM``) and ``uplift``
    (fraction a year), taken from the shipped scenario ``scenario`` with the provenance of each
    value (by key). ``scenario`` is None when no shipped scenario has an envelope."""

    per_head_gbp: float
    effective: str
    uplift: float
    scenario: str | None = None
    provenance: dict[str, Provenance] = field(default_factory=dict)
    population_basis: str = "registered"


@dataclass(frozen=True)
class StartPoint:
    """The resolved values of a starting scenario that the controls read and write.

    Series are tuples of fractions over ``labels`` (year labels, base year first); ``cut_last`` is
    the index of the cut path's last listed year. ``go_live`` maps each function to its bare
    mapping ``{default, by_region, by_icb}`` of months (``None``: never); ``envelope`` is None or
    ``{per_head_gbp, effective, uplift}``; ``envelope_uncertainty`` maps each ``uncertainty`` entry
    of an envelope parameter to its bare entry. ``required`` is WTE per 100,000 GP-registered
    population, ``programme_pay_per_head_gbp`` £ per head in base-year prices.
    ``post_path_uplift`` is the yearly uplift after the cut path's last listed year (a fraction).
    ``published_last`` is the index of the last year with a published allowance (None when the
    start projects by the rules alone); ``exists`` maps each organisation of the start's history
    to the indices of the first and last years it exists.
    """

    name: str
    labels: tuple[str, ...]
    cut_path: tuple[float, ...]
    cut_last: int
    basis: str
    envelope: dict[str, float | str] | None
    pay_award: tuple[float, ...]
    nonpay_inflation: tuple[float, ...]
    oncost_rate: tuple[float, ...]
    turnover_rate: float
    redundancy_months: float
    programme_pay_per_head_gbp: float
    go_live: dict[str, dict]
    required: dict[str, float]
    in_scope: dict[str, bool]
    envelope_default: EnvelopeDefault
    envelope_uncertainty: dict[str, dict] = field(default_factory=dict)
    sources: dict[str, Source] = field(default_factory=dict)
    post_path_uplift: float = 0.0
    published_last: int | None = None
    exists: dict[str, tuple[int, int]] = field(default_factory=dict)

    @property
    def base_year(self) -> str:
        """The year real terms are priced in and the cut is measured from (``2022/23``)."""
        return self.labels[0]

    @property
    def last_published(self) -> str:
        """The last year with a published allowance ('' when the start uses none)."""
        return "" if self.published_last is None else self.labels[self.published_last]

    def further_years(self) -> list[str]:
        """The years a further cut can reach: those after the last published year."""
        return year_choices(self.labels, self.published_last or 0) if self.published_last is not None else []


def envelope_default(scenarios: Iterable[Scenario]) -> EnvelopeDefault | None:
    """The envelope of the first of ``scenarios`` that has one, with its provenance; None if none has."""
    for scenario in scenarios:
        node = scenario.get(ENVELOPE)
        if isinstance(node, dict):
            bare = scenario.value(ENVELOPE)
            return EnvelopeDefault(float(bare["per_head_gbp"]), str(bare["effective"]), float(bare["uplift"]),
                                   scenario.name, {key: node[key].prov for key in ENVELOPE_KEYS if key in node},
                                   str(bare.get("population_basis") or "registered"))
    return None


def _fallback_envelope(labels: tuple[str, ...]) -> EnvelopeDefault:
    """The envelope default when no shipped scenario has one: the middle of the per-head control's
    range, from the first month the page offers, with no uplift."""
    control = CONTROL_BY_KEY["envelope.per_head"]
    middle = tidy((control.low + control.high) / 2, control.decimals)
    return EnvelopeDefault(middle, month_choices(labels)[0], 0.0)


def start_point(scenario: Scenario, inputs: Inputs, envelope: EnvelopeDefault | None = None) -> StartPoint:
    """The StartPoint of a resolved scenario (``inputs`` is ``from_scenario(scenario)``).

    ``envelope`` is what switching the envelope on gives when the scenario has none (see
    :func:`envelope_default`; by default the middle of the control's range)."""
    labels = inputs.labels
    v = inputs.values

    def series(path: str) -> tuple[float, ...]:
        return tuple(float(x) for x in v[path][0])

    uncertain = [path for path in scenario.tree["uncertainty"] if path.startswith(f"{ENVELOPE}.")]
    sp = StartPoint(
        name=scenario.name,
        labels=labels,
        cut_path=series("running_cost_cut.path"),
        cut_last=inputs.cut_last,
        basis=str(scenario.value("running_cost_cut.basis")),
        envelope=scenario.value(ENVELOPE),
        pay_award=series("inflation.pay_award"),
        nonpay_inflation=series("inflation.nonpay_inflation"),
        oncost_rate=series("inflation.oncost_rate"),
        turnover_rate=float(v["workforce.turnover_rate"][0]),
        redundancy_months=float(v["workforce.redundancy_months"][0]),
        programme_pay_per_head_gbp=float(v["baseline.programme_pay_per_head_gbp"][0]),
        go_live={f: scenario.value(f"delegation.{f}.go_live") for f in FUNCTIONS},
        required={f: float(v[f"delegation.{f}.required_wte_per_100k"][0]) for f in FUNCTIONS},
        in_scope={f: bool(v[f"delegation.{f}.in_cut_scope"][0]) for f in FUNCTIONS},
        envelope_default=envelope or _fallback_envelope(labels),
        envelope_uncertainty={path: scenario.value(f"uncertainty.{path}") for path in uncertain},
        post_path_uplift=float(v["running_cost_cut.post_path_uplift"][0]),
        published_last=_published_last(scenario, labels),
        exists=_exists(scenario),
    )
    return replace(sp, sources=_sources(scenario, sp))


def _published_last(scenario: Scenario, labels: tuple[str, ...]) -> int | None:
    """Index of the last year with a published allowance in the scenario (None: none used)."""
    years = [year for year in scenario.published.years() if year in labels]
    return labels.index(years[-1]) if years else None


def _exists(scenario: Scenario) -> dict[str, tuple[int, int]]:
    """Each organisation of the scenario's history and the first and last year index it exists."""
    eras = scenario.history.eras
    n = len(scenario.years)
    out: dict[str, tuple[int, int]] = {}
    for k, era in enumerate(eras):
        last = eras[k + 1].first - 1 if k + 1 < len(eras) else n - 1
        for code in era.codes():
            first = out[code][0] if code in out else era.first
            out[code] = (first, last)
    return out


def _source(node: Node | Provenance | None, value: str, note: str = "") -> Source:
    """The Source of a value shown as ``value``, from the provenance of its node (a Param's, or
    the one given; a series or a mapping has none); ``note`` goes before the provenance's note."""
    prov = node.prov if isinstance(node, Param) else node if isinstance(node, Provenance) else None
    if prov is None:
        return Source(value, "", "", note, "")
    return Source(value, prov.status or "", prov.source or "", " ".join(filter(None, (note, prov.note))),
                  prov.location())


def _sources(scenario: Scenario, sp: StartPoint) -> dict[str, Source]:
    """The provenance of each control's default in the starting scenario."""
    d = defaults(sp)
    out: dict[str, Source] = {}
    for control in CONTROLS:
        shown = format_setting(control, d[control.key], sp.base_year, sp.last_published)
        path = control.path
        if control.key in ("cut.size", "cut.year", "cut.further", "cut.further_year"):
            path = f"running_cost_cut.path.{d['cut.year']}"
        elif control.key in ("pay.shift", "nonpay.shift", "oncost.shift", "prices.from"):
            path = f"{control.path}.{d['prices.from']}"
            if control.key != "prices.from":
                series = getattr(sp, control.path.split(".")[1])
                index = sp.labels.index(str(d["prices.from"]))
                shown = f"{format_setting(control, 0, sp.base_year)} (the starting value in {d['prices.from']} " \
                        f"is {series[index] * 100:.1f}%)"
        elif control.key == "envelope.on" and sp.envelope is not None:
            path = f"{ENVELOPE}.per_head_gbp"  # the envelope is a mapping: its amount's source
        elif control.key in ("envelope.per_head", "envelope.effective", "envelope.basis") and sp.envelope is None:
            out[control.key] = _envelope_source(sp, control.path.rsplit(".", 1)[1], shown)
            continue
        try:
            node: Node | None = scenario.get(path)
        except KeyError:
            node = None
        out[control.key] = _source(node, shown)
    return out


def _envelope_source(sp: StartPoint, key: str, shown: str) -> Source:
    """Where the default of an envelope control comes from for a start without an envelope."""
    default = sp.envelope_default
    if default.scenario is None:
        return Source(shown, "", "", "No envelope in the starting scenario, nor in any shipped scenario: this "
                                     "default is the middle of the control's range.", "")
    return _source(default.provenance.get(key), shown,
                   f"No envelope in the starting scenario: this default is {default.scenario}'s.")


def reach_index(path: tuple[float, ...], cut_last: int) -> int:
    """Index of the first year the cut path (fractions) reaches its largest value (the year it is
    'reached'); for a path with no cut, its last listed year (at least the year after the base)."""
    peak = max(path)
    if peak <= 0:
        return max(1, min(cut_last, len(path) - 1))
    return next(i for i, value in enumerate(path) if value >= peak - 1e-12)


def default_shift_from(labels: tuple[str, ...]) -> str:
    """The default first year of pay and price shifts: :data:`DEFAULT_SHIFT_FROM` if in the horizon."""
    if DEFAULT_SHIFT_FROM in labels:
        return DEFAULT_SHIFT_FROM
    return labels[min(1, len(labels) - 1)]


def default_further_year(sp: StartPoint) -> str:
    """The year a further cut is reached by default: two years after the last published year (the
    2023 instruction's pace) where the horizon allows, else its last year."""
    years = sp.further_years()
    return years[min(1, len(years) - 1)] if years else sp.labels[-1]


def defaults(sp: StartPoint) -> Settings:
    """Every control's value when nothing has been moved: the starting scenario's own values, in
    the controls' display units (percent, £ per head, months, WTE per 100k)."""
    default = sp.envelope_default
    per_head, effective = (sp.envelope["per_head_gbp"], sp.envelope["effective"]) if sp.envelope \
        else (default.per_head_gbp, default.effective)
    basis = str(sp.envelope.get("population_basis") or "registered") if sp.envelope else default.population_basis
    out: Settings = {
        "cut.size": tidy(max(sp.cut_path) * 100, 6),
        "cut.year": sp.labels[reach_index(sp.cut_path, sp.cut_last)],
        "cut.further": 0,
        "cut.further_year": default_further_year(sp),
        "cut.basis": sp.basis,
        "envelope.on": sp.envelope is not None,
        "envelope.per_head": float(per_head),
        "envelope.effective": str(effective),
        "envelope.basis": basis,
        "pay.shift": 0.0,
        "nonpay.shift": 0.0,
        "oncost.shift": 0.0,
        "prices.from": default_shift_from(sp.labels),
        "workforce.turnover": tidy(sp.turnover_rate * 100, 6),
        "workforce.redundancy_months": sp.redundancy_months,
    }
    for f in FUNCTIONS:
        out[f"{f}.go_live_shift"] = 0
        out[f"{f}.required"] = sp.required[f]
        out[f"{f}.in_scope"] = sp.in_scope[f]
    return out


def settings_from(values: dict[str, object], sp: StartPoint) -> Settings:
    """Complete, clean settings: the given values where readable, else the start's defaults."""
    out = defaults(sp)
    for key, value in values.items():
        control = CONTROL_BY_KEY.get(key)
        if control is None:
            continue
        cleaned = clean(control, value, sp.labels, sp.published_last)
        if cleaned is not None:
            out[key] = cleaned
    return out
