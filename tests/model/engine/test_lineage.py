"""Organisations that change (SPEC section 10, issue 11): changes as data, one pool of staff per
organisation, results on either footprint, and pounds, WTE and people conserved throughout."""

from __future__ import annotations

import dataclasses
import itertools
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from model import engine
from model.cli import main
from model.engine.lineage import Footprint, Layers, Lineage, england, to_units
from model.output.results import scenario_results, tabulate
from model.scenario import ScenarioError, load_scenario, overlay
from model.schema import COLUMNS
from tests.builders import worked_example

ROOT = Path(__file__).resolve().parents[3]
FIXTURE = ROOT / "tests" / "fixtures" / "project"
ADDITIVE = [c.name for c in COLUMNS if c.kind == "additive"]
LINEAR = ["population", "weighted_population", "allowance_gbp", "core_allowance_gbp", "delegated_allowance_gbp",
          "programme_pay_allowance_gbp", "cost_base_gbp", "nonpay_cost_gbp", "required_wte", "required_core_wte",
          "required_delegated_wte", "required_cost_gbp", "arrivals_wte", "affordable_wte"]
"""Columns that are sums of the pieces of ICBs whatever the organisations (affordable WTE too,
while no organisation's non-pay exceeds its allowance)."""


@pytest.fixture(scope="module")
def base():
    return load_scenario("base", ROOT)


def test_thames_valley_worked_example(base):
    """docs/methodology.md section 12: Thames Valley in 2026/27 from its predecessors in 2025/26."""
    former = scenario_results(base, "2022").set_index(["icb_code", "year"])
    current = scenario_results(base).set_index(["icb_code", "year"])
    qu9, qnq, tv = former.loc["QU9"], former.loc["QNQ"], current.loc["S0E4D"]
    share = 0.58787
    for column in ("allowance_gbp", "population", "employed_wte"):
        assert tv.loc["2025/26", column] == pytest.approx(
            qu9.loc["2025/26", column] + share * qnq.loc["2025/26", column], rel=1e-12)
    assert tv.loc["2025/26", "allowance_basis"] == "restated"
    assert tv.loc["2026/27", "allowance_gbp"] == pytest.approx(33_436_332.44, abs=0.01)
    affordable = (33_436_332.44 - tv.loc["2026/27", "nonpay_cost_gbp"]) / 63_208.72
    assert tv.loc["2026/27", "affordable_wte"] == pytest.approx(affordable, abs=1e-3)
    assert tv.loc["2026/27", "affordable_wte"] == pytest.approx(340.4497, abs=1e-4)
    assert tv.loc["2025/26", "employed_wte"] == pytest.approx(356.0025, abs=1e-4)
    assert tv.loc["2026/27", "attrition_wte"] == pytest.approx(0.1 * 356.0025, abs=1e-3)
    assert tv.loc["2026/27", "redundancies_wte"] == 0.0
    assert tv.loc["2026/27", "population"] == pytest.approx(2_535_845.54, abs=0.01)


