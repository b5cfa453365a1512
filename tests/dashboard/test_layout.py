"""The page layout (dashboard/layout.py)."""

from __future__ import annotations

from dashboard import layout
from dashboard.controls import CONTROLS, CUSTOM


def test_compare_options_disable_the_rest_once_four_are_ticked(store):
    chosen = ["base", "envelope_2025", "high_pay", CUSTOM]
    options = layout.compare_options(store, [], chosen)
    assert {o["value"] for o in options if o["disabled"]} == set(store.shipped) - set(chosen)


def test_units_and_chart_texts_follow_the_starts_base_year():
    assert layout.units_hint("2024/25").startswith("£m in cash unless stated; real terms in 2024/25 prices")
    texts = layout.chart_text("2022/23", "2025/26")
    assert set(texts) == {"fig-allowance", "fig-workforce", "fig-core", "fig-waterfall", "fig-ranking"}
    assert all("{" not in title and "{" not in note for title, note in texts.values())
    assert any("2025/26" in title or "2025/26" in note for title, note in texts.values())


def test_icb_options_start_with_england_then_icbs_by_name(store):
    options = layout.icb_options(store)
    assert options[0] == {"label": "England (all 42 ICBs)", "value": "ENG"}
    assert len(options) == 43
    assert [o["value"] for o in options[1:]] == list(store.icbs.sort_values("name")["code"])  # by name
    qhm = next(o for o in options if o["value"] == "QHM")
    assert "(QHM)" in qhm["label"] and not qhm["label"].startswith("NHS ")


def test_the_page_has_every_control_and_chart(store):
    page = str(layout.build_layout(store))
    for control in CONTROLS:
        assert control.key in page, control.key
    for graph in ("fig-allowance", "fig-workforce", "fig-core", "fig-waterfall", "fig-ranking"):
        assert graph in page
