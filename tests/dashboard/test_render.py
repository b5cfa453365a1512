"""What the page shows for a view (dashboard/render.py): the charts and the headline table equal
the engine's results, the notes, the base year of real terms, and the view's footprint."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from dashboard import components, facts, layout, startpoint
from dashboard.columns import Columns
from dashboard.controls import CUSTOM
from dashboard.render import _headline, render
from dashboard.urlstate import View
from model.output.compare import SelectionError, headline_table
from model.schema import HEADLINES
from tests.dashboard.shared import as_component, engine_results, settings_for


def independent_custom(start: str, moves: dict, store) -> pd.DataFrame:
    """The custom scenario computed without the dashboard's cache: its YAML through the loader."""
    text = store.custom_yaml(start, settings_for(store, start, moves), "test")
    return engine_results(store.load_text(text, "custom.yaml"), CUSTOM)



def test_figures_and_headline_table_show_the_engine_results(store):
    moves = {"cut.further": 12, "dentistry.required": 1.4, "pay.shift": 1.0}
    view = View("base", "QHM", "2026/27", ("base", "envelope_2025", "real_terms_30", CUSTOM),
                settings_for(store, "base", moves))
    out = render(store, view)
    expected = {"base": store.shipped["base"].results, "envelope_2025": store.shipped["envelope_2025"].results,
                "real_terms_30": store.shipped["real_terms_30"].results,
                CUSTOM: independent_custom("base", moves, store)}

    def rows(name):
        frame = expected[name]
        return frame[frame["icb_code"] == "QHM"].set_index("year")

    allowance = out.figures["fig-allowance"]["data"]
    for trace in allowance:
        column = "allowance_gbp" if trace["xaxis"] == "x" else "allowance_real_gbp"
        np.testing.assert_allclose(trace["y"], rows(trace["name"]).loc[trace["x"], column] / 1e6, rtol=1e-12)
    for trace in out.figures["fig-workforce"]["data"]:
        name, what = trace["name"].split(": ")
        column = "affordable_wte" if what == "can afford" else "required_wte"
        np.testing.assert_allclose(trace["y"], rows(name).loc[trace["x"], column], rtol=1e-12)
    for trace in out.figures["fig-core"]["data"][1:]:
        np.testing.assert_allclose(trace["y"], rows(trace["name"]).loc[trace["x"], "core_capacity_wte"], rtol=1e-12)
    for trace in out.figures["fig-waterfall"]["data"]:
        r = rows(trace["name"])
        assert trace["y"][0] == pytest.approx(r.loc["2022/23", "allowance_gbp"] / 1e6)
        assert trace["y"][-1] == pytest.approx(r.loc["2026/27", "allowance_real_gbp"] / 1e6)
        assert sum(trace["y"][:-1]) == pytest.approx(trace["y"][-1])
    for trace in out.figures["fig-ranking"]["data"]:
        frame = expected[trace["name"]]
        year = frame[(frame["year"] == "2026/27") & (frame["icb_code"] != "ENG")]
        np.testing.assert_allclose(sorted(trace["x"]), sorted(year["wte_gap"] / year["population"] * 1e5), rtol=1e-12)

    table = headline_table(pd.concat(expected.values()), list(expected), "2026/27", "QHM")
    body = as_component(out.headline).children[1]
    cells = {(td.__dict__["data-measure"], td.__dict__["data-scenario"]): td.children
             for tr in body.children for td in tr.children[1:] if "data-measure" in td.__dict__}
    assert {cells[("allowance_basis", name)] for name in expected} == {"projected"}  # 2026/27 follows the rules
    for headline, (_, row) in zip(HEADLINES, table.iterrows(), strict=False):
        for name in expected:
            assert cells[(headline.name, name)] == components.headline_cell(row[name], headline.display.unit)


def test_render_notes_when_custom_is_not_ticked_and_for_an_envelope_without_programme_pay(store):
    view = View("base", "ENG", "2025/26", ("base",), settings_for(store, "base", {"envelope.on": True}))
    notes = " ".join(p.children for p in as_component(render(store, view).notes))
    assert "tick 'custom'" in notes and "programme-funded pay" in notes


def test_the_cut_and_real_terms_are_measured_from_the_starts_base_year(store):
    sp = store.shipped["base"].start
    out = render(store, View("base", "ENG", "2025/26", ("base", CUSTOM), startpoint.defaults(sp)))
    assert out.readouts["cut.size"] == f"30% below {sp.labels[0]}" and sp.labels[0] == "2022/23"
    assert "real terms in 2022/23 prices" in out.units
    assert "real terms in 2024/25 prices" in layout.units_hint("2024/25")


def test_render_states_results_on_the_views_footprint(store):
    settings = settings_for(store, "base", {})
    on_42 = render(store, View("base", "ENG", "2025/26", ("base", CUSTOM), settings, "2022"))
    assert len(on_42.figures["fig-ranking"]["data"][0]["x"]) == 42
    assert f"{facts.TIMES}0.8196 in 2024/25" in on_42.chart_text["fig-per-head"][1]
    merged = render(store, View("merger_2027", "X27SS", "2027/28", ("base", "merger_2027", CUSTOM), settings,
                                          "2027"))
    notes = " ".join(p.children for p in as_component(merged.notes))
    assert "Left out here because its history has no 2027 footprint: base." in notes
    assert merged.known is not None and merged.known.open == ("2027/28", "2028/29", "2029/30", "2030/31")
    assert "formed April 2027" in str(merged.figures["fig-allowance"]["layout"]["annotations"])
    rules = render(store, View("instruction_2023", "S0E4D", "2025/26", (CUSTOM,),
                                         settings_for(store, "instruction_2023", {}), "2026"))
    assert rules.hidden == {"cut.further", "cut.further_year"} and "rules alone" in rules.known.intro


def test_a_known_allowance_box_offers_the_starts_projection_in_pounds_million(store):
    sp = store.shipped["base"].start
    out = render(store, View("base", "S0E4D", "2025/26", ("base", CUSTOM), startpoint.defaults(sp)))
    rows = store.shipped["base"].results
    mine = rows[rows["icb_code"] == "S0E4D"].set_index("year")["allowance_gbp"]
    assert out.known is not None and out.known.open and set(out.known.placeholders) == set(out.known.open)
    for year in out.known.open:
        assert out.known.placeholders[year] == f"projected {mine[year] / 1e6:,.2f}"


def test_the_headline_reads_each_scenarios_rows_and_a_missing_year_says_so(store):
    rows = store.shipped["base"].rows_on("2026").place("QHM")
    frame = rows.frame.assign(scenario="short")
    short = Columns(frame[frame["year"] != "2027/28"])
    joined = pd.concat([rows.frame, short.frame])
    pd.testing.assert_frame_equal(_headline({"base": rows, "short": short}, "2026/27", "QHM"),
                                  headline_table(joined, ["base", "short"], "2026/27", "QHM"))
    with pytest.raises(SelectionError, match="year '2027/28' is not in the results of short"):
        _headline({"base": rows, "short": short}, "2027/28", "QHM")
