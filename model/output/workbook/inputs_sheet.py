"""The Inputs sheet: every engine input with its unit and source, in yellow cells with names.

The parameters come from the schema: every array the engine reads (``INPUT_KEYS``) is laid out
once, in schema order, under its section's label, with the schema's label, unit text and
description. What is the workbook's own is decided by rule: the defined name of each input
cell (the path less its section: :func:`~model.output.workbook.inputs_layout.input_name`), its
cell style (by unit) and the few words only the sheet needs (the words a cell accepts; that a
rate's base-year value is not used).

Columns: label, path in the scenario file, unit, value (a single value), then the years (a
series, years across), then the provenance (status, source, note, set in). The go-live rules and
the ICB table are laid out by :mod:`model.output.workbook.icb_table`, the organisation changes
and pieces by :mod:`model.output.workbook.pieces_table`, the published allowances by
:mod:`model.output.workbook.published_table`, row by row with
:class:`~model.output.workbook.inputs_layout.InputsSheet`.
"""

from __future__ import annotations

import math

from model.engine.inputs import INPUT_KEYS, InputKey
from model.output.workbook.checks import CHECK_TOLERANCE
from model.output.workbook.icb_table import go_live_rules, icb_table
from model.output.workbook.inputs_layout import I_LABEL, I_PATH, I_UNIT, I_VALUE, InputsSheet, input_name
from model.output.workbook.pieces_table import organisation_changes
from model.output.workbook.plan import NEVER, NO_ENVELOPE, YEAR0, Cell, month_serial
from model.output.workbook.published_table import published_table
from model.output.workbook.spec import Source, WorkbookSpec
from model.periods import parse_year, year_label
from model.schema import FUNCTIONS, spec_for

_UNIT_STYLES: dict[str, str] = {
    "fraction": "frac_in", "fraction per year": "frac_in", "gbp per head": "gbp2", "gbp per wte": "gbp2",
    "wte per 100k": "wte_in", "months": "num_in", "month": "month",
}
"""The cell style (number format) of an input by its unit id in the schema."""
_KIND_STYLES: dict[str, str] = {"word": "word", "flag": "bool"}
"""The cell style of the inputs that have no unit: words (a drop-down) and flags."""
_KIND_UNITS: dict[str, str] = {"word": "word", "flag": "TRUE/FALSE"}
"""What the unit column says for them."""


def inputs_sheet(spec: WorkbookSpec) -> InputsSheet:
    """The Inputs sheet of a spec, with its names and where the calculation sheets find things."""
    b = InputsSheet(spec)
    _heading(b)
    _parameters(b)
    go_live_rules(b)
    organisation_changes(b, icb_table(b))
    published_table(b)
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


def _sheet_order() -> list[InputKey]:
    """The engine inputs the parameter rows show, in schema order with a delegated function's
    keys together; the go-lives are left to the go-live rules and the ICB table."""
    sections = list(dict.fromkeys(key.path.split(".")[0] for key in INPUT_KEYS))

    def place(key: InputKey) -> tuple[int, int]:
        parts = key.path.split(".")
        return sections.index(parts[0]), FUNCTIONS.index(parts[1]) if parts[0] == "delegation" else 0

    return sorted((key for key in INPUT_KEYS if key.shape != "go_live"), key=place)


def _parameters(b: InputsSheet) -> None:
    """Every engine input but the go-lives, each under its section's label and description (and
    a nested section's, such as the envelope); the cut path's last year follows the cut path."""
    section = nested = ""
    for key in _sheet_order():
        top, parent = key.path.split(".")[0], key.path.rsplit(".", 1)[0]
        if top != section:
            section = top
            b.section(*_schema_words(top))
        if parent != top and top != "delegation" and parent != nested:
            nested = parent
            b.section(*_schema_words(parent), "subsection")
        _parameter(b, key)
        if key.path == "running_cost_cut.path":
            _cut_path_last_year(b)