def test_merged_icbs_pool_their_staff():
    """A hand-worked pooled case (the worked example's rules, no delegation): two ICBs of
    1,000,000 people, each published at £20m in 2023/24 (so £20m in 2022/23 too); in 2024/25 A
    is published at £22m (more than it needs) and B at £14m. Apart, B loses 95.83 WTE to
    redundancy while A cannot use its spare 4.73 WTE; merged from April 2024 they are one pool
    and lose 46.53."""
    alike = {"delegation.dentistry.transfer_wte_per_100k": 0.0, "delegation.dentistry.required_wte_per_100k": 0.0}
    inputs = worked_example((1_000_000.0, 1_000_000.0), **alike)
    figures = np.array([[np.nan, 20e6, 22e6, np.nan], [np.nan, 20e6, 14e6, np.nan]])
    # Merged, the 2024/25 figure is the organisation's (M): £36m, the two together.
    merged_figures = np.array([[np.nan, 20e6, np.nan, np.nan], [np.nan, 20e6, np.nan, np.nan],
                               [np.nan, np.nan, 36e6, np.nan]])
    merged = Lineage(codes=("T00", "T01", "M"), org_of=np.array([[0, 1], [0, 1], [2, 2], [2, 2]]),
                     population=np.array([1e6, 1e6]), merged_from=np.array([4, 4, 2]),
                     footprints=(Footprint("2022", ("T00", "T01"), ("A", "B"), ("Midlands",) * 2, np.array([0, 1]), 0),
                                 Footprint("2024", ("M",), ("A and B",), ("Midlands",), np.array([0, 0]), 2)))
    apart = engine.evaluate(dataclasses.replace(inputs, published_gbp=figures))
    pooled_inputs = dataclasses.replace(inputs, published_gbp=merged_figures, lineage=merged)
    pooled = engine.evaluate(pooled_inputs)
    # 2023/24, both apart: (20m - 5.1m) / 52,500 = 283.8095 WTE each, within turnover.
    np.testing.assert_allclose(apart["employed_wte"][:, 1, 0], [283.8095238, 283.8095238], rtol=1e-9)
    # 2024/25 apart: A affords (22m - 5.202m) / 55,125 = 304.73 but needs 300; B affords 159.60.
    np.testing.assert_allclose(apart["employed_wte"][:, 2, 0], [300.0, 159.6009070], rtol=1e-9)
    b_redundancies = 283.8095238 - 159.6009070 - 0.1 * 283.8095238
    np.testing.assert_allclose(apart["redundancies_wte"][:, 2, 0], [0.0, b_redundancies], rtol=1e-9)
    assert b_redundancies == pytest.approx(95.8277, abs=1e-4)
    # Merged: one pool affords 464.33 of the 600 needed; 567.62 last year, turnover 56.76.
    employed = (22e6 + 14e6 - 2 * 5.202e6) / 55_125
    redundancies = 2 * 283.8095238 - employed - 0.1 * 2 * 283.8095238
    assert pooled["employed_wte"][:, 2, 0].sum() == pytest.approx(employed, rel=1e-9)
    assert pooled["redundancies_wte"][:, 2, 0].sum() == pytest.approx(redundancies, rel=1e-9)
    assert redundancies == pytest.approx(46.5306, abs=1e-4)
    # Shared back to the pieces by population, and the pounds are the same either way.
    np.testing.assert_allclose(pooled["employed_wte"][:, 2, 0], [employed / 2] * 2, rtol=1e-12)
    np.testing.assert_allclose(pooled["allowance_gbp"].sum(axis=0), apart["allowance_gbp"].sum(axis=0), rtol=1e-12)
    results = tabulate("merged", pooled_inputs, engine.run(pooled_inputs))
    row = results[(results.icb_code == "M") & (results.year == "2024/25")].iloc[0]
    assert row["redundancies_wte"] == pytest.approx(redundancies, abs=1e-4)


def test_merger_saving_lowers_what_a_merged_icb_needs_from_the_year_it_forms():
    merger = load_scenario("merger_2027", ROOT)
    with_saving = overlay(merger, {"organisations": {"merger_saving": 0.1}}, "saving", "saving.yaml")
    plain = scenario_results(merger).set_index(["icb_code", "year"])
    saved = scenario_results(with_saving).set_index(["icb_code", "year"])
    for year in ("2027/28", "2030/31"):
        assert saved.loc[("X27SS", year), "required_core_wte"] == pytest.approx(
            0.9 * plain.loc[("X27SS", year), "required_core_wte"], rel=1e-12)
    assert saved.loc[("X27SS", "2026/27"), "required_core_wte"] == plain.loc[("X27SS", "2026/27"),
                                                                             "required_core_wte"]
    mergers = {code for era in merger.history.eras for code, pairs in era.formed_from.items() if len(pairs) > 1}
    assert {"X27SS", "S0E4D", "S1Y5D"} <= mergers  # the 2026 mergers are mergers too
    for code in mergers:
        assert (saved.loc[code, "required_core_wte"] <= plain.loc[code, "required_core_wte"]).all()
    unchanged = [code for code in plain.index.get_level_values(0).unique() if code not in {*mergers, "ENG"}]
    numbers = [c.name for c in COLUMNS if c.numeric]
    pd.testing.assert_frame_equal(saved.loc[unchanged, numbers], plain.loc[unchanged, numbers])


