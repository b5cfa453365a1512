"""Accessibility helpers (dashboard/a11y.py). What they do in a browser is checked in
tests/browser/test_accessibility_browser.py."""

from __future__ import annotations

import pytest
from dash import dcc

from dashboard import a11y


def test_the_page_template_gets_its_language():
    template = "<!DOCTYPE html>\n<html>\n<head></head><body>{%app_entry%}</body></html>"
    assert '<html lang="en-GB">' in a11y.index_string(template)
    assert a11y.index_string('<html class="x">') == '<html lang="en-GB" class="x">'
    with pytest.raises(ValueError, match="no <html> element"):
        a11y.index_string("<body></body>")


def test_dom_ids_are_what_dash_writes():
    assert a11y.dom_id("year") == "year"
    assert a11y.dom_id({"type": "control", "key": "cut.size"}) == '{"key":"cut.size","type":"control"}'


def test_a_named_widget_carries_the_ids_of_its_label_and_description():
    slider = dcc.Slider(id="s", min=0, max=10, value=3)
    wrapped = a11y.named(slider, {"type": "control-label", "key": "s"}, "s-readout")
    assert wrapped.children is slider
    props = wrapped.to_plotly_json()["props"]
    assert props["data-a11y-labelledby"] == '{"key":"s","type":"control-label"}'
    assert props["data-a11y-describedby"] == "s-readout"
    assert "data-a11y-describedby" not in a11y.named(slider, "label").to_plotly_json()["props"]


def test_hidden_text_is_for_screen_readers():
    span = a11y.hidden_text(" in months")
    assert span.children == " in months" and span.className == "visually-hidden"
