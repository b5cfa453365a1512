"""The scenario schema as data: every key of docs/scenario-format.md, with kind, unit and range.

Validation (model.scenario), the command line and the dashboard all read this one table, so a key's
label, description, unit and allowed range are written once. Key paths are dotted; in a pattern,
``F`` stands for one of the four delegated functions, ``REGION`` for an NHS England region, ``CODE``
for an ICB code and ``PATH`` for a parameter path (the keys of ``uncertainty``).

Parameters (SPEC section 8) are the numbers a user can vary: a number, a whole series
(``inflation.pay_award``) or one year of a series (``running_cost_cut.path.2025/26``). A function's
go-live timing (``delegation.dentistry.go_live``: every ICB's go-live month at once) may also be
varied, by whole months. See :func:`resolve_parameter`.
"""

from __future__ import annotations

from model.errors import InputError

import difflib
import math
from dataclasses import dataclass
from functools import lru_cache
from typing import Protocol

from model.periods import PeriodError, parse_year

FUNCTIONS = ("pharmacy", "optometry", "dentistry", "specialised")
"""The delegated functions, in the order reports show them."""

KINDS = ("section", "text", "year", "month", "month_or_null", "path", "include", "number", "series",
         "word", "flag", "envelope", "distribution")
"""Kinds of key. ``section`` is a mapping of further keys; ``envelope`` is a section or null;
``series`` is a per-year series; ``distribution`` an ``uncertainty`` entry."""

ROLES = ("setting", "lever", "uncertainty")
"""What a key is to a user: a setting of the run, a lever (a policy choice), or an uncertainty
(outside anyone's control, or an estimate). Tables and charts keep levers and uncertainties apart."""

NUMERIC_KINDS = ("number", "series")
WILDCARDS = ("REGION", "CODE", "PATH")

KeyPath = tuple[str, ...]


@dataclass(frozen=True)
class KeySpec:
    """One key of the scenario format.

    ``low``/``high`` bound numbers (None: unbounded); ``low_open``/``high_open`` exclude the bound
    itself; ``range_reason`` says why a bound matters when that is not obvious. A key that is not
    ``required`` takes ``default`` when no file sets it.

    ``floor``/``ceiling`` are sanity limits inside that range, far beyond any real value (a salary
    of at least £1 and at most £10m), which keep every figure the model computes finite: without
    them a salary of 1e-300 or 1e308 is "more than 0" yet overflows the arithmetic. ``in_range``
    checks both; ``range_text`` gives the range a modeller thinks in, ``limits_text`` the limits.
    """

    pattern: str
    kind: str
    label: str
    description: str
    unit: str | None = None
    low: float | None = None
    high: float | None = None
    low_open: bool = False
    high_open: bool = False
    choices: tuple[str, ...] = ()
    required: bool = True
    default: object = None
    role: str = "setting"
    range_reason: str = ""
    floor: float | None = None
    ceiling: float | None = None

    def in_range(self, value: float) -> bool:
        """Whether the number ``value`` is allowed: within the range and the sanity limits."""
        return self.in_bounds(value) and self.within_limits(value)

    def in_bounds(self, value: float) -> bool:
        """Whether the number ``value`` is within the range ``low`` to ``high``."""
        if self.low is not None and (value < self.low or (self.low_open and value == self.low)):
            return False
        return self.high is None or not (value > self.high or (self.high_open and value == self.high))

    def within_limits(self, value: float) -> bool:
        """Whether the number ``value`` is within the sanity limits ``floor`` to ``ceiling``."""
        return (self.floor is None or value >= self.floor) and (self.ceiling is None or value <= self.ceiling)

    def limits_text(self) -> str:
        """The sanity limits in words: 'at least 1 and at most 10,000,000'."""
        parts = ([f"at least {self.floor:,g}"] if self.floor is not None else []) + \
                ([f"at most {self.ceiling:,.0f}"] if self.ceiling is not None else [])
        return " and ".join(parts) or "any finite number"

    def range_text(self) -> str:
        """The allowed range in words: '0 to 1', 'more than 0', '0 or more', '0 to less than 1'."""
        if self.low is not None and self.high is not None:
            return f"{_num(self.low)} to {'less than ' if self.high_open else ''}{_num(self.high)}"
        if self.low is not None:
            return f"more than {_num(self.low)}" if self.low_open else f"{_num(self.low)} or more"
        if self.high is not None:
            return f"less than {_num(self.high)}" if self.high_open else f"{_num(self.high)} or less"
        return "any finite number"

    def expects(self) -> str:
        """What a value of this key must be, in words, for error messages."""
        unit = f"{self.unit}, " if self.unit else ""
        return {
            "section": "a mapping of keys",
            "text": "text",
            "year": "a financial year label such as 2025/26",
            "month": "a month YYYY-MM such as 2023-07",
            "month_or_null": "a month YYYY-MM such as 2023-07, or null for never",
            "path": "a path to a CSV file",
            "include": "`all` or a list of ICB codes and region names",
            "number": f"a number ({unit}{self.range_text()})",
            "series": f"a number or a series such as {{2024/25: 0.2, 2025/26: 0.3}} ({unit}{self.range_text()})",
            "word": "one of " + ", ".join(self.choices),
            "flag": "true or false",
            "envelope": "null (no envelope) or a mapping with per_head_gbp, effective and uplift",
            "distribution": "a mapping with distribution, mode, low and high",
        }[self.kind]


