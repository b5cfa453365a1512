"""The cut paths the cut controls write (dashboard/cutpath.py)."""

from __future__ import annotations

import itertools

import pytest

from dashboard import cutpath


def test_stretched_path_reaches_the_size_in_the_year_and_keeps_the_shape():
    path = (0.0, 0.0, 0.2, 0.3, 0.3, 0.3)
    assert cutpath.stretched_path(path, 3, 0.3, 3) == list(path)
    later = cutpath.stretched_path(path, 3, 0.5, 5)
    assert later[5] == 0.5 and later[0] == 0.0 and max(later[:5]) < 0.5
    assert all(b >= a for a, b in itertools.pairwise(later))
    sooner = cutpath.stretched_path(path, 3, 0.4, 1)
    assert sooner[1:] == [0.4] * 5
    flat = cutpath.stretched_path((0.0,) * 6, 0, 0.3, 3)
    assert flat == [0.0, 0.1, 0.2, 0.3, 0.3, 0.3]


def test_further_path_multiplies_what_the_start_keeps_by_one_minus_the_ramped_cut():
    """The base's path: 0, 0, 20%, 30% held. A further 10% by index 5 from the last published
    year 3: 5% in year 4, 10% in 5 and after, of the 70% kept: 1 - 0.7 x 0.95, 1 - 0.7 x 0.9."""
    path = (0.0, 0.0, 0.2, 0.3, 0.3, 0.3, 0.3)
    written = cutpath.further_path(path, 3, 0.0, 3, 0.10, 5)
    assert written == {4: pytest.approx(0.335), 5: pytest.approx(0.37)}
    assert cutpath.further_path(path, 3, 0.0, 3, 0.10, 4) == {4: pytest.approx(0.37)}
    assert cutpath.further_path(path, 3, 0.0, 3, 0.0, 5) == {4: 0.3, 5: 0.3}  # no further cut: the start's


def test_further_path_folds_in_the_uplift_and_writes_through_the_starts_last_listed_year():
    """With a 2% uplift after index 3, the start keeps 0.7 x 1.02 in year 4 and 0.7 x 1.02^2 in 5;
    a path listed to index 6 is written to 6, so its later listed years get the cut too."""
    path = (0.0, 0.0, 0.2, 0.3, 0.3, 0.3, 0.3)
    written = cutpath.further_path(path, 3, 0.02, 3, 0.2, 5)
    assert written[4] == pytest.approx(1 - 0.7 * 1.02 * 0.9)
    assert written[5] == pytest.approx(1 - 0.7 * 1.02 ** 2 * 0.8)
    listed_later = (0.0, 0.0, 0.2, 0.3, 0.3, 0.35, 0.4)
    assert cutpath.further_path(listed_later, 6, 0.0, 3, 0.1, 4) == {
        4: pytest.approx(1 - 0.7 * 0.9), 5: pytest.approx(1 - 0.65 * 0.9), 6: pytest.approx(1 - 0.6 * 0.9)}
    assert cutpath.further_path(path, 3, 0.5, 3, 0.0, 6)[6] == 0.0  # never below 0: the schema's range
