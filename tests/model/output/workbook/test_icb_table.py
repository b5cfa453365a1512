"""The go-live rules and the ICB table on the Inputs sheet (model/output/workbook/icb_table.py): the
most specific rule wins, by formula, as it does in the engine."""

from __future__ import annotations

from model.output.workbook import NEVER, a1, month_serial
from tests.workbook_checks import name_cell


def cell(plan, name, offset=0):
    return plan.sheet("Inputs").cells[name_cell(plan, name, offset)]


def test_the_rules_are_inputs_default_then_one_row_per_region(fixture_plan):
    """Fixture base, dentistry: default 2023-07, Midlands 2024-04, QCC never; specialised: default
    2025-04, Midlands 2024-04; pharmacy and optometry: a default only."""
    assert cell(fixture_plan, "golive_default_dentistry").value == month_serial("2023-07")
    assert cell(fixture_plan, "golive_default_specialised").value == month_serial("2025-04")
    assert cell(fixture_plan, "golive_default_dentistry").input
    regions = [cell(fixture_plan, "golive_regions", k).value for k in range(3)]
    assert regions == ["Midlands", "North East and Yorkshire", "South West"]  # rules' regions first, then the table's
    midlands = regions.index("Midlands")
    assert cell(fixture_plan, "golive_region_dentistry", midlands).value == month_serial("2024-04")
    assert cell(fixture_plan, "golive_region_pharmacy", midlands).value is None  # no rule: empty
    first = name_cell(fixture_plan, "golive_regions")
    assert fixture_plan.names["golive_regions"] == f"=Inputs!$B${first[0] + 1}:$B${first[0] + 3}"


def test_the_icb_table_holds_each_icbs_inputs(fixture_plan):
    codes = [cell(fixture_plan, "icb_code", i).value for i in range(3)]
    assert codes == ["QAA", "QBB", "QCC"]
    assert [cell(fixture_plan, "icb_population", i).value for i in range(3)] == [1e6, 2e6, 5e5]
    assert [cell(fixture_plan, "icb_baseline_rca", i).value for i in range(3)] == [None, 45e6, None]
    assert [cell(fixture_plan, "icb_need_index", i).value for i in range(3)] == [1.0, 1.0, 1.0]
    assert cell(fixture_plan, "golive_override_dentistry", 2).value == NEVER  # QCC's own rule
    assert cell(fixture_plan, "golive_override_dentistry", 0).value is None


def test_the_go_live_used_is_a_formula_in_which_the_most_specific_rule_wins(fixture_plan):
    used = [cell(fixture_plan, "golive_dentistry", i) for i in range(3)]
    assert [c.value for c in used] == [month_serial("2023-07"), month_serial("2024-04"), NEVER]
    own, region = (a1(*name_cell(fixture_plan, name)) for name in ("golive_override_dentistry", "icb_region"))
    lookup = f"INDEX(golive_region_dentistry,MATCH({region},golive_regions,0))"
    assert used[0].formula == f'=IF({own}<>"",{own},IF({lookup}<>"",{lookup},golive_default_dentistry))'
    assert [cell(fixture_plan, "golive_specialised", i).value for i in range(3)] == [
        month_serial("2025-04"), month_serial("2024-04"), month_serial("2025-04")]


def test_where_the_rules_come_from_is_listed(fixture_plan):
    inputs = fixture_plan.sheet("Inputs")
    paths = {c.value for (_, col), c in inputs.cells.items() if col == 1}
    assert {"delegation.dentistry.go_live.default", "delegation.dentistry.go_live.by_region.Midlands",
            "delegation.dentistry.go_live.by_icb.QCC"} <= paths


def test_with_organisation_changes_the_icb_table_keeps_the_base_years_icbs(base_scenario):
    """The go-live used is then per piece (model/output/workbook/pieces_table.py)."""
    from model.output.workbook import plan_workbook, spec_from_scenario

    plan = plan_workbook(spec_from_scenario(base_scenario, ["S0E4D"]))
    codes = [cell(plan, "icb_code", i).value for i in range(5)]
    assert codes == ["QU9", "QNQ", "QRL", "QXU", "QNX"]
    assert cell(plan, "icb_need_index", 0).input and cell(plan, "icb_need_index", 0).value > 0
