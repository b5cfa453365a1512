"""A resolved scenario's assumptions as rows: value, unit and where each came from; and its
published allowances and organisations as plain text.

Used by ``icb-model show``, the Assumptions sheet of ``results.xlsx`` and the dashboard's sources
panel, so that provenance is shown the same way wherever a value is shown.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from model.periods import parse_year
from model.provenance import Param, Series
from model.scenario.organisations import ChangeSpec, History
from model.scenario.resolved import Node, param
from model.scenario.yamlio import printable

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
    value = param.value
    if isinstance(value, tuple) and all(isinstance(change, ChangeSpec) for change in value):
        value = "; ".join(str(change) for change in value) or "none"
    return AssumptionRow(
        path=path,
        value=value,
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
    """Plain text for a terminal: value and unit, then status, source or note, and where set.
    Text from files (keys, values, sources, notes, file names) is shown on one line each, with
    control characters escaped (:func:`~model.scenario.yamlio.printable`)."""
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
    return "\n".join(printable(line) for line in lines)


def published_lines(scenario: Scenario) -> list[str]:
    """Which allowances the scenario takes as published, and where each group came from: one
    line per year and source file, with the number of figures and their England total."""
    use = scenario.value("allowance.use_published") is True
    if not use:
        return ["Published allowances: not used (allowance.use_published is false); every allowance is "
                "projected by the rules."]
    figures = scenario.published.figures
    if not figures:
        return ["Published allowances: none apply to this run; every allowance is projected by the rules."]
    groups: dict[tuple[str, str], list[float]] = {}
    sources: dict[str, str] = {}
    for (_, year), figure in figures.items():
        where = "the scenario" if figure.column is None else f"{figure.prov.file} column {figure.column}"
        groups.setdefault((year, where), []).append(figure.gbp)
        if figure.column is not None:
            sources.setdefault(figure.prov.file, figure.prov.source or "")
    lines = [f"Published allowances: {len(figures)} figures; in these years each organisation's allowance "
             "equals its figure, and the rules project the others."]
    for (year, where), amounts in sorted(groups.items(), key=lambda item: (parse_year(item[0][0]), item[0][1])):
        lines.append(f"  {year}: {len(amounts)} from {where}, totalling £{sum(amounts):,.2f}")
    lines += [f"  {file}: {source}" for file, source in sources.items() if source]
    written = sorted((key, figure) for key, figure in figures.items() if figure.column is None)
    lines += [f"  {code} {year}: £{figure.gbp:,.2f} (set in {figure.prov.location()})"
              for (code, year), figure in written]
    return lines


def share_text(share: float) -> str:
    """A share of an organisation's population as people read it: 'all of it', '58.787% of it'."""
    return "all of it" if share == 1 else f"{share * 100:.5g}% of it"


def _joined(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def formed_from_text(pairs: tuple[tuple[str, float], ...], names: Mapping[str, str]) -> str:
    """Where an organisation came from: 'formed from QU9 NHS Buckinghamshire, Oxfordshire and
    Berkshire West (all of it) and QNQ NHS Frimley (58.787% of it)' (``pairs``: predecessor code
    and the share of it that came, by population; ``names``: organisation names by code)."""
    return "formed from " + _joined([f"{code} {names.get(code, '')} ({share_text(share)})".replace("  ", " ")
                                     for code, share in pairs])


def became_text(pairs: tuple[tuple[str, float], ...], names: Mapping[str, str]) -> str:
    """Where an organisation went: 'became part of S0E4D NHS Thames Valley (58.787% of it) and ...'
    (``pairs``: successor code and the share of this organisation that went to it)."""
    return "became part of " + _joined([f"{code} {names.get(code, '')} ({share_text(share)})".replace("  ", " ")
                                        for code, share in pairs])


def successors(history: History, era: int) -> dict[str, tuple[tuple[str, float], ...]]:
    """For each organisation of ``era`` that does not carry on unchanged into the next era, the
    organisations it went to and the share of it each took (empty when ``era`` is the last)."""
    if era + 1 >= len(history.eras):
        return {}
    went: dict[str, list[tuple[str, float]]] = {}
    for new, pairs in history.eras[era + 1].formed_from.items():
        for old, share in pairs:
            went.setdefault(old, []).append((new, share))
    return {old: tuple(pairs) for old, pairs in went.items() if pairs != [(old, 1.0)]}


def organisation_names(history: History) -> dict[str, str]:
    """Every organisation's name by code, over all eras (a later era's name wins)."""
    return {org.code: org.name for era in history.eras for org in era.organisations}


def organisation_lines(scenario: Scenario) -> list[str]:
    """The organisations of each footprint in the scenario's history and, for each organisation
    formed from others, its predecessors and shares; for each that ends, what it became."""
    history, years = scenario.history, scenario.years
    names = organisation_names(history)
    lines = []
    for k, era in enumerate(history.eras):
        last = history.eras[k + 1].first - 1 if k + 1 < len(history.eras) else len(years) - 1
        span = f"{years[era.first]} to {years[last]}"
        lines.append(f"Footprint {era.label} ({span}): {len(era.organisations)} organisations")
        for org in era.organisations:
            pairs = era.formed_from.get(org.code, ())
            if pairs and pairs != ((org.code, 1.0),):
                lines.append(f"  {org.code} {org.name}: {formed_from_text(pairs, names)}")
        for old, pairs in successors(history, k).items():
            if old not in history.eras[k + 1].codes():
                lines.append(f"  {old} {names[old]}: until {years[last]}, then {became_text(pairs, names)}")
    return lines
