"""Loading a scenario (model/scenario/__init__.py): load_scenario, load_text, overlay and check_files,
and the broken-file messages every phase of a load reports (one fixture per error type)."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
import yaml

from model.scenario import ScenarioError, check_files, format_issues, load_scenario, load_text, overlay
from tests.fixtures import INVALID, PROJECT, issues_of


def test_base_loads_with_every_key_and_its_icbs() -> None:
    base = load_scenario("base", PROJECT)
    assert base.name == "base" and base.chain == ((PROJECT / "assumptions.yaml").resolve(),)
    assert base.years == ["2022/23", "2023/24", "2024/25", "2025/26", "2026/27"]
    assert base.value("baseline.pay_share") == 0.75
    assert base.value("inflation.pay_award") == {"2022/23": 0.05, "2023/24": 0.05, "2024/25": 0.055,
                                                 "2025/26": 0.036, "2026/27": 0.036}
    assert base.value("running_cost_cut.envelope") is None
    assert base.value("delegation.dentistry.go_live") == {
        "default": "2023-07", "by_region": {"Midlands": "2024-04"}, "by_icb": {"QCC": None}}
    assert base.value("delegation.pharmacy.go_live.by_region") == {}
    assert isinstance(base.value("workforce.redundancy_months"), float)
    icbs = base.icbs
    assert list(icbs.codes) == ["QAA", "QBB", "QCC"]
    assert icbs.population.dtype == float and icbs.baseline_rca_gbp.dtype == float
    assert math.isnan(icbs.baseline_rca_gbp[0]) and icbs.baseline_rca_gbp[1] == 45_000_000
    assert "note" in icbs.extra


def test_name_and_description_are_never_inherited() -> None:
    deeper = load_scenario("deeper_cut", PROJECT)
    assert (deeper.name, deeper.description) == ("Deeper cut", "A 40% cut by 2025/26.")
    envelope = load_scenario("envelope", PROJECT)
    assert (envelope.name, envelope.description) == ("envelope", "")
    assert "name" not in envelope.tree and "extends" not in envelope.tree


CASES = [
    # file, key path, line (None: YAML gives none), text of the fix
    ("unknown_key.yaml", "inflation.pay_awrd", 4, "Did you mean 'pay_award'?"),
    ("wrong_type.yaml", "delegation.dentistry.in_cut_scope", 5, "expected true or false, got 'sometimes'"),
    ("fraction_out_of_range.yaml", "workforce.turnover_rate", 4, "it must be 0 to 1 (fraction per year)"),
    ("percent_as_30.yaml", "running_cost_cut.path.2025/26", 4, "write 30% as 0.3"),
    ("bad_year_label.yaml", "inflation.pay_award.2025/27", 4, "so write 2025/26"),
    ("bad_month.yaml", "running_cost_cut.envelope.effective", 6, "write it as YYYY-MM, e.g. 2023-07"),
    ("month_as_date.yaml", "delegation.dentistry.go_live.default", 5, "'2023-07-01' is not a month"),
    ("unknown_region.yaml", "delegation.specialised.go_live.by_region.Midland", 7, "Did you mean 'Midlands'?"),
    ("unknown_icb.yaml", "delegation.pharmacy.go_live.by_icb.QBX", 7, "Did you mean 'QBB'?"),
    ("unknown_include.yaml", "icbs.include", 4, "unknown ICB code or region 'QBC'"),
    ("duplicate_key.yaml", "workforce.turnover_rate", 6, "(first at line 4, again at line 6). Keep one"),
    ("missing_extends.yaml", "extends", 2, "no scenario 'deeper_cutt' (looked for scenarios/deeper_cutt.yaml). "
                                           "Did you mean 'deeper_cut'?"),
    ("python_tag.yaml", "description", 3, "'!!python/object/apply:os.system' is not allowed. Remove it"),
    ("alias_bomb.yaml", "f", 3, "more than 100,000 values (through YAML aliases"),
    ("not_utf8.yaml", "", 3, "not UTF-8 text (byte 0xe9 cannot be read). Save it as UTF-8."),
    ("empty.yaml", "", None, "the file is empty"),
    ("nan.yaml", "baseline.pay_share", 4, "must be a finite number, got .nan"),
    ("sourced_without_source.yaml", "baseline.pay_share.status", 4, "no source is given. Add source:"),
    ("wrong_unit.yaml", "baseline.pay_share.unit", 4, "unit 'percent' is not this key's unit 'fraction'"),
    ("base_missing_key.yaml", "baseline.pay_share", None, "Add `pay_share:` under `baseline:`"),
    ("salary_zero.yaml", "baseline.salary_per_wte_gbp", 4, "because the model divides by the cost of a WTE"),
    ("horizon_backwards.yaml", "horizon.end_year", 4, "ends (2021/22) before it starts (2022/23)"),
    ("unknown_status.yaml", "workforce.redundancy_months.status", 4, "Did you mean 'assumption'?"),
    ("cut_before_base.yaml", "running_cost_cut.path", 4, "no year at or after the base year 2022/23"),
    ("exponent_as_text.yaml", "baseline.salary_per_wte_gbp", 4,
     "got '4.5e4'. YAML reads 4.5e4 as text, not a number: write 4.5e+4 (YAML needs a point and a sign in the "
     "exponent) or 45000."),
    ("commas_as_text.yaml", "baseline.salary_per_wte_gbp", 4,
     "got '45,000'. YAML reads 45,000 as text, not a number: write it without commas, 45000."),
    ("boolean_word.yaml", "running_cost_cut.basis", 4,
     "unknown choice 'off' (read as false): YAML reads an unquoted yes, no, on, off, true or false as true or "
     "false (YAML 1.1 booleans). Write one of nominal, real."),
    ("tab_indent.yaml", "", 4, "a tab is used to indent or space out this line; YAML allows only spaces there. "
                               "Replace the tabs with spaces"),
    ("utf16.yaml", "", None, "the file is UTF-16 text; scenario files must be UTF-8. Save it again as UTF-8"),
    ("lower_case_code.yaml", "icbs.include", 4, "unknown ICB code or region 'qaa': it is not in data/icbs.csv. "
                                                "Codes and regions are written exactly as in the table, in "
                                                "capitals where it has them: write QAA."),
    ("year_outside_horizon.yaml", "inflation.pay_award.2150/51", 4,
     "2150/51 is outside the horizon 2022/23 to 2026/27, so no year of the run would use it."),
    ("month_outside_calendar.yaml", "uncertainty.delegation.dentistry.go_live.low", 4,
     "low 0001-01 is outside the years the model accepts (1900 to 2199): a typo?"),
]


@pytest.mark.parametrize("name, path, line, fix", CASES, ids=[case[0] for case in CASES])
def test_broken_file_message(name: str, path: str, line: int | None, fix: str) -> None:
    issues = issues_of(INVALID / name)
    matching = [issue for issue in issues if issue.path == path]
    assert matching, f"no issue at {path!r}: {format_issues(issues)}"
    issue = matching[0]
    assert issue.file.endswith(f"invalid/{name}")
    assert issue.line == line
    assert fix in issue.message
    shown = str(issue)
    assert shown.startswith(issue.file + (f":{line}" if line else ""))
    assert f"{path} | " in shown if path else " | " in shown


def test_every_broken_fixture_has_a_test() -> None:
    tested = {case[0] for case in CASES} | {"cycle_a.yaml", "cycle_b.yaml", "bad_table.yaml",
                                           "bad_uncertainty.yaml", "many_problems.yaml"}
    assert {path.name for path in INVALID.glob("*.yaml")} == tested


def test_issue_in_an_extended_file_names_that_file(project: Path) -> None:
    (project / "scenarios" / "parent.yaml").write_text("extends: base\nworkforce:\n  turnover_rate: 2\n")
    (project / "scenarios" / "child.yaml").write_text("extends: parent\nnonpay: {annual_saving: 0.9}\n")
    issues = issues_of("child", project)
    assert [(i.file, i.line, i.path) for i in issues] == [
        ("scenarios/child.yaml", 2, "nonpay.annual_saving"), ("scenarios/parent.yaml", 3, "workforce.turnover_rate")]


def test_check_files_collects_every_issue_of_a_file() -> None:
    issues = check_files([INVALID / "many_problems.yaml"], PROJECT)
    assert [(i.line, i.path) for i in issues] == [
        (4, "baseline.pay_shar"), (5, "baseline.salary_per_wte_gbp"), (7, "workforce.turnover_rate"),
        (10, "delegation.dentistry.go_live.default")]
    assert "Did you mean 'pay_share'?" in issues[0].message
    assert "write 10% as 0.1" in issues[2].message


def test_check_files_over_several_files_reports_each_issue_once(project: Path) -> None:
    (project / "scenarios" / "parent.yaml").write_text("extends: base\nworkforce:\n  turnover_rate: 2\n")
    for child in ("a", "b"):
        (project / "scenarios" / f"{child}.yaml").write_text("extends: parent\n")
    paths = [project / "scenarios" / f"{name}.yaml" for name in ("a", "b", "deeper_cut")]
    issues = check_files(paths, project)
    assert [(i.file, i.path) for i in issues] == [("scenarios/parent.yaml", "workforce.turnover_rate")]


def test_scenario_error_lists_every_issue_one_per_line() -> None:
    with pytest.raises(ScenarioError) as caught:
        load_scenario(INVALID / "many_problems.yaml", PROJECT)
    assert str(caught.value).splitlines() == [str(issue) for issue in caught.value.issues]
    assert format_issues(caught.value.issues) == str(caught.value)


def test_text_may_extend_by_name() -> None:
    scenario = load_text("extends: envelope\nnonpay: {annual_saving: 0.01}\n", PROJECT, "upload.yaml")
    assert scenario.name == "upload" and scenario.value("nonpay.annual_saving") == 0.01
    assert scenario.value("baseline.programme_pay_per_head_gbp") == load_scenario("envelope", PROJECT).value(
        "baseline.programme_pay_per_head_gbp")


@pytest.mark.parametrize("text, path", [
    ("extends: base\nicbs: {table: /etc/passwd}\n", "icbs.table"),
    ("extends: ../outside.yaml\n", "extends"),
    ("extends: /etc/hosts.yaml\n", "extends"),
])
def test_text_cannot_name_files(text: str, path: str) -> None:
    with pytest.raises(ScenarioError) as caught:
        load_text(text, PROJECT, "up.yaml")
    (issue,) = caught.value.issues
    assert issue.file == "up.yaml" and issue.path == path and "cannot name files" in issue.message


def test_an_overlay_equals_a_file_that_extends_with_the_same_changes(tmp_path: Path) -> None:
    base = load_scenario("envelope", PROJECT)
    changes = {"inflation": {"pay_award": {"2024/25": 0.07}}, "running_cost_cut": {"post_path_uplift": 0.01},
               "workforce": {"turnover_rate": {"value": 0.2, "status": "assumption", "note": "a test"}}}
    laid = overlay(base, changes, "custom", "dashboard")
    (tmp_path / "custom.yaml").write_text(
        yaml.safe_dump({"name": "custom", "extends": str(PROJECT / "scenarios" / "envelope.yaml"), **changes}))
    read = load_scenario(tmp_path / "custom.yaml", PROJECT)
    assert laid.content_hash() == read.content_hash()
    assert laid.get("workforce.turnover_rate").prov.note == "a test"
    assert laid.get("workforce.turnover_rate").prov.file == "dashboard"
    with pytest.raises(ScenarioError, match=r"workforce.turnover_rate"):
        overlay(base, {"workforce": {"turnover_rate": 2}}, "custom", "dashboard")
