"""Financial years and months: the model's only period arithmetic.

Financial years run April to March and are labelled ``YYYY/YY`` (``2025/26`` is April 2025 to
March 2026). Events are dated to the month, ``YYYY-MM``. Internally a year is the integer of the
calendar year it starts in (``2025`` for ``2025/26``) and a month is a count of months since
year 0 (``year * 12 + month - 1``), so that differences are plain subtraction.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # numpy is imported by the two functions on arrays, not here: checking files needs none
    import numpy as np

    from model.arrays import FloatArray, IntArray

FIRST_YEAR, LAST_YEAR = 1900, 2199
"""Years and months must fall in these calendar years: far wider than any real plan, and narrow
enough that growth compounded between two dates stays finite."""
FIRST_MONTH, LAST_MONTH = FIRST_YEAR * 12, LAST_YEAR * 12 + 11
"""The first and last month counts (January FIRST_YEAR, December LAST_YEAR)."""

_YEAR_RE = re.compile(r"^(\d{4})/(\d{2})$")
_MONTH_RE = re.compile(r"^(\d{4})-(\d{2})$")


class PeriodError(ValueError):
    """A year label or month that is not well formed."""


def parse_year(label: str) -> int:
    """Return the starting calendar year of a financial-year label (``"2025/26"`` -> 2025).

    Raises PeriodError unless the label is ``YYYY/YY`` with ``YY`` the year after ``YYYY``.
    """
    return _parse_year(str(label))


@lru_cache(maxsize=4096)
def _parse_year(label: str) -> int:
    """:func:`parse_year` of a label's text, remembered: a run asks for the same few labels
    thousands of times (a failure is not remembered)."""
    match = _YEAR_RE.match(label)
    if not match:
        raise PeriodError(f"'{label}' is not a financial year; write it as YYYY/YY, e.g. 2025/26")
    start, end = int(match.group(1)), int(match.group(2))
    if (start + 1) % 100 != end:
        raise PeriodError(
            f"'{label}' is not a financial year: {start} is followed by "
            f"{(start + 1) % 100:02d}, so write {start}/{(start + 1) % 100:02d}"
        )
    return start


def year_label(start: int) -> str:
    """Return the label of the financial year starting in April of ``start`` (2025 -> ``2025/26``)."""
    return f"{start}/{(start + 1) % 100:02d}"


def year_labels(base_year: str, end_year: str) -> list[str]:
    """All financial-year labels from ``base_year`` to ``end_year`` inclusive."""
    return list(_year_labels(str(base_year), str(end_year)))


@lru_cache(maxsize=256)
def _year_labels(base_year: str, end_year: str) -> tuple[str, ...]:
    return tuple(year_label(y) for y in range(parse_year(base_year), parse_year(end_year) + 1))


def parse_month(text: str) -> int:
    """Return a ``YYYY-MM`` month as a month count (``year * 12 + month - 1``)."""
    return _parse_month(str(text))


@lru_cache(maxsize=4096)
def _parse_month(text: str) -> int:
    """:func:`parse_month` of a month's text, remembered as :func:`_parse_year` is."""
    match = _MONTH_RE.match(text)
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise PeriodError(f"'{text}' is not a month; write it as YYYY-MM, e.g. 2023-07")
    return int(match.group(1)) * 12 + int(match.group(2)) - 1


def month_label(count: int) -> str:
    """Inverse of :func:`parse_month` (a month count back to ``YYYY-MM``)."""
    return f"{count // 12}-{count % 12 + 1:02d}"


def year_of_month(month: FloatArray | int) -> FloatArray | np.int64:
    """The starting calendar year of the financial year that contains a month count."""
    import numpy as np

    return (np.asarray(month) - 3) // 12


def active_fraction(month: FloatArray | float, years: IntArray | FloatArray) -> FloatArray:
    """Share of each financial year for which an event dated ``month`` is active (SPEC section 2).

    ``k`` is the number of months from April of year ``t`` to the event; the fraction is
    ``clamp((12 - k) / 12, 0, 1)``. ``month`` may be an array (any shape) of month counts, with
    ``NaN`` for an event that never happens; ``years`` is a 1-D array of starting calendar years.
    The result has shape ``month.shape + years.shape``.
    """
    import numpy as np

    month = np.asarray(month, dtype=float)[..., None]
    april = np.asarray(years, dtype=float) * 12 + 3
    frac = np.clip((12.0 - (month - april)) / 12.0, 0.0, 1.0)
    return np.where(np.isnan(month), 0.0, frac)


def series_lookup(points: dict[int, float], years: list[int], before: float | None = None) -> list[float]:
    """Expand a sparse per-year series over ``years`` (SPEC section 2).

    A year not listed takes the value of the latest listed year before it; years before the first
    listed take ``before`` if given (a bare number the series was merged over), else the first
    listed value. ``points`` maps starting calendar year to value and must not be empty unless
    ``before`` is given.
    """
    listed = sorted(points)
    out = []
    for year in years:
        earlier = [y for y in listed if y <= year]
        if earlier:
            out.append(points[earlier[-1]])
        elif before is not None:
            out.append(before)
        else:
            out.append(points[listed[0]])
    return out
