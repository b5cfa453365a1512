"""Checks only the whole, merged scenario shows (model/scenario/checks.py): the horizon, the cut path,
go-live rules naming regions and codes of the table, and which ICBs the run includes."""

from __future__ import annotations

import pytest

from model.scenario import MAX_HORIZON_YEARS, ScenarioError, load_text
from tests.fixtures import PROJECT


def issues_in(text: str):
    with pytest.raises(ScenarioError) as caught:
        load_text(text, PROJECT, "s.yaml")
    return caught.value.issues


def test_the_horizon_runs_forwards_and_at_most_sixty_years():
    assert MAX_HORIZON_YEARS == 60
    sixty = load_text("extends: base\nhorizon: {end_year: 2081/82}\n", PROJECT, "s.yaml")
    assert len(sixty.years) == 60 and sixty.years[-1] == "2081/82"
    (issue,) = issues_in("extends: base\nhorizon: {end_year: 2082/83}\n")
    assert (issue.file, issue.line, issue.path) == ("s.yaml", 2, "horizon.end_year")
    assert issue.message == "the horizon is 61 years long, more than 60. Bring end_year closer to base_year."
    (issue,) = issues_in("extends: base\nhorizon: {base_year: 2026/27, end_year: 2025/26}\n")
    assert issue.message.startswith("the horizon ends (2025/26) before it starts (2026/27)")


def test_a_cut_path_given_as_one_number_lists_no_year():
    (issue,) = issues_in("extends: base\nrunning_cost_cut:\n  path: 0.3\n")
    assert (issue.line, issue.path) == (3, "running_cost_cut.path")
    assert "lists no year at or after the base year 2022/23" in issue.message
    assert "{2024/25: 0.2, 2025/26: 0.3}" in issue.message


def test_include_selects_codes_and_regions_in_table_order():
    """The table is QAA (North East and Yorkshire), QBB (Midlands), QCC (South West)."""
    chosen = load_text("extends: base\nicbs: {include: [QCC, Midlands]}\n", PROJECT, "s.yaml")
    assert chosen.icbs.codes == ("QBB", "QCC")
    assert list(chosen.icbs.population) == [2e6, 5e5]
    assert chosen.value("icbs.include") == ["QCC", "Midlands"]
    alone = load_text("extends: base\nicbs: {include: [South West]}\n", PROJECT, "s.yaml")
    assert alone.icbs.codes == ("QCC",)


def test_every_unknown_name_is_reported_with_the_table_it_is_not_in():
    issues = issues_in("extends: base\nicbs: {include: [QCX, Midland, QAA]}\n")
    assert [(i.path, i.line) for i in issues] == [("icbs.include", 2), ("icbs.include", 2)]
    assert issues[0].message == "unknown ICB code or region 'QCX': it is not in data/icbs.csv. Did you mean 'QCC'?"
    assert "'Midland'" in issues[1].message and "Did you mean 'Midlands'?" in issues[1].message


def test_go_live_rules_must_name_regions_and_codes_of_the_table():
    issues = issues_in("extends: base\ndelegation:\n  pharmacy:\n    go_live:\n      by_region: {South East: 2024-04}\n"
                       "      by_icb: {QDD: null}\n")
    assert [(i.path, i.line) for i in issues] == [
        ("delegation.pharmacy.go_live.by_region.South East", 5), ("delegation.pharmacy.go_live.by_icb.QDD", 6)]
    assert issues[0].message.startswith("unknown region 'South East': it is not in data/icbs.csv.")
    assert issues[1].message.startswith("unknown ICB code 'QDD': it is not in data/icbs.csv.")


def test_more_icb_years_than_supported_are_refused_up_front(project):
    """1,000 ICBs over 60 years ran for minutes: a scenario may run at most MAX_ICB_YEARS ICB-years,
    whatever mix of table rows and horizon makes them; at the limit it loads."""
    from model.scenario import MAX_ICB_YEARS, load_scenario

    rows = "".join(f"Q{n:03d},NHS Test {n},Midlands,100000,,\n" for n in range(999)) + "QCC,NHS C,Midlands,1000,,\n"
    (project / "data" / "big.csv").write_text("code,name,region,population,baseline_rca_gbp,note\n" + rows)
    for icbs, years, ok in ((200, 60, True), (201, 60, False), (1000, 12, True), (1000, 13, False), (1000, 60, False)):
        assert (icbs * years <= MAX_ICB_YEARS) == ok
        include = "all" if icbs == 1000 else "[" + ", ".join(f"Q{n:03d}" for n in range(icbs)) + "]"
        (project / "scenarios" / "big.yaml").write_text(
            f"extends: base\nhorizon: {{base_year: 2022/23, end_year: {2021 + years}/{(22 + years) % 100:02d}}}\n"
            f"icbs:\n  table: ../data/big.csv\n  include: {include}\n")
        if ok:
            assert len(load_scenario("big", project).icbs.codes) == icbs
            continue
        with pytest.raises(ScenarioError) as caught:
            load_scenario("big", project)
        (issue,) = caught.value.issues
        assert (issue.file, issue.line, issue.path) == ("scenarios/big.yaml", 2, "horizon.end_year")
        assert issue.message == (f"this scenario runs {icbs:,} ICBs over {years} years ({icbs * years:,} ICB-years), "
                                 f"more than the {MAX_ICB_YEARS:,} supported (the time grows with their number). "
                                 "Include fewer ICBs (icbs.include) or shorten the horizon.")


@pytest.mark.parametrize("year", ["1899/00", "1900/01", "2021/22", "2027/28", "2150/51"])
@pytest.mark.parametrize("key", ["inflation.pay_award", "running_cost_cut.path", "inflation.oncost_rate"])
def test_a_series_year_outside_the_horizon_of_the_file_that_writes_it_is_refused(key, year):
    """The fixture's horizon is 2022/23 to 2026/27: a year a file lists outside it is refused, at its
    line, in that file; a scenario that shortens the horizon keeps the years it inherits."""
    section, name = key.split(".")
    (issue,) = issues_in(f"extends: base\n{section}:\n  {name}: {{2024/25: 0.1, {year}: 0.2}}\n")
    assert (issue.file, issue.line, issue.path) == ("s.yaml", 3, f"{key}.{year}")
    assert issue.message == (f"{year} is outside the horizon 2022/23 to 2026/27, so no year of the run would use "
                             "it. Write a year from 2022/23 to 2026/27, or change horizon first.")
    shorter = load_text("extends: base\nhorizon: {end_year: 2025/26}\n", PROJECT, "s.yaml")
    assert shorter.years[-1] == "2025/26"
    longer = load_text(f"extends: base\nhorizon: {{end_year: 2030/31}}\n{section}:\n  {name}: {{2028/29: 0.2}}\n",
                       PROJECT, "s.yaml")
    assert longer.years[-1] == "2030/31"


def test_the_dashboard_overlay_gets_the_same_year_check():
    from model.scenario import overlay

    base = load_text("extends: base\n", PROJECT, "s.yaml")
    with pytest.raises(ScenarioError, match=r"inflation.pay_award.2150/51 \| 2150/51 is outside the horizon"):
        overlay(base, {"inflation": {"pay_award": {"2150/51": 0.02}}}, "custom", "the dashboard")
