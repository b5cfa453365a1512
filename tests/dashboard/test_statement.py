"""The accessibility statement (dashboard/statement.py): the sections the regulations expect,
served by the app, contact details from the environment, escaped."""

from __future__ import annotations

import re

from dashboard import statement

SECTIONS = ["How accessible this dashboard is", "Feedback and contact information",
            "Reporting accessibility problems with this dashboard", "Enforcement procedure",
            "Technical information about this dashboard's accessibility", "What we are doing to improve accessibility",
            "Preparation of this accessibility statement"]


def test_the_statement_has_every_section_the_regulations_expect():
    page = statement.page_html()
    headings = re.findall(r"<h2>(.*?)</h2>", page)
    assert [h.replace("&#x27;", "'") for h in headings] == SECTIONS
    assert '<html lang="en-GB">' in page and "<h1>Accessibility statement for" in page
    assert "partially compliant with the Web Content Accessibility Guidelines (WCAG) version 2.2, level AA" in page
    assert "Equality Advisory and Support Service" in page and "Equality and Human Rights Commission" in page
    assert f"This statement was prepared on {statement.PREPARED}" in page
    for gap in statement.NOT_YET:  # what is not accessible yet is listed, in words
        assert gap.split(" ")[0] in page
    assert page.count("<li>") == len(statement.ACCESSIBLE) + len(statement.NOT_YET) + 1


def test_contact_details_come_from_the_environment_escaped(monkeypatch):
    assert "issue tracker" in statement.contact_html()
    monkeypatch.setenv("ICB_DASHBOARD_ACCESSIBILITY_CONTACT", "access@icb.nhs.uk")
    monkeypatch.setenv("ICB_DASHBOARD_OPERATOR", "NHS Example <ICB>")
    page = statement.page_html()
    assert 'email <a href="mailto:access@icb.nhs.uk">access@icb.nhs.uk</a>' in page
    assert "run by NHS Example &lt;ICB&gt;" in page and "<ICB>" not in page
    monkeypatch.setenv("ICB_DASHBOARD_ACCESSIBILITY_CONTACT", 'https://example.nhs.uk/a11y?x="1"')
    assert statement.contact_html() == ('<a href="https://example.nhs.uk/a11y?x=&quot;1&quot;">'
                                        "https://example.nhs.uk/a11y?x=&quot;1&quot;</a>")


def test_the_app_serves_the_statement_and_the_page_links_to_it(store):
    from dashboard.app import create_app

    app = create_app(store=store)
    answer = app.server.test_client().get(f"/{statement.PATH}")
    assert answer.status_code == 200 and answer.mimetype == "text/html"
    assert b"Accessibility statement for the ICB running-cost dashboard" in answer.data
    footer = app.layout.children[-1]
    assert footer.className == "site-footer"
    assert footer.children[0].children == "Accessibility statement" and footer.children[0].href == statement.PATH
