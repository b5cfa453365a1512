"""The cumulative cut paths the cut controls write (fractions against the base year).

Two ways to change a start's path (``running_cost_cut.path``), one per kind of start:

- A start that projects by the rules alone (``instruction_2023``, ``real_terms_30``):
  :func:`stretched_path` keeps the path's shape, scales it to a new size and moves the year it is
  reached.
- A start that takes published allowances as facts: after the last published year the rules carry
  on from that figure by their *relative* change, ``allowance[t] = last figure x m[t] / m[last]``
  (``m`` the rules' multiplier), so scaling the whole path changes nothing there.
  :func:`further_path` writes the years after the last published one so that
  ``m[t] = m_start[t] x (1 - size x ramp[t])``: a further cut of ``size`` below what the start
  projects, reached in a straight line by the chosen year and held. With a flat cash start (the
  base) that is ``m[t] = m[last] x (1 - size)`` from the year reached.
"""

from __future__ import annotations

import numpy as np

from dashboard.controls import tidy

DECIMALS = 10
"""Decimals of the path values written."""


def stretched_path(path: tuple[float, ...], reach_old: int, size: float, reach_new: int) -> list[float]:
    """The cut path with its largest value moved to ``size`` and the year it is reached to
    ``reach_new``: each year's cut is the starting path's shape (its share of the largest cut),
    stretched or squeezed in time, times ``size`` (fractions; rounded to 10 decimals).

    A starting path with no cut has no shape; the new one then rises in a straight line from the
    base year to ``reach_new``.
    """
    n = len(path)
    peak = max(path)
    if peak <= 0 or reach_old < 1:
        shape = [min(1.0, t / reach_new) for t in range(n)]
    else:
        old = np.array(path) / peak
        positions = np.arange(n) * reach_old / reach_new
        shape = list(np.interp(positions, np.arange(n), old))
    return [tidy(size * s, DECIMALS) for s in shape]


def further_path(path: tuple[float, ...], cut_last: int, uplift: float, last_published: int, size: float,
                 reach: int) -> dict[int, float]:
    """The cut path values (by year index) that put a further cut of ``size`` (a fraction) on top of
    the start's projection after the last published year (index ``last_published``), reached in a
    straight line by the year of index ``reach`` and held.

    ``path`` is the start's path over the horizon (held after its last listed year, index
    ``cut_last``) and ``uplift`` its yearly uplift after that year. Writing years moves the last
    listed year to the last one written, so the uplift the start gave those years is folded into
    them: the multiplier is the start's times ``1 - size x ramp`` in every later year too. Values
    are kept within the schema's range (0 to just under 1); rounded to 10 decimals.
    """
    last = max(reach, cut_last)
    out = {}
    for t in range(last_published + 1, last + 1):
        ramp = min(1.0, (t - last_published) / (reach - last_published))
        kept = (1.0 - path[t]) * (1.0 + uplift) ** max(0, t - cut_last) * (1.0 - size * ramp)
        out[t] = tidy(min(max(1.0 - kept, 0.0), 0.999), DECIMALS)
    return out