def _num(value: float) -> str:
    """A bound for display (0.1, not 0.1000000001; 24, not 24.0)."""
    return f"{value:g}"


_F = "delegation.F"
SCHEMA: tuple[KeySpec, ...] = (
    KeySpec("name", "text", "Name", "The scenario's name in results; a scenario's own, never inherited.",
            required=False),
    KeySpec("description", "text", "Description", "What the scenario represents, in a sentence or two.",
            required=False),
    KeySpec("extends", "text", "Starts from",
            "The scenario this one changes: `base`, a scenario name in scenarios/, or a path.", required=False),
    KeySpec("horizon", "section", "Horizon", "The financial years the model runs over."),
    KeySpec("horizon.base_year", "year", "Base year",
            "The first year modelled; all 'vs base' figures and base-year prices refer to it."),
    KeySpec("horizon.end_year", "year", "End year", "The last year modelled."),
    KeySpec("icbs", "section", "ICBs", "Which ICBs the model covers."),
    KeySpec("icbs.table", "path", "ICB table",
            "CSV of ICBs (code, name, region, population, optional baseline_rca_gbp), relative to the file."),
    KeySpec("icbs.include", "include", "ICBs included",
            "`all`, or the ICB codes and region names to run; England is the sum of those included.",
            required=False, default="all"),
    KeySpec("population", "section", "Population", "How ICB populations change."),
    KeySpec("population.growth_rate", "number", "Population growth",
            "Yearly growth of every ICB's GP-registered population.", "fraction per year", -0.1, 0.1,
            role="uncertainty"),
    KeySpec("baseline", "section", "Baseline", "The base-year running cost allowance and its make-up."),
    KeySpec("baseline.rca_per_head_gbp", "number", "Running cost allowance per head",
            "Base-year running cost allowance per head, for ICBs whose table row gives no baseline_rca_gbp.",
            "gbp per head", 0, None, low_open=True, role="uncertainty",
            range_reason="every 'vs base' ratio divides by the base-year cost", floor=0.01, ceiling=10_000),
    KeySpec("baseline.pay_share", "number", "Pay share",
            "Share of the base-year running cost allowance spent on pay.", "fraction", 0, 1, role="uncertainty"),
    KeySpec("baseline.salary_per_wte_gbp", "number", "Average salary per WTE",
            "Average base-year salary per whole-time equivalent, before on-costs.", "gbp per wte", 0, None,
            low_open=True, role="uncertainty", range_reason="the model divides by the cost of a WTE", floor=1,
            ceiling=10_000_000),
    KeySpec("baseline.programme_pay_per_head_gbp", "number", "Programme-funded pay per head",
            "Base-year cost (with on-costs) of ICB staff paid from programme budgets, per head; the 2025 "
            "per-head envelope covers it.", "gbp per head", 0, None, required=False, default=0.0,
            role="uncertainty", ceiling=10_000),
    KeySpec("running_cost_cut", "section", "Running cost cut", "The reduction required in running costs."),
    KeySpec("running_cost_cut.basis", "word", "Cut basis",
            "`nominal`: the cut is in cash, with no inflationary uplift; `real`: the cut is after inflation.",
            choices=("nominal", "real"), role="lever"),
    KeySpec("running_cost_cut.path", "series", "Cumulative cut",
            "Cumulative cut in the running cost allowance against the base year, by year (0.3 = 30% lower).",
            "fraction", 0, 1, high_open=True, role="lever",
            range_reason="a 100% cut leaves no allowance, and transferred budgets are scaled by the allowance"),
    KeySpec("running_cost_cut.post_path_uplift", "number", "Uplift after the cut path",
            "Yearly cash uplift of the allowance in years after the last year of the cut path.",
            "fraction per year", -0.5, 0.5, role="lever"),
    KeySpec("running_cost_cut.envelope", "envelope", "Per-head envelope",
            "A cap per head on running costs and programme pay together from a date; null for none.",
            required=False, default=None, role="lever"),
    KeySpec("running_cost_cut.envelope.per_head_gbp", "number", "Envelope per head",
            "The envelope per head, in cash in its first year.", "gbp per head", 0, None, low_open=True,
            role="lever", range_reason="transferred budgets are scaled by the core allowance, which must stay above 0",
            floor=0.01, ceiling=10_000),
    KeySpec("running_cost_cut.envelope.effective", "month", "Envelope starts",
            "The month the envelope takes effect.", "month", role="lever"),
    KeySpec("running_cost_cut.envelope.uplift", "number", "Envelope uplift",
            "Yearly cash uplift of the envelope after the year it takes effect.", "fraction per year", -0.5, 0.5,
            role="lever"),
    KeySpec("inflation", "section", "Inflation", "Pay awards, on-costs and price inflation, by year."),
    KeySpec("inflation.pay_award", "series", "Pay award",
            "Pay award in each year, against the year before.", "fraction per year", -0.5, 1, role="uncertainty"),
    KeySpec("inflation.oncost_rate", "series", "Employer on-costs",
            "Employer pension and national insurance on-costs as a share of salary, by year.", "fraction", 0, 1,
            role="uncertainty"),
    KeySpec("inflation.nonpay_inflation", "series", "Non-pay inflation",
            "Price inflation of non-pay running costs in each year, against the year before.",
            "fraction per year", -0.5, 1, role="uncertainty"),
    KeySpec("inflation.gdp_deflator", "series", "GDP deflator",
            "Growth of the GDP deflator in each year, used when real terms are measured against it.",
            "fraction per year", -0.5, 1, role="uncertainty"),
    KeySpec("real_terms", "section", "Real terms", "What real-terms figures are measured against.",
            required=False, default={}),
    KeySpec("real_terms.index", "word", "Real-terms index",
            "`cost`: what running an ICB costs (pay and non-pay); `gdp_deflator`: economy-wide prices.",
            choices=("cost", "gdp_deflator"), required=False, default="cost"),
    KeySpec("workforce", "section", "Workforce", "Staffing need, turnover and the cost of redundancy."),
    KeySpec("workforce.core_demand_change", "number", "Core workload change",
            "Yearly change in the staff core (non-delegated) functions need.", "fraction per year", -0.5, 0.5,
            role="lever"),
    KeySpec("workforce.turnover_rate", "number", "Staff turnover",
            "Share of staff who leave each year; leavers not replaced reduce redundancies.", "fraction per year",
            0, 1, role="uncertainty"),
    KeySpec("workforce.redundancy_months", "number", "Redundancy pay",
            "Months of salary paid per redundancy.", "months", 0, 24, role="uncertainty"),
    KeySpec("nonpay", "section", "Non-pay", "Savings in non-pay running costs."),
    KeySpec("nonpay.annual_saving", "number", "Non-pay saving",
            "Yearly efficiency saving on core non-pay costs.", "fraction per year", 0, 0.5, role="lever"),
    KeySpec("delegation", "section", "Delegation", "Functions delegated to ICBs and the staff that came with them."),
    KeySpec(_F, "section", "Delegated function", "One delegated function."),
    KeySpec(f"{_F}.go_live", "section", "Go-live", "When the function transfers to ICBs."),
    KeySpec(f"{_F}.go_live.default", "month_or_null", "Go-live",
            "Month the function transfers to ICBs not named by region or code; null for never.", "month",
            role="lever"),
    KeySpec(f"{_F}.go_live.by_region", "section", "Go-live by region",
            "Go-live months for the ICBs of named regions.", required=False, default={}),
    KeySpec(f"{_F}.go_live.by_region.REGION", "month_or_null", "Go-live in region",
            "Month the function transfers to this region's ICBs; null for never.", "month", role="lever"),
    KeySpec(f"{_F}.go_live.by_icb", "section", "Go-live by ICB",
            "Go-live months for named ICBs; these win over region and default.", required=False, default={}),
    KeySpec(f"{_F}.go_live.by_icb.CODE", "month_or_null", "Go-live in ICB",
            "Month the function transfers to this ICB; null for never.", "month", role="lever"),
    KeySpec(f"{_F}.transfer_wte_per_100k", "number", "Staff transferred",
            "Whole-time equivalents that came across with the function per 100,000 population, vacancies "
            "included.", "wte per 100k", 0, None, role="uncertainty", ceiling=100_000),
    KeySpec(f"{_F}.required_wte_per_100k", "number", "Staff required",
            "Whole-time equivalents per 100,000 population the function needs to be commissioned well.",
            "wte per 100k", 0, None, role="uncertainty", ceiling=100_000),
    KeySpec(f"{_F}.nonpay_per_wte_gbp", "number", "Non-pay per WTE",
            "Base-year non-pay cost per whole-time equivalent of the function.", "gbp per wte", 0, None,
            role="uncertainty", ceiling=10_000_000),
    KeySpec(f"{_F}.in_cut_scope", "flag", "Cut applies",
            "Whether the transferred budget is then cut like the core allowance.", role="lever"),
    KeySpec("uncertainty", "section", "Uncertainty",
            "Distributions of parameters for sensitivity runs, keyed by parameter path.", required=False,
            default={}),
    KeySpec("uncertainty.PATH", "distribution", "Distribution",
            "How a parameter varies in sensitivity runs: a distribution, how a draw is applied, and bounds."),
)

