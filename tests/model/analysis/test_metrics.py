"""Metrics for every place, year and sample (model/analysis/metrics.py)."""

from __future__ import annotations

import pytest

from model import engine
from model.analysis.metrics import place_metric
from model.output.results import tabulate
from model.schema import METRICS
from tests.builders import worked_example


@pytest.fixture(scope="module")
def three_icbs():
    return worked_example((1_000_000.0, 2_500_000.0, 400_000.0))


def test_every_metric_equals_the_results_table_to_the_bit(three_icbs):
    """England's sums and ratios, and each ICB's figures, as results.csv has them."""
    table = tabulate("t", three_icbs, engine.run(three_icbs))
    for code in ("ENG", "T00", "T02"):
        row = table[(table.icb_code == code) & (table.year == "2025/26")].iloc[0]
        for metric in METRICS:
            assert place_metric(three_icbs, metric, "2025/26", code)[0] == row[metric], (code, metric)
