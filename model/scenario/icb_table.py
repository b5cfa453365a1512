"""The ICB table: one row per ICB (code, name, region, base-year population, optionally its own
base-year running cost allowance), read from CSV and checked cell by cell.

Read with the standard library's csv module, so checking scenario files needs no pandas. A table
that reads cleanly is kept per process, keyed by its path, size and modification time, so that a
scenario overlay (the dashboard's sliders) does not read it again.
"""

from __future__ import annotations

import math
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from model.provenance import Provenance
from model.scenario.csvfile import read_table
from model.scenario.yamlio import MAX_ISSUES, Issue, shorten

if TYPE_CHECKING:
    from model.arrays import FloatArray

POPULATION_LIMITS = (1.0, 1e9)
RCA_LIMITS = (1.0, 1e12)
NEED_LIMITS = (0.1, 10.0)
"""Sanity limits on the ICB table's population, baseline_rca_gbp and need_index (see
schema.KeySpec.floor): England's need indices run 0.88 to 1.12."""
ICB_COLUMNS = ("code", "name", "region", "population")
"""Columns the ICB table must have; ``baseline_rca_gbp`` is optional."""
_TEXT = ("code", "name", "region")


@dataclass(frozen=True, eq=False)
class IcbTable:
    """The ICBs of a run, in table order.

    ``population_values`` are the base-year GP-registered populations (persons),
    ``baseline_rca_values_gbp`` each ICB's own base-year RCA (£, NaN where not given) and
    ``need_index_values`` each need-weighted over its registered population (1 where the table
    gives none), as read; :attr:`population`, :attr:`baseline_rca_gbp` and :attr:`need_index` are
    the same as read-only float arrays of shape ``(I,)``, made on first use (so that checking
    scenario files needs no numpy). ``extra`` holds the table's other columns as text
    (``ons_code``...).
    """

    codes: tuple[str, ...]
    names: tuple[str, ...]
    regions: tuple[str, ...]
    population_values: tuple[float, ...]
    baseline_rca_values_gbp: tuple[float, ...]
    need_index_values: tuple[float, ...]
    extra: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.codes)

    @cached_property
    def population(self) -> FloatArray:
        return _read_only(self.population_values)

    @cached_property
    def baseline_rca_gbp(self) -> FloatArray:
        return _read_only(self.baseline_rca_values_gbp)

    @cached_property
    def need_index(self) -> FloatArray:
        return _read_only(self.need_index_values)

    def select(self, rows: list[int]) -> IcbTable:
        """The table restricted to some rows, in the order given."""
        def pick(values: tuple[str, ...] | tuple[float, ...]) -> tuple:  # type: ignore[type-arg]
            return tuple(values[i] for i in rows)

        return IcbTable(pick(self.codes), pick(self.names), pick(self.regions), pick(self.population_values),
                        pick(self.baseline_rca_values_gbp), pick(self.need_index_values),
                        {name: pick(values) for name, values in self.extra.items()})

    def records(self) -> list[list[object]]:
        """Each row's code, name, region, population and baseline_rca_gbp (None where not given),
        as plain values (for the scenario's content hash)."""
        return [[code, name, region, float(pop), None if math.isnan(rca) else float(rca)]
                for code, name, region, pop, rca in zip(self.codes, self.names, self.regions, self.population_values,
                                                        self.baseline_rca_values_gbp, strict=True)]


def _read_only(values: Sequence[float]) -> FloatArray:
    """``values`` as a float array that cannot be written to (tables are shared by every scenario
    that reads the file)."""
    import numpy as np

    array = np.array(values, dtype=float)
    array.flags.writeable = False
    return array


EMPTY_TABLE = IcbTable((), (), (), (), (), ())

_cache: dict[tuple[str, int, int], IcbTable] = {}
_CACHE_LIMIT = 16


def load_icb_table(path: Path, display: str, prov: Provenance) -> tuple[IcbTable | None, list[Issue]]:
    """Read and check the ICB table at ``path`` (named ``display``; ``prov`` is where it was set).

    Returns the table or None, and every issue found.
    """
    try:
        info = os.stat(path)
        key: tuple[str, int, int] | None = (str(path), info.st_size, info.st_mtime_ns)
    except (OSError, ValueError):
        key = None
    if key is not None and key in _cache:
        return _cache[key], []
    table, issues = _read(path, display, prov)
    if table is not None and not issues and key is not None:
        if len(_cache) >= _CACHE_LIMIT:
            _cache.pop(next(iter(_cache)))
        _cache[key] = table
    return table, issues


