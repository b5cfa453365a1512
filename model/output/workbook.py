"""The model itself as a live Excel workbook: every figure a formula that traces back to an input.

``icb-model workbook`` writes it (see :mod:`model.cli.workbook`); ``docs/workbook.md`` is the
reader's guide. Sheets:

- **About**: what the workbook is, how to use it, and a link to every sheet.
- **Inputs**: every assumption of the resolved scenario with its unit, status, source and the
  file and line that set it; per-year series with years across columns; the go-live rules
  (default, by region) and the ICB table (population, own base-year RCA, go-live set for the
  ICB, and the go-live used, derived by formula). Input cells are yellow and carry names
  (``pay_share``, ``pay_award``, ``golive_dentistry``...).
- **England**: the sum of the ICB sheets, ratios recomputed from the sums.
- **Checks**: live TRUE/FALSE: the base year balances, England equals the sum of the ICBs, no
  negative WTE.
- **one sheet per ICB** (named by its ODS code): years across columns, one row per quantity of
  SPEC sections 3 to 5 in the order the methodology explains them. Column D holds quantities
  that have one value per ICB (base-year RCA, a function's go-live year...). Every cell is a
  formula referring to Inputs or to rows above it (or, for a running total, to the year before).

Formulas use only IF, AND, OR, NOT, MIN, MAX, ABS, INT, SUM, INDEX, MATCH, ISNUMBER, YEAR,
MONTH, LEFT and VALUE, which behave the same in Excel and LibreOffice; nothing volatile, no
macros.

The module has two layers. :func:`plan_workbook` lays out every cell (its formula text, the value
the formula should give, its style) in plain Python and needs no spreadsheet library;
:func:`write_workbook` writes a plan with xlsxwriter, storing each formula's expected value as its
cached result so the file shows numbers before any recalculation. Expected values come from the
engine (:func:`model.engine.run`) for every quantity the engine reports, and from the same
arithmetic, written out here row by row, for the steps in between (S[t], a function's budget...).
Cells that show an engine figure carry an ``engine`` tag so that tests can compare them with an
engine run on changed inputs.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from model import engine
from model.engine.inputs import INPUT_BY_PATH, Inputs
from model.schema import FUNCTIONS
from model.periods import active_fraction, month_label, parse_month, parse_year, year_label, year_of_month

if TYPE_CHECKING:
    from model.scenario import Scenario

ALLOWED_FUNCTIONS: tuple[str, ...] = (
    "ABS", "AND", "IF", "INDEX", "INT", "ISNUMBER", "LEFT", "MATCH", "MAX", "MIN", "MONTH", "NOT",
    "OR", "SUM", "VALUE", "YEAR",
)
"""Every spreadsheet function the workbook's formulas use: all behave the same in Excel and
LibreOffice, and none is volatile."""

CHECK_TOLERANCE = 1e-9
"""Relative tolerance of the Checks sheet (an input on the Inputs sheet)."""

NEVER = "never"
"""What a go-live cell holds for a function that never goes live."""
NO_ENVELOPE = "none"
"""What the envelope's effective-month cell holds when the scenario has no envelope."""

# Columns of the calculation sheets (0-based): label, unit, symbol, one value per ICB, then years.
LABEL, UNIT, SYMBOL, ONCE, YEAR0 = 0, 1, 2, 3, 4
# Columns of the Inputs sheet: label, path, unit, value, then years, then provenance.
I_LABEL, I_PATH, I_UNIT, I_VALUE = 0, 1, 2, 3
HEADER_ROW = 4
"""Row (0-based) of the year header on every calculation sheet; quantities start below it."""

_EXCEL_EPOCH = dt.date(1899, 12, 30)
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


# ---------------------------------------------------------------------------------------------
# The plan: cells, sheets, workbook


@dataclass
class Cell:
    """One cell of the plan.

    ``value`` is the constant written, or for a formula the value it should evaluate to (written
    as the cached result). ``scale`` is the magnitude of the quantities the row is built from:
    comparisons allow ``1e-9 * max(|value|, scale)``, because a difference of two large figures
    (a WTE gap) cannot be more exact than the figures themselves. ``engine`` names the engine
    figure the cell shows: ``(key, icb index or None for England, year index)``.
    """

    value: object = None
    formula: str | None = None
    style: str = "text"
    input: bool = False
    comment: str | None = None
    link: str | None = None
    scale: float = 1.0
    engine: tuple[str, int | None, int] | None = None


@dataclass
class Sheet:
    """One worksheet of the plan: cells keyed by 0-based (row, column)."""

    name: str
    cells: dict[tuple[int, int], Cell] = field(default_factory=dict)
    widths: dict[int, float] = field(default_factory=dict)
    freeze: tuple[int, int] | None = None
    choices: list[tuple[int, int, tuple[str, ...]]] = field(default_factory=list)
    kind: str = "calc"

    def put(self, row: int, col: int, cell: Cell) -> None:
        if (row, col) in self.cells:
            raise ValueError(f"{self.name}!{a1(row, col)} laid out twice")
        self.cells[(row, col)] = cell

    def text(self, row: int, col: int, text: str, style: str = "text", **extra: object) -> None:
        self.put(row, col, Cell(value=text, style=style, **extra))

    def formulas(self) -> dict[tuple[int, int], Cell]:
        return {pos: cell for pos, cell in self.cells.items() if cell.formula is not None}


@dataclass
class Plan:
    """A whole workbook: sheets in order and the defined names (name -> ``=Sheet!$A$1``)."""

    sheets: list[Sheet]
    names: dict[str, str]
    scenario: str
    icb_sheets: dict[str, str]

    def sheet(self, name: str) -> Sheet:
        for sheet in self.sheets:
            if sheet.name == name:
                return sheet
        raise KeyError(name)

    def formula_count(self) -> int:
        return sum(len(sheet.formulas()) for sheet in self.sheets)


# ---------------------------------------------------------------------------------------------
# What the workbook is built from


