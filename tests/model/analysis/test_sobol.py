"""Sobol indices (model/analysis/sobol.py) against analytic answers (SALib's Ishigami function)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from model.analysis import sobol
from model.analysis.distributions import Distribution, UncertaintyError
from model.analysis.sobol import sobol_indices
from tests.builders import BLOCK


def ishigami(values: dict[str, np.ndarray], a: float = 7.0, b: float = 0.1) -> np.ndarray:
    x1, x2, x3 = values["x1"], values["x2"], values["x3"]
    return np.sin(x1) + a * np.sin(x2) ** 2 + b * x3**4 * np.sin(x1)


def test_sobol_indices_of_the_ishigami_function_match_the_analytic_values():
    """As SALib's own tests: S1 = (0.3139, 0.4424, 0), ST = (0.5576, 0.4424, 0.2437)."""
    dists = [Distribution(name, "uniform", "set", -math.pi, math.pi) for name in ("x1", "x2", "x3")]
    table = sobol_indices(dists, ishigami, base=2**11, seed=11)
    np.testing.assert_allclose(table.S1, [0.3139, 0.4424, 0.0], atol=0.02)
    np.testing.assert_allclose(table.ST, [0.5576, 0.4424, 0.2437], atol=0.02)
    assert list(table.columns) == ["parameter", "role", "S1", "S1_conf", "ST", "ST_conf"]


def test_sobol_indices_of_a_weighted_sum_are_the_variance_shares():
    """Y = 1 x U1 + 2 x U2 with independent uniforms: shares 1/5 and 4/5, no interactions."""
    dists = [Distribution(name, "uniform", "set", 0, 1) for name in ("u1", "u2")]
    table = sobol_indices(dists, lambda v: v["u1"] + 2 * v["u2"], base=2**11, seed=4)
    np.testing.assert_allclose(table.S1, [0.2, 0.8], atol=0.02)
    np.testing.assert_allclose(table.ST, [0.2, 0.8], atol=0.02)


def test_engine_sobol_and_bad_sobol_requests(inputs, dists):
    table = sobol.engine_sobol(inputs, dists, "funding_gap_gbp", "2025/26", None, base=256, seed=1)
    assert set(table.parameter) == set(BLOCK)
    turnover = table.set_index("parameter").loc["workforce.turnover_rate"]
    assert abs(turnover.ST) < 1e-9  # turnover moves redundancies, not the funding gap
    with pytest.raises(UncertaintyError, match="power of two"):
        sobol.engine_sobol(inputs, dists, "funding_gap_gbp", "2025/26", None, base=1000, seed=1)


def test_the_default_base_costs_about_as_many_runs_as_the_monte_carlo():
    """Saltelli's design takes base x (D + 2) runs: 10,000 draws over 5 parameters gives
    10,000 / 7 = 1,429, rounded up to the power of two 2,048; never fewer than 64."""
    assert sobol.default_sobol_base(10_000, 5) == 2_048
    assert sobol.default_sobol_base(100, 5) == 64
    assert sobol.default_sobol_base(1, 1) == 64


def test_no_distributions_or_a_constant_metric():
    with pytest.raises(UncertaintyError, match="need an uncertainty block with at least one distribution"):
        sobol_indices([], lambda v: np.zeros(1), base=64, seed=1)
    dists = [Distribution("u1", "uniform", "set", 0, 1)]
    table = sobol_indices(dists, lambda v: np.full(len(v["u1"]), 5.0), base=64, seed=1)
    assert table.loc[0, ["S1", "S1_conf", "ST", "ST_conf"]].tolist() == [0.0, 0.0, 0.0, 0.0]
    with pytest.raises(UncertaintyError, match="not finite for some draws"):
        sobol_indices(dists, lambda v: np.where(v["u1"] > 0.5, np.nan, 1.0), base=64, seed=1)


def test_the_size_of_a_sobol_design_is_checked_against_memory(monkeypatch):
    from model.analysis import runs, sobol
    from model.engine.changes import OverrideError
    from tests.builders import worked_example

    monkeypatch.setattr(runs.os, "sysconf", lambda name: 2**20 if name == "SC_PHYS_PAGES" else 4096)  # 4 GiB
    inputs = worked_example()
    sobol.check_sobol_size(inputs, 3, 1024)
    with pytest.raises(OverrideError, match=r"a Sobol design of base 1,073,741,824 \(5,368,709,120 model runs\) "
                                            r"would take [\d,.]+ GiB, more than half of this machine's 4.0 GiB"):
        sobol.check_sobol_size(inputs, 3, 2**30)
