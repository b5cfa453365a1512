"""Settings to the overlay document (dashboard/overlay.py): each slider the matching change, the
document a scenario file body with the dashboard's provenance."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import yaml

from dashboard import overlay, startpoint
from dashboard.controls import CONTROLS, CUSTOM
from dashboard.store import SHIPPED_ORDER
from model.engine.changes import Change, apply
from model.engine.inputs import from_scenario
from model.periods import parse_month
from model.scenario import load_scenario
from tests.dashboard.shared import MOVES, NUMERIC, ROOT, engine_results, settings_for


@pytest.mark.parametrize("start", SHIPPED_ORDER)
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
    """For a start by the rules alone, cut.size scales the whole path (30% -> 36%)."""
    start = store.shipped["instruction_2023"]
    custom = store.custom("instruction_2023", settings_for(store, "instruction_2023", {"cut.size": 36}))
    expected = engine_results(apply(start.inputs, [Change("running_cost_cut.path", "scale", 36 / 30)]), CUSTOM)
    np.testing.assert_allclose(custom.results[NUMERIC].to_numpy(), expected[NUMERIC].to_numpy(), rtol=1e-9)


def test_a_start_with_published_allowances_takes_a_further_cut_not_a_scaled_path(store):
    """Scaling the whole path does nothing after the published years (the rules carry on by their
    relative change), so such a start ignores cut.size and writes only the years after them: the
    core allowance is the start's times 1 - size x ramp, reached in the year chosen and held."""
    sp = store.shipped["base"].start
    assert overlay.edits(settings_for(store, "base", {"cut.size": 50, "cut.year": "2024/25"}), sp) == []
    assert overlay.edits(settings_for(store, "base", {"cut.further_year": "2029/30"}), sp) == []  # no size: none
    settings = settings_for(store, "base", {"cut.further": 10, "cut.further_year": "2027/28"})
    (edit,) = overlay.edits(settings, sp)
    assert edit.after == "10% below 2025/26 by 2027/28 (in cash)"
    assert edit.fragment["values"] == {"2026/27": pytest.approx(1 - 0.7 * 0.95), "2027/28": pytest.approx(0.37)}
    custom = store.custom("base", settings).results.set_index(["icb_code", "year"])
    base = store.shipped["base"].results.set_index(["icb_code", "year"])
    ratio = (custom["core_allowance_gbp"] / base["core_allowance_gbp"]).unstack("year")
    for year, value in {"2025/26": 1.0, "2026/27": 0.95, "2027/28": 0.9, "2030/31": 0.9}.items():
        np.testing.assert_allclose(ratio[year], value, rtol=1e-12)


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
    cut = doc["running_cost_cut"]["path"]  # a further 35% by 2030/31 on the base's flat 70%
    assert cut["unit"] == "fraction" and list(cut["values"]) == list(sp.labels[sp.published_last + 1:])
    assert cut["values"]["2030/31"] == pytest.approx(1 - 0.7 * 0.65)
    file = overlay.scenario_document(settings, sp, "base")
    assert list(file)[:3] == ["name", "extends", "description"]
    assert {k: v for k, v in file.items() if k not in ("name", "extends", "description")} == doc
    assert yaml.safe_load(overlay.scenario_yaml(settings, sp, "base", "0" * 64, "test")) == file
    custom = store.custom("base", settings)
    assert custom.document == doc and custom.scenario.get("workforce.turnover_rate").prov.file == "the dashboard"


def test_the_cut_path_is_written_to_its_new_reach_or_the_starts_last_listed_year(store):
    sp = store.shipped["instruction_2023"].start
    last = sp.labels[sp.cut_last]
    for year, written_to in (("2027/28", "2027/28"), ("2023/24", last)):
        settings = settings_for(store, "instruction_2023", {"cut.size": 40, "cut.year": year})
        cut = overlay.document(overlay.edits(settings, sp))["running_cost_cut"]["path"]["values"]
        assert list(cut) == list(sp.labels[: sp.labels.index(written_to) + 1])
        assert store.custom("instruction_2023", settings).inputs.cut_last == sp.labels.index(written_to)


