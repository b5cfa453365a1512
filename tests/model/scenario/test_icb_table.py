"""The ICB table (model/scenario/icb_table.py): read and checked cell by cell."""

from __future__ import annotations

from pathlib import Path

from tests.fixtures import INVALID, issues_of


def test_bad_icb_table_names_the_csv_and_its_lines() -> None:
    issues = issues_of(INVALID / "bad_table.yaml")
    assert [(Path(i.file).name, i.line, i.path) for i in issues] == [
        ("bad_icbs.csv", 3, "code"), ("bad_icbs.csv", 4, "population")]
    assert "duplicate code 'QAA' (first on line 2)" in issues[0].message
    assert "more than 0, because per-head figures divide by it" in issues[1].message


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


def test_a_table_is_read_once_per_process_and_shared_read_only(project: Path) -> None:
    from model.provenance import Provenance
    from model.scenario.icb_table import load_icb_table

    path = project / "data" / "icbs.csv"
    first, issues = load_icb_table(path, "data/icbs.csv", Provenance("assumptions.yaml", 8))
    again, _ = load_icb_table(path, "data/icbs.csv", Provenance("assumptions.yaml", 8))
    assert issues == [] and again is first
    assert not first.population.flags.writeable and not first.baseline_rca_gbp.flags.writeable
    assert first.codes == ("QAA", "QBB", "QCC") and first.regions == ("North East and Yorkshire", "Midlands",
                                                                      "South West")
    assert first.extra == {"note": ("kept but not used", "", "")} and len(first) == 3


def test_select_and_records(project: Path) -> None:
    import math

    from model.scenario import load_scenario

    table = load_scenario("base", project).icbs
    chosen = table.select([2, 0])
    assert chosen.codes == ("QCC", "QAA") and list(chosen.population) == [5e5, 1e6]
    assert chosen.extra == {"note": ("", "kept but not used")}
    assert math.isnan(chosen.baseline_rca_gbp[0])
    assert table.records() == [["QAA", "NHS Test North", "North East and Yorkshire", 1e6, None],
                               ["QBB", "NHS Test Middle", "Midlands", 2e6, 45e6],
                               ["QCC", "NHS Test South", "South West", 5e5, None]]


def test_cells_may_hold_thousands_separators_and_must_be_believable(project: Path) -> None:
    from model.scenario import load_scenario

    table = project / "data" / "icbs.csv"
    table.write_text('code,name,region,population\nQAA,A,Midlands,"1,250,000"\nQBB,B,Midlands,2000000\n'
                     "QCC,C,South West,500000\n")
    assert list(load_scenario("base", project).icbs.population) == [1.25e6, 2e6, 5e5]
    table.write_text("code,name,region,population,baseline_rca_gbp\nQAA,,Midlands,0.5,\nQBB,B,Midlands,10,1e13\n")
    issues = issues_of("base", project)
    assert [(i.line, i.path) for i in issues] == [(2, "name"), (2, "population"), (3, "baseline_rca_gbp")]
    assert issues[0].message == "empty name. Fill it in for every ICB."
    assert issues[1].message.startswith("0.5 is not believable here: it must be 1 to 1,000,000,000 people.")
    assert "1 to 1,000,000,000,000 pounds (£)" in issues[2].message