@dataclass(frozen=True)
class Source:
    """Provenance shown beside an input: status, source, note, where it was set, unit."""

    status: str = ""
    source: str = ""
    note: str = ""
    set_in: str = ""
    unit: str = ""

    def text(self) -> str:
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
    have ``PATH.YEAR`` entries for the Param that supplies each year.
    """

    name: str
    description: str
    inputs: Inputs
    sources: dict[str, Source]
    go_live: dict[str, GoLiveRules]
    other: tuple[OtherSetting, ...] = ()
    icb_note: str = ""
    content_hash: str = ""


def spec_from_inputs(inputs: Inputs, name: str = "inputs", description: str = "",
                     rows: Sequence[object] = ()) -> WorkbookSpec:
    """A spec for arrays built in code: each go-live becomes a rule per ICB.

    ``rows`` (optional) are provenance rows such as :func:`model.output.listing.assumption_rows` gives
    (each with ``path, status, source, note, set_in, unit``), shown beside the inputs they name.
    """
    if inputs.samples != 1:
        raise ValueError("a workbook shows one set of inputs; these Inputs carry several samples")
    sources = {row.path: Source(row.status, row.source, row.note, row.set_in, row.unit) for row in rows}
    for path in ("running_cost_cut.path", "inflation.pay_award", "inflation.oncost_rate",
                 "inflation.nonpay_inflation", "inflation.gdp_deflator"):
        if path not in sources:
            found = [source for key, source in sources.items() if key.startswith((path + ".", path + " ("))]
            if found:
                sources[path] = _merge_sources(found)
    rules = {}
    for function in FUNCTIONS:
        months = inputs.values[f"delegation.{function}.go_live"][0]
        by_icb = {code: month_label(int(m)) for code, m in zip(inputs.codes, months) if not math.isnan(m)}
        rules[function] = GoLiveRules(default=None, by_region={}, by_icb=by_icb)
    return WorkbookSpec(
        name=name,
        description=description,
        inputs=inputs,
        sources=sources,
        go_live=rules,
        icb_note="ICB table built in code (no scenario file).",
    )


def spec_from_scenario(scenario: Scenario, icbs: Sequence[str] | None = None) -> WorkbookSpec:
    """A spec for a resolved scenario, optionally restricted to some of its ICBs (in that order).

    Raises KeyError naming any code that is not among the scenario's ICBs.
    """
    from model.engine.inputs import from_scenario
    from model.output.listing import assumption_rows
    from model.provenance import Param

    inputs = from_scenario(scenario)
    if icbs:
        unknown = [code for code in icbs if code not in inputs.codes]
        if unknown:
            raise KeyError(
                f"ICB code(s) {', '.join(unknown)} not in scenario '{scenario.name}'; "
                f"it runs {', '.join(inputs.codes)}"
            )
        inputs = inputs.select_icbs(list(dict.fromkeys(icbs)))
    rows = assumption_rows(scenario)

    def from_prov(prov: object) -> Source:
        where = prov.file if prov.line is None else f"{prov.file}:{prov.line}"
        return Source(prov.status or "", prov.source or "", prov.note or "", where, prov.unit or "")

    sources: dict[str, Source] = {}
    for row in rows:
        sources[row.path] = Source(row.status, row.source, row.note, row.set_in, row.unit)
    for path in ("running_cost_cut.path", "inflation.pay_award", "inflation.oncost_rate",
                 "inflation.nonpay_inflation", "inflation.gdp_deflator"):
        per_year = {}
        for label in inputs.labels:
            param = scenario.get(f"{path}.{label}")
            if isinstance(param, Param):
                per_year[label] = from_prov(param.prov)
        for label, source in per_year.items():
            sources[f"{path}.{label}"] = source
        sources[path] = _merge_sources(list(per_year.values()))
    envelope = scenario.get("running_cost_cut.envelope")
    if isinstance(envelope, Param):  # no envelope: one row for all three cells
        for key in ("per_head_gbp", "effective", "uplift"):
            sources[f"running_cost_cut.envelope.{key}"] = from_prov(envelope.prov)
    rules = {}
    for function in FUNCTIONS:
        bare = scenario.value(f"delegation.{function}.go_live")
        rules[function] = GoLiveRules(
            default=bare.get("default"),
            by_region=dict(bare.get("by_region") or {}),
            by_icb=dict(bare.get("by_icb") or {}),
        )
    used = ("population.", "baseline.", "running_cost_cut.", "inflation.", "real_terms.", "workforce.",
            "nonpay.", "delegation.")
    try:
        shown = str(Path(scenario.file).resolve().relative_to(Path(scenario.root).resolve()))
    except ValueError:
        shown = str(scenario.file)
    other = [
        OtherSetting("name", scenario.name, Source(set_in=shown)),
        OtherSetting("description", scenario.description or "", Source(set_in=shown)),
    ]
    other += [
        OtherSetting(row.path, _as_text(row.value), Source(row.status, row.source, row.note, row.set_in, row.unit))
        for row in rows
        if not row.path.startswith(used)
    ]
    table_source = sources.get("icbs.table", Source())
    note = f"ICB table from {scenario.value('icbs.table')}"
    if table_source.set_in:
        note += f" (set in {table_source.set_in})"
    if "population_source" in scenario.icbs.extra:
        found = sorted({s for s in scenario.icbs.extra["population_source"] if s})
        if found:
            note += f". Populations: {'; '.join(found)}"
    return WorkbookSpec(
        name=scenario.name,
        description=scenario.description or "",
        inputs=inputs,
        sources=sources,
        go_live=rules,
        other=tuple(other),
        icb_note=note + ".",
        content_hash=scenario.content_hash(),
    )


def _merge_sources(sources: list[Source]) -> Source:
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
    if value is None:
        return "null"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, (tuple, list)):
        return ", ".join(str(v) for v in value)
    if isinstance(value, dict):
        return ", ".join(f"{k}: {_as_text(v)}" for k, v in value.items()) or "{}"
    return str(value)


# ---------------------------------------------------------------------------------------------
# Cell references


def col_name(col: int) -> str:
    """Spreadsheet column letters of a 0-based column (0 -> A, 26 -> AA)."""
    name = ""
    col += 1
    while col:
        col, rem = divmod(col - 1, 26)
        name = chr(65 + rem) + name
    return name


def a1(row: int, col: int, absolute: bool = False) -> str:
    """A1 reference of a 0-based (row, column); ``absolute`` gives ``$A$1``."""
    if absolute:
        return f"${col_name(col)}${row + 1}"
    return f"{col_name(col)}{row + 1}"


def quote_sheet(name: str) -> str:
    """A sheet name as formulas write it: always quoted (ICB codes such as QE1 look like cells)."""
    return "'" + name.replace("'", "''") + "'"


def month_serial(month: str | float) -> float:
    """The spreadsheet date (days since 1899-12-30) of the first day of a month.

    ``month`` is ``YYYY-MM`` or a month count (year * 12 + month - 1).
    """
    count = parse_month(month) if isinstance(month, str) else int(month)
    year, index = divmod(count, 12)
    if not 1901 <= year <= 9998:
        raise ValueError(f"month {month_label(count)} is outside what a spreadsheet date can hold")
    return float((dt.date(year, index + 1, 1) - _EXCEL_EPOCH).days)


def safe_sheet_name(name: str) -> str:
    return _SHEET_FORBIDDEN.sub("_", name)[:31]


# ---------------------------------------------------------------------------------------------
# The Inputs sheet

_NUMBER_INPUTS: tuple[tuple[str, str, str, str, str, str], ...] = (
    # (path, defined name, label, unit, style, section)
    ("population.growth_rate", "growth_rate", "Population growth a year, every ICB", "fraction per year",
     "frac_in", "Population"),
    ("baseline.rca_per_head_gbp", "rca_per_head",
     "Base-year running cost allowance (RCA) per head, where the ICB table gives no RCA", "£ per head", "gbp2",
     "Baseline (base-year prices)"),
    ("baseline.pay_share", "pay_share", "Share of the base-year RCA spent on pay", "fraction", "frac_in",
     "Baseline (base-year prices)"),
    ("baseline.salary_per_wte_gbp", "salary_per_wte", "Average salary per WTE in the base year, before on-costs",
     "£ per WTE", "gbp2", "Baseline (base-year prices)"),
    ("baseline.programme_pay_per_head_gbp", "programme_pay_per_head",
     "Pay of ICB staff funded from programme budgets, per head, with on-costs", "£ per head", "gbp2",
     "Baseline (base-year prices)"),
)
_SERIES_INPUTS: tuple[tuple[str, str, str], ...] = (
    ("inflation.pay_award", "pay_award", "Pay award (the base year's own award is not used)"),
    ("inflation.oncost_rate", "oncost_rate", "Employer on-costs as a share of salary"),
    ("inflation.nonpay_inflation", "nonpay_inflation", "Non-pay inflation (the base year's is not used)"),
    ("inflation.gdp_deflator", "gdp_deflator", "GDP deflator growth (used when real terms use the GDP deflator)"),
)
_WORKFORCE_INPUTS: tuple[tuple[str, str, str, str], ...] = (
    ("workforce.core_demand_change", "core_demand_change", "Change a year in the staff core functions need", "frac_in"),
    ("workforce.turnover_rate", "turnover_rate", "Staff turnover a year: leavers whose posts can go unfilled", "frac_in"),
    ("workforce.redundancy_months", "redundancy_months", "Cost of a redundancy, in months of salary", "num_in"),
    ("nonpay.annual_saving", "nonpay_annual_saving", "Saving a year on core non-pay costs", "frac_in"),
)
_DELEGATION_INPUTS: tuple[tuple[str, str, str], ...] = (
    ("transfer_wte_per_100k", "WTE that came across per 100,000 people (vacancies included)", "wte_in"),
    ("required_wte_per_100k", "WTE the function needs per 100,000 people", "wte_in"),
    ("nonpay_per_wte_gbp", "Non-pay budget per WTE (base-year prices)", "gbp2"),
    ("in_cut_scope", "Budget is cut like the core (TRUE) or kept whole (FALSE)", "bool"),
)


@dataclass
class _InputsRefs:
    """Where the Inputs sheet put things, for the calculation sheets' formulas."""

    year_label_row: int = 0
    year_start_row: int = 0
    series_rows: dict[str, int] = field(default_factory=dict)
    n_years: int = 0

    def series(self, path: str, year: int) -> str:
        return f"Inputs!{a1(self.series_rows[path], YEAR0 + year)}"

    def year_label(self, year: int) -> str:
        return f"Inputs!{a1(self.year_label_row, YEAR0 + year)}"

    def year_start(self, year: int) -> str:
        return f"Inputs!{a1(self.year_start_row, YEAR0 + year)}"


