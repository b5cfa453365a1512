"""Published allowances (SPEC section 10): the total running cost allowance NHS England gave an
organisation in a year, read from a table the scenario names and from single figures written in
the scenario (``allowance.published.figures``, which override or extend the table).

A published figure is a fact: in that year the organisation's allowance equals it (the engine's
:mod:`~model.engine.allowance` makes it so). Each figure keeps where it came from, so that
``icb-model show``, the results (``allowance_basis``) and the dashboard can say which figures are
published and which are projected.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from model.periods import PeriodError, parse_year
from model.provenance import Param, Provenance
from model.scenario.csvfile import read_table
from model.scenario.organisations import History
from model.scenario.yamlio import Issue, shorten

LIMITS = (1.0, 1e12)
"""A published allowance must be at least £1 and at most £1,000bn (a slip otherwise)."""


@dataclass(frozen=True)
class Figure:
    """One published allowance: £ in the year's cash, where it came from and, for a figure read
    from the published table, the column it was read from (None for a figure set in YAML)."""

    gbp: float
    prov: Provenance
    column: str | None = None


@dataclass(frozen=True)
class Published:
    """Published allowances by (organisation code, year label); empty when the scenario does not
    use them."""

    figures: dict[tuple[str, str], Figure] = field(default_factory=dict)

    def years(self) -> list[str]:
        """The year labels with at least one figure, in order."""
        return sorted({year for _, year in self.figures}, key=parse_year)

    def of(self, code: str, year: str) -> Figure | None:
        return self.figures.get((code, year))


def read_published(table: Param | None, columns: dict[str, Param], root: Path,
                   table_key: str) -> tuple[Published, list[Issue]]:
    """The published figures of the ``columns`` (year -> column) of the table at ``table`` (a
    display path; None: no table)."""
    found: dict[tuple[str, str], Figure] = {}
    issues: list[Issue] = []
    if table is not None and table.value is not None:
        shown = str(table.value)
        path = root / shown if not Path(shown).is_absolute() else Path(shown)
        needs = ("code", *(str(param.value) for param in columns.values()))
        read, issues = read_table(path, shown, "the published allowance table", table.prov, table_key,
                                  tuple(dict.fromkeys(needs)), (), "ICBs")
        if read is not None:
            for line, cells in read.rows:
                code = read.cell(cells, "code").strip()
                for year, param in columns.items():
                    text = read.cell(cells, str(param.value)).strip().replace(",", "")
                    value = _amount(text, read.issue(line, str(param.value), ""), issues)
                    if value is not None:
                        found[(code, year)] = Figure(value, _row_prov(table.prov, shown, line),
                                                     str(param.value))
    return Published(found), issues


def _amount(text: str, where: Issue, issues: list[Issue]) -> float | None:
    """A cell's allowance in £, or None with an issue (an empty cell is no figure)."""
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        issues.append(Issue(where.file, where.line, where.path, f"'{shorten(text)}' is not an amount in pounds. "
                                                                "Write it in figures, e.g. 46412677.52."))
        return None
    if not math.isfinite(value) or not LIMITS[0] <= value <= LIMITS[1]:
        issues.append(Issue(where.file, where.line, where.path, f"{shorten(text)} is not a believable allowance: it "
                                                                f"must be £{LIMITS[0]:,.0f} to £{LIMITS[1]:,.0f}."))
        return None
    return value


def _row_prov(prov: Provenance, shown: str, line: int) -> Provenance:
    """A table figure's provenance: the table key's source and status, at its row of the table."""
    return Provenance(shown, line, prov.source, prov.status, prov.note, "gbp")


def check_year(label: str) -> str | None:
    """None when ``label`` is a financial year label, else what is wrong with it."""
    try:
        parse_year(label)
    except PeriodError as err:
        return str(err)
    return None


def resolve_published(allowance: Mapping[str, object], root: Path, full: History, history: History,
                      years: list[str], issues: list[Issue]) -> Published:
    """The figures a run uses: none unless ``allowance.use_published``; else those of the table
    and of ``figures`` for organisations of the run (``history``) in years of its horizon. A
    table figure for an organisation or year outside the run is left out; a single figure written
    in the scenario must name an organisation that exists in that year in the ICB table's history
    (``full``), and is left out when the run does not include it."""
    use = allowance["use_published"]
    if not (isinstance(use, Param) and use.value is True):
        return Published()
    published = allowance["published"]
    assert isinstance(published, dict)
    table = published["table"]
    columns = {year: node for year, node in _section(published["columns"]).items() if isinstance(node, Param)}
    figures = {code: {year: node for year, node in _section(each).items() if isinstance(node, Param)}
               for code, each in _section(published["figures"]).items()}
    if isinstance(table, Param) and table.value is not None and not columns:
        issues.append(Issue(table.prov.file, table.prov.line, "allowance.published.columns",
                            "the table is named but no column is: say which column holds each year, e.g. "
                            "columns: {2024/25: rca_2024_25_gbp}."))
    found, table_issues = read_published(table if isinstance(table, Param) else None, columns, root,
                                         "allowance.published.table")
    issues.extend(table_issues)
    kept = {key: figure for key, figure in found.figures.items() if _exists(history, years, *key)}
    for code, by_year in figures.items():
        for year, param in by_year.items():
            problem = _where_not(full, years, code, year)
            if problem:
                issues.append(Issue(param.prov.file, param.prov.line, f"allowance.published.figures.{code}.{year}",
                                    problem))
            elif _exists(history, years, code, year):
                kept[(code, year)] = Figure(param.number(), param.prov)
    return Published(kept)


def _section(node: object) -> dict[str, object]:
    return node if isinstance(node, dict) else {}


def _exists(history: History, years: list[str], code: str, year: str) -> bool:
    return _where_not(history, years, code, year) is None


def _where_not(history: History, years: list[str], code: str, year: str) -> str | None:
    """None when organisation ``code`` exists in the run in ``year``; else why not."""
    if year not in years:
        return f"{year} is outside the horizon {years[0]} to {years[-1]}. Give a year within it."
    era = history.eras[history.era_of(years.index(year))]
    if code in era.codes():
        return None
    others = [e.label for e in history.eras if code in e.codes()]
    if others:
        return (f"{code} does not exist in {year} (it is an organisation of the {', '.join(others)} footprint). "
                f"Give its figure for a year it exists, or the figure of the organisation that existed then.")
    return f"{code} is not an organisation of this run. Organisations in {year}: {', '.join(era.codes()[:12])}…"
