"""Distributions of uncertain parameters, and reproducible draws from them.

A scenario's ``uncertainty:`` block maps a parameter path (SPEC section 8) to a distribution
(docs/scenario-format.md, "Uncertainty"): ``normal``, ``triangular``, ``uniform`` or
``lognormal``, always with bounds ``low`` and ``high`` that every draw respects, and a ``mode``
(``set``, ``add`` or ``scale``) saying how a draw changes the parameter. A draw on a series path
with ``add`` or ``scale`` shifts every year by the same amount (``from_year`` limits it to that
year and later ones).

Every distribution is sampled through its inverse cumulative distribution function (the *quantile
function*, :meth:`Distribution.ppf`) from uniform numbers in [0, 1). Truncation to the bounds is
exact (the uniform numbers are mapped into the bounds' share of the distribution), and the same
mapping turns SALib's Sobol design into parameter values.

Draws are seeded by identity: parameter ``path`` gets its own stream from
``numpy.random.SeedSequence(seed, spawn_key=(sha256(path),))``, so adding, removing or reordering
parameters never changes another parameter's draws, and all draws of a parameter are made at once
before any chunking, so chunk size and the number of workers cannot change them.
"""

from __future__ import annotations

import difflib
import hashlib
import math
from collections.abc import Mapping
from dataclasses import dataclass
from statistics import NormalDist

import numpy as np

from model.engine.inputs import Inputs, input_key
from model.engine.changes import MODES, Change, OverrideError, apply
from model.periods import PeriodError, parse_month, parse_year

DISTRIBUTIONS: dict[str, tuple[str, ...]] = {
    "uniform": (),
    "triangular": ("peak",),
    "normal": ("mean", "sd"),
    "lognormal": ("median", "sigma"),
}
"""Each distribution and the shape parameters it takes besides ``low`` and ``high``."""

COMMON_KEYS: tuple[str, ...] = ("distribution", "mode", "low", "high", "from_year")
PROVENANCE_KEYS: tuple[str, ...] = ("source", "status", "note", "unit")
STATUSES: tuple[str, ...] = ("sourced", "inference", "assumption")


class UncertaintyError(OverrideError):
    """One or more unusable ``uncertainty`` entries; ``issues`` lists each problem."""

    def __init__(self, issues: list[str]):
        self.issues = list(issues)
        super().__init__("\n".join(self.issues))


@dataclass(frozen=True)
class Distribution:
    """One uncertain parameter: how it is distributed and how a draw changes it.

    ``low``/``high`` bound every draw (for ``go_live`` paths they are month counts, or whole
    months of shift with ``add``). ``peak`` (triangular), ``mean``/``sd`` (normal) and
    ``median``/``sigma`` (lognormal: of the natural log) are in the parameter's own unit, as the
    draw is (for ``scale``, a multiplier). ``from_year`` (a year label) applies the draw only to
    that year and later years of a series.
    """

    path: str
    distribution: str
    mode: str
    low: float
    high: float
    peak: float | None = None
    mean: float | None = None
    sd: float | None = None
    median: float | None = None
    sigma: float | None = None
    from_year: str | None = None
    source: str | None = None
    status: str | None = None
    note: str | None = None

    @property
    def whole_months(self) -> bool:
        """Whether draws are month counts or shifts (go-live paths), rounded to whole months."""
        return self.path.endswith(".go_live")

    def ppf(self, u: np.ndarray) -> np.ndarray:
        """The quantile function: uniform numbers in [0, 1] to values within [low, high].

        Increasing in ``u``; truncation to the bounds is exact. Go-live draws are rounded to
        whole months (half to even).
        """
        u = np.asarray(u, dtype=float)
        lo, hi = self.low, self.high
        if self.distribution == "uniform":
            x = lo + u * (hi - lo)
        elif self.distribution == "triangular":
            x = _triangular_ppf(u, lo, float(self.peak), hi)
        elif self.distribution == "normal":
            x = _truncated_normal_ppf(u, float(self.mean), float(self.sd), lo, hi)
        else:
            log_lo = math.log(lo) if lo > 0 else -math.inf
            log_hi = math.log(hi) if hi > 0 else -math.inf
            x = np.exp(_truncated_normal_ppf(u, math.log(float(self.median)), float(self.sigma), log_lo, log_hi))
        x = np.clip(x, lo, hi)
        return np.round(x) if self.whole_months else x

    def sample(self, draws: int, seed: int) -> np.ndarray:
        """``draws`` values, shape ``(draws,)``, from this parameter's own seeded stream."""
        return self.ppf(uniform_draws(self.path, draws, seed))

    def describe(self) -> str:
        """The distribution in words, e.g. ``triangular(low -0.01, peak 0, high 0.02), add``."""
        shape = [f"{name} {getattr(self, name):g}" for name in DISTRIBUTIONS[self.distribution]]
        body = ", ".join([f"low {self.low:g}", *shape, f"high {self.high:g}"])
        years = f" from {self.from_year}" if self.from_year else ""
        return f"{self.distribution}({body}), {self.mode}{years}"

    def changes(self, values: np.ndarray | float, labels: tuple[str, ...]) -> list[Change]:
        """The parameter changes that apply draws ``values`` (one per sample) to a run."""
        if self.from_year is None:
            return [Change(self.path, self.mode, values)]
        start = labels.index(self.from_year) if self.from_year in labels else len(labels)
        return [Change(f"{self.path}.{label}", self.mode, values) for label in labels[start:]]


