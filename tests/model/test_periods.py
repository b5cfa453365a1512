"""Financial years and months (model/periods.py): labels, month counts, the share of a year an event
is active and sparse series, against hand-worked figures and the laws they obey (hypothesis)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from model.periods import (
    FIRST_MONTH,
    FIRST_YEAR,
    LAST_MONTH,
    LAST_YEAR,
    PeriodError,
    active_fraction,
    month_label,
    parse_month,
    parse_year,
    series_lookup,
    year_label,
    year_labels,
    year_of_month,
)

JULY_2023 = 2023 * 12 + 6
"""The month count of July 2023 (``year * 12 + month - 1``)."""


# --- year labels ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("label", "year"), [("2025/26", 2025), ("2022/23", 2022), ("1999/00", 1999),
                                             ("2099/00", 2099)])
def test_parse_year_is_the_calendar_year_the_financial_year_starts_in(label, year):
    assert parse_year(label) == year


@pytest.mark.parametrize(("label", "message"), [
    ("2025/27", "'2025/27' is not a financial year: 2025 is followed by 26, so write 2025/26"),
    ("1999/01", "1999 is followed by 00, so write 1999/00"),
    ("2025-26", "write it as YYYY/YY, e.g. 2025/26"),
    ("25/26", "write it as YYYY/YY"),
    ("2025/26 ", "write it as YYYY/YY"),
    ("2025", "write it as YYYY/YY"),
])
def test_a_label_that_is_not_a_financial_year_says_how_to_write_it(label, message):
    with pytest.raises(PeriodError) as caught:
        parse_year(label)
    assert message in str(caught.value)


def test_year_label_and_year_labels():
    assert year_label(2025) == "2025/26"
    assert year_label(1999) == "1999/00"
    assert year_labels("2022/23", "2025/26") == ["2022/23", "2023/24", "2024/25", "2025/26"]
    assert year_labels("2025/26", "2025/26") == ["2025/26"]
    assert year_labels("2025/26", "2024/25") == []


@given(st.integers(FIRST_YEAR, LAST_YEAR))
def test_year_labels_round_trip(year):
    assert parse_year(year_label(year)) == year


# --- months --------------------------------------------------------------------------------------


def test_months_are_counts_since_year_zero():
    assert parse_month("2023-07") == JULY_2023 == 24_282
    assert parse_month("2023-01") + 6 == parse_month("2023-07")
    assert parse_month("2024-01") - parse_month("2023-12") == 1
    assert month_label(JULY_2023) == "2023-07"
    assert month_label(parse_month("1900-01")) == "1900-01"
    assert (parse_month("1900-01"), parse_month("2199-12")) == (FIRST_MONTH, LAST_MONTH)


@pytest.mark.parametrize("text", ["2023-13", "2023-00", "2023-7", "2023/07", "2023-07-01", "July 2023"])
def test_a_month_that_is_not_yyyy_mm_is_refused(text):
    with pytest.raises(PeriodError, match=r"write it as YYYY-MM, e\.g\. 2023-07"):
        parse_month(text)


@given(st.integers(FIRST_MONTH, LAST_MONTH))
def test_month_labels_round_trip(count):
    assert parse_month(month_label(count)) == count


def test_year_of_month_is_the_financial_year_containing_it():
    """April to March: March 2024 is still in 2023/24; April 2024 starts 2024/25."""
    assert year_of_month(parse_month("2023-04")) == 2023
    assert year_of_month(JULY_2023) == 2023
    assert year_of_month(parse_month("2024-03")) == 2023
    assert year_of_month(parse_month("2024-04")) == 2024
    np.testing.assert_array_equal(year_of_month(np.array([parse_month("2023-03"), parse_month("2025-12")])),
                                  [2022, 2025])


# --- the share of a year an event is active (SPEC section 2) ------------------------------------


def test_a_july_go_live_is_active_for_three_quarters_of_its_year():
    """July 2023 is three months after April 2023: (12 - 3) / 12 = 0.75 of 2023/24; none of
    2022/23 (clamped at 0); all of 2024/25 and later (clamped at 1)."""
    np.testing.assert_allclose(active_fraction(JULY_2023, np.array([2022, 2023, 2024, 2025])), [0, 0.75, 1, 1])


@pytest.mark.parametrize(("month", "share"), [("2023-04", 1.0), ("2023-05", 11 / 12), ("2023-10", 0.5),
                                              ("2024-01", 0.25), ("2024-03", 1 / 12), ("2024-04", 0.0)])
def test_the_share_of_2023_24_by_month(month, share):
    assert active_fraction(parse_month(month), np.array([2023]))[0] == pytest.approx(share, abs=1e-15)


def test_nan_is_never_and_shapes_broadcast():
    years = np.array([2022, 2023, 2024])
    np.testing.assert_array_equal(active_fraction(float("nan"), years), [0, 0, 0])
    months = np.array([[JULY_2023, np.nan], [parse_month("2022-04"), parse_month("2030-01")]])
    out = active_fraction(months, years)
    assert out.shape == (2, 2, 3)
    np.testing.assert_allclose(out, [[[0, 0.75, 1], [0, 0, 0]], [[1, 1, 1], [0, 0, 0]]])


@given(st.integers(FIRST_MONTH, LAST_MONTH), st.lists(st.integers(FIRST_YEAR, LAST_YEAR), min_size=2, max_size=8))
def test_active_fraction_is_a_share_and_never_falls_as_the_years_go_on(month, years):
    ordered = np.array(sorted(years))
    share = active_fraction(float(month), ordered)
    assert np.all((share >= 0) & (share <= 1))
    assert np.all(np.diff(share) >= 0)
    start = int(year_of_month(month))
    assert active_fraction(float(month), np.array([start]))[0] > 0  # live in the year it starts
    assert active_fraction(float(month), np.array([start - 1]))[0] == 0  # not before


@given(st.integers(FIRST_MONTH, LAST_MONTH - 12), st.integers(FIRST_YEAR, LAST_YEAR))
def test_a_later_event_is_never_more_active(month, year):
    years = np.array([year])
    assert active_fraction(float(month + 1), years)[0] <= active_fraction(float(month), years)[0]


# --- sparse series (SPEC section 2) ---------------------------------------------------------------


def test_a_year_not_listed_takes_the_latest_listed_year_before_it():
    points = {2023: 0.1, 2025: 0.3}
    years = [2022, 2023, 2024, 2025, 2026]
    assert series_lookup(points, years) == [0.1, 0.1, 0.1, 0.3, 0.3]  # before the first: the first value
    assert series_lookup(points, years, before=0.0) == [0.0, 0.1, 0.1, 0.3, 0.3]
    assert series_lookup({}, years, before=0.25) == [0.25] * 5
    assert series_lookup({2024: 0.2}, []) == []


@given(st.dictionaries(st.integers(2000, 2040), st.floats(-1, 1), min_size=1, max_size=6),
       st.lists(st.integers(1995, 2045), max_size=12), st.one_of(st.none(), st.floats(-1, 1)))
def test_series_lookup_gives_a_listed_value_or_before(points, years, before):
    values = series_lookup(points, years, before)
    assert len(values) == len(years)
    for year, value in zip(years, values, strict=True):
        earlier = [y for y in points if y <= year]
        if earlier:
            assert value == points[max(earlier)]
        elif before is not None:
            assert value == before
        else:
            assert value == points[min(points)]
        assert value in points.values() or value == before
        assert not math.isnan(value)
