"""Published allowances (SPEC section 10, issue 10): NHS England's figures are reproduced to the
pound, the base year is back-cast through the rules, projection carries on from the last figure,
and ``allowance_basis`` says which figures are which."""

from __future__ import annotations

import csv
import dataclasses
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from model import engine
from model.cli import main
from model.engine.inputs import from_scenario
from model.engine.published import PublishedError
from model.output.results import scenario_results
from model.periods import parse_month
from model.scenario import ScenarioError, load_scenario, load_text, overlay
from tests.builders import worked_example

ROOT = Path(__file__).resolve().parents[3]
PUBLISHED = list(csv.DictReader((ROOT / "data" / "rca_published.csv").open(encoding="utf-8")))
COLUMNS = {"2023/24": "rca_2023_24_gbp", "2024/25": "rca_2024_25_gbp", "2025/26": "rca_2025_26_enic_gbp"}


@pytest.fixture(scope="module")
def base():
    return load_scenario("base", ROOT)


@pytest.fixture(scope="module")
def former(base) -> pd.DataFrame:
    """The base scenario's results on the 42 former ICBs, indexed by (code, year)."""
    return scenario_results(base, "2022").set_index(["icb_code", "year"])


@pytest.mark.parametrize("year", list(COLUMNS))
@pytest.mark.parametrize("row", PUBLISHED, ids=[row["code"] for row in PUBLISHED])
def test_each_published_allowance_is_reproduced_to_the_pound(former, row, year):
    """42 ICBs x 3 years: the allowance equals NHS England's figure as the source rounds it."""
    got = former.loc[(row["code"], year)]
    assert got["allowance_gbp"] == pytest.approx(float(row[COLUMNS[year]]), abs=0.005)
    assert got["allowance_basis"] == "published"


def test_published_figures_differ_per_head_as_the_source_does(former):
    """The spread comes from the published 2023/24 level: about £11.5 to £14.5 a head in 2025/26."""
    year = former.xs("2025/26", level="year").drop(index="ENG")
    assert len(year) == 42
    assert 11.4 < year["allowance_per_head_gbp"].min() < 11.8 and 14.4 < year["allowance_per_head_gbp"].max() < 14.6


def test_cheshire_and_merseyside_worked_example(base):
    """docs/methodology.md section 10, line by line."""
    got = scenario_results(base).set_index(["icb_code", "year"]).loc["QYG"]
    pod_wte = 1.5 * 2_714_763 * 1.010769 / 1e5
    pod = pod_wte * (54_976.53 + 17_500 * 1.029)
    assert pod == pytest.approx(3_004_020.79, abs=0.05)
    core = 49_374_000 - pod
    assert got.loc["2023/24", "core_allowance_gbp"] == pytest.approx(core, abs=0.05)
    assert got.loc["2022/23", "allowance_gbp"] == pytest.approx(46_369_979.21, abs=0.01)
    assert got.loc["2022/23", "allowance_basis"] == "projected"
    assert got.loc["2022/23", "core_capacity_wte"] == pytest.approx(0.75 * core / 52_358.60, abs=1e-4)
    share = pod / core
    assert got.loc["2024/25", "core_allowance_gbp"] == pytest.approx(40_468_000 / (1 + share), abs=0.01)
    assert got.loc["2024/25", "core_allowance_gbp"] == pytest.approx(38_005_839.48, abs=0.01)
    assert got.loc["2025/26", "core_allowance_gbp"] == pytest.approx(36_551_610.97, abs=0.01)
    assert got.loc["2025/26", "core_real_change_vs_base"] == pytest.approx(-0.312929, abs=5e-7)
    assert got.loc["2026/27", "allowance_gbp"] == pytest.approx(38_919_561.12, abs=0.01)
    assert got.loc["2026/27", "allowance_basis"] == "projected"
    specialised = 0.2 * 2_864_121.85 * 1.1225558 / 1e5 * (65_104.98 + 17_500 * 1.129088)
    assert got.loc["2027/28", "delegated_allowance_specialised_gbp"] == pytest.approx(specialised, abs=0.05)
    assert got.loc["2027/28", "allowance_gbp"] == pytest.approx(39_465_259.95, abs=0.01)


