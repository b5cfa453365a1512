"""Charts of sensitivity and Monte Carlo results (model/output/charts.py): figures in people's units
(£m, %, WTE) with the right traces, and HTML written atomically (no PNG needed here)."""

from __future__ import annotations

import hashlib

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
import pytest
from plotly.colors import get_colorscale

from model.output import charts
from model.output.charts import fan_figure, heatmap_figure, scale_for, tornado_figure

FOOTER = "scenario base · run sha256 0123"


def tornado_table() -> pd.DataFrame:
    return pd.DataFrame({
        "parameter": ["inflation.pay_award", "running_cost_cut.path.2025/26"], "mode": ["add", "set"],
        "low": [-0.01, 0.2], "high": [0.02, 0.5], "metric_base": [-5e6, -5e6], "metric_low": [-4e6, -1e6],
        "metric_high": [-7e6, -12e6], "swing": [3e6, 11e6], "rank": [2, 1], "role": ["uncertainty", "lever"],
        "from_year": ["", ""],
    })


def test_scale_for_is_the_columns_display_unit():
    assert scale_for("funding_gap_gbp") == (1e-6, "£m")
    assert scale_for("real_change_vs_base") == (100.0, "%")
    assert scale_for("wte_gap") == (1.0, "WTE")


def test_tornado_bars_run_from_the_base_to_each_setting_in_pounds_millions():
    """Base -£5m; the pay award moves the gap to -£4m (low) and -£7m (high): bars of +1 and -2
    from a base of -5; the cut, the larger swing, is drawn at the top in the lever's colours."""
    fig = go.Figure(tornado_figure(tornado_table(), "funding_gap_gbp", "England", "2025/26", FOOTER))
    bars = {trace.name: trace for trace in fig.data}
    assert list(bars) == ["uncertainty: at low", "uncertainty: at high", "lever: at low", "lever: at high"]
    assert list(bars["uncertainty: at low"].x) == [1.0] and list(bars["uncertainty: at high"].x) == [-2.0]
    assert list(bars["lever: at low"].x) == [4.0] and list(bars["lever: at high"].x) == [-7.0]
    assert all(trace.base == -5.0 and trace.orientation == "h" for trace in fig.data)
    assert bars["lever: at high"].marker.color == charts.ROLE_COLOURS["lever"][1]
    assert bars["uncertainty: at low"].marker.color == charts.ROLE_COLOURS["uncertainty"][0]
    assert list(bars["lever: at low"].y) == ["running_cost_cut.path.2025/26 (set 0.2 to 0.5)"]
    assert fig.layout.yaxis.categoryarray[-1] == "running_cost_cut.path.2025/26 (set 0.2 to 0.5)"  # the top
    assert fig.layout.xaxis.title.text == "funding_gap_gbp (£m)"
    assert fig.layout.title.text == "What moves funding_gap_gbp: England, 2025/26"
    assert [a.text for a in fig.layout.annotations] == ["base -5.0", FOOTER]
    assert fig.layout.height == 600


def test_a_tall_tornado_grows_with_its_bars():
    table = pd.concat([tornado_table()] * 10, ignore_index=True)
    table["parameter"] = [f"p{i}" for i in range(20)]
    assert tornado_figure(table, "wte_gap", "QAA", "2025/26", FOOTER)["layout"]["height"] == 160 + 45 * 20


@pytest.mark.parametrize(("values", "colours", "middle"), [
    ([[-2e6, 1e6], [3e6, 4e6]], "RdBu", 0), ([[-2e6, -1e6], [-3e6, 0.0]], "Reds_r", None),
    ([[2e6, 1e6], [3e6, 4e6]], "Blues", None)])
def test_heatmap_colours_say_shortfall_or_surplus(values, colours, middle):
    grid = pd.DataFrame(values, index=pd.Index(["-0.01", "0.02"], name="inflation.pay_award:add \\ "
                                               "running_cost_cut.path.2025/26:set"), columns=["0.2", "0.5"])
    fig = go.Figure(heatmap_figure(grid, "funding_gap_gbp", "England", "2025/26", FOOTER))
    (heat,) = fig.data
    np.testing.assert_allclose(heat.z, np.array(values) / 1e6)
    assert heat.zmid == middle
    assert list(heat.x) == ["0.2", "0.5"] and list(heat.y) == ["-0.01", "0.02"]
    assert fig.layout.xaxis.title.text == "running_cost_cut.path.2025/26 (set)"
    assert fig.layout.yaxis.title.text == "inflation.pay_award (add)"
    assert heat.colorbar.title.text == "£m"
    assert [colour for _, colour in heat.colorscale] == [colour for _, colour in get_colorscale(colours)]
    assert heat.colorscale == go.Heatmap(colorscale=colours).colorscale  # placed as plotly places a named scale


