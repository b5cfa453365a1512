"""Finding scenario files and the extends chain (model/scenario/files.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from model.scenario import load_scenario
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


def test_find_root_is_the_nearest_folder_with_assumptions_yaml(tmp_path: Path) -> None:
    from model.scenario import find_root

    (tmp_path / "assumptions.yaml").write_text("name: base\n")
    deep = tmp_path / "a" / "b"
    deep.mkdir(parents=True)
    assert find_root(deep) == tmp_path.resolve()
    assert find_root(PROJECT / "scenarios") == PROJECT.resolve()


def test_context_shows_paths_from_the_root_and_lists_the_scenarios(tmp_path: Path) -> None:
    from model.scenario.files import Context

    ctx = Context(PROJECT.resolve())
    inside = PROJECT / "scenarios" / "envelope.yaml"
    assert ctx.display(inside) == "scenarios/envelope.yaml"
    assert ctx.from_display("scenarios/envelope.yaml") == PROJECT.resolve() / "scenarios" / "envelope.yaml"
    outside = tmp_path / "x.yaml"
    assert ctx.display(outside) == str(outside.resolve()) and ctx.from_display(str(outside)) == outside
    assert ctx.scenario_names() == ["base", "deeper_cut", "envelope", "midlands_late"]


def test_names_and_paths() -> None:
    from model.scenario.files import Context, is_path, named_file, start_file

    assert not is_path("envelope_2025") and not is_path("base")
    assert is_path("scenarios/x") and is_path("x.yaml") and is_path("x.yml") and is_path("a\\b")
    ctx = Context(PROJECT.resolve())
    assert named_file("base", ctx) == ((PROJECT / "assumptions.yaml").resolve(), None)
    assert named_file("envelope", ctx)[0] == (PROJECT / "scenarios" / "envelope.yaml").resolve()
    path, message = named_file("bad name!", ctx)
    assert path is None and message.startswith("'bad name!' is not a scenario name or a path.")
    path, (issue,) = start_file(PROJECT / "scenarios", ctx)
    assert path is None and issue.message == ("this is a folder, not a scenario file. Check the path, or name a "
                                              "scenario: base, deeper_cut, envelope, midlands_late.")


@pytest.mark.parametrize("kind", ["folder", "fifo"])
def test_a_folder_or_named_pipe_given_as_a_scenario_is_said_to_be_one(kind, tmp_path, monkeypatch) -> None:
    """By path or by a name that is no scenario but is there in the current folder; and as the
    target of extends. Never "file not found", and never a wait on the pipe."""
    import os

    from model.scenario.files import Context, start_file

    thing = tmp_path / "thing"
    thing.mkdir() if kind == "folder" else os.mkfifo(thing)
    words = "a folder" if kind == "folder" else "a named pipe (FIFO)"
    ctx = Context(PROJECT.resolve())
    _, (issue,) = start_file(thing, ctx)
    assert issue.message.startswith(f"this is {words}, not a scenario file.")
    monkeypatch.chdir(tmp_path)
    _, (issue,) = start_file("thing", ctx)
    assert issue.message.startswith(f"'thing' here is {words}, not a scenario file, and no scenario has that name.")
    child = tmp_path / "child.yaml"
    child.write_text("extends: ./thing\n")
    (issue,) = issues_of(child)
    assert (issue.path, issue.message) == ("extends", f"'./thing' is {words}, not a scenario file. Name a scenario "
                                                      "file (.yaml).")


def test_extends_must_name_a_scenario(tmp_path: Path) -> None:
    path = tmp_path / "n.yaml"
    path.write_text("extends: 5\n")
    (issue,) = issues_of(path)
    assert (issue.path, issue.line) == ("extends", 1)
    assert issue.message == ("expected the scenario this one starts from, got 5. Write a scenario name (e.g. base) or "
                             "a path.")


def test_a_chain_longer_than_the_limit_is_refused(project: Path, monkeypatch) -> None:
    from model.scenario import files

    monkeypatch.setattr(files, "MAX_CHAIN", 2)
    (issue,) = issues_of("midlands_late", project)  # four files: midlands_late, envelope, deeper_cut, base
    assert (issue.path, issue.file) == ("extends", "scenarios/envelope.yaml")
    assert issue.message.startswith("the extends chain is more than 2 files long")
