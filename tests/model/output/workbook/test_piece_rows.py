"""A piece's rows, part 1 (model/output/workbook/piece_rows.py), and the whole plan's figures for
the worked example: SPEC section 9 row by row, and a piece of an ICB that a change split."""

from __future__ import annotations

import pytest

from tests.workbook_checks import tagged


def test_worked_example_figures_are_spec_section_9(example_plan):
    cells = tagged(example_plan)
    table = {  # SPEC section 9, years 2023/24 to 2025/26 (t = 1..3)
        "core_allowance_gbp": (20_000_000, 16_000_000, 14_000_000),
        "delegated_allowance_gbp": (432_000, 460_800, 403_200),
        "loaded_cost_per_wte_gbp": (52_500, 55_125, 57_881.25),
        "nonpay_cost_gbp": (5_157_375, 5_280_030, 5_385_630.60),
        "affordable_wte": (290.95, 202.83, 155.79),
        "required_wte": (311.25, 315.00, 315.00),
        "funding_gap_gbp": (-1_066_000, -6_183_605, -9_215_024.35),
        "employed_wte": (290.95, 202.83, 155.79),
        "redundancies_wte": (0, 61.52, 26.75),
        "redundancy_cost_gbp": (0, 2_713_250.50, 1_238_606.60),
        "core_real_change_vs_base": (-0.0408, -0.2640, -0.3825),
    }
    for key, want in table.items():
        for y, value in enumerate(want, start=1):
            got = cells[(key, "TST", y)].value
            places = 4 if key.endswith("vs_base") else 2
            assert round(got, places) == pytest.approx(value, abs=10 ** -places), (key, y)


def test_a_piece_of_a_split_icb_has_its_share_of_the_population(base_scenario):
    """NHS Frimley's piece that went to Thames Valley holds 0.58787 of Frimley's population."""
    from model.output.workbook import plan_workbook, spec_from_scenario

    spec = spec_from_scenario(base_scenario, ["S0E4D"])
    frimley = next(icb for icb in spec.structure.icbs if icb.code == "QNQ")
    population = tagged(plan_workbook(spec))[("population", "piece:QNQ>S0E4D", 0)]
    assert population.value == pytest.approx(0.58787 * frimley.population, rel=1e-12)
