"""WCAG 2.2 A and AA checks with axe-core (bundled by axe-playwright-python, injected into the page
under test; nothing is downloaded). ``violations(page)`` lists what axe finds, one line per rule
with the elements it names, so that a failing test says what to fix."""

from __future__ import annotations

from typing import Any

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
"""The rules the NHS must meet: WCAG 2.0, 2.1 and 2.2, levels A and AA."""


def violations(page: Any, context: str | None = None) -> list[str]:
    """axe-core's WCAG 2.2 A/AA violations on ``page`` (optionally inside the CSS selector
    ``context``): ``"rule-id (impact): help; targets"`` for each."""
    from axe_playwright_python.sync_playwright import Axe

    options = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}
    result = Axe().run(page, context=context, options=options)
    return [f"{v['id']} ({v.get('impact')}): {v['help']}; "
            + ", ".join(" ".join(node["target"]) for node in v["nodes"][:8])
            for v in result.response["violations"]]
