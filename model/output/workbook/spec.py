"""What a workbook is built from: the engine's inputs plus provenance for people.

:func:`spec_from_scenario` builds a :class:`WorkbookSpec` from a resolved scenario (with the file
and line that set each value, and its organisations over time, on a chosen footprint);
:func:`spec_from_inputs` from arrays built in code (the tests' worked example), where every
go-live becomes a rule per ICB.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import numpy as np

from model.engine.inputs import INPUT_KEYS, Inputs
from model.output.workbook.structure import (
    Structure,
    select_units,
    structure_from_inputs,
    structure_from_scenario,
)
from model.periods import month_label
from model.schema import FUNCTIONS

if TYPE_CHECKING:
    from model.provenance import Provenance
    from model.scenario import Scenario

SERIES_PATHS: tuple[str, ...] = tuple(key.path for key in INPUT_KEYS if key.shape == "series")
"""Parameters with one value per year: each year may come from a different file or line."""

_READ_BY_FORMULAS: tuple[str, ...] = tuple(dict.fromkeys(key.path.split(".")[0] + "." for key in INPUT_KEYS))
"""Top-level sections the formulas read; other resolved values are listed as other settings."""


@dataclass(frozen=True)
class Source:
    """Provenance shown beside an input: status, source, note, where it was set, unit."""

    status: str = ""
    source: str = ""
    note: str = ""
    set_in: str = ""
    unit: str = ""

    def text(self) -> str:
        """The provenance as lines of text, for a cell comment."""
        parts = [p for p in (self.status and f"[{self.status}]", self.source, self.note) if p]
        if self.set_in:
            parts.append(f"set in {self.set_in}")
        return "\n".join(parts)


@dataclass(frozen=True)
class GoLiveRules:
    """A function's go-live: default, by region, by ICB code (months ``YYYY-MM``; None: never)."""

    default: str | None
    by_region: dict[str, str | None]
    by_icb: dict[str, str | None]

    def month_for(self, code: str, region: str) -> str | None:
        """The month the most specific rule gives an ICB: its own, its region's, else the default."""
        if code in self.by_icb:
            return self.by_icb[code]
        if region in self.by_region:
            return self.by_region[region]
        return self.default


@dataclass(frozen=True)
class OtherSetting:
    """A resolved value the formulas do not read (name, horizon, ICB table path, uncertainty)."""

    path: str
    value: str
    source: Source


@dataclass(frozen=True)
class WorkbookSpec:
    """Everything a workbook is built from: the engine's inputs plus provenance for people.

    ``sources`` maps a dotted parameter path to the provenance shown beside it; a series may also
    have ``PATH.YEAR`` entries for the Param that supplies each year. ``structure`` holds the
    organisations over time and the footprint and units the workbook is stated on;
    ``figure_sources`` the provenance of each published allowance by (organisation code, year
    label); ``use_published`` whether the scenario uses them.
    """

    name: str
    description: str
    inputs: Inputs
    sources: dict[str, Source]
    go_live: dict[str, GoLiveRules]
    structure: Structure
    other: tuple[OtherSetting, ...] = ()
    icb_note: str = ""
    content_hash: str = ""
    figure_sources: dict[tuple[str, str], Source] = field(default_factory=dict)
    use_published: bool = False


def spec_from_inputs(inputs: Inputs, name: str = "inputs", description: str = "",
                     rows: Sequence[Any] = ()) -> WorkbookSpec:
    """A spec for arrays built in code: each go-live becomes a rule per ICB.

    ``rows`` (optional) are provenance rows such as :func:`model.output.listing.assumption_rows`
    gives (each with ``path, status, source, note, set_in, unit``), shown beside the inputs they
    name.
    """
    if inputs.samples != 1:
        raise ValueError("a workbook shows one set of inputs; these Inputs carry several samples")
    sources = {row.path: _row_source(row) for row in rows}
    for path in SERIES_PATHS:
        if path not in sources:
            found = [source for key, source in sources.items() if key.startswith((path + ".", path + " ("))]
            if found:
                sources[path] = merge_sources(found)
    rules = {}
    for function in FUNCTIONS:
        months = inputs.values[f"delegation.{function}.go_live"][0]
        by_icb: dict[str, str | None] = {
            code: month_label(int(m)) for code, m in zip(inputs.codes, months, strict=False) if not math.isnan(m)}
        rules[function] = GoLiveRules(default=None, by_region={}, by_icb=by_icb)
    return WorkbookSpec(
        name=name,
        description=description,
        inputs=inputs,
        sources=sources,
        go_live=rules,
        structure=structure_from_inputs(inputs),
        icb_note="ICB table built in code (no scenario file).",
        use_published=not np.isnan(inputs.published_gbp).all(),
    )


