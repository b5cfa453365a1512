"""Binned summaries of draws too many to keep (model/analysis/binned.py): percentiles within one bin
of the exact ones, exact mean, sd and share below zero, zeros and constants exact."""

from __future__ import annotations

import numpy as np
import pytest

from model.analysis.binned import BINS, HISTOGRAM_BYTES, Binned, bins_for
from model.analysis.montecarlo import PERCENTILES


def summarised(draws: np.ndarray, batch: int = 1000, zero: float = 0.005) -> tuple[Binned, np.ndarray]:
    binned = Binned(np.full(draws.shape[0], zero))
    for start in range(0, draws.shape[1], batch):
        binned.add(draws[:, start:start + batch])
    return binned, binned.statistics(PERCENTILES)


def test_percentiles_are_within_one_bin_of_the_exact_ones_and_the_rest_is_exact():
    rng = np.random.default_rng(1)
    draws = np.concatenate([rng.normal(5e8, 2e7, size=(3, 6000)), rng.lognormal(10, 1, size=(2, 6000)),
                            rng.uniform(-1, 1, size=(1, 6000)), rng.normal(-5e8, 2e7, size=(1, 6000))])
    binned, stats = summarised(draws)
    exact = np.percentile(draws, PERCENTILES, axis=1).T
    assert (np.abs(stats[:, :3] - exact) <= binned.width[:, None]).all()
    np.testing.assert_allclose(stats[:, 3], draws.mean(axis=1), rtol=1e-13)
    np.testing.assert_allclose(stats[:, 4], draws.std(axis=1, ddof=1), rtol=1e-9)
    np.testing.assert_array_equal(stats[:, 5], (draws < -0.005).mean(axis=1))
    assert binned.draws == 6000


def test_zeros_and_constants_come_out_exactly():
    """A cost that is zero in most draws has a median of exactly zero, not a point inside the
    bin that holds zero; a figure that never moves has exactly its value and no spread."""
    rng = np.random.default_rng(2)
    mostly_zero = np.where(rng.uniform(size=5000) < 0.8, 0.0, rng.uniform(1e6, 3e6, size=5000))
    constant = np.full(5000, 14_303_380.08)
    stats = summarised(np.stack([mostly_zero, constant, -mostly_zero]))[1]
    assert stats[0, 0] == stats[0, 1] == 0.0 and stats[0, 2] > 1e6
    assert stats[2, 1] == stats[2, 2] == 0.0 and stats[2, 0] < -1e6
    assert list(stats[1]) == [14_303_380.08] * 4 + [0.0, 0.0]


def test_the_same_draws_in_the_same_batches_give_the_same_bits():
    draws = np.random.default_rng(3).normal(size=(4, 3000))
    assert summarised(draws)[1].tobytes() == summarised(draws.copy())[1].tobytes()


def test_draws_beyond_the_first_batchs_range_fall_into_the_end_bins():
    """The first batch sets the bins; later draws far outside still count, bounded by the least and
    greatest draw."""
    early = np.linspace(0, 1, 1000)
    late = np.concatenate([np.full(100, -50.0), np.full(100, 80.0), np.linspace(0, 1, 800)])
    binned, stats = summarised(np.concatenate([early, late])[None, :])
    assert binned.least[0] == -50.0 and binned.most[0] == 80.0
    assert -50.0 <= stats[0, 0] <= 0.0 and stats[0, 2] <= 80.0


def test_bins_fit_the_memory_allowed():
    assert bins_for(3330) == BINS
    many = bins_for(20_000)
    assert many < BINS and 8 * many * 20_000 <= HISTOGRAM_BYTES and bins_for(10**7) == 256


@pytest.mark.parametrize("batch", [1, 7, 1000])
def test_small_batches_and_a_single_draw(batch):
    draws = np.random.default_rng(4).normal(size=(2, 40))
    binned, stats = summarised(draws, batch)
    assert np.isfinite(stats).all() and binned.draws == 40
    one = summarised(draws[:, :1])[1]
    assert list(one[:, 0]) == list(draws[:, 0]) and list(one[:, 4]) == [0.0, 0.0]


def test_threads_change_nothing():
    draws = np.random.default_rng(5).normal(size=(50, 3000)) * 1e6
    one, two = Binned(np.full(50, 0.005)), Binned(np.full(50, 0.005))
    for start in range(0, 3000, 1000):
        one.add(draws[:, start:start + 1000])
        two.add(draws[:, start:start + 1000], threads=2)
    assert one.statistics(PERCENTILES).tobytes() == two.statistics(PERCENTILES).tobytes()
