"""The briefing as a Word document (model/output/briefing/word.py), read back with python-docx: headings,
header rows, pictures with alt text, language and page size."""

from __future__ import annotations

import io
import itertools

from tests.model.output.briefing.shared import PLACE_NAME


def test_docx_has_heading_styles_header_rows_and_charts_with_alt_text(briefing, allowance):
    import docx
    from docx.oxml.ns import qn

    document = docx.Document(io.BytesIO(briefing.docx_bytes()))
    headings = [(p.style.name, p.text) for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert headings[0] == ("Heading 1", "Running costs: NHS Greater Manchester, 2026/27")
    assert [t for s, t in headings if s == "Heading 2"][:3] == ["Key messages", "Headline figures",
                                                                "The allowance, the staff it pays for and the gap"]
    levels = [int(s.split()[-1]) for s, _ in headings]
    assert all(b - a <= 1 for a, b in itertools.pairwise(levels))
    text = "\n".join(p.text for p in document.paragraphs)
    assert PLACE_NAME in text and allowance in text
    assert len(document.tables) >= 3
    for table in document.tables:
        first = table.rows[0]._tr
        assert first.trPr is not None and first.trPr.find(qn("w:tblHeader")) is not None
        assert all(r._tr.trPr is None or r._tr.trPr.find(qn("w:tblHeader")) is None for r in table.rows[1:])
    headline = document.tables[0]
    assert [c.text for c in headline.rows[0].cells][:4] == ["Measure", "Unit", "base", "envelope_2025"]
    assert headline.rows[1].cells[2].paragraphs[0].alignment == 2  # numbers right-aligned
    shapes = document.inline_shapes
    assert len(shapes) == 3
    for shape in shapes:
        assert len(shape._inline.docPr.get("descr")) > 80
    captions = [p.text for p in document.paragraphs if p.style.name == "Caption"]
    assert [c.split(".")[0] for c in captions if c.startswith("Figure")] == ["Figure 1", "Figure 2", "Figure 3"]
    assert document.core_properties.language == "en-GB"
    assert 'w:val="en-GB"' in document.styles.element.xml
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
