"""Accessibility helpers every part of the page uses (WCAG 2.2 AA; docs/accessibility.md).

Dash's own widgets (``dcc.Slider``, ``dcc.Dropdown``, ``dcc.Checklist``, ``dcc.RadioItems``,
``dcc.Upload``) take no ``aria-*`` properties, so a widget is named by wrapping it in
:func:`named`: the wrapper carries the ids of the elements that name and describe it, and
``assets/a11y.js`` gives the widget's focusable parts (a slider's handle and number box, a
drop-down's button, a group of boxes, a file input) ``aria-labelledby`` and ``aria-describedby``
from them. The same script mends what Dash 4 gets wrong whatever the wrapper: a drop-down's hidden
focus target taken out of the tab order (the button itself takes focus) and lists of boxes as groups
rather than list boxes of nested controls.

The rest are small pieces: the page's language (:func:`index_string`), text only screen
readers read and a "skip to results" link.
"""

from __future__ import annotations

import json
import re

from dash import html
from dash.development.base_component import Component

LANG = "en-GB"
"""The page's language (WCAG 3.1.1)."""


def index_string(template: str) -> str:
    """Dash's page ``template`` with the language on its ``<html>`` element."""
    marked, found = re.subn(r"<html(\s[^>]*)?>", lambda m: f'<html lang="{LANG}"{m.group(1) or ""}>', template,
                            count=1)
    if not found:
        raise ValueError("the page template has no <html> element")
    return marked


def dom_id(component_id: str | dict) -> str:
    """The DOM id Dash gives a component id: a string as it is, a pattern-matching id as its
    compact JSON with sorted keys (``{"key":"cut.size","type":"control"}``)."""
    if isinstance(component_id, str):
        return component_id
    return json.dumps(component_id, sort_keys=True, separators=(",", ":"))


def named(widget: Component, labelled_by: str | dict, described_by: str | dict | None = None) -> html.Div:
    """``widget`` wrapped so that ``assets/a11y.js`` names its focusable parts by the element with
    id ``labelled_by`` (and describes them by ``described_by``): a control's visible label, so the
    name a screen reader says is the label people see."""
    data = {"data-a11y-labelledby": dom_id(labelled_by)}
    if described_by is not None:
        data["data-a11y-describedby"] = dom_id(described_by)
    return html.Div(widget, className="a11y-named", **data)


def hidden_text(text: str) -> html.Span:
    """Text screen readers read and the screen does not show (a unit, which of several alike)."""
    return html.Span(text, className="visually-hidden")


def skip_link(target: str, text: str = "Skip to results") -> html.A:
    """The first link on the page: it moves focus past the controls to the element ``target``
    (which needs ``tabIndex="-1"``); shown only when it has focus."""
    return html.A(text, href=f"#{target}", className="skip-link")
