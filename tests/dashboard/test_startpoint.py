"""Where the custom scenario starts (dashboard/startpoint.py): defaults, their sources, the envelope's default."""

from __future__ import annotations

import pytest

from dashboard import components, overlay, startpoint
from dashboard.controls import CONTROL_BY_KEY, CONTROLS
from tests.dashboard.shared import settings_for


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
    assert {k: v["value"] for k, v in written["running_cost_cut"]["envelope"].items()} == {
        k: v for k, v in envelope.items() if k != "population_basis"}
    # With no shipped envelope, the default is the middle of the control's range.
    base = store.shipped["base"]
    alone = startpoint.start_point(base.scenario, base.inputs, startpoint.envelope_default([base.scenario]))
    control = CONTROL_BY_KEY["envelope.per_head"]
    assert alone.envelope_default.scenario is None
    assert startpoint.defaults(alone)["envelope.per_head"] == (control.low + control.high) / 2


def test_the_year_a_cut_is_reached_and_where_shifts_start():
    assert startpoint.reach_index((0.0, 0.0, 0.2, 0.3, 0.3), 3) == 3
    assert startpoint.reach_index((0.0, 0.1, 0.1), 2) == 1
    assert startpoint.reach_index((0.0, 0.0, 0.0, 0.0), 2) == 2  # no cut: the last listed year
    assert startpoint.reach_index((0.0, 0.0, 0.0), 0) == 1  # at least the year after the base
    assert startpoint.default_shift_from(("2022/23", "2026/27", "2027/28")) == "2026/27"
    assert startpoint.default_shift_from(("2022/23", "2023/24")) == "2023/24"
    assert startpoint.default_shift_from(("2022/23",)) == "2022/23"


def test_defaults_are_the_starts_own_values_in_display_units(store):
    sp = store.shipped["base"].start
    d = startpoint.defaults(sp)
    assert set(d) == {c.key for c in CONTROLS}
    assert d["cut.size"] == 30 and d["cut.year"] == "2025/26" and d["cut.basis"] == "nominal"
    assert d["envelope.on"] is False and d["pay.shift"] == 0.0 and d["dentistry.go_live_shift"] == 0
    assert d["workforce.turnover"] == pytest.approx(sp.turnover_rate * 100)


def test_settings_from_keeps_what_it_can_read(store):
    sp = store.shipped["base"].start
    settings = startpoint.settings_from({"cut.size": "45", "pay.shift": "lots", "unknown.key": 3}, sp)
    assert settings["cut.size"] == 45
    assert settings["pay.shift"] == startpoint.defaults(sp)["pay.shift"]
    assert "unknown.key" not in settings


def test_a_start_knows_its_published_years_and_organisations(store):
    base, rules = store.shipped["base"].start, store.shipped["instruction_2023"].start
    assert (base.published_last, base.last_published) == (3, "2025/26") and rules.published_last is None
    assert base.further_years() == ["2026/27", "2027/28", "2028/29", "2029/30", "2030/31"]
    assert rules.further_years() == [] and rules.last_published == ""
    assert base.exists["QNQ"] == (0, 3) and base.exists["S0E4D"] == (4, 8) and base.exists["QHM"] == (0, 8)
    assert startpoint.defaults(base)["cut.further_year"] == "2027/28"
    assert startpoint.defaults(base)["cut.further"] == 0 and startpoint.defaults(base)["envelope.basis"] == "registered"
    assert startpoint.settings_from({"cut.further_year": "2025/26"}, base)["cut.further_year"] == "2027/28"
