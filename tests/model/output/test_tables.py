"""Writing tables (model/output/tables.py): CSV with one kind of line ending, XLSX with a README sheet,
each recorded with the sha256 of the bytes written."""

from __future__ import annotations

import hashlib
import io

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from model.output.tables import cell_number, csv_safe, csv_text, rows_of, write_csv, write_xlsx

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


def test_text_a_spreadsheet_could_read_as_a_formula_gets_an_apostrophe_in_csv(tmp_path):
    """OWASP's rule: cells, column labels and index labels starting with =, +, -, @, tab or CR,
    unless they are plain numbers; numbers themselves are never touched."""
    table = pd.DataFrame({"name": ["=1+2", "-0.01", "@SUM(A1)", "plain", "\tx"], "value": [-1.0, 2, 3, 4, 5],
                          "-label": ["+cmd|x", "", "a", "b", "c"]},
                         index=pd.Index(["-cmd", "+2", "x", "y", "z"], name="=idx"))
    write_csv(tmp_path / "t.csv", table, index=True)
    assert (tmp_path / "t.csv").read_text().splitlines() == [
        "'=idx,name,value,'-label", "'-cmd,'=1+2,-1.0,'+cmd|x", "+2,-0.01,2.0,", "x,'@SUM(A1),3.0,a",
        "y,plain,4.0,b", "z,'\tx,5.0,c"]
    assert table.loc["-cmd", "name"] == "=1+2"  # the table itself is left alone


def test_a_lone_carriage_return_makes_every_text_field_quoted():
    """The CSV writer would leave a bare CR unquoted, and readers would split the row there."""
    text = csv_text(pd.DataFrame({"a": ["\rCR", "x"], "b": [1.0, 2.0]}))
    assert text == "\"a\",\"b\"\n\"'\rCR\",1.0\n\"x\",2.0\n"
    assert pd.read_csv(io.StringIO(text))["a"].tolist() == ["'\rCR", "x"]
    assert csv_text(pd.DataFrame({"a": ["one\r\ntwo"]})) == "a\n\"one\r\ntwo\"\n"  # a CRLF is quoted anyway


def test_rows_of_a_table_with_and_without_its_index():
    table = TABLE.set_index("icb_code")
    assert rows_of(table, index=True) == [["icb_code", "allowance_gbp"], ["ENG", 1_000_000.5], ["QAA", 250_000.0]]
    assert rows_of(TABLE) == [["icb_code", "allowance_gbp"], ["ENG", 1_000_000.5], ["QAA", 250_000.0]]


def test_the_readme_keys_are_bold_and_text_like_a_formula_stays_text(tmp_path):
    path = tmp_path / "t.xlsx"
    write_xlsx(path, {"tornado": TABLE.assign(icb_code=["=cmd", "QAA"])}, [("scenario", "-evil")])
    book = load_workbook(path)
    readme = book["README"]
    assert readme["A1"].font.b and not readme["B1"].font.b
    assert (readme["B1"].value, readme["B1"].quotePrefix) == ("-evil", True)
    assert book["tornado"]["A1"].font.b and (book["tornado"]["A2"].value, book["tornado"]["A2"].quotePrefix) == (
        "=cmd", True)


_CELL_TEXT = st.lists(st.sampled_from(["a", "b", ",", '"', "'", "=", "+", "-", "@", " ", "\t", "\n", "\r\n", "1", ".",
                                        "é"]), max_size=6).map("".join)
"""Cell text with the characters CSV quoting and formula defusing care about (a lone carriage return,
which makes every text field quoted, has its own test)."""
_FLOATS = st.sampled_from([float("nan"), float("inf"), float("-inf"), -0.0, 0.1 + 0.2, 1e16, 1e-5, 123.0]) | st.floats()


@settings(max_examples=150, deadline=None)
@given(st.data(), st.integers(0, 6), st.booleans())
def test_csv_text_writes_what_pandas_writes(data, n_rows, with_index):
    """Numbers-and-text tables go through Python's CSV writer (faster); the text must be pandas' own,
    character for character: floats (NaN, infinities, -0.0, tiny and huge), integers, true/false,
    text with commas, quotes and line breaks, missing text, and an index."""
    def column(values):
        return data.draw(st.lists(values, min_size=n_rows, max_size=n_rows))

    table = pd.DataFrame({"x": column(_FLOATS), "n": np.array(column(st.integers(-10**12, 10**12)), dtype=np.int64),
                          "flag": np.array(column(st.booleans()), dtype=bool), "name": column(_CELL_TEXT | st.none())},
                         index=pd.Index(column(_CELL_TEXT), name="place"))
    expected = csv_safe(table).to_csv(index=with_index, lineterminator="\n")
    assert csv_text(table, index=with_index) == expected


def test_csv_text_leaves_other_column_types_to_pandas():
    """Dates, float32 and nullable integers are written as pandas writes them."""
    table = pd.DataFrame({"when": pd.to_datetime(["2026-04-01", "2027-04-01"]),
                          "f32": np.array([0.1, 2.5], dtype=np.float32), "count": pd.array([1, None], dtype="Int64")})
    assert csv_text(table) == "when,f32,count\n2026-04-01,0.1,1\n2027-04-01,2.5,\n"
