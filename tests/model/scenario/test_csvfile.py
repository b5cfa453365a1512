"""Reading the small CSV tables a scenario names (model/scenario/csvfile.py): capped, UTF-8, a header
row, every row with its line so that each message names the file, line and column."""

from __future__ import annotations

from pathlib import Path

from model.provenance import Provenance
from model.scenario import csvfile
from model.scenario.csvfile import MAX_TABLE_ROWS, read_table

WHERE = Provenance("assumptions.yaml", 8)
NEEDS = ("code", "name", "population")


def read(path: Path, optional: tuple[str, ...] = ("baseline_rca_gbp",)):
    return read_table(path, "data/icbs.csv", "the ICB table", WHERE, "icbs.table", NEEDS, optional, "ICBs")


def test_a_good_table_keeps_each_row_with_its_line(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text(' code , name ,population\nQAA,"NHS A, North",10\n\n  ,  ,  \nQBB,NHS B,20\n', encoding="utf-8")
    table, issues = read(path)
    assert issues == []
    assert table.header == ["code", "name", "population"] and table.display == "data/icbs.csv"
    assert table.rows == [(2, ["QAA", "NHS A, North", "10"]), (5, ["QBB", "NHS B", "20"])]
    assert table.cell(table.rows[0][1], "name") == "NHS A, North"
    assert table.cell(table.rows[0][1], "baseline_rca_gbp") == ""  # a column the table lacks
    issue = table.issue(5, "population", "too few")
    assert str(issue) == "data/icbs.csv:5, population | too few"


def test_a_missing_file_is_reported_where_the_scenario_names_it(tmp_path):
    table, (issue,) = read(tmp_path / "nowhere.csv")
    assert table is None
    assert (issue.file, issue.line, issue.path) == ("assumptions.yaml", 8, "icbs.table")
    assert issue.message == ("cannot read the ICB table data/icbs.csv. Check the path; it is relative to the file "
                             "that sets it.")
    table, (issue,) = read(tmp_path)
    assert "(the path is a folder, not a file)" in issue.message


def test_a_big_file_is_refused_before_it_is_read(tmp_path, monkeypatch):
    path = tmp_path / "t.csv"
    path.write_text("code,name,population\n" + "QAA,A,1\n" * 10)
    monkeypatch.setattr(csvfile, "MAX_TABLE_BYTES", 50)
    _, (issue,) = read(path)
    assert issue.message == "the ICB table data/icbs.csv is over 50 bytes. Check it is the right file."


def test_text_that_is_not_utf8_names_its_line(tmp_path):
    path = tmp_path / "t.csv"
    path.write_bytes(b"code,name,population\nQAA,Caf\xe9,1\n")
    _, (issue,) = read(path)
    assert (issue.file, issue.line) == ("data/icbs.csv", 2) and "not UTF-8" in issue.message


def test_a_row_with_more_cells_than_the_header_is_named_by_its_line(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("code,name,population\nQAA,NHS A, North,10\nQBB,B,2\nQCC,C,3,4\n")
    table, issues = read(path)
    assert table is None and [(i.line, i.path) for i in issues] == [(2, ""), (4, "")]
    assert issues[0].message == ("the row has 4 cells but the header has 3. A comma inside a name? Put the name in "
                                 "double quotes.")


def test_a_missing_column_suggests_the_one_meant(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("code,name,pop\nQAA,A,1\n")
    _, (issue,) = read(path)
    assert (issue.line, issue.path) == (1, "population")
    assert issue.message == ("missing column 'population'. Did you mean 'pop'? The table needs columns code, name, "
                             "population (and optionally baseline_rca_gbp).")
    path.write_text("code,name\nQAA,A\n")
    _, (issue,) = read(path, optional=())
    assert issue.message == "missing column 'population'. The table needs columns code, name, population."


def test_a_table_without_rows_or_with_too_many(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("code,name,population\n\n")
    _, (issue,) = read(path)
    assert issue.message == "the table has no ICBs. Add a row per ICB."
    path.write_text("code,name,population\n" + "".join(f"Q{i},N,1\n" for i in range(MAX_TABLE_ROWS + 1)))
    _, (issue,) = read(path)
    assert issue.message.startswith("the table has 1,001 rows, more than the 1,000 the model runs")


def test_text_the_csv_reader_cannot_read_is_an_issue(tmp_path):
    """A cell over the csv module's field limit (131,072 characters) is refused with the reason."""
    path = tmp_path / "t.csv"
    path.write_text("code,name,population\nQAA," + "n" * 200_000 + ",1\n")
    table, (issue,) = read(path)
    assert table is None and (issue.file, issue.line, issue.path) == ("data/icbs.csv", None, "")
    assert issue.message.startswith("cannot read the table as CSV (field larger than field limit")
    assert issue.message.endswith("Save it as comma-separated values with a header row.")
