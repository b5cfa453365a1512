"""What each scenario changes from the base (model/output/briefing/changes.py), with each value's status and source."""

from __future__ import annotations

from pathlib import Path

import pytest

from model.output.briefing.changes import differences, label, value_text
from model.scenario import load_scenario

ROOT = Path(__file__).resolve().parents[4]

@pytest.fixture(scope="module")
def shipped() -> dict[str, object]:
    return {name: load_scenario(name, ROOT) for name in ("base", "envelope_2025", "high_pay")}


def test_changes_from_the_base(shipped):
    base, high, envelope = shipped["base"], shipped["high_pay"], shipped["envelope_2025"]
    assert differences(base, base) == []
    pay = differences(high, base)
    assert [(c.year, c.before, c.after) for c in pay] == [
        ("2025/26", "3.6% a year", "5.6% a year"), ("2026/27", "3.3% a year", "5.3% a year"),
        *((y, "3.0% a year", "5.0% a year") for y in ("2027/28", "2028/29", "2029/30", "2030/31"))]
    assert {c.status for c in pay} == {"assumption"}
    assert all(c.set_in.startswith("scenarios/high_pay.yaml") for c in pay)
    env = {c.path: c for c in differences(envelope, base)}
    assert env["running_cost_cut.envelope.per_head_gbp"].before == "not set"
    assert env["running_cost_cut.envelope.per_head_gbp"].after == "£18.76 per head"
    assert env["running_cost_cut.envelope.per_head_gbp"].status == "sourced"
    assert "healthcareleadernews.com" in env["running_cost_cut.envelope.per_head_gbp"].source
    assert (env["delegation.dentistry.in_cut_scope"].before, env["delegation.dentistry.in_cut_scope"].after) == \
        ("yes", "no")
    assert "running_cost_cut.envelope" not in env


def test_change_labels_and_values():
    assert label("inflation.pay_award.2025/26") == "Pay award"
    assert label("delegation.dentistry.in_cut_scope") == "Dentistry: cut applies"
    assert label("delegation.specialised.go_live.by_region.Midlands") == "Specialised: go-live in region (Midlands)"
    assert value_text(0.0275, "fraction") == "2.75%"
    assert value_text(0.3, "fraction") == "30.0%"
    assert value_text(17500.0, "gbp per wte") == "£17,500 per WTE"
    assert value_text(None, "month") == "none"
    assert value_text("2026-01", "month") == "2026-01"
