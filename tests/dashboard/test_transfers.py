"""Files in and out of the page (dashboard/transfers.py): the downloads and the upload decoder."""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
import pytest

from dashboard import store as dash_store
from dashboard import transfers
from dashboard.controls import CUSTOM
from dashboard.urlstate import View
from tests.dashboard.shared import MOVES, ROOT, settings_for


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
    assert transfers.results_csv(store, view) == (tmp_path / "out" / "results.csv").read_text()


def test_decode_upload_limits_size_before_decoding():
    import base64

    small = "data:application/x-yaml;base64," + base64.b64encode(b"extends: base\n").decode()
    assert transfers.decode_upload(small) == b"extends: base\n"
    big = "data:application/x-yaml;base64," + "A" * (dash_store.UPLOAD_MAX_BYTES * 2)
    assert "over the limit" in transfers.decode_upload(big)
    assert "could not be read" in transfers.decode_upload("garbage")


def test_workbook_download_has_every_compared_scenario_and_the_custom_provenance(store, tmp_path):
    from openpyxl import load_workbook

    view = View("base", "ENG", "2025/26", ("base", "high_pay", CUSTOM),
                settings_for(store, "base", {"cut.further": 15}))
    (tmp_path / "r.xlsx").write_bytes(transfers.results_xlsx(store, view))
    book = load_workbook(tmp_path / "r.xlsx", read_only=True)
    assert {"base", "high_pay", CUSTOM, "Assumptions"} <= set(book.sheetnames)
    notes = [row for row in book["Assumptions"].iter_rows(values_only=True) if row[0] == CUSTOM]
    assert any("set in the dashboard" in str(cell) for row in notes for cell in row)


def test_csv_download_carries_the_hash_icb_model_run_gives(store):
    view = View("base", "ENG", "2025/26", ("base", CUSTOM), settings_for(store, "base", {"cut.further": 15}))
    results = pd.read_csv(io.StringIO(transfers.results_csv(store, view)))
    loaded = store.load_text(store.custom_yaml("base", view.settings, "test"), "custom.yaml")
    assert set(results.loc[results["scenario"] == CUSTOM, "scenario_sha256"]) == {loaded.content_hash()}


def test_the_csv_download_defuses_text_a_spreadsheet_would_run(store):
    """An uploaded scenario named like a formula reaches the CSV download as text (OWASP)."""
    loaded = store.upload("evil.yaml", b'name: "=HYPERLINK(1)"\nextends: base\n').loaded
    assert loaded is not None
    view = View("base", "ENG", "2025/26", ("base", loaded.key), settings_for(store, "base", {}))
    text = transfers.results_csv(store, view)
    assert "'=HYPERLINK(1)" in text and "\n=HYPERLINK" not in text and ",=HYPERLINK" not in text
