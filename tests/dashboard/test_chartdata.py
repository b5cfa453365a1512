"""The arithmetic behind the waterfall and the ranking (dashboard/chartdata.py)."""

from __future__ import annotations

import pytest

from dashboard import chartdata


def test_waterfall_steps_add_up_and_ranking_is_sorted(store):
    results = store.shipped["base"].results
    rows = results[results["icb_code"] == "ENG"]
    steps = chartdata.waterfall_steps(rows, "2022/23", "2028/29")
    assert sum(s.gbp for s in steps[:-1]) == pytest.approx(steps[-1].gbp)
    table = chartdata.ranking(results, ["base"], "2025/26")
    assert len(table) == 42 and table["base"].is_monotonic_increasing