def path_key(path: str) -> int:
    """A stable 64-bit number for a parameter path (sha256; never Python's salted ``hash``)."""
    return int.from_bytes(hashlib.sha256(path.encode("utf-8")).digest()[:8], "big")


def uniform_draws(path: str, draws: int, seed: int) -> np.ndarray:
    """``draws`` uniform numbers in [0, 1) from the stream of (``seed``, ``path``)."""
    stream = np.random.SeedSequence(int(seed), spawn_key=(path_key(path),))
    return np.random.Generator(np.random.PCG64(stream)).random(int(draws))


def sample(distributions: list[Distribution], draws: int, seed: int) -> dict[str, np.ndarray]:
    """Every parameter's full vector of draws, keyed by path: shape ``(draws,)`` each."""
    check_seed(seed)
    if int(draws) < 1:
        raise UncertaintyError([f"--draws must be 1 or more; got {draws}"])
    return {d.path: d.sample(draws, seed) for d in distributions}


def check_seed(seed: object) -> int:
    """The seed as an int, or an error unless it is a whole number 0 or more."""
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or int(seed) < 0:
        raise UncertaintyError([f"the seed must be a whole number 0 or more; got {seed!r}"])
    return int(seed)


def changes_for(
    distributions: list[Distribution], values: Mapping[str, np.ndarray], labels: tuple[str, ...]
) -> list[Change]:
    """All changes that apply one set of draws (``values[path]``, one per sample) to a run."""
    return [change for d in distributions for change in d.changes(values[d.path], labels)]


def _triangular_ppf(u: np.ndarray, low: float, peak: float, high: float) -> np.ndarray:
    """Inverse CDF of the triangular distribution on [low, high] with mode ``peak``."""
    width = high - low
    if width == 0:
        return np.full_like(u, low)
    split = (peak - low) / width
    rising = low + np.sqrt(u * width * (peak - low))
    falling = high - np.sqrt((1.0 - u) * width * (high - peak))
    return np.where(u < split, rising, falling)


def _normal_cdf(z: float) -> float:
    """Standard normal CDF, accurate in the lower tail (``erfc`` does not cancel there)."""
    return 0.5 * math.erfc(-z / math.sqrt(2.0))


_INV_CDF = np.frompyfunc(NormalDist().inv_cdf, 1, 1)


def _normal_quantile(p: np.ndarray) -> np.ndarray:
    """Standard normal quantile of each probability in (0, 1) (Wichura's AS241, full precision)."""
    p = np.clip(p, np.nextafter(0.0, 1.0), np.nextafter(1.0, 0.0))
    return _INV_CDF(p).astype(float)


def _truncated_normal_ppf(u: np.ndarray, mean: float, sd: float, low: float, high: float) -> np.ndarray:
    """Inverse CDF of a normal(mean, sd) truncated to [low, high] (bounds may be infinite).

    When the bounds lie above the mean the calculation is mirrored, so that it always works in
    the lower tail, where the normal CDF is accurate.
    """
    if sd == 0 or low == high:
        return np.full_like(u, min(max(mean, low), high) if sd == 0 else low)
    a, b = (low - mean) / sd, (high - mean) / sd
    if a > 0:
        lo_cdf, hi_cdf = _normal_cdf(-b), _normal_cdf(-a)
        return mean - sd * _normal_quantile(lo_cdf + (1.0 - u) * (hi_cdf - lo_cdf))
    lo_cdf, hi_cdf = _normal_cdf(a), _normal_cdf(b)
    return mean + sd * _normal_quantile(lo_cdf + u * (hi_cdf - lo_cdf))


# ---------------------------------------------------------------------------------------------
# Reading the block
# ---------------------------------------------------------------------------------------------


def _bare(value: object) -> object:
    """A value without provenance (a scenario may hand over its own value-with-provenance objects)."""
    if hasattr(value, "value") and not isinstance(value, Mapping):
        return value.value
    if isinstance(value, Mapping) and set(value) >= {"value"} and set(value) <= {"value", *PROVENANCE_KEYS}:
        return value["value"]
    return value