_BY_PARTS: tuple[tuple[KeyPath, KeySpec], ...] = tuple((tuple(s.pattern.split(".")), s) for s in SCHEMA)
_BY_LENGTH: dict[int, tuple[tuple[KeyPath, KeySpec], ...]] = {
    n: tuple(item for item in _BY_PARTS if len(item[0]) == n) for n in {len(p) for p, _ in _BY_PARTS}}
"""The patterns by number of parts: a lookup only tries patterns as long as the path."""


def key_parts(path: str | KeyPath) -> KeyPath:
    """A key path as a tuple of keys. In a dotted str, everything after ``uncertainty.`` is one key."""
    if isinstance(path, tuple):
        return path
    if not path:
        return ()
    parts = tuple(path.split("."))
    if parts[0] == "uncertainty" and len(parts) > 1:
        return ("uncertainty", ".".join(parts[1:]))
    return parts


def _matches(pattern: KeyPath, parts: KeyPath) -> bool:
    """Whether the key path ``parts`` fits ``pattern`` (wildcards included)."""
    if len(pattern) != len(parts):
        return False
    return all(p == k or (p == "F" and k in FUNCTIONS) or p in WILDCARDS for p, k in zip(pattern, parts))


def spec_for(path: str | KeyPath) -> KeySpec | None:
    """The KeySpec of a key path, or None when the schema has no such key."""
    parts = key_parts(path)
    return next((spec for pattern, spec in _BY_LENGTH.get(len(parts), ()) if _matches(pattern, parts)), None)


