"""What a workbook is built from (model/output/workbook/spec.py)."""

from __future__ import annotations

import pytest

from model.errors import InputError
from model.output.workbook import plan_workbook, spec_from_scenario


def test_icb_selection_and_unknown_codes(base_scenario):
    plan = plan_workbook(spec_from_scenario(base_scenario, ["QUE", "QE1"], "2022"))
    assert list(plan.icb_sheets)[:2] == ["QUE", "QE1"]
    england = plan.sheet("England")
    assert any("'QUE'!" in c.formula and "'QE1'!" in c.formula for c in england.formulas().values() if c.engine)
    with pytest.raises(InputError, match=r"ZZZ is not an organisation of the 2026 footprint; choose from QHM, "):
        spec_from_scenario(base_scenario, ["ZZZ"])
    with pytest.raises(InputError, match=r"QUE is on the 2022 footprint: give --footprint"):
        spec_from_scenario(base_scenario, ["QUE"])
    with pytest.raises(InputError, match="there is no 2030 footprint in this run; choose 2022 or 2026"):
        spec_from_scenario(base_scenario, footprint="2030")


def test_a_selection_brings_the_organisations_its_history_is_tied_to(base_scenario):
    """Thames Valley holds a piece of Frimley, whose staff pool before 2026 holds the pieces that
    went to Surrey and Sussex and to Hampshire and Isle of Wight: their sheets come too, and the
    run covers exactly the ICBs involved."""
    spec = spec_from_scenario(base_scenario, ["S0E4D"])
    assert spec.structure.units == ("S0E4D", "S9B9J", "QRL")
    assert [icb.code for icb in spec.structure.icbs] == ["QU9", "QNQ", "QRL", "QXU", "QNX"]
    assert spec.structure.footprint == "2026"
    alone = spec_from_scenario(base_scenario, ["QE1"])
    assert alone.structure.units == ("QE1",) and alone.inputs.codes == ("QE1",)


def test_go_live_rules_most_specific_first():
    from model.output.workbook import GoLiveRules

    rules = GoLiveRules(default="2023-07", by_region={"Midlands": "2024-04", "London": None}, by_icb={"QBB": "2025-01"})
    assert rules.month_for("QAA", "North West") == "2023-07"
    assert rules.month_for("QCC", "Midlands") == "2024-04"
    assert rules.month_for("QBB", "Midlands") == "2025-01"
    assert rules.month_for("QDD", "London") is None


def test_a_spec_from_arrays_gives_each_icb_its_own_go_live():
    import numpy as np

    from model.output.workbook import spec_from_inputs
    from tests.builders import worked_example

    inputs = worked_example(populations=(1e6, 2e6), **{"delegation.dentistry.go_live": [24282.0, float("nan")]})
    spec = spec_from_inputs(inputs, name="demo")
    assert spec.go_live["dentistry"].by_icb == {"T00": "2023-07"} and spec.go_live["dentistry"].default is None
    assert spec.go_live["pharmacy"].by_icb == {}
    assert spec.name == "demo" and spec.icb_note == "ICB table built in code (no scenario file)."
    with pytest.raises(ValueError, match="several samples"):
        spec_from_inputs(inputs.with_values({"baseline.pay_share": np.array([0.7, 0.8])}))


def test_a_spec_from_a_scenario_keeps_where_each_value_was_set():
    from model.output.workbook import Source
    from model.scenario import load_scenario
    from tests.fixtures import PROJECT, line_of

    spec = spec_from_scenario(load_scenario("deeper_cut", PROJECT))
    file = PROJECT / "assumptions.yaml"
    assert spec.sources["baseline.rca_per_head_gbp"] == Source(
        "sourced", "https://example.org/rca", "", f"assumptions.yaml:{line_of(file, 'rca_per_head_gbp:')}",
        "gbp per head")
    # a series: each year its own provenance, and one merged row naming every file and line
    assert spec.sources["running_cost_cut.path.2025/26"].set_in == "scenarios/deeper_cut.yaml:6"
    assert spec.sources["running_cost_cut.path"].set_in == "assumptions.yaml:20 | scenarios/deeper_cut.yaml:6"
    assert spec.sources["running_cost_cut.path"].source == "https://example.org/letter | https://example.org/deeper"
    other = {setting.path: setting.value for setting in spec.other}
    assert other["name"] == "Deeper cut" and other["horizon.end_year"] == "2026/27"
    assert spec.icb_note.startswith("ICB table from data/icbs.csv (set in assumptions.yaml:")
    assert Source("sourced", "x", "n", "a.yaml:1").text() == "[sourced]\nx\nn\nset in a.yaml:1"
