"""The dashboard against WCAG 2.2 AA in a real browser (headless Debian Chromium through
Playwright; docs/accessibility.md): axe-core's WCAG 2.0, 2.1 and 2.2 A and AA rules in the states
a user meets, and what axe cannot see: every control's name and unit."""

from __future__ import annotations

from playwright.sync_api import expect

from dashboard.components import spoken_label
from dashboard.controls import CONTROLS
from tests.browser.accessibility import violations


def open_page(page, dash_url: str, query: str = "") -> None:
    page.goto(f"{dash_url}{query}")
    expect(page.locator("#view-title")).to_contain_text(", 2025/26", timeout=30_000)
    expect(page.locator("#headline table")).to_be_visible()


def test_first_view_meets_wcag_2_2_aa(page, dash_url):
    open_page(page, dash_url)
    assert page.evaluate("document.documentElement.lang") == "en-GB"
    assert violations(page) == []
    assert page.console_errors == []


def test_every_control_has_a_name_saying_what_it_sets_and_its_unit(page, dash_url):
    open_page(page, dash_url)
    for control in CONTROLS:
        name = spoken_label(control)
        if control.widget == "slider":
            unit = control.unit_for("2022/23")
            expect(page.get_by_role("slider", name=f"{name} in {unit}", exact=True)).to_have_count(1)
            expect(page.get_by_role("spinbutton", name=f"{name} in {unit}", exact=True)).to_have_count(1)
        elif control.widget == "switch":
            expect(page.get_by_role("checkbox", name=f"{name}: yes", exact=True)).to_have_count(1)
        elif control.widget == "choice":
            expect(page.get_by_role("radiogroup", name=name, exact=True)).to_have_count(1)
        else:
            expect(page.get_by_role("button", name=name)).to_have_count(1)
    expect(page.get_by_role("button", name="Place England (all 42 ICBs)")).to_have_count(1)
    expect(page.get_by_role("button", name="Year 2025/26")).to_have_count(1)
    expect(page.get_by_role("group", name="Scenarios to compare (up to 4)")).to_have_count(1)
    expect(page.get_by_role("checkbox", name="custom (your settings)")).to_be_checked()
