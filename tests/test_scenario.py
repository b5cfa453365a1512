"""Scenarios (model.scenario): loading, extends chains, merging, validation and error messages."""

from __future__ import annotations

import math
import shutil
from functools import reduce
from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from model.provenance import DEFAULT_FILE, Param, Provenance, Series
from model.scenario import (
    Issue,
    ScenarioError,
    check_files,
    format_issues,
    load_scenario,
    load_text,
    merge_trees,
    overlay,
)

FIXTURES = Path(__file__).parent / "fixtures"
PROJECT = FIXTURES / "project"
INVALID = FIXTURES / "invalid"


def line_of(path: Path, text: str) -> int:
    """The 1-based line of the first line of ``path`` containing ``text``."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(number for number, line in enumerate(lines, 1) if text in line)


def issues_of(ref: str | Path, root: Path = PROJECT, **options) -> list[Issue]:
    """The issues that loading ``ref`` raises (failing the test if it loads)."""
    with pytest.raises(ScenarioError) as caught:
        load_scenario(ref, root, **options)
    return caught.value.issues


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A writable copy of the fixture project."""
    root = tmp_path / "project"
    shutil.copytree(PROJECT, root)
    return root


# ---------------------------------------------------------------------------------------------
# The fixture project loads, with provenance


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


def test_provenance_forms_are_kept_with_their_lines() -> None:
    base = load_scenario("base", PROJECT)
    file = PROJECT / "assumptions.yaml"
    growth = base.get("population.growth_rate").prov
    assert growth == Provenance("assumptions.yaml", line_of(file, "growth_rate:"), None, "assumption",
                                "round number for tests", "fraction per year")
    rca = base.get("baseline.rca_per_head_gbp").prov
    assert (rca.source, rca.status) == ("https://example.org/rca", "sourced")
    cut = base.get("running_cost_cut.path")
    assert isinstance(cut, Series) and cut.last_listed() == "2025/26"
    assert {p.prov.source for p in cut.points.values()} == {"https://example.org/letter"}
    deflator = base.get("inflation.gdp_deflator")
    assert deflator.points["2023/24"].prov.source is None
    assert deflator.points["2024/25"].prov.source == "https://example.org/obr"
    share = base.get("baseline.pay_share")
    assert share.prov.describe() == f"set in assumptions.yaml:{line_of(file, 'pay_share:')}"
    assert rca.describe() == f"https://example.org/rca; (sourced); set in assumptions.yaml:{rca.line}"


def test_a_bare_number_where_a_series_is_expected_is_a_series() -> None:
    oncost = load_scenario("base", PROJECT).get("inflation.oncost_rate")
    assert oncost.points == {} and oncost.before.value == 0.25 and oncost.before.prov.status == "assumption"
    assert oncost.last_listed() is None


def test_chain_of_three_extends() -> None:
    scenario = load_scenario("midlands_late", PROJECT)
    names = [path.name for path in scenario.chain]
    assert names == ["assumptions.yaml", "deeper_cut.yaml", "envelope.yaml", "midlands_late.yaml"]
    assert scenario.name == "Midlands, late specialised"
    assert list(scenario.icbs.codes) == ["QAA", "QBB"]
    assert scenario.value("icbs.include") == ["Midlands", "QAA"]


def test_name_and_description_are_never_inherited() -> None:
    deeper = load_scenario("deeper_cut", PROJECT)
    assert (deeper.name, deeper.description) == ("Deeper cut", "A 40% cut by 2025/26.")
    envelope = load_scenario("envelope", PROJECT)
    assert (envelope.name, envelope.description) == ("envelope", "")
    assert "name" not in envelope.tree and "extends" not in envelope.tree