def test_a_figure_written_in_yaml_is_a_fact_and_projection_carries_on_from_it(base):
    known = overlay(base, {"allowance": {"published": {"figures": {"S0E4D": {"2026/27": 34_000_000}}}}},
                    "known", "known.yaml")
    got = scenario_results(known).set_index(["icb_code", "year"]).loc["S0E4D"]
    plain = scenario_results(base).set_index(["icb_code", "year"]).loc["S0E4D"]
    assert got.loc["2026/27", "allowance_gbp"] == pytest.approx(34_000_000, abs=0.005)
    assert got.loc["2026/27", "allowance_basis"] == "published"
    assert got.loc["2025/26", "allowance_basis"] == "restated"  # its predecessors' published figures
    # 2027/28 carries on from the new figure: the same rules, scaled by the new level of the core.
    ratio = (got.loc["2026/27", "core_allowance_gbp"] / plain.loc["2026/27", "core_allowance_gbp"])
    assert got.loc["2027/28", "core_allowance_gbp"] == pytest.approx(
        plain.loc["2027/28", "core_allowance_gbp"] * ratio, rel=1e-12)
    for year in ("2022/23", "2023/24", "2024/25", "2025/26"):  # the years before are unchanged
        assert got.loc[year, "allowance_gbp"] == pytest.approx(plain.loc[year, "allowance_gbp"], rel=1e-12)


@pytest.mark.parametrize(("figures", "message"), [
    ({"ZZZ": {"2026/27": 1e6}}, "ZZZ is not an organisation of this run"),
    ({"QNQ": {"2026/27": 1e6}}, "QNQ does not exist in 2026/27 (it is an organisation of the 2022 footprint)"),
    ({"S0E4D": {"2024/25": 1e6}}, "S0E4D does not exist in 2024/25"),
    ({"QYG": {"2040/41": 1e6}}, "2040/41 is outside the horizon"),
    ({"QYG": {"2026/27": 0}}, "allowance.published.figures.QYG.2026/27"),
])
def test_a_figure_for_no_organisation_or_year_of_the_run_is_refused(base, figures, message):
    with pytest.raises(ScenarioError, match=message.replace("(", r"\(").replace(")", r"\)")):
        overlay(base, {"allowance": {"published": {"figures": figures}}}, "bad", "bad.yaml")


def test_a_figure_that_does_not_cover_its_delegated_budgets_is_refused(base):
    """A figure typed in £m (39.5 for £39.5m) in the year specialised commissioning joins QYG
    leaves no room for that budget: the core allowance would be negative, the POD budgets scaled
    by it would vanish, and the allowance could not equal the figure. The run is refused, saying
    why. (The POD budgets that joined earlier move with the core allowance: they shrink with it.)"""
    slip = overlay(base, {"allowance": {"published": {"figures": {"QYG": {"2027/28": 39.5}}}}}, "slip", "slip.yaml")
    with pytest.raises(PublishedError, match=r"the published allowance of QYG in 2027/28, £39\.50, does not cover "
                                             r"the delegated budgets inside it, £[\d,]+\.\d\d: its core allowance "
                                             r"\(programme pay aside\) would be zero or less"):
        scenario_results(slip)


def test_use_published_false_gives_the_rules_alone(base):
    rules = overlay(base, {"allowance": {"use_published": False}}, "rules", "rules.yaml")
    assert rules.published.figures == {}
    results = scenario_results(rules)
    assert set(results["allowance_basis"]) == {"projected"}
    england = results[results.icb_code == "ENG"].set_index("year")
    assert england.loc["2022/23", "allowance_gbp"] == pytest.approx(17.06 * 61_753_298, rel=1e-12)


def test_show_says_which_figures_are_published_and_where_from(capsys):
    assert main(["--root", str(ROOT), "show", "base"]) == 0
    out = capsys.readouterr().out
    assert "Published allowances: 126 figures" in out
    assert "2025/26: 42 from data/rca_published.csv column rca_2025_26_enic_gbp, totalling £873,991,617.84" in out
    assert "data/rca_published.csv: NHS England, ICB allocations" in out
    assert main(["--root", str(ROOT), "show", "instruction_2023"]) == 0
    assert "Published allowances: not used" in capsys.readouterr().out


# ---------------------------------------------------------------------------------------------
# Properties: random published tables and rules


