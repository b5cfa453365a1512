"""The dashboard's figures (dashboard/figures.py)."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import pytest

from dashboard import figures
from dashboard.columns import Columns
from dashboard.controls import CUSTOM
from dashboard.render import render
from dashboard.store import Rows
from dashboard.urlstate import View
from model import engine
from model.output.results import tabulate
from tests.builders import worked_example
from tests.dashboard.shared import MOVES, icbs_in, settings_for


def test_every_figure_is_a_valid_plotly_figure(store):
    view = View("base", "ENG", "2025/26", ("base", "envelope_2025", "spec_comm_2024", CUSTOM),
                settings_for(store, "base", MOVES[-1]))
    out = render(store, view)
    for figure in out.figures.values():
        go.Figure(figure)  # raises on any property plotly does not know
        assert "sha256" in figure["layout"]["annotations"][0]["text"]


@pytest.fixture(scope="module")
def results() -> pd.DataFrame:
    """The worked example for two ICBs as scenarios A (a 30% cut) and custom (40%)."""
    frames = []
    for name, cut in (("A", [0, 0, 0.2, 0.3]), (CUSTOM, [0, 0, 0.3, 0.4])):
        inputs = worked_example(populations=(1e6, 2e6), **{"running_cost_cut.path": cut})
        frames.append(tabulate(name, inputs, engine.run(inputs)))
    return pd.concat(frames, ignore_index=True)


def _parts(results: pd.DataFrame, names: list[str]) -> list[tuple[str, Rows]]:
    """Each named scenario's results (those present), as the store gives them to the page."""
    return [(name, Rows(Columns(results[results["scenario"] == name]))) for name in names
            if (results["scenario"] == name).any()]


def test_each_scenario_keeps_its_colour():
    shipped = ["base", "envelope_2025", "high_pay"]
    assert figures.colours(["base", CUSTOM, "upload:abc", "envelope_2025", "upload:def"], shipped) == {
        "base": figures.PALETTE[0], CUSTOM: figures.CUSTOM_COLOUR, "upload:abc": figures.PALETTE[3],
        "envelope_2025": figures.PALETTE[1], "upload:def": figures.PALETTE[4]}
    assert figures.tint("#000000", 0.5) == "#808080" and figures.tint("#0072B2") == "#99c7e0"
    assert figures.tint("#ffffff") == "#ffffff"


def test_labels_are_wrapped_and_shortened():
    assert figures.wrap("Delegated functions added (cash)") == "Delegated<br>functions added<br>(cash)"
    assert figures.short_name("NHS Cheshire and Merseyside Integrated Care Board") == "Cheshire and Merseyside"
    assert figures.short_name("NHS " + "x" * 50 + " ICB") == "x" * 40 + "…"
    text = "a" * 100 + "; " + "b" * 60 + "; c"
    assert figures.footer_lines(text) == "a" * 100 + ";<br>" + "b" * 60 + "; c"


def test_the_allowance_chart_shows_cash_and_real_terms_in_pounds_millions(results):
    place = figures.place_rows(_parts(results, ["A", CUSTOM, "absent"]), "ENG")
    assert list(place) == ["A", CUSTOM]
    fig = figures.allowance_figure(place, {"A": "#0072B2", CUSTOM: "#1a1a1a"}, "2022/23", "footer; sha256 abc")
    go.Figure(fig)  # a valid plotly figure
    cash, real = fig["data"][0], fig["data"][1]
    england = results[(results.scenario == "A") & (results.icb_code == "ENG")]
    assert cash["y"] == pytest.approx(list(england["allowance_gbp"] / 1e6))
    assert real["y"] == pytest.approx(list(england["allowance_real_gbp"] / 1e6)) and real["yaxis"] == "y2"
    assert cash["x"] == ["2022/23", "2023/24", "2024/25", "2025/26"]
    assert fig["layout"]["yaxis"]["title"]["text"] == "£m, cash"
    assert fig["layout"]["yaxis2"]["title"]["text"] == "£m, 2022/23 prices"
    assert fig["data"][2]["line"]["width"] == 3  # the custom scenario stands out
    assert fig["layout"]["annotations"][0]["text"] == "footer; sha256 abc"


def test_workforce_core_and_waterfall_charts(results):
    place = figures.place_rows(_parts(results, ["A"]), "T01")
    colour = {"A": "#0072B2"}
    workforce = figures.workforce_figure(place, colour, "f")
    assert [t["name"] for t in workforce["data"]] == ["A: can afford", "A: needs"]
    afford, needs = workforce["data"]
    assert afford["line"]["dash"] == needs["line"]["dash"] == "solid"  # the scenario's dash
    assert afford["marker"]["symbol"] == "circle" and needs["marker"]["symbol"] == "circle-open"
    assert afford["line"]["width"] > needs["line"]["width"]
    core = figures.core_capacity_figure(place, colour, "f")
    assert [t["name"] for t in core["data"]] == ["core functions need (A)", "A"]
    waterfall = figures.waterfall_figure(place, colour, "2022/23", "2025/26", "f")
    (bars,) = waterfall["data"]
    assert bars["measure"] == ["absolute", "relative", "relative", "relative", "total"]
    assert sum(bars["y"][:-1]) == pytest.approx(bars["y"][-1])
    for fig in (workforce, core, waterfall):
        go.Figure(fig)


