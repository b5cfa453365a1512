"""The headline table (model/output/compare.py): figures for people (£m, %, WTE), scenarios side by
side, and each one's difference from the first."""

from __future__ import annotations

import pandas as pd
import pytest

from model import engine
from model.output.compare import SelectionError, differences, headline_of, headline_table
from model.output.results import tabulate
from model.schema import HEADLINES
from tests.builders import worked_example


@pytest.fixture(scope="module")
def results() -> pd.DataFrame:
    """The worked example as scenario A (a 30% cut by 2025/26) and B (40%), for England and T00, T01."""
    frames = []
    for name, cut in (("A", [0, 0, 0.2, 0.3]), ("B", [0, 0, 0.3, 0.4])):
        inputs = worked_example(populations=(1e6, 1e6), **{"running_cost_cut.path": cut})
        frames.append(tabulate(name, inputs, engine.run(inputs)))
    return pd.concat(frames, ignore_index=True)


def test_headline_figures_are_shown_in_their_display_units(results):
    """Scenario A in 2025/26, one ICB (T00): allowance 14m core + £403,200 dentistry = £14.4032m;
    real change (14,403,200 / 1.13352075) / 20m - 1, as a percentage."""
    table = headline_table(results, ["A", "B"], "2025/26", "T00")
    assert list(table.index) == [h.label for h in HEADLINES] and table.index.name == "measure"
    assert list(table.columns) == ["unit", "A", "B", "B - A"]
    assert list(table["unit"]) == [h.display.unit for h in HEADLINES]
    a = table["A"]
    assert a["Allowance, cash"] == pytest.approx(14.4032, rel=1e-12)
    assert a["Real-terms change vs base year"] == pytest.approx((14_403_200 / 1.13352075 / 20e6 - 1) * 100, rel=1e-10)
    assert table.loc["Allowance, cash", "unit"] == "£m" and table.loc["Affordable WTE", "unit"] == "WTE"


def test_differences_are_from_the_first_scenario_in_display_units(results):
    """B cuts 40%: core 12m and dentistry 576,000 x 0.6, so £12.3456m, £2.0576m less than A;
    percentages differ in percentage points."""
    table = headline_table(results, ["A", "B"], "2025/26", "T00")
    assert table.loc["Allowance, cash", "B"] == pytest.approx(12.3456, rel=1e-12)
    assert table.loc["Allowance, cash", "B - A"] == pytest.approx(-2.0576, rel=1e-10)
    pd.testing.assert_series_equal(table["B - A"], table["B"] - table["A"], check_names=False)
    points = table.loc["Real-terms change vs base year"]
    assert points["B - A"] == pytest.approx(points["B"] - points["A"])
    assert points["B - A"] == pytest.approx(-2.0576e6 / 1.13352075 / 20e6 * 100, rel=1e-9)


def test_the_table_of_figures_already_chosen_is_the_table_of_the_results(results):
    rows = results[(results["year"] == "2025/26") & (results["icb_code"] == "T01")].set_index("scenario")
    figures = {name: {h.name: rows.loc[name, h.name] for h in HEADLINES} for name in ("B", "A")}
    expected = headline_table(results, ["B", "A"], "2025/26", "T01")
    pd.testing.assert_frame_equal(headline_of(figures, ["B", "A"]), expected)


def test_england_is_the_sum_and_the_reference_may_be_any_scenario(results):
    one = headline_table(results, ["A"], "2025/26", "T00")
    england = headline_table(results, ["B", "A"], "2025/26")  # ENG by default; B is the reference
    assert list(england.columns) == ["unit", "B", "A", "A - B"]
    assert england.loc["Allowance, cash", "A"] == pytest.approx(2 * one.loc["Allowance, cash", "A"], rel=1e-12)
    assert england.loc["Real-terms change vs base year", "A"] == pytest.approx(
        one.loc["Real-terms change vs base year", "A"], rel=1e-12)  # a ratio, not a sum


def test_a_year_or_place_not_in_the_results_names_the_choices(results):
    with pytest.raises(SelectionError, match=r"year '2030/31' is not in the results \(2022/23 to 2025/26\); choose "
                                             r"one of 2022/23 to 2025/26"):
        headline_table(results, ["A"], "2030/31")
    with pytest.raises(SelectionError, match=r"ICB 'QZZ' is not in the results \(footprint 2022\); choose ENG or "
                                             "one of T00, T01"):
        headline_table(results, ["A"], "2025/26", "QZZ")


def test_a_scenario_named_like_the_unit_column_is_refused_not_mistaken_for_it(results):
    named = results.assign(scenario=results["scenario"].replace({"B": "unit"}))
    with pytest.raises(SelectionError, match="a scenario named 'unit' cannot be compared"):
        headline_table(named, ["A", "unit"], "2025/26")


@pytest.fixture(scope="module")
def uneven() -> pd.DataFrame:
    """A (two ICBs, 2022/23 to 2025/26) beside C (one ICB, T00, to 2024/25 only)."""
    a = worked_example(populations=(1e6, 1e6))
    frames = [tabulate("A", a, engine.run(a)), tabulate("C", a, engine.run(a))]
    frames[1] = frames[1][(frames[1]["year"] != "2025/26") & (frames[1]["icb_code"] != "T01")]
    return pd.concat(frames, ignore_index=True)


def test_a_year_or_place_only_some_scenarios_have_names_the_scenario_and_what_all_share(uneven):
    with pytest.raises(SelectionError, match=r"year '2025/26' is not in the results of C \(2022/23 to 2024/25\); "
                                             r"choose one of 2022/23 to 2024/25"):
        headline_table(uneven, ["A", "C"], "2025/26")
    with pytest.raises(SelectionError,
                       match=r"ICB 'T01' is not in the results of C \(footprint 2022\); choose ENG or one of T00$"):
        headline_table(uneven, ["A", "C"], "2024/25", "T01")
    with pytest.raises(SelectionError, match="named twice"):
        headline_table(uneven, ["A", "A"], "2024/25")
    assert list(headline_table(uneven, ["A", "C"], "2024/25", "T00").columns) == ["unit", "A", "C", "C - A"]


def test_differences_say_what_only_some_scenarios_have(uneven, results):
    notes = differences(uneven, ["A", "C"])
    assert notes[0] == ("the horizons differ: A runs 2022/23 to 2025/26; C runs 2022/23 to 2024/25. Only years "
                        "every scenario has can be compared.")
    assert notes[1].startswith("A runs 1 ICB(s) not every scenario runs (T01)")
    assert differences(results, ["A", "B"]) == []
