"""The page layout (dashboard/layout.py)."""

from __future__ import annotations

from dashboard import layout
from dashboard.controls import CUSTOM


def test_compare_options_disable_the_rest_once_four_are_ticked(store):
    chosen = ["base", "envelope_2025", "high_pay", CUSTOM]
    options = layout.compare_options(store, [], chosen)
    assert {o["value"] for o in options if o["disabled"]} == set(store.shipped) - set(chosen)
