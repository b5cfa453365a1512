"""``icb-model briefing`` (model/cli/briefing.py): the three formats, the place's results and a manifest."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pandas as pd
import pytest

from model.cli import main
from model.output.briefing import pdf

ROOT = Path(__file__).resolve().parents[3]
PLACE, YEAR = "QOP", "2026/27"
NAMES = ("base", "envelope_2025")
needs_pdf = pytest.mark.skipif(pdf.problem() is not None, reason=f"{pdf.problem()} (make system-deps installs pango)")


@needs_pdf
def test_command_writes_the_three_formats_results_and_a_manifest(tmp_path, capsys):
    out = tmp_path / "brief"
    assert main(["--root", str(ROOT), "briefing", *NAMES, "--icb", "qop", "--out", str(out)]) == 0
    said = capsys.readouterr()
    assert "Board briefing for NHS Greater Manchester, 2026/27: base, envelope_2025." in said.out
    files = {p.name for p in out.iterdir()}
    assert files == {"briefing.html", "briefing.pdf", "briefing.docx", "results.csv", "briefing_manifest.json"}
    manifest = json.loads((out / "briefing_manifest.json").read_text())
    assert manifest["place"] == PLACE and manifest["year"] == YEAR and manifest["pdf_problem"] is None

    for name, record in manifest["files"].items():
        assert hashlib.sha256((out / name).read_bytes()).hexdigest() == record["sha256"]
    written = pd.read_csv(out / "results.csv")
    assert set(written["icb_code"]) == {PLACE} and set(written["scenario"]) == set(NAMES)
    assert not [p for p in out.iterdir() if p.name.startswith(".")]


def test_command_without_a_pdf_library_still_writes_html_and_docx(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(pdf, "problem", lambda: "WeasyPrint is not installed (pip install weasyprint); the PDF "
                                                "was not written")
    out = tmp_path / "brief"
    assert main(["--root", str(ROOT), "briefing", "base", "--icb", "ENG", "--year", "2025/26", "--out", str(out)]) == 0
    assert {p.name for p in out.iterdir()} == {"briefing.html", "briefing.docx", "results.csv",
                                               "briefing_manifest.json"}
    assert "icb-model: note: WeasyPrint is not installed" in capsys.readouterr().err
    assert "England (36 ICBs)" in (out / "briefing.html").read_text()


@pytest.mark.parametrize(("args", "message"), [
    (["--icb", "XYZ"], "--icb: ICB 'XYZ' is not in the results of base"),
    (["--year", "2040/41"], "--year: year '2040/41' is not in the results of every scenario"),
])
def test_command_refuses_a_place_or_year_not_in_the_results(tmp_path, capsys, args, message):
    assert main(["--root", str(ROOT), "briefing", "base", *args, "--out", str(tmp_path / "x")]) == 2
    assert message in capsys.readouterr().err
    assert not (tmp_path / "x").exists()


def test_command_refuses_a_scenario_named_like_the_column_of_units(tmp_path, capsys):
    (tmp_path / "unit.yaml").write_text("name: unit\nextends: base\n")
    assert main(["--root", str(ROOT), "briefing", "base", str(tmp_path / "unit.yaml"), "--out",
                 str(tmp_path / "x")]) == 2
    assert "a scenario is named 'unit', like the headline table's column of units" in capsys.readouterr().err
    assert not (tmp_path / "x").exists()


def test_a_former_icb_is_briefed_on_the_42_and_the_paper_says_how_to_do_it_again(tmp_path, capsys, monkeypatch):
    """NHS Frimley (QNQ) was split in April 2026: it is a place of the 2022 footprint only. Its
    paper's "How to reproduce" names that footprint; a current ICB's paper needs no --footprint."""
    monkeypatch.setattr(pdf, "problem", lambda: "no PDF in this test")
    out = tmp_path / "frimley"
    assert main(["--root", str(ROOT), "briefing", "base", "--icb", "QNQ", "--year", "2025/26", "--footprint", "2022",
                 "--out", str(out)]) == 0
    assert "Board briefing for NHS Frimley, 2025/26: base." in capsys.readouterr().out
    page = (out / "briefing.html").read_text()
    assert "icb-model briefing base --icb QNQ --year 2025/26 --footprint 2022 --out briefing/" in page
    assert set(pd.read_csv(out / "results.csv")["footprint"].astype(str)) == {"2022"}

    assert main(["--root", str(ROOT), "briefing", "base", "--icb", "QNQ", "--out", str(tmp_path / "x")]) == 2
    assert "--icb: ICB 'QNQ' is not in the results of base" in capsys.readouterr().err
    assert main(["--root", str(ROOT), "briefing", "base", "--icb", "QOP", "--year", "2025/26", "--out",
                 str(tmp_path / "qop")]) == 0
    assert "--icb QOP --year 2025/26 --out briefing/" in (tmp_path / "qop" / "briefing.html").read_text()
    assert main(["--root", str(ROOT), "briefing", "base", "--footprint", "2019", "--out", str(tmp_path / "y")]) == 2
    assert "--footprint 2019" in capsys.readouterr().err
