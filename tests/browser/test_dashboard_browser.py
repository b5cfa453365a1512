"""The dashboard in a real browser (headless Debian Chromium through Playwright).

One walk through what a finance lead does: open the page, choose an ICB and move a slider with
the keyboard, and see the headline numbers become what the engine computes; share the URL;
upload a broken scenario file and read the error; download the custom scenario and run it
through the command line; download the board briefing for what is on screen. Screenshots are
saved for people to look at.
"""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
from playwright.sync_api import expect

from dashboard.components import headline_cell
from model import engine
from model.engine.changes import Change, apply
from model.output.briefing import pdf
from model.output.compare import headline_table
from model.output.results import tabulate

ROOT = Path(__file__).resolve().parents[2]
ICB, YEAR = "QHM", "2025/26"
START = "instruction_2023"
"""The walk starts from the rules alone: in the base, 2025/26 is NHS England's published figure,
which no slider moves."""
CHECKED = ("allowance_gbp", "affordable_wte", "wte_gap", "funding_gap_gbp")
BAD_YAML = b"name: mine\nextends: base\ninflation:\n  pay_awrd: 0.05\n"


def control(kind: str, key: str) -> str:
    """CSS selector of a pattern-matching id ({"key": ..., "type": ...}, as Dash writes it)."""
    return f"[id='{json.dumps({'key': key, 'type': kind}, separators=(',', ':'))}']"


def cell(page, measure: str, scenario: str):
    return page.locator(f"#headline td[data-measure='{measure}'][data-scenario='{scenario}']")


def expected_cells(store, cut_size: int) -> dict[str, str]:
    """The custom scenario's headline cells for ICB and YEAR, computed by the engine directly:
    the START scenario's cut path scaled to ``cut_size`` percent (what the cut slider does)."""
    base = store.shipped[START]
    inputs = apply(base.inputs, [Change("running_cost_cut.path", "scale", cut_size / 30)])
    results = tabulate("custom", inputs, engine.run(inputs))
    table = headline_table(results, ["custom"], YEAR, ICB)
    return {measure: headline_cell(value, unit) for measure, value, unit in zip(
        ("allowance_gbp", "allowance_real_gbp", "real_change_vs_base", "core_real_change_vs_base",
         "affordable_wte", "required_wte", "wte_gap", "funding_gap_gbp", "core_capacity_wte",
         "redundancies_wte", "redundancy_cost_gbp"), table["custom"], table["unit"], strict=True)}


def briefing_text(data: bytes, kind: str) -> str:
    """The words of a downloaded briefing, PDF or Word, whitespace collapsed (as
    tests/briefing_text.py's file_text, which this folder cannot import)."""
    if kind == "pdf":
        from pypdf import PdfReader

        words = [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]
    else:
        from docx import Document

        document = Document(io.BytesIO(data))
        words = [p.text for p in document.paragraphs]
        words += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return " ".join(" ".join(words).split())


