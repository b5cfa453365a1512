"""The briefing's look (model/output/briefing/style.py): the NHS palette and WCAG contrast."""

from __future__ import annotations

from pathlib import Path

from model.output.briefing import style

ROOT = Path(__file__).resolve().parents[4]

def test_text_colours_meet_wcag_aa_and_chart_colours_stand_out():
    for what, text, background in style.TEXT_PAIRS:
        assert style.contrast(text, background) >= 4.5, what
    for colour in style.SCENARIO_COLOURS:
        assert style.contrast(colour, style.NHS_WHITE) >= 3.0, colour
