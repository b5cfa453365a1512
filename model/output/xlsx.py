"""A small writer of XLSX workbooks (Office Open XML spreadsheets, ECMA-376) for tables: text,
numbers and true/false, bold rows or columns, column widths, wrapped columns and frozen panes.

Why not pandas' ``to_excel`` or xlsxwriter: they hand every cell through several layers of
Python (about 20 microseconds a cell); this writes each cell's XML directly, so the 130,000
cells of ``results.xlsx`` take about a tenth of a second instead of two. The file is the same
every time for the same cells (no timestamps), so its sha256 in a manifest is reproducible.

Text is always written as text (an inline string: a workbook built here holds no formula), and
text that a spreadsheet would take for the start of a formula (``=``, ``+``, ``-``, ``@``, tab,
carriage return: OWASP's rule for formula injection) also carries Excel's *quote prefix*, so it
stays text when someone edits the cell. Sheet names are made legal and unique by
:func:`sheet_names`.
"""

from __future__ import annotations

import math
import re
import zipfile
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache
from io import BytesIO
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

import numpy as np

from model.output.atomic import Written, atomic_write

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
"""Characters that make a spreadsheet read text as a formula (OWASP, CSV injection)."""

MAX_SHEET_NAME = 31
"""Excel's longest sheet name, in characters."""

MAX_TEXT = 32_767
"""Excel's longest text in a cell, in characters; longer text is cut to this."""

_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\\x00-\x1f]")
_XML_ILLEGAL = re.compile(r"_x[0-9A-Fa-f]{4}_|[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")

_ENTITIES = {"\r": "&#13;"}
"""Beyond &, < and >: a carriage return, which XML would otherwise read as a line feed."""

# Cell formats (indexes into styles.xml's cellXfs): plain, bold, wrapped; each + 3 with the quote prefix.
_PLAIN, _BOLD, _WRAP, _QUOTED = 0, 1, 2, 3
_ATTRIBUTE = ["", *(f' s="{n}"' for n in range(1, 6))]
"""A cell's style attribute, by format."""


@dataclass(frozen=True)
class Sheet:
    """One worksheet: its rows of cells, top row first, and how it looks.

    A cell is text, a number (Python's or numpy's), true/false or nothing (None or NaN: an empty
    cell); anything else is written as its text (``str``).

    ``widths`` maps a column (0 is A) to its width in characters; ``freeze`` is the number of
    rows and columns kept in view at the top left. A cell in a bold row or column is bold; a
    cell in a wrapped column wraps its text and sits at the top of its row.
    """

    name: str
    rows: Sequence[Sequence[object]]
    bold_rows: Collection[int] = ()
    bold_columns: Collection[int] = ()
    wrap_columns: Collection[int] = ()
    widths: Mapping[int, float] = field(default_factory=dict)
    freeze: tuple[int, int] = (0, 0)


def looks_like_formula(text: str) -> bool:
    """Whether a spreadsheet could take this text for a formula: it starts with one of
    :data:`FORMULA_START` and is not a plain number (``-0.01`` is a number, ``-1+2`` is not)."""
    return text.startswith(FORMULA_START) and _NUMBER.fullmatch(text) is None


def sheet_names(wanted: Sequence[str], taken: Iterable[str] = ()) -> list[str]:
    """A legal, unique sheet name for each of ``wanted``, in order, none equal to one of ``taken``
    (Excel compares names without regard to case).

    A legal name has 1 to 31 characters, none of ``[]:*?/\\`` or control characters (each
    becomes ``_``), does not begin or end with an apostrophe and is not ``History`` (Excel keeps
    that name). A name made unique gets `` (2)``, `` (3)``... at the end, cut to fit. The
    mapping from wanted names to sheets is not reversible from the sheet names alone: write it
    down (results.xlsx lists it on its README sheet).
    """
    used = {name.lower() for name in taken}
    out = []
    for name in wanted:
        clean = _SHEET_FORBIDDEN.sub("_", name).strip("'")[:MAX_SHEET_NAME].strip("'") or "sheet"
        if clean.lower() == "history":
            clean = "History_"
        candidate, n = clean, 2
        while candidate.lower() in used:
            suffix = f" ({n})"
            candidate, n = clean[: MAX_SHEET_NAME - len(suffix)].rstrip("'") + suffix, n + 1
        used.add(candidate.lower())
        out.append(candidate)
    return out


def write(path: Path, sheets: Sequence[Sheet]) -> Written:
    """Write a workbook of ``sheets`` (in tab order) to ``path``, atomically."""
    data = workbook_bytes(sheets)
    return atomic_write(path, lambda tmp: tmp.write_bytes(data))