class _InputsBuilder:
    def __init__(self, spec: WorkbookSpec) -> None:
        self.spec = spec
        self.inp = spec.inputs
        self.T = len(spec.inputs.labels)
        self.sheet = Sheet("Inputs", kind="inputs")
        self.names: dict[str, str] = {}
        self.refs = _InputsRefs(n_years=self.T)
        self.prov0 = YEAR0 + max(self.T, len(FUNCTIONS))  # status, source, note, set in
        self.row = 0

    def v(self, path: str) -> float:
        return float(self.inp.values[path][0])

    def word(self, path: str) -> str:
        """A word the Inputs hold as 0/1 (``running_cost_cut.basis``: nominal/real...)."""
        value = self.v(path)
        if value not in (0.0, 1.0):
            raise ValueError(f"{path} must be 0 or 1 in a workbook, not {value}")
        return INPUT_BY_PATH[path].spec.choices[int(value)]

    def name(self, name: str, row: int, col: int, last_row: int | None = None, last_col: int | None = None) -> None:
        ref = f"=Inputs!{a1(row, col, True)}"
        if last_row is not None or last_col is not None:
            ref += ":" + a1(row if last_row is None else last_row, col if last_col is None else last_col, True)
        self.names[name] = ref

    def provenance(self, row: int, source: Source | None) -> None:
        source = source or Source()
        for offset, text in enumerate((source.status, source.source, source.note, source.set_in)):
            if text:
                self.sheet.text(row, self.prov0 + offset, text, "prov")

    def section(self, title: str) -> None:
        self.row += 1
        self.sheet.text(self.row, 0, title, "section")
        self.row += 1

    def scalar(self, path: str, name: str, label: str, unit: str, value: object, style: str,
               source: Source | None = None) -> int:
        row = self.row
        self.sheet.text(row, I_LABEL, label, "label")
        self.sheet.text(row, I_PATH, path, "path")
        self.sheet.text(row, I_UNIT, unit, "unit")
        self.sheet.put(row, I_VALUE, Cell(value=value, style=style, input=True))
        self.name(name, row, I_VALUE)
        self.provenance(row, source if source is not None else self.spec.sources.get(path))
        self.row += 1
        return row

    def build(self) -> None:
        spec, sheet, T = self.spec, self.sheet, self.T
        sheet.text(0, 0, f"Inputs: scenario {spec.name}", "title")
        if spec.description:
            sheet.text(1, 0, spec.description, "note")
        sheet.text(2, 0, "Yellow cells are inputs: change one and every other sheet follows. Pounds are £ (not £m); "
                         "fractions are 0-1 shown as % (30% = 0.3). Months are dates (the 1st of the month) or the word "
                         f"'{NEVER}'.", "note")
        if spec.content_hash:
            sheet.text(3, 0, f"Scenario content sha256 {spec.content_hash}", "small")
        head = 5
        for col, title in ((I_LABEL, "Input"), (I_PATH, "Path in the scenario file"), (I_UNIT, "Unit"),
                           (I_VALUE, "Value")):
            sheet.text(head, col, title, "header")
        for y, label in enumerate(self.inp.labels):
            sheet.text(head, YEAR0 + y, label, "header_year")
        for offset, title in enumerate(("Status", "Source", "Note", "Set in")):
            sheet.text(head, self.prov0 + offset, title, "header")
        self.refs.year_label_row = head
        self.name("year_label", head, YEAR0, last_col=YEAR0 + T - 1)
        start = head + 1
        sheet.text(start, I_LABEL, "Financial year starts in April of", "label")
        sheet.text(start, I_UNIT, "year", "unit")
        base = parse_year(self.inp.labels[0])
        for y in range(T):
            sheet.put(start, YEAR0 + y, Cell(value=float(base + y), style="year"))
        self.refs.year_start_row = start
        self.name("year_start", start, YEAR0, last_col=YEAR0 + T - 1)
        sheet.text(start, self.prov0, "the horizon of the scenario (horizon.base_year to horizon.end_year)", "prov")
        self.row = start + 1

        current = None
        for path, name, label, unit, style, section in _NUMBER_INPUTS:
            if section != current:
                self.section(section)
                current = section
            self.scalar(path, name, label, unit, self.v(path), style)

        self.section("Pay and prices (years across)")
        for path, name, label in _SERIES_INPUTS:
            self.series(path, name, label, "fraction per year" if name != "oncost_rate" else "fraction")
        index_word = self.word("real_terms.index")
        row = self.scalar("real_terms.index", "real_terms_index",
                          "Real terms measured against: 'cost' (what running an ICB costs) or 'gdp_deflator'",
                          "word", index_word, "word")
        sheet.choices.append((row, I_VALUE, ("cost", "gdp_deflator")))

        self.section("The cut (cumulative, against the base year)")
        basis_word = self.word("running_cost_cut.basis")
        row = self.scalar("running_cost_cut.basis", "cut_basis",
                          "Basis of the cut: 'nominal' (no inflation uplift) or 'real' (uplifted by the deflator)",
                          "word", basis_word, "word")
        sheet.choices.append((row, I_VALUE, ("nominal", "real")))
        self.series("running_cost_cut.path", "cut_path", "Cut against the base-year RCA (0.3 = 30% lower)", "fraction")
        last = year_label(parse_year(self.inp.labels[0]) + self.inp.cut_last)
        self.scalar("running_cost_cut.path", "cut_path_last_year",
                    "Last year the cut path lists (after it the uplift below applies)", "year label", last, "word",
                    source=self._last_year_source())
        self.scalar("running_cost_cut.post_path_uplift", "post_path_uplift",
                    "Uplift a year after the cut path's last year", "fraction per year",
                    self.v("running_cost_cut.post_path_uplift"), "frac_in")

        self.section("Per-head envelope (running costs and programme pay together)")
        effective = self.inp.values["running_cost_cut.envelope.effective"][0]
        has_envelope = not math.isnan(effective)
        self.scalar("running_cost_cut.envelope.per_head_gbp", "envelope_per_head", "Envelope per head",
                    "£ per head", self.v("running_cost_cut.envelope.per_head_gbp"), "gbp2")
        eff_value = month_serial(effective) if has_envelope else NO_ENVELOPE
        self.scalar("running_cost_cut.envelope.effective", "envelope_effective",
                    f"Month the envelope takes effect ('{NO_ENVELOPE}': no envelope)", "month", eff_value, "month")
        self.scalar("running_cost_cut.envelope.uplift", "envelope_uplift",
                    "Envelope uplift a year after the year it takes effect", "fraction per year",
                    self.v("running_cost_cut.envelope.uplift"), "frac_in")

        self.section("Workforce and non-pay")
        for path, name, label, style in _WORKFORCE_INPUTS:
            unit = "months" if name == "redundancy_months" else "fraction per year"
            self.scalar(path, name, label, unit, self.v(path), style)

        self.section("Delegated functions (pharmacy, optometry, dentistry: POD; specialised commissioning)")
        for function in FUNCTIONS:
            for key, label, style in _DELEGATION_INPUTS:
                path = f"delegation.{function}.{key}"
                value: object = self.v(path)
                if key == "in_cut_scope":
                    if value not in (0.0, 1.0):
                        raise ValueError(f"{path} must be 0 or 1 in a workbook, not {value}")
                    value = bool(value)
                unit = {"transfer_wte_per_100k": "WTE per 100k", "required_wte_per_100k": "WTE per 100k",
                        "nonpay_per_wte_gbp": "£ per WTE", "in_cut_scope": "TRUE/FALSE"}[key]
                self.scalar(path, f"{key.replace('_gbp', '')}_{function}", f"{function.capitalize()}: {label}",
                            unit, value, style)

        self.go_live_rules()
        self.icb_table()

        self.section("Workbook setting")
        self.scalar("(workbook)", "check_tolerance", "Relative tolerance of the Checks sheet", "fraction",
                    CHECK_TOLERANCE, "num_in", source=Source(note="Differences below this share of the figures "
                                                             "compared count as equal (rounding)."))
        if spec.other:
            self.section("Other settings of the scenario (the formulas do not read them)")
            for setting in spec.other:
                sheet.text(self.row, I_LABEL, setting.path, "label")
                sheet.text(self.row, I_PATH, setting.path, "path")
                sheet.text(self.row, I_UNIT, setting.source.unit, "unit")
                sheet.text(self.row, I_VALUE, setting.value, "ref_value")
                self.provenance(self.row, setting.source)
                self.row += 1

        sheet.widths.update({I_LABEL: 58, I_PATH: 40, I_UNIT: 16, I_VALUE: 14})
        for y in range(T):
            sheet.widths[YEAR0 + y] = 12
        sheet.widths.update({self.prov0: 12, self.prov0 + 1: 60, self.prov0 + 2: 60, self.prov0 + 3: 34})
        sheet.freeze = (head + 1, 1)

    def _last_year_source(self) -> Source:
        source = self.spec.sources.get("running_cost_cut.path", Source())
        return Source(source.status, source.source,
                      "The latest year listed in running_cost_cut.path (the base year when the path is one bare "
                      "number). Change it with the path if you list a later year.", source.set_in, "year label")

    def series(self, path: str, name: str, label: str, unit: str) -> None:
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

    def go_live_rules(self) -> None:
        sheet, spec = self.sheet, self.spec
        self.section("Go-live of delegated functions: the most specific rule wins (ICB, then region, then default)")
        head = self.row
        sheet.text(head, I_LABEL, "Rule", "header")
        sheet.text(head, I_PATH, "Region", "header")
        sheet.text(head, I_UNIT, "Unit", "header")
        for k, function in enumerate(FUNCTIONS):
            sheet.text(head, YEAR0 + k, function, "header_year")
        sheet.text(head, self.prov0, f"Month the function goes live (1st of the month), '{NEVER}', or empty "
                                     "for no rule", "prov")
        regions = list(dict.fromkeys(
            [r for f in FUNCTIONS for r in spec.go_live[f].by_region] + list(self.inp.regions)))
        default_row = head + 1
        sheet.text(default_row, I_LABEL, "Default: every ICB without a rule below", "label")
        sheet.text(default_row, I_UNIT, "month", "unit")
        for k, function in enumerate(FUNCTIONS):
            rules = spec.go_live[function]
            source = spec.sources.get(f"delegation.{function}.go_live.default")
            sheet.put(default_row, YEAR0 + k, Cell(value=_month_cell(rules.default), style="month", input=True,
                                                   comment=source.text() if source else None))
            self.name(f"golive_default_{function}", default_row, YEAR0 + k)
        first = default_row + 1
        for n, region in enumerate(regions):
            row = first + n
            sheet.text(row, I_LABEL, f"Region rule: {region}", "label")
            sheet.text(row, I_PATH, region, "path")
            sheet.text(row, I_UNIT, "month", "unit")
            for k, function in enumerate(FUNCTIONS):
                rules = spec.go_live[function]
                if region in rules.by_region:
                    source = spec.sources.get(f"delegation.{function}.go_live.by_region.{region}")
                    sheet.put(row, YEAR0 + k, Cell(value=_month_cell(rules.by_region[region]), style="month",
                                                   input=True, comment=source.text() if source else None))
                else:
                    sheet.put(row, YEAR0 + k, Cell(value=None, style="month", input=True))
        last = first + len(regions) - 1
        self.name("golive_regions", first, I_PATH, last_row=last)
        for k, function in enumerate(FUNCTIONS):
            self.name(f"golive_region_{function}", first, YEAR0 + k, last_row=last)
        self.row = last + 1
        listed = [
            (path, source) for path, source in spec.sources.items()
            if path.startswith("delegation.") and ".go_live." in path
        ]
        if listed:
            self.row += 1
            self.sheet.text(self.row, I_LABEL, "Where the go-live rules come from", "subsection")
            self.row += 1
            for path, source in listed:
                parts = path.split(".")
                where = "default" if parts[3] == "default" else f"{parts[3].replace('by_', '')} {'.'.join(parts[4:])}"
                value = spec.go_live[parts[1]]
                month = (value.default if parts[3] == "default" else
                         value.by_region.get(".".join(parts[4:])) if parts[3] == "by_region" else
                         value.by_icb.get(".".join(parts[4:])))
                sheet.text(self.row, I_LABEL, f"{parts[1]}: {where}", "label")
                sheet.text(self.row, I_PATH, path, "path")
                sheet.text(self.row, I_UNIT, "month", "unit")
                sheet.text(self.row, I_VALUE, month or NEVER, "ref_value")
                self.provenance(self.row, source)
                self.row += 1

    def icb_table(self) -> None:
        sheet, spec, inp = self.sheet, self.spec, self.inp
        self.section("ICB table (one row per ICB of the run)")
        sheet.text(self.row, I_LABEL, spec.icb_note, "note")
        self.row += 1
        head = self.row
        titles = ["Code", "Name", "Region", "Population (base year, persons)",
                  "Own base-year RCA, £ (empty: per-head figure)"]
        titles += [f"Go-live set for this ICB: {f}" for f in FUNCTIONS]
        titles += [f"Go-live used: {f}" for f in FUNCTIONS]
        for col, title in enumerate(titles):
            sheet.text(head, col, title, "header_wrap")
        first = head + 1
        n = len(inp.codes)
        code_col, name_col, region_col, pop_col, rca_col = range(5)
        over0, used0 = 5, 5 + len(FUNCTIONS)
        for i, code in enumerate(inp.codes):
            row = first + i
            sheet.text(row, code_col, code, "code", input=False)
            sheet.text(row, name_col, inp.names[i], "text")
            sheet.put(row, region_col, Cell(value=inp.regions[i], style="text", input=True))
            sheet.put(row, pop_col, Cell(value=float(inp.population[i]), style="pop", input=True))
            rca = inp.rca_given_gbp[i]
            sheet.put(row, rca_col, Cell(value=None if math.isnan(rca) else float(rca), style="gbp", input=True))
            for k, function in enumerate(FUNCTIONS):
                rules = spec.go_live[function]
                override = rules.by_icb[code] if code in rules.by_icb else ""
                source = spec.sources.get(f"delegation.{function}.go_live.by_icb.{code}")
                sheet.put(row, over0 + k, Cell(value=_month_cell(override) if override != "" else None,
                                               style="month", input=True,
                                               comment=source.text() if source else None))
                own = a1(row, over0 + k)
                region = a1(row, region_col)
                lookup = f"INDEX(golive_region_{function},MATCH({region},golive_regions,0))"
                formula = f'=IF({own}<>"",{own},IF({lookup}<>"",{lookup},golive_default_{function}))'
                month = rules.month_for(code, inp.regions[i])
                expected = inp.values[f"delegation.{function}.go_live"][0][i]
                if (month is None) != math.isnan(expected) or (month is not None and parse_month(month) != expected):
                    raise AssertionError(f"go-live rules of {function} disagree with the inputs for {code}")
                sheet.put(row, used0 + k, Cell(value=_month_cell(month), formula=formula, style="month"))
        last = first + n - 1
        for name, col in (("icb_code", code_col), ("icb_name", name_col), ("icb_region", region_col),
                          ("icb_population", pop_col), ("icb_baseline_rca", rca_col)):
            self.name(name, first, col, last_row=last)
        for k, function in enumerate(FUNCTIONS):
            self.name(f"golive_override_{function}", first, over0 + k, last_row=last)
            self.name(f"golive_{function}", first, used0 + k, last_row=last)
        self.row = last + 1