def test_series_merge_year_by_year_with_the_childs_provenance() -> None:
    deeper = load_scenario("deeper_cut", PROJECT)
    cut = deeper.get("running_cost_cut.path")
    assert deeper.value("running_cost_cut.path")["2025/26"] == 0.4
    assert cut.points["2024/25"].prov.file == "assumptions.yaml"
    assert cut.points["2025/26"].prov.file == "scenarios/deeper_cut.yaml"
    assert cut.points["2025/26"].prov.source == "https://example.org/deeper"
    pay = deeper.get("inflation.pay_award.2025/26")
    assert pay.value == 0.04 and pay.prov.describe() == "set in scenarios/deeper_cut.yaml:8"
    assert deeper.value("inflation.pay_award")["2024/25"] == 0.055
    oncost = deeper.get("inflation.oncost_rate")
    assert oncost.before.value == 0.25 and oncost.before.prov.file == "assumptions.yaml"
    assert deeper.value("inflation.oncost_rate") == {"2022/23": 0.25, "2023/24": 0.25, "2024/25": 0.25,
                                                     "2025/26": 0.278, "2026/27": 0.278}


def test_bare_number_replaces_a_series_and_null_removes_the_envelope() -> None:
    late = load_scenario("midlands_late", PROJECT)
    deflator = late.get("inflation.gdp_deflator")
    assert deflator.points == {} and deflator.before.value == 0.02
    assert deflator.before.prov.file == "scenarios/midlands_late.yaml"
    assert load_scenario("envelope", PROJECT).value("running_cost_cut.envelope") == {
        "per_head_gbp": 18.76, "effective": "2025-10", "uplift": 0.0, "population_basis": "registered"}
    envelope = late.get("running_cost_cut.envelope")
    assert envelope.value is None and envelope.prov.file == "scenarios/midlands_late.yaml"


def test_uncertainty_entries_are_replaced_whole_and_null_removes_them() -> None:
    envelope = load_scenario("envelope", PROJECT)
    assert set(envelope.value("uncertainty")) == {"inflation.pay_award", "running_cost_cut.path.2025/26",
                                                  "running_cost_cut.envelope.per_head_gbp"}
    late = load_scenario("midlands_late", PROJECT)
    entries = late.value("uncertainty")
    assert set(entries) == {"inflation.pay_award", "running_cost_cut.path.2025/26"}
    assert entries["inflation.pay_award"] == {"distribution": "lognormal", "mode": "scale", "median": 1.0,
                                              "sigma": 0.1, "low": 0.8, "high": 1.3}
    assert late.get("uncertainty.inflation.pay_award.low").value == 0.8


def test_get_one_year_of_a_series_and_unknown_paths() -> None:
    base = load_scenario("base", PROJECT)
    later = base.get("running_cost_cut.path.2026/27")
    assert later.value == 0.3 and later is base.get("running_cost_cut.path").points["2025/26"]
    with pytest.raises(KeyError, match="Did you mean 'pay_award'"):
        base.get("inflation.pay_awrd")
    with pytest.raises(KeyError, match="not a financial year"):
        base.get("inflation.pay_award.2025")


def test_defaults_fill_optional_keys(project: Path) -> None:
    (project / "scenarios" / "no_real_terms.yaml").write_text("extends: base\nreal_terms: null\n")
    scenario = load_scenario("no_real_terms", project)
    index = scenario.get("real_terms.index")
    assert index.value == "cost" and index.prov.file == DEFAULT_FILE
    assert index.prov.describe().endswith("model default")


# ---------------------------------------------------------------------------------------------
# Content hash


def test_content_hash_is_stable_and_depends_on_values_only(tmp_path: Path) -> None:
    base = load_scenario("base", PROJECT)
    assert base.content_hash() == load_scenario("base", PROJECT).content_hash()
    assert base.content_hash() != load_scenario("deeper_cut", PROJECT).content_hash()
    bare, with_provenance = tmp_path / "a.yaml", tmp_path / "b.yaml"
    bare.write_text(f"name: A\nextends: {PROJECT.resolve() / 'assumptions.yaml'}\nbaseline: {{pay_share: 0.7}}\n")
    with_provenance.write_text(f"name: B\ndescription: other words\nextends: {PROJECT.resolve() / 'assumptions.yaml'}\n"
                               "baseline:\n  pay_share: {value: 0.7, source: 'x', status: sourced}\n")
    assert load_scenario(bare, PROJECT).content_hash() == load_scenario(with_provenance, PROJECT).content_hash()
    assert load_scenario(bare, PROJECT).content_hash() != base.content_hash()


