"""The callbacks' logic (dashboard/callbacks.py): render, resolve, uploads and downloads, equal to the
engine and to `icb-model run`."""

from __future__ import annotations

import io
import json

import pandas as pd

from dashboard import callbacks, startpoint, transfers, urlstate
from dashboard import store as dash_store
from dashboard.controls import CUSTOM
from dashboard.urlstate import View
from tests.dashboard.shared import ROOT, settings_for


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


def test_the_page_is_served_showing_what_its_first_update_would_answer(store):
    """The layout holds the default view, prop for prop what the update answers the request the
    page sends as it opens (its address with no query); so that request is answered with no change
    while the page is as served, an address with a query with what differs from the page, and
    either in full once anything has changed the page."""
    from dashboard.app import create_app

    client = create_app(store=store).server.test_client()
    load, callback = _main_callback(client)
    layout: dict = {}
    load.walk_layout(client.get("/_dash-layout").get_json(), layout)
    first = {"url.search": ""}

    def post(values: dict) -> object:
        return client.post("/_dash-update-component", data=callback.body({**first, **values}, ["url.search"]),
                           content_type="application/json")

    assert post({}).status_code == 204  # as served: nothing to send
    answer = post({"as-served.data": False})
    response = answer.get_json()["response"]
    assert answer.status_code == 200 and len([p for props in response.values() for p in props]) > 150
    assert "fig-allowance" in response and "headline" in response
    for component_id, props in response.items():
        for prop, value in props.items():
            assert json.loads(json.dumps(layout[component_id]["props"].get(prop))) == value, (component_id, prop)
    assert "as-served" not in response  # already no longer as served: nothing to change

    # A shared link: only what differs from the page as served, then the page is no longer as served.
    shared = post({"url.search": "?icb=QNQ"}).get_json()["response"]
    assert shared["as-served"] == {"data": False} and "Frimley" in json.dumps(shared["view-title"])
    assert "sources" not in shared and "start.value" not in json.dumps(list(shared))  # the same start
    for component_id, props in shared.items():
        for prop, value in props.items():
            if component_id != "as-served":
                assert json.loads(json.dumps(layout[component_id]["props"].get(prop))) != value, (component_id, prop)
    full = post({"url.search": "?icb=QNQ", "as-served.data": False}).get_json()["response"]
    sent = [(i, prop, value) for i, props in shared.items() if i != "as-served" for prop, value in props.items()]
    assert all(full[i][prop] == value for i, prop, value in sent)
    assert "sources" in full and len(full) > len(shared)


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

    monkeypatch.setattr(store, "compared_rows", broken)
    answer = client.post("/_dash-update-component", data=callback.body({}, ["icb.value"]),
                         content_type="application/json")
    response = answer.get_json()["response"]
    assert answer.status_code == 200 and "the engine fell over" in str(response["view-error"])
    assert "headline" not in response and "fig-allowance" not in response  # the last good view stays
    assert client.post("/_dash-update-component", data=b"{}", content_type="application/json").status_code == 400


def test_a_slider_moves_answer_is_plain_json_that_orjson_writes_as_dash_would(store):
    """Every output of a move is what Dash sends (no ``dash.html`` objects left to convert), so
    plotly's JSON writes it with orjson at once; the JSON is the standard library's, value for value."""
    import orjson
    from dash.development.base_component import Component
    from plotly.io.json import to_json_plotly

    settings = settings_for(store, "base", {"cut.further": 10, "pay.shift": 1.5})
    ids = [{"type": "control", "key": k} for k in settings]
    outputs = callbacks._update(store, list(store.labels[1:]), "control", "", "base", list(settings.values()), "QNQ",
                                "2025/26", ["base", CUSTOM], "2022", {}, [], ids, ids, "pay.shift")

    def components_in(node: object) -> int:
        if isinstance(node, Component):
            return 1
        if isinstance(node, dict):
            return sum(components_in(v) for v in node.values())
        return sum(components_in(v) for v in node) if isinstance(node, list | tuple) else 0

    assert components_in(outputs) == 0
    kept = callbacks.no_update  # Dash leaves these outputs out of the response
    plain = [[v for v in o if v is not kept] if isinstance(o, list) else o for o in outputs if o is not kept]
    written = orjson.dumps(plain, option=orjson.OPT_NON_STR_KEYS | orjson.OPT_SERIALIZE_NUMPY)
    assert json.loads(written) == json.loads(to_json_plotly(plain, engine="json"))
    assert "changes-table" in written.decode() and "Need index" in written.decode()


def test_a_request_dash_cannot_read_is_logged_in_one_line_not_a_traceback(store, caplog):
    """A hostile client must not fill the server's log with tracebacks; other errors keep theirs."""
    import logging

    from dashboard.app import create_app

    app = create_app(store=store)

    @app.server.route("/broken")
    def broken() -> str:
        raise ValueError("a fault of the server's own")

    client = app.server.test_client()
    body = json.dumps({"output": "nowhere.children", "outputs": {"id": "nowhere", "property": "children"},
                       "inputs": [], "changedPropIds": []}).encode()
    with caplog.at_level(logging.WARNING):
        answers = [client.post("/_dash-update-component", data=data, content_type="application/json")
                   for data in (b"{}", body)]
    assert [answer.status_code for answer in answers] == [400, 400]
    lines = [record.getMessage() for record in caplog.records]
    assert len(lines) == 2 and all(line.startswith("unreadable callback request from ") for line in lines)
    assert "nowhere.children" in lines[1] and not any(record.exc_info for record in caplog.records)
    assert "Traceback" not in caplog.text
    caplog.clear()
    with caplog.at_level(logging.ERROR):
        assert client.get("/broken").status_code == 500
    assert any(record.exc_info for record in caplog.records)  # logged in full, as Flask does
