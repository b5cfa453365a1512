"""``icb-model workbook`` (model/cli/workbook.py): the file it writes and the input it refuses."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from model.cli import main

ROOT = Path(__file__).resolve().parents[3]


def test_cli_writes_the_workbook(tmp_path, capsys):
    out = tmp_path / "book.xlsx"
    assert main(["--root", str(ROOT), "workbook", "base", "--icb", "qe1", "QUE", "--out", str(out)]) == 0
    assert "2 ICB sheets" in capsys.readouterr().out
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["About", "Inputs", "England", "Checks", "QE1", "QUE"]
    values = [c.value for row in book["QE1"].iter_rows() for c in row if c.value is not None]
    assert sum(str(v).startswith("=") for v in values) > 500
    assert not [v for v in values if isinstance(v, (int, float))]  # figures are all formulas


@pytest.mark.parametrize("args, message", [
    (["base", "--icb", "ZZZ"], "ZZZ"),
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