def _month_cell(month: str | None) -> object:
    return NEVER if month is None else month_serial(month)


# ---------------------------------------------------------------------------------------------
# Calculation sheets


class _Calc:
    """Lays out a calculation sheet top to bottom, one quantity per row."""

    def __init__(self, sheet: Sheet, n_years: int, first_row: int) -> None:
        self.sheet = sheet
        self.T = n_years
        self.row = first_row
        self.where: dict[str, int] = {}

    def section(self, title: str) -> None:
        self.row += 1
        self.sheet.text(self.row, LABEL, title, "section")
        self.row += 1

    def _label(self, key: str, label: str, unit: str, symbol: str) -> int:
        if key in self.where:
            raise ValueError(f"row {key} laid out twice")
        row = self.row
        self.where[key] = row
        self.sheet.text(row, LABEL, label, "label")
        self.sheet.text(row, UNIT, unit, "unit")
        if symbol:
            self.sheet.text(row, SYMBOL, symbol, "symbol")
        self.row += 1
        return row

    def once(self, key: str, label: str, unit: str, symbol: str, formula: str, value: object, style: str,
             scale: float = 1.0, engine: tuple | None = None) -> None:
        row = self._label(key, label, unit, symbol)
        self.sheet.put(row, ONCE, Cell(value=_plain(value), formula=formula, style=style, scale=scale,
                                       engine=engine))

    def years(self, key: str, label: str, unit: str, symbol: str, formula: Callable[[int], str],
              values: Sequence[float] | np.ndarray, style: str, scale: float = 1.0,
              engine: Callable[[int], tuple] | None = None) -> None:
        row = self._label(key, label, unit, symbol)
        for y in range(self.T):
            self.sheet.put(row, YEAR0 + y, Cell(value=_plain(values[y]), formula=formula(y), style=style,
                                                scale=scale, engine=engine(y) if engine else None))

    def at(self, key: str, y: int) -> str:
        """This sheet's cell of a per-year row in year ``y``."""
        return a1(self.where[key], YEAR0 + y)

    def one(self, key: str) -> str:
        """This sheet's cell of a once-per-ICB row (column D), fixed."""
        return a1(self.where[key], ONCE, True)

    def base(self, key: str) -> str:
        """A per-year row's base-year cell, fixed."""
        return a1(self.where[key], YEAR0, True)

    def span(self, key: str) -> str:
        """A per-year row's cells across the horizon, fixed (for INDEX)."""
        row = self.where[key]
        return f"{a1(row, YEAR0, True)}:{a1(row, YEAR0 + self.T - 1, True)}"


def _plain(value: object) -> object:
    if isinstance(value, (np.floating, np.integer)):
        return float(value)
    if isinstance(value, np.bool_):
        return bool(value)
    return value


def _header(sheet: Sheet, title: str, subtitle: str, refs: _InputsRefs, T: int, labels: Sequence[str]) -> None:
    sheet.text(0, 0, title, "title")
    sheet.text(1, 0, subtitle, "note")
    sheet.text(HEADER_ROW, LABEL, "Quantity", "header")
    sheet.text(HEADER_ROW, UNIT, "Unit", "header")
    sheet.text(HEADER_ROW, SYMBOL, "SPEC symbol", "header")
    sheet.text(HEADER_ROW, ONCE, "One value", "header_year")
    for y in range(T):
        sheet.put(HEADER_ROW, YEAR0 + y, Cell(value=labels[y], formula=f"={refs.year_label(y)}",
                                              style="header_year"))
    sheet.widths.update({LABEL: 62, UNIT: 13, SYMBOL: 24, ONCE: 14})
    for y in range(T):
        sheet.widths[YEAR0 + y] = 14
    sheet.freeze = (HEADER_ROW + 1, YEAR0)


def _time_and_prices(c: _Calc, refs: _InputsRefs, inp: Inputs, out: dict[str, np.ndarray],
                     engine_tag: Callable[[str], Callable[[int], tuple] | None]) -> None:
    """Rows every calculation sheet starts with: the year, t, and the national price indices."""
    T = c.T
    base = parse_year(inp.labels[0])
    starts = np.arange(T, dtype=float) + base
    c.years("year_start", "Financial year starts in April of", "year", "", lambda y: f"={refs.year_start(y)}",
            starts, "year")
    c.years("t", "Years from the base year", "years", "t", lambda y: f"={c.at('year_start', y)}-{c.base('year_start')}",
            np.arange(T, dtype=float), "int")

    c.section("Price indices (SPEC section 3; all 1 in the base year)")
    c.years("pay_index", "Pay index: pay awards compounded", "index", "pay_index[t]",
            lambda y: "=1" if y == 0 else f"={c.at('pay_index', y - 1)}*(1+{refs.series('inflation.pay_award', y)})",
            out["pay_index"][0, 0], "index", engine=engine_tag("pay_index"))
    c.years("loaded_cost", "Cost of a WTE: salary x pay index x (1 + on-cost rate)", "£ per WTE", "loaded_cost[t]",
            lambda y: f"=salary_per_wte*{c.at('pay_index', y)}*(1+{refs.series('inflation.oncost_rate', y)})",
            out["loaded_cost_per_wte_gbp"][0, 0], "gbp2", scale=float(out["loaded_cost_per_wte_gbp"][0, 0].max()),
            engine=engine_tag("loaded_cost_per_wte_gbp"))
    c.years("nonpay_index", "Non-pay index: non-pay inflation compounded", "index", "nonpay_index[t]",
            lambda y: "=1" if y == 0 else
            f"={c.at('nonpay_index', y - 1)}*(1+{refs.series('inflation.nonpay_inflation', y)})",
            out["nonpay_index"][0, 0], "index", engine=engine_tag("nonpay_index"))
    gdp = engine.compound(inp.values["inflation.gdp_deflator"][0].copy())
    c.years("gdp_index", "GDP deflator index: GDP deflator growth compounded", "index", "prod(1+gdp_deflator)",
            lambda y: "=1" if y == 0 else
            f"={c.at('gdp_index', y - 1)}*(1+{refs.series('inflation.gdp_deflator', y)})", gdp, "index")
    loaded = out["loaded_cost_per_wte_gbp"][0, 0]
    pay_share = float(inp.values["baseline.pay_share"][0])
    cost_index = pay_share * loaded / loaded[0] + (1.0 - pay_share) * out["nonpay_index"][0, 0]
    c.years("cost_index", "Cost of running an ICB: pay share x loaded-cost index + (1 - pay share) x non-pay index",
            "index", "cost deflator",
            lambda y: f"=pay_share*{c.at('loaded_cost', y)}/{c.base('loaded_cost')}"
                      f"+(1-pay_share)*{c.at('nonpay_index', y)}", cost_index, "index")
    c.years("deflator", "Deflator used for real terms (Inputs: real terms measured against)", "index", "deflator[t]",
            lambda y: f'=IF(real_terms_index="gdp_deflator",{c.at("gdp_index", y)},{c.at("cost_index", y)})',
            out["deflator"][0, 0], "index", engine=engine_tag("deflator"))


@dataclass
class _IcbLayout:
    """Row of each quantity on an ICB sheet, by key (every ICB sheet has the same layout)."""

    rows: dict[str, int]


