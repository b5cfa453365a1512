"""Finding scenario files and the extends chain (model/scenario/files.py)."""

from __future__ import annotations

from pathlib import Path

from model.scenario import (
    load_scenario,
)
from tests.fixtures import INVALID, PROJECT, issues_of


def test_chain_of_three_extends() -> None:
    scenario = load_scenario("midlands_late", PROJECT)
    names = [path.name for path in scenario.chain]
    assert names == ["assumptions.yaml", "deeper_cut.yaml", "envelope.yaml", "midlands_late.yaml"]
    assert scenario.name == "Midlands, late specialised"
    assert list(scenario.icbs.codes) == ["QAA", "QBB"]
    assert scenario.value("icbs.include") == ["Midlands", "QAA"]


def test_extends_cycle_names_the_chain() -> None:
    (issue,) = issues_of(INVALID / "cycle_a.yaml")
    assert issue.file.endswith("invalid/cycle_b.yaml") and issue.path == "extends" and issue.line == 2
    assert "goes round in a circle" in issue.message
    assert issue.message.count("cycle_a.yaml") == 2 and "cycle_b.yaml" in issue.message
    assert "Remove the extends" in issue.message


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