def _parameter(b: InputsSheet, key: InputKey) -> None:
    """One engine input's row: schema label, path, unit text, value(s), provenance."""
    spec, name = key.spec, input_name(key.path)
    unit = _KIND_UNITS.get(key.shape) or spec.unit_info.text
    style = _KIND_STYLES.get(key.shape) or _UNIT_STYLES[str(spec.unit)]
    about = _schema_words(key.path)[1]
    if key.shape == "series":
        b.series(key.path, name, _label(key), unit, style, about=about)
    else:
        row = b.scalar(key.path, name, _label(key), unit, _value(b, key), style, about=about)
        if key.shape == "word":
            b.sheet.choices.append((row, I_VALUE, spec.choices))
    b.engine_inputs.append((key.path, name))


def _label(key: InputKey) -> str:
    """The schema's label, after the function's name for a delegated function, with what only
    the sheet needs to say: the words a cell takes, and that a rate's base-year value is unused."""
    label = _schema_label(key.path)
    if key.shape == "word":
        label += ": " + " or ".join(f"'{choice}'" for choice in key.spec.choices)
    elif key.shape == "month" and key.in_envelope:
        label += f" ('{NO_ENVELOPE}': no envelope)"
    elif key.shape == "series" and key.spec.unit == "fraction per year":
        label += " (the base year's is not used)"
    return label


def _value(b: InputsSheet, key: InputKey) -> object:
    """What a single-valued input's cell holds: a number, a word, TRUE/FALSE, or a month (a
    spreadsheet date, or a word for none)."""
    value = b.v(key.path)
    if key.shape in ("word", "flag"):
        if value not in (0.0, 1.0):
            raise ValueError(f"{key.path} must be 0 or 1 in a workbook, not {value}")
        return key.spec.choices[int(value)] if key.shape == "word" else bool(value)
    if key.shape == "month":
        if math.isnan(value):
            return NO_ENVELOPE if key.in_envelope else NEVER
        return month_serial(value)
    return value


def _schema_label(path: str) -> str:
    """The schema's label of a key, after the function's name for a delegated function's key;
    for an uncertainty entry, the label of the parameter it varies."""
    parts = path.split(".")
    if parts[0] == "uncertainty" and spec_for(".".join(parts[1:])) is not None:
        return f"Distribution: {_schema_label('.'.join(parts[1:]))}"
    label = _schema_words(path)[0]
    if parts[0] == "delegation" and len(parts) > 2:
        return f"{parts[1].capitalize()}: {label}"
    return label


def _schema_words(path: str) -> tuple[str, str]:
    """The schema's label and description of a key (the path and nothing for a key it lacks),
    with the description's code quotes (backticks) as the sheet's quotes."""
    spec = spec_for(path)
    return (path, "") if spec is None else (spec.label, spec.description.replace("`", "'"))


def _cut_path_last_year(b: InputsSheet) -> None:
    """The last year the cut path lists (a year label): the post-path uplift applies after it."""
    source = b.spec.sources.get("running_cost_cut.path", Source())
    note = ("The latest year listed in running_cost_cut.path (the base year when the path is one bare number). "
            "Change it with the path if you list a later year.")
    last = year_label(parse_year(b.inp.labels[0]) + b.inp.cut_last)
    b.scalar("running_cost_cut.path (last year listed)", "cut_path_last_year",
             "Last year the cut path lists (after it the uplift below applies)", "year label", last, "word",
             source=Source(source.status, source.source, note, source.set_in, "year label"))


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
        b.sheet.text(b.row, I_LABEL, _schema_label(setting.path), "label")
        b.sheet.text(b.row, I_PATH, setting.path, "path")
        b.sheet.text(b.row, I_UNIT, setting.source.unit, "unit")
        b.sheet.text(b.row, I_VALUE, setting.value, "ref_value")
        b.provenance(b.row, setting.source)
        b.row += 1
