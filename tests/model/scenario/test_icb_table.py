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