@pytest.mark.parametrize("start", SHIPPED_ORDER)
def test_every_slider_at_either_end_of_its_range_makes_a_valid_scenario(store, start):
    loaded = store.shipped[start]
    for control in CONTROLS:
        if control.widget != "slider":
            continue
        for value in (control.low, control.high):
            settings = startpoint.settings_from({control.key: value, "envelope.on": True}, loaded.start)
            overlay.custom_scenario(loaded.scenario, overlay.document(overlay.edits(settings, loaded.start)))


def test_a_start_with_a_post_path_uplift_counts_it_from_the_new_last_year(store, tmp_path):
    """The post-path uplift applies after the cut path's last listed year, which the YAML moves:
    the file reproduces the page, and a further cut folds the uplift of the years it writes in, so
    the core allowance stays the start's times 1 - size x ramp in every later year."""
    for extends, moves in (("instruction_2023", {"cut.size": 40, "cut.year": "2027/28"}),
                           ("instruction_2023", {"cut.size": 25, "cut.year": "2024/25"}),
                           ("base", {"cut.further": 10, "cut.further_year": "2027/28"})):
        (tmp_path / "uplift.yaml").write_text(f"name: uplift\nextends: {extends}\nrunning_cost_cut:\n"
                                              "  post_path_uplift: 0.02\n")
        start = load_scenario(tmp_path / "uplift.yaml", ROOT)
        sp = startpoint.start_point(start, from_scenario(start))
        settings = startpoint.settings_from(moves, sp)
        page = engine_results(overlay.custom_scenario(start, overlay.document(overlay.edits(settings, sp))), CUSTOM)
        text = overlay.scenario_yaml(settings, sp, "uplift.yaml", start.content_hash(), "test")
        (tmp_path / "custom.yaml").write_text(text)
        again = engine_results(load_scenario(tmp_path / "custom.yaml", ROOT), CUSTOM)
        pd.testing.assert_frame_equal(again[NUMERIC], page[NUMERIC], check_exact=True)
        if "cut.further" in moves:
            ratio = page["core_allowance_gbp"].to_numpy() / engine_results(start, "uplift")["core_allowance_gbp"]
            years = page["year"].to_numpy()
            np.testing.assert_allclose(ratio[years == "2026/27"], 0.95, rtol=1e-12)
            np.testing.assert_allclose(ratio[years == "2030/31"], 0.9, rtol=1e-12)

def test_known_allowances_and_the_envelope_basis_are_written_as_a_scenario_file_holds_them(store):
    from dashboard.known import KnownFigure

    sp = store.shipped["base"].start
    known = (KnownFigure("QYG", "2027/28", 39.5e6), KnownFigure("S0E4D", "2026/27", 35e6),
             KnownFigure("S0E4D", "2027/28", 34e6))
    found = overlay.edits(settings_for(store, "base", {}), sp, known)
    assert [e.path for e in found] == ["allowance.published.figures.QYG", "allowance.published.figures.S0E4D"]
    figures = overlay.document(found)["allowance"]["published"]["figures"]
    assert {code: {y: v["value"] for y, v in years.items()} for code, years in figures.items()} == {
        "QYG": {"2027/28": 39.5e6}, "S0E4D": {"2026/27": 35e6, "2027/28": 34e6}}
    assert figures["S0E4D"]["2026/27"]["unit"] == "gbp" and found[1].after == "£35,000,000.00 in 2026/27; " \
                                                                              "£34,000,000.00 in 2027/28"
    rules = store.shipped["instruction_2023"].start
    assert overlay.edits(settings_for(store, "instruction_2023", {}), rules, known) == []  # nothing to start from
    weighted = overlay.edits(settings_for(store, "base", {"envelope.on": True, "envelope.basis": "weighted"}), sp)
    envelope = overlay.document(weighted)["running_cost_cut"]["envelope"]
    assert envelope["population_basis"]["value"] == "weighted"
    (edit,) = overlay.edits(settings_for(store, "envelope_2025", {"envelope.basis": "weighted"}),
                            store.shipped["envelope_2025"].start)
    assert edit.path == "running_cost_cut.envelope.population_basis" and edit.after.startswith("need-weighted")