YEARS = ("2022/23", "2023/24", "2024/25", "2025/26")
MONTHS = [None, *(parse_month(m) for m in ("2023-04", "2023-07", "2024-04", "2025-01"))]


@st.composite
def published_runs(draw):
    """The worked example (SPEC section 9) for three ICBs under random rules, with random
    published figures: each ICB-year after the base year has one or not."""
    cut = draw(st.lists(st.floats(0, 0.6), min_size=3, max_size=3))
    go_live = draw(st.sampled_from(MONTHS))
    inputs = worked_example(
        populations=(1_000_000.0, 2_500_000.0, 400_000.0),
        **{
            "running_cost_cut.path": [0.0, *cut],
            "running_cost_cut.basis": float(draw(st.booleans())),
            "baseline.programme_pay_per_head_gbp": draw(st.sampled_from([0.0, 11.0])),
            "delegation.dentistry.go_live": float("nan") if go_live is None else float(go_live),
            "delegation.dentistry.in_cut_scope": float(draw(st.booleans())),
            "delegation.pharmacy.go_live": float(parse_month("2023-07")),
            "delegation.pharmacy.transfer_wte_per_100k": draw(st.sampled_from([0.0, 0.45])),
            "delegation.pharmacy.in_cut_scope": float(draw(st.booleans())),
        },
    )
    figures = np.full((3, len(YEARS)), np.nan)
    for i in range(3):
        for t in range(1, len(YEARS)):
            if draw(st.booleans()):
                figures[i, t] = draw(st.floats(5e6, 80e6))
    return dataclasses.replace(inputs, published_gbp=figures)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(inputs=published_runs())
def test_published_years_are_reproduced_exactly(inputs):
    out = engine.evaluate(inputs)
    programme = out["programme_pay_allowance_gbp"][:, :, 0]
    total = out["allowance_gbp"][:, :, 0] - programme  # programme pay comes on top of the figure
    known = ~np.isnan(inputs.published_gbp)
    np.testing.assert_allclose(total[known], inputs.published_gbp[known], rtol=1e-9)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(inputs=published_runs(), shift=st.floats(-0.05, 0.05))
def test_projection_is_continuous_in_the_rules(inputs, shift):
    """A small change to a rule (the pay award) makes a small change to every projected year,
    and none to a published one."""
    def allowance(delta: float) -> np.ndarray:
        values = dict(inputs.values)
        values["inflation.pay_award"] = inputs.values["inflation.pay_award"] + delta * 1e-6
        result = engine.evaluate(dataclasses.replace(inputs, values=values))
        return result["allowance_gbp"][:, :, 0] - result["programme_pay_allowance_gbp"][:, :, 0]

    before, after = allowance(0.0), allowance(shift)
    assert np.all(np.abs(after - before) <= 1e-4 * np.abs(before) + 1e-3)
    known = ~np.isnan(inputs.published_gbp)
    np.testing.assert_allclose(after[known], before[known], rtol=1e-9)


def test_without_figures_the_published_machinery_changes_nothing():
    inputs = worked_example()
    rules = engine.evaluate(inputs)
    none = engine.evaluate(dataclasses.replace(inputs, published_gbp=np.full((1, 4), np.nan)))
    for name, values in rules.items():
        np.testing.assert_array_equal(values, none[name], err_msg=name)


def test_the_base_year_is_back_cast_from_the_first_figure():
    """No cut in 2023/24 and no delegated budget: the back-cast base year equals 2023/24's figure,
    and the later rules carry on from it: 2024/25 is 0.8 of it."""
    inputs = worked_example(**{"delegation.dentistry.transfer_wte_per_100k": 0.0,
                               "delegation.dentistry.required_wte_per_100k": 0.0})
    figures = np.array([[np.nan, 30e6, np.nan, np.nan]])
    out = engine.evaluate(dataclasses.replace(inputs, published_gbp=figures))
    allowance = out["allowance_gbp"][0, :, 0]
    np.testing.assert_allclose(allowance, [30e6, 30e6, 24e6, 21e6], rtol=1e-12)
    assert out["cost_base_gbp"][0, 0, 0] == pytest.approx(30e6)


