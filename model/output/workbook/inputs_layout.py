"""The Inputs sheet's columns, and the builder that lays it out row by row.

Columns: label, path in the scenario file, unit, value (a single value), then the years (a
series, years across), then the provenance (status, source, note, set in). Each input cell gets
a defined name that the calculation sheets' formulas use.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from model.output.workbook.plan import YEAR0, Cell, Sheet, a1
from model.output.workbook.spec import Source, WorkbookSpec
from model.schema import FUNCTIONS

I_LABEL, I_PATH, I_UNIT, I_VALUE = 0, 1, 2, 3
"""Columns of the Inputs sheet (0-based): label, path, unit, value; years from YEAR0."""

_NAMES: dict[str, str] = {
    "running_cost_cut.basis": "cut_basis",
    "running_cost_cut.path": "cut_path",
    "real_terms.index": "real_terms_index",
    "nonpay.annual_saving": "nonpay_annual_saving",
}
"""The defined names that are not the path less its section: a bare ``basis``, ``path`` or
``index`` would say too little, and ``nonpay_annual_saving`` keeps the name it has always had."""


def input_name(path: str) -> str:
    """The defined name of an engine input's cell(s): the path less its section, a trailing
    ``_gbp`` dropped, a delegated function's name last (``delegation.dentistry.in_cut_scope`` is
    ``in_cut_scope_dentistry``; ``delegation.dentistry.go_live`` is the ICB table's go-live used,
    ``golive_dentistry``), except for the few :data:`_NAMES`."""
    if path in _NAMES:
        return _NAMES[path]
    parts = path.split(".")
    if parts[0] == "delegation":
        key = "golive" if parts[2] == "go_live" else parts[2].removesuffix("_gbp")
        return f"{key}_{parts[1]}"
    return "_".join(parts[1:]).removesuffix("_gbp")


@dataclass
class InputsRefs:
    """Where the Inputs sheet put things, for the calculation sheets' formulas: the year rows,
    each series' row, each piece's cells (``population``, ``rca`` (own base-year RCA), ``need``
    (need index) and ``golive_F``, by atom), each published figure's cell by (organisation code,
    year index) and the cell of each organisation change's share (by row of the structure)."""

    year_label_row: int = 0
    year_start_row: int = 0
    series_rows: dict[str, int] = field(default_factory=dict)
    piece_cells: dict[int, dict[str, str]] = field(default_factory=dict)
    figure_cells: dict[tuple[str, int], str] = field(default_factory=dict)
    share_cells: dict[int, str] = field(default_factory=dict)

    def piece(self, atom: int, what: str) -> str:
        """A piece's input cell (``population``, ``rca``, ``need`` or ``golive_F``)."""
        return self.piece_cells[atom][what]

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
    """Lays out the Inputs sheet top to bottom (``row`` is the next free row) and collects the
    defined names of its cells, and the name of each engine input's."""

    def __init__(self, spec: WorkbookSpec) -> None:
        self.spec = spec
        self.inp = spec.inputs
        self.T = len(spec.inputs.labels)
        self.sheet = Sheet("Inputs", kind="inputs")
        self.names: dict[str, str] = {}
        self.refs = InputsRefs()
        self.prov0 = YEAR0 + max(self.T, len(FUNCTIONS))  # status, source, note, set in
        self.row = 0
        self.engine_inputs: list[tuple[str, str]] = []  # (parameter path, defined name), in sheet order
        self.icb_rows: list[int] = []  # the ICB table's row of each base-year ICB

    def v(self, path: str) -> float:
        """A single-valued parameter of the (one-sample) inputs."""
        return float(self.inp.values[path][0])

    def name(self, name: str, row: int, col: int, last_row: int | None = None, last_col: int | None = None) -> None:
        """Define ``name`` as a cell of the sheet, or a range down to ``last_row`` / across to ``last_col``."""
        if name in self.names:
            raise ValueError(f"defined name {name} laid out twice")
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

    def section(self, title: str, note: str = "", style: str = "section") -> None:
        """A blank row, then a section title (with a note beside it)."""
        self.row += 1
        self.sheet.text(self.row, I_LABEL, title, style)
        if note:
            self.sheet.text(self.row, I_PATH, note, "note")
        self.row += 1

    def scalar(self, path: str, name: str, label: str, unit: str, value: object, style: str,
               source: Source | None = None, about: str | None = None) -> int:
        """One input with a single value in the value column; returns its row. ``source``
        defaults to the path's; ``about`` is a note on the label."""
        row = self._head(path, label, unit, about)
        self.sheet.put(row, I_VALUE, Cell(value=value, style=style, input=True))
        self.name(name, row, I_VALUE)
        self.provenance(row, source if source is not None else self.spec.sources.get(path))
        return row

    def series(self, path: str, name: str, label: str, unit: str, style: str, about: str | None = None) -> int:
        """One input with a value per year, years across; returns its row. A note on each year's
        cell says which file and line set it when the years come from more than one."""
        row = self._head(path, label, unit, about)
        values = self.inp.values[path][0]
        distinct = {self.spec.sources.get(f"{path}.{lab}") for lab in self.inp.labels} - {None}
        for y, lab in enumerate(self.inp.labels):
            year_source = self.spec.sources.get(f"{path}.{lab}")
            comment = None
            if year_source is not None and len(distinct) > 1:
                comment = f"{lab}: {year_source.text()}"
            self.sheet.put(row, YEAR0 + y, Cell(value=float(values[y]), style=style, input=True, comment=comment))
        self.name(name, row, YEAR0, last_col=YEAR0 + self.T - 1)
        self.refs.series_rows[path] = row
        self.provenance(row, self.spec.sources.get(path))
        return row

    def _head(self, path: str, label: str, unit: str, about: str | None) -> int:
        """Label, path and unit of the next row; moves on to the row after it, returns this one."""
        row = self.row
        self.sheet.put(row, I_LABEL, Cell(value=label, style="label", comment=about))
        self.sheet.text(row, I_PATH, path, "path")
        self.sheet.text(row, I_UNIT, unit, "unit")
        self.row += 1
        return row
