"""The engine's array layout (model/engine/layout.py): samples last, ``(I, T, S)``, and the helpers
that move arrays into it and back."""

from __future__ import annotations

import numpy as np

from model.engine.layout import Frame, at_year, at_years, local, national, samples_first
from tests.builders import worked_example


def test_national_and_local_put_samples_last():
    per_year = np.arange(6.0).reshape(2, 3)  # (S=2, T=3)
    laid = national(per_year)
    assert laid.shape == (1, 3, 2)
    np.testing.assert_array_equal(laid[0], per_year.T)
    per_icb = np.arange(8.0).reshape(2, 4)  # (S=2, I=4)
    laid = local(per_icb)
    assert laid.shape == (4, 1, 2)
    np.testing.assert_array_equal(laid[:, 0, :], per_icb.T)


def test_at_year_picks_each_icbs_and_samples_year_and_clips_into_the_horizon():
    series = np.arange(2 * 4 * 3, dtype=float).reshape(2, 4, 3)  # (I=2, T=4, S=3): value = 12 i + 3 t + s
    index = np.array([[0, 3], [1, -5], [9, 2]])  # (S=3, I=2); -5 and 9 lie outside the horizon
    picked = at_year(series, index)
    assert picked.shape == (2, 3)  # (I, S): the engine's layout
    expected = [[12 * i + 3 * min(max(t, 0), 3) + s for i, t in enumerate(row)] for s, row in enumerate(index)]
    np.testing.assert_array_equal(picked, np.transpose(expected))
    national_series = series[:1]  # one row for every ICB
    np.testing.assert_array_equal(at_year(national_series, index), [[0, 4, 11], [9, 1, 8]])


def test_at_years_is_at_year_for_each_function_in_one_gather_or_many():
    """Go-live years the same in every sample (one gather for all functions) or drawn per sample
    (one pick per function) give the same figures as :func:`at_year` row by row."""
    rng = np.random.default_rng(0)
    series = rng.uniform(size=(3, 5, 4))  # (I=3, T=5, S=4)
    for index in (rng.integers(-2, 8, size=(4, 1, 3)), rng.integers(-2, 8, size=(4, 4, 3))):  # (F, S or 1, I)
        for rows in (series, series[:1]):
            got = at_years(rows, index)
            expected = np.stack([at_year(rows, one) for one in index])
            assert got.shape == expected.shape == (4, 3, 4)  # (F, I, S)
            np.testing.assert_array_equal(got, expected)


def test_samples_first_copies_only_what_varies():
    values = np.arange(2 * 3 * 4, dtype=float).reshape(2, 3, 4)
    np.testing.assert_array_equal(samples_first(values), np.transpose(values, (2, 0, 1)))
    assert samples_first(values).flags.c_contiguous
    one_sample = np.broadcast_to(np.arange(6.0).reshape(2, 3, 1), (2, 3, 5))  # the same for every sample
    laid = samples_first(one_sample)
    assert laid.shape == (5, 2, 3) and laid.strides[0] == 0  # still a broadcast, not five copies
    np.testing.assert_array_equal(laid[4], np.arange(6.0).reshape(2, 3))


def test_frame_reads_parameters_in_the_layout():
    inputs = worked_example(populations=(1e6, 2e6), **{"population.growth_rate": 0.1})
    x = Frame(inputs)
    assert x.n_years == 4
    np.testing.assert_array_equal(x.t, [0, 1, 2, 3])
    np.testing.assert_array_equal(x.years, [2022, 2023, 2024, 2025])
    assert x.pop0.shape == (2, 1, 1) and x.pop0[1, 0, 0] == 2e6
    assert x.number("baseline.pay_share").shape == (1, 1, 1)
    assert x.series("inflation.pay_award").shape == (1, 4, 1)
    np.testing.assert_allclose(x.series("inflation.pay_award")[0, :, 0], [0, 0.05, 0.05, 0.05])
    assert x.per_sample("workforce.turnover_rate").shape == (1, 1)
    np.testing.assert_allclose(x.grown("population.growth_rate")[0, :, 0], 1.1 ** np.arange(4), rtol=1e-15)
    np.testing.assert_allclose(x.grown("population.growth_rate", np.array([2.0, 0.0, -1.0, 0.5]))[0, :, 0],
                               [1.21, 1, 1 / 1.1, 1.1**0.5], rtol=1e-15)
    assert x.raw("delegation.dentistry.go_live").shape == (1, 2)
