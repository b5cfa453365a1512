"""Writing a briefing's folder (model/output/briefing/files.py): the three formats, the place's
results and the manifest last, each recorded with the sha256 of the bytes written."""

from __future__ import annotations

import hashlib
import json

import pandas as pd

from model.output.briefing import files, pdf
from tests.model.output.briefing.shared import NAMES, PLACE, YEAR


def test_the_folder_and_its_manifest(briefing, results, scenarios, tmp_path, monkeypatch):
    """With the PDF library away (so the test runs anywhere): HTML, DOCX, results.csv, manifest."""
    monkeypatch.setattr(pdf, "problem", lambda: "no pango here")
    folder = files.write(briefing, results, scenarios, tmp_path / "out", argv=["icb-model", "briefing"])
    names = [w.path.name for w in folder.written]
    assert names == ["briefing.html", "briefing.docx", "results.csv", files.MANIFEST]
    assert folder.pdf_problem == "no pango here"
    record = json.loads((tmp_path / "out" / files.MANIFEST).read_text())
    for name, entry in record["files"].items():
        assert entry["sha256"] == hashlib.sha256((tmp_path / "out" / name).read_bytes()).hexdigest(), name
    assert (record["place"], record["year"], record["command"]) == (PLACE, YEAR, ["icb-model", "briefing"])
    assert record["briefing_sha256"] == files.briefing_hash(briefing, scenarios)
    written = pd.read_csv(tmp_path / "out" / "results.csv")
    assert set(written["icb_code"]) == {PLACE} and set(written["scenario"]) == set(NAMES)
    assert (tmp_path / "out" / "briefing.html").read_text(encoding="utf-8") == briefing.html()


def test_the_briefing_hash_names_what_determines_the_figures(briefing, scenarios):
    digest = files.briefing_hash(briefing, scenarios)
    assert len(digest) == 64 and files.briefing_hash(briefing, scenarios) == digest
    assert files.briefing_hash(briefing, scenarios[:1]) != digest
    assert files.briefing_hash(briefing, list(reversed(scenarios))) != digest  # the first is the reference
