"""Page components and formatting for people (dashboard/components.py)."""

from __future__ import annotations

from dashboard import components
from dashboard.controls import CONTROL_BY_KEY, format_setting


def test_hover_text_names_the_source_of_a_sourced_default(store):
    text = components.hover_text(CONTROL_BY_KEY["dentistry.go_live_shift"], store.shipped["base"].start)
    assert "PRN00089" in text and "sourced" in text and "assumptions.yaml:" in text


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
