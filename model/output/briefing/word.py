"""The briefing as a Word document (python-docx): what NHS board papers are mostly written in.

Real heading styles (Heading 1 to 3, so Word's navigation pane and accessibility checker see the
structure), real tables whose first row is a header row repeated on each page, numbers
right-aligned, charts as pictures with alt text and numbered captions, hyperlinks for sources,
A4 pages, British English as the document language, and text a finance lead can edit.
"""

from __future__ import annotations

import io
import re
from typing import TYPE_CHECKING

from model import __version__
from model.output.briefing import style
from model.output.briefing.content import Block, Code, Document, Figure, Heading, Items, Para, Table

if TYPE_CHECKING:  # python-docx is imported when a document is made, not with the module
    from docx.document import Document as WordDocument
    from docx.section import Section
    from docx.shared import RGBColor
    from docx.styles.style import CharacterStyle
    from docx.table import _Cell, _Row
    from docx.text.paragraph import Paragraph
    from docx.text.run import Run

FONT = "Arial"
_URL = re.compile(r"https?://[^\s<>\"]+")
_TRAILING = ".,;:)]"


def _rgb(colour: str) -> RGBColor:
    from docx.shared import RGBColor

    return RGBColor.from_string(colour.lstrip("#").upper())


def _set_font(style_or_run: CharacterStyle | Run, size: float | None = None, bold: bool | None = None,
              colour: str | None = None, name: str = FONT) -> None:
    from docx.oxml.ns import qn
    from docx.shared import Pt

    font = style_or_run.font
    font.name = name
    element = style_or_run.element
    rpr = element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.append(fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), name)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attr), None)  # a theme font would win over the one named
    if size is not None:
        font.size = Pt(size)
    if bold is not None:
        font.bold = bold
    if colour is not None:
        font.color.rgb = _rgb(colour)


def _language(document: WordDocument) -> None:
    """British English for every run (docDefaults) and in the document's properties."""
    from docx.oxml.ns import qn

    styles = document.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    rpr_default = defaults.find(qn("w:rPrDefault")) if defaults is not None else None
    rpr = rpr_default.find(qn("w:rPr")) if rpr_default is not None else None
    if rpr is None:
        return
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = rpr.makeelement(qn("w:lang"), {})
        rpr.append(lang)
    for attr in ("w:val", "w:eastAsia", "w:bidi"):
        lang.set(qn(attr), "en-GB")


def _styles(document: WordDocument) -> None:
    from docx.shared import Pt

    normal = document.styles["Normal"]
    _set_font(normal, 10, colour=style.TEXT)
    normal.paragraph_format.space_after = Pt(5)
    normal.paragraph_format.line_spacing = 1.15
    for level, size in ((1, 20), (2, 14), (3, 11.5)):
        heading = document.styles[f"Heading {level}"]
        _set_font(heading, size, bold=True, colour=style.HEADING)
        heading.font.italic = False
        heading.paragraph_format.space_before = Pt(14 if level < 3 else 10)
        heading.paragraph_format.space_after = Pt(4)
        heading.paragraph_format.keep_with_next = True
    caption = document.styles["Caption"]
    _set_font(caption, 8.5, bold=False, colour=style.TEXT)
    caption.font.italic = False
    for name in ("List Number", "List Bullet"):
        _set_font(document.styles[name], 10, colour=style.TEXT)


def _hyperlink(paragraph: Paragraph, url: str) -> None:
    """A clickable link whose text is the URL."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    rel = paragraph.part.relate_to(url, RT.HYPERLINK, is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), rel)
    run = OxmlElement("w:r")
    rpr = OxmlElement("w:rPr")
    colour = OxmlElement("w:color")
    colour.set(qn("w:val"), style.LINK.lstrip("#"))
    underline = OxmlElement("w:u")
    underline.set(qn("w:val"), "single")
    rpr.append(colour)
    rpr.append(underline)
    run.append(rpr)
    text = OxmlElement("w:t")
    text.text = url
    text.set(qn("xml:space"), "preserve")
    run.append(text)
    link.append(run)
    paragraph._p.append(link)


def _inline(paragraph: Paragraph, text: str, size: float | None = None, colour: str | None = None,
            bold: bool | None = None) -> None:
    """Runs for ``text``: `backticked` words as code, URLs as hyperlinks."""
    for i, part in enumerate(text.split("`")):
        if i % 2:
            run = paragraph.add_run(part)
            _set_font(run, size, name="Courier New")
            continue
        at = 0
        for match in _URL.finditer(part):
            url = match.group(0)
            while url and url[-1] in _TRAILING:
                url = url[:-1]
            if match.start() > at:
                _styled(paragraph.add_run(part[at:match.start()]), size, colour, bold)
            _hyperlink(paragraph, url)
            at = match.start() + len(url)
        if at < len(part):
            _styled(paragraph.add_run(part[at:]), size, colour, bold)


def _styled(run: Run, size: float | None, colour: str | None, bold: bool | None) -> None:
    from docx.shared import Pt

    if size is not None:
        run.font.size = Pt(size)
    if colour is not None:
        run.font.color.rgb = _rgb(colour)
    if bold is not None:
        run.font.bold = bold


def _shade(cell: _Cell, colour: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), colour.lstrip("#"))
    cell._tc.get_or_add_tcPr().append(shading)


def _header_row(row: _Row) -> None:
    """Mark a table row as its header row, repeated at the top of each page."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    trpr = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    trpr.append(header)
    cant_split = OxmlElement("w:cantSplit")
    trpr.append(cant_split)


