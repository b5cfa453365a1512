"""The controls of the custom scenario, built from the schema, and the settings they hold.

Each :class:`Control` takes its label, description, unit, display unit and scale, allowed range
and role from the schema's entry for its parameter (:func:`model.schema.spec_for`), with a widget
chosen from the kind of value: a fraction becomes a percent slider, a flag a switch, a word a
choice, a month a drop-down. The arguments given here only narrow a slider to a practical part
of the allowed range, or say what a control does (a shift, a year) where it is not a value.

Settings hold what a control shows, in its display unit: percent (the model holds fractions),
percentage points, £ per GP-registered person, months, WTE per 100,000 GP-registered
population, a year label (``2025/26``), a month (``2026-01``), True or False, or a word.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from model import schema
from model.periods import month_label, parse_year
from model.schema import FUNCTIONS

CUSTOM = "custom"
"""Compare key and scenario name of the scenario the controls drive."""
FUNCTION_NAMES = {
    "pharmacy": "Pharmacy",
    "optometry": "Optometry",
    "dentistry": "Dentistry",
    "specialised": "Specialised commissioning",
}
"""Delegated functions as people name them."""
BASE_YEAR = "{base}"
"""Stands for the starting scenario's base year in a control's unit (see :meth:`Control.unit_for`)."""
LAST_PUBLISHED = "{last}"
"""Stands for the starting scenario's last published year in a control's unit."""
RULES_ONLY = ("cut.size", "cut.year")
"""Controls of the whole cut path: shown for starts that project by the rules alone."""
FURTHER = ("cut.further", "cut.further_year")
"""Controls of a further cut after the published years: shown for starts that use published
allowances, whose rules then carry on from the last published figure by their *relative* change,
so that scaling the whole path changes nothing there."""

Value = bool | int | float | str
"""A setting: a number in the control's display unit, a switch, a year label, a month or a word."""
Settings = dict[str, Value]
"""Control key -> value as the control shows it."""