def test_merger_2027_is_one_organisation_from_april_2027(base):
    merger = load_scenario("merger_2027", ROOT)
    assert merger.history.footprints() == ("2022", "2026", "2027")
    latest = scenario_results(merger)
    assert latest["icb_code"].nunique() == 36 and "X27SS" in set(latest["icb_code"])
    row = latest[(latest.icb_code == "X27SS")].iloc[0]
    assert row["icb_name"] == "NHS Staffordshire and Shropshire (assumed name)" and row["region"] == "Midlands"
    on_2026 = scenario_results(merger, "2026").set_index(["icb_code", "year"])
    x = latest.set_index(["icb_code", "year"])
    for column in LINEAR:
        assert x.loc[("X27SS", "2028/29"), column] == pytest.approx(
            on_2026.loc[("QOC", "2028/29"), column] + on_2026.loc[("QNC", "2028/29"), column], rel=1e-12)


# ---------------------------------------------------------------------------------------------
# Changes as data: messages


def _project(tmp_path: Path) -> Path:
    project = tmp_path / "project"
    shutil.copytree(FIXTURE, project)
    return project


def _change(project: Path, rows: list[str], effective: str = "2024-04", header: str = "old_code,new_code,share",
            extra: str = "") -> Path:
    (project / "change.csv").write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    path = project / "scenarios" / "changed.yaml"
    path.write_text("extends: base\norganisations:\n  changes:\n"
                    f"    - effective: \"{effective}\"\n      table: ../change.csv\n{extra}", encoding="utf-8")
    return path


@pytest.mark.parametrize(("rows", "effective", "message"), [
    (["QAA,QAA,1", "QBB,QBB,1", "QCC,QCC,1"], "2024-07", "2024-07 is not an April"),
    (["QAA,QAA,1", "QBB,QBB,0.5", "QCC,QCC,1"], "2024-04", "the shares of QBB sum to 0.5, not 1"),
    (["QAA,QAA,1", "QBB,QBB,1"], "2024-04", "QCC is not in the table"),
    (["QAA,QAA,1", "QBB,QBB,1", "QCC,QCC,1", "QZZ,QAA,1"], "2024-04", "'QZZ' is not an organisation before"),
    (["QAA,QAA,1", "QBB,NEW,1", "QCC,QCC,1"], "2024-04", "NEW is a new organisation with no name"),
    (["QAA,QAA,1", "QBB,QBB,x", "QCC,QCC,1"], "2024-04", "'x' is not a number"),
    (["QAA,QAA,1", "QBB,QBB,1.5", "QCC,QCC,1"], "2024-04", "1.5 is not a share"),
    (["QAA,QAA,1", "QBB,QBB,1", "QCC,QCC,1"], "2022-04", "is not after the base year"),
])
def test_a_bad_change_gets_a_message_naming_the_file_and_line(tmp_path, capsys, rows, effective, message):
    project = _project(tmp_path)
    path = _change(project, rows, effective)
    assert main(["--root", str(project), "validate", str(path)]) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err
    assert "change.csv" in err or "changed.yaml" in err


def test_a_modeller_adds_a_merger_without_code(tmp_path):
    project = _project(tmp_path)
    path = _change(project, ["QAA,QAB,1,NHS Test North and Middle,Midlands", "QBB,QAB,1,,", "QCC,QCC,1,,"],
                   header="old_code,new_code,share,new_name,new_region")
    merged = load_scenario(path, project)
    assert merged.history.footprints() == ("2022", "2024")
    latest = scenario_results(merged)
    assert list(latest[latest.year == "2024/25"]["icb_code"]) == ["ENG", "QAB", "QCC"]
    former = scenario_results(merged, "2022")
    assert list(former[former.year == "2024/25"]["icb_code"]) == ["ENG", "QAA", "QBB", "QCC"]
    with pytest.raises(ScenarioError, match="QAB does not exist in 2023/24"):
        overlay(merged, {"allowance": {"use_published": True, "published": {"figures": {"QAB": {"2023/24": 5e6}}}}},
                "x", "x.yaml")


def test_footprint_option_is_checked(capsys):
    assert main(["--root", str(ROOT), "run", "base", "--footprint", "2019", "--out", "/tmp/never-written"]) == 2
    err = capsys.readouterr().err
    assert "--footprint 2019" in err and "2022, 2026" in err
    assert not Path("/tmp/never-written").exists()


# ---------------------------------------------------------------------------------------------
# Conservation: random splits and merges


