"""The dashboard's logic, without a browser: controls from metadata, settings -> the overlay, the
scenario file it writes, the URL, uploads, and figures and tables equal to the engine's results."""

from __future__ import annotations

import io
import itertools
import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest
import yaml

from dashboard import briefing as dash_briefing
from dashboard import callbacks, chartdata, components, layout, overlay, startpoint, urlstate
from dashboard import store as dash_store
from dashboard.controls import CONTROL_BY_KEY, CONTROLS, CUSTOM, format_setting
from dashboard.urlstate import View
from model import engine, schema
from model.engine.changes import Change, apply
from model.engine.inputs import from_scenario
from model.output.compare import headline_table
from model.output.results import tabulate
from model.periods import parse_month
from model.scenario import check_files, load_scenario
from model.schema import FUNCTIONS, HEADLINES
from tests.briefing_text import file_text

ROOT = Path(__file__).resolve().parents[1]
NUMERIC = ["allowance_gbp", "core_allowance_gbp", "delegated_allowance_gbp", "allowance_real_gbp",
           "affordable_wte", "required_wte", "wte_gap", "funding_gap_gbp", "core_capacity_wte",
           "employed_wte", "redundancies_wte", "redundancy_cost_gbp", "real_change_vs_base"]

MOVES = [
    {"cut.size": 40, "cut.year": "2027/28"},
    {"cut.size": 20, "cut.year": "2024/25", "cut.basis": "real"},
    {"pay.shift": 1.5, "nonpay.shift": -0.5, "oncost.shift": 2.0, "prices.from": "2024/25"},
    {"envelope.on": True, "envelope.per_head": 21.5, "envelope.effective": "2025-10"},
    {"workforce.turnover": 15, "workforce.redundancy_months": 12},
    {"dentistry.go_live_shift": 9, "specialised.go_live_shift": -12, "pharmacy.go_live_shift": 30},
    {"dentistry.required": 1.6, "optometry.in_scope": False, "specialised.in_scope": False},
    {"cut.size": 50, "cut.year": "2026/27", "pay.shift": -1, "envelope.on": True, "specialised.go_live_shift": 24,
     "pharmacy.required": 0.8, "workforce.turnover": 5},
]


@pytest.fixture(scope="module")
def store() -> dash_store.ScenarioStore:
    return dash_store.ScenarioStore(ROOT)


def settings_for(store: dash_store.ScenarioStore, start: str, moves: dict) -> dict:
    return startpoint.settings_from(moves, store.shipped[start].start)


def engine_results(scenario_or_inputs, name: str) -> pd.DataFrame:
    inputs = scenario_or_inputs if hasattr(scenario_or_inputs, "values") else from_scenario(scenario_or_inputs)
    return tabulate(name, inputs, engine.run(inputs))


# ---------------------------------------------------------------------------------------------
# Controls come from the schema's metadata


def test_every_control_names_a_schema_key_and_takes_its_widget_and_range_from_it():
    for control in CONTROLS:
        spec = schema.spec_for(control.path)
        assert spec is not None, control.path
        assert control.help.startswith(spec.description)
        assert control.role == spec.role
        if spec.kind == "flag":
            assert control.widget == "switch"
        if spec.kind == "word":
            assert control.widget == "choice" and {v for v, _ in control.choices} == set(spec.choices)
        if control.widget == "slider":
            assert control.low < control.high and control.step
            scaled = [v / control.scale for v in (control.low, control.high)]
            if not control.key.endswith((".shift", "_shift")):  # shifts are changes, not values
                assert all(spec.in_range(v) or (v == spec.low and spec.low_open) for v in scaled), control.key
        if (spec.unit or "").startswith("fraction") and control.widget == "slider":
            assert (control.scale == 100 and "%" in control.unit) or "points" in control.unit


def test_the_controls_cover_what_finance_leads_argue_about():
    paths = {c.path for c in CONTROLS}
    for needed in ("running_cost_cut.path", "running_cost_cut.basis", "running_cost_cut.envelope",
                   "running_cost_cut.envelope.per_head_gbp", "running_cost_cut.envelope.effective",
                   "inflation.pay_award", "inflation.nonpay_inflation", "inflation.oncost_rate",
                   "workforce.turnover_rate", "workforce.redundancy_months"):
        assert needed in paths
    for f in FUNCTIONS:
        assert {f"delegation.{f}.go_live.default", f"delegation.{f}.required_wte_per_100k",
                f"delegation.{f}.in_cut_scope"} <= paths


def test_every_default_shows_its_source_or_status(store):
    for key, loaded in store.shipped.items():
        sources = loaded.start.sources
        for control in CONTROLS:
            source = sources[control.key]
            assert source.value
            if control.key.startswith("envelope.") and control.key != "envelope.on" and loaded.start.envelope is None:
                assert "envelope_2025" in source.note
            else:
                assert source.set_in, (key, control.key)
        text = components.hover_text(CONTROL_BY_KEY["workforce.turnover"], loaded.start)
        assert "Default in" in text and "Set in" in text