def test_content_hash_covers_the_icb_table(project: Path) -> None:
    before = load_scenario("base", project).content_hash()
    table = project / "data" / "icbs.csv"
    table.write_text(table.read_text().replace("500000", "500001"))
    assert load_scenario("base", project).content_hash() != before


# ---------------------------------------------------------------------------------------------
# One broken file per error type: the message names the file, the key path, the line and the fix


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


def test_extends_cycle_names_the_chain() -> None:
    (issue,) = issues_of(INVALID / "cycle_a.yaml")
    assert issue.file.endswith("invalid/cycle_b.yaml") and issue.path == "extends" and issue.line == 2
    assert "goes round in a circle" in issue.message
    assert issue.message.count("cycle_a.yaml") == 2 and "cycle_b.yaml" in issue.message
    assert "Remove the extends" in issue.message


def test_bad_icb_table_names_the_csv_and_its_lines() -> None:
    issues = issues_of(INVALID / "bad_table.yaml")
    assert [(Path(i.file).name, i.line, i.path) for i in issues] == [
        ("bad_icbs.csv", 3, "code"), ("bad_icbs.csv", 4, "population")]
    assert "duplicate code 'QAA' (first on line 2)" in issues[0].message
    assert "more than 0, because per-head figures divide by it" in issues[1].message


def test_bad_uncertainty_entries_are_all_reported() -> None:
    issues = {issue.path: issue.message for issue in issues_of(INVALID / "bad_uncertainty.yaml")}
    assert "Did you mean 'inflation.pay_award'?" in issues["uncertainty.inflation.pay_awrd"]
    assert "Did you mean 'triangular'?" in issues["uncertainty.baseline.pay_share.distribution"]
    assert "low (0.2) must be less than high (0.1)" in issues["uncertainty.workforce.turnover_rate.low"]
    assert "missing sd" in issues["uncertainty.nonpay.annual_saving"]
    assert "this scenario has none" in issues["uncertainty.running_cost_cut.envelope.uplift"]


def test_uncertainty_checks_against_the_parameter(tmp_path: Path) -> None:
    path = tmp_path / "u.yaml"
    path.write_text("extends: base\nuncertainty:\n"
                    "  inflation.oncost_rate: {distribution: uniform, mode: set, low: 20, high: 30}\n"
                    "  delegation.dentistry.go_live: {distribution: uniform, mode: scale, low: 0, high: 2}\n"
                    "  baseline.pay_share: {distribution: normal, mode: add, mean: 0, sd: 0, low: -0.1, high: 0.1,"
                    " from_year: 2025/26}\n")
    issues = {issue.path: issue.message for issue in issues_of(path)}
    assert "write 30% as 0.3" in issues["uncertainty.inflation.oncost_rate"]
    assert "cannot be scaled" in issues["uncertainty.delegation.dentistry.go_live.mode"]
    assert "sd must be more than 0" in issues["uncertainty.baseline.pay_share.sd"]
    assert "not a whole series" in issues["uncertainty.baseline.pay_share.from_year"]


def test_go_live_timing_and_from_year_uncertainty_load(tmp_path: Path) -> None:
    path = tmp_path / "u.yaml"
    path.write_text("extends: base\nuncertainty:\n"
                    "  delegation.specialised.go_live: {distribution: triangular, mode: set, low: 2024-04,"
                    " peak: 2025-04, high: 2027-04}\n"
                    "  inflation.pay_award: {distribution: uniform, mode: add, low: -0.01, high: 0.01,"
                    " from_year: 2025/26}\n")
    entries = load_scenario(path, PROJECT).value("uncertainty")
    assert entries["delegation.specialised.go_live"]["peak"] == "2025-04"
    assert entries["inflation.pay_award"]["from_year"] == "2025/26"


def test_issue_in_an_extended_file_names_that_file(project: Path) -> None:
    (project / "scenarios" / "parent.yaml").write_text("extends: base\nworkforce:\n  turnover_rate: 2\n")
    (project / "scenarios" / "child.yaml").write_text("extends: parent\nnonpay: {annual_saving: 0.9}\n")
    issues = issues_of("child", project)
    assert [(i.file, i.line, i.path) for i in issues] == [
        ("scenarios/child.yaml", 2, "nonpay.annual_saving"), ("scenarios/parent.yaml", 3, "workforce.turnover_rate")]


