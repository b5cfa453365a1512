"""The briefing's three formats read back by real readers, and the ``icb-model briefing`` command.

The PDF is opened with pypdf (text, pages, images, tags, language), the DOCX with python-docx
(headings, header rows, pictures and their alt text, language), the HTML with the standard
library's parser (language, landmarks, headings in order, table headers, alt text, nothing
fetched). ``tests/browser/test_briefing_browser.py`` opens the HTML in Chromium.
"""

from __future__ import annotations

import io
import itertools
import json
import re
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest

from model.cli import main
from model.output.briefing import Briefing, PdfUnavailable, build, pdf, style, wording
from model.output.briefing.html import stylesheet
from model.output.results import scenario_results
from model.scenario import load_scenario
from tests.briefing_text import matches, numbers

ROOT = Path(__file__).resolve().parents[1]
needs_pdf = pytest.mark.skipif(pdf.problem() is not None, reason=f"{pdf.problem()} (make system-deps installs pango)")
PLACE, PLACE_NAME, YEAR = "QOP", "NHS Greater Manchester", "2026/27"
NAMES = ("base", "envelope_2025")


@pytest.fixture(scope="module")
def scenarios():
    return [load_scenario(name, ROOT) for name in NAMES]


@pytest.fixture(scope="module")
def results(scenarios) -> pd.DataFrame:
    return pd.concat([scenario_results(s) for s in scenarios], ignore_index=True)


@pytest.fixture(scope="module")
def briefing(results, scenarios) -> Briefing:
    return build(results, scenarios, PLACE, created=date(2026, 11, 30))


@pytest.fixture(scope="module")
def allowance(results) -> str:
    """The reference scenario's allowance for the place and year as the paper shows it."""
    row = results[(results.scenario == "base") & (results.icb_code == PLACE) & (results.year == YEAR)]
    return wording.money(float(row["allowance_gbp"].iloc[0]))


# ---------------------------------------------------------------------------------------------
# PDF


@needs_pdf
def test_pdf_is_tagged_a4_with_the_place_the_allowance_and_every_chart(briefing, allowance):
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(briefing.pdf_bytes()))
    assert 3 <= len(reader.pages) <= 10
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert PLACE_NAME in text and allowance == "£41.1m" and allowance in text
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


# ---------------------------------------------------------------------------------------------
# DOCX


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


# ---------------------------------------------------------------------------------------------
# HTML


class Outline(HTMLParser):
    """What the accessibility checks need from a page."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def test_html_is_one_accessible_self_contained_file(briefing):
    page = briefing.html()
    outline = Outline()
    outline.feed(page)
    tags = outline.tags
    assert tags[0] == ("html", {"lang": "en-GB"})
    names = [t for t, _ in tags]
    assert {"header", "main", "footer", "title"} <= set(names) and names.count("h1") == 1
    levels = [int(t[1]) for t in names if re.fullmatch(r"h[1-6]", t)]
    assert levels[0] == 1 and all(b - a <= 1 for a, b in itertools.pairwise(levels))
    images = [a for t, a in tags if t == "img"]
    assert len(images) == 3 and all(a["src"].startswith("data:image/png;base64,") and len(a["alt"]) > 80
                                    for a in images)
    assert all(a.get("scope") in ("col", "row") for t, a in tags if t == "th")
    assert names.count("caption") == names.count("table") and names.count("figcaption") == 3
    for tag, attrs in tags:
        assert tag not in ("script", "link", "iframe", "object")
        for key in ("src", "srcset", "data"):
            assert not attrs.get(key) or attrs[key].startswith("data:"), (tag, attrs)
    assert not re.search(r"url\((?!data:)", page)
    assert "@font-face" in page and "size: A4" in page


def test_every_number_in_the_key_messages_is_in_results_csv(briefing, results):
    table = results[(results.icb_code == PLACE) & (results.year == YEAR)]
    pool = {"gbp": [], "wte": [], "fraction": []}
    for _, row in table.iterrows():
        pool["gbp"] += [row[c] for c in ("allowance_gbp", "funding_gap_gbp", "redundancy_cost_gbp")]
        pool["wte"] += [row[c] for c in ("affordable_wte", "required_wte", "wte_gap", "core_capacity_wte",
                                         "required_core_wte", "redundancies_wte")]
        pool["fraction"] += [row["real_change_vs_base"]]
    base = results[(results.icb_code == PLACE) & (results.scenario == "base") & (results.year <= YEAR)]
    pool["wte"].append(base["redundancies_wte"].sum())
    pool["gbp"].append(base["redundancy_cost_gbp"].sum())
    for message in briefing.messages:
        for shown in numbers(message, (*NAMES, PLACE_NAME)):
            assert any(matches(shown, value, 0.01) for value in pool[shown.kind]), (shown, message)


def test_every_text_colour_in_the_stylesheet_meets_wcag_aa():
    """Each CSS rule's text colour against its own background (white where it sets none; the
    title band's white text against the band; code on its pale grey)."""
    for selector, body in re.findall(r"([^{}]+)\{([^{}]*)\}", stylesheet()):
        colour = re.search(r"(?<![-\w])color:\s*(#[0-9A-Fa-f]{6})", body)
        if not colour:
            continue
        background = re.search(r"background:\s*(#[0-9A-Fa-f]{6})", body)
        behind = background.group(1) if background else (style.BAND if "band" in selector else style.NHS_WHITE)
        assert style.contrast(colour.group(1), behind) >= 4.5, selector.strip()
    for what, text, background in style.TEXT_PAIRS:
        assert style.contrast(text, background) >= 4.5, what
    for colour in style.SCENARIO_COLOURS:
        assert style.contrast(colour, style.NHS_WHITE) >= 3.0, colour