def test_hover_text_names_the_source_of_a_sourced_default(store):
    text = components.hover_text(CONTROL_BY_KEY["dentistry.go_live_shift"], store.shipped["base"].start)
    assert "PRN00089" in text and "sourced" in text and "assumptions.yaml:" in text


# ---------------------------------------------------------------------------------------------
# Settings -> changes -> engine


@pytest.mark.parametrize("start", ["base", "envelope_2025", "real_terms_30", "spec_comm_2027", "pod_capacity_gap",
                                   "high_pay"])
def test_untouched_controls_change_nothing_and_custom_equals_its_start(store, start):
    loaded = store.shipped[start]
    settings = startpoint.defaults(loaded.start)
    assert overlay.edits(settings, loaded.start) == []
    custom = store.custom(start, settings)
    pd.testing.assert_frame_equal(custom.results[NUMERIC], loaded.results[NUMERIC])


def test_a_slider_move_is_the_matching_override(store):
    """Turnover 10% -> 12% is exactly Change('workforce.turnover_rate', 'set', 0.12)."""
    base = store.shipped["base"]
    custom = store.custom("base", settings_for(store, "base", {"workforce.turnover": 12}))
    expected = engine_results(apply(base.inputs, [Change("workforce.turnover_rate", "set", 0.12)]), CUSTOM)
    pd.testing.assert_frame_equal(custom.results[NUMERIC], expected[NUMERIC])


def test_the_cut_keeps_the_starting_shape_scaled_to_the_new_size(store):
    base = store.shipped["base"]
    custom = store.custom("base", settings_for(store, "base", {"cut.size": 36}))
    expected = engine_results(apply(base.inputs, [Change("running_cost_cut.path", "scale", 36 / 30)]), CUSTOM)
    np.testing.assert_allclose(custom.results[NUMERIC].to_numpy(), expected[NUMERIC].to_numpy(), rtol=1e-9)


def test_stretched_path_reaches_the_size_in_the_year_and_keeps_the_shape():
    path = (0.0, 0.0, 0.2, 0.3, 0.3, 0.3)
    assert overlay.stretched_path(path, 3, 0.3, 3) == list(path)
    later = overlay.stretched_path(path, 3, 0.5, 5)
    assert later[5] == 0.5 and later[0] == 0.0 and max(later[:5]) < 0.5
    assert all(b >= a for a, b in itertools.pairwise(later))
    sooner = overlay.stretched_path(path, 3, 0.4, 1)
    assert sooner[1:] == [0.4] * 5
    flat = overlay.stretched_path((0.0,) * 6, 0, 0.3, 3)
    assert flat == [0.0, 0.1, 0.2, 0.3, 0.3, 0.3]


def test_go_live_shift_moves_every_region_and_icb(store):
    base = store.shipped["base"]
    custom = store.custom("base", settings_for(store, "base", {"dentistry.go_live_shift": 6}))
    before = base.inputs.values["delegation.dentistry.go_live"]
    after = custom.inputs.values["delegation.dentistry.go_live"]
    np.testing.assert_array_equal(after, before + 6)


def test_switching_the_envelope_off_removes_it(store):
    env = store.shipped["envelope_2025"]
    custom = store.custom("envelope_2025", settings_for(store, "envelope_2025", {"envelope.on": False}))
    assert np.isnan(custom.inputs.values["running_cost_cut.envelope.effective"][0])
    assert env.inputs.values["running_cost_cut.envelope.effective"][0] == parse_month("2026-01")


ENVELOPE_DRAWS = """name: drawn
extends: envelope_2025
uncertainty:
  running_cost_cut.envelope.per_head_gbp: {distribution: triangular, mode: scale, low: 0.9, peak: 1, high: 1.1}
  running_cost_cut.envelope.uplift: {distribution: uniform, mode: add, low: 0, high: 0.02}
"""


def test_switching_the_envelope_off_drops_the_uncertainty_of_its_parameters(tmp_path):
    """A scenario without an envelope cannot draw the envelope's parameters, so the overlay (and the
    downloaded file) that switches it off writes `uncertainty: {<path>: null}` for each."""
    from model.scenario import ScenarioError
    from model.scenario import overlay as lay

    (tmp_path / "drawn.yaml").write_text(ENVELOPE_DRAWS)
    start = load_scenario(tmp_path / "drawn.yaml", ROOT)
    sp = startpoint.start_point(start, from_scenario(start))
    assert set(sp.envelope_uncertainty) == {"running_cost_cut.envelope.per_head_gbp",
                                            "running_cost_cut.envelope.uplift"}
    with pytest.raises(ScenarioError, match="a parameter of the envelope"):
        lay(start, {"running_cost_cut": {"envelope": None}}, name=CUSTOM, display="the dashboard")

    settings = startpoint.settings_from({"envelope.on": False}, sp)
    found = overlay.edits(settings, sp)
    doc = overlay.document(found)
    assert doc["running_cost_cut"] == {"envelope": None}
    assert doc["uncertainty"] == {"running_cost_cut.envelope.per_head_gbp": None,
                                  "running_cost_cut.envelope.uplift": None}
    assert list(doc) == ["running_cost_cut", "uncertainty"]  # uncertainty last, as files write it
    assert "uncertainty.running_cost_cut.envelope.uplift" in [e.path for e in found]
    custom = overlay.custom_scenario(start, doc)
    assert custom.value("running_cost_cut.envelope") is None
    assert not any(path.startswith("running_cost_cut.envelope") for path in custom.tree["uncertainty"])
    assert "inflation.pay_award" in custom.tree["uncertainty"]  # the others stay

    (tmp_path / "custom.yaml").write_text(overlay.scenario_yaml(settings, sp, "drawn.yaml", "0" * 64, "test"))
    again = load_scenario(tmp_path / "custom.yaml", ROOT)
    assert again.content_hash() == custom.content_hash()
    pd.testing.assert_frame_equal(engine_results(again, CUSTOM)[NUMERIC], engine_results(custom, CUSTOM)[NUMERIC],
                                  check_exact=True)