@dataclass(frozen=True)
class Control:
    """One control of the custom scenario.

    ``key`` names it in pattern-matching ids and in the URL. ``path`` is the schema key whose
    description, unit, role and provenance it shows. ``widget`` is one of ``slider``, ``switch``,
    ``choice`` (radio buttons), ``year`` or ``month`` (drop-downs). Slider values are in the
    display unit ``unit`` (:data:`BASE_YEAR` in it stands for the start's base year); ``scale``
    converts them to the model's unit (100 for percentages). ``low``/``high``/``step`` are in the
    display unit too.
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

    def unit_for(self, base_year: str, last_published: str = "") -> str:
        """The display unit for a start whose base year is ``base_year`` ('% below 2022/23') and
        whose last published year is ``last_published``."""
        return self.unit.replace(BASE_YEAR, base_year).replace(LAST_PUBLISHED, last_published or "the last year")


_WORD_LABELS = {
    "nominal": "Cash (no uplift for inflation)",
    "real": "Real terms (uplifted for inflation)",
    "registered": "GP-registered person",
    "weighted": "Need-weighted person (need index x registered)",
    "cost": "What running an ICB costs",
    "gdp_deflator": "GDP deflator",
}
_WIDGETS = {"flag": "switch", "envelope": "switch", "word": "choice", "month": "month", "month_or_null": "month"}
"""The widget of a kind of schema key; any other kind gets a slider."""


def _control(key: str, group: str, path: str, *, label: str | None = None, help: str = "",
             widget: str | None = None, unit: str | None = None, low: float | None = None,
             high: float | None = None, step: float | None = None) -> Control:
    """A control whose label, description, unit, widget and range come from the schema's entry
    for ``path``; the arguments given override or narrow them (a slider needs a practical range
    inside the schema's allowed one, in the display unit)."""
    spec = schema.spec_for(path)
    if spec is None:
        raise KeyError(f"{path} is not in the schema")
    display = spec.unit_info.display
    widget = widget or _WIDGETS.get(spec.kind, "slider")
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
    """Every control, in the order the page shows them."""
    cut, env, prices, staff = "The cut", "The 2025 per-head envelope", "Pay and prices", "Staff"
    shift = "Added to the starting scenario's {} in each year from the year below."
    items = [
        _control("cut.size", cut, "running_cost_cut.path", label="Size of the cut", unit=f"% below {BASE_YEAR}",
                 low=0, high=70, step=1,
                 help="The cut reached in the year below and held after; earlier years keep the "
                      "starting path's shape, scaled to this size."),
        _control("cut.year", cut, "running_cost_cut.path", label="Year the full cut is reached", widget="year",
                 unit="", help="Moving it stretches or squeezes the starting path in time."),
        _control("cut.further", cut, "running_cost_cut.path", label="Further cut after the published years",
                 unit=f"% below {LAST_PUBLISHED}", low=0, high=50, step=1,
                 help=f"How much lower than in {LAST_PUBLISHED} (the last year of published allowances) each "
                      "allowance is by the year below, on top of what the starting scenario projects; half way "
                      "there half way through, in a straight line. 0: the starting scenario's own projection."),
        _control("cut.further_year", cut, "running_cost_cut.path", label="Year the further cut is reached",
                 widget="year", unit="", help="A year after the last published year; the cut holds after it."),
        _control("cut.basis", cut, "running_cost_cut.basis", label="The cut is in"),
        _control("envelope.on", env, "running_cost_cut.envelope", label="Hold running costs to a per-head envelope",
                 help="It covers programme-funded pay too, so compare it with a scenario that includes "
                      "programme pay (envelope_2025 does)."),
        _control("envelope.per_head", env, "running_cost_cut.envelope.per_head_gbp", label="Envelope per head",
                 unit="£ per GP-registered person", low=5, high=40, step=0.01),
        _control("envelope.effective", env, "running_cost_cut.envelope.effective", label="Envelope starts"),
        _control("envelope.basis", env, "running_cost_cut.envelope.population_basis", label="Envelope per"),
        _control("pay.shift", prices, "inflation.pay_award", label="Pay awards: change",
                 unit="percentage points a year", low=-3, high=5, step=0.1, help=shift.format("award")),
        _control("nonpay.shift", prices, "inflation.nonpay_inflation", label="Non-pay inflation: change",
                 unit="percentage points a year", low=-3, high=5, step=0.1, help=shift.format("rate")),
        _control("oncost.shift", prices, "inflation.oncost_rate", label="Employer on-costs: change",
                 unit="percentage points of salary", low=-5, high=10, step=0.1, help=shift.format("rate")),
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


def tidy(value: float, decimals: int) -> float:
    """``value`` rounded to ``decimals`` places, with -0.0 written as 0.0."""
    return float(round(float(value), decimals)) + 0.0


def year_choices(labels: tuple[str, ...], after: int = 0) -> list[str]:
    """Years a 'year reached' or 'apply from' control offers: every year after the year of index
    ``after`` (the base year by default; the last published year for the further cut)."""
    return list(labels[after + 1:])


def month_choices(labels: tuple[str, ...]) -> list[str]:
    """Months an 'effective month' control offers: every month of the horizon after the base year."""
    first = parse_year(labels[1]) * 12 + 3 if len(labels) > 1 else parse_year(labels[0]) * 12 + 3
    last = parse_year(labels[-1]) * 12 + 3 + 11
    return [month_label(m) for m in range(first, last + 1)]


def clean(control: Control, value: object, labels: tuple[str, ...], published_last: int | None = None) -> Value | None:
    """A control value as the model may use it: the right type, rounded to the step, within
    range and among the choices (years and months of the horizon ``labels``; the further cut's
    year after the last published year, index ``published_last``); None when it cannot be read
    (the caller keeps the default)."""
    if control.widget == "switch":
        if isinstance(value, list):  # a one-box checklist gives [] or ["on"]
            return bool(value)
        if isinstance(value, str):
            return value.lower() in ("1", "true", "on", "yes")
        return None if value is None else bool(value)
    if control.widget == "choice":
        return value if value in dict(control.choices) else None
    if control.widget == "year":
        after = (published_last or 0) if control.key in FURTHER else 0
        return value if isinstance(value, str) and value in year_choices(labels, after) else None
    if control.widget == "month":
        return value if isinstance(value, str) and value in month_choices(labels) else None
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
    number = tidy(number, 6)  # sliders may report 0.30000000000000004
    return int(number) if control.decimals == 0 and control.step and number.is_integer() else number


def format_setting(control: Control, value: Value, base_year: str, last_published: str = "") -> str:
    """A control's value with its unit, for people: '30% below 2022/23' (``base_year`` is the
    start's; ``last_published`` its last year of published allowances), '+0.5 percentage points a
    year', '£18.76 per GP-registered person', 'yes'."""
    if control.widget == "switch":
        return "yes" if value else "no"
    if control.widget == "choice":
        return dict(control.choices).get(str(value), str(value))
    if control.widget in ("year", "month"):
        return str(value)
    number = float(value)
    unit = control.unit_for(base_year, last_published)
    if unit.startswith("£"):
        return f"£{number:,.2f}{unit[1:]}"
    if unit.startswith("%"):
        return f"{number:g}{unit}"
    signed = unit.startswith("percentage points") or control.key.endswith("_shift")
    return f"{number:+g} {unit}" if signed and number else f"{number:g} {unit}"