def _table(document: WordDocument, table: Table) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    caption = document.add_paragraph(style="Caption")
    _styled(caption.add_run(f"Table {table.number}. "), None, None, True)
    _styled(caption.add_run(table.caption), None, None, True)
    caption.paragraph_format.keep_with_next = True
    grid = document.add_table(rows=1 + len(table.rows), cols=len(table.header))
    grid.style = document.styles["Table Grid"]
    grid.autofit = True
    _header_row(grid.rows[0])
    for j, text in enumerate(table.header):
        cell = grid.rows[0].cells[j]
        _shade(cell, style.TABLE_HEAD)
        paragraph = cell.paragraphs[0]
        _styled(paragraph.add_run(text), 8.5, style.TEXT, True)
        if table.numeric[j]:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    for i, row in enumerate(table.rows, start=1):
        for j, text in enumerate(row):
            paragraph = grid.rows[i].cells[j].paragraphs[0]
            paragraph.paragraph_format.space_after = Pt(0)
            _inline(paragraph, text, size=8.5)
            if table.numeric[j]:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    for note in table.notes:
        _inline(document.add_paragraph(), note, size=8.5, colour=style.MUTED_TEXT)


def _figure(document: WordDocument, figure: Figure) -> None:
    from docx.shared import Mm

    paragraph = document.add_paragraph()
    paragraph.paragraph_format.keep_with_next = True
    shape = paragraph.add_run().add_picture(io.BytesIO(figure.chart.png), width=Mm(figure.chart.width_mm))
    properties = shape._inline.docPr
    properties.set("descr", figure.alt)
    properties.set("title", f"Figure {figure.number}")
    caption = document.add_paragraph(style="Caption")
    _styled(caption.add_run(f"Figure {figure.number}. "), None, None, True)
    caption.add_run(figure.caption)


def _block(document: WordDocument, block: Block) -> None:
    from docx.shared import Pt

    if isinstance(block, Heading):
        document.add_heading(block.text, level=block.level)
    elif isinstance(block, Para):
        paragraph = document.add_paragraph()
        _inline(paragraph, block.text, size=8.5 if block.note else None,
                colour=style.MUTED_TEXT if block.note else None)
    elif isinstance(block, Items):
        for item in block.items:
            _inline(document.add_paragraph(style="List Number" if block.ordered else "List Bullet"), item)
    elif isinstance(block, Table):
        _table(document, block)
    elif isinstance(block, Figure):
        _figure(document, block)
    elif isinstance(block, Code):
        paragraph = document.add_paragraph()
        paragraph.paragraph_format.left_indent = Pt(8)
        run = paragraph.add_run(block.text)
        _set_font(run, 9, name="Courier New")
    else:
        raise TypeError(f"no Word form for {type(block).__name__}")


def _footer(section: Section, text: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    paragraph = section.footer.paragraphs[0]
    _styled(paragraph.add_run(f"{text} · page "), 7.5, style.MUTED_TEXT, None)
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = paragraph.add_run("1")
    _styled(run, 7.5, style.MUTED_TEXT, None)
    field.append(run._r)
    paragraph._p.append(field)


def render(doc: Document) -> bytes:
    """The .docx file's bytes."""
    from datetime import UTC, datetime

    from docx import Document as new_document
    from docx.shared import Mm, Pt

    document = new_document()
    _language(document)
    _styles(document)
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    for side in ("left_margin", "right_margin"):
        setattr(section, side, Mm(18))
    section.top_margin, section.bottom_margin = Mm(16), Mm(18)
    _footer(section, doc.footer)

    props = document.core_properties
    props.title = doc.title
    props.subject = f"{doc.kicker}: {doc.place_name}, {doc.year}"
    props.author = f"ICB running-cost model {__version__}"
    props.keywords = f"ICB; running cost allowance; {doc.place_code}; {doc.year}"
    props.language = "en-GB"
    props.comments = "Figures from the ICB running-cost model; see 'How to reproduce these figures'."
    props.created = datetime(doc.created.year, doc.created.month, doc.created.day, tzinfo=UTC)

    kicker = document.add_paragraph()
    _styled(kicker.add_run(doc.kicker), 10, style.HEADING, True)
    kicker.paragraph_format.space_after = Pt(0)
    document.add_heading(doc.title, level=1)
    for label, value in doc.facts:
        paragraph = document.add_paragraph()
        paragraph.paragraph_format.space_after = Pt(1)
        _styled(paragraph.add_run(f"{label}: "), 8.5, None, True)
        _styled(paragraph.add_run(value), 8.5, None, None)
    for block in doc.blocks:
        _block(document, block)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