# ---------------------------------------------------------------------------------------------
# The command


@needs_pdf
def test_command_writes_the_three_formats_results_and_a_manifest(tmp_path, capsys):
    out = tmp_path / "brief"
    assert main(["--root", str(ROOT), "briefing", *NAMES, "--icb", "qop", "--out", str(out)]) == 0
    said = capsys.readouterr()
    assert "Board briefing for NHS Greater Manchester, 2026/27: base, envelope_2025." in said.out
    files = {p.name for p in out.iterdir()}
    assert files == {"briefing.html", "briefing.pdf", "briefing.docx", "results.csv", "briefing_manifest.json"}
    manifest = json.loads((out / "briefing_manifest.json").read_text())
    assert manifest["place"] == PLACE and manifest["year"] == YEAR and manifest["pdf_problem"] is None
    import hashlib

    for name, record in manifest["files"].items():
        assert hashlib.sha256((out / name).read_bytes()).hexdigest() == record["sha256"]
    written = pd.read_csv(out / "results.csv")
    assert set(written["icb_code"]) == {PLACE} and set(written["scenario"]) == set(NAMES)
    assert not [p for p in out.iterdir() if p.name.startswith(".")]


def test_command_without_a_pdf_library_still_writes_html_and_docx(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(pdf, "problem", lambda: "WeasyPrint is not installed (pip install weasyprint); the PDF "
                                                "was not written")
    out = tmp_path / "brief"
    assert main(["--root", str(ROOT), "briefing", "base", "--icb", "ENG", "--year", "2025/26", "--out", str(out)]) == 0
    assert {p.name for p in out.iterdir()} == {"briefing.html", "briefing.docx", "results.csv",
                                               "briefing_manifest.json"}
    assert "icb-model: note: WeasyPrint is not installed" in capsys.readouterr().err
    assert "England (42 ICBs)" in (out / "briefing.html").read_text()


def test_pdf_unavailable_is_raised_by_the_library(briefing, monkeypatch):
    monkeypatch.setattr(pdf, "problem", lambda: "no pango")
    with pytest.raises(PdfUnavailable, match="no pango"):
        pdf.render("<html></html>")


@pytest.mark.parametrize(("args", "message"), [
    (["--icb", "XYZ"], "--icb: ICB 'XYZ' is not in the results of base"),
    (["--year", "2040/41"], "--year: year '2040/41' is not in the results of every scenario"),
])
def test_command_refuses_a_place_or_year_not_in_the_results(tmp_path, capsys, args, message):
    assert main(["--root", str(ROOT), "briefing", "base", *args, "--out", str(tmp_path / "x")]) == 2
    assert message in capsys.readouterr().err
    assert not (tmp_path / "x").exists()


def test_default_year_is_the_last_when_the_horizon_ends_before_2026_27(results, scenarios):
    early = results[results["year"] <= "2025/26"]
    assert build(early, scenarios, PLACE).year == "2025/26"
    assert build(results, scenarios, PLACE, "2024/25").document.title.endswith("2024/25")


def test_briefings_can_be_made_in_threads(results, scenarios):
    """The dashboard serves downloads from several threads: briefings made at once equal one made alone."""
    from concurrent.futures import ThreadPoolExecutor

    def make(place: str) -> tuple[str, bytes]:
        made = build(results, scenarios, place, created=date(2026, 11, 30))
        return made.html(), made.docx_bytes()

    alone = make("QE1")
    with ThreadPoolExecutor(3) as pool:
        together = list(pool.map(make, ["QE1", "QOP", "QE1"]))
    assert together[0][0] == alone[0] == together[2][0]
    assert "NHS Greater Manchester" in together[1][0]