def _number(path: str, key: str, value: object, issues: list[str], months: bool = False) -> float | None:
    """``value`` as a finite float, or None with an issue naming the key."""
    value = _bare(value)
    if months and isinstance(value, str):
        try:
            return float(parse_month(value))
        except PeriodError as error:
            issues.append(f"uncertainty.{path}.{key} | {error}")
            return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(float(value)):
        issues.append(f"uncertainty.{path}.{key} | must be a number; got {value!r}")
        return None
    return float(value)


def entry_issues(path: str, entry: object) -> list[str]:
    """Problems with one ``uncertainty`` entry on its own (not yet checked against a scenario).

    Each issue reads ``uncertainty.PATH[.KEY] | what is wrong and how to fix it``.
    """
    issues: list[str] = []
    parse_entry(path, entry, issues)
    return issues


def parse_entry(path: str, entry: object, issues: list[str]) -> Distribution | None:
    """One ``uncertainty`` entry as a :class:`Distribution`, or None after adding its issues."""
    where = f"uncertainty.{path}"
    if not isinstance(entry, Mapping):
        issues.append(f"{where} | must be a mapping with distribution, mode, low and high; got {entry!r}")
        return None
    start = len(issues)
    kind = _bare(entry.get("distribution"))
    if kind is None:
        issues.append(f"{where} | distribution is missing; give one of {', '.join(DISTRIBUTIONS)}")
    elif kind not in DISTRIBUTIONS:
        close = difflib.get_close_matches(str(kind), DISTRIBUTIONS, n=1)
        hint = f"did you mean '{close[0]}'?" if close else f"use one of {', '.join(DISTRIBUTIONS)}"
        issues.append(f"{where}.distribution | '{kind}' is not a distribution; {hint}")
    mode = _bare(entry.get("mode"))
    if mode is None:
        issues.append(f"{where} | mode is missing; say how a draw changes the parameter: set, add or scale")
    elif mode not in MODES:
        issues.append(f"{where}.mode | '{mode}' is not one of {', '.join(MODES)}")
    shape_keys = DISTRIBUTIONS.get(kind, ())
    allowed = set(COMMON_KEYS) | set(PROVENANCE_KEYS) | set(shape_keys)
    every_shape = {k for keys in DISTRIBUTIONS.values() for k in keys}
    for key in entry:
        if key in allowed:
            continue
        if key in every_shape:
            if kind in DISTRIBUTIONS:
                issues.append(f"{where}.{key} | {kind} takes no {key}; it takes " + ", ".join(["low", *shape_keys, "high"]))
            continue
        close = difflib.get_close_matches(str(key), sorted(allowed | every_shape), n=1)
        hint = f"did you mean '{close[0]}'?" if close else "remove it"
        issues.append(f"{where}.{key} | unknown key; {hint}")
    months = path.endswith(".go_live") and mode == "set"
    numbers: dict[str, float | None] = {}
    for key in ("low", "high", *shape_keys):
        if key not in entry:
            issues.append(f"{where} | {key} is missing; {kind or 'every'} distribution needs "
                          + ", ".join(["low", *shape_keys, "high"]))
            numbers[key] = None
        else:
            numbers[key] = _number(path, key, entry[key], issues, months=months and key in ("low", "high", "peak"))
    low, high = numbers.get("low"), numbers.get("high")
    if low is not None and high is not None and low > high:
        issues.append(f"{where} | low ({low:g}) is above high ({high:g}); write the smaller bound as low")
    if low is not None and high is not None and low <= high:
        _check_shape(where, kind, numbers, low, high, issues)
    from_year = _bare(entry.get("from_year"))
    if from_year is not None:
        try:
            parse_year(str(from_year))
        except PeriodError as error:
            issues.append(f"{where}.from_year | {error}")
    status = _bare(entry.get("status"))
    if status is not None and status not in STATUSES:
        issues.append(f"{where}.status | '{status}' is not one of {', '.join(STATUSES)}")
    if status == "sourced" and not _bare(entry.get("source")):
        issues.append(f"{where} | status is sourced but no source is given; add source or change status")
    if len(issues) > start:
        return None
    text = {k: (None if _bare(entry.get(k)) is None else str(_bare(entry.get(k)))) for k in ("source", "status", "note")}
    return Distribution(
        path=path,
        distribution=str(kind),
        mode=str(mode),
        low=float(low),
        high=float(high),
        from_year=None if from_year is None else str(from_year),
        **{k: numbers[k] for k in shape_keys},
        **text,
    )


