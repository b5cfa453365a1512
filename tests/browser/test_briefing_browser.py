"""The board briefing's HTML in a real browser (headless Debian Chromium through Playwright): it
opens with no console errors and no request for anything outside the file, its fonts and charts
load from the file itself, and Chromium prints it to A4."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from model.output.briefing import build
from model.output.results import scenario_results
from model.scenario import load_scenario

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def html() -> str:
    scenarios = [load_scenario(name, ROOT) for name in ("base", "envelope_2025", "high_pay")]
    results = pd.concat([scenario_results(s) for s in scenarios], ignore_index=True)
    return build(results, scenarios, "QOP", created=date(2026, 11, 30)).html()


def test_briefing_opens_offline_with_no_console_errors(page, html, screenshots):
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.set_content(html, wait_until="load")
    page.evaluate("document.fonts.ready")
    assert page.console_errors == []
    assert page.outside_requests == []
    assert all(url.startswith("data:") for url in requests), requests
    assert page.evaluate("document.documentElement.lang") == "en-GB"
    assert page.title() == "Running costs: NHS Greater Manchester, 2026/27: board briefing"
    images = page.evaluate("[...document.images].map(i => [i.complete, i.naturalWidth, i.alt.length])")
    assert len(images) == 3 and all(done and width >= 1000 and alt > 80 for done, width, alt in images)
    assert page.evaluate("document.fonts.check('10pt \"Briefing Sans\"')")
    assert page.evaluate("[...document.fonts].filter(f => f.family.includes('Briefing Sans') && "
                         "f.status === 'loaded').length") == 2
    numeric = page.evaluate("getComputedStyle(document.querySelector('td.num')).textAlign")
    assert numeric == "right"
    page.screenshot(path=str(screenshots / "briefing_html.png"), full_page=True)


def test_chromium_prints_the_briefing_on_a4(page, html):
    from pypdf import PdfReader

    page.set_content(html, wait_until="load")
    page.emulate_media(media="print")
    printed = PdfReader(io.BytesIO(page.pdf(prefer_css_page_size=True, print_background=True)))
    assert 3 <= len(printed.pages) <= 10
    width, height = (float(v) * 25.4 / 72 for v in printed.pages[0].mediabox[2:])
    assert (round(width), round(height)) == (210, 297)
    assert "NHS Greater Manchester" in printed.pages[0].extract_text()
    assert page.console_errors == []


def test_briefing_meets_wcag_2_2_aa(page, html):
    """axe-core finds no WCAG 2.0, 2.1 or 2.2 A or AA violation in the briefing's HTML."""
    from tests.browser.accessibility import violations

    page.set_content(html, wait_until="load")
    assert violations(page) == []
