"""``icb-model workbook`` (model/cli/workbook.py): the file it writes and the input it refuses."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from model.cli import main

ROOT = Path(__file__).resolve().parents[3]


def test_cli_writes_the_workbook(tmp_path, capsys):
    out = tmp_path / "book.xlsx"
    assert main(["--root", str(ROOT), "workbook", "base", "--icb", "qe1", "QUE", "--footprint", "2022",
                 "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "footprint 2022, 7 organisation sheets" in printed
    assert "Included for their shared history: QHG, QM7, QH8, QMM, QJG." in printed
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["About", "Inputs", "England", "Checks", "QE1", "QUE", "QHG", "QM7", "QH8", "QMM",
                               "QJG", "Other organisations"]
    values = [c.value for row in book["QE1"].iter_rows() for c in row if c.value is not None]
    assert sum(str(v).startswith("=") for v in values) > 500
    assert not [v for v in values if isinstance(v, (int, float))]  # figures are all formulas


def test_cli_defaults_to_the_latest_footprint(tmp_path, capsys):
    out = tmp_path / "book.xlsx"
    assert main(["--root", str(ROOT), "workbook", "merger_2027", "--icb", "X27SS", "--out", str(out)]) == 0
    assert "footprint 2027, 1 organisation sheet," in capsys.readouterr().out
    assert openpyxl.load_workbook(out).sheetnames == ["About", "Inputs", "England", "Checks", "X27SS",
                                                      "Other organisations"]


@pytest.mark.parametrize("args, message", [
    (["base", "--icb", "ZZZ"], "ZZZ is not an organisation of the 2026 footprint; choose from QHM, QOQ"),
    (["base", "--icb", "QNQ"], "QNQ is on the 2022 footprint: give --footprint"),
    (["base", "--footprint", "2027"], "there is no 2027 footprint in this run; choose 2022 or 2026"),
    (["base", "--out-csv"], None),
    (["no_such_scenario"], "no_such_scenario"),
])
def test_cli_rejects_bad_input(tmp_path, capsys, args, message):
    if args[1:] == ["--out-csv"]:
        args, out = ["base"], tmp_path / "book.csv"
        message = ".xlsx"
    else:
        out = tmp_path / "book.xlsx"
    assert main(["--root", str(ROOT), "workbook", *args, "--out", str(out)]) == 2
    assert message in capsys.readouterr().err
    assert not out.exists()


def test_a_workbook_beyond_the_supported_size_is_refused_before_any_work(tmp_path, capsys, monkeypatch):
    """A workbook lays out a sheet per ICB and a column per year: at most WORKBOOK_MAX_ICB_YEARS
    (England's 42 ICBs over 60 years fit); beyond it the command says so before any work."""
    import model.cli.workbook as workbook

    assert workbook.WORKBOOK_MAX_ICB_YEARS >= 42 * 60
    monkeypatch.setattr(workbook, "WORKBOOK_MAX_ICB_YEARS", 300)
    out = tmp_path / "book.xlsx"
    assert main(["--root", str(ROOT), "workbook", "base", "--out", str(out)]) == 2
    assert capsys.readouterr().err == (
        "icb-model: a workbook of scenario base would lay out 42 ICBs over 9 years (378 ICB-years), more than the "
        "300 supported (the time grows with their number). Include fewer ICBs (icbs.include) or shorten the horizon, "
        "or name ICBs with --icb.\n")
    assert not out.exists()
