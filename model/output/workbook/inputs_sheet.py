"""The Inputs sheet: every assumption with its unit and source, in yellow cells with names.

Columns: label, path in the scenario file, unit, value (a single value), then the years (a
series, years across), then the provenance (status, source, note, set in). Each input cell gets
a defined name (``pay_share``, ``pay_award``...) that the calculation sheets' formulas use. The
go-live rules and the ICB table are laid out by :mod:`model.output.workbook.icb_table`, row by
row with :class:`~model.output.workbook.inputs_layout.InputsSheet`.
"""

from __future__ import annotations

import math

from model.output.workbook.checks import CHECK_TOLERANCE
from model.output.workbook.icb_table import go_live_rules, icb_table
from model.output.workbook.inputs_layout import I_LABEL, I_PATH, I_UNIT, I_VALUE, InputsSheet
from model.output.workbook.plan import NEVER, NO_ENVELOPE, YEAR0, Cell, month_serial
from model.output.workbook.spec import Source, WorkbookSpec
from model.periods import parse_year, year_label
from model.schema import FUNCTIONS

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


def inputs_sheet(spec: WorkbookSpec) -> InputsSheet:
    """The Inputs sheet of a spec, with its names and where the calculation sheets find things."""
    b = InputsSheet(spec)
    _heading(b)
    _parameters(b)
    go_live_rules(b)
    icb_table(b)
    _settings(b)
    return b


def _heading(b: InputsSheet) -> None:
    """Title, notes, the column headers and the years (labels and the calendar year they start)."""
    spec, sheet, T = b.spec, b.sheet, b.T
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
    for y, label in enumerate(b.inp.labels):
        sheet.text(head, YEAR0 + y, label, "header_year")
    for offset, title in enumerate(("Status", "Source", "Note", "Set in")):
        sheet.text(head, b.prov0 + offset, title, "header")
    b.refs.year_label_row = head
    b.name("year_label", head, YEAR0, last_col=YEAR0 + T - 1)
    start = head + 1
    sheet.text(start, I_LABEL, "Financial year starts in April of", "label")
    sheet.text(start, I_UNIT, "year", "unit")
    base = parse_year(b.inp.labels[0])
    for y in range(T):
        sheet.put(start, YEAR0 + y, Cell(value=float(base + y), style="year"))
    b.refs.year_start_row = start
    b.name("year_start", start, YEAR0, last_col=YEAR0 + T - 1)
    sheet.text(start, b.prov0, "the horizon of the scenario (horizon.base_year to horizon.end_year)", "prov")
    sheet.widths.update({I_LABEL: 58, I_PATH: 40, I_UNIT: 16, I_VALUE: 14})
    for y in range(T):
        sheet.widths[YEAR0 + y] = 12
    sheet.widths.update({b.prov0: 12, b.prov0 + 1: 60, b.prov0 + 2: 60, b.prov0 + 3: 34})
    sheet.freeze = (head + 1, 1)
    b.row = start + 1


def _parameters(b: InputsSheet) -> None:
    """Every parameter the formulas read, by section, except the go-live rules."""
    current = None
    for path, name, label, unit, style, section in _NUMBER_INPUTS:
        if section != current:
            b.section(section)
            current = section
        b.scalar(path, name, label, unit, b.v(path), style)

    b.section("Pay and prices (years across)")
    for path, name, label in _SERIES_INPUTS:
        b.series(path, name, label, "fraction per year" if name != "oncost_rate" else "fraction")
    row = b.scalar("real_terms.index", "real_terms_index",
                   "Real terms measured against: 'cost' (what running an ICB costs) or 'gdp_deflator'",
                   "word", b.word("real_terms.index"), "word")
    b.sheet.choices.append((row, I_VALUE, ("cost", "gdp_deflator")))
    _cut(b)
    _envelope(b)

    b.section("Workforce and non-pay")
    for path, name, label, style in _WORKFORCE_INPUTS:
        unit = "months" if name == "redundancy_months" else "fraction per year"
        b.scalar(path, name, label, unit, b.v(path), style)

    b.section("Delegated functions (pharmacy, optometry, dentistry: POD; specialised commissioning)")
    for function in FUNCTIONS:
        for key, label, style in _DELEGATION_INPUTS:
            path = f"delegation.{function}.{key}"
            value: object = b.v(path)
            if key == "in_cut_scope":
                if value not in (0.0, 1.0):
                    raise ValueError(f"{path} must be 0 or 1 in a workbook, not {value}")
                value = bool(value)
            unit = {"transfer_wte_per_100k": "WTE per 100k", "required_wte_per_100k": "WTE per 100k",
                    "nonpay_per_wte_gbp": "£ per WTE", "in_cut_scope": "TRUE/FALSE"}[key]
            b.scalar(path, f"{key.replace('_gbp', '')}_{function}", f"{function.capitalize()}: {label}",
                     unit, value, style)