@st.composite
def histories(draw) -> tuple[list[str], list[tuple[str, list[tuple[str, str, float]]]]]:
    """Three to five ICBs alike per head, and one or two changes in later Aprils, each mapping
    every organisation then to one or two organisations after it."""
    n = draw(st.integers(3, 5))
    populations = [draw(st.integers(200_000, 3_000_000)) for _ in range(n)]
    icbs = [f"Q{chr(65 + i)}{chr(65 + i)},NHS Test {i},Midlands,{p},," for i, p in enumerate(populations)]
    codes = [f"Q{chr(65 + i)}{chr(65 + i)}" for i in range(n)]
    changes = []
    years = sorted(draw(st.lists(st.sampled_from([2023, 2024, 2025, 2026]), min_size=1, max_size=2, unique=True)))
    fresh = itertools.count(1)
    for year in years:
        rows = []
        after: list[str] = []
        for code in codes:
            kind = draw(st.sampled_from(["keep", "merge", "split"]))
            if kind == "merge" and after:
                rows.append((code, draw(st.sampled_from(after)), 1.0))
            elif kind == "split":
                share = draw(st.sampled_from([0.25, 0.5, 0.58787]))
                new = [f"N{next(fresh):02d}", f"N{next(fresh):02d}"]
                rows += [(code, new[0], share), (code, new[1], 1 - share)]
                after += new
            else:
                rows.append((code, code, 1.0))
                after.append(code)
        changes.append((f"{year}-04", rows))
        codes = list(dict.fromkeys(new for _, new, _ in rows))
    return icbs, changes


def _write_history(project: Path, icbs: list[str], changes: list[tuple[str, list[tuple[str, str, float]]]],
                   tag: str) -> Path:
    (project / f"icbs_{tag}.csv").write_text("code,name,region,population,baseline_rca_gbp,note\n"
                                             + "\n".join(icbs) + "\n", encoding="utf-8")
    lines = ["extends: base", f"name: run_{tag}", "icbs:", f"  table: ../icbs_{tag}.csv",
             "delegation:", "  dentistry:", "    go_live: {by_icb: {QCC: 2024-04}}",  # as the region: ICBs alike
             "organisations:",
             "  changes:" + ("" if changes else " []")]
    for k, (effective, rows) in enumerate(changes):
        table = project / f"change_{tag}_{k}.csv"
        table.write_text("old_code,new_code,share,new_name,new_region\n" + "\n".join(
            f"{old},{new},{share!r}," + (f"Org {new},Midlands" if new.startswith("N") else ",")
            for old, new, share in rows) + "\n", encoding="utf-8")
        lines += [f"    - effective: \"{effective}\"", f"      table: ../change_{tag}_{k}.csv"]
    path = project / "scenarios" / f"run_{tag}.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def scratch(tmp_path_factory) -> Path:
    project = tmp_path_factory.mktemp("organisations") / "project"
    shutil.copytree(FIXTURE, project)
    return project


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                 HealthCheck.function_scoped_fixture])
@given(history=histories())
def test_changes_conserve_pounds_staff_and_people(scratch, history):
    icbs, changes = history
    tag = f"{abs(hash(repr(history))):x}"
    changed = load_scenario(_write_history(scratch, icbs, changes, tag), scratch)
    unchanged = load_scenario(_write_history(scratch, icbs, [], tag + "u"), scratch)
    reference = scenario_results(unchanged).set_index(["icb_code", "year"])
    for footprint in changed.history.footprints():
        results = scenario_results(changed, footprint)
        units = results[results.icb_code != "ENG"].groupby("year")[ADDITIVE].sum()
        england = results[results.icb_code == "ENG"].set_index("year")[ADDITIVE]
        pd.testing.assert_frame_equal(units, england, check_exact=False, rtol=1e-9, atol=1e-6)
        np.testing.assert_allclose(england[LINEAR].to_numpy(), reference.loc["ENG"][LINEAR].to_numpy(),
                                   rtol=1e-9, atol=1e-6)
        # One pool never employs fewer than its pieces would apart.
        assert (england["employed_wte"] >= reference.loc["ENG"]["employed_wte"] - 1e-6).all()


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                 HealthCheck.function_scoped_fixture])
@given(populations=st.lists(st.integers(200_000, 3_000_000), min_size=2, max_size=2),
       years=st.sampled_from([(2023, 2024), (2024, 2026), (2025, 2026)]))