def child_keys(path: str | KeyPath) -> list[str]:
    """The named keys allowed directly under ``path`` ('' for the top level), for did-you-mean.

    Wildcard children (regions, ICB codes, parameter paths) are not listed.
    """
    return list(_child_keys(key_parts(path)))


@lru_cache(maxsize=1024)
def _child_keys(parts: KeyPath) -> tuple[str, ...]:
    """:func:`child_keys` of a key path as a tuple (cached: a file of many unknown keys asks often)."""
    names: list[str] = []
    for pattern, _spec in _BY_LENGTH.get(len(parts) + 1, ()):
        if _matches(pattern[:-1], parts) and pattern[-1] not in WILDCARDS:
            for name in FUNCTIONS if pattern[-1] == "F" else (pattern[-1],):
                if name not in names:
                    names.append(name)
    return tuple(names)


def expand(pattern: str) -> list[str]:
    """The key paths a pattern stands for, with ``F`` replaced by each function in turn."""
    if ".F." not in f".{pattern}.":
        return [pattern]
    return [pattern.replace("delegation.F", f"delegation.{name}", 1) for name in FUNCTIONS]


def parameter_paths() -> list[str]:
    """Every numeric parameter a user can vary (SPEC section 8), in schema order.

    A series path names the whole series; add ``.YYYY/YY`` to name one year of it.
    """
    return [path for spec in SCHEMA if spec.kind in NUMERIC_KINDS for path in expand(spec.pattern)]