def test_missing_extends_path_and_absolute_extends(tmp_path: Path) -> None:
    missing = tmp_path / "m.yaml"
    missing.write_text("extends: ../nowhere/envelop.yaml\n")
    (issue,) = issues_of(missing)
    assert issue.path == "extends" and issue.line == 1
    assert "file not found: '../nowhere/envelop.yaml'" in issue.message and "Did you mean 'envelope'?" in issue.message
    absolute = tmp_path / "a.yaml"
    absolute.write_text(f"extends: {(PROJECT / 'scenarios' / 'envelope.yaml').resolve()}\n")
    assert load_scenario(absolute, PROJECT).value("running_cost_cut.envelope")["per_head_gbp"] == 18.76


def test_unknown_ref_and_base_that_extends(project: Path) -> None:
    (issue,) = issues_of("deeper_cutt", project)
    assert issue.file == "deeper_cutt" and "Did you mean 'deeper_cut'?" in issue.message
    base = project / "assumptions.yaml"
    base.write_text("extends: deeper_cut\n" + base.read_text())
    (issue,) = issues_of("base", project)
    assert (issue.file, issue.path, issue.line) == ("assumptions.yaml", "extends", 1)
    assert "cannot extend another" in issue.message


def test_icb_table_problems(project: Path) -> None:
    table = project / "data" / "icbs.csv"
    table.write_text("code,name,region,population,baseline_rca_gbp\nQAA,A,Midlands,lots,\nQBB,B,Midlands,10,-5\n")
    issues = issues_of("base", project)
    assert [(i.file, i.line, i.path) for i in issues] == [
        ("data/icbs.csv", 2, "population"), ("data/icbs.csv", 3, "baseline_rca_gbp")]
    assert "'lots' is not a number" in issues[0].message
    assert "leave the cell empty to use rca_per_head_gbp" in issues[1].message
    table.write_text("code,name,region,pop\nQAA,A,Midlands,10\n")
    (issue,) = issues_of("base", project)
    assert (issue.file, issue.path) == ("data/icbs.csv", "population")
    assert "missing column 'population'. Did you mean 'pop'?" in issue.message
    table.unlink()
    (issue,) = issues_of("base", project)
    assert (issue.file, issue.path) == ("assumptions.yaml", "icbs.table") \
        and "cannot read the ICB table" in issue.message


def test_values_with_provenance_form_errors(tmp_path: Path) -> None:
    path = tmp_path / "p.yaml"
    path.write_text("extends: base\nbaseline:\n  pay_share: {valu: 0.7}\n  rca_per_head_gbp: {value: 20, sorce: x}\n"
                    "inflation:\n  pay_award: {2024/25: 0.05, source: x}\n  oncost_rate: {}\n")
    issues = {issue.path: issue.message for issue in issues_of(path)}
    assert "mapping without value:" in issues["baseline.pay_share"]
    assert "Did you mean 'source'?" in issues["baseline.rca_per_head_gbp.sorce"]
    assert "put its years under values:" in issues["inflation.pay_award.source"]
    assert "a series needs at least one year" in issues["inflation.oncost_rate"]


def test_text_and_numbers_in_the_wrong_place(tmp_path: Path) -> None:
    path = tmp_path / "t.yaml"
    path.write_text("extends: base\nname: 2025\nbaseline:\n  pay_share: '75%'\n  rca_per_head_gbp: '20'\n"
                    "running_cost_cut:\n  basis: nomnal\nicbs:\n  include: QAA\nhorizon:\n  end_year: 2030\n")
    issues = {issue.path: issue.message for issue in issues_of(path)}
    assert issues["name"] == "expected text, got 2025. Put it in quotes."
    assert "Write it as a fraction: 0.75." in issues["baseline.pay_share"]
    assert "Remove the quotes: write 20." in issues["baseline.rca_per_head_gbp"]
    assert "Did you mean 'nominal'?" in issues["running_cost_cut.basis"]
    assert "Write all, or e.g. [QE1, Midlands]." in issues["icbs.include"]
    assert "'2030' is not a financial year" in issues["horizon.end_year"]


