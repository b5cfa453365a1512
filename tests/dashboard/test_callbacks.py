"""The callbacks' logic (dashboard/callbacks.py): render, resolve, uploads and downloads, equal to the
engine and to `icb-model run`."""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
import pytest

from dashboard import callbacks, components, layout, startpoint, urlstate
from dashboard import store as dash_store
from dashboard.controls import CUSTOM
from dashboard.urlstate import View
from model.output.compare import headline_table
from model.schema import HEADLINES
from tests.dashboard.shared import MOVES, ROOT, engine_results, settings_for


@pytest.mark.parametrize("start", ["base", "envelope_2025", "spec_comm_2024"])
def test_icb_model_run_accepts_the_downloaded_file(store, tmp_path, start):
    """The page's CSV download of the custom scenario is byte for byte the results.csv that
    `icb-model run` writes for the downloaded scenario file (figures and content hash alike)."""
    from model import cli

    settings = settings_for(store, start, MOVES[-1])
    path = tmp_path / "custom.yaml"
    path.write_text(store.custom_yaml(start, settings, "test"))
    assert cli.main(["--root", str(ROOT), "run", str(path), "--out", str(tmp_path / "out"), "--no-xlsx"]) == 0
    written = pd.read_csv(tmp_path / "out" / "results.csv")
    page = store.custom(start, settings).results
    assert list(written["scenario"].unique()) == [CUSTOM]
    np.testing.assert_allclose(written["allowance_gbp"], page["allowance_gbp"], atol=0.006)
    np.testing.assert_allclose(written["wte_gap"], page["wte_gap"], atol=1e-4)
    view = View(start, "ENG", "2025/26", (CUSTOM,), settings)
    assert callbacks.results_csv(store, view) == (tmp_path / "out" / "results.csv").read_text()


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


def test_decode_upload_limits_size_before_decoding():
    import base64

    small = "data:application/x-yaml;base64," + base64.b64encode(b"extends: base\n").decode()
    assert callbacks.decode_upload(small) == b"extends: base\n"
    big = "data:application/x-yaml;base64," + "A" * (dash_store.UPLOAD_MAX_BYTES * 2)
    assert "over the limit" in callbacks.decode_upload(big)
    assert "could not be read" in callbacks.decode_upload("garbage")


def test_workbook_download_has_every_compared_scenario_and_the_custom_provenance(store, tmp_path):
    from openpyxl import load_workbook

    view = View("base", "ENG", "2025/26", ("base", "high_pay", CUSTOM),
                settings_for(store, "base", {"cut.further": 15}))
    (tmp_path / "r.xlsx").write_bytes(callbacks.results_xlsx(store, view))
    book = load_workbook(tmp_path / "r.xlsx", read_only=True)
    assert {"base", "high_pay", CUSTOM, "Assumptions"} <= set(book.sheetnames)
    notes = [row for row in book["Assumptions"].iter_rows(values_only=True) if row[0] == CUSTOM]
    assert any("set in the dashboard" in str(cell) for row in notes for cell in row)


def test_csv_download_carries_the_hash_icb_model_run_gives(store):
    view = View("base", "ENG", "2025/26", ("base", CUSTOM), settings_for(store, "base", {"cut.further": 15}))
    results = pd.read_csv(io.StringIO(callbacks.results_csv(store, view)))
    loaded = store.load_text(store.custom_yaml("base", view.settings, "test"), "custom.yaml")
    assert set(results.loc[results["scenario"] == CUSTOM, "scenario_sha256"]) == {loaded.content_hash()}


def test_the_cut_and_real_terms_are_measured_from_the_starts_base_year(store):
    sp = store.shipped["base"].start
    out = callbacks.render(store, View("base", "ENG", "2025/26", ("base", CUSTOM), startpoint.defaults(sp)))
    assert out.readouts["cut.size"] == f"30% below {sp.labels[0]}" and sp.labels[0] == "2022/23"
    assert "real terms in 2022/23 prices" in out.units
    assert "real terms in 2024/25 prices" in layout.units_hint("2024/25")