def test_the_ranking_highlights_the_chosen_icb(results):
    colour = {"A": "#0072B2", CUSTOM: "#1a1a1a"}
    fig = figures.ranking_figure(icbs_in(results, "2025/26"), ["A", CUSTOM], "T01", colour, "2025/26", "f")
    go.Figure(fig)
    labels = fig["layout"]["yaxis"]["ticktext"]
    assert [label for label in labels if "◀" in label] == ["<b>Test 1 ◀</b>"]  # short_name drops " ICB"
    (shape,) = fig["layout"]["shapes"]
    row = next(i for i, label in enumerate(labels) if "◀" in label)
    assert (shape["y0"], shape["y1"]) == (row - 0.5, row + 0.5)
    assert [t["name"] for t in fig["data"]] == ["A", CUSTOM]


def test_published_allowances_have_solid_markers_and_projections_open_ones(store):
    place = figures.place_rows([("base", store.shipped["base"].rows_on("2026"))], "S0E4D")
    marks = [("2026/27", "formed April 2026")]
    fig = figures.allowance_figure(place, {"base": "#0072B2"}, "2022/23", "f", marks)
    go.Figure(fig)
    cash = fig["data"][0]
    assert cash["marker"]["symbol"] == ["circle-open"] + ["circle"] * 3 + ["circle-open"] * 5
    assert cash["customdata"][1] == "restated from published figures" and cash["customdata"][-1] == "projected"
    lines = [s for s in fig["layout"]["shapes"] if s["type"] == "line"]
    assert [(s["xref"], s["x0"]) for s in lines] == [("x", 3.5), ("x2", 3.5)]  # just before 2026/27, both panels
    assert sum(a["text"] == "formed April 2026" for a in fig["layout"]["annotations"]) == 2
    assert figures.change_lines([("2040/41", "x")], ["2022/23"]) == ([], [])
    for make in (figures.workforce_figure, figures.core_capacity_figure):
        drawn = make(place, {"base": "#0072B2"}, "f", marks)
        go.Figure(drawn)
        assert drawn["layout"]["shapes"][0]["x0"] == 3.5


def test_the_per_head_ranking_spans_the_spread_and_marks_projections(store):
    results = store.shipped["base"].results
    fig = figures.per_head_figure(icbs_in(results, "2025/26"), ["base"], "S0E4D", {"base": "#0072B2"}, "2025/26", "f")
    go.Figure(fig)
    (trace,) = fig["data"]
    assert len(trace["x"]) == 36 and trace["x"] == sorted(trace["x"]) and min(trace["x"]) > 12
    assert set(trace["marker"]["symbol"]) == {"circle"}  # every 2025/26 figure is published or restated
    assert "rangemode" not in fig["layout"]["xaxis"]
    later = figures.per_head_figure(icbs_in(results, "2027/28"), ["base"], "S0E4D", {"base": "#0072B2"}, "2027/28", "f")
    assert set(later["data"][0]["marker"]["symbol"]) == {"circle-open"}
    assert any("◀" in label for label in fig["layout"]["yaxis"]["ticktext"])


def _contrast(a: str, b: str = "#ffffff") -> float:
    """WCAG contrast ratio of two #rrggbb colours."""
    def luminance(colour: str) -> float:
        channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
        r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_scenarios_differ_by_dash_and_marker_as_well_as_colour(store):
    """Colour is never the only carrier: any two scenarios on a chart differ in line dash or in
    marker, and every scenario colour, axis line and the year-change line is at least 3:1 on white."""
    names = [*list(store.shipped)[:4], CUSTOM]
    looks = [figures.LOOKS[c] for c in figures.colours(names, list(store.shipped)).values()]
    assert len(set(looks)) == len(looks)
    assert len({dash for dash, _ in looks}) >= 4 and len({mark for _, mark in looks}) == len(looks)
    assert len(set(figures.LOOKS.values())) == len(figures.LOOKS) == len(figures.PALETTE) + 1
    for colour in (*figures.PALETTE, figures.CUSTOM_COLOUR, figures.AXIS_LINE, "#8a6d00", "#6e6e6e"):
        assert _contrast(colour) >= 3.0, colour
    assert _contrast("#666666") >= 4.5 and _contrast("#222222") >= 4.5  # the footer's and the charts' text


def test_every_line_chart_gives_each_scenario_its_dash_and_marker(store):
    from dashboard.startpoint import defaults
    from dashboard.urlstate import View

    sp = store.shipped["base"].start
    out = render(store, View("base", "S0E4D", "2027/28", ("base", "envelope_2025", "real_terms_30", CUSTOM),
                                       defaults(sp)))
    for graph_id in ("fig-allowance", "fig-workforce", "fig-core"):
        traces = [t for t in out.figures[graph_id]["data"] if not t["name"].startswith("core functions need")]
        seen = {}
        for trace in traces:
            scenario = trace["name"].split(":")[0]
            marker = trace["marker"]["symbol"]
            mark = (marker[0] if isinstance(marker, list) else marker).removesuffix("-open")
            seen.setdefault(scenario, set()).add((trace["line"]["dash"], mark))
        assert all(len(v) == 1 for v in seen.values()), seen  # one look per scenario
        looks = [next(iter(v)) for v in seen.values()]
        assert len(seen) == 4 and len({d for d, _ in looks}) == 4 and len({m for _, m in looks}) == 4, graph_id
    for graph_id in ("fig-per-head", "fig-ranking"):
        marks = [t["marker"]["symbol"] for t in out.figures[graph_id]["data"]]
        firsts = {(m[0] if isinstance(m, list) else m).removesuffix("-open") for m in marks}
        assert len(firsts) == 4, graph_id
