"""The callbacks' logic (dashboard/callbacks.py): render, resolve, uploads and downloads, equal to the
engine and to `icb-model run`."""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
import pytest

from dashboard import callbacks, components, facts, layout, startpoint, transfers, urlstate
from dashboard import store as dash_store
from dashboard.controls import CUSTOM
from dashboard.urlstate import View
from model.output.compare import headline_table
from model.schema import HEADLINES
from tests.dashboard.shared import ROOT, engine_results, settings_for


def independent_custom(start: str, moves: dict, store) -> pd.DataFrame:
    """The custom scenario computed without the dashboard's cache: its YAML through the loader."""
    text = store.custom_yaml(start, settings_for(store, start, moves), "test")
    return engine_results(store.load_text(text, "custom.yaml"), CUSTOM)


def test_figures_and_headline_table_show_the_engine_results(store):
    moves = {"cut.further": 12, "dentistry.required": 1.4, "pay.shift": 1.0}
    view = View("base", "QHM", "2026/27", ("base", "envelope_2025", "real_terms_30", CUSTOM),
                settings_for(store, "base", moves))
    out = callbacks.render(store, view)
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
    cells = {(td.__dict__["data-measure"], td.__dict__["data-scenario"]): td.children
             for tr in out.headline.children[1].children for td in tr.children[1:] if "data-measure" in td.__dict__}
    assert {cells[("allowance_basis", name)] for name in expected} == {"projected"}  # 2026/27 follows the rules
    for headline, (_, row) in zip(HEADLINES, table.iterrows(), strict=False):
        for name in expected:
            assert cells[(headline.name, name)] == components.headline_cell(row[name], headline.display.unit)


def test_render_notes_when_custom_is_not_ticked_and_for_an_envelope_without_programme_pay(store):
    view = View("base", "ENG", "2025/26", ("base",), settings_for(store, "base", {"envelope.on": True}))
    notes = " ".join(p.children for p in callbacks.render(store, view).notes)
    assert "tick 'custom'" in notes and "programme-funded pay" in notes


def test_resolve_takes_the_url_first_then_resets_on_a_new_start(store):
    resolved = callbacks.resolve(store, None, "?icb=QHM&workforce.turnover=15", "base", {}, "ENG", "2025/26",
                                 ["base"], [])
    view, how = resolved.view, resolved.how
    assert how == "url" and view.icb == "QHM" and view.settings["workforce.turnover"] == 15
    moved = {"workforce.turnover": 15, "dentistry.in_scope": ["on"]}
    resolved = callbacks.resolve(store, "start", "", "envelope_2025", moved, "QHM", "2025/26", ["base"], [])
    assert resolved.how == "reset"
    assert resolved.view.settings == startpoint.defaults(store.shipped["envelope_2025"].start)
    resolved = callbacks.resolve(store, "control", "", "base", {"workforce.turnover": 15, "envelope.on": ["on"]},
                                 "QHM", "2025/26", ["base", CUSTOM, "high_pay", "real_terms_30", "envelope_2025"], [])
    view = resolved.view
    assert resolved.how == "edit" and view.settings["envelope.on"] is True
    assert len(view.compare) == urlstate.MAX_COMPARE


def test_an_upload_another_worker_took_is_revalidated_from_the_browsers_copy(store):
    text = "name: elsewhere\nextends: base\nworkforce:\n  turnover_rate: 0.2\n"
    other = dash_store.ScenarioStore(ROOT)
    key = other.upload("elsewhere.yaml", text.encode()).loaded.key
    assert store.get(key) is None or store.get(key).name == "elsewhere"
    keys = callbacks.offered_keys(store, [{"key": key, "name": "elsewhere", "filename": "elsewhere.yaml",
                                           "text": text}])
    assert key in keys and store.get(key).name == "elsewhere"
    assert callbacks.offered_keys(store, [{"key": "upload:000000000000", "name": "gone"}])[-1] == CUSTOM