def timing_paths() -> list[str]:
    """The go-live timings a user can vary: ``delegation.F.go_live`` for each function."""
    return expand("delegation.F.go_live")


class ParameterError(InputError):
    """A parameter path that names no parameter the user can vary."""


class ScenarioLike(Protocol):
    """What :func:`resolve_parameter` needs of a scenario."""

    @property
    def years(self) -> list[str]: ...

    def get(self, path: str) -> object: ...


@dataclass(frozen=True)
class ParameterRef:
    """What a parameter path names.

    ``target`` is 'number' (a single number), 'series' (every year of a series), 'year' (one
    year of a series, ``year``) or 'go_live' (a function's go-live month in every ICB). ``key`` is
    the path of the number, series or go-live itself.
    """

    path: str
    key: str
    target: str
    spec: KeySpec
    year: str | None = None


def resolve_parameter(path: str, scenario: ScenarioLike | None = None) -> ParameterRef:
    """Resolve a dotted parameter path such as ``running_cost_cut.path.2025/26``, or a go-live
    timing such as ``delegation.dentistry.go_live``.

    With ``scenario``, also check that the parameter exists in it (an envelope parameter needs an
    envelope) and that a named year is within its horizon. Raises ParameterError, with a
    did-you-mean, when the path names no parameter.
    """
    ref = _parse_parameter(path.strip())
    if scenario is not None:
        _check_in_scenario(ref, scenario)
    return ref


def _parse_parameter(path: str) -> ParameterRef:
    """The ParameterRef of ``path`` judged against the schema alone."""
    params = parameter_paths()
    if path in timing_paths():
        return ParameterRef(path, path, "go_live", spec_for(path))
    if path in params:
        spec = spec_for(path)
        return ParameterRef(path, path, "series" if spec.kind == "series" else "number", spec)
    head, _, tail = path.rpartition(".")
    if head in params:
        spec = spec_for(head)
        if spec.kind != "series":
            raise ParameterError(f"'{head}' is a single number, not a series: name it without '.{tail}'.")
        try:
            parse_year(tail)
        except PeriodError as err:
            raise ParameterError(f"in '{path}': {err}.") from None
        return ParameterRef(path, head, "year", spec, tail)
    spec = spec_for(path)
    if spec is not None:
        raise ParameterError(f"'{path}' is {spec.expects()}, not a number that can be varied. "
                             "Parameters are numbers or series, e.g. inflation.pay_award.")
    if "/" in tail:
        close = difflib.get_close_matches(head, params, n=1, cutoff=0.6)
        if close:
            raise ParameterError(f"'{path}' is not a parameter. Did you mean '{close[0]}.{tail}'?")
    raise ParameterError(f"'{path}' is not a parameter. {did_you_mean(path, params + timing_paths())}")


def _check_in_scenario(ref: ParameterRef, scenario: ScenarioLike) -> None:
    """Raise ParameterError unless the parameter ``ref`` exists in ``scenario``."""
    if ref.key.startswith("running_cost_cut.envelope.") and not isinstance(scenario.get("running_cost_cut.envelope"), dict):
        raise ParameterError(f"'{ref.path}' is a parameter of the envelope, but this scenario has none "
                             "(running_cost_cut.envelope is null). Set an envelope first.")
    if ref.year is not None and ref.year not in scenario.years:
        raise ParameterError(f"{ref.year} in '{ref.path}' is outside the horizon {scenario.years[0]} to "
                             f"{scenario.years[-1]}. Name a year within it.")


def did_you_mean(word: str, choices: list[str] | tuple[str, ...]) -> str:
    """'Did you mean 'x'?' for the closest of ``choices``, or a list of them when none is close."""
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    if close:
        return f"Did you mean '{close[0]}'?"
    shown = ", ".join(choices[:12]) + (", …" if len(choices) > 12 else "")
    return f"Expected one of: {shown}." if choices else "Nothing is allowed here."


def percent_hint(value: float, spec: KeySpec) -> str:
    """A hint when ``value`` looks like a percentage written where a fraction belongs, else ''."""
    if not (spec.unit or "").startswith("fraction") or not math.isfinite(value) or not 2 <= abs(value) <= 100:
        return ""
    if not spec.in_range(value / 100):
        return ""
    return f" A fraction is written 0-1: write {value:g}% as {value / 100:g}."