def _icb_sheet(sheet: Sheet, refs: _InputsRefs, inp: Inputs, out: dict[str, np.ndarray], i: int,
               spec_name: str) -> _IcbLayout:
    T = len(inp.labels)
    v = {path: arr[0] for path, arr in inp.values.items()}
    code = inp.codes[i]
    _header(sheet, f"{code}: {inp.names[i]}",
            f"{inp.regions[i]}. Scenario {spec_name}. Every figure is a formula on Inputs or on rows above; "
            "column D holds quantities with one value per ICB.", refs, T, inp.labels)
    c = _Calc(sheet, T, HEADER_ROW + 1)
    q = {key: out[key][0, i] for key in engine.ADDITIVE}
    money = float(max(np.abs(q["allowance_gbp"]).max(), np.abs(q["cost_base_gbp"]).max(),
                      np.abs(q["required_cost_gbp"]).max()))
    staff = float(max(np.abs(q["required_wte"]).max(), np.abs(q["affordable_wte"]).max(),
                      np.abs(q["employed_wte"]).max()))

    def tag(key: str) -> Callable[[int], tuple]:
        return lambda y: (key, i, y)

    _time_and_prices(c, refs, inp, out, tag)
    t = np.arange(T, dtype=float)
    years_start = parse_year(inp.labels[0]) + np.arange(T)
    loaded = out["loaded_cost_per_wte_gbp"][0, 0]
    nonpay_index = out["nonpay_index"][0, 0]
    deflator = out["deflator"][0, 0]
    pay_share = float(v["baseline.pay_share"])

    c.section("Population and the base year (SPEC section 3)")
    c.once("icb_row", "Row of this ICB in the Inputs ICB table", "row", "", f'=MATCH("{code}",icb_code,0)',
           float(i + 1), "int")
    pop0 = float(inp.population[i])
    c.once("pop0", "Population in the base year (GP-registered)", "persons", "pop[i,0]",
           f"=INDEX(icb_population,{c.one('icb_row')})", pop0, "pop", scale=pop0)
    c.years("population", "Population: base-year population grown at the growth rate", "persons", "pop[i,t]",
            lambda y: f"={c.one('pop0')}*(1+growth_rate)^{c.at('t', y)}", q["population"], "pop", scale=pop0,
            engine=tag("population"))
    given = inp.rca_given_gbp[i]
    rca_base = float(v["baseline.rca_per_head_gbp"]) * pop0 if math.isnan(given) else float(given)
    own = f"INDEX(icb_baseline_rca,{c.one('icb_row')})"
    c.once("rca_base", "Base-year RCA: the ICB's own figure, else RCA per head x population", "£", "rca_base[i]",
           f'=IF({own}="",rca_per_head*{c.one("pop0")},{own})', rca_base, "gbp", scale=money)
    prog_base = float(v["baseline.programme_pay_per_head_gbp"]) * pop0
    c.once("prog_base", "Base-year programme-funded pay: per head x population", "£", "prog_base[i]",
           f"=programme_pay_per_head*{c.one('pop0')}", prog_base, "gbp", scale=money)
    c.once("cost_base", "Cost base: base-year RCA + programme pay (what 'vs base' compares with)", "£",
           "cost_base[i]", f"={c.one('rca_base')}+{c.one('prog_base')}", q["cost_base_gbp"][0], "gbp",
           scale=money, engine=("cost_base_gbp", i, 0))
    core_wte_base = (rca_base * pay_share + prog_base) / loaded[0]
    c.once("core_wte_base", "Core workforce in the base year: (RCA x pay share + programme pay) / base-year cost "
           "of a WTE", "WTE", "core_wte_base[i]",
           f"=({c.one('rca_base')}*pay_share+{c.one('prog_base')})/{c.base('loaded_cost')}", core_wte_base,
           "wte", scale=staff)
    nonpay_base = rca_base * (1.0 - pay_share)
    c.once("nonpay_base", "Base-year non-pay: RCA x (1 - pay share)", "£", "nonpay_base[i]",
           f"={c.one('rca_base')}*(1-pay_share)", nonpay_base, "gbp", scale=money)

    c.section("Core allowance (SPEC section 4)")
    cut = v["running_cost_cut.path"]
    c.years("cut", "Cut against the base year (cumulative)", "fraction", "cut[t]",
            lambda y: f"={refs.series('running_cost_cut.path', y)}", cut, "pct")
    c.once("t_last", "Years from the base year to the last year the cut path lists", "years", "t_last",
           f"=VALUE(LEFT(cut_path_last_year,4))-{c.base('year_start')}", float(inp.cut_last), "int")
    after = np.maximum(t - inp.cut_last, 0.0)
    c.years("after_path", "Years after the path's last year", "years", "max(t - t_last, 0)",
            lambda y: f"=MAX({c.at('t', y)}-{c.one('t_last')},0)", after, "int")
    real = float(v["running_cost_cut.basis"])
    uplift = real * deflator + (1.0 - real)
    c.years("uplift", "Inflation uplift: the deflator if the cut is in real terms, else 1", "index", "U[t]",
            lambda y: f'=IF(cut_basis="real",{c.at("deflator", y)},1)', uplift, "index")
    ppu = float(v["running_cost_cut.post_path_uplift"])
    a_pct = rca_base * (1.0 - cut) * uplift * (1.0 + ppu) ** after
    c.years("a_pct", "RCA after the cut: base RCA x (1 - cut) x U x (1 + post-path uplift)^(years after path)",
            "£", "A_pct[i,t]",
            lambda y: f"={c.one('rca_base')}*(1-{c.at('cut', y)})*{c.at('uplift', y)}"
                      f"*(1+post_path_uplift)^{c.at('after_path', y)}", a_pct, "gbp", scale=money)
    c.years("programme", "Programme pay, funded at cost: base x population growth x loaded-cost growth", "£",
            "P[i,t]",
            lambda y: f"={c.one('prog_base')}*({c.at('population', y)}/{c.base('population')})"
                      f"*({c.at('loaded_cost', y)}/{c.base('loaded_cost')})",
            q["programme_pay_allowance_gbp"], "gbp", scale=money, engine=tag("programme_pay_allowance_gbp"))
    a_total = a_pct + q["programme_pay_allowance_gbp"]
    c.years("a_total", "Allowance before any envelope: RCA after the cut + programme pay", "£", "A[i,t]",
            lambda y: f"={c.at('a_pct', y)}+{c.at('programme', y)}", a_total, "gbp", scale=money)
    eff = float(v["running_cost_cut.envelope.effective"])
    has_env = not math.isnan(eff)
    env_t = float(year_of_month(int(eff)) - years_start[0]) if has_env else 0.0
    c.once("env_t", "Envelope: years from the base year to the year it takes effect", "years", "t_eff",
           f"=IF(ISNUMBER(envelope_effective),INT((YEAR(envelope_effective)*12+MONTH(envelope_effective)-4)/12)"
           f"-{c.base('year_start')},0)", env_t, "int")
    env_frac = active_fraction(eff, years_start) if has_env else np.zeros(T)
    c.years("env_frac", "Envelope: share of the year it is in force, clamp((12 - months from April)/12, 0, 1)",
            "fraction", "f[t]",
            lambda y: "=IF(ISNUMBER(envelope_effective),MIN(1,MAX(0,(12-((YEAR(envelope_effective)-"
                      f"{c.at('year_start', y)})*12+MONTH(envelope_effective)-4))/12)),0)", env_frac, "pct")
    per_head = float(v["running_cost_cut.envelope.per_head_gbp"])
    env_uplift = float(v["running_cost_cut.envelope.uplift"])
    env_e = per_head * q["population"] * (1.0 + env_uplift) ** (t - env_t) if has_env else np.zeros(T)
    c.years("env_e", "Envelope: per head x population x (1 + uplift)^(t - t_eff)", "£", "E[i,t]",
            lambda y: f"=IF(ISNUMBER(envelope_effective),envelope_per_head*{c.at('population', y)}"
                      f"*(1+envelope_uplift)^({c.at('t', y)}-{c.one('env_t')}),0)", env_e, "gbp", scale=money)
    c.years("core", "Core allowance: A, blended with the envelope by its share of the year", "£",
            "core_allowance[i,t]",
            lambda y: f"=IF({c.at('env_frac', y)}>0,(1-{c.at('env_frac', y)})*{c.at('a_total', y)}"
                      f"+{c.at('env_frac', y)}*{c.at('env_e', y)},{c.at('a_total', y)})",
            q["core_allowance_gbp"], "gbp", scale=money, engine=tag("core_allowance_gbp"))

    core = q["core_allowance_gbp"]
    growth = float(v["population.growth_rate"])
    arrivals_rows = []
    for function in FUNCTIONS:
        name = function.capitalize()
        prefix = f"delegation.{function}."
        c.section(f"Delegated function: {function} (SPEC section 4)")
        month = float(v[prefix + "go_live"][i])
        live = not math.isnan(month)
        gl = f"{function}_golive"
        c.once(gl, f"{name}: month it goes live (Inputs ICB table: go-live used)", "month", "go-live",
               f"=INDEX(golive_{function},{c.one('icb_row')})", month_serial(month) if live else NEVER, "month")
        g = int(year_of_month(int(month)) - years_start[0]) if live else 0
        c.once(f"{function}_g", f"{name}: years from the base year to the year it goes live", "years", "g",
               f"=IF(ISNUMBER({c.one(gl)}),INT((YEAR({c.one(gl)})*12+MONTH({c.one(gl)})-4)/12)"
               f"-{c.base('year_start')},0)", float(g), "int")
        col = min(max(g, 0), T - 1) + 1
        c.once(f"{function}_col", f"{name}: that year's column within the horizon (1 = base year)", "column", "",
               f"=MIN(MAX({c.one(f'{function}_g')},0),{T - 1})+1", float(col), "int")
        frac = active_fraction(month, years_start) if live else np.zeros(T)
        c.years(f"{function}_frac", f"{name}: share of the year it is live, clamp((12 - months from April)/12, 0, 1)",
                "fraction", "frac_f[t]",
                lambda y, gl=gl: f"=IF(ISNUMBER({c.one(gl)}),MIN(1,MAX(0,(12-((YEAR({c.one(gl)})-"
                                 f"{c.at('year_start', y)})*12+MONTH({c.one(gl)})-4))/12)),0)", frac, "pct")
        pop_g = pop0 * (1.0 + growth) ** g
        c.once(f"{function}_pop_g", f"{name}: population in the year it goes live", "persons", "pop[i,g]",
               f"={c.one('pop0')}*(1+growth_rate)^{c.one(f'{function}_g')}", pop_g, "pop", scale=pop0)
        transfer = float(v[prefix + "transfer_wte_per_100k"]) * pop_g / 1e5
        c.once(f"{function}_transfer", f"{name}: staff who came across, per 100k x population / 100,000", "WTE",
               "transfer_wte",
               f"=transfer_wte_per_100k_{function}*{c.one(f'{function}_pop_g')}/100000", transfer, "wte",
               scale=staff)
        lc_g = float(loaded[col - 1])
        c.once(f"{function}_lc_g", f"{name}: cost of a WTE in the year it goes live", "£ per WTE",
               "loaded_cost[g]", f"=INDEX({c.span('loaded_cost')},{c.one(f'{function}_col')})", lc_g, "gbp2",
               scale=lc_g)
        npi_g = float(nonpay_index[col - 1])
        c.once(f"{function}_npi_g", f"{name}: non-pay index in the year it goes live", "index", "nonpay_index[g]",
               f"=INDEX({c.span('nonpay_index')},{c.one(f'{function}_col')})", npi_g, "index")
        nonpay_per_wte = float(v[prefix + "nonpay_per_wte_gbp"])
        budget = transfer * (lc_g + nonpay_per_wte * npi_g)
        c.once(f"{function}_budget", f"{name}: full-year budget added at transfer, WTE x (loaded cost + non-pay "
               "per WTE x non-pay index)", "£", "D",
               f"={c.one(f'{function}_transfer')}*({c.one(f'{function}_lc_g')}+nonpay_per_wte_{function}"
               f"*{c.one(f'{function}_npi_g')})", budget, "gbp", scale=money)
        core_g = float(core[col - 1])
        c.once(f"{function}_core_g", f"{name}: core allowance in the year it goes live", "£",
               "core_allowance[i,g]", f"=INDEX({c.span('core')},{c.one(f'{function}_col')})", core_g, "gbp",
               scale=money)
        in_scope = float(v[prefix + "in_cut_scope"])
        follows = np.divide(core, core_g, out=np.zeros(T), where=core_g > 0)
        scale_s = in_scope * follows + (1.0 - in_scope)
        c.years(f"{function}_s", f"{name}: budget follows the core allowance if in the cut's scope, else 1",
                "ratio", "S[t]",
                lambda y, fn=function: f"=IF(in_cut_scope_{fn},IF({c.one(f'{fn}_core_g')}>0,"
                                       f"{c.at('core', y)}/{c.one(f'{fn}_core_g')},0),1)", scale_s, "index")
        c.years(f"{function}_allowance", f"{name}: delegated allowance, D x share of year live x S", "£",
                "delegated_allowance[i,f,t]",
                lambda y, fn=function: f"={c.one(f'{fn}_budget')}*{c.at(f'{fn}_frac', y)}*{c.at(f'{fn}_s', y)}",
                q[f"delegated_allowance_{function}_gbp"], "gbp", scale=money,
                engine=tag(f"delegated_allowance_{function}_gbp"))
        c.years(f"{function}_required", f"{name}: staff needed, per 100k x population / 100,000 x share of year live",
                "WTE", "required_delegated_wte[i,f,t]",
                lambda y, fn=function: f"=required_wte_per_100k_{fn}*{c.at('population', y)}/100000"
                                       f"*{c.at(f'{fn}_frac', y)}",
                q[f"required_delegated_wte_{function}"], "wte", scale=staff,
                engine=tag(f"required_delegated_wte_{function}"))
        step = np.diff(frac, prepend=frac[:1])
        c.years(f"{function}_arrivals", f"{name}: staff arriving, transfer WTE x rise in the share of year live",
                "WTE", "transfer_wte x (frac[t] - frac[t-1])",
                lambda y, fn=function: "=0" if y == 0 else
                f"={c.one(f'{fn}_transfer')}*({c.at(f'{fn}_frac', y)}-{c.at(f'{fn}_frac', y - 1)})",
                transfer * step, "wte", scale=staff)
        arrivals_rows.append(f"{function}_arrivals")

    c.section("The allowance (SPEC section 4)")
    c.years("delegated", "Delegated allowance: sum over the four functions", "£", "sum_f delegated_allowance",
            lambda y: "=" + "+".join(c.at(f"{f}_allowance", y) for f in FUNCTIONS), q["delegated_allowance_gbp"],
            "gbp", scale=money, engine=tag("delegated_allowance_gbp"))
    c.years("allowance", "Allowance: core + delegated", "£", "allowance[i,t]",
            lambda y: f"={c.at('core', y)}+{c.at('delegated', y)}", q["allowance_gbp"], "gbp", scale=money,
            engine=tag("allowance_gbp"))

    c.section("Costs and capacity (SPEC section 5)")
    c.years("required_core", "Staff core functions need: base-year core WTE x (1 + demand change)^t", "WTE",
            "required_core_wte[i,t]",
            lambda y: f"={c.one('core_wte_base')}*(1+core_demand_change)^{c.at('t', y)}",
            q["required_core_wte"], "wte", scale=staff, engine=tag("required_core_wte"))
    c.years("required_delegated", "Staff delegated functions need: sum over the four functions", "WTE",
            "sum_f required_delegated_wte",
            lambda y: "=" + "+".join(c.at(f"{f}_required", y) for f in FUNCTIONS), q["required_delegated_wte"],
            "wte", scale=staff, engine=tag("required_delegated_wte"))
    c.years("required", "Staff required: core + delegated", "WTE", "required_wte",
            lambda y: f"={c.at('required_core', y)}+{c.at('required_delegated', y)}", q["required_wte"], "wte",
            scale=staff, engine=tag("required_wte"))
    saving = float(v["nonpay.annual_saving"])
    core_nonpay = nonpay_base * nonpay_index * (1.0 - saving) ** t
    c.years("core_nonpay", "Core non-pay: base non-pay x non-pay index x (1 - annual saving)^t", "£", "",
            lambda y: f"={c.one('nonpay_base')}*{c.at('nonpay_index', y)}*(1-nonpay_annual_saving)^{c.at('t', y)}",
            core_nonpay, "gbp", scale=money)
    delegated_nonpay = sum(float(v[f"delegation.{f}.nonpay_per_wte_gbp"]) * nonpay_index
                           * q[f"required_delegated_wte_{f}"] for f in FUNCTIONS)
    c.years("delegated_nonpay", "Delegated non-pay: sum of non-pay per WTE x non-pay index x WTE needed", "£", "",
            lambda y: "=" + "+".join(f"nonpay_per_wte_{f}*{c.at('nonpay_index', y)}*{c.at(f'{f}_required', y)}"
                                     for f in FUNCTIONS), delegated_nonpay, "gbp", scale=money)
    c.years("nonpay_cost", "Non-pay cost: core + delegated", "£", "nonpay_cost[i,t]",
            lambda y: f"={c.at('core_nonpay', y)}+{c.at('delegated_nonpay', y)}", q["nonpay_cost_gbp"], "gbp",
            scale=money, engine=tag("nonpay_cost_gbp"))
    c.years("required_cost", "Cost of what is required: required WTE x cost of a WTE + non-pay", "£",
            "required_cost",
            lambda y: f"={c.at('required', y)}*{c.at('loaded_cost', y)}+{c.at('nonpay_cost', y)}",
            q["required_cost_gbp"], "gbp", scale=money, engine=tag("required_cost_gbp"))
    c.years("affordable", "Staff the allowance can pay for: max(0, allowance - non-pay) / cost of a WTE", "WTE",
            "affordable_wte",
            lambda y: f"=MAX(0,{c.at('allowance', y)}-{c.at('nonpay_cost', y)})/{c.at('loaded_cost', y)}",
            q["affordable_wte"], "wte", scale=staff, engine=tag("affordable_wte"))
    c.years("wte_gap", "WTE gap: affordable - required (negative: a shortfall)", "WTE", "wte_gap",
            lambda y: f"={c.at('affordable', y)}-{c.at('required', y)}", q["wte_gap"], "wte", scale=staff,
            engine=tag("wte_gap"))
    c.years("funding_gap", "Funding gap: allowance - cost of what is required (negative: a shortfall)", "£",
            "funding_gap_gbp",
            lambda y: f"={c.at('allowance', y)}-{c.at('required_cost', y)}", q["funding_gap_gbp"], "gbp",
            scale=money, engine=tag("funding_gap_gbp"))
    c.years("core_capacity", "Left for core functions once delegated functions are staffed: affordable - delegated "
            "need", "WTE", "core_capacity_wte",
            lambda y: f"={c.at('affordable', y)}-{c.at('required_delegated', y)}", q["core_capacity_wte"], "wte",
            scale=staff, engine=tag("core_capacity_wte"))

    c.section("Workforce change and its cost (SPEC section 5)")
    c.years("employed", "Staff employed: base-year core WTE, then the lesser of affordable and required", "WTE",
            "employed[t]",
            lambda y: f"={c.one('core_wte_base')}" if y == 0 else
            f"=MIN({c.at('affordable', y)},{c.at('required', y)})", q["employed_wte"], "wte", scale=staff,
            engine=tag("employed_wte"))
    c.years("arrivals", "Staff arriving with delegated functions: sum over the four functions", "WTE",
            "arrivals[t]", lambda y: "=" + "+".join(c.at(r, y) for r in arrivals_rows), q["arrivals_wte"], "wte",
            scale=staff, engine=tag("arrivals_wte"))
    employed = q["employed_wte"]
    previous = np.concatenate([employed[:1], employed[:-1]])
    leavers = np.maximum(0.0, previous + q["arrivals_wte"] - employed)
    leavers[0] = 0.0
    c.years("leavers_needed", "Leavers needed: max(0, last year's employed + arrivals - employed)", "WTE",
            "leavers_needed[t]",
            lambda y: "=0" if y == 0 else
            f"=MAX(0,{c.at('employed', y - 1)}+{c.at('arrivals', y)}-{c.at('employed', y)})", leavers, "wte",
            scale=staff)
    c.years("attrition", "Leavers not replaced: turnover x last year's employed", "WTE", "attrition[t]",
            lambda y: "=0" if y == 0 else f"=turnover_rate*{c.at('employed', y - 1)}", q["attrition_wte"], "wte",
            scale=staff, engine=tag("attrition_wte"))
    c.years("redundancies", "Redundancies: max(0, leavers needed - attrition)", "WTE", "redundancies_wte[t]",
            lambda y: "=0" if y == 0 else f"=MAX(0,{c.at('leavers_needed', y)}-{c.at('attrition', y)})",
            q["redundancies_wte"], "wte", scale=staff, engine=tag("redundancies_wte"))
    c.years("redundancy_cost", "Redundancy cost (one-off): redundancies x salary x pay index x months / 12", "£",
            "redundancy_cost_gbp[t]",
            lambda y: f"={c.at('redundancies', y)}*salary_per_wte*{c.at('pay_index', y)}*redundancy_months/12",
            q["redundancy_cost_gbp"], "gbp", scale=money, engine=tag("redundancy_cost_gbp"))

    c.section("Real terms and per head (SPEC section 5)")
    ratios = engine.ratios({key: q[key] for key in engine.ADDITIVE})
    c.years("allowance_real", "Allowance in base-year prices: allowance / deflator", "£ base-year prices",
            "allowance_real_gbp",
            lambda y: f"={c.at('allowance', y)}/{c.at('deflator', y)}", q["allowance_real_gbp"], "gbp", scale=money,
            engine=tag("allowance_real_gbp"))
    c.years("core_real", "Core allowance in base-year prices: core allowance / deflator", "£ base-year prices",
            "core_allowance / deflator",
            lambda y: f"={c.at('core', y)}/{c.at('deflator', y)}", q["core_allowance_real_gbp"], "gbp", scale=money,
            engine=tag("core_allowance_real_gbp"))
    c.years("real_change", "Real change against the cost base: real allowance / cost base - 1", "fraction",
            "real_change_vs_base",
            lambda y: f"={c.at('allowance_real', y)}/{c.one('cost_base')}-1", ratios["real_change_vs_base"], "pct",
            engine=tag("real_change_vs_base"))
    c.years("core_real_change", "Real change of the core allowance against the cost base", "fraction",
            "core_real_change_vs_base",
            lambda y: f"={c.at('core_real', y)}/{c.one('cost_base')}-1", ratios["core_real_change_vs_base"], "pct",
            engine=tag("core_real_change_vs_base"))
    per_head = ratios["allowance_per_head_gbp"]
    c.years("per_head", "Allowance per head: allowance / population", "£ per head", "allowance_per_head_gbp",
            lambda y: f"={c.at('allowance', y)}/{c.at('population', y)}", per_head, "gbp2",
            scale=float(np.abs(per_head).max()), engine=tag("allowance_per_head_gbp"))
    return _IcbLayout(rows=dict(c.where))