def leaves(node: dict, path: tuple = ()):
    """(path, provenance form) of each value an overlay document sets; a null is its own leaf."""
    for key, value in node.items():
        if value is None or "status" in value:
            yield (*path, key), value
        else:
            yield from leaves(value, (*path, key))


def test_the_overlay_document_is_a_scenario_file_body_with_dashboard_provenance(store):
    sp = store.shipped["base"].start
    settings = settings_for(store, "base", MOVES[-1])
    found = overlay.edits(settings, sp)
    doc = overlay.document(found)
    assert list(doc) == ["running_cost_cut", "inflation", "workforce", "delegation"]
    assert set(doc["running_cost_cut"]) == {"path", "envelope"}
    assert set(doc["running_cost_cut"]["envelope"]) == {"per_head_gbp", "effective", "uplift"}
    for path, form in leaves(doc):
        assert form["status"] == "assumption", path
        assert form["note"].startswith("set in the dashboard: "), path
        assert ("values" in form) != ("value" in form), path
    cut = doc["running_cost_cut"]["path"]
    assert cut["unit"] == "fraction" and list(cut["values"]) == list(sp.labels[: sp.labels.index("2026/27") + 1])
    assert cut["values"]["2026/27"] == 0.5
    file = overlay.scenario_document(settings, sp, "base")
    assert list(file)[:3] == ["name", "extends", "description"]
    assert {k: v for k, v in file.items() if k not in ("name", "extends", "description")} == doc
    assert yaml.safe_load(overlay.scenario_yaml(settings, sp, "base", "0" * 64, "test")) == file
    custom = store.custom("base", settings)
    assert custom.document == doc and custom.scenario.get("workforce.turnover_rate").prov.file == "the dashboard"


def test_the_cut_path_is_written_to_its_new_reach_or_the_starts_last_listed_year(store):
    sp = store.shipped["base"].start
    last = sp.labels[sp.cut_last]
    for year, written_to in (("2027/28", "2027/28"), ("2023/24", last)):
        settings = settings_for(store, "base", {"cut.size": 40, "cut.year": year})
        cut = overlay.document(overlay.edits(settings, sp))["running_cost_cut"]["path"]["values"]
        assert list(cut) == list(sp.labels[: sp.labels.index(written_to) + 1])
        assert store.custom("base", settings).inputs.cut_last == sp.labels.index(written_to)


def test_an_envelope_switched_on_for_a_start_without_one_is_the_first_shipped_envelope(store):
    envelope = store.shipped["envelope_2025"].scenario.value("running_cost_cut.envelope")
    default = store.envelope_default
    assert default.scenario == "envelope_2025"
    assert (default.per_head_gbp, default.effective, default.uplift) == (
        envelope["per_head_gbp"], envelope["effective"], envelope["uplift"])
    sp = store.shipped["base"].start
    assert sp.envelope is None and sp.envelope_default == default
    d = startpoint.defaults(sp)
    assert (d["envelope.per_head"], d["envelope.effective"]) == (envelope["per_head_gbp"], envelope["effective"])
    assert sp.sources["envelope.per_head"].source.startswith("Healthcare Leader")  # envelope_2025's source
    written = overlay.document(overlay.edits(settings_for(store, "base", {"envelope.on": True}), sp))
    assert {k: v["value"] for k, v in written["running_cost_cut"]["envelope"].items()} == envelope
    # With no shipped envelope, the default is the middle of the control's range.
    base = store.shipped["base"]
    alone = startpoint.start_point(base.scenario, base.inputs, startpoint.envelope_default([base.scenario]))
    control = CONTROL_BY_KEY["envelope.per_head"]
    assert alone.envelope_default.scenario is None
    assert startpoint.defaults(alone)["envelope.per_head"] == (control.low + control.high) / 2


@pytest.mark.parametrize("start", ["base", "envelope_2025", "real_terms_30", "spec_comm_2027", "pod_capacity_gap",
                                   "high_pay"])