def workbook_bytes(sheets: Sequence[Sheet]) -> bytes:
    """The XLSX file of ``sheets``, as bytes. Sheet names must be legal and unique (see
    :func:`sheet_names`); a ValueError says which is not."""
    names = [sheet.name for sheet in sheets]
    if not sheets or sheet_names(names) != names:
        raise ValueError(f"sheet names must be legal and unique, such as sheet_names() makes; got {names}")
    parts = {
        "[Content_Types].xml": _content_types(len(sheets)),
        "_rels/.rels": _ROOT_RELS,
        "docProps/app.xml": _APP,
        "docProps/core.xml": _CORE,
        "xl/workbook.xml": _workbook(names),
        "xl/_rels/workbook.xml.rels": _workbook_rels(len(sheets)),
        "xl/styles.xml": _STYLES,
    }
    for n, sheet in enumerate(sheets, start=1):
        parts[f"xl/worksheets/sheet{n}.xml"] = _worksheet(sheet, selected=n == 1)
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in parts.items():  # each part's own level (the archive's is not applied to a ZipInfo)
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            archive.writestr(info, text.encode("utf-8"), zipfile.ZIP_DEFLATED, compresslevel=1)
    return buffer.getvalue()


# --- worksheets ----------------------------------------------------------------------------------


@cache
def column_letter(index: int) -> str:
    """A column's letters: 0 is A, 25 is Z, 26 is AA; kept once worked out (the audit workbook
    refers to a few dozen columns some 100,000 times)."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _worksheet(sheet: Sheet, selected: bool) -> str:
    n_cols = max((len(row) for row in sheet.rows), default=0)
    letters = [column_letter(c) for c in range(max(n_cols, *sheet.widths.keys(), *sheet.wrap_columns, 0) + 1)]
    bold_rows, bold_cols, wrap_cols = set(sheet.bold_rows), set(sheet.bold_columns), set(sheet.wrap_columns)
    column_style = [_WRAP if c in wrap_cols else _BOLD if c in bold_cols else _PLAIN for c in range(len(letters))]
    bold_style = [_BOLD] * len(letters)
    body = [_row(row, str(r + 1), bold_style if r in bold_rows else column_style, letters)
            for r, row in enumerate(sheet.rows)]
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<worksheet xmlns="{_MAIN}" xmlns:r="{_RELATIONSHIPS}">'
        f"<sheetViews>{_view(sheet.freeze, selected)}</sheetViews>"
        '<sheetFormatPr defaultRowHeight="15"/>'
        f"{_columns(sheet.widths, column_style)}"
        f"<sheetData>{''.join(body)}</sheetData>"
        '<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>'
        "</worksheet>"
    )


def _row(row: Sequence[object], number: str, styles: list[int], letters: list[str]) -> str:
    """One row's XML. A finite float, the commonest cell, is written here; the rest by :func:`_cell`."""
    cells = [
        f'<c r="{letters[c]}{number}"{_ATTRIBUTE[styles[c]]}><v>{value!r}</v></c>'
        if type(value) is float and value - value == 0.0 else _cell(value, letters[c] + number, styles[c])
        for c, value in enumerate(row)
    ]
    return f'<row r="{number}">{"".join(cells)}</row>'


def _cell(value: object, ref: str, style: int) -> str:
    """One cell's XML: nothing for None, NaN or empty text; true/false is tested before whole
    numbers (True is an int); anything else is written as its text."""
    if isinstance(value, str):
        return f'<c r="{ref}"{_text(value, style)}' if value else ""
    if value is None:
        return ""
    if isinstance(value, (bool, np.bool_)):
        return f'<c r="{ref}"{_ATTRIBUTE[style]} t="b"><v>{int(value)}</v></c>'
    if isinstance(value, (int, np.integer)):
        return f'<c r="{ref}"{_ATTRIBUTE[style]}><v>{int(value)}</v></c>'
    if isinstance(value, (float, np.floating)):
        number = float(value)
        if math.isfinite(number):
            return f'<c r="{ref}"{_ATTRIBUTE[style]}><v>{number!r}</v></c>'
        return "" if math.isnan(number) else f'<c r="{ref}"{_text("inf" if number > 0 else "-inf", style)}'
    return f'<c r="{ref}"{_text(str(value), style)}'


@lru_cache(maxsize=65_536)
def _text(text: str, style: int) -> str:
    """A text cell's XML after its reference: style, type and the inline string (cached, since
    tables repeat their codes, names and years)."""
    if looks_like_formula(text):
        style += _QUOTED
    text = _XML_ILLEGAL.sub(lambda m: f"_x{ord(m.group()):04X}_" if len(m.group()) == 1 else "_x005F" + m.group(),
                            text[:MAX_TEXT])
    space = ' xml:space="preserve"' if text != text.strip() else ""
    return f'{_ATTRIBUTE[style]} t="inlineStr"><is><t{space}>{escape(text, _ENTITIES)}</t></is></c>'