def _check_shape(where: str, kind: object, numbers: dict, low: float, high: float, issues: list[str]) -> None:
    """Shape parameters that make sense with the bounds."""
    def inside(key: str) -> None:
        value = numbers.get(key)
        if value is not None and not low <= value <= high:
            issues.append(f"{where}.{key} | {value:g} lies outside low {low:g} to high {high:g}; keep it within the bounds")

    if kind == "triangular":
        inside("peak")
    elif kind == "normal":
        inside("mean")
        if numbers.get("sd") is not None and numbers["sd"] < 0:
            issues.append(f"{where}.sd | must be 0 or more; got {numbers['sd']:g}")
    elif kind == "lognormal":
        if low < 0:
            issues.append(f"{where}.low | a lognormal's values are positive: low must be 0 or more; got {low:g}")
        median = numbers.get("median")
        if median is not None and median <= 0:
            issues.append(f"{where}.median | must be more than 0; got {median:g}")
        else:
            inside("median")
        if numbers.get("sigma") is not None and numbers["sigma"] < 0:
            issues.append(f"{where}.sigma | must be 0 or more; got {numbers['sigma']:g}")


def parse_block(block: Mapping | None, inputs: Inputs | None = None) -> list[Distribution]:
    """Every entry of an ``uncertainty`` block, in the order written.

    With ``inputs``, each path is also checked against the run: it must name a parameter (with a
    did-you-mean), not a word or flag; ``from_year`` must be a year of the horizon on a series;
    and the parameter must stay within its allowed range at both bounds. All problems are
    collected and raised together as an :class:`UncertaintyError`.
    """
    issues: list[str] = []
    distributions = []
    for path, entry in (_bare(block) or {}).items():
        dist = parse_entry(str(path), entry, issues)
        if dist is not None and inputs is not None:
            issues.extend(run_issues(dist, inputs))
        if dist is not None:
            distributions.append(dist)
    if issues:
        raise UncertaintyError(issues)
    return distributions


def run_issues(dist: Distribution, inputs: Inputs) -> list[str]:
    """Problems with a distribution that only show against a run's parameters."""
    where = f"uncertainty.{dist.path}"
    key = input_key(dist.path)
    if key is not None and key.shape in ("word", "flag"):
        return [f"{where} | is a choice, not a number that can be drawn; compare the choices as scenarios"]
    if dist.path.endswith(".go_live") and dist.mode == "scale":
        return [f"{where}.mode | a go-live month can be set or shifted (add, in months), not scaled"]
    if dist.from_year is not None:
        series = dist.path in inputs.values and inputs.values[dist.path].ndim == 2 and not dist.whole_months
        if not series:
            return [f"{where}.from_year | only a whole series (such as inflation.pay_award) takes from_year"]
        if dist.from_year not in inputs.labels:
            return [f"{where}.from_year | {dist.from_year} is not a year of this run; choose one of "
                    f"{inputs.labels[0]} to {inputs.labels[-1]}"]
    try:
        for bound in (dist.low, dist.high):
            problem = range_problem(inputs, dist.changes(bound, inputs.labels))
            if problem:
                return [f"{where} | at {'low' if bound == dist.low else 'high'} ({bound:g}), {problem}"]
    except OverrideError as error:
        return [f"{where} | {error}"]
    return []


def range_problem(inputs: Inputs, changes: list[Change]) -> str | None:
    """Apply ``changes`` and say which parameter then leaves its allowed range, or None.

    Ranges come from the schema (:mod:`model.schema`). Raises OverrideError for a bad path.
    """
    from model.schema import spec_for

    changed = apply(inputs, changes)
    for change in changes:
        key = change.path if change.path in inputs.values else change.path.rpartition(".")[0]
        spec = spec_for(key)
        if spec is None or spec.kind not in ("number", "series"):
            continue
        values = changed.values[key]
        if key == "running_cost_cut.envelope.per_head_gbp" and np.isnan(inputs.values["running_cost_cut.envelope.effective"]).all():
            continue
        bad = [float(v) for v in np.ravel(values) if not spec.in_range(float(v))]
        if bad:
            within = getattr(spec, "in_bounds", spec.in_range)(bad[0])
            allowed = spec.limits_text() if within and hasattr(spec, "limits_text") else spec.range_text()
            return f"{key} would be {bad[0]:g}, outside its range ({allowed})"
    return None


def from_scenario(scenario: object, inputs: Inputs) -> list[Distribution]:
    """The distributions of a resolved scenario's ``uncertainty`` block, checked against its run."""
    try:
        block = scenario.value("uncertainty")  # type: ignore[attr-defined]
    except (KeyError, AttributeError):
        block = None
    return parse_block(block or {}, inputs)