def summary() -> pd.DataFrame:
    years = ["2024/25", "2025/26"]
    return pd.DataFrame({"metric": "funding_gap_gbp", "icb_code": "ENG", "year": years,
                         "p5": [-9e6, -12e6], "p50": [-5e6, -7e6], "p95": [-1e6, -2e6], "mean": [-5.1e6, -6.9e6],
                         "draws": 1000})


def test_fan_chart_shows_the_band_median_mean_and_the_scenario_as_written():
    fig = go.Figure(fan_figure(summary(), "funding_gap_gbp", "ENG", "England", [-4e6, -6e6], FOOTER))
    assert [trace.name for trace in fig.data] == [None, "5% to 95% of draws", "median", "mean", "scenario as written"]
    np.testing.assert_allclose(fig.data[0].y, [-1, -2])  # P95, the top of the band
    np.testing.assert_allclose(fig.data[1].y, [-9, -12])
    assert fig.data[1].fill == "tonexty"
    np.testing.assert_allclose(fig.data[2].y, [-5, -7])
    np.testing.assert_allclose(fig.data[4].y, [-4, -6])
    assert list(fig.data[2].x) == ["2024/25", "2025/26"]
    assert fig.layout.yaxis.title.text == "funding_gap_gbp (£m)"
    assert fig.layout.title.text == "funding_gap_gbp: England, 1,000 draws"
    assert [shape.y0 for shape in fig.layout.shapes] == [0]  # a gap gets its zero line
    no_base = fan_figure(summary(), "funding_gap_gbp", "ENG", "England", None, FOOTER)
    assert len(no_base["data"]) == 4


def test_every_chart_is_valid_plotly_in_the_white_template():
    """Figures are plain dicts: plotly's graph objects validate every property of them here."""
    grid = pd.DataFrame([[1e6]], index=pd.Index(["0.1"], name="a:add \\ b:set"), columns=["0.2"])
    for fig in (tornado_figure(tornado_table(), "funding_gap_gbp", "England", "2025/26", FOOTER),
                heatmap_figure(grid, "funding_gap_gbp", "England", "2025/26", FOOTER),
                fan_figure(summary(), "funding_gap_gbp", "ENG", "England", [-4e6, -6e6], FOOTER)):
        assert go.Figure(fig).layout.template == pio.templates[charts.TEMPLATE]
        assert fig["layout"]["annotations"][-1]["text"] == FOOTER


def test_export_writes_self_contained_html_and_records_it(tmp_path):
    fig = tornado_figure(tornado_table(), "funding_gap_gbp", "England", "2025/26", FOOTER)
    exported = charts.export([(fig, tmp_path / "tornado")], png=False)
    (written,) = exported.written
    data = (tmp_path / "tornado.html").read_bytes()
    assert written.path == tmp_path / "tornado.html" and written.sha256 == hashlib.sha256(data).hexdigest()
    assert b"<html>" in data and b"plotly" in data and len(data) > 100_000  # plotly.js is embedded
    assert exported.png_problem is None and not (tmp_path / "tornado.png").exists()


def test_export_draws_each_png_without_a_browser(tmp_path, monkeypatch):
    """PNGs come from matplotlib (model/output/png.py): no Chromium is looked for or started."""
    monkeypatch.setenv("PATH", str(tmp_path))  # nothing to start even if it tried
    fig = fan_figure(summary(), "funding_gap_gbp", "ENG", "England", None, FOOTER)
    exported = charts.export([(fig, tmp_path / "fan")], png=True)
    assert [w.path.name for w in exported.written] == ["fan.html", "fan.png"]
    assert (tmp_path / "fan.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and exported.png_problem is None
    assert charts.export([], png=True).written == []


def test_a_chart_that_cannot_be_drawn_leaves_the_html_and_says_why(tmp_path, monkeypatch):
    import model.output.png

    def broken(fig):
        raise RuntimeError("no canvas")

    monkeypatch.setattr(model.output.png, "png_bytes", broken)
    fig = fan_figure(summary(), "funding_gap_gbp", "ENG", "England", None, FOOTER)
    exported = charts.export([(fig, tmp_path / "fan")], png=True)
    assert [w.path.name for w in exported.written] == ["fan.html"]
    assert exported.png_problem == ("a PNG chart could not be drawn (RuntimeError: no canvas); remaining PNG charts "
                                    "skipped")
