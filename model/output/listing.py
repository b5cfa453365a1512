"""A resolved scenario's assumptions as rows: value, unit and where each came from.

Used by ``icb-model show``, the Assumptions sheet of ``results.xlsx`` and the dashboard's sources
panel, so that provenance is shown the same way wherever a value is shown.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from model.provenance import Param, Series
from model.scenario.resolved import Node, param

if TYPE_CHECKING:
    from model.scenario import Scenario


@dataclass(frozen=True)
class AssumptionRow:
    """One resolved value with its provenance."""

    path: str
    value: object
    unit: str
    status: str
    source: str
    note: str
    set_in: str


def _row(path: str, param: Param) -> AssumptionRow:
    prov = param.prov
    where = f"{prov.file}:{prov.line}" if prov.line else prov.file
    return AssumptionRow(
        path=path,
        value=param.value,
        unit=prov.unit or "",
        status=prov.status or "",
        source=prov.source or "",
        note=prov.note or "",
        set_in=where,
    )


def _distribution_row(path: str, entry: dict[str, Node]) -> AssumptionRow:
    """One ``uncertainty:`` entry as a single row: its fields summarised, its provenance shared."""
    fields = {key: param(value) for key, value in entry.items()}
    summary = ", ".join(f"{key} {field.value}" for key, field in fields.items())
    first = next(iter(fields.values()))
    return _row(path, Param(summary, first.prov))


def _walk(prefix: str, node: Node) -> list[AssumptionRow]:
    if prefix.startswith("uncertainty.") and isinstance(node, dict) and node:
        return [_distribution_row(prefix, node)]
    if isinstance(node, Param):
        return [_row(prefix, node)]
    if isinstance(node, Series):
        rows = [_row(f"{prefix} (before first listed year)", node.before)] if node.before else []
        rows += [_row(f"{prefix}.{year}", node.points[year]) for year in sorted(node.points)]
        return rows
    if isinstance(node, dict):
        rows = []
        for key, child in node.items():
            rows += _walk(f"{prefix}.{key}" if prefix else str(key), child)
        return rows
    return []


def assumption_rows(scenario: Scenario) -> list[AssumptionRow]:
    """Every resolved value of the scenario in file order, series expanded year by year."""
    return _walk("", scenario.tree)


def format_rows(rows: list[AssumptionRow]) -> str:
    """Plain text for a terminal: value and unit, then status, source or note, and where set."""
    lines = []
    for row in rows:
        value = "null" if row.value is None else row.value
        lines.append(f"{row.path} = {value}{' ' + row.unit if row.unit else ''}")
        detail = row.source or row.note
        status = f"[{row.status}] " if row.status else ""
        if detail or status:
            lines.append(f"    {status}{detail}")
        if row.source and row.note:
            lines.append(f"    note: {row.note}")
        lines.append(f"    set in {row.set_in}")
    return "\n".join(lines)