def test_every_slider_at_either_end_of_its_range_makes_a_valid_scenario(store, start):
    loaded = store.shipped[start]
    for control in CONTROLS:
        if control.widget != "slider":
            continue
        for value in (control.low, control.high):
            settings = startpoint.settings_from({control.key: value, "envelope.on": True}, loaded.start)
            overlay.custom_scenario(loaded.scenario, overlay.document(overlay.edits(settings, loaded.start)))


# ---------------------------------------------------------------------------------------------
# The scenario file: `icb-model run` accepts it unchanged and computes the same numbers


@pytest.mark.parametrize("start", ["base", "envelope_2025", "spec_comm_2027"])
@pytest.mark.parametrize("moves", MOVES, ids=[",".join(m) for m in MOVES])
def test_downloaded_yaml_loads_and_reproduces_the_page_exactly(store, start, moves):
    settings = settings_for(store, start, moves)
    custom = store.custom(start, settings)
    text = store.custom_yaml(start, settings, "test")
    loaded = store.load_text(text, "custom.yaml")
    assert loaded.name == CUSTOM
    assert loaded.content_hash() == custom.content_hash
    again = engine_results(loaded, CUSTOM)
    pd.testing.assert_frame_equal(again[NUMERIC], custom.results[NUMERIC], check_exact=True)


def test_downloaded_yaml_writes_only_what_changed_with_dashboard_provenance(store):
    settings = settings_for(store, "base", {"workforce.turnover": 12, "dentistry.go_live_shift": 3})
    doc = yaml.safe_load(store.custom_yaml("base", settings, "test"))
    assert doc["extends"] == "base" and doc["name"] == CUSTOM
    assert set(doc) == {"name", "extends", "description", "workforce", "delegation"}
    turnover = doc["workforce"]["turnover_rate"]
    assert turnover["value"] == 0.12 and turnover["unit"] == "fraction per year"
    assert turnover["note"].startswith("set in the dashboard") and turnover["status"] == "assumption"
    go_live = doc["delegation"]["dentistry"]["go_live"]
    assert go_live["default"]["value"] == "2023-10"
    assert {r: e["value"] for r, e in go_live["by_region"].items()} == {"East of England": "2023-07",
                                                                        "North West": "2023-07"}


def test_a_start_with_a_post_path_uplift_counts_it_from_the_new_last_year(store, tmp_path):
    """The post-path uplift applies after the cut path's last listed year, which the YAML moves."""
    (tmp_path / "uplift.yaml").write_text("name: uplift\nextends: base\nrunning_cost_cut:\n  post_path_uplift: 0.02\n")
    start = load_scenario(tmp_path / "uplift.yaml", ROOT)
    sp = startpoint.start_point(start, from_scenario(start))
    for moves in ({"cut.size": 40, "cut.year": "2027/28"}, {"cut.size": 25, "cut.year": "2024/25"}):
        settings = startpoint.settings_from(moves, sp)
        page = engine_results(overlay.custom_scenario(start, overlay.document(overlay.edits(settings, sp))), CUSTOM)
        text = overlay.scenario_yaml(settings, sp, "uplift.yaml", start.content_hash(), "test")
        (tmp_path / "custom.yaml").write_text(text)
        again = engine_results(load_scenario(tmp_path / "custom.yaml", ROOT), CUSTOM)
        pd.testing.assert_frame_equal(again[NUMERIC], page[NUMERIC], check_exact=True)


@pytest.mark.parametrize("start", ["base", "envelope_2025", "spec_comm_2027"])
def test_icb_model_run_accepts_the_downloaded_file(store, tmp_path, start):
    """The page's CSV download of the custom scenario is byte for byte the results.csv that
    `icb-model run` writes for the downloaded scenario file (figures and content hash alike)."""
    from model import cli

    settings = settings_for(store, start, MOVES[-1])
    path = tmp_path / "custom.yaml"
    path.write_text(store.custom_yaml(start, settings, "test"))
    assert cli.main(["--root", str(ROOT), "run", str(path), "--out", str(tmp_path / "out"), "--no-xlsx"]) == 0
    written = pd.read_csv(tmp_path / "out" / "results.csv")
    page = store.custom(start, settings).results
    assert list(written["scenario"].unique()) == [CUSTOM]
    np.testing.assert_allclose(written["allowance_gbp"], page["allowance_gbp"], atol=0.006)
    np.testing.assert_allclose(written["wte_gap"], page["wte_gap"], atol=1e-4)
    view = View(start, "ENG", "2025/26", (CUSTOM,), settings)
    assert callbacks.results_csv(store, view) == (tmp_path / "out" / "results.csv").read_text()


# ---------------------------------------------------------------------------------------------
# Figures and tables equal the engine's results


def independent_custom(start: str, moves: dict, store) -> pd.DataFrame:
    """The custom scenario computed without the dashboard's cache: its YAML through the loader."""
    text = store.custom_yaml(start, settings_for(store, start, moves), "test")
    return engine_results(store.load_text(text, "custom.yaml"), CUSTOM)


