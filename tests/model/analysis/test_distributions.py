"""Distributions, their quantile functions and identity-seeded draws (model/analysis/distributions.py),
and reading a checked scenario's uncertainty block."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from model.analysis.distributions import (
    Distribution,
    UncertaintyError,
    changes_for,
    check_bounds,
    from_entry,
    from_scenario,
    path_key,
    sample,
    uniform_draws,
)
from model.engine.changes import apply
from model.periods import parse_month
from model.scenario import load_scenario, overlay
from tests.builders import worked_example
from tests.fixtures import PROJECT


def tri(path: str = "inflation.pay_award", **extra: object) -> dict:
    return {"distribution": "triangular", "mode": "add", "low": -0.01, "peak": 0.0, "high": 0.02, **extra}


# --- quantile functions against analytic answers ---------------------------------------------


def test_uniform_and_triangular_quantiles_are_exact():
    u = np.array([0.0, 0.25, 0.5, 1.0])
    uniform = Distribution("x", "uniform", "set", 2.0, 6.0)
    np.testing.assert_allclose(uniform.ppf(u), [2.0, 3.0, 4.0, 6.0])
    # triangular(0, 1, 4): F(x) = x^2/4 on [0, 1] (F(1) = 1/4), so ppf(1/16) = 0.5; median on the
    # falling side: 1 - (4 - x)^2 / 12 = 1/2 -> x = 4 - sqrt(6).
    triangle = Distribution("x", "triangular", "set", 0.0, 4.0, peak=1.0)
    np.testing.assert_allclose(triangle.ppf(np.array([0.0, 1 / 16, 0.25, 0.5, 1.0])),
                               [0.0, 0.5, 1.0, 4 - math.sqrt(6), 4.0], rtol=1e-12)


def _truncated_normal_mean(mu: float, sd: float, a: float, b: float) -> float:
    alpha, beta = (a - mu) / sd, (b - mu) / sd
    phi = lambda z: math.exp(-z * z / 2) / math.sqrt(2 * math.pi)  # noqa: E731
    cdf = lambda z: 0.5 * math.erfc(-z / math.sqrt(2))  # noqa: E731
    return mu + sd * (phi(alpha) - phi(beta)) / (cdf(beta) - cdf(alpha))


@pytest.mark.parametrize(("low", "high"), [(-1.0, 2.0), (0.5, 3.0), (-3.0, -0.2), (4.0, 6.0)])
def test_truncated_normal_matches_its_analytic_mean_and_stays_in_bounds(low, high):
    """Including bounds wholly in one tail (4 to 6 sd above the mean), where the CDF is tiny."""
    dist = Distribution("x", "normal", "set", low, high, mean=0.0 if low < 0 < high else low, sd=1.0)
    mean = dist.mean
    u = (np.arange(200_000) + 0.5) / 200_000  # midpoint rule: the mean of ppf(U)
    draws = dist.ppf(u)
    assert draws.min() >= low and draws.max() <= high
    assert np.all(np.diff(draws) >= 0)
    assert draws.mean() == pytest.approx(_truncated_normal_mean(mean, 1.0, low, high), abs=2e-4)


def test_truncated_normal_agrees_with_scipy():
    from scipy.stats import truncnorm

    dist = Distribution("x", "normal", "set", -0.01, 0.05, mean=0.01, sd=0.02)
    u = np.linspace(0.001, 0.999, 101)
    expected = truncnorm.ppf(u, (-0.01 - 0.01) / 0.02, (0.05 - 0.01) / 0.02, loc=0.01, scale=0.02)
    np.testing.assert_allclose(dist.ppf(u), expected, rtol=1e-10, atol=1e-14)


def test_lognormal_median_and_bounds():
    dist = Distribution("x", "lognormal", "scale", 0.0, math.inf, median=1.5, sigma=0.4)
    assert float(dist.ppf(np.array([0.5]))[0]) == pytest.approx(1.5, rel=1e-12)
    bounded = Distribution("x", "lognormal", "scale", 1.0, 2.0, median=1.5, sigma=0.4)
    draws = bounded.sample(20_000, seed=3)
    assert draws.min() >= 1.0 and draws.max() <= 2.0


def test_degenerate_distributions_give_one_value():
    for dist in (
        Distribution("x", "uniform", "set", 0.3, 0.3),
        Distribution("x", "triangular", "set", 0.3, 0.3, peak=0.3),
        Distribution("x", "normal", "set", 0.0, 1.0, mean=0.3, sd=0.0),
        Distribution("x", "lognormal", "set", 0.0, 1.0, median=0.3, sigma=0.0),
    ):
        np.testing.assert_allclose(dist.sample(100, seed=1), 0.3, rtol=1e-15)


@settings(max_examples=60, deadline=None)
@given(
    low=st.floats(-10, 10),
    width=st.floats(0, 10),
    where=st.floats(0, 1),
    kind=st.sampled_from(["uniform", "triangular", "normal", "lognormal"]),
    u=st.lists(st.floats(0, 1), min_size=2, max_size=20),
)
def test_every_quantile_function_is_monotone_and_within_bounds(low, width, where, kind, u):
    if kind == "lognormal":
        low = abs(low)
    high = low + width
    centre = low + where * width
    shape = {"triangular": {"peak": centre}, "normal": {"mean": centre, "sd": 0.5 + where},
             "lognormal": {"median": max(centre, 1e-6) if low == 0 else centre, "sigma": 0.3}}.get(kind, {})
    dist = Distribution("x", kind, "set", low, high, **shape)
    values = dist.ppf(np.sort(np.array(u)))
    assert np.all(values >= low) and np.all(values <= high)
    assert np.all(np.diff(values) >= -1e-12 * max(1.0, abs(high)))


# --- seeds by identity -----------------------------------------------------------------------


def test_path_key_and_draws_are_pinned():
    """sha256 of the path, never Python's salted hash(): a change here changes every draw."""
    assert path_key("inflation.pay_award") == 0x62303F9EE9EFACA4
    np.testing.assert_allclose(uniform_draws("inflation.pay_award", 3, 1), [0.16205779, 0.14890735, 0.94970715],
                               rtol=1e-7)


