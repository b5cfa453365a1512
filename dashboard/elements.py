"""HTML elements as plain dicts: the JSON Dash sends of a ``dash.html`` component.

For the tables every slider move rebuilds (the headline table and the allowance by year, about 300
cells): made as ``dash.html`` objects, each checks its properties when made (5.1 ms for both tables
on the 2-core test machine) and is turned into this JSON again when the response is written
(2.7 ms more); as dicts, 0.5 ms to make. Dash's renderer takes the same JSON either way. Nothing
checks these properties when a page is served: the tests do (``tests/dashboard/shared.py``,
``as_component``), by making the ``dash.html`` component of each element.
"""

from __future__ import annotations

from typing import Any

Element = dict[str, Any]
"""``{"type": "Td", "namespace": "dash_html_components", "props": {...}}``."""


def element(tag: str, children: object = None, **props: object) -> Element:
    """``dash.html.<tag>(children, **props)`` as Dash sends it (a property with a dash in its name,
    such as ``data-measure``, as ``**{"data-measure": value}``)."""
    return {"type": tag, "namespace": "dash_html_components", "props": {"children": children, **props}}
