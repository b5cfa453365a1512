"""Monte Carlo summaries (model/analysis/montecarlo.py): reproducibility, percentiles and analytic answers."""

from __future__ import annotations

import io
import math

import numpy as np
import pandas as pd
import pytest

from model import engine
from model.analysis import montecarlo
from model.analysis.binned import BINS
from model.analysis.montecarlo import percentiles_sorted, simulate
from model.output.results import tabulate
from tests.builders import BLOCK, dists_of, worked_example


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


def test_percentiles_are_ordered_and_the_table_is_complete(inputs, run):
    table = run.summary
    assert list(table.columns) == list(montecarlo.SUMMARY_COLUMNS)
    assert len(table) == (1 + len(inputs.codes)) * len(inputs.labels) * len(montecarlo.DEFAULT_METRICS)
    assert (table.p5 <= table.p50).all() and (table.p50 <= table.p95).all()
    assert table.prob_negative.between(0, 1).all() and (table.draws == 2000).all()
    assert table.icb_code.iloc[0] == "ENG" and table.icb_name.iloc[0] == "England"


@pytest.mark.parametrize("ordering", [montecarlo.by_sorting, montecarlo.by_partition])
@pytest.mark.parametrize("draws", [1, 2, 20, 1001])
def test_percentiles_equal_numpys_however_the_draws_are_ordered(ordering, draws):
    data = np.random.default_rng(draws).normal(size=(4, 3, draws))
    np.testing.assert_array_equal(
        percentiles_sorted(ordering(data)),
        np.moveaxis(np.percentile(data, montecarlo.PERCENTILES, axis=-1), 0, -1),
    )


def test_the_fastest_ordering_is_the_one_that_takes_less_time(monkeypatch):
    """Each way is timed on a few cells; a way made slow here is not chosen."""
    import time

    data = np.random.default_rng(0).normal(size=(2, 300, 50))

    def slowly(ordering):
        def ordered(values):
            time.sleep(0.002)
            return ordering(values)
        return ordered

    monkeypatch.setattr(montecarlo, "by_partition", slowly(montecarlo.by_partition))
    assert montecarlo.fastest_ordering(data) is montecarlo.by_sorting
    monkeypatch.undo()
    monkeypatch.setattr(montecarlo, "by_sorting", slowly(montecarlo.by_sorting))
    assert montecarlo.fastest_ordering(data) is montecarlo.by_partition
    assert montecarlo.fastest_ordering(data[:, :10]) is montecarlo.by_sorting  # too few cells to time


def test_the_summary_is_the_same_whichever_ordering_is_chosen(monkeypatch, inputs, run):
    tables = []
    for ordering in (montecarlo.by_sorting, montecarlo.by_partition):
        monkeypatch.setattr(montecarlo, "fastest_ordering", lambda data, chosen=ordering: chosen)
        tables.append(montecarlo.summarise(inputs, run.cells, run.metrics, "x", threads=2))
    pd.testing.assert_frame_equal(tables[0], tables[1], check_exact=True)


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


def test_summarise_against_hand_worked_statistics():
    """Five draws -2, -1, 0, 1, 2 of the funding gap in every place and year: P5 is the 0.2th order
    statistic, -2 + 0.2 = -1.8; P50 0; P95 1.8; mean 0; sd sqrt(2.5); two of five below zero."""
    inputs = worked_example()
    cells = np.broadcast_to(np.array([-2.0, -1.0, 0.0, 1.0, 2.0]), (1, 2, 4, 5))
    table = montecarlo.summarise(inputs, np.ascontiguousarray(cells), ("funding_gap_gbp",), "demo", threads=1)
    assert list(table.columns) == list(montecarlo.SUMMARY_COLUMNS) and len(table) == 2 * 4
    row = table.iloc[0]
    assert (row.icb_code, row.year, row.metric, row.draws) == ("ENG", "2022/23", "funding_gap_gbp", 5)
    assert (row.p5, row.p50, row.p95, row["mean"]) == pytest.approx((-1.8, 0.0, 1.8, 0.0))
    assert row["sd"] == pytest.approx(math.sqrt(2.5)) and row.prob_negative == 0.4
    assert list(table.icb_code.unique()) == ["ENG", "TST"]


def test_a_draw_counts_as_negative_only_below_the_precision_files_show():
    """Half a penny below zero is rounding noise, not a shortfall."""
    inputs = worked_example()
    cells = np.broadcast_to(np.array([-0.004, -0.006, 1.0, 2.0]), (1, 2, 4, 4))
    table = montecarlo.summarise(inputs, np.ascontiguousarray(cells), ("funding_gap_gbp",), "demo", threads=1)
    assert set(table.prob_negative) == {0.25}


def test_the_tables_written_beside_the_summary(run, dists):
    draws = montecarlo.draws_table(run)
    assert list(draws.columns) == ["draw", *BLOCK] and len(draws) == 2000
    np.testing.assert_array_equal(draws["workforce.turnover_rate"], run.draws["workforce.turnover_rate"])
    table = montecarlo.distributions_table(dists)
    assert list(table["parameter"]) == list(BLOCK)
    assert table.loc[0, "role"] == "uncertainty" and table.loc[0, "from_year"] == "2024/25"
    assert table.loc[3, "median"] == 1 and np.isnan(table.loc[3, "peak"])
    rounded = montecarlo.rounded(run.summary)
    gap = rounded[rounded.metric == "funding_gap_gbp"]
    pence = gap["p50"].to_numpy() * 100
    np.testing.assert_allclose(pence, pence.round(), atol=1e-4)


def test_a_run_too_big_to_keep_streams_its_draws_through_binned_summaries(inputs, dists, run):
    """With nothing kept, the draws are evaluated in batches and summarised as they come: the
    same seed gives the same table whatever the chunks and threads, close to the exact one."""
    streamed = simulate(inputs, dists, 2000, seed=1, chunk_size=256, workers=1, keep_bytes=0)
    assert streamed.cells is None and list(streamed.summary.columns) == list(montecarlo.SUMMARY_COLUMNS)
    for chunk_size, workers in ((7, 2), (2000, 1)):
        other = simulate(inputs, dists, 2000, seed=1, chunk_size=chunk_size, workers=workers, keep_bytes=0)
        assert csv_text(other) == csv_text(streamed)
    exact, binned = run.summary, streamed.summary
    ranges = np.moveaxis(run.cells.max(axis=-1) - run.cells.min(axis=-1), 0, 2).ravel()  # summary row order
    for name in ("p5", "p50", "p95"):  # within one bin: twice the first batch's range over the bins
        assert (np.abs(binned[name] - exact[name]).to_numpy() <= 2 * ranges / BINS + 1e-9).all(), name
    np.testing.assert_allclose(binned["mean"], exact["mean"], rtol=1e-12, atol=1e-6)
    np.testing.assert_allclose(binned["sd"], exact["sd"], rtol=1e-9, atol=1e-6)
    np.testing.assert_array_equal(binned["prob_negative"], exact["prob_negative"])