# ---------------------------------------------------------------------------------------------
# Collecting and formatting issues


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


# ---------------------------------------------------------------------------------------------
# Scenarios given as text (uploads) and overlays (the dashboard's sliders)


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


# ---------------------------------------------------------------------------------------------
# Merge laws (SPEC section 7)

YEARS = ["2022/23", "2023/24", "2024/25", "2025/26"]
provenances = st.builds(Provenance, file=st.sampled_from(["a.yaml", "b.yaml", "c.yaml"]), line=st.integers(1, 99))
params = st.builds(Param, st.floats(-1, 1, allow_nan=False), provenances)
series = st.one_of(st.builds(Series, st.dictionaries(st.sampled_from(YEARS), params, min_size=1)),
                   st.builds(lambda before: Series({}, before), params))
envelopes = st.one_of(st.builds(lambda prov: Param(None, prov), provenances),
                      st.fixed_dictionaries({}, optional={"per_head": params, "uplift": params}))
documents = st.fixed_dictionaries({}, optional={
    "x": params,
    "s": series,
    "m": st.fixed_dictionaries({}, optional={"y": params, "t": series, "envelope": envelopes}),
})


@given(documents, documents, documents)
def test_merge_is_associative(a: dict, b: dict, c: dict) -> None:
    assert merge_trees(merge_trees(a, b), c) == merge_trees(a, merge_trees(b, c))


@given(documents)
def test_merging_an_empty_document_is_the_identity(a: dict) -> None:
    assert merge_trees(a, {}) == a
    assert merge_trees({}, a) == a


@given(documents, documents, documents)
def test_a_chain_may_be_merged_in_any_grouping(a: dict, b: dict, c: dict) -> None:
    assert reduce(merge_trees, [a, b, c], {}) == merge_trees(a, merge_trees(b, c))


@given(st.builds(Series, st.dictionaries(st.sampled_from(YEARS), params, min_size=1), st.one_of(st.none(), params)),
       st.dictionaries(st.sampled_from(YEARS), params, min_size=1))
def test_series_merge_keeps_untouched_years(base: Series, changes: dict) -> None:
    merged = merge_trees({"s": base}, {"s": Series(changes)})["s"]
    assert merged.before == base.before
    for year in YEARS:
        if year in changes:
            assert merged.points[year] is changes[year]
        elif year in base.points:
            assert merged.points[year] is base.points[year]
        else:
            assert year not in merged.points


def _leaves(tree: dict, prefix: tuple = ()) -> dict:
    """Every Param in a tree (series years included) by key path."""
    out = {}
    for key, value in tree.items():
        if isinstance(value, dict):
            out.update(_leaves(value, (*prefix, key)))
        elif isinstance(value, Series):
            out.update({(*prefix, key, year): param for year, param in value.points.items()})
            if value.before is not None:
                out[(*prefix, key, "before")] = value.before
        else:
            out[(*prefix, key)] = value
    return out


@given(documents, documents)
def test_changed_values_take_the_childs_provenance(base: dict, child: dict) -> None:
    merged = _leaves(merge_trees(base, child))
    for path, param in _leaves(child).items():
        assert merged[path] is param


def test_null_then_mapping_replaces_rather_than_merges() -> None:
    prov = Provenance("a.yaml", 1)
    a = {"m": {"envelope": {"per_head": Param(1.0, prov), "uplift": Param(0.0, prov)}}}
    b = {"m": {"envelope": Param(None, prov)}}
    c = {"m": {"envelope": {"per_head": Param(2.0, prov)}}}
    expected = {"m": {"envelope": {"per_head": Param(2.0, prov)}}}
    assert reduce(merge_trees, [a, b, c], {}) == expected == merge_trees(a, merge_trees(b, c))


def test_series_values_and_last_listed() -> None:
    prov = Provenance("a.yaml", 1)
    s = Series({"2024/25": Param(0.2, prov), "2023/24": Param(0.1, prov)}, before=Param(0.0, prov))
    assert s.values(YEARS) == [0.0, 0.1, 0.2, 0.2]
    assert s.last_listed() == "2024/25"
    assert Series({"2024/25": Param(0.2, prov)}).values(YEARS) == [0.2] * 4