def test_draws_depend_on_seed_and_path_only():
    a = Distribution("inflation.pay_award", "uniform", "add", -0.01, 0.02)
    b = Distribution("workforce.turnover_rate", "uniform", "set", 0.05, 0.15)
    alone = sample([a], 1000, seed=7)
    together = sample([b, a], 1000, seed=7)
    np.testing.assert_array_equal(alone[a.path], together[a.path])
    assert not np.array_equal(sample([a], 1000, seed=8)[a.path], alone[a.path])
    assert not np.array_equal(uniform_draws(a.path, 1000, 7), uniform_draws(b.path, 1000, 7))
    # more draws extend the same stream: the first 1000 are unchanged
    np.testing.assert_array_equal(sample([a], 5000, seed=7)[a.path][:1000], alone[a.path])


def test_bad_seeds_and_draw_counts():
    dist = Distribution("x", "uniform", "set", 0, 1)
    with pytest.raises(UncertaintyError, match="seed must be a whole number"):
        sample([dist], 10, seed=-1)
    with pytest.raises(UncertaintyError, match="draws must be 1 or more"):
        sample([dist], 0, seed=1)


# --- a scenario's block, and draws applied to a run -------------------------------------------


@pytest.fixture(scope="module")
def base():
    return load_scenario("base", PROJECT)


def block_of(base, block: dict) -> list[Distribution]:
    """The distributions of ``block`` laid over the fixture project's base (checked as a file is)."""
    return from_scenario(overlay(base, {"uncertainty": block}, "test", "test.yaml"))


def test_block_reads_in_order_with_provenance(base):
    block = {
        "inflation.pay_award": tri(source="AfC awards", status="sourced", note="n"),
        "workforce.turnover_rate": {"distribution": "uniform", "mode": "set", "low": 0.05, "high": 0.15},
    }
    dists = block_of(base, block)
    paths = [d.path for d in dists]
    assert set(block) <= set(paths) and paths.index("inflation.pay_award") < paths.index("workforce.turnover_rate")
    mine = {d.path: d for d in dists}
    assert mine["inflation.pay_award"].peak == 0.0 and mine["inflation.pay_award"].source == "AfC awards"
    assert mine["inflation.pay_award"].status == "sourced"
    assert mine["inflation.pay_award"].describe() == "triangular(low -0.01, peak 0, high 0.02), add"


def test_from_year_shifts_only_later_years():
    inputs = worked_example()
    dist = from_entry("inflation.pay_award", tri(from_year="2024/25"))
    changed = apply(inputs, changes_for([dist], {dist.path: np.array([0.01, 0.02])}, inputs.labels))
    np.testing.assert_allclose(changed.values["inflation.pay_award"], [[0, 0.05, 0.06, 0.06], [0, 0.05, 0.07, 0.07]])


def test_go_live_draws_are_whole_months_and_set_takes_months():
    shift = from_entry("delegation.dentistry.go_live", {"distribution": "uniform", "mode": "add", "low": -3, "high": 6})
    when = from_entry("delegation.pharmacy.go_live", {"distribution": "triangular", "mode": "set", "low": "2023-04",
                                                      "peak": "2023-07", "high": "2024-04"})
    draws = shift.sample(500, seed=1)
    assert np.all(draws == np.round(draws)) and draws.min() >= -3 and draws.max() <= 6
    months = when.sample(500, seed=1)
    assert months.min() >= parse_month("2023-04") and months.max() <= parse_month("2024-04")
    assert np.all(months == np.round(months))


def test_bounds_are_checked_against_the_values_a_draw_moves():
    inputs = worked_example()
    with pytest.raises(UncertaintyError, match=r"uncertainty.inflation.pay_award: at low \(-0.6\), inflation.pay_award "
                                               r"would be -0.6, outside its range \(-0.5 to 1\)"):
        check_bounds([from_entry("inflation.pay_award", tri(low=-0.6))], inputs)
    with pytest.raises(UncertaintyError, match="must stay within 1,200 months either way; got -2000"):
        check_bounds([from_entry("delegation.dentistry.go_live",
                                 {"distribution": "uniform", "mode": "add", "low": -2000, "high": 0})], inputs)
    with pytest.raises(UncertaintyError, match="would go live in 1850-01"):
        check_bounds([from_entry("delegation.dentistry.go_live",
                                 {"distribution": "uniform", "mode": "set", "low": "1850-01", "high": "2030-01"})],
                     inputs)
    check_bounds([from_entry("inflation.pay_award", tri())], inputs)