def test_figures_and_headline_table_show_the_engine_results(store):
    moves = {"cut.size": 45, "dentistry.required": 1.4, "pay.shift": 1.0}
    view = View("base", "QHM", "2026/27", ("base", "envelope_2025", "real_terms_30", CUSTOM),
                settings_for(store, "base", moves))
    out = callbacks.render(store, view)
    expected = {"base": store.shipped["base"].results, "envelope_2025": store.shipped["envelope_2025"].results,
                "real_terms_30": store.shipped["real_terms_30"].results,
                CUSTOM: independent_custom("base", moves, store)}

    def rows(name):
        frame = expected[name]
        return frame[frame["icb_code"] == "QHM"].set_index("year")

    allowance = out.figures["fig-allowance"]["data"]
    for trace in allowance:
        column = "allowance_gbp" if trace["xaxis"] == "x" else "allowance_real_gbp"
        np.testing.assert_allclose(trace["y"], rows(trace["name"]).loc[trace["x"], column] / 1e6, rtol=1e-12)
    for trace in out.figures["fig-workforce"]["data"]:
        name, what = trace["name"].split(": ")
        column = "affordable_wte" if what == "can afford" else "required_wte"
        np.testing.assert_allclose(trace["y"], rows(name).loc[trace["x"], column], rtol=1e-12)
    for trace in out.figures["fig-core"]["data"][1:]:
        np.testing.assert_allclose(trace["y"], rows(trace["name"]).loc[trace["x"], "core_capacity_wte"], rtol=1e-12)
    for trace in out.figures["fig-waterfall"]["data"]:
        r = rows(trace["name"])
        assert trace["y"][0] == pytest.approx(r.loc["2022/23", "allowance_gbp"] / 1e6)
        assert trace["y"][-1] == pytest.approx(r.loc["2026/27", "allowance_real_gbp"] / 1e6)
        assert sum(trace["y"][:-1]) == pytest.approx(trace["y"][-1])
    for trace in out.figures["fig-ranking"]["data"]:
        frame = expected[trace["name"]]
        year = frame[(frame["year"] == "2026/27") & (frame["icb_code"] != "ENG")]
        np.testing.assert_allclose(sorted(trace["x"]), sorted(year["wte_gap"] / year["population"] * 1e5), rtol=1e-12)

    table = headline_table(pd.concat(expected.values()), list(expected), "2026/27", "QHM")
    cells = {(td.__dict__["data-measure"], td.__dict__["data-scenario"]): td.children
             for tr in out.headline.children[1].children for td in tr.children[1:]}
    for headline, (_, row) in zip(HEADLINES, table.iterrows(), strict=False):
        for name in expected:
            assert cells[(headline.name, name)] == components.headline_cell(row[name], headline.display.unit)


def test_every_figure_is_a_valid_plotly_figure(store):
    view = View("base", "ENG", "2025/26", ("base", "envelope_2025", "spec_comm_2027", CUSTOM),
                settings_for(store, "base", MOVES[-1]))
    out = callbacks.render(store, view)
    for figure in out.figures.values():
        go.Figure(figure)  # raises on any property plotly does not know
        assert "sha256" in figure["layout"]["annotations"][0]["text"]


def test_waterfall_steps_add_up_and_ranking_is_sorted(store):
    results = store.shipped["base"].results
    rows = results[results["icb_code"] == "ENG"]
    steps = chartdata.waterfall_steps(rows, "2022/23", "2028/29")
    assert sum(s.gbp for s in steps[:-1]) == pytest.approx(steps[-1].gbp)
    table = chartdata.ranking(results, ["base"], "2025/26")
    assert len(table) == 42 and table["base"].is_monotonic_increasing


def test_render_notes_when_custom_is_not_ticked_and_for_an_envelope_without_programme_pay(store):
    view = View("base", "ENG", "2025/26", ("base",), settings_for(store, "base", {"envelope.on": True}))
    notes = " ".join(p.children for p in callbacks.render(store, view).notes)
    assert "tick 'custom'" in notes and "programme-funded pay" in notes


# ---------------------------------------------------------------------------------------------
# Page state: URL and triggers


def test_url_round_trip_and_bad_values_fall_back(store):
    starts, codes, years = store.starts(), list(store.icbs["code"]), list(store.labels)
    keys = callbacks.offered_keys(store, [])
    view = View("envelope_2025", "QHM", "2027/28", ("base", CUSTOM, "high_pay"),
                settings_for(store, "envelope_2025", MOVES[-1]))
    query = urlstate.to_query(view, starts["envelope_2025"])
    assert urlstate.parse_query(query, starts, codes, years, keys) == view
    assert urlstate.to_query(urlstate.parse_query("", starts, codes, years, keys), starts["base"]) == ""
    bad = urlstate.parse_query("?icb=XXX&year=1999/00&compare=nope&start=evil&cut.size=500&pay.shift=abc&x=1",
                            starts, codes, years, keys)
    assert (bad.icb, bad.year, bad.compare, bad.start) == ("ENG", "2025/26", urlstate.DEFAULT_COMPARE, "base")
    assert bad.settings["cut.size"] == 70 and bad.settings["pay.shift"] == 0