def _read(path: Path, display: str, prov: Provenance) -> tuple[IcbTable | None, list[Issue]]:
    table, issues = read_table(path, display, "the ICB table", prov, "icbs.table", ICB_COLUMNS,
                               ("baseline_rca_gbp",), "ICBs")
    return (None, issues) if table is None else _clean(table.header, table.rows, display)


def _clean(header: list[str], rows: list[tuple[int, list[str]]], display: str) -> tuple[IcbTable | None, list[Issue]]:
    """The table with text trimmed and numbers parsed; None (with issues) if any row is bad."""
    position: dict[str, int] = {}
    for index, name in enumerate(header):
        position.setdefault(name, index)

    def cell(cells: list[str], name: str) -> str:
        index = position.get(name)
        return cells[index] if index is not None and index < len(cells) else ""

    issues: list[Issue] = []
    first_line: dict[str, int] = {}
    for line, cells in rows:
        code = cell(cells, "code").strip()
        for column in _TEXT:
            if not cell(cells, column).strip():
                issues.append(Issue(display, line, column, f"empty {column}. Fill it in for every ICB."))
        if code in first_line:
            issues.append(Issue(display, line, "code", f"duplicate code '{shorten(code)}' (first on line "
                                                       f"{first_line[code]}). Each ICB appears once."))
        first_line.setdefault(code, line)
        _check_cell(cell(cells, "population"), line, "population", display, False, issues)
        _check_cell(cell(cells, "baseline_rca_gbp"), line, "baseline_rca_gbp", display, True, issues)
        _check_cell(cell(cells, "need_index"), line, "need_index", display, True, issues)
        if len(issues) >= MAX_ISSUES:
            break
    if issues:
        return None, issues
    given = [cell(cells, "baseline_rca_gbp").strip().replace(",", "") for _, cells in rows]
    need = [cell(cells, "need_index").strip() for _, cells in rows]
    extra = {name: tuple(cell(cells, name) for _, cells in rows)
             for name in position if name not in (*ICB_COLUMNS, "baseline_rca_gbp", "need_index")}
    table = IcbTable(
        codes=tuple(cell(cells, "code").strip() for _, cells in rows),
        names=tuple(cell(cells, "name").strip() for _, cells in rows),
        regions=tuple(cell(cells, "region").strip() for _, cells in rows),
        population_values=tuple(float(cell(cells, "population").strip().replace(",", "")) for _, cells in rows),
        baseline_rca_values_gbp=tuple(float(text) if text else math.nan for text in given),
        need_index_values=tuple(float(text) if text else 1.0 for text in need),
        extra=extra,
    )
    return table, []


def _check_cell(cell: str, line: int, column: str, display: str, optional: bool, issues: list[Issue]) -> None:
    """A positive finite number in an ICB table cell (empty allowed when ``optional``)."""
    text = cell.strip().replace(",", "")
    if optional and not text:
        return
    try:
        value = float(text)
    except ValueError:
        issues.append(Issue(display, line, column, f"'{shorten(cell)}' is not a number. Write it in figures, "
                                                   "e.g. 1250000."))
        return
    why = {"population": "per-head figures divide by it", "need_index": "it scales the ICB's population",
           "baseline_rca_gbp": "'vs base' ratios divide by it"}[column]
    fix = {"population": "give the ICB's population", "need_index": "leave the cell empty for 1",
           "baseline_rca_gbp": "leave the cell empty to use rca_per_head_gbp"}[column]
    if not math.isfinite(value) or value <= 0:
        issues.append(Issue(display, line, column, f"{shorten(cell)} must be a number more than 0, because {why}. "
                                                   f"Correct it, or {fix}."))
        return
    least, most = {"population": POPULATION_LIMITS, "need_index": NEED_LIMITS, "baseline_rca_gbp": RCA_LIMITS}[column]
    if not least <= value <= most:
        what = {"population": "people", "need_index": "(a ratio)", "baseline_rca_gbp": "pounds (£)"}[column]
        issues.append(Issue(display, line, column, f"{shorten(cell)} is not believable here: it must be "
                                                   f"{_limit(least)} to {_limit(most)} {what}. Check it for a slip "
                                                   f"(extra zeros, a misplaced decimal point), or {fix}."))


def _limit(value: float) -> str:
    """A limit for a message: whole numbers with separators (1,000,000,000), small ones as they are (0.1)."""
    return f"{value:,.0f}" if value >= 1 else f"{value:g}"