def spec_from_scenario(scenario: Scenario, icbs: Sequence[str] | None = None,
                       footprint: str | None = None) -> WorkbookSpec:
    """A spec for a resolved scenario stated on a footprint (default: its latest), optionally
    for some of that footprint's organisations (codes, in that order; the organisations their
    history ties them to come after them: :func:`~model.output.workbook.structure.select_units`).

    Raises :class:`~model.errors.InputError` for a footprint the scenario lacks or a code that
    is not an organisation of the footprint (the message lists the valid ones).
    """
    from model.engine.inputs import from_scenario
    from model.output.listing import assumption_rows

    whole = from_scenario(scenario)
    label = whole.footprint(footprint).label
    inputs, units = whole, None
    if icbs:
        chosen, atoms = select_units(whole, label, list(dict.fromkeys(icbs)))
        inputs, units = whole.select_icbs(atoms), tuple(chosen)
    rows = assumption_rows(scenario)
    sources = _scenario_sources(scenario, rows, inputs.labels)
    rules = {}
    for function in FUNCTIONS:
        bare = cast(dict[str, Any], scenario.value(f"delegation.{function}.go_live"))
        rules[function] = GoLiveRules(
            default=bare.get("default"),
            by_region=dict(bare.get("by_region") or {}),
            by_icb=dict(bare.get("by_icb") or {}),
        )
    return WorkbookSpec(
        name=scenario.name,
        description=scenario.description or "",
        inputs=inputs,
        sources=sources,
        go_live=rules,
        structure=structure_from_scenario(scenario, whole.codes, inputs, label, units),
        other=_other_settings(scenario, rows),
        icb_note=_icb_note(scenario, sources),
        content_hash=scenario.content_hash(),
        figure_sources={key: _figure_source(figure) for key, figure in scenario.published.figures.items()},
        use_published=scenario.value("allowance.use_published") is True,
    )


def _scenario_sources(scenario: Scenario, rows: Sequence[Any], labels: Sequence[str]) -> dict[str, Source]:
    """Provenance by path: each resolved value's, each series year's, and one merged per series."""
    from model.provenance import Param

    sources = {row.path: _row_source(row) for row in rows}
    for path in SERIES_PATHS:
        per_year = {}
        for label in labels:
            param = scenario.get(f"{path}.{label}")
            if isinstance(param, Param):
                per_year[label] = _prov_source(param.prov)
        for label, source in per_year.items():
            sources[f"{path}.{label}"] = source
        sources[path] = merge_sources(list(per_year.values()))
    envelope = scenario.get("running_cost_cut.envelope")
    if isinstance(envelope, Param):  # no envelope: one row for all three cells
        for key in ("per_head_gbp", "effective", "uplift"):
            sources[f"running_cost_cut.envelope.{key}"] = _prov_source(envelope.prov)
    return sources


def _other_settings(scenario: Scenario, rows: Sequence[Any]) -> tuple[OtherSetting, ...]:
    """The resolved values the formulas do not read, the scenario's name and description first."""
    try:
        shown = str(Path(scenario.file).resolve().relative_to(Path(scenario.root).resolve()))
    except ValueError:
        shown = str(scenario.file)
    other = [
        OtherSetting("name", scenario.name, Source(set_in=shown)),
        OtherSetting("description", scenario.description or "", Source(set_in=shown)),
    ]
    other += [OtherSetting(row.path, _as_text(row.value), _row_source(row)) for row in rows
              if not row.path.startswith(_READ_BY_FORMULAS) or row.path == "organisations.changes"]
    return tuple(other)


def _icb_note(scenario: Scenario, sources: dict[str, Source]) -> str:
    """Where the ICB table and its populations come from, in a sentence."""
    table_source = sources.get("icbs.table", Source())
    note = f"ICB table from {scenario.value('icbs.table')}"
    if table_source.set_in:
        note += f" (set in {table_source.set_in})"
    if "population_source" in scenario.icbs.extra:
        found = sorted({s for s in scenario.icbs.extra["population_source"] if s})
        if found:
            note += f". Populations: {'; '.join(found)}"
    return note + "."


def _row_source(row: Any) -> Source:
    """The provenance of an assumption row (:class:`model.output.listing.AssumptionRow`)."""
    return Source(row.status, row.source, row.note, row.set_in, row.unit)


def _prov_source(prov: Provenance) -> Source:
    """The provenance of one Param, with ``FILE:LINE`` where it was set."""
    where = prov.file if prov.line is None else f"{prov.file}:{prov.line}"
    return Source(prov.status or "", prov.source or "", prov.note or "", where, prov.unit or "")


def _figure_source(figure: Any) -> Source:
    """The provenance of a published allowance (:class:`model.scenario.published.Figure`): its
    table's row and column, or the file and line that set it."""
    source = _prov_source(figure.prov)
    if figure.column is None:
        return source
    return Source(source.status, source.source, source.note, f"{source.set_in} ({figure.column})", source.unit)


def merge_sources(sources: list[Source]) -> Source:
    """One row's provenance from the Params of its years: each distinct entry once, in order."""

    def join(values: list[str]) -> str:
        return " | ".join(dict.fromkeys(v for v in values if v))

    if not sources:
        return Source()
    return Source(
        status=join([s.status for s in sources]),
        source=join([s.source for s in sources]),
        note=join([s.note for s in sources]),
        set_in=_merge_places([s.set_in for s in sources]),
        unit=join([s.unit for s in sources]),
    )


def _merge_places(places: list[str]) -> str:
    """``FILE:LINE`` entries grouped by file with their range of lines (``a.yaml:201-208``)."""
    lines: dict[str, list[int]] = {}
    for place in places:
        if not place:
            continue
        file, _, line = place.rpartition(":")
        if file and line.isdigit():
            lines.setdefault(file, []).append(int(line))
        else:
            lines.setdefault(place, [])
    parts = []
    for file, found in lines.items():
        if not found:
            parts.append(file)
        else:
            low, high = min(found), max(found)
            parts.append(f"{file}:{low}" if low == high else f"{file}:{low}-{high}")
    return " | ".join(parts)


def _as_text(value: object) -> str:
    """A resolved value as the text the Inputs sheet shows (``null``, ``true``, ``a, b``...)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, (tuple, list)):
        return ", ".join(str(v) for v in value)
    if isinstance(value, dict):
        return ", ".join(f"{k}: {_as_text(v)}" for k, v in value.items()) or "{}"
    return str(value)
