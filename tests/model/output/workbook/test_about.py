"""The About sheet (model/output/workbook/about.py): what the workbook is and a link to every sheet."""

from __future__ import annotations

from model import __version__


def test_about_names_the_scenario_and_links_every_sheet(fixture_plan):
    about = fixture_plan.sheet("About")
    assert fixture_plan.sheets[0] is about and about.kind == "text"
    texts = {pos: cell.value for pos, cell in about.cells.items()}
    assert texts[(0, 0)] == "ICB running-cost model: the calculation as a live workbook"
    assert texts[(1, 0)] == (f"Scenario: base. Model version {__version__}. 3 organisation sheet(s) on the 2022 "
                             "footprint, 2022/23 to 2026/27.")
    assert texts[(2, 0)] == "Fixture base scenario for the loader's tests."
    links = {cell.value: cell.link for cell in about.cells.values() if cell.link}
    assert links == {name: f"internal:'{name}'!A1" for name in ("Inputs", "England", "Checks", "QAA", "QBB", "QCC")}
    described = {texts[(row, 0)]: texts[(row, 1)] for row, col in about.cells if col == 1}
    assert described["QBB"] == "QBB: NHS Test Middle (Midlands)"
    assert described["Checks"] == "live TRUE/FALSE checks"


def test_about_says_how_to_use_it(example_plan):
    notes = [cell.value for cell in example_plan.sheet("About").cells.values() if cell.style == "note"]
    assert any("Change a yellow cell on Inputs" in text for text in notes)
    assert any("relative 1e-9" in text for text in notes)


def test_about_says_which_code_a_renamed_sheet_stands_for():
    from model.output.workbook import plan_workbook, spec_from_inputs
    from tests.builders import renamed, worked_example

    inputs = renamed(worked_example(populations=(1e6, 2e6)), ("A/B", "Checks"))
    about = plan_workbook(spec_from_inputs(inputs)).sheet("About")
    described = {about.cells[(row, 0)].value: about.cells[(row, 1)].value for row, col in about.cells if col == 1}
    assert described["A_B"].endswith("[sheet name for the code A/B]")
    assert described["Checks~2"].startswith("Checks: ")
