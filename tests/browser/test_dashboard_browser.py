"""The dashboard in a real browser (headless Debian Chromium through Playwright).

One walk through what a finance lead does, from the base (published allowances as facts): open
the page, type the name of an ICB of April 2026 and read what it was formed from and which
figures are published; move the further cut with the keyboard and enter an allowance already
known for 2026/27, and see the headline numbers become what a scenario file written by hand
gives; share the URL; download the custom scenario and run it through the command line; download
the board briefing; choose a former ICB and see the footprint follow; change the start and go
back; upload a broken scenario file and read the error. Screenshots are saved for people to look
at.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
from playwright.sync_api import expect

from dashboard.components import headline_cell
from model.output.briefing import pdf
from model.output.compare import headline_table
from model.output.results import scenario_results
from tests.briefing_text import file_text

ROOT = Path(__file__).resolve().parents[2]
ICB, YEAR = "S0E4D", "2027/28"
"""NHS Thames Valley, formed on 1 April 2026, in the first year the further cut reaches."""
KNOWN_YEAR, KNOWN_GBP_M = "2026/27", "35.5"
CHECKED = ("allowance_gbp", "affordable_wte", "wte_gap", "funding_gap_gbp")
BAD_YAML = b"name: mine\nextends: base\ninflation:\n  pay_awrd: 0.05\n"
MEASURES = ("allowance_gbp", "allowance_real_gbp", "real_change_vs_base", "core_real_change_vs_base",
            "affordable_wte", "required_wte", "wte_gap", "funding_gap_gbp", "core_capacity_wte",
            "redundancies_wte", "redundancy_cost_gbp")


def control(kind: str, key: str) -> str:
    """CSS selector of a pattern-matching id ({"key": ..., "type": ...}, as Dash writes it)."""
    return f"[id='{json.dumps({'key': key, 'type': kind}, separators=(',', ':'))}']"


def cell(page, measure: str, scenario: str):
    return page.locator(f"#headline td[data-measure='{measure}'][data-scenario='{scenario}']")


def expected_cells(store, further: int, known_gbp: float | None = None) -> dict[str, str]:
    """The custom scenario's headline cells for ICB and YEAR, computed without the dashboard: a
    scenario file written here by hand (the base's 70% kept, times 1 - further x ramp after
    2025/26; the known allowance as a published figure), loaded and run like any scenario."""
    kept = {"2026/27": 0.7 * (1 - further / 200), "2027/28": 0.7 * (1 - further / 100)}
    text = "name: custom\nextends: base\nrunning_cost_cut:\n  path:\n" + "".join(
        f"    {year}: {1 - value!r}\n" for year, value in kept.items())
    if known_gbp is not None:
        text += f"allowance:\n  published:\n    figures:\n      {ICB}:\n        {KNOWN_YEAR}: {known_gbp!r}\n"
    results = scenario_results(store.load_text(text, "by_hand.yaml"))
    table = headline_table(results, ["custom"], YEAR, ICB)
    return {measure: headline_cell(value, unit) for measure, value, unit in zip(
        MEASURES, table["custom"], table["unit"], strict=True)}


def choose(page, selector: str, typed: str, count: int = 1) -> None:
    """Pick from a searchable drop-down with the keyboard: focus, Enter opens it, type, Enter picks."""
    page.locator(selector).focus()
    page.keyboard.press("Enter")
    page.locator(".dash-dropdown-search").fill(typed)
    expect(page.locator(".dash-dropdown-content").get_by_role("radio")).to_have_count(count)
    page.keyboard.press("Enter")


def test_choose_an_icb_move_a_slider_upload_and_download(page, dash_url, store, screenshots, tmp_path):
    page.goto(dash_url)
    expect(page.locator("#view-title")).to_contain_text("England, 2025/26", timeout=30_000)
    expect(cell(page, "allowance_gbp", "custom")).to_be_visible()
    expect(page.locator("#published-section")).to_contain_text("fell 18.0% in cash from 2023/24 to 2024/25")
    page.screenshot(path=str(screenshots / "01_england_on_load.png"), full_page=True)

    # Choose an ICB of April 2026 by typing its name: its page says what it was formed from.
    choose(page, "#icb", "Thames Valley")
    expect(page.locator("#view-title")).to_contain_text("NHS Thames Valley, 2025/26")
    expect(page.locator("#place-info")).to_contain_text(
        "formed from QU9 NHS Buckinghamshire, Oxfordshire and Berkshire West (all of it) and QNQ NHS Frimley "
        "(58.787% of it)")
    expect(page.locator("#place-info")).to_contain_text("Need index 0.88")
    # 2025/26 is a sum of its predecessors' published figures: marked so in the table and the chart.
    expect(cell(page, "allowance_basis", "base")).to_have_text("restated (sum of published)")
    symbols = page.evaluate("document.querySelector('#fig-allowance .js-plotly-plot').data[0].marker.symbol")
    assert symbols[1:4] == ["circle"] * 3 and symbols[0] == symbols[4] == "circle-open"  # back-cast, projected
    expect(page.locator("#fig-allowance .annotation-text").filter(has_text="formed April 2026")).to_have_count(2)

    choose(page, "#year", YEAR)
    expect(page.locator("#view-title")).to_contain_text(f"NHS Thames Valley, {YEAR}")
    base_allowance = cell(page, "allowance_gbp", "base").inner_text()
    before = expected_cells(store, 0)
    for measure in CHECKED:
        expect(cell(page, measure, "custom")).to_have_text(before[measure])

    # A further cut after the published years, 0% -> 10% by 2027/28, with the arrow keys.
    expect(page.locator(control("control-block", "cut.size"))).to_be_hidden()  # the base uses published figures
    thumb = page.locator(f"{control('control', 'cut.further')} [role=slider]")
    thumb.focus()
    for _ in range(10):
        thumb.press("ArrowRight")
    expect(page.locator(control("readout", "cut.further"))).to_have_text("10% below 2025/26")
    after = expected_cells(store, 10)
    for measure in CHECKED:
        expect(cell(page, measure, "custom")).to_have_text(after[measure])
        assert after[measure] != before[measure]
    expect(cell(page, "allowance_gbp", "base")).to_have_text(base_allowance)  # base unmoved
    expect(page.locator("#changes")).to_contain_text("10% below 2025/26 by 2027/28 (in cash)")

    # An allowance already known for 2026/27: the projection starts from it.
    box = page.locator(control("known", KNOWN_YEAR.replace("/", "-")))
    expect(box).to_have_attribute("placeholder", "projected 33.44")
    box.fill(KNOWN_GBP_M)
    box.press("Enter")
    known = expected_cells(store, 10, float(KNOWN_GBP_M) * 1e6)
    for measure in CHECKED:
        expect(cell(page, measure, "custom")).to_have_text(known[measure])
    mine = page.locator(f"#allowance-table td[data-year='{KNOWN_YEAR}'][data-scenario='custom']")
    expect(mine).to_have_text("your figure")
    expect(page.locator("#changes")).to_contain_text(f"£35,500,000.00 in {KNOWN_YEAR}")
    assert f"icb={ICB}" in page.url and "cut.further=10" in page.url and "known=S0E4D:2026/27:35500000" in page.url
    box.fill("35500000")  # pounds typed where £m is asked: refused, the last good view stays
    box.press("Enter")
    expect(page.locator("#known-messages")).to_contain_text("the box takes £m")
    expect(cell(page, "allowance_gbp", "custom")).to_have_text(known["allowance_gbp"])
    page.locator("#fig-allowance").scroll_into_view_if_needed()
    page.screenshot(path=str(screenshots / "02_icb_further_cut_and_known_allowance.png"), full_page=True)

    # The URL carries the view: a new tab opened on it shows the same numbers.
    shared = page.context.new_page()
    shared.goto(page.url)
    expect(cell(shared, "allowance_gbp", "custom")).to_have_text(known["allowance_gbp"], timeout=30_000)
    shared.close()

    # Download the custom scenario and run it through the command line, unchanged.
    with page.expect_download() as download:
        page.get_by_role("button", name="Download the custom scenario (YAML)").click()
    path = tmp_path / "custom.yaml"
    download.value.save_as(path)
    assert "S0E4D:" in path.read_text() and "figures:" in path.read_text()
    run = subprocess.run([sys.executable, "-m", "model.cli", "--root", str(ROOT), "run", str(path),
                          "--out", str(tmp_path / "out"), "--no-xlsx"], capture_output=True, text=True,
                         cwd=ROOT, timeout=120)
    assert run.returncode == 0, run.stderr
    results = pd.read_csv(tmp_path / "out" / "results.csv").set_index(["icb_code", "year"])
    assert results.loc[(ICB, KNOWN_YEAR), "allowance_gbp"] == 35_500_000
    assert headline_cell(results.loc[(ICB, YEAR), "allowance_gbp"] / 1e6, "£m") == known["allowance_gbp"]
    assert headline_cell(results.loc[(ICB, YEAR), "wte_gap"], "WTE") == known["wte_gap"]

    # The board briefing for what is on screen: the ICB, the year and the custom settings.
    button = page.get_by_role("button", name="Download board briefing (PDF)")
    with page.expect_download() as briefing:
        button.click()
    kind = "pdf" if pdf.problem() is None else "docx"  # without pango the page gives the Word file
    assert briefing.value.suggested_filename == f"briefing_{ICB}_{YEAR.replace('/', '-')}.{kind}"
    path = tmp_path / briefing.value.suggested_filename
    briefing.value.save_as(path)
    text = file_text(path.read_bytes(), kind)
    assert "NHS Thames Valley" in text and YEAR in text
    assert f" {known['allowance_gbp'].strip('£m')} " in text  # custom's allowance in Table 1
    expect(button).to_be_enabled()  # disabled only while the briefing is made
    expect(page.locator("#briefing-status")).to_contain_text(f"Downloaded {path.name}")
    page.locator(".headline .downloads").last.screenshot(path=str(screenshots / "06_briefing_download.png"))

    page.locator("#fig-waterfall").scroll_into_view_if_needed()
    expect(page.locator("#fig-waterfall .waterfalllayer .point")).to_have_count(15)  # 3 scenarios x 5 bars
    page.wait_for_timeout(600)  # let plotly finish drawing before the picture
    page.locator("#fig-waterfall").screenshot(path=str(screenshots / "04_waterfall.png"))
    page.locator("#fig-per-head").screenshot(path=str(screenshots / "05_per_head.png"))
    page.locator("#fig-ranking").screenshot(path=str(screenshots / "05_ranking.png"))

    # A former ICB: its results are on the 42 ICBs of 2022 to 2026, and its page says what it became.
    choose(page, "#icb", "Frimley")
    expect(page.locator("#view-title")).to_contain_text("NHS Frimley")
    expect(page.locator("#footprint input[value='2022']")).to_be_checked()
    expect(page.locator("#place-info")).to_contain_text("until March 2026")
    expect(page.locator("#place-info")).to_contain_text("became part of S0E4D NHS Thames Valley (58.787% of it)")
    page.locator("section.headline").screenshot(path=str(screenshots / "07_former_icb.png"))

    # A start by the rules alone resets the controls and brings back the whole-path cut.
    choose(page, "#start", "instruction")
    expect(page.locator(control("control-block", "cut.size"))).to_be_visible()
    expect(page.locator(control("control-block", "cut.further"))).to_be_hidden()
    expect(page.locator(control("readout", "cut.size"))).to_have_text("30% below 2022/23")
    expect(page.locator("#known-intro")).to_contain_text("projects by the rules alone")
    page.go_back()  # the browser's back button returns to the view before
    expect(page.locator(control("readout", "cut.further"))).to_have_text("10% below 2025/26")

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
    assert page.console_errors == []
    assert page.outside_requests == []  # everything is served locally