_ENGLAND_SUMS: dict[str, str] = {
    # engine key -> ICB sheet row key, in the order the England sheet shows them
    "population": "population",
    "programme_pay_allowance_gbp": "programme",
    "core_allowance_gbp": "core",
    **{f"delegated_allowance_{f}_gbp": f"{f}_allowance" for f in FUNCTIONS},
    "delegated_allowance_gbp": "delegated",
    "allowance_gbp": "allowance",
    "required_core_wte": "required_core",
    **{f"required_delegated_wte_{f}": f"{f}_required" for f in FUNCTIONS},
    "required_delegated_wte": "required_delegated",
    "required_wte": "required",
    "nonpay_cost_gbp": "nonpay_cost",
    "required_cost_gbp": "required_cost",
    "affordable_wte": "affordable",
    "wte_gap": "wte_gap",
    "funding_gap_gbp": "funding_gap",
    "core_capacity_wte": "core_capacity",
    "employed_wte": "employed",
    "arrivals_wte": "arrivals",
    "attrition_wte": "attrition",
    "redundancies_wte": "redundancies",
    "redundancy_cost_gbp": "redundancy_cost",
    "allowance_real_gbp": "allowance_real",
    "core_allowance_real_gbp": "core_real",
}


def _england_sheet(sheet: Sheet, refs: _InputsRefs, inp: Inputs, out: dict[str, np.ndarray],
                   icb_sheets: list[str], icb_sheet: Sheet, layout: _IcbLayout, spec_name: str) -> dict[str, int]:
    T = len(inp.labels)
    _header(sheet, "England: the sum of the ICB sheets",
            f"Scenario {spec_name}. Pounds, WTE and population are sums of the {len(icb_sheets)} ICB sheets; "
            "ratios are recomputed from the sums.", refs, T, inp.labels)
    c = _Calc(sheet, T, HEADER_ROW + 1)

    def price_tag(key: str) -> Callable[[int], tuple]:
        return lambda y: (key, None, y)

    _time_and_prices(c, refs, inp, out, price_tag)
    totals = {key: out[key][0].sum(axis=0) for key in engine.ADDITIVE}
    money = float(max(np.abs(totals["allowance_gbp"]).max(), np.abs(totals["cost_base_gbp"]).max(),
                      np.abs(totals["required_cost_gbp"]).max()))
    staff = float(max(np.abs(totals["required_wte"]).max(), np.abs(totals["employed_wte"]).max(),
                      np.abs(totals["affordable_wte"]).max()))

    def total(row_key: str, y: int | None) -> str:
        row = layout.rows[row_key]
        col = ONCE if y is None else YEAR0 + y
        return "=SUM(" + ",".join(f"{quote_sheet(s)}!{a1(row, col)}" for s in icb_sheets) + ")"

    def label_of(row_key: str) -> tuple[str, str, str]:
        row = layout.rows[row_key]
        return (icb_sheet.cells[(row, LABEL)].value, icb_sheet.cells[(row, UNIT)].value,
                icb_sheet.cells.get((row, SYMBOL), Cell(value="")).value)

    c.section("Sums of the ICB sheets")
    for key, row_key in _ENGLAND_SUMS.items():
        label, unit, symbol = label_of(row_key)
        style = icb_sheet.cells[(layout.rows[row_key], YEAR0)].style
        scale = staff if unit == "WTE" else money if unit.startswith("£") else float(np.abs(totals[key]).max())
        c.years(row_key, label, unit, symbol, lambda y, rk=row_key: total(rk, y), totals[key], style,
                scale=scale, engine=lambda y, k=key: (k, None, y))
        if key == "population":
            label, unit, symbol = label_of("cost_base")
            c.once("cost_base", label, unit, symbol, total("cost_base", None), totals["cost_base_gbp"][0], "gbp",
                   scale=money, engine=("cost_base_gbp", None, 0))
    c.section("Ratios recomputed from the sums")
    ratios = engine.ratios(totals)
    c.years("real_change", "Real change against the cost base: real allowance / cost base - 1", "fraction",
            "real_change_vs_base", lambda y: f"={c.at('allowance_real', y)}/{c.one('cost_base')}-1",
            ratios["real_change_vs_base"], "pct", engine=lambda y: ("real_change_vs_base", None, y))
    c.years("core_real_change", "Real change of the core allowance against the cost base", "fraction",
            "core_real_change_vs_base", lambda y: f"={c.at('core_real', y)}/{c.one('cost_base')}-1",
            ratios["core_real_change_vs_base"], "pct", engine=lambda y: ("core_real_change_vs_base", None, y))
    per_head = ratios["allowance_per_head_gbp"]
    c.years("per_head", "Allowance per head: allowance / population", "£ per head", "allowance_per_head_gbp",
            lambda y: f"={c.at('allowance', y)}/{c.at('population', y)}", per_head, "gbp2",
            scale=float(np.abs(per_head).max()), engine=lambda y: ("allowance_per_head_gbp", None, y))
    return dict(c.where)


