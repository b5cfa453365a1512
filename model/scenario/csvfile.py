"""Reading the small CSV tables a scenario names (the ICB table, organisation changes, published
allowances): size-capped, UTF-8, a header row, every row kept with its line number so that every
message can name the file, line and column. Read with the standard library's csv module."""

from __future__ import annotations

import csv
import difflib
import io
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from model.provenance import Provenance
from model.scenario.yamlio import MAX_ISSUES, Issue, ReadProblem, decode_utf8, read_limited, shorten

MAX_TABLE_BYTES = 10 * 1024 * 1024
MAX_KEPT_BYTES = 1024 * 1024
"""Tables up to this size are kept once read (32 of them at most: the shipped ones are a few KB)."""
MAX_TABLE_ROWS = 1_000
"""Most rows a table may hold (England has 42 ICBs): bounds a run's time and memory."""


@dataclass(frozen=True)
class CsvTable:
    """A CSV table as read: its header (names trimmed) and each non-blank row with its line."""

    display: str
    header: list[str]
    rows: list[tuple[int, list[str]]]

    def cell(self, cells: list[str], name: str) -> str:
        """A row's cell in column ``name`` ('' when the column or the cell is missing)."""
        index = self.header.index(name) if name in self.header else None
        return cells[index] if index is not None and index < len(cells) else ""

    def issue(self, line: int | None, column: str, message: str) -> Issue:
        """An Issue at a line and column of this table."""
        return Issue(self.display, line, column, message)


def read_table(path: Path, display: str, what: str, where: Provenance, key: str, needs: tuple[str, ...],
               optional: tuple[str, ...] = (), unit_rows: str = "rows") -> tuple[CsvTable | None, list[Issue]]:
    """Read ``path`` (shown as ``display``) as ``what`` ("the ICB table"): the columns ``needs``
    must be there; ``optional`` ones are mentioned in the message when one is missing. ``where``
    and ``key`` are where the scenario names the table (for a file that cannot be read)."""
    here = Issue(where.file, where.line, key, "")
    try:
        raw = read_limited(path, MAX_TABLE_BYTES)
    except ReadProblem as problem:
        if problem.kind == "too_big":
            return None, [_replace(here, f"{what} {display} is over {MAX_TABLE_BYTES:,} bytes. Check it is the "
                                         "right file.")]
        return None, [_replace(here, f"cannot read {what} {display}"
                                     f"{f' ({problem.message})' if problem.kind == 'not_a_file' else ''}. "
                                     "Check the path; it is relative to the file that sets it.")]
    if len(raw) > MAX_KEPT_BYTES:
        return _checked(raw, display, what, needs, optional, unit_rows)
    table, issues = _table_of(raw, display, what, needs, optional, unit_rows)
    return table, list(issues)


@lru_cache(maxsize=32)
def _table_of(raw: bytes, display: str, what: str, needs: tuple[str, ...], optional: tuple[str, ...],
              unit_rows: str) -> tuple[CsvTable | None, tuple[Issue, ...]]:
    """The table in the bytes ``raw`` and its issues, kept by content: the dashboard's custom
    scenario is resolved again at every slider move, and reads the same published allowances and
    organisation changes each time. A file changed on disk is read afresh; callers never change a
    CsvTable."""
    table, issues = _checked(raw, display, what, needs, optional, unit_rows)
    return table, tuple(issues)


def _checked(raw: bytes, display: str, what: str, needs: tuple[str, ...], optional: tuple[str, ...],
             unit_rows: str) -> tuple[CsvTable | None, list[Issue]]:
    """The bytes of a table decoded, split into rows and checked (see :func:`read_table`)."""
    text, issue = decode_utf8(raw, display)
    if issue:
        return None, [issue]
    try:
        header, rows = _split(text)
    except csv.Error as err:
        return None, [Issue(display, None, "", f"cannot read the table as CSV ({shorten(str(err), 200)}). Save it "
                                               "as comma-separated values with a header row.")]
    table = CsvTable(display, header, rows)
    ragged = [table.issue(line, "", f"the row has {len(cells)} cells but the header has {len(header)}. A comma "
                                    "inside a name? Put the name in double quotes.")
              for line, cells in rows if len(cells) > len(header)][:MAX_ISSUES]
    if ragged:
        return None, ragged
    also = f" (and optionally {', '.join(optional)})" if optional else ""
    issues = [table.issue(1, column, f"missing column '{column}'.{_column_hint(column, header, needs)} The table "
                                     f"needs columns {', '.join(needs)}{also}.")
              for column in needs if column not in header]
    if issues:
        return None, issues
    if not rows:
        return None, [table.issue(None, "", f"the table has no {unit_rows}. Add a row per {unit_rows.rstrip('s')}.")]
    if len(rows) > MAX_TABLE_ROWS:
        return None, [table.issue(None, "", f"the table has {len(rows):,} rows, more than the {MAX_TABLE_ROWS:,} the "
                                            "model runs (England has 42 ICBs). Check it is the right file.")]
    return table, []


def _split(text: str) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """The header (names trimmed) and each non-blank row with its line number."""
    reader = csv.reader(io.StringIO(text, newline=""), skipinitialspace=True)
    header = [name.strip() for name in next(reader, [])]
    rows = []
    for cells in reader:
        if cells and any(cell.strip() for cell in cells):
            rows.append((reader.line_num, cells))
    return header, rows


def _column_hint(column: str, present: list[str], needs: tuple[str, ...]) -> str:
    """' Did you mean 'x'?' for a present column that looks like the missing ``column``, else ''."""
    lowered = {name.lower(): name for name in present if name not in needs}
    close = difflib.get_close_matches(column, list(lowered), n=1, cutoff=0.4)
    return f" Did you mean '{lowered[close[0]]}'?" if close else ""


def _replace(issue: Issue, message: str) -> Issue:
    """``issue`` with another message."""
    return Issue(issue.file, issue.line, issue.path, message)
