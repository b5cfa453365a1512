"""Monte Carlo and Sobol (model/analysis/montecarlo.py, runs.py, sobol.py): reproducibility, chunking, analytic
answers."""

from __future__ import annotations

import io
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from model import engine
from model.analysis import montecarlo, runs, sobol
from model.analysis.distributions import Distribution, UncertaintyError, from_entry
from model.analysis.montecarlo import percentiles_sorted, simulate
from model.analysis.sobol import sobol_indices
from model.cli import main
from model.engine.changes import OverrideError
from model.output.results import tabulate
from tests.builders import worked_example

ROOT = Path(__file__).resolve().parents[1]


def dists_of(block: dict, inputs: object = None) -> list[Distribution]:
    """Distributions of an uncertainty block written in code (not checked: scenarios check theirs)."""
    return [from_entry(path, entry) for path, entry in block.items()]

BLOCK = {
    "inflation.pay_award": {"distribution": "triangular", "mode": "add", "low": -0.01, "peak": 0, "high": 0.02,
                            "from_year": "2024/25"},
    "inflation.nonpay_inflation": {"distribution": "normal", "mode": "add", "low": -0.01, "mean": 0, "sd": 0.01,
                                   "high": 0.03},
    "workforce.turnover_rate": {"distribution": "uniform", "mode": "set", "low": 0.05, "high": 0.16},
    "delegation.dentistry.required_wte_per_100k": {"distribution": "lognormal", "mode": "scale", "low": 0.5,
                                                   "median": 1, "sigma": 0.3, "high": 2},
    "delegation.dentistry.go_live": {"distribution": "uniform", "mode": "add", "low": -3, "high": 6},
}


@pytest.fixture(scope="module")
def inputs():
    return worked_example((1_000_000.0, 2_500_000.0, 400_000.0))


@pytest.fixture(scope="module")
def dists(inputs):
    return dists_of(BLOCK, inputs)


@pytest.fixture(scope="module")
def run(inputs, dists):
    return simulate(inputs, dists, 2000, seed=1, chunk_size=256, workers=1)


def table_cells(inputs, metrics) -> np.ndarray:
    """A deterministic run's metrics as results.csv has them: ``(M, 1 + I, T)``, England first."""
    table = tabulate("t", inputs, engine.run(inputs))
    shape = (1 + len(inputs.codes), len(inputs.labels))
    return np.stack([table[m].to_numpy().reshape(shape) for m in metrics])


def csv_text(run_: montecarlo.MonteCarloRun) -> str:
    buffer = io.StringIO()
    montecarlo.rounded(run_.summary).to_csv(buffer, index=False, lineterminator="\n")
    return buffer.getvalue()


def test_same_seed_same_numbers_other_seed_other_numbers(inputs, dists, run):
    again = simulate(inputs, dists, 2000, seed=1, chunk_size=256, workers=1)
    np.testing.assert_array_equal(again.cells, run.cells)
    assert csv_text(again) == csv_text(run)
    other = simulate(inputs, dists, 2000, seed=2, chunk_size=256, workers=1)
    assert not np.array_equal(other.cells, run.cells)


@pytest.mark.parametrize(("chunk_size", "workers"), [(7, 2), (333, 2), (2000, 1), (5000, 2)])
def test_chunk_size_and_threads_do_not_change_a_bit(inputs, dists, run, chunk_size, workers):
    other = simulate(inputs, dists, 2000, seed=1, chunk_size=chunk_size, workers=workers)
    np.testing.assert_array_equal(other.cells, run.cells)
    assert csv_text(other) == csv_text(run)


def test_one_draw_per_chunk_gives_the_same_bits(inputs, dists):
    """Samples of one (where numpy may take other code paths) against one chunk of all draws."""
    one_by_one = simulate(inputs, dists, 150, seed=4, chunk_size=1, workers=1)
    together = simulate(inputs, dists, 150, seed=4, chunk_size=150, workers=1)
    np.testing.assert_array_equal(one_by_one.cells, together.cells)


def test_percentiles_are_ordered_and_the_table_is_complete(inputs, run):
    table = run.summary
    assert list(table.columns) == list(montecarlo.SUMMARY_COLUMNS)
    assert len(table) == (1 + len(inputs.codes)) * len(inputs.labels) * len(montecarlo.DEFAULT_METRICS)
    assert (table.p5 <= table.p50).all() and (table.p50 <= table.p95).all()
    assert table.prob_negative.between(0, 1).all() and (table.draws == 2000).all()
    assert table.icb_code.iloc[0] == "ENG" and table.icb_name.iloc[0] == "England"


def test_a_run_too_big_for_memory_is_refused_before_drawing(inputs, dists):
    with pytest.raises(OverrideError, match="more than half of this machine's"):
        simulate(inputs, dists, 10**12, seed=1)


def test_percentiles_equal_numpys():
    data = np.random.default_rng(0).normal(size=(4, 3, 1001))
    np.testing.assert_array_equal(
        percentiles_sorted(np.sort(data, axis=-1)),
        np.moveaxis(np.percentile(data, montecarlo.PERCENTILES, axis=-1), 0, -1),
    )


def test_each_draw_equals_a_separate_engine_run(inputs, dists, run):
    """Draw 17 of the Monte Carlo is the engine run with draw 17's parameter values."""
    from model.analysis.distributions import changes_for
    from model.engine.changes import apply

    values = {path: v[17:18] for path, v in run.draws.items()}
    changed = apply(inputs, changes_for(dists, values, inputs.labels))
    np.testing.assert_array_equal(run.cells[..., 17], table_cells(changed, run.metrics))


