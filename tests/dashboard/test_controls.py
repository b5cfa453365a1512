"""The controls (dashboard/controls.py): from the schema's metadata, covering what is argued about."""

from __future__ import annotations

from dashboard.controls import CONTROL_BY_KEY, CONTROLS, format_setting
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


def test_tidy_and_the_choices_of_years_and_months():
    from dashboard.controls import month_choices, tidy, year_choices

    assert tidy(0.30000000000000004, 6) == 0.3 and str(tidy(-0.0000001, 3)) == "0.0"
    labels = ("2022/23", "2023/24", "2024/25")
    assert year_choices(labels) == ["2023/24", "2024/25"]
    months = month_choices(labels)
    assert months[0] == "2023-04" and months[-1] == "2025-03" and len(months) == 24
    assert month_choices(("2022/23",))[0] == "2022-04"


def test_clean_reads_a_widgets_value_or_gives_none():
    from dashboard.controls import clean

    labels = ("2022/23", "2023/24", "2024/25")
    switch, size, year = CONTROL_BY_KEY["envelope.on"], CONTROL_BY_KEY["cut.size"], CONTROL_BY_KEY["cut.year"]
    assert clean(switch, ["on"], labels) is True and clean(switch, [], labels) is False
    assert clean(switch, "yes", labels) is True and clean(switch, "0", labels) is False
    assert clean(switch, None, labels) is None
    assert clean(CONTROL_BY_KEY["cut.basis"], "real", labels) == "real"
    assert clean(CONTROL_BY_KEY["cut.basis"], "reel", labels) is None
    assert clean(year, "2024/25", labels) == "2024/25" and clean(year, "2022/23", labels) is None
    assert clean(CONTROL_BY_KEY["envelope.effective"], "2023-10", labels) == "2023-10"
    assert clean(CONTROL_BY_KEY["envelope.effective"], "2030-10", labels) is None
    assert clean(size, "30", labels) == 30 and type(clean(size, 30.0, labels)) is int
    assert clean(size, 500, labels) == 70 and clean(size, -5, labels) == 0  # clamped to the range
    assert clean(size, "abc", labels) is None and clean(size, float("nan"), labels) is None
    assert clean(CONTROL_BY_KEY["pay.shift"], 0.30000000000000004, labels) == 0.3


def test_format_setting_for_each_widget():
    assert format_setting(CONTROL_BY_KEY["envelope.on"], True, "2022/23") == "yes"
    assert format_setting(CONTROL_BY_KEY["dentistry.in_scope"], False, "2022/23") == "no"
    assert format_setting(CONTROL_BY_KEY["cut.basis"], "nominal", "2022/23") == dict(
        CONTROL_BY_KEY["cut.basis"].choices)["nominal"]
    assert format_setting(CONTROL_BY_KEY["cut.year"], "2025/26", "2022/23") == "2025/26"
    assert format_setting(CONTROL_BY_KEY["workforce.turnover"], 10, "2022/23") == "10% of staff a year"
    assert format_setting(CONTROL_BY_KEY["pay.shift"], 0, "2022/23") == "0 percentage points a year"
    assert format_setting(CONTROL_BY_KEY["workforce.redundancy_months"], 12, "2022/23") == "12 months of salary"


def test_the_further_cut_reads_years_after_the_last_published_one():
    from dashboard.controls import clean

    labels = ("2022/23", "2023/24", "2024/25", "2025/26", "2026/27")
    year = CONTROL_BY_KEY["cut.further_year"]
    assert clean(year, "2026/27", labels, 3) == "2026/27" and clean(year, "2025/26", labels, 3) is None
    assert clean(year, ["2026/27"], labels, 3) is None
    assert clean(CONTROL_BY_KEY["cut.further"], 80, labels, 3) == 50  # clamped to the range
    assert format_setting(CONTROL_BY_KEY["cut.further"], 10, "2022/23", "2025/26") == "10% below 2025/26"
    assert clean(CONTROL_BY_KEY["envelope.basis"], "weighted", labels) == "weighted"
    assert clean(CONTROL_BY_KEY["envelope.basis"], "per head", labels) is None