def test_resolve_takes_the_url_first_then_resets_on_a_new_start(store):
    view, how = callbacks.resolve(store, None, "?icb=QHM&workforce.turnover=15", "base", {}, "ENG", "2025/26",
                                  ["base"], [])
    assert how == "url" and view.icb == "QHM" and view.settings["workforce.turnover"] == 15
    moved = {"workforce.turnover": 15, "dentistry.in_scope": ["on"]}
    view, how = callbacks.resolve(store, "start", "", "envelope_2025", moved, "QHM", "2025/26", ["base"], [])
    assert how == "reset" and view.settings == startpoint.defaults(store.shipped["envelope_2025"].start)
    view, how = callbacks.resolve(store, "control", "", "base", {"workforce.turnover": 15, "envelope.on": ["on"]},
                                  "QHM", "2025/26", ["base", CUSTOM, "high_pay", "real_terms_30", "envelope_2025"], [])
    assert how == "edit" and view.settings["envelope.on"] is True and len(view.compare) == urlstate.MAX_COMPARE


def test_compare_options_disable_the_rest_once_four_are_ticked(store):
    chosen = ["base", "envelope_2025", "high_pay", CUSTOM]
    options = layout.compare_options(store, [], chosen)
    assert {o["value"] for o in options if o["disabled"]} == set(store.shipped) - set(chosen)


# ---------------------------------------------------------------------------------------------
# Uploads: same messages as the command line, limited, confined, never executed


def test_a_bad_upload_gets_the_command_lines_messages(store, tmp_path):
    text = "name: mine\nextends: base\ninflation:\n  pay_awrd: 0.05\nworkforce:\n  turnover_rate: 15\n"
    result = store.upload("mine.yaml", text.encode())
    assert result.loaded is None
    (tmp_path / "mine.yaml").write_text(text)
    cli_issues = check_files([tmp_path / "mine.yaml"], ROOT)
    assert [m.split(" | ", 1)[1] for m in result.messages] == [i.message for i in cli_issues]
    assert result.messages[0].startswith("mine.yaml:4, inflation.pay_awrd | unknown key. Did you mean 'pay_award'?")


@pytest.mark.parametrize(("content", "expected"), [
    (b"name: x\nextends: ../../../etc/hosts.yaml\n", "cannot name files"),
    (b"name: x\nextends: base\nicbs:\n  table: /etc/passwd\n", "cannot name files"),
    (b"name: x\nextends: base\nhorizon: !!python/object/apply:os.system ['touch /tmp/pwned']\n", "is not allowed"),
    (b"\x00\x01\x02", "binary"),
    (b"#" * (dash_store.UPLOAD_MAX_BYTES + 1), "over the limit"),
    (b"name: base\nextends: base\n", "like a scenario the page already shows"),
])
def test_uploads_are_refused_with_a_clear_message(store, content, expected):
    result = store.upload("x.yaml", content)
    assert result.loaded is None
    assert any(expected in m for m in result.messages), result.messages


def test_a_good_upload_joins_the_comparison(store):
    result = store.upload("../../my scenario!.yml",
                          b"name: mine\nextends: base\ninflation:\n  pay_award: {2025/26: 0.05}\n")
    assert result.loaded is not None and result.loaded.name == "mine"
    assert result.loaded.key in callbacks.offered_keys(store, [{"key": result.loaded.key, "name": "mine"}])
    assert dash_store.safe_filename("../../my scenario!.yml") == "my_scenario.yaml"


def test_an_upload_another_worker_took_is_revalidated_from_the_browsers_copy(store):
    text = "name: elsewhere\nextends: base\nworkforce:\n  turnover_rate: 0.2\n"
    other = dash_store.ScenarioStore(ROOT)
    key = other.upload("elsewhere.yaml", text.encode()).loaded.key
    assert store.get(key) is None or store.get(key).name == "elsewhere"
    keys = callbacks.offered_keys(store, [{"key": key, "name": "elsewhere", "filename": "elsewhere.yaml",
                                           "text": text}])
    assert key in keys and store.get(key).name == "elsewhere"
    assert callbacks.offered_keys(store, [{"key": "upload:000000000000", "name": "gone"}])[-1] == CUSTOM


def test_decode_upload_limits_size_before_decoding():
    import base64

    small = "data:application/x-yaml;base64," + base64.b64encode(b"extends: base\n").decode()
    assert callbacks.decode_upload(small) == b"extends: base\n"
    big = "data:application/x-yaml;base64," + "A" * (dash_store.UPLOAD_MAX_BYTES * 2)
    assert "over the limit" in callbacks.decode_upload(big)
    assert "could not be read" in callbacks.decode_upload("garbage")


# ---------------------------------------------------------------------------------------------
# Downloads