def test_degenerate_distributions_reproduce_the_deterministic_run(inputs):
    degenerate = dists_of(
        {
            "inflation.pay_award": {"distribution": "uniform", "mode": "add", "low": 0, "high": 0},
            "workforce.turnover_rate": {"distribution": "normal", "mode": "set", "low": 0, "high": 1, "mean": 0.1,
                                        "sd": 0},
            "delegation.dentistry.required_wte_per_100k": {"distribution": "triangular", "mode": "scale", "low": 1,
                                                           "peak": 1, "high": 1},
        },
        inputs,
    )
    result = simulate(inputs, degenerate, 300, seed=5, chunk_size=64, workers=1)
    expected = table_cells(inputs, result.metrics)
    for name in ("p5", "p50", "p95"):
        stat = result.summary[name].to_numpy().reshape(len(inputs.codes) + 1, len(inputs.labels), -1)
        np.testing.assert_array_equal(np.moveaxis(stat, -1, 0), expected)
    mean = result.summary["mean"].to_numpy().reshape(len(inputs.codes) + 1, len(inputs.labels), -1)
    np.testing.assert_allclose(np.moveaxis(mean, -1, 0), expected, rtol=1e-12, atol=1e-9)
    gap = result.summary[result.summary.metric == "funding_gap_gbp"]
    deterministic = expected[result.metrics.index("funding_gap_gbp")].ravel()
    np.testing.assert_array_equal(gap.prob_negative.to_numpy(), (deterministic < -0.005).astype(float))


def test_monte_carlo_of_a_linear_result_matches_the_analytic_quantiles():
    """Base-year allowance is rca_per_head x population: its percentiles are the uniform's."""
    inputs = worked_example()
    (dist,) = dists_of({"baseline.rca_per_head_gbp": {"distribution": "uniform", "mode": "set", "low": 18,
                                                         "high": 22}}, inputs)
    result = simulate(inputs, [dist], 20_000, seed=3, metrics=("allowance_gbp",))
    row = result.summary[(result.summary.icb_code == "TST") & (result.summary.year == "2022/23")].iloc[0]
    assert row.p5 == pytest.approx(18.2e6, rel=2e-3)
    assert row.p50 == pytest.approx(20.0e6, rel=2e-3)
    assert row.p95 == pytest.approx(21.8e6, rel=2e-3)
    assert row["sd"] == pytest.approx(4 / math.sqrt(12) * 1e6, rel=2e-2)


# --- Sobol -------------------------------------------------------------------------------------


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


# --- Dask ------------------------------------------------------------------------------------


def test_a_two_worker_local_cluster_gives_identical_results(inputs, dists, run):
    pytest.importorskip("distributed")
    clustered = simulate(inputs, dists, 2000, seed=1, chunk_size=256, scheduler="local", workers=2)
    np.testing.assert_array_equal(clustered.cells, run.cells)
    assert csv_text(clustered) == csv_text(run)


# --- the command line --------------------------------------------------------------------------


def test_montecarlo_command_is_byte_identical_and_writes_its_files(tmp_path, capsys):
    args = ["--root", str(ROOT), "montecarlo", "base", "--draws", "600", "--seed", "9", "--sobol", "--sobol-base", "64"]
    assert main([*args, "--out", str(tmp_path / "a"), "--chunk-size", "100"]) == 0
    printed = capsys.readouterr().out
    assert "Monte Carlo: funding_gap_gbp, England" in printed and "Sobol indices" in printed
    assert main([*args, "--out", str(tmp_path / "b"), "--workers", "1", "--no-png"]) == 0
    first = (tmp_path / "a" / "montecarlo.csv").read_bytes()
    assert first == (tmp_path / "b" / "montecarlo.csv").read_bytes()
    table = pd.read_csv(tmp_path / "a" / "montecarlo.csv")
    assert {"ENG", "QE1"} <= set(table.icb_code) and set(table.metric) == set(montecarlo.DEFAULT_METRICS)
    for name in ("distributions.csv", "sobol.csv", "fan.html", "montecarlo_manifest.json"):
        assert (tmp_path / "a" / name).is_file(), name
    if (tmp_path / "a" / "fan.png").exists():
        assert (tmp_path / "a" / "fan.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_ctrl_c_leaves_no_files(tmp_path, monkeypatch, capsys):
    calls = []
    real = runs.evaluate_chunk

    def interrupted(*args, **kwargs):
        calls.append(1)
        if len(calls) == 3:
            raise KeyboardInterrupt
        return real(*args, **kwargs)

    monkeypatch.setattr(runs, "evaluate_chunk", interrupted)
    out = tmp_path / "mc"
    status = main(["--root", str(ROOT), "montecarlo", "base", "--draws", "1000", "--chunk-size", "100", "--out",
                   str(out), "--no-png"])
    assert status == 130
    assert "interrupted" in capsys.readouterr().err
    assert not out.exists() or not any(out.iterdir())


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--draws", "0"], "--draws must be a whole number 1 or more"),
        (["--seed", "-4"], "seed must be a whole number 0 or more"),
        (["--metrics", "wte_gap,wte_gapp"], "did you mean 'wte_gap'"),
        (["--chunk-size", "0"], "--chunk-size must be a whole number 1 or more"),
        (["--sobol", "--sobol-base", "100"], "power of two"),
        (["--sobol", "--year", "2040/41"], "--year '2040/41' is not a year of this run"),
    ],
)
def test_bad_montecarlo_input_exits_2(tmp_path, capsys, argv, message):
    status = main(["--root", str(ROOT), "montecarlo", "base", "--draws", "50", "--out", str(tmp_path / "o"),
                   "--no-png", *argv])
    err = capsys.readouterr().err
    assert status == 2 and message in err and "Traceback" not in err
