"""The briefing as a tagged A4 PDF (model/output/briefing/pdf.py), read back with pypdf: text, pages,
images, tags, language and embedded fonts."""

from __future__ import annotations

import io
import re

import pytest

from model.output.briefing import PdfUnavailable, pdf
from tests.model.output.briefing.shared import PLACE_NAME

needs_pdf = pytest.mark.skipif(pdf.problem() is not None, reason=f"{pdf.problem()} (make system-deps installs pango)")


@needs_pdf
def test_pdf_is_tagged_a4_with_the_place_the_allowance_and_every_chart(briefing, allowance):
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(briefing.pdf_bytes()))
    assert 3 <= len(reader.pages) <= 10
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert PLACE_NAME in text and allowance == "£44.1m" and allowance in text
    assert "Key messages" in text and "How to reproduce these figures" in text
    images = {image.name: image for page in reader.pages for image in page.images}
    assert len(images) == 3
    assert all(image.image.size[0] >= 1000 for image in images.values())
    drawn = {name.decode() for page in reader.pages
             for name in re.findall(rb"/(\w+) Do", page.get_contents().get_data())}
    assert {name.removesuffix(".png") for name in images} <= drawn
    for page in reader.pages:
        width, height = (float(v) * 25.4 / 72 for v in page.mediabox[2:])
        assert (round(width), round(height)) == (210, 297)
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "en-GB"
    assert "/StructTreeRoot" in root and root["/MarkInfo"]["/Marked"]
    assert reader.metadata.title.startswith("Running costs: NHS Greater Manchester, 2026/27")


def structure(node, found: list) -> list:
    """The (type, alt text) of every element of a PDF's structure tree, depth first."""
    from pypdf.generic import ArrayObject

    node = node.get_object() if hasattr(node, "get_object") else node
    if isinstance(node, (list, ArrayObject)):
        for kid in node:
            structure(kid, found)
    elif hasattr(node, "get"):
        if node.get("/S") is not None:
            found.append((str(node["/S"]), str(node.get("/Alt", ""))))
        if node.get("/K") is not None:
            structure(node["/K"], found)
    return found


@needs_pdf
def test_pdf_tags_give_headings_tables_and_each_chart_its_alt_text(briefing):
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(briefing.pdf_bytes()))
    tags = structure(reader.trailer["/Root"]["/StructTreeRoot"], [])
    kinds = [kind for kind, _ in tags]
    assert kinds.count("/H1") == 1 and kinds.count("/H2") == 7 and "/H3" in kinds
    assert kinds.count("/Table") == kinds.count("/THead") >= 3 and "/TH" in kinds
    figures = [alt for kind, alt in tags if kind == "/Figure"]
    assert figures == [m.alt for m in briefing.document.figures]


@needs_pdf
def test_pdf_fonts_are_embedded(briefing):
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(briefing.pdf_bytes()))
    fonts = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            descriptor = font.get_object()
            descendants = descriptor.get("/DescendantFonts")
            if descendants:
                descriptor = descendants[0].get_object()
            fonts.add(any(k in descriptor["/FontDescriptor"] for k in ("/FontFile", "/FontFile2", "/FontFile3")))
    assert fonts == {True}


def test_pdf_unavailable_is_raised_by_the_library(briefing, monkeypatch):
    monkeypatch.setattr(pdf, "problem", lambda: "no pango")
    with pytest.raises(PdfUnavailable, match="no pango"):
        pdf.render("<html></html>")
