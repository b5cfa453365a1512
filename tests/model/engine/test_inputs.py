"""The engine's inputs (model/engine/inputs.py): the arrays a run needs, from the schema."""

from __future__ import annotations

import math

import numpy as np
import pytest

from model.engine.inputs import INPUT_KEYS, SHAPES, as_number, from_scenario, go_live_months, input_key, month_or_nan
from model.periods import parse_month
from model.scenario import load_scenario
from model.schema import parameter_paths
from tests.builders import worked_example
from tests.fixtures import PROJECT


def test_engine_inputs_follow_from_the_schema() -> None:
    from model.engine.inputs import INPUT_KEYS

    shapes = {key.path: key.shape for key in INPUT_KEYS}
    assert shapes["inflation.pay_award"] == "series"
    assert shapes["running_cost_cut.basis"] == "word"
    assert shapes["delegation.dentistry.in_cut_scope"] == "flag"
    assert shapes["delegation.dentistry.go_live"] == "go_live"
    assert shapes["running_cost_cut.envelope.effective"] == "month"
    assert set(parameter_paths()) <= set(shapes)


@pytest.fixture(scope="module")
def base():
    return load_scenario("base", PROJECT)


def test_from_scenario_gives_each_array_the_shape_of_its_kind(base) -> None:
    """The fixture base: 5 years, 3 ICBs, one sample."""
    inputs = from_scenario(base)
    expected = {"number": (1,), "word": (1,), "flag": (1,), "month": (1,), "series": (1, 5), "go_live": (1, 3)}
    assert set(expected) == set(SHAPES)
    assert set(inputs.values) == {key.path for key in INPUT_KEYS}
    for key in INPUT_KEYS:
        assert inputs.values[key.path].shape == expected[key.shape], key.path
        assert inputs.values[key.path].dtype == np.float64, key.path
    assert inputs.labels == ("2022/23", "2023/24", "2024/25", "2025/26", "2026/27") and inputs.base_year == 2022
    assert inputs.codes == ("QAA", "QBB", "QCC") and inputs.samples == 1
    np.testing.assert_array_equal(inputs.population, [1e6, 2e6, 5e5])
    assert math.isnan(inputs.rca_given_gbp[0]) and inputs.rca_given_gbp[1] == 45e6


def test_from_scenario_reads_each_kind_as_the_engine_holds_it(base) -> None:
    values = from_scenario(base).values
    # 2022/23 is before the first listed year: it takes the first listed value
    np.testing.assert_allclose(values["inflation.pay_award"], [[0.05, 0.05, 0.055, 0.036, 0.036]])
    np.testing.assert_allclose(values["inflation.oncost_rate"], [[0.25] * 5])  # a bare number, every year
    np.testing.assert_allclose(values["running_cost_cut.path"], [[0.0, 0.0, 0.2, 0.3, 0.3]])
    assert values["running_cost_cut.basis"][0] == 0.0  # nominal: the first of the choices
    assert values["delegation.specialised.in_cut_scope"][0] == 0.0
    assert values["workforce.redundancy_months"][0] == 12.0
    # no envelope: its numbers 0 and its month never
    assert values["running_cost_cut.envelope.per_head_gbp"][0] == 0.0
    assert math.isnan(values["running_cost_cut.envelope.effective"][0])


def test_the_cut_path_last_listed_year_sets_cut_last(base) -> None:
    assert from_scenario(base).cut_last == 3  # 2025/26 is three years after 2022/23


def test_go_live_rules_by_icb_over_region_over_default(base) -> None:
    """Dentistry: default 2023-07, Midlands 2024-04, QCC never. QAA (North East and Yorkshire)
    takes the default, QBB (Midlands) its region's, QCC its own."""
    months = from_scenario(base).values["delegation.dentistry.go_live"][0]
    assert months[0] == parse_month("2023-07") and months[1] == parse_month("2024-04") and math.isnan(months[2])
    specialised = from_scenario(base).values["delegation.specialised.go_live"][0]
    np.testing.assert_array_equal(specialised, [parse_month("2025-04"), parse_month("2024-04"), parse_month("2025-04")])


