"""The dashboard's figures (dashboard/figures.py)."""

from __future__ import annotations

import plotly.graph_objects as go

from dashboard import callbacks
from dashboard.controls import CUSTOM
from dashboard.urlstate import View
from tests.dashboard.shared import MOVES, settings_for


def test_every_figure_is_a_valid_plotly_figure(store):
    view = View("base", "ENG", "2025/26", ("base", "envelope_2025", "spec_comm_2027", CUSTOM),
                settings_for(store, "base", MOVES[-1]))
    out = callbacks.render(store, view)
    for figure in out.figures.values():
        go.Figure(figure)  # raises on any property plotly does not know
        assert "sha256" in figure["layout"]["annotations"][0]["text"]
