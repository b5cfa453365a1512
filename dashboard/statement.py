"""The dashboard's accessibility statement, served at ``accessibility`` beside the page and linked
from its footer, in the form the Public Sector Bodies (Websites and Mobile Applications) (No. 2)
Accessibility Regulations 2018 expect (GOV.UK's model statement): what is accessible, what is not
yet and why, how to report a problem, the enforcement procedure, the technical information and when
the statement was prepared. docs/accessibility.md has how each claim was tested.

An organisation that runs the dashboard names itself and how to reach it with the environment
variables ``ICB_DASHBOARD_OPERATOR`` and ``ICB_DASHBOARD_ACCESSIBILITY_CONTACT`` (an email address
or a web address); without them the statement says to report problems to the project.
"""

from __future__ import annotations

import os
from html import escape

PATH = "accessibility"
"""Where the statement is served, relative to the dashboard's own address."""
PREPARED = "2 December 2026"
TESTED = "2 December 2026"
STANDARD = "Web Content Accessibility Guidelines (WCAG) version 2.2, level AA"

ACCESSIBLE = (
    "move through every control, table, chart and download using just a keyboard, in the order the page "
    "reads, with a visible focus ring, and skip straight to the results",
    "use a screen reader: every control is named by its visible label and unit, the headline figures are a "
    "table with header cells, each update is announced in one sentence, and every chart has a summary and a "
    "table of the numbers it plots",
    "zoom in up to 400% without text spilling off the screen (the page reflows to one column down to 320 "
    "pixels wide; wide tables and charts scroll sideways in their own boxes)",
    "tell the scenarios apart without colour: each has its own line style and marker as well as its colour",
    "download the board briefing as a tagged PDF or a Word document with real headings and table headers",
)

NOT_YET = (
    ("Hover text on each control (what it means and where its default comes from) shows only when a mouse "
     "pointer rests on the control's name. The same text, for every control, is in the table \"What each "
     "control sets and where its default comes from\" below the controls, which a keyboard and a screen reader "
     "reach; we plan to show it in an expandable note beside each control as well, so that it sits next to "
     "the control."),
    ("The charts' own hover labels (the exact value under the pointer) need a mouse. The same numbers are in "
     "each chart's \"Show the numbers\" table and its summary sentence, which are the text alternative "
     "(WCAG 1.1.1)."),
    ("Pressing a slider's arrow key many times very quickly can, rarely, leave the figures of an earlier "
     "position on screen until the next change, because the answers to the presses can arrive out of order "
     "(WCAG 3.2.2 is not affected, but what is shown may lag what is set). Pausing for a moment, or "
     "pressing once more, brings them into line."),
    ("The dashboard has not yet been tested with people who use assistive technology, nor with NVDA, JAWS, "
     "VoiceOver, Dragon or Windows High Contrast Mode; the checks so far are automated (axe-core) and "
     "scripted keyboard and browser tests."),
)


def operator() -> str:
    return os.environ.get("ICB_DASHBOARD_OPERATOR", "").strip() or "the organisation that runs this copy of it"


def contact_html() -> str:
    """How to report a problem, as HTML: the configured email or web address, or the project."""
    contact = os.environ.get("ICB_DASHBOARD_ACCESSIBILITY_CONTACT", "").strip()
    if contact.startswith(("http://", "https://")):
        return f'<a href="{escape(contact, quote=True)}">{escape(contact)}</a>'
    if "@" in contact:
        return f'email <a href="mailto:{escape(contact, quote=True)}">{escape(contact)}</a>'
    return ("raise an issue with the label \"accessibility\" in the project's issue tracker (the ICB running-cost "
            "model), or tell the team that gave you the address of this dashboard")