_WTE_ROWS: tuple[str, ...] = ("affordable", "required", "required_core", "required_delegated", "employed",
                              "arrivals", "attrition", "redundancies")
_ENGLAND_CHECKED: tuple[str, ...] = ("population", "allowance", "core", "delegated", "nonpay_cost", "affordable",
                                     "required", "employed", "redundancies", "redundancy_cost", "funding_gap")


def _close(a: float, b: float, tol: float = CHECK_TOLERANCE) -> bool:
    """As the Checks sheet's formulas test it: ``ABS(a-b) <= tol * MAX(1, ABS(b))``."""
    return abs(a - b) <= tol * max(1.0, abs(b))


def _checks_sheet(sheet: Sheet, inp: Inputs, out: dict[str, np.ndarray], icb_sheets: list[str],
                  layout: _IcbLayout, england_rows: dict[str, int]) -> None:
    T = len(inp.labels)
    sheet.text(0, 0, "Checks: TRUE when the workbook holds together", "title")
    sheet.text(1, 0, "Each check is live: it recalculates when an input changes. Tolerance: Inputs, "
                     "check_tolerance (relative).", "note")
    rows = layout.rows
    head = 4
    titles = ("ICB", "Name", "Base year untouched (no cut, envelope or live delegation in it)",
              "Base year balances: affordable = required = core WTE", "Smallest WTE figure on the sheet",
              "No negative WTE")
    for col, title in enumerate(titles):
        sheet.text(head, col, title, "header_wrap")
    checks: list[str] = []
    q = {key: out[key][0] for key in engine.ADDITIVE}
    for i, name in enumerate(icb_sheets):
        row = head + 1 + i
        s = quote_sheet(name)

        def cell(key: str, y: int | None = 0, s: str = s) -> str:
            return f"{s}!{a1(rows[key], ONCE if y is None else YEAR0 + y)}"

        sheet.put(row, 0, Cell(value=inp.codes[i], style="code", link=f"internal:{s}!A1"))
        sheet.text(row, 1, inp.names[i])
        cost_base = float(q["cost_base_gbp"][i, 0])
        untouched = (_close(float(q["core_allowance_gbp"][i, 0]), cost_base)
                     and q["delegated_allowance_gbp"][i, 0] == 0 and q["required_delegated_wte"][i, 0] == 0)
        sheet.put(row, 2, Cell(
            value=bool(untouched), style="bool",
            formula=f"=AND(ABS({cell('core')}-{cell('cost_base', None)})<=check_tolerance*MAX(1,ABS({cell('cost_base', None)})),"
                    f"{cell('delegated')}=0,{cell('required_delegated')}=0)"))
        aff, req = float(q["affordable_wte"][i, 0]), float(q["required_wte"][i, 0])
        cwb = float(q["employed_wte"][i, 0])
        balanced = (not untouched) or (_close(aff, req) and _close(req, cwb))
        sheet.put(row, 3, Cell(
            value=bool(balanced), style="bool",
            formula=f"=OR(NOT({a1(row, 2)}),AND(ABS({cell('affordable')}-{cell('required')})<=check_tolerance"
                    f"*MAX(1,ABS({cell('required')})),ABS({cell('required')}-{cell('core_wte_base', None)})"
                    f"<=check_tolerance*MAX(1,ABS({cell('core_wte_base', None)}))))"))
        spans = ",".join(f"{s}!{a1(rows[k], YEAR0)}:{a1(rows[k], YEAR0 + T - 1)}" for k in _WTE_ROWS)
        smallest = min(float(np.min(q[k][i])) for k in ("affordable_wte", "required_wte", "required_core_wte",
                                                           "required_delegated_wte", "employed_wte", "arrivals_wte",
                                                           "attrition_wte", "redundancies_wte"))
        sheet.put(row, 4, Cell(value=smallest, formula=f"=MIN({spans})", style="wte",
                               scale=float(np.abs(q["required_wte"][i]).max())))
        sheet.put(row, 5, Cell(value=smallest >= 0, formula=f"={a1(row, 4)}>=0", style="bool"))
        checks += [a1(row, 3), a1(row, 5)]
    last = head + len(icb_sheets)
    row = last + 2
    sheet.text(row, 0, "England equals the sum of the ICB sheets", "section")
    row += 1
    sheet.text(row, 0, "Quantity", "header")
    for y, label in enumerate(inp.labels):
        sheet.text(row, 2 + y, label, "header_year")
    first_eng = row + 1
    for n, key in enumerate(_ENGLAND_CHECKED):
        r = first_eng + n
        sheet.text(r, 0, f"England: {key.replace('_', ' ')}", "label")
        for y in range(T):
            eng = f"England!{a1(england_rows[key], YEAR0 + y)}"
            parts = ",".join(f"{quote_sheet(s)}!{a1(rows[key], YEAR0 + y)}" for s in icb_sheets)
            sheet.put(r, 2 + y, Cell(value=True, style="bool",
                                     formula=f"=ABS({eng}-SUM({parts}))<=check_tolerance*MAX(1,ABS({eng}))"))
    last_eng = first_eng + len(_ENGLAND_CHECKED) - 1
    summary = (f"=AND({a1(head + 1, 3)}:{a1(last, 3)},{a1(head + 1, 5)}:{a1(last, 5)},"
               f"{a1(first_eng, 2)}:{a1(last_eng, 2 + T - 1)})")
    all_ok = all(sheet.cells[(r, col)].value for r in range(head + 1, last + 1) for col in (3, 5))
    sheet.text(2, 0, "All checks pass", "label_bold")
    sheet.put(2, 1, Cell(value=bool(all_ok), formula=summary, style="bool_big"))
    sheet.widths.update({0: 34, 1: 44, 2: 22, 3: 22, 4: 16, 5: 14})
    for y in range(T):
        sheet.widths.setdefault(2 + y, 14)
    sheet.freeze = (head + 1, 2)


