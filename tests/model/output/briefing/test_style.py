"""The briefing's look (model/output/briefing/style.py): the NHS palette and WCAG contrast."""

from __future__ import annotations

from pathlib import Path

import pytest

from model.output.briefing import style

ROOT = Path(__file__).resolve().parents[4]

def test_text_colours_meet_wcag_aa_and_chart_colours_stand_out():
    for what, text, background in style.TEXT_PAIRS:
        assert style.contrast(text, background) >= 4.5, what
    for colour in style.SCENARIO_COLOURS:
        assert style.contrast(colour, style.NHS_WHITE) >= 3.0, colour


def test_contrast_is_the_wcag_ratio():
    assert style.contrast("#000000", "#FFFFFF") == pytest.approx(21.0)
    assert style.contrast("#FFFFFF", "#000000") == pytest.approx(21.0)  # the order does not matter
    assert style.contrast(style.NHS_BLUE, style.NHS_BLUE) == 1.0
    assert style.contrast(style.NHS_BLUE, style.NHS_WHITE) == pytest.approx(6.38, abs=0.01)  # worked by hand


def test_scenario_colours_and_markers_cycle_and_tints_lighten():
    n = len(style.SCENARIO_COLOURS)
    assert style.scenario_colour(0) == style.NHS_BLUE and style.scenario_colour(n) == style.scenario_colour(0)
    assert style.scenario_marker(len(style.SCENARIO_MARKERS) + 1) == style.SCENARIO_MARKERS[1]
    assert len(set(style.SCENARIO_MARKERS)) == len(style.SCENARIO_MARKERS) == n
    assert style.tint("#000000", 0.5) == "#808080" and style.tint("#FFFFFF") == "#FFFFFF"
    assert style.contrast(style.tint(style.NHS_BLUE), style.NHS_WHITE) < style.contrast(style.NHS_BLUE,
                                                                                          style.NHS_WHITE)