def test_the_cut_and_real_terms_are_measured_from_the_starts_base_year(store):
    sp = store.shipped["base"].start
    out = callbacks.render(store, View("base", "ENG", "2025/26", ("base", CUSTOM), startpoint.defaults(sp)))
    assert out.readouts["cut.size"] == f"30% below {sp.labels[0]}" and sp.labels[0] == "2022/23"
    assert "real terms in 2022/23 prices" in out.units
    assert "real terms in 2024/25 prices" in layout.units_hint("2024/25")


def test_the_file_of_a_further_cut_and_a_known_allowance_reproduces_the_page_on_either_footprint(store, tmp_path):
    """`icb-model run custom.yaml --footprint F` writes, byte for byte, the page's CSV on footprint F
    when the custom scenario has a further cut and an allowance entered as known."""
    from dashboard.known import KnownFigure
    from model import cli

    settings = settings_for(store, "base", {"cut.further": 12, "cut.further_year": "2028/29"})
    known = (KnownFigure("S0E4D", "2026/27", 35_500_000.0), KnownFigure("QYG", "2027/28", 40_000_000.0))
    for footprint in ("2026", "2022"):
        view = View("base", "QU9" if footprint == "2022" else "S0E4D", "2027/28", (CUSTOM,), settings, footprint,
                    known)
        text = store.custom_yaml("base", settings, "test", known, footprint)
        assert ("--footprint 2022" in text) == (footprint == "2022")
        path = tmp_path / "custom.yaml"
        path.write_text(text)
        out = tmp_path / footprint
        assert cli.main(["--root", str(ROOT), "run", str(path), "--out", str(out), "--no-xlsx",
                         "--footprint", footprint]) == 0
        assert transfers.results_csv(store, view) == (out / "results.csv").read_text()
    page = pd.read_csv(io.StringIO(transfers.results_csv(store, view)))
    assert page.loc[(page["icb_code"] == "QU9") & (page["year"] == "2026/27"), "allowance_basis"].item() == "restated"


def test_choosing_a_former_icb_moves_the_footprint_and_a_footprint_moves_the_place(store):
    resolved = callbacks.resolve(store, "icb", "", "base", {}, "QNQ", "2025/26", ["base"], [], "2026")
    assert resolved.view.footprint == "2022" and "so results are on the 42 ICBs" in resolved.messages[0]
    resolved = callbacks.resolve(store, "footprint", "", "base", {}, "S0E4D", "2025/26", ["base"], [], "2022")
    assert (resolved.view.icb, resolved.view.footprint) == ("QU9", "2022") and "holds most" in resolved.messages[0]
    resolved = callbacks.resolve(store, "year", "", "base", {}, {"$ne": 1}, ["x"], "base", "junk", ["2022"])
    assert (resolved.view.icb, resolved.view.year, resolved.view.footprint) == ("ENG", "2025/26", "2026")
    assert resolved.view.compare == ()


def test_a_known_allowance_typed_is_kept_only_when_it_reads_and_a_new_start_drops_it(store):
    search = "?icb=S0E4D&known=S0E4D:2026/27:35000000"
    typed = callbacks.resolve(store, "known", search, "base", {}, "S0E4D", "2025/26", ["base"], [], "2026",
                              {"2026/27": "36.25", "2027/28": "lots"})
    assert [(k.year, k.gbp) for k in typed.view.known] == [("2026/27", 36_250_000.0)]
    assert "is not a number" in typed.known_messages[0]
    kept = callbacks.resolve(store, "known", search, "base", {}, "S0E4D", "2025/26", ["base"], [], "2026",
                             {"2026/27": "35500000"})
    assert [k.gbp for k in kept.view.known] == [35e6] and "the box takes £m" in kept.known_messages[0]
    other = callbacks.resolve(store, "control", search, "base", {}, "S0E4D", "2025/26", ["base"], [], "2026")
    assert [k.gbp for k in other.view.known] == [35e6]  # from the last good view (the URL)
    reset = callbacks.resolve(store, "start", search, "envelope_2025", {}, "S0E4D", "2025/26", ["base"], [])
    assert reset.view.known == ()