def _about_sheet(spec: WorkbookSpec, icb_sheets: list[str], inp: Inputs) -> Sheet:
    sheet = Sheet("About", kind="text")
    from model import __version__

    lines = [
        ("ICB running-cost model: the calculation as a live workbook", "title"),
        (f"Scenario: {spec.name}. Model version {__version__}. {len(icb_sheets)} ICB sheet(s), "
         f"{inp.labels[0]} to {inp.labels[-1]}.", "text"),
        (spec.description, "note"),
        ("", "text"),
        ("How to use it", "section"),
        ("Change a yellow cell on Inputs (a pay award, the cut path, the envelope, a go-live month...) and every "
         "sheet follows: Excel recalculates at once; in LibreOffice, if a sheet looks stale, use Data > Calculate "
         "> Recalculate Hard (Ctrl+Shift+F9).", "note"),
        ("Each ICB sheet shows one quantity per row, years across, in the order of the methodology (SPEC sections "
         "3 to 5): prices, base year, core allowance, each delegated function, the allowance, costs and capacity, "
         "workforce change, real terms. Column D holds quantities with one value per ICB. Every figure is a "
         "formula on Inputs or on rows above; select a cell to see it, or use Formulas > Trace Precedents.", "note"),
        ("England sums the ICB sheets; Checks shows TRUE/FALSE live: the base year balances, England equals the "
         "sum of the ICBs, no negative WTE.", "note"),
        ("The figures equal the model's engine (icb-model run) to a relative 1e-9: the test suite recalculates "
         "workbooks with LibreOffice and compares every formula cell.", "note"),
        ("Formulas use only IF, AND, OR, NOT, MIN, MAX, ABS, INT, SUM, INDEX, MATCH, ISNUMBER, YEAR, MONTH, LEFT "
         "and VALUE: no macros, nothing volatile, the same in Excel and LibreOffice.", "note"),
        ("Units: pounds are £ in cash of each year unless marked base-year prices; staff are whole-time "
         "equivalents (WTE); shares are fractions shown as %. Populations are GP-registered lists.", "note"),
        ("", "text"),
        ("Sheets", "section"),
    ]
    row = 0
    for text, style in lines:
        if text:
            sheet.text(row, 0, text, style)
        row += 1
    for name, what in [("Inputs", "every assumption with its source; the ICB table"),
                       ("England", "the sum of the ICB sheets"), ("Checks", "live TRUE/FALSE checks")]:
        sheet.put(row, 0, Cell(value=name, style="link", link=f"internal:{quote_sheet(name)}!A1"))
        sheet.text(row, 1, what)
        row += 1
    for i, name in enumerate(icb_sheets):
        sheet.put(row, 0, Cell(value=name, style="link", link=f"internal:{quote_sheet(name)}!A1"))
        sheet.text(row, 1, f"{inp.names[i]} ({inp.regions[i]})")
        row += 1
    sheet.widths.update({0: 16, 1: 120})
    return sheet


def plan_workbook(spec: WorkbookSpec, out: dict[str, np.ndarray] | None = None) -> Plan:
    """Lay out the whole workbook for a spec; ``out`` is the engine's run of ``spec.inputs``."""
    inp = spec.inputs
    if inp.samples != 1:
        raise ValueError("a workbook shows one set of inputs; these Inputs carry several samples")
    out = engine.run(inp) if out is None else out
    builder = _InputsBuilder(spec)
    builder.build()
    icb_sheets = [safe_sheet_name(code) for code in inp.codes]
    reserved = {"about", "inputs", "england", "checks"}
    if len({s.lower() for s in icb_sheets}) != len(icb_sheets) or reserved & {s.lower() for s in icb_sheets}:
        raise ValueError(f"ICB codes do not make distinct sheet names: {', '.join(inp.codes)}")
    sheets = []
    layout = None
    for i, name in enumerate(icb_sheets):
        sheet = Sheet(name)
        this = _icb_sheet(sheet, builder.refs, inp, out, i, spec.name)
        if layout is not None and this.rows != layout.rows:
            raise AssertionError("ICB sheets must share one layout")
        layout = this
        sheets.append(sheet)
    england = Sheet("England")
    england_rows = _england_sheet(england, builder.refs, inp, out, icb_sheets, sheets[0], layout, spec.name)
    checks = Sheet("Checks")
    _checks_sheet(checks, inp, out, icb_sheets, layout, england_rows)
    about = _about_sheet(spec, icb_sheets, inp)
    return Plan(
        sheets=[about, builder.sheet, england, checks, *sheets],
        names=builder.names,
        scenario=spec.name,
        icb_sheets=dict(zip(inp.codes, icb_sheets)),
    )


# ---------------------------------------------------------------------------------------------
# Writing

_NUMBER_FORMATS: dict[str, str] = {
    "gbp": "#,##0;-#,##0",
    "gbp2": "#,##0.00;-#,##0.00",
    "wte": "#,##0.00;-#,##0.00",
    "wte_in": "0.00",
    "pct": "0.00%",
    "frac_in": "0.00%",
    "index": "0.0000",
    "pop": "#,##0",
    "int": "0",
    "year": "0",
    "num_in": "General",
    "month": "yyyy-mm",
}


def write_workbook(plan: Plan, path: Path, cached: bool = True) -> None:
    """Write a plan to ``path`` (atomically). ``cached=False`` stores no cached results, so the
    figures appear only once a spreadsheet recalculates (tests use it to prove they do)."""
    from model.output.atomic import atomic_write

    atomic_write(Path(path), lambda tmp: _write(plan, tmp, cached))


def _write(plan: Plan, path: Path, cached: bool) -> None:
    import xlsxwriter

    book = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False, "strings_to_formulas": False,
                                          "strings_to_urls": False})
    book.set_properties({"title": f"ICB running-cost model: {plan.scenario}",
                         "comments": "Every figure is a formula; see the About sheet."})
    formats: dict[tuple[str, bool], object] = {}

    def fmt(style: str, is_input: bool) -> object:
        key = (style, is_input)
        if key not in formats:
            props: dict[str, object] = {"font_name": "Arial", "font_size": 10}
            if style in _NUMBER_FORMATS:
                props["num_format"] = _NUMBER_FORMATS[style]
            if style == "title":
                props.update(bold=True, font_size=14)
            elif style in ("section", "subsection"):
                props.update(bold=True, font_color="#1F4E79", font_size=11 if style == "section" else 10)
            elif style in ("header", "header_year", "header_wrap"):
                props.update(bold=True, bg_color="#D9E1F2", bottom=1)
                if style == "header_year":
                    props["align"] = "right"
                if style == "header_wrap":
                    props.update(text_wrap=True, valign="top")
            elif style in ("unit", "symbol", "path", "small", "prov", "ref_value"):
                props.update(font_color="#595959")
                if style == "symbol":
                    props["font_name"] = "Consolas"
            elif style in ("label_bold", "code"):
                props["bold"] = True
            elif style == "bool_big":
                props.update(bold=True, font_size=12, align="center")
            elif style == "link":
                props.update(font_color="blue", underline=1)
            if is_input:
                props.update(bg_color="#FFF2CC", border=1, border_color="#BF9000")
            formats[key] = book.add_format(props)
        return formats[key]

    for sheet in plan.sheets:
        ws = book.add_worksheet(sheet.name)
        for (row, col), cell in sorted(sheet.cells.items()):
            style = fmt(cell.style, cell.input)
            if cell.formula is not None:
                value = cell.value if cached else ""
                if isinstance(value, float) and not math.isfinite(value):
                    value = ""
                ws.write_formula(row, col, cell.formula, style, value)
            elif cell.link is not None:
                ws.write_url(row, col, cell.link, style, string=str(cell.value))
            elif cell.value is None:
                ws.write_blank(row, col, None, style)
            elif isinstance(cell.value, bool):
                ws.write_boolean(row, col, cell.value, style)
            elif isinstance(cell.value, (int, float)):
                ws.write_number(row, col, float(cell.value), style)
            else:
                ws.write_string(row, col, str(cell.value), style)
            if cell.comment:
                ws.write_comment(row, col, cell.comment[:30000], {"x_scale": 3, "y_scale": 3})
        for col, width in sheet.widths.items():
            ws.set_column(col, col, width)
        if sheet.freeze:
            ws.freeze_panes(*sheet.freeze)
        for row, col, options in sheet.choices:
            ws.data_validation(row, col, row, col, {"validate": "list", "source": list(options)})
        if sheet.kind == "calc":
            ws.set_landscape()
            ws.fit_to_pages(1, 0)
    for name, ref in plan.names.items():
        book.define_name(name, ref)
    book.get_worksheet_by_name("About").activate()
    book.close()


_FUNCTION_RE = re.compile(r"([A-Z][A-Z0-9.]*)\(")


def functions_used(formula: str) -> set[str]:
    """Spreadsheet function names a formula calls (text in double quotes ignored)."""
    bare = re.sub(r'"[^"]*"', '""', formula)
    bare = re.sub(r"'[^']*'!", "X!", bare)
    return set(_FUNCTION_RE.findall(bare))
