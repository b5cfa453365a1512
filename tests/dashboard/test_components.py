"""Page components and formatting for people (dashboard/components.py)."""

from __future__ import annotations

from dashboard import components
from dashboard.columns import Columns
from dashboard.controls import CONTROL_BY_KEY, format_setting
from tests.dashboard.shared import as_component


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


def test_numbers_that_are_not_finite_show_as_n_a():
    assert components.gbp_m(float("nan")) == "n/a" and components.percent(float("inf")) == "n/a"
    assert components.wte(None) == "n/a" and components.headline_cell(float("nan"), "£m") == "n/a"
    assert components.percent(0.0123, signed=True) == "+1.2%" and components.percent(0.0, signed=True) == "0.0%"
    assert components.wte(-12.4, signed=True) == "-12" and components.wte(3.25, signed=True) == "+3.2"
    assert components.headline_cell(908.76, "£m") == "£908.8m" and components.headline_cell(-1.5, "WTE") == "-1.5"
    assert components.headline_cell(12.34, "%") == "12.3%"


def test_widgets_and_links():
    switch = CONTROL_BY_KEY["envelope.on"]
    assert components.widget_value(switch, True) == ["on"] and components.widget_value(switch, False) == []
    assert components.widget_value(CONTROL_BY_KEY["cut.size"], 30) == 30
    assert components.control_id("cut.size") == {"type": "control", "key": "cut.size"}
    parts = components.linked("Source: https://example.org/a; see also (http://x.org/b) for more")
    assert [p if isinstance(p, str) else (p.href, p.children) for p in parts] == [
        "Source: ", ("https://example.org/a", "example.org"), "; see also (", ("http://x.org/b", "x.org"), ") for more"]


def test_control_labels_say_which_of_several_alike_and_a_sliders_unit():
    from dashboard.controls import CONTROLS

    spoken = [components.spoken_label(c) for c in CONTROLS]
    assert len(set(spoken)) == len(spoken)  # every control's name differs
    assert components.spoken_label(CONTROL_BY_KEY["pharmacy.required"]) == "Staff required (delegated: pharmacy)"
    assert components.spoken_label(CONTROL_BY_KEY["cut.size"]) == "Size of the cut"
    parts = components.label_children(CONTROL_BY_KEY["dentistry.go_live_shift"], "2022/23")
    assert parts[0] == "Go-live: move by (+ later, - earlier)"
    assert [p.children for p in parts[1:]] == [" (delegated: dentistry)", " in months"]
    assert [getattr(p, "children", p) for p in components.label_children(CONTROL_BY_KEY["cut.size"], "2024/25")] \
        == ["Size of the cut", " in % below 2024/25"]
    assert components.label_children(CONTROL_BY_KEY["cut.basis"], "2022/23") == ["The cut is in"]


def test_the_known_allowance_boxes_are_labelled_and_hidden_until_open():
    panel = str(components.known_panel(["2026/27", "2027/28"]))
    assert components.dom_id(components.known_id("2026/27")) == '{"key":"2026-27","type":"known"}'
    assert panel.count("htmlFor='{\"key\":\"2026-27\",\"type\":\"known\"}'") == 1
    assert "allowance, £m" in panel and "scope='row'" in panel and "hidden=True" in panel


def test_the_place_says_what_it_was_formed_from_and_its_need_index(store):
    results = store.shipped["base"].results
    rows = Columns(results[results["icb_code"] == "S0E4D"])
    text = " ".join(str(p.children) for p in as_component(components.place_info(store.places, "S0E4D", "2026", rows,
                                                                                  "2025/26", "base")))
    assert "one of the 36 ICBs from April 2026" in text and "formed from QU9" in text and "(58.787% of it)" in text
    assert "Need index 0.88" in text and "per need-weighted person" in text
    former = " ".join(str(p.children) for p in as_component(components.place_info(store.places, "QNQ", "2022", None,
                                                                                    "2025/26", "base")))
    assert "until March 2026" in former and "Results on the 42 ICBs of 2022/23 to 2025/26" in former
    assert "became part of S0E4D" in former
    england = as_component(components.place_info(store.places, "ENG", "2026", None, "2025/26", "base"))
    assert "the same on every footprint" in england[0].children


def test_the_allowance_table_marks_published_restated_projected_and_your_figures(store):
    base = store.shipped["base"].results
    place = {"base": base[base["icb_code"] == "S0E4D"], "custom": base[base["icb_code"] == "S0E4D"]}
    table = as_component(components.allowance_table(place, {"2026/27"}))
    cells = {(td.__dict__.get("data-year"), td.__dict__.get("data-scenario")): td.children
             for tr in table.children[1].children for td in tr.children if "data-year" in td.__dict__}
    assert cells[("2025/26", "base")] == "restated (sum of published)"
    assert cells[("2022/23", "base")] == cells[("2026/27", "base")] == "projected"
    assert cells[("2026/27", "custom")] == "your figure"
    assert table.children[0].children[0].children[1].scope == "colgroup"  # real headers
    assert as_component(components.allowance_table({}, set())).children == "No scenario to show."


def test_the_headline_table_says_what_each_allowance_rests_on(store):
    import pandas as pd

    table = pd.DataFrame({"unit": ["£m"], "base": [873.99], "custom": [870.0], "custom - base": [-3.99]},
                         index=pd.Index(["Allowance, cash"], name="measure"))
    html_table = as_component(components.headline_table(table, ["base", "custom"],
                                                        {"base": "published", "custom": "projected"}))
    basis_row = html_table.children[1].children[1]
    assert [c.children for c in basis_row.children] == ["Allowance is", "published", "projected", ""]


def test_the_changes_table_lists_each_edit_with_its_parameter(store):
    from dashboard.overlay import edits
    from tests.dashboard.shared import settings_for

    sp = store.shipped["base"].start
    found = list(edits(settings_for(store, "base", {"workforce.turnover": 15}), sp))
    table = as_component(components.changes_table(found, "base"))
    head, body = table.children
    assert [th.children for th in head.children.children] == ["What", "In base", "Custom", "Parameter"]
    assert len(body.children) == len(found) == 1
    assert [td.children for td in body.children[0].children[:3]] == [found[0].label, found[0].before, found[0].after]
    assert body.children[0].children[3].children.children == found[0].path
    empty = as_component(components.changes_table([], "base"))
    assert "equals base" in empty.children and empty.className == "muted"