def test_render_states_results_on_the_views_footprint(store):
    settings = settings_for(store, "base", {})
    on_42 = callbacks.render(store, View("base", "ENG", "2025/26", ("base", CUSTOM), settings, "2022"))
    assert len(on_42.figures["fig-ranking"]["data"][0]["x"]) == 42
    assert f"{facts.TIMES}0.8196 in 2024/25" in on_42.chart_text["fig-per-head"][1]
    merged = callbacks.render(store, View("merger_2027", "X27SS", "2027/28", ("base", "merger_2027", CUSTOM), settings,
                                          "2027"))
    notes = " ".join(p.children for p in merged.notes)
    assert "Left out here because its history has no 2027 footprint: base." in notes
    assert merged.known is not None and merged.known.open == ("2027/28", "2028/29", "2029/30", "2030/31")
    assert "formed April 2027" in str(merged.figures["fig-allowance"]["layout"]["annotations"])
    rules = callbacks.render(store, View("instruction_2023", "S0E4D", "2025/26", (CUSTOM,),
                                         settings_for(store, "instruction_2023", {}), "2026"))
    assert rules.hidden == {"cut.further", "cut.further_year"} and "rules alone" in rules.known.intro


def _main_callback(client):
    import importlib.util
    import sys

    spec = importlib.util.spec_from_file_location("load_dashboard", ROOT / "benchmarks" / "load_dashboard.py")
    load = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("load_dashboard", load)
    spec.loader.exec_module(load)
    components_found: dict = {}
    load.walk_layout(client.get("/_dash-layout").get_json(), components_found)
    return load, load.main_callback(client.get("/_dash-dependencies").get_json(), components_found)


def test_whatever_the_browser_sends_the_server_answers_and_keeps_the_last_good_view(store, monkeypatch):
    """Hostile values for every new input give a 200 with a checked view; a failure inside the
    update leaves the page as it was and says why; a request Dash cannot read gets a 400."""
    from dashboard.app import create_app

    client = create_app(store=store).server.test_client()
    load, callback = _main_callback(client)
    box = load.stringify_id({"key": "2026-27", "type": "known"})
    hostile = [
        {"icb.value": {"$gt": 1}}, {"footprint.value": [1, 2]}, {"footprint.value": "2022", "icb.value": "S0E4D"},
        {"url.search": "?known=" + "S0E4D:2026/27:1e99," * 5000}, {"icb.value": "S0E4D", f"{box}.value": "-5"},
        {"icb.value": "S0E4D", f"{box}.value": {"x": 1}}, {"compare.value": "base"},
        {"start.value": ["x"], "year.value": None}, {"uploads.data": "junk"}, {"uploads.data": [{"key": 5}]},
    ]
    for values in hostile:
        changed = [next(iter(values))] if not any(k.startswith("{") for k in values) else [f"{box}.value"]
        answer = client.post("/_dash-update-component", data=callback.body(values, changed),
                             content_type="application/json")
        assert answer.status_code == 200, (values, answer.get_data(as_text=True)[:300])
        assert "could not be shown" not in answer.get_data(as_text=True)

    def broken(*_args, **_kwargs):
        raise ValueError("the engine fell over")

    monkeypatch.setattr(store, "compared", broken)
    answer = client.post("/_dash-update-component", data=callback.body({}, ["icb.value"]),
                         content_type="application/json")
    response = answer.get_json()["response"]
    assert answer.status_code == 200 and "the engine fell over" in str(response["view-error"])
    assert "headline" not in response and "fig-allowance" not in response  # the last good view stays
    assert client.post("/_dash-update-component", data=b"{}", content_type="application/json").status_code == 400
