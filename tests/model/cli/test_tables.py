"""Plain-text tables for the terminal (model/cli/tables.py)."""

from __future__ import annotations

import pytest

from model.analysis.sensitivity import tornado
from model.cli.tables import format_tornado
from model.cli.vary import parse_variation
from tests.builders import worked_example


@pytest.fixture(scope="module")
def three_icbs():
    return worked_example((1_000_000.0, 2_500_000.0, 400_000.0))


VARIATIONS = [
    parse_variation("inflation.pay_award:add:-0.01:0.02"),
    parse_variation("running_cost_cut.path.2025/26:set:0.2:0.5"),
    parse_variation("delegation.dentistry.required_wte_per_100k:scale:0.5:2"),
    parse_variation("delegation.dentistry.go_live:set:2023-04:2024-10"),
    parse_variation("real_terms.index:set:cost:gdp_deflator"),
]


def test_format_tornado_is_a_readable_table(three_icbs):
    text = format_tornado(tornado(three_icbs, VARIATIONS[:2], "funding_gap_gbp", "2025/26"),
                                      "funding_gap_gbp", "Tornado")
    lines = text.splitlines()
    assert lines[0] == "Tornado" and lines[1].startswith("base: ") and lines[1].endswith("£m")
    assert "swing (£m)" in lines[3] and lines[5].startswith("1 ")
