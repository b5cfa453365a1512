"""Plain HTML elements (dashboard/elements.py): the JSON Dash sends of the same ``dash.html``
component, so the page cannot tell them apart."""

from __future__ import annotations

import json

import pytest
from dash import html
from dash._utils import to_json

from dashboard.elements import element
from tests.dashboard.shared import as_component


@pytest.mark.parametrize(("plain", "component"), [
    (element("Td", "£1.0m", className="diff", **{"data-measure": "allowance_gbp"}),
     html.Td("£1.0m", className="diff", **{"data-measure": "allowance_gbp"})),
    (element("Th", "Year", scope="col", rowSpan=2), html.Th("Year", scope="col", rowSpan=2)),
    (element("Td"), html.Td()),
    (element("Table", [element("Tbody", [element("Tr", [element("Td", "1")])])], className="t"),
     html.Table([html.Tbody([html.Tr([html.Td("1")])])], className="t")),
])
def test_an_element_is_what_dash_sends_of_the_component(plain, component):
    assert json.loads(to_json(plain)) == json.loads(to_json(component))
    assert json.loads(to_json(as_component(plain))) == json.loads(to_json(component))


def test_the_tests_check_an_elements_properties_as_dash_does():
    with pytest.raises(TypeError):
        as_component(element("Td", "x", colour="red"))