def _view(freeze: tuple[int, int], selected: bool) -> str:
    """The sheet view: which tab is selected, and the frozen panes."""
    tab = ' tabSelected="1"' if selected else ""
    rows, cols = freeze
    if not rows and not cols:
        return f'<sheetView{tab} workbookViewId="0"/>'
    corner = f"{column_letter(cols)}{rows + 1}"
    pane = "bottomRight" if rows and cols else "bottomLeft" if rows else "topRight"
    split = (f' xSplit="{cols}"' if cols else "") + (f' ySplit="{rows}"' if rows else "")
    return (f'<sheetView{tab} workbookViewId="0"><pane{split} topLeftCell="{corner}" activePane="{pane}" '
            f'state="frozen"/><selection pane="{pane}" activeCell="{corner}" sqref="{corner}"/></sheetView>')


def _columns(widths: Mapping[int, float], styles: list[int]) -> str:
    """Column widths (in characters, as Excel stores them for its default font) and styles."""
    entries = []
    for c, style in enumerate(styles):
        if c not in widths and style == _PLAIN:
            continue
        width = widths.get(c, 8.43)
        stored = math.floor(width * 7 + 5 + 0.5) / 7  # pixels of Calibri 11 digits plus padding, as Excel stores
        styled = f' style="{style}"' if style else ""
        entries.append(f'<col min="{c + 1}" max="{c + 1}" width="{stored:.8g}" customWidth="1"{styled}/>')
    return f"<cols>{''.join(entries)}</cols>" if entries else ""


# --- the package around the sheets ---------------------------------------------------------------

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PACKAGE_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'

_ROOT_RELS = (
    f'{_HEAD}<Relationships xmlns="{_PACKAGE_RELS}">'
    f'<Relationship Id="rId1" Type="{_RELATIONSHIPS}/officeDocument" Target="xl/workbook.xml"/>'
    f'<Relationship Id="rId2" Type="{_PACKAGE_RELS}/metadata/core-properties" Target="docProps/core.xml"/>'
    f'<Relationship Id="rId3" Type="{_RELATIONSHIPS}/extended-properties" Target="docProps/app.xml"/>'
    "</Relationships>"
)

_APP = (
    f'{_HEAD}<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
    "<Application>ICB running-cost model</Application></Properties>"
)

_CORE = (
    f'{_HEAD}<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:creator>ICB running-cost model</dc:creator></cp:coreProperties>'
)

_STYLES = (
    f'{_HEAD}<styleSheet xmlns="{_MAIN}">'
    '<fonts count="2"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill>'
    "</fills>"
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="6">'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" applyAlignment="1">'
    '<alignment vertical="top" wrapText="1"/></xf>'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" quotePrefix="1"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1" quotePrefix="1"/>'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" applyAlignment="1" quotePrefix="1">'
    '<alignment vertical="top" wrapText="1"/></xf>'
    "</cellXfs>"
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)


def _content_types(n_sheets: int) -> str:
    sheet = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
    overrides = "".join(f'<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="{sheet}"/>'
                        for n in range(1, n_sheets + 1))
    return (
        f'{_HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/styles.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
        f"{overrides}"
        '<Override PartName="/docProps/core.xml" '
        'ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
        '<Override PartName="/docProps/app.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>'
        "</Types>"
    )


def _workbook(names: list[str]) -> str:
    sheets = "".join(f"<sheet name={quoteattr(name)} sheetId=\"{n}\" r:id=\"rId{n}\"/>"
                     for n, name in enumerate(names, start=1))
    return (f'{_HEAD}<workbook xmlns="{_MAIN}" xmlns:r="{_RELATIONSHIPS}">'
            f"<bookViews><workbookView/></bookViews><sheets>{sheets}</sheets></workbook>")


def _workbook_rels(n_sheets: int) -> str:
    sheets = "".join(f'<Relationship Id="rId{n}" Type="{_RELATIONSHIPS}/worksheet" Target="worksheets/sheet{n}.xml"/>'
                     for n in range(1, n_sheets + 1))
    styles = f'<Relationship Id="rId{n_sheets + 1}" Type="{_RELATIONSHIPS}/styles" Target="styles.xml"/>'
    return f'{_HEAD}<Relationships xmlns="{_PACKAGE_RELS}">{sheets}{styles}</Relationships>'