def test_a_merge_then_the_inverse_split_restores_the_linear_columns(scratch, populations, years):
    a, b = populations
    icbs = [f"QAA,NHS Test A,Midlands,{a},,", f"QBB,NHS Test B,Midlands,{b},,", "QCC,NHS Test C,Midlands,900000,,"]
    share = a / (a + b)
    changes = [(f"{years[0]}-04", [("QAA", "N01", 1.0), ("QBB", "N01", 1.0), ("QCC", "QCC", 1.0)]),
               (f"{years[1]}-04", [("N01", "QAA", share), ("N01", "QBB", 1 - share), ("QCC", "QCC", 1.0)])]
    tag = f"{a}_{b}_{years[0]}"
    changed = scenario_results(load_scenario(_write_history(scratch, icbs, changes, tag), scratch))
    plain = scenario_results(load_scenario(_write_history(scratch, icbs, [], tag + "u"), scratch))
    keys = ["icb_code", "year"]
    got, want = changed.set_index(keys).sort_index(), plain.set_index(keys).sort_index()
    np.testing.assert_allclose(got[LINEAR].to_numpy(), want[LINEAR].to_numpy(), rtol=1e-9, atol=1e-6)


# ---------------------------------------------------------------------------------------------
# Sums in atom order, with whole-array operations


def _loop_sums(values: np.ndarray, groups: np.ndarray, n_groups: int) -> np.ndarray:
    """The sums as a loop over rows makes them: the order every sum must keep, bit for bit."""
    out = np.zeros((n_groups, *values.shape[1:]))
    for row, group in enumerate(groups.tolist()):
        out[group] += values[row]
    return out


@given(st.lists(st.integers(0, 5), min_size=1, max_size=40), st.integers(1, 4), st.integers(0, 2**32 - 1))
def test_layers_add_rows_into_groups_in_row_order_bit_for_bit(groups, width, seed):
    groups = np.array(groups)
    rng = np.random.default_rng(seed)
    values = rng.normal(size=(len(groups), width)) * 10.0 ** rng.integers(-8, 9, size=(len(groups), width))
    layers = Layers.of(groups)
    assert len(layers.targets) == max(np.bincount(groups))  # as many steps as the largest group has rows
    got = layers.sums(values, 6)
    assert got.tobytes() == _loop_sums(values, groups, 6).tobytes()


@pytest.mark.parametrize("shape", [(46, 9, 64), (46, 9, 1), (46, 1, 1), (46, 1), (3, 2), (1, 4, 2), (200, 3, 1)])
@pytest.mark.parametrize("layout", ["C", "F", "broadcast"])
def test_england_adds_atoms_in_order_bit_for_bit(shape, layout):
    rng = np.random.default_rng(7)
    values = rng.normal(size=shape) * 10.0 ** rng.integers(-8, 9, size=shape)
    if layout == "F":
        values = np.asfortranarray(values)
    elif layout == "broadcast":
        values = np.broadcast_to(values[..., :1], shape)
    loop = values[0].copy()
    for row in values[1:]:
        loop += row
    assert england(values).tobytes() == loop[None].tobytes()


def test_organisation_sums_shares_and_last_year_restated_match_loops_over_atoms(base):
    """The base scenario's lineage (46 atoms, 48 organisations over two eras), against the loops
    the engine once ran: sums atom by atom, shares by population, last year's pool restated."""
    from model.engine.inputs import from_scenario

    lineage = from_scenario(base).lineage
    n_atoms, n_years = lineage.org_of.shape[1], lineage.org_of.shape[0]
    rng = np.random.default_rng(3)
    atoms = rng.normal(size=(n_atoms, n_years, 5)) * 1e6
    expected = np.stack([_loop_sums(atoms[:, t], lineage.org_of[t], lineage.n_orgs) for t in range(n_years)], axis=1)
    assert lineage.to_orgs(atoms).tobytes() == expected.tobytes()
    orgs = rng.normal(size=(lineage.n_orgs, n_years, 5)) * 1e6
    shared = np.stack([orgs[lineage.org_of[t], t] * lineage.share[t][:, None] for t in range(n_years)], axis=1)
    assert lineage.to_atoms(orgs).tobytes() == shared.tobytes()
    shifted = np.concatenate([shared[:, :1], shared[:, :-1]], axis=1)
    assert lineage.previous_on(orgs).tobytes() == lineage.to_orgs(shifted).tobytes()
    footprint = lineage.footprint("2026")
    assert to_units(atoms, footprint).tobytes() == _loop_sums(atoms, footprint.unit_of, len(footprint)).tobytes()