def test_go_live_months_precedence() -> None:
    rules = {"default": "2023-07", "by_region": {"Midlands": "2024-04", "London": None},
             "by_icb": {"QBB": "2025-01", "QDD": None}}
    codes = [("QAA",), ("QBB",), ("QCC",), ("QDD",), ("QEE",)]
    regions = ("North West", "Midlands", "Midlands", "Midlands", "London")
    months = go_live_months(rules, codes, regions)
    expected = [parse_month("2023-07"), parse_month("2025-01"), parse_month("2024-04"), np.nan, np.nan]
    np.testing.assert_array_equal(months, expected)
    assert np.isnan(go_live_months({"default": None}, [("QAA",)], ("London",))).all()
    np.testing.assert_array_equal(go_live_months({"default": "2024-04", "by_region": None, "by_icb": None},
                                                 [("QAA",)], ("London",)), [parse_month("2024-04")])


def test_go_live_follows_the_organisation_a_piece_belongs_to_when_it_goes_live() -> None:
    """A function goes live for an organisation and stays live. QAA's piece goes live in 2023-07
    as QAA; QDD (never) merges into NEW in April 2025, whose rule is 2024-04: it goes live the day
    NEW forms; QBB's rule (2026-01) is after it joins NEW (2025-04), so NEW's rule counts from then;
    a piece of QEE that joins QDD (never) keeps its own 2023-07."""
    rules = {"default": "2023-07", "by_icb": {"QBB": "2026-01", "QDD": None, "NEW": "2024-04"}}
    lineages = [("QAA", "QAA"), ("QDD", "NEW"), ("QBB", "NEW"), ("QEE", "QDD")]
    starts = (0, parse_month("2025-04"))
    months = go_live_months(rules, lineages, ("Midlands",) * 4, starts)
    expected = [parse_month("2023-07"), parse_month("2025-04"), parse_month("2025-04"), parse_month("2023-07")]
    np.testing.assert_array_equal(months, expected)


def test_values_as_numbers() -> None:
    basis, scope, effective, share = (input_key(p) for p in ("running_cost_cut.basis",
                                                             "delegation.dentistry.in_cut_scope",
                                                             "running_cost_cut.envelope.effective",
                                                             "baseline.pay_share"))
    assert as_number(basis, "real") == 1.0 and as_number(basis, "nominal") == 0.0
    assert as_number(scope, True) == 1.0 and as_number(scope, False) == 0.0
    assert as_number(effective, "2025-10") == parse_month("2025-10")
    assert math.isnan(as_number(effective, None))
    assert as_number(share, 0.75) == 0.75
    with pytest.raises(TypeError, match=r"baseline\.pay_share: expected a number, got 'lots'"):
        as_number(share, "lots")
    assert math.isnan(month_or_nan(None)) and month_or_nan("2023-07") == parse_month("2023-07")
    assert input_key("inflation.pay_awrd") is None
    assert effective.in_envelope and not share.in_envelope


def test_with_values_and_select_icbs_copy_without_changing_the_original() -> None:
    inputs = worked_example(populations=(1e6, 2e6, 3e6), **{
        "delegation.dentistry.go_live": [1.0, 2.0, float("nan")]})
    wider = inputs.with_values({"baseline.pay_share": np.array([0.5, 0.6])})
    assert wider.samples == 2 and inputs.samples == 1
    assert inputs.values["baseline.pay_share"][0] == 0.75
    chosen = inputs.select_icbs(["T02", "T00"])
    assert chosen.codes == ("T02", "T00") and chosen.names == ("Test ICB 2", "Test ICB 0")
    np.testing.assert_array_equal(chosen.population, [3e6, 1e6])
    np.testing.assert_array_equal(chosen.values["delegation.dentistry.go_live"], [[np.nan, 1.0]])
    assert chosen.values["inflation.pay_award"] is inputs.values["inflation.pay_award"]  # national: shared
    assert inputs.codes == ("T00", "T01", "T02")
