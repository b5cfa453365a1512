"""Writing tables (model/output/tables.py): CSV with one kind of line ending, XLSX with a README sheet,
each recorded with the sha256 of the bytes written."""

from __future__ import annotations

import hashlib

import numpy as np
import pandas as pd
import pytest
from openpyxl import load_workbook

from model.output.tables import cell_number, write_csv, write_xlsx

TABLE = pd.DataFrame({"icb_code": ["ENG", "QAA"], "allowance_gbp": [1_000_000.5, 250_000.0]})


def test_cell_number_reads_python_and_numpy_numbers():
    assert cell_number(3) == 3.0 and isinstance(cell_number(3), float)
    assert cell_number(np.float32(0.5)) == 0.5 and cell_number(np.int64(7)) == 7.0
    assert cell_number(True) == 1.0  # a bool is an int
    with pytest.raises(TypeError, match="expected a number in the table, got 'n/a'"):
        cell_number("n/a")


def test_write_csv_writes_unix_line_endings_and_records_what_it_wrote(tmp_path):
    written = write_csv(tmp_path / "sub" / "t.csv", TABLE)
    data = (tmp_path / "sub" / "t.csv").read_bytes()
    assert data == b"icb_code,allowance_gbp\nENG,1000000.5\nQAA,250000.0\n"
    assert written.path == tmp_path / "sub" / "t.csv"
    assert (written.size, written.sha256) == (len(data), hashlib.sha256(data).hexdigest())
    write_csv(tmp_path / "i.csv", TABLE.set_index("icb_code"), index=True)
    assert (tmp_path / "i.csv").read_text().splitlines()[0] == "icb_code,allowance_gbp"


def test_write_xlsx_puts_a_readme_first_then_a_sheet_per_table(tmp_path):
    path = tmp_path / "t.xlsx"
    written = write_xlsx(path, {"tornado": TABLE, "other": TABLE.head(1)}, [("scenario", "base"), ("units", "£")])
    assert written.sha256 == hashlib.sha256(path.read_bytes()).hexdigest() and written.size == path.stat().st_size
    book = load_workbook(path, read_only=True)
    assert book.sheetnames == ["README", "tornado", "other"]
    assert [row for row in book["README"].iter_rows(values_only=True)] == [("scenario", "base"), ("units", "£")]
    rows = list(book["tornado"].iter_rows(values_only=True))
    assert rows == [("icb_code", "allowance_gbp"), ("ENG", 1_000_000.5), ("QAA", 250_000)]
