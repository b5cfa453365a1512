"""The results table (model/output/results.py): columns, England rows and rounding."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from model import __version__, engine, schema
from model.output.results import rounded, scenario_results, tabulate
from model.scenario import load_scenario
from model.schema import COLUMN_NAMES, CONTRACT_COLUMNS
from tests.builders import parameters, worked_example
from tests.fixtures import PROJECT

YEARS = ["2022/23", "2023/24", "2024/25", "2025/26"]


def test_tabulate_columns_and_england_rows():
    inputs = worked_example(populations=(1e6, 5e5))
    frame = tabulate("demo", inputs, engine.run(inputs))
    assert tuple(frame.columns[: len(CONTRACT_COLUMNS)]) == CONTRACT_COLUMNS
    assert list(frame["icb_code"].unique()) == ["ENG", "T00", "T01"]
    eng = frame[frame.icb_code == "ENG"].set_index("year")
    assert eng["icb_name"].iloc[0] == "England" and eng["region"].iloc[0] == ""
    np.testing.assert_allclose(eng["allowance_gbp"],
                               1.5 * 20e6 * np.array([1, 1, 0.8, 0.7]) + 1.5 * np.array([0, 432_000, 460_800, 403_200]))
    assert list(eng.index) == YEARS


@given(parameters(), st.lists(st.floats(1e4, 3e6), min_size=2, max_size=6))
@settings(max_examples=40, deadline=None)
def test_england_is_the_sum_of_icbs(params, populations):
    inputs = worked_example(populations=tuple(populations), **params)
    frame = tabulate("p", inputs, engine.run(inputs))
    icbs = frame[frame.icb_code != "ENG"].groupby("year", sort=False).sum(numeric_only=True)
    eng = frame[frame.icb_code == "ENG"].set_index("year")
    for column in ("population", "allowance_gbp", "affordable_wte", "wte_gap", "funding_gap_gbp",
                   "redundancies_wte", "redundancy_cost_gbp", "core_capacity_wte", "allowance_real_gbp"):
        np.testing.assert_allclose(eng[column], icbs[column], rtol=1e-9, atol=1e-6)
    np.testing.assert_allclose(eng["allowance_per_head_gbp"], icbs["allowance_gbp"] / icbs["population"], rtol=1e-12)


def test_england_recomputes_ratios_from_its_sums():
    """An ICB of 1m people with its own £30m and one of 0.5m at £20 a head (£10m): England's base
    year is £40m for 1.5m people, £26.67 a head, not the mean of £30 and £20."""
    inputs = replace(worked_example(populations=(1e6, 5e5)), rca_given_gbp=np.array([30e6, np.nan]))
    frame = tabulate("demo", inputs, engine.run(inputs)).set_index(["icb_code", "year"])
    assert frame.loc[("T00", "2022/23"), "allowance_per_head_gbp"] == pytest.approx(30.0)
    assert frame.loc[("T01", "2022/23"), "allowance_per_head_gbp"] == pytest.approx(20.0)
    england = frame.loc[("ENG", "2022/23")]
    assert england["allowance_gbp"] == pytest.approx(40e6) and england["population"] == pytest.approx(1.5e6)
    assert england["allowance_per_head_gbp"] == pytest.approx(40e6 / 1.5e6, rel=1e-12)
    year = frame.xs("2025/26", level="year")
    assert england.name == ("ENG", "2022/23")
    assert year.loc["ENG", "real_change_vs_base"] == pytest.approx(
        year.loc["ENG", "allowance_real_gbp"] / year.loc["ENG", "cost_base_gbp"] - 1, rel=1e-12)
    assert year.loc["ENG", "cost_base_gbp"] == pytest.approx(40e6)


def test_prices_are_national_and_shown_on_every_row():
    inputs = worked_example(populations=(1e6, 5e5))
    frame = tabulate("demo", inputs, engine.run(inputs))
    by_year = frame.groupby("year")["loaded_cost_per_wte_gbp"]
    assert (by_year.nunique() == 1).all()
    np.testing.assert_allclose(by_year.first().to_numpy(), [50_000, 52_500, 55_125, 57_881.25])


def test_rounded_keeps_each_column_to_its_declared_decimals():
    """Pounds to the penny, WTE to 4 places, ratios and indices to 10 (columns.yaml); labels as they are."""
    inputs = worked_example(populations=(1e6, 5e5), **{"population.growth_rate": 0.0123})
    frame = tabulate("demo", inputs, engine.run(inputs), content_hash="abc")
    out = rounded(frame)
    assert list(out.columns) == list(COLUMN_NAMES)
    for name in COLUMN_NAMES:
        spec = schema.column(name)
        if spec.numeric:
            pd.testing.assert_series_equal(out[name], frame[name].round(spec.decimals), obj=name)
        else:
            pd.testing.assert_series_equal(out[name], frame[name], obj=name)
    assert (schema.column("allowance_gbp").decimals, schema.column("affordable_wte").decimals,
            schema.column("real_change_vs_base").decimals) == (2, 4, 10)
    assert out["affordable_wte"].iloc[5] == round(frame["affordable_wte"].iloc[5], 4)
    assert set(out["scenario_sha256"]) == {"abc"} and set(out["model_version"]) == {__version__}


def test_scenario_results_trace_every_row_to_the_scenario():
    base = load_scenario("base", PROJECT)
    frame = scenario_results(base)
    assert len(frame) == 4 * 5  # England and three ICBs, five years
    assert list(frame["icb_code"].unique()) == ["ENG", "QAA", "QBB", "QCC"]
    assert set(frame["scenario"]) == {"base"}
    assert set(frame["scenario_sha256"]) == {base.content_hash()}
    assert frame.loc[frame.icb_code == "QBB", "cost_base_gbp"].iloc[0] == pytest.approx(45e6)  # its own RCA


def _basis_by_rule(inputs, chosen) -> list[list[str]]:
    """allowance_basis unit by unit and year by year, as SPEC section 10 words it."""
    from model.engine.published import published_mask

    lineage = inputs.lineage
    known = published_mask(lineage, inputs.published_gbp)[1]
    rows = [["published" if known[:, t].all() else "projected" for t in range(len(inputs.labels))]]
    for u in range(len(chosen)):
        members = chosen.unit_of == u
        row = []
        for t in range(len(inputs.labels)):
            orgs = set(lineage.org_of[t, members].tolist())
            whole = len(orgs) == 1 and int((lineage.org_of[t] == next(iter(orgs))).sum()) == int(members.sum())
            row.append("projected" if not known[members, t].all() else "published" if whole else "restated")
        rows.append(row)
    return rows


@pytest.mark.parametrize("name", ["base", "merger_2027", "instruction_2023"])
def test_allowance_basis_follows_the_rule_on_every_footprint(name):
    """The whole-array allowance_basis says, for each organisation and year, what the rule says:
    published (one organisation, wholly), restated (made of other organisations' figures) or
    projected; with a figure for one new organisation in 2026/27 too."""
    from pathlib import Path

    from model.engine.inputs import from_scenario
    from model.output.results import allowance_basis

    root = Path(__file__).resolve().parents[3]
    inputs = from_scenario(load_scenario(name, root))
    published = inputs.published_gbp.copy()
    published[inputs.lineage.codes.index("S0E4D"), inputs.labels.index("2026/27")] = 4e7
    for given_inputs in (inputs, replace(inputs, published_gbp=published)):
        for label in given_inputs.footprints:
            chosen = given_inputs.footprint(label)
            assert allowance_basis(given_inputs, chosen).tolist() == _basis_by_rule(given_inputs, chosen)