def test_choose_an_icb_move_a_slider_upload_and_download(page, dash_url, store, screenshots, tmp_path):
    page.goto(f"{dash_url}?start={START}")
    expect(page.locator("#view-title")).to_contain_text("England, 2025/26", timeout=30_000)
    expect(cell(page, "allowance_gbp", "custom")).to_be_visible()
    page.screenshot(path=str(screenshots / "01_england_on_load.png"), full_page=True)

    # Choose an ICB with the keyboard: focus, Enter opens the list, type to search, Enter picks.
    page.locator("#icb").focus()
    page.keyboard.press("Enter")
    page.locator(".dash-dropdown-search").fill(ICB)
    options = page.locator(".dash-dropdown-content").get_by_role("radio")
    expect(options).to_have_count(1)
    expect(options).to_have_accessible_name(re.compile(rf"\({ICB}\)"))
    page.keyboard.press("Enter")
    expect(page.locator("#view-title")).to_contain_text("North East and North Cumbria, 2025/26")
    before = expected_cells(store, 30)
    for measure in CHECKED:
        expect(cell(page, measure, "custom")).to_have_text(before[measure])
    base_allowance = cell(page, "allowance_gbp", "base").inner_text()

    # Move the cut slider 30% -> 35% with the arrow keys.
    thumb = page.locator(f"{control('control', 'cut.size')} [role=slider]")
    thumb.focus()
    for _ in range(5):
        thumb.press("ArrowRight")
    expect(page.locator(control("readout", "cut.size"))).to_have_text("35% below 2022/23")
    after = expected_cells(store, 35)
    for measure in CHECKED:
        expect(cell(page, measure, "custom")).to_have_text(after[measure])
        assert after[measure] != before[measure]
    expect(cell(page, "allowance_gbp", "base")).to_have_text(base_allowance)  # base unmoved
    expect(page.locator("#changes")).to_contain_text("35% by 2025/26")
    assert "icb=QHM" in page.url and "cut.size=35" in page.url and f"start={START}" in page.url
    page.screenshot(path=str(screenshots / "02_icb_and_slider.png"), full_page=True)

    # The URL carries the view: a new tab opened on it shows the same numbers.
    shared = page.context.new_page()
    shared.goto(page.url)
    expect(cell(shared, "allowance_gbp", "custom")).to_have_text(after["allowance_gbp"], timeout=30_000)
    shared.close()

    # A new starting scenario resets the controls to its values: envelope_2025 keeps POD budgets
    # out of the cut, and custom then equals it.
    page.locator("#start").focus()
    page.keyboard.press("Enter")
    page.locator(".dash-dropdown-search").fill("envelope")
    found = page.locator(".dash-dropdown-content").get_by_role("radio")
    expect(found).to_have_count(2)  # envelope_2025, then envelope_2025_weighted
    expect(found.first).to_have_accessible_name("envelope_2025")
    page.keyboard.press("Enter")
    expect(page.locator(control("control", "dentistry.in_scope")).locator("input")).not_to_be_checked()
    expect(page.locator(control("control", "envelope.on")).locator("input")).to_be_checked()
    expect(page.locator(control("readout", "cut.size"))).to_have_text("30% below 2022/23")
    expect(cell(page, "allowance_gbp", "custom")).to_have_text(
        cell(page, "allowance_gbp", "envelope_2025").inner_text())
    expect(page.locator("#changes")).to_contain_text("equals envelope_2025")
    page.go_back()  # the browser's back button returns to the view before
    expect(page.locator(control("readout", "cut.size"))).to_have_text("35% below 2022/23")
    expect(cell(page, "allowance_gbp", "custom")).to_have_text(after["allowance_gbp"])

    # A broken scenario file: the page shows the command line's message.
    page.locator("#upload input[type=file]").set_input_files(
        files=[{"name": "mine.yaml", "mimeType": "text/yaml", "buffer": BAD_YAML}])
    messages = page.locator("#upload-messages")
    expect(messages).to_contain_text("mine.yaml:4, inflation.pay_awrd | unknown key. Did you mean 'pay_award'?")
    expect(messages).to_contain_text("not accepted")
    messages.scroll_into_view_if_needed()
    page.locator("aside.side").screenshot(path=str(screenshots / "03_upload_error.png"))

    # The upload is keyboard-operable too: its button opens the file chooser.
    with page.expect_file_chooser() as chooser:
        page.locator("#upload-button").focus()
        page.keyboard.press("Enter")
    assert not chooser.value.is_multiple()

    # Download the custom scenario and run it through the command line, unchanged.
    with page.expect_download() as download:
        page.get_by_role("button", name="Download the custom scenario (YAML)").click()
    path = tmp_path / "custom.yaml"
    download.value.save_as(path)
    run = subprocess.run([sys.executable, "-m", "model.cli", "--root", str(ROOT), "run", str(path),
                          "--out", str(tmp_path / "out"), "--no-xlsx"], capture_output=True, text=True,
                         cwd=ROOT, timeout=120)
    assert run.returncode == 0, run.stderr
    results = pd.read_csv(tmp_path / "out" / "results.csv")
    row = results[(results["icb_code"] == ICB) & (results["year"] == YEAR)].iloc[0]
    assert row["scenario"] == "custom"
    assert headline_cell(row["allowance_gbp"] / 1e6, "£m") == after["allowance_gbp"]
    assert headline_cell(row["wte_gap"], "WTE") == after["wte_gap"]

    # The board briefing for what is on screen: the ICB, the year and the custom settings.
    button = page.get_by_role("button", name="Download board briefing (PDF)")
    with page.expect_download() as briefing:
        button.click()
    kind = "pdf" if pdf.problem() is None else "docx"  # without pango the page gives the Word file
    assert briefing.value.suggested_filename == f"briefing_{ICB}_{YEAR.replace('/', '-')}.{kind}"
    path = tmp_path / briefing.value.suggested_filename
    briefing.value.save_as(path)
    text = briefing_text(path.read_bytes(), kind)
    assert "NHS North East and North Cumbria" in text and YEAR in text
    assert f" {after['allowance_gbp'].strip('£m')} " in text  # custom's allowance (cut 35%) in Table 1
    expect(button).to_be_enabled()  # disabled only while the briefing is made
    expect(page.locator("#briefing-status")).to_contain_text(f"Downloaded {path.name}")
    page.locator(".headline .downloads").last.screenshot(path=str(screenshots / "06_briefing_download.png"))

    page.locator("#fig-waterfall").scroll_into_view_if_needed()
    expect(page.locator("#fig-waterfall .waterfalllayer .point")).to_have_count(15)  # 3 scenarios x 5 bars
    page.wait_for_timeout(600)  # let plotly finish drawing before the picture
    page.locator("#fig-waterfall").screenshot(path=str(screenshots / "04_waterfall.png"))
    page.locator("#fig-ranking").screenshot(path=str(screenshots / "05_ranking.png"))
    assert page.console_errors == []
    assert page.outside_requests == []  # everything is served locally
