"""The shipped assumptions and scenarios: sourced, valid, and calibrated as their notes claim."""

from __future__ import annotations

from pathlib import Path

import pytest

from model.output.listing import assumption_rows
from model.output.results import scenario_results
from model.provenance import STATUSES
from model.scenario import check_files, load_scenario

ROOT = Path(__file__).resolve().parents[2]
SCENARIOS = sorted((ROOT / "scenarios").glob("*.yaml"))
PUBLISHED_RCA_2024_25_GBP = 908.76e6  # HSJ, Nov 2023: all 42 ICBs' 2024/25 RCA


@pytest.fixture(scope="module")
def base():
    return load_scenario("base", ROOT)


@pytest.fixture(scope="module")
def base_england(base):
    results = scenario_results(base)
    return results[results.icb_code == "ENG"].set_index("year")


def test_every_default_has_a_source_or_a_reasoned_status(base):
    """PolicyEngine's rule: a value in assumptions.yaml is sourced, or says how or why."""
    problems = []
    for row in assumption_rows(base):
        distribution = row.path.startswith("uncertainty.")
        number = isinstance(row.value, (int, float)) and not isinstance(row.value, bool)
        if not (number or distribution):
            continue
        if row.status not in STATUSES:
            problems.append(f"{row.path}: no status")
        elif row.status == "sourced" and not row.source:
            problems.append(f"{row.path}: sourced but no source")
        elif row.status != "sourced" and not row.note:
            problems.append(f"{row.path}: {row.status} without a note saying how or why")
        if number and not row.unit:
            problems.append(f"{row.path}: no unit")
    assert problems == []


def test_shipped_files_are_valid():
    assert check_files([ROOT / "assumptions.yaml", *SCENARIOS], ROOT) == []


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_each_scenario_names_itself_and_says_what_it_asks(path):
    scenario = load_scenario(path, ROOT)
    assert scenario.name == path.stem
    assert len(scenario.description) > 40
    assert scenario.chain[0] == (ROOT / "assumptions.yaml").resolve()


def test_issue_scenarios_are_shipped():
    assert {"real_terms_30", "envelope_2025", "spec_comm_2024", "pod_capacity_gap", "high_pay", "instruction_2023",
            "merger_2027"} <= {p.stem for p in SCENARIOS}


@pytest.fixture(scope="module")
def instruction_england():
    results = scenario_results(load_scenario("instruction_2023", ROOT))
    return results[results.icb_code == "ENG"].set_index("year")


def test_base_reproduces_englands_published_totals(base_england):
    """NHS England's published RCA for the 42 ICBs: £1,108.76m, £908.76m, £873.99m (ENIC-revised)."""
    for year, total in (("2023/24", 1_108_760_000.0), ("2024/25", PUBLISHED_RCA_2024_25_GBP),
                        ("2025/26", 873_991_617.84)):
        assert base_england.loc[year, "allowance_gbp"] == pytest.approx(total, abs=0.01)
        assert base_england.loc[year, "allowance_basis"] == "published"


def test_rules_alone_are_calibrated_to_the_published_2023_24_total(instruction_england, base_england):
    """rca_per_head_gbp's note: the rules alone give England's 2023/24 allowance and start from
    the same 2022/23 total the base back-casts (both to the rounding of £17.06)."""
    assert instruction_england.loc["2023/24", "allowance_gbp"] == pytest.approx(1_108_760_000.0, rel=1e-4)
    assert instruction_england.loc["2022/23", "allowance_gbp"] == pytest.approx(
        base_england.loc["2022/23", "allowance_gbp"], rel=1e-4)
    assert set(instruction_england["allowance_basis"]) == {"projected"}


def test_thirty_percent_cash_cut_is_nearer_forty_in_real_terms(instruction_england):
    """The sources' 'nearer 40%': the instruction's 2025/26 core real-terms change is -35% to -45%."""
    change = instruction_england.loc["2025/26", "core_real_change_vs_base"]
    assert -0.45 < change < -0.35
    assert instruction_england.loc["2025/26", "core_allowance_gbp"] == pytest.approx(
        0.7 * instruction_england.loc["2022/23", "core_allowance_gbp"]
    )


def test_all_42_icbs_and_population_growth_from_the_table(base):
    table = base.icbs
    assert len(table) == 42 and len(set(table.codes)) == 42
    totals = {year: sum(float(v) for v in table.extra[f"population_{year}"]) for year in (2023, 2025)}
    growth = (totals[2025] / totals[2023]) ** 0.5 - 1
    assert base.value("population.growth_rate") == pytest.approx(growth, abs=5e-7)
