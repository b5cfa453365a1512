"""Where a control does nothing, in words (dashboard/effects.py)."""

from __future__ import annotations

from dashboard import effects
from dashboard.columns import Columns
from dashboard.controls import FURTHER, RULES_ONLY
from tests.dashboard.shared import settings_for


def test_a_start_with_published_allowances_hides_the_whole_path_cut_and_one_by_the_rules_the_further_cut(store):
    assert effects.hidden_controls(store.shipped["base"].start) == set(RULES_ONLY)
    assert effects.hidden_controls(store.shipped["instruction_2023"].start) == set(FURTHER)


def test_controls_that_do_nothing_say_why(store):
    base = effects.control_notes(store.shipped["base"].start, settings_for(store, "base", {}))
    assert base["envelope.per_head"] == "Only with the envelope switched on."
    assert "published figures" in base["cut.basis"] and "back-cast 2022/23" in base["cut.basis"]
    assert base["cut.further_year"] == "Set a further cut above to use this."
    assert base["prices.from"] == "Set a change above to use this." and "workforce.turnover" not in base
    assert base["dentistry.go_live_shift"].startswith("It went live within the published years")
    assert "specialised.go_live_shift" not in base  # April 2027: after the published years
    envelope = effects.control_notes(store.shipped["envelope_2025"].start,
                                     settings_for(store, "envelope_2025", {"cut.further": 10, "pay.shift": 1}))
    assert envelope["cut.further"].startswith("No effect while the per-head envelope is on")
    assert "any month up to April 2026 gives the same results" in envelope["envelope.effective"]
    assert "prices.from" not in envelope and "envelope.per_head" not in envelope
    later = effects.control_notes(store.shipped["base"].start,
                                  settings_for(store, "base", {"envelope.on": True, "envelope.effective": "2028-04",
                                                               "cut.further": 10}))
    assert "cut.further" not in later and "envelope.effective" not in later  # both act from 2026/27
    rules = effects.control_notes(store.shipped["instruction_2023"].start,
                                  settings_for(store, "instruction_2023", {"envelope.on": True,
                                                                           "envelope.effective": "2023-04"}))
    assert rules["cut.size"].startswith("No effect while the per-head envelope is on")
    assert "cut.basis" not in rules


def test_settings_that_leave_every_figure_as_the_start_are_told(store):
    start = store.shipped["envelope_2025"]
    custom = store.custom("envelope_2025", settings_for(store, "envelope_2025", {"cut.further": 10}))
    assert custom.edits and effects.unchanged(custom.latest.whole, start.latest.whole)
    moved = store.custom("envelope_2025", settings_for(store, "envelope_2025", {"workforce.turnover": 15}))
    assert not effects.unchanged(moved.latest.whole, start.latest.whole)
    assert not effects.unchanged(Columns(moved.results.iloc[1:]), start.latest.whole)