def page_html(dashboard_href: str = "./") -> str:
    """The statement as a whole HTML page (English, with the dashboard's style), every value
    escaped."""
    who = escape(operator())
    can = "".join(f"<li>{escape(item)}</li>" for item in ACCESSIBLE)
    gaps = "".join(f"<li>{escape(item)}</li>" for item in NOT_YET)
    return f"""<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Accessibility statement: ICB running costs</title>
<style>
body {{ font-family: "Liberation Sans", Arial, Helvetica, sans-serif; font-size: 16px; line-height: 1.5;
       color: #1f2328; background: #f4f6f8; margin: 0; }}
main {{ max-width: 46em; margin: 0 auto; padding: 16px; background: #fff; }}
h1 {{ color: #003087; font-size: 1.7rem; }}
h2 {{ color: #003087; font-size: 1.3rem; margin-top: 1.6em; }}
a {{ color: #005eb8; }}
a:focus-visible {{ outline: 3px solid #212b32; outline-offset: 2px; box-shadow: 0 0 0 2px #ffeb3b; }}
.skip-link {{ position: absolute; left: 8px; top: -60px; padding: 8px 14px; background: #ffeb3b; color: #212b32; }}
.skip-link:focus {{ top: 8px; }}
</style>
</head>
<body>
<a class="skip-link" href="#content">Skip to the statement</a>
<main id="content" tabindex="-1">
<p><a href="{escape(dashboard_href, quote=True)}">Back to the dashboard</a></p>
<h1>Accessibility statement for the ICB running-cost dashboard</h1>
<p>This dashboard is run by {who}. It shows what cuts to integrated care boards' running cost allowances
mean for each ICB, and lets you compare scenarios and try your own. We want as many people as possible to
be able to use it. For example, that means you should be able to:</p>
<ul>{can}</ul>
<p>You can also change colours, contrast levels and fonts with your browser or device settings. AbilityNet
(<a href="https://mcmw.abilitynet.org.uk/">mcmw.abilitynet.org.uk</a>) has advice on making your device
easier to use if you have a disability.</p>

<h2>How accessible this dashboard is</h2>
<p>We know some parts are not fully accessible yet:</p>
<ul>{gaps}</ul>

<h2>Feedback and contact information</h2>
<p>If you need information from the dashboard in a different format, such as the figures as a spreadsheet,
use "Download compared results (CSV)" or "(Excel)", or {contact_html()}. Tell us what you need and we will
reply within 10 working days.</p>

<h2>Reporting accessibility problems with this dashboard</h2>
<p>We are always looking to improve its accessibility. If you find a problem not listed on this page or
think we are not meeting accessibility requirements, {contact_html()}. Please say what you were trying to
do, which page or control it was, and the browser and any assistive technology you use.</p>

<h2>Enforcement procedure</h2>
<p>The Equality and Human Rights Commission (EHRC) is responsible for enforcing the Public Sector Bodies
(Websites and Mobile Applications) (No. 2) Accessibility Regulations 2018 (the "accessibility
regulations"). If you are not happy with how we respond to your complaint, contact the
<a href="https://www.equalityadvisoryservice.com/">Equality Advisory and Support Service (EASS)</a>.
In Northern Ireland, contact the
<a href="https://www.equalityni.org/Home">Equality Commission for Northern Ireland</a>.</p>

<h2>Technical information about this dashboard's accessibility</h2>
<p>{who} is committed to making this dashboard accessible, in accordance with the accessibility
regulations.</p>
<h3>Compliance status</h3>
<p>This dashboard is partially compliant with the {escape(STANDARD)} standard, due to the
non-compliances listed below.</p>
<h3>Non-accessible content</h3>
<p>The content listed below is non-accessible for the following reasons.</p>
<h4>Non-compliance with the accessibility regulations</h4>
<ul><li>{escape(NOT_YET[0])}</li></ul>
<h4>Disproportionate burden</h4>
<p>We are not claiming disproportionate burden for any content.</p>
<h4>Content that is not within the scope of the accessibility regulations</h4>
<p>Scenario files you upload are your own content; the dashboard checks them and explains every problem
in words, but does not change them.</p>

<h2>What we are doing to improve accessibility</h2>
<p>Every change to the dashboard is checked in a real browser with axe-core's WCAG 2.2 A and AA rules in
the states people meet (first view, a place, year and scenarios changed, the custom scenario's controls
open, a known allowance entered, an upload error showing), and by scripted keyboard journeys, and at
320 pixels wide and 200% zoom. Next we will show each control's description without a mouse and test
with screen reader users.</p>

<h2>Preparation of this accessibility statement</h2>
<p>This statement was prepared on {PREPARED}. It was last reviewed on {PREPARED}.</p>
<p>This dashboard was last tested on {TESTED}. The test was carried out by the project's maintainers with
automated and scripted tests in headless Chromium (axe-core 4 with WCAG 2.0, 2.1 and 2.2 A and AA rules,
keyboard-only journeys, reflow at 320 pixels and 200% zoom), on the first view and the states listed
above. How each part was tested is in the project's docs/accessibility.md.</p>
</main>
</body>
</html>
"""


def register(server: object, route_prefix: str = "/", page_prefix: str = "/") -> None:
    """Serve the statement at ``route_prefix + PATH`` on the Flask ``server``; its link back goes
    to ``page_prefix``, the dashboard's address as the browser sees it."""
    from flask import Response

    def statement() -> Response:
        return Response(page_html(page_prefix), mimetype="text/html")

    server.add_url_rule(f"{route_prefix}{PATH}", "accessibility_statement", statement)  # type: ignore[attr-defined]