def test_workbook_download_has_every_compared_scenario_and_the_custom_provenance(store, tmp_path):
    from openpyxl import load_workbook

    view = View("base", "ENG", "2025/26", ("base", "high_pay", CUSTOM), settings_for(store, "base", {"cut.size": 45}))
    (tmp_path / "r.xlsx").write_bytes(callbacks.results_xlsx(store, view))
    book = load_workbook(tmp_path / "r.xlsx", read_only=True)
    assert {"base", "high_pay", CUSTOM, "Assumptions"} <= set(book.sheetnames)
    notes = [row for row in book["Assumptions"].iter_rows(values_only=True) if row[0] == CUSTOM]
    assert any("set in the dashboard" in str(cell) for row in notes for cell in row)


def test_csv_download_carries_the_hash_icb_model_run_gives(store):
    view = View("base", "ENG", "2025/26", ("base", CUSTOM), settings_for(store, "base", {"cut.size": 45}))
    results = pd.read_csv(io.StringIO(callbacks.results_csv(store, view)))
    loaded = store.load_text(store.custom_yaml("base", view.settings, "test"), "custom.yaml")
    assert set(results.loc[results["scenario"] == CUSTOM, "scenario_sha256"]) == {loaded.content_hash()}


SHORT_HORIZON = "name: short_horizon\nextends: base\nhorizon:\n  end_year: \"2027/28\"\n"
"""An upload whose results stop before 2028/29."""


@pytest.mark.parametrize("kind", ["pdf", "docx"])
def test_board_briefing_is_for_the_place_year_and_scenarios_on_screen(store, kind):
    """The briefing download: the ICB and year on screen, the compared scenarios with the custom
    one's settings, and "How to reproduce" naming the custom scenario's downloaded file."""
    from model.output.briefing import MEDIA_TYPES, pdf, wording

    view = View("base", "QOP", "2025/26", ("base", CUSTOM), settings_for(store, "base", {"cut.size": 45}))
    made = dash_briefing.board_briefing(store, view, kind)
    given = kind if kind == "docx" or pdf.problem() is None else "docx"  # no PDF without pango: the Word file
    assert made.filename == f"briefing_QOP_2025-26.{given}" and (made.note == "") == (given == kind)
    assert made.data is not None and made.media_type == MEDIA_TYPES[given]
    text = file_text(made.data, given)
    assert "NHS Greater Manchester" in text and "2025/26" in text
    results, _, _ = store.compared(view)
    row = results[(results["icb_code"] == "QOP") & (results["year"] == "2025/26")].set_index("scenario")
    shown = {name: wording.cell(row.loc[name, "allowance_gbp"] / 1e6, "£m") for name in ("base", CUSTOM)}
    assert shown["base"] != shown[CUSTOM] and all(f" {cell} " in text for cell in shown.values())
    assert "icb-model briefing base custom.yaml --icb QOP --year 2025/26" in text


def test_board_briefing_gives_the_word_file_and_says_so_when_no_pdf_can_be_made(store, monkeypatch):
    from model.output.briefing import Briefing, PdfUnavailable

    def unavailable(self):
        raise PdfUnavailable("WeasyPrint is not installed (pip install weasyprint)")

    monkeypatch.setattr(Briefing, "pdf_bytes", unavailable)
    view = View("base", "ENG", "2025/26", ("base",), settings_for(store, "base", {}))
    made = dash_briefing.board_briefing(store, view)
    assert made.filename == "briefing_ENG_2025-26.docx" and made.data is not None
    assert "Word file" in made.note and "WeasyPrint is not installed" in made.note
    assert "Running costs: England, 2025/26" in file_text(made.data, "docx")


def test_board_briefing_says_what_is_missing_instead_of_failing(store):
    loaded = store.upload("short.yaml", SHORT_HORIZON.encode()).loaded
    assert loaded is not None
    settings = settings_for(store, "base", {})
    made = dash_briefing.board_briefing(store, View("base", "QOP", "2028/29", ("base", loaded.key), settings))
    assert made.data is None and made.filename is None
    assert made.note.startswith("The briefing could not be made: year '2028/29' is not in the results of every")
    one = store.upload("one.yaml", b"name: one_icb\nextends: base\nicbs:\n  include: [QOP]\n").loaded
    assert one is not None
    made = dash_briefing.board_briefing(store, View("base", "QHM", "2025/26", ("base", one.key), settings), "docx")
    assert made.data is None and made.note == ("The briefing could not be made: ICB 'QHM' is not in the results of "
                                               "one_icb; choose ENG or one of QOP.")
    none = dash_briefing.board_briefing(store, View("base", "QOP", "2025/26", (), settings), "docx")
    assert none.data is None and "Tick at least one scenario" in none.note
    with pytest.raises(ValueError, match="pdf or docx"):
        dash_briefing.board_briefing(store, View("base", "QOP", "2025/26", ("base",), settings), "html")


