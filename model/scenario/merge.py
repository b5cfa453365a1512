"""Merging scenario trees (SPEC section 7): a scenario's values over those of the scenario it
extends, key by key, depth first. The same code merges an ``extends`` chain and the dashboard's
overlay of slider settings, so the page and a downloaded scenario file cannot differ."""

from __future__ import annotations

from model.provenance import Series
from model.scenario.resolved import Node


class Replacement(dict[str, Node]):
    """A mapping that replaces, rather than merges into, whatever is beneath it.

    A mapping written over a null (or a whole ``uncertainty`` entry) is one; merging keeps it so
    that merging stays associative.
    """


def merge_trees(base: dict[str, Node], over: dict[str, Node]) -> dict[str, Node]:
    """Merge the normalised document ``over`` onto ``base``, key by key, depth first.

    Series merge year by year (a series that is a bare number replaces the whole series); a
    mapping over a null or a leaf replaces it; anything else replaces. Associative, with ``{}`` as
    identity, so a chain may be merged in any grouping.
    """
    out = type(base)(base)
    for key, value in over.items():
        out[key] = _merge_value(base[key], value) if key in base else value
    return out


def _merge_value(base: Node, over: Node) -> Node:
    """``over`` merged onto ``base`` (one key's value)."""
    if isinstance(over, Replacement):
        return over
    if isinstance(over, dict):
        return merge_trees(base, over) if isinstance(base, dict) else Replacement(over)
    if isinstance(over, Series) and over.before is None and isinstance(base, Series):
        return Series({**base.points, **over.points}, base.before)
    return over


def plain(tree: dict[str, Node]) -> dict[str, Node]:
    """A merged tree with replacement mappings turned back into plain dicts."""
    return {key: plain(value) if isinstance(value, dict) else value for key, value in tree.items()}
