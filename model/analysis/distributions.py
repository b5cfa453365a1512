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

import hashlib
import math
from collections.abc import Mapping
from dataclasses import dataclass
from statistics import NormalDist
from typing import TYPE_CHECKING

import numpy as np

from model.arrays import FloatArray
from model.engine.changes import Change, OverrideError, apply_checked
from model.engine.inputs import Inputs
from model.errors import InputError
from model.periods import parse_month
from model.schema import DISTRIBUTIONS

if TYPE_CHECKING:
    from model.scenario import Scenario


class UncertaintyError(InputError):
    """A request the uncertainty machinery cannot serve (no distributions, a bad seed)."""


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

    def ppf(self, u: FloatArray) -> FloatArray:
        """The quantile function: uniform numbers in [0, 1] to values within [low, high].

        Increasing in ``u``; truncation to the bounds is exact. Go-live draws are rounded to
        whole months (half to even).
        """
        u = np.asarray(u, dtype=float)
        lo, hi = self.low, self.high
        if self.distribution == "uniform":
            x = lo + u * (hi - lo)
        elif self.distribution == "triangular":
            assert self.peak is not None  # each distribution has the shape values it takes
            x = _triangular_ppf(u, lo, float(self.peak), hi)
        elif self.distribution == "normal":
            assert self.mean is not None and self.sd is not None
            x = _truncated_normal_ppf(u, float(self.mean), float(self.sd), lo, hi)
        else:
            assert self.median is not None and self.sigma is not None
            log_lo = math.log(lo) if lo > 0 else -math.inf
            log_hi = math.log(hi) if hi > 0 else -math.inf
            x = np.exp(_truncated_normal_ppf(u, math.log(float(self.median)), float(self.sigma), log_lo, log_hi))
        x = np.clip(x, lo, hi)
        return np.round(x) if self.whole_months else x

    def sample(self, draws: int, seed: int) -> FloatArray:
        """``draws`` values, shape ``(draws,)``, from this parameter's own seeded stream."""
        return self.ppf(uniform_draws(self.path, draws, seed))

    def describe(self) -> str:
        """The distribution in words, e.g. ``triangular(low -0.01, peak 0, high 0.02), add``."""
        shape = [f"{name} {getattr(self, name):g}" for name in DISTRIBUTIONS[self.distribution]]
        body = ", ".join([f"low {self.low:g}", *shape, f"high {self.high:g}"])
        years = f" from {self.from_year}" if self.from_year else ""
        return f"{self.distribution}({body}), {self.mode}{years}"

    def changes(self, values: FloatArray | float, labels: tuple[str, ...]) -> list[Change]:
        """The parameter changes that apply draws ``values`` (one per sample) to a run."""
        if self.from_year is None:
            return [Change(self.path, self.mode, values)]
        start = labels.index(self.from_year) if self.from_year in labels else len(labels)
        return [Change(f"{self.path}.{label}", self.mode, values) for label in labels[start:]]


def path_key(path: str) -> int:
    """A stable 64-bit number for a parameter path (sha256; never Python's salted ``hash``)."""
    return int.from_bytes(hashlib.sha256(path.encode("utf-8")).digest()[:8], "big")


def uniform_draws(path: str, draws: int, seed: int) -> FloatArray:
    """``draws`` uniform numbers in [0, 1) from the stream of (``seed``, ``path``)."""
    stream = np.random.SeedSequence(int(seed), spawn_key=(path_key(path),))
    return np.random.Generator(np.random.PCG64(stream)).random(int(draws))


def sample(distributions: list[Distribution], draws: int, seed: int) -> dict[str, FloatArray]:
    """Every parameter's full vector of draws, keyed by path: shape ``(draws,)`` each."""
    check_seed(seed)
    if int(draws) < 1:
        raise UncertaintyError(f"the number of draws must be 1 or more; got {draws}")
    return {d.path: d.sample(draws, seed) for d in distributions}


def check_seed(seed: object) -> int:
    """The seed as an int, or an error unless it is a whole number 0 or more."""
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or int(seed) < 0:
        raise UncertaintyError(f"the seed must be a whole number 0 or more; got {seed!r}")
    return int(seed)


def changes_for(
    distributions: list[Distribution], values: Mapping[str, FloatArray], labels: tuple[str, ...]
) -> list[Change]:
    """All changes that apply one set of draws (``values[path]``, one per sample) to a run."""
    return [change for d in distributions for change in d.changes(values[d.path], labels)]


def _triangular_ppf(u: FloatArray, low: float, peak: float, high: float) -> FloatArray:
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


def _normal_quantile(p: FloatArray) -> FloatArray:
    """Standard normal quantile of each probability in (0, 1) (Wichura's AS241, full precision)."""
    p = np.clip(p, np.nextafter(0.0, 1.0), np.nextafter(1.0, 0.0))
    return np.asarray(_INV_CDF(p), dtype=np.float64)


def _truncated_normal_ppf(u: FloatArray, mean: float, sd: float, low: float, high: float) -> FloatArray:
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
# A checked scenario's block
# ---------------------------------------------------------------------------------------------


def from_entry(path: str, entry: Mapping[str, object]) -> Distribution:
    """The Distribution of one ``uncertainty`` entry of bare values (``distribution``, ``mode``,
    ``low``, ``high``, shape keys, ``from_year``, provenance). The entry must already be checked
    (:mod:`model.scenario.uncertainty` holds the rules): nothing is checked here. A go-live's
    bounds given as months ``YYYY-MM`` become month counts."""
    kind = str(entry["distribution"])
    mode = str(entry["mode"])
    months = path.endswith(".go_live") and mode == "set"

    def number(key: str) -> float:
        value = entry[key]
        if months and isinstance(value, str):
            return float(parse_month(value))
        if isinstance(value, (int, float)):
            return float(value)
        raise TypeError(f"uncertainty.{path}: {key} is {value!r}, not a number")

    def text(key: str) -> str | None:
        value = entry.get(key)
        return None if value is None else str(value)

    return Distribution(
        path=path, distribution=kind, mode=mode, low=number("low"), high=number("high"),
        **{key: number(key) for key in DISTRIBUTIONS[kind]},
        from_year=text("from_year"), source=text("source"), status=text("status"), note=text("note"),
    )


def from_scenario(scenario: Scenario) -> list[Distribution]:
    """The distributions of a resolved (so already checked) scenario's ``uncertainty`` block, in
    the order written, with each entry's source, status and note."""
    from model.scenario.resolved import param, section

    out = []
    for path, node in section(scenario.get("uncertainty")).items():
        entry = {key: param(value) for key, value in section(node).items()}
        prov = next(iter(entry.values())).prov
        bare = {key: value.value for key, value in entry.items()}
        out.append(from_entry(path, {**bare, "source": prov.source, "status": prov.status, "note": prov.note}))
    return out


def check_bounds(distributions: list[Distribution], inputs: Inputs) -> None:
    """Raise UncertaintyError unless every parameter stays in its allowed range when a draw at
    its ``low`` and at its ``high`` bound is applied to ``inputs`` (the range check every change
    gets, :func:`model.engine.changes.apply_checked`), naming each entry that does not."""
    problems = []
    for d in distributions:
        for name in ("low", "high"):
            bound = getattr(d, name)
            try:
                apply_checked(inputs, d.changes(bound, inputs.labels))
            except OverrideError as error:
                problems.append(f"uncertainty.{d.path}: at {name} ({bound:g}), {error}")
                break
    if problems:
        raise UncertaintyError("\n".join(problems))
