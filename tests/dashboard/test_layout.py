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
    assert set(texts) == {"fig-allowance", "fig-workforce", "fig-core", "fig-waterfall", "fig-per-head", "fig-ranking"}
    assert all("{" not in title and "{" not in note for title, note in texts.values())
    assert any("2025/26" in title or "2025/26" in note for title, note in texts.values())


def test_icb_options_list_the_36_then_the_former_icbs_each_by_name(store):
    """England, the 36 ICBs of April 2026 by name, the 12 of the 42 that ended ('until March
    2026'), then the organisation merger_2027 plans; headings between the groups cannot be chosen."""
    options = layout.icb_options(store)
    assert options[0] == {"label": "England (all ICBs)", "value": "ENG"}
    headings = [i for i, o in enumerate(options) if o.get("disabled")]
    assert len(headings) == 3 and options[headings[0]]["label"] == "ICBs from April 2026 (36)"
    current = options[headings[0] + 1: headings[1]]
    former = options[headings[1] + 1: headings[2]]
    assert len(current) == 36 and len(former) == 12 and [o["value"] for o in options[headings[2] + 1:]] == ["X27SS"]
    assert [o["label"] for o in current] == sorted(o["label"] for o in current)  # by name
    assert all(o["label"].endswith(": until March 2026") for o in former)
    qhm = next(o for o in options if o["value"] == "QHM")
    assert "(QHM)" in qhm["label"] and not qhm["label"].startswith("NHS ")
    assert next(o for o in former if o["value"] == "QNQ")["label"] == "Frimley (QNQ), South East: until March 2026"


def test_the_page_has_every_control_and_chart(store):
    page = str(layout.build_layout(store))
    for control in CONTROLS:
        assert control.key in page, control.key
    for graph in ("fig-allowance", "fig-workforce", "fig-core", "fig-waterfall", "fig-ranking"):
        assert graph in page
