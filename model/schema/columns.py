"""The columns of results.csv, from columns.yaml: kind, unit, rounding, label and meaning.

Everything that writes, rounds, labels or plots a result reads :data:`COLUMNS` (or
:func:`column`), so a column's unit and rounding are declared once.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from model.schema.data import load
from model.schema.units import Display, Unit
from model.schema.units import unit as unit_of_id

COLUMN_KINDS = ("label", "additive", "ratio", "price", "trace")
"""label: words identifying the row; additive: sums over ICBs (pounds, WTE, people); ratio: made
from additive figures (recomputed from sums for England); price: one national index or cost;
trace: where the row came from (content hash, model version)."""

NUMERIC_COLUMN_KINDS = ("additive", "ratio", "price")


@dataclass(frozen=True)
class ColumnSpec:
    """One column of results.csv."""

    name: str
    kind: str
    label: str
    description: str
    unit: str | None = None
    decimals: int | None = None
    headline: bool = False
    contract: bool = False

    @property
    def unit_info(self) -> Unit:
        """The column's unit from units.yaml."""
        return unit_of_id(self.unit)

    @property
    def display(self) -> Display:
        """How people see the column's figures (£m, %, WTE...)."""
        return self.unit_info.display

    @property
    def numeric(self) -> bool:
        """Whether the column holds numbers (as opposed to labels and trace text)."""
        return self.kind in NUMERIC_COLUMN_KINDS


def _column(entry: dict[str, Any]) -> ColumnSpec:
    if entry["kind"] not in COLUMN_KINDS:
        raise ValueError(f"columns.yaml: {entry['name']} has unknown kind {entry['kind']}")
    return ColumnSpec(
        name=entry["name"], kind=entry["kind"], label=entry["label"], description=entry["description"],
        unit=entry.get("unit"), decimals=entry.get("decimals"), headline=bool(entry.get("headline", False)),
        contract=bool(entry.get("contract", False)),
    )


COLUMNS: tuple[ColumnSpec, ...] = tuple(_column(entry) for entry in load("columns.yaml")["columns"])
"""Every column of results.csv, in order; the first 25 are SPEC section 6's contract."""

_BY_NAME: dict[str, ColumnSpec] = {spec.name: spec for spec in COLUMNS}

COLUMN_NAMES: tuple[str, ...] = tuple(_BY_NAME)
CONTRACT_COLUMNS: tuple[str, ...] = tuple(spec.name for spec in COLUMNS if spec.contract)
METRICS: tuple[str, ...] = tuple(spec.name for spec in COLUMNS if spec.numeric)
"""Every numeric column, in order: what sensitivity and Monte Carlo runs can report."""
HEADLINES: tuple[ColumnSpec, ...] = tuple(spec for spec in COLUMNS if spec.headline)
"""The headline figures (compare, the dashboard's table), in order."""


def column(name: str) -> ColumnSpec:
    """The ColumnSpec of a column name; KeyError for a name results.csv does not have."""
    return _BY_NAME[name]


def is_column(name: str) -> bool:
    """Whether ``name`` is a column of results.csv."""
    return name in _BY_NAME