def _cut(b: InputsSheet) -> None:
    """The cut: its basis, its path, the path's last year and the uplift after it."""
    b.section("The cut (cumulative, against the base year)")
    row = b.scalar("running_cost_cut.basis", "cut_basis",
                   "Basis of the cut: 'nominal' (no inflation uplift) or 'real' (uplifted by the deflator)",
                   "word", b.word("running_cost_cut.basis"), "word")
    b.sheet.choices.append((row, I_VALUE, ("nominal", "real")))
    b.series("running_cost_cut.path", "cut_path", "Cut against the base-year RCA (0.3 = 30% lower)", "fraction")
    last = year_label(parse_year(b.inp.labels[0]) + b.inp.cut_last)
    b.scalar("running_cost_cut.path", "cut_path_last_year",
             "Last year the cut path lists (after it the uplift below applies)", "year label", last, "word",
             source=_last_year_source(b.spec))
    b.scalar("running_cost_cut.post_path_uplift", "post_path_uplift",
             "Uplift a year after the cut path's last year", "fraction per year",
             b.v("running_cost_cut.post_path_uplift"), "frac_in")


def _envelope(b: InputsSheet) -> None:
    """The per-head envelope: per head, the month it takes effect (or none) and its uplift."""
    b.section("Per-head envelope (running costs and programme pay together)")
    effective = b.inp.values["running_cost_cut.envelope.effective"][0]
    has_envelope = not math.isnan(effective)
    b.scalar("running_cost_cut.envelope.per_head_gbp", "envelope_per_head", "Envelope per head",
             "£ per head", b.v("running_cost_cut.envelope.per_head_gbp"), "gbp2")
    eff_value = month_serial(effective) if has_envelope else NO_ENVELOPE
    b.scalar("running_cost_cut.envelope.effective", "envelope_effective",
             f"Month the envelope takes effect ('{NO_ENVELOPE}': no envelope)", "month", eff_value, "month")
    b.scalar("running_cost_cut.envelope.uplift", "envelope_uplift",
             "Envelope uplift a year after the year it takes effect", "fraction per year",
             b.v("running_cost_cut.envelope.uplift"), "frac_in")


def _last_year_source(spec: WorkbookSpec) -> Source:
    """The provenance of the cut path's last year: the path's, with a note on keeping it in step."""
    source = spec.sources.get("running_cost_cut.path", Source())
    return Source(source.status, source.source,
                  "The latest year listed in running_cost_cut.path (the base year when the path is one bare "
                  "number). Change it with the path if you list a later year.", source.set_in, "year label")


def _settings(b: InputsSheet) -> None:
    """The Checks sheet's tolerance, then the scenario's settings the formulas do not read."""
    b.section("Workbook setting")
    b.scalar("(workbook)", "check_tolerance", "Relative tolerance of the Checks sheet", "fraction",
             CHECK_TOLERANCE, "num_in", source=Source(note="Differences below this share of the figures "
                                                      "compared count as equal (rounding)."))
    if not b.spec.other:
        return
    b.section("Other settings of the scenario (the formulas do not read them)")
    for setting in b.spec.other:
        b.sheet.text(b.row, I_LABEL, setting.path, "label")
        b.sheet.text(b.row, I_PATH, setting.path, "path")
        b.sheet.text(b.row, I_UNIT, setting.source.unit, "unit")
        b.sheet.text(b.row, I_VALUE, setting.value, "ref_value")
        b.provenance(b.row, setting.source)
        b.row += 1
