"""The Inputs sheet's columns, and the builder that lays it out row by row.

Columns: label, path in the scenario file, unit, value (a single value), then the years (a
series, years across), then the provenance (status, source, note, set in). Each input cell gets
a defined name that the calculation sheets' formulas use.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from model.engine.inputs import INPUT_BY_PATH
from model.output.workbook.plan import YEAR0, Cell, Sheet, a1
from model.output.workbook.spec import Source, WorkbookSpec
from model.schema import FUNCTIONS

I_LABEL, I_PATH, I_UNIT, I_VALUE = 0, 1, 2, 3
"""Columns of the Inputs sheet (0-based): label, path, unit, value; years from YEAR0."""


@dataclass
class InputsRefs:
    """Where the Inputs sheet put things, for the calculation sheets' formulas."""

    year_label_row: int = 0
    year_start_row: int = 0
    series_rows: dict[str, int] = field(default_factory=dict)
    n_years: int = 0

    def series(self, path: str, year: int) -> str:
        """The cell of a series in year ``year`` (0 = base year)."""
        return f"Inputs!{a1(self.series_rows[path], YEAR0 + year)}"

    def year_label(self, year: int) -> str:
        """The cell of a year's label (``2025/26``)."""
        return f"Inputs!{a1(self.year_label_row, YEAR0 + year)}"

    def year_start(self, year: int) -> str:
        """The cell of the calendar year a financial year starts in (2025 for 2025/26)."""
        return f"Inputs!{a1(self.year_start_row, YEAR0 + year)}"


class InputsSheet:
    """Lays out the Inputs sheet top to bottom and collects the defined names of its cells."""

    def __init__(self, spec: WorkbookSpec) -> None:
        self.spec = spec
        self.inp = spec.inputs
        self.T = len(spec.inputs.labels)
        self.sheet = Sheet("Inputs", kind="inputs")
        self.names: dict[str, str] = {}
        self.refs = InputsRefs(n_years=self.T)
        self.prov0 = YEAR0 + max(self.T, len(FUNCTIONS))  # status, source, note, set in
        self.row = 0

    def v(self, path: str) -> float:
        """A single-valued parameter of the (one-sample) inputs."""
        return float(self.inp.values[path][0])

    def word(self, path: str) -> str:
        """A word the Inputs hold as 0/1 (``running_cost_cut.basis``: nominal/real...)."""
        value = self.v(path)
        if value not in (0.0, 1.0):
            raise ValueError(f"{path} must be 0 or 1 in a workbook, not {value}")
        return INPUT_BY_PATH[path].spec.choices[int(value)]

    def name(self, name: str, row: int, col: int, last_row: int | None = None, last_col: int | None = None) -> None:
        """Define ``name`` as a cell of the sheet, or a range down to ``last_row`` / across to ``last_col``."""
        ref = f"=Inputs!{a1(row, col, True)}"
        if last_row is not None or last_col is not None:
            ref += ":" + a1(row if last_row is None else last_row, col if last_col is None else last_col, True)
        self.names[name] = ref

    def provenance(self, row: int, source: Source | None) -> None:
        """Status, source, note and where set, in the provenance columns of a row."""
        source = source or Source()
        for offset, text in enumerate((source.status, source.source, source.note, source.set_in)):
            if text:
                self.sheet.text(row, self.prov0 + offset, text, "prov")

    def section(self, title: str) -> None:
        """A blank row, then a section title."""
        self.row += 1
        self.sheet.text(self.row, 0, title, "section")
        self.row += 1

    def scalar(self, path: str, name: str, label: str, unit: str, value: object, style: str,
               source: Source | None = None) -> int:
        """One input with a single value in the value column; returns its row."""
        row = self.row
        self.sheet.text(row, I_LABEL, label, "label")
        self.sheet.text(row, I_PATH, path, "path")
        self.sheet.text(row, I_UNIT, unit, "unit")
        self.sheet.put(row, I_VALUE, Cell(value=value, style=style, input=True))
        self.name(name, row, I_VALUE)
        self.provenance(row, source if source is not None else self.spec.sources.get(path))
        self.row += 1
        return row

    def series(self, path: str, name: str, label: str, unit: str) -> None:
        """One input with a value per year, years across; a note on each year's cell says which
        file and line set it when the years come from more than one."""
        row = self.row
        sheet = self.sheet
        sheet.text(row, I_LABEL, label, "label")
        sheet.text(row, I_PATH, path, "path")
        sheet.text(row, I_UNIT, unit, "unit")
        values = self.inp.values[path][0]
        row_source = self.spec.sources.get(path)
        distinct = {self.spec.sources.get(f"{path}.{lab}") for lab in self.inp.labels} - {None}
        for y, lab in enumerate(self.inp.labels):
            year_source = self.spec.sources.get(f"{path}.{lab}")
            comment = None
            if year_source is not None and len(distinct) > 1:
                comment = f"{lab}: {year_source.text()}"
            sheet.put(row, YEAR0 + y, Cell(value=float(values[y]), style="frac_in", input=True, comment=comment))
        self.name(name, row, YEAR0, last_col=YEAR0 + self.T - 1)
        self.refs.series_rows[path] = row
        self.provenance(row, row_source)
        self.row += 1