def test_the_briefing_button_validates_what_the_page_sends_and_never_fails(store):
    """The download callback, over HTTP as the page calls it: bad values fall back as for the other
    downloads, and a scenario lacking the year gives a message on the page (status 200)."""
    from dashboard.app import create_app
    from model.output.briefing import MEDIA_TYPES

    client = create_app(store=store).server.test_client()

    def click(icb: str, year: str, compare: list[str], uploads: list[dict]) -> dict:
        state = {"start": "nowhere", "icb": icb, "year": year, "compare": compare, "uploads": uploads}
        body = {
            "output": "..dl-briefing.data...briefing-status.children..",
            "outputs": [{"id": "dl-briefing", "property": "data"}, {"id": "briefing-status", "property": "children"}],
            "inputs": [{"id": "btn-briefing-pdf", "property": "n_clicks", "value": 1},
                       {"id": "btn-briefing-docx", "property": "n_clicks", "value": 0}],
            "changedPropIds": ["btn-briefing-pdf.n_clicks"],
            "state": [{"id": "start", "property": "value", "value": state["start"]}, [], [],
                      *({"id": key, "property": "data" if key == "uploads" else "value", "value": state[key]}
                        for key in ("icb", "year", "compare", "uploads"))],
        }
        answer = client.post("/_dash-update-component", json=body)
        assert answer.status_code == 200, answer.get_data(as_text=True)
        return answer.get_json()["response"]

    odd = click("<script>", "1999/00", ["base", "nonsense"], [{"key": 1}])
    sent = odd["dl-briefing"]["data"]
    stem, kind = sent["filename"].split(".")
    assert stem.startswith("briefing_ENG_") and sent["type"] == MEDIA_TYPES[kind]
    upload = {"key": store.upload("short.yaml", SHORT_HORIZON.encode()).loaded.key, "name": "short_horizon",
              "filename": "short.yaml", "text": SHORT_HORIZON}
    missing = click("QOP", "2028/29", ["base", upload["key"]], [upload])
    assert "dl-briefing" not in missing
    assert "year '2028/29' is not in the results" in json.dumps(missing["briefing-status"])


# ---------------------------------------------------------------------------------------------
# Formatting for people


def test_formatting():
    assert components.gbp_m(908_760_000) == "£908.8m"
    assert components.gbp_m(-12_340_000) == "-£12.3m"
    assert components.gbp_m(1_000_000, signed=True) == "+£1.0m"
    assert components.percent(-0.38249) == "-38.2%"
    assert components.wte(15_234.4) == "15,234" and components.wte(7.25) == "7.2" and components.wte(-0.01) == "0"
    assert components.headline_cell(-9.26, "%", difference=True) == "-9.3 pts"
    assert format_setting(CONTROL_BY_KEY["envelope.per_head"], 18.76, "2022/23") == "£18.76 per GP-registered person"
    assert format_setting(CONTROL_BY_KEY["pay.shift"], 1, "2022/23") == "+1 percentage points a year"
    assert format_setting(CONTROL_BY_KEY["dentistry.go_live_shift"], -3, "2022/23") == "-3 months"
    assert format_setting(CONTROL_BY_KEY["cut.size"], 30, "2022/23") == "30% below 2022/23"
    assert format_setting(CONTROL_BY_KEY["cut.size"], 30, "2024/25") == "30% below 2024/25"


def test_the_cut_and_real_terms_are_measured_from_the_starts_base_year(store):
    sp = store.shipped["base"].start
    out = callbacks.render(store, View("base", "ENG", "2025/26", ("base", CUSTOM), startpoint.defaults(sp)))
    assert out.readouts["cut.size"] == f"30% below {sp.labels[0]}" and sp.labels[0] == "2022/23"
    assert "real terms in 2022/23 prices" in out.units
    assert "real terms in 2024/25 prices" in layout.units_hint("2024/25")


# ---------------------------------------------------------------------------------------------
# The app and the command line


def test_app_serves_the_page_with_every_control(store):
    from dashboard.app import create_app

    app = create_app(store=store)
    client = app.server.test_client()
    assert client.get("/").status_code == 200
    page = client.get("/_dash-layout").get_data(as_text=True)
    for control in CONTROLS:
        assert f'"key":"{control.key}"' in page.replace(" ", "")


def test_the_run_command_never_imports_dash_or_plotly_and_dashboard_is_a_command(tmp_path):
    code = (
        "import sys\n"
        "from model import cli\n"
        f"status = cli.main(['--root', {str(ROOT)!r}, 'run', 'base', '--out', {str(tmp_path)!r}, '--no-xlsx'])\n"
        "heavy = sorted(m for m in ('dash', 'plotly') if m in sys.modules)\n"
        "print(status, heavy)\n"
        "help_text = cli.build_parser().format_help()\n"
        "print('dashboard' in help_text)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT,
                          env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-2:] == ["0 []", "True"]


def test_dashboard_command_defaults_to_localhost_8050():
    from model import cli

    args = cli.build_parser().parse_args(["dashboard"])
    assert (args.host, args.port) == ("127.0.0.1", 8050)
    args = cli.build_parser().parse_args(["dashboard", "--host", "0.0.0.0", "--port", "9000"])
    assert (args.host, args.port) == ("0.0.0.0", 9000)
