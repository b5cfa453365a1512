"""The controls (dashboard/controls.py): from the schema's metadata, covering what is argued about."""

from __future__ import annotations

from dashboard.controls import CONTROLS
from model import schema
from model.schema import FUNCTIONS


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