def test_shipped_scenarios_state_whether_they_use_the_published_figures():
    for path in sorted((ROOT / "scenarios").glob("*.yaml")):
        scenario = load_scenario(path, ROOT)
        uses = scenario.value("allowance.use_published") is True
        figures = from_scenario(scenario).published_gbp
        assert uses == bool((~np.isnan(figures)).any()), path.stem
        if not uses:
            assert "counterfactual" in scenario.description.lower(), path.stem


def _cycling(start: float, settle: int, rounds: list[int]):
    """A solve round that halves the distance to 1 until round ``settle``, then alternates the
    base between two states for ever (as rounding can leave the real solve); counts its rounds."""
    out = np.array([start])

    def one_round() -> tuple[np.ndarray, np.ndarray]:
        n = len(rounds)
        rounds.append(n)
        factor = np.array([(1 + out[0]) / 2 / out[0]]) if n < settle else np.array([2.0 if n % 2 else 0.5])
        floor = np.array([out[0]])  # as the solve's floor, a function of the base the round starts from
        out[0] *= factor[0]
        return factor, floor

    return out, one_round


@pytest.mark.parametrize("settle", [3, 4, 11, 12])
def test_a_solve_that_alternates_stops_early_with_the_result_of_every_round(settle):
    """model.engine.published._rounds: once the base is what it was two rounds before, the rounds
    left are skipped and the state (and floor) the last round would leave is taken."""
    from model.engine.published import _rounds

    every: list[int] = []
    out_all, one_all = _cycling(3.0, settle, every)
    floor_all = None
    for _ in range(50):  # every round, as the solve did before it looked for alternation
        _, floor_all = one_all()
    early: list[int] = []
    out, one_round = _cycling(3.0, settle, early)
    floor = _rounds(out, 50, one_round)
    assert out.tolist() == out_all.tolist() and floor.tolist() == floor_all.tolist()
    assert len(early) == settle + 2 < len(every)  # back where it was two rounds before: seen, stop


def test_a_solve_that_settles_stops_when_the_factor_repeats():
    from model.engine.published import _rounds

    rounds: list[int] = []
    out = np.array([2.0])

    def one_round() -> tuple[np.ndarray, np.ndarray]:
        rounds.append(len(rounds))
        factor = np.array([1.0 if out[0] == 1.0 else 1.0 / out[0]])
        out[0] *= factor[0]
        return factor, np.array([0.0])

    _rounds(out, 50, one_round)
    assert out.tolist() == [1.0] and len(rounds) == 3  # 1/2, then 1 twice


def test_an_overlay_that_leaves_what_they_rest_on_keeps_its_starts_figures_and_any_other_reads_them_again(base):
    """The dashboard lays an overlay over its start at every slider move: one that changes nothing
    the published allowances rest on takes the start's ICBs, organisations and published figures as
    they are, which are what reading the tables again gives; one that does (a figure typed in, the
    ICBs run, the horizon) reads them again."""
    moved = overlay(base, {"workforce": {"turnover_rate": 0.15}, "running_cost_cut": {"post_path_uplift": 0.01}},
                    "moved", "moved.yaml")
    assert moved.published is base.published and moved.history is base.history and moved.icbs is base.icbs
    text = ("name: moved\nextends: base\nworkforce:\n  turnover_rate: 0.15\n"
            "running_cost_cut:\n  post_path_uplift: 0.01\n")
    read = load_text(text, ROOT, "moved.yaml")
    assert read.published == base.published and read.history == base.history
    assert read.content_hash() == moved.content_hash()
    typed = overlay(base, {"allowance": {"published": {"figures": {"S0E4D": {"2026/27": 34_000_000}}}}}, "t", "t.yaml")
    assert typed.published.of("S0E4D", "2026/27").gbp == 34_000_000 and base.published.of("S0E4D", "2026/27") is None
    fewer = overlay(base, {"icbs": {"include": ["QYG", "QNQ"]}}, "fewer", "fewer.yaml")
    assert {code for code, _ in fewer.published.figures} == {"QYG", "QNQ"}
    assert sorted(fewer.icbs.codes) == ["QNQ", "QYG"] and fewer.history != base.history
    longer = overlay(base, {"horizon": {"end_year": "2032/33"}}, "longer", "longer.yaml")
    assert longer.published is not base.published and longer.published == base.published
