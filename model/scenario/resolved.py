"""A resolved scenario: the merged, completed and checked tree of values with provenance, and the
ICBs it runs. What every part of the model reads a scenario through."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeAlias

from model import schema
from model.periods import PeriodError, year_labels
from model.provenance import Param, Series
from model.scenario.icb_table import IcbTable
from model.scenario.organisations import History
from model.scenario.published import Published
from model.schema import did_you_mean

Node: TypeAlias = Param | Series | dict[str, "Node"]
"""A node of a scenario tree: a value, a series or a mapping of further nodes."""


def section(node: Node) -> dict[str, Node]:
    """``node``, which the schema says is a mapping of further nodes."""
    if not isinstance(node, dict):
        raise TypeError(f"expected a mapping of keys, got {type(node).__name__}")
    return node


def param(node: Node) -> Param:
    """``node``, which the schema says is a single value."""
    if not isinstance(node, Param):
        raise TypeError(f"expected a value, got {type(node).__name__}")
    return node


def series(node: Node) -> Series:
    """``node``, which the schema says is a per-year series."""
    if not isinstance(node, Series):
        raise TypeError(f"expected a series, got {type(node).__name__}")
    return node


@dataclass(frozen=True, eq=False)
class Scenario:
    """A resolved scenario: every key set (defaults filled in), validated, with its ICB table.

    ``tree`` holds nested dicts whose leaves are Param or Series; ``running_cost_cut.envelope`` is
    Param(None) or a dict; each ``uncertainty`` entry (keyed by parameter path) is a dict of Params.
    ``name``, ``description`` and ``extends`` are not in the tree. ``icbs`` holds the ICBs the run
    includes, in table order. ``file`` is the file the scenario was read from (for a scenario
    given as text, the name it was given under) and ``chain`` the files of its extends chain,
    base first.
    """

    name: str
    description: str
    file: Path
    chain: tuple[Path, ...]
    root: Path
    tree: dict[str, Node]
    icbs: IcbTable
    history: History
    published: Published = field(default_factory=Published)
    full_history: History | None = field(default=None, compare=False, repr=False)
    """Every organisation of the ICB table over the horizon, before ``history`` keeps those of the
    ICBs run: what an overlay that changes neither reuses (:func:`model.scenario.overlay`)."""

    @property
    def footprint(self) -> str:
        """The default footprint: the latest in the scenario's history (SPEC section 10)."""
        return self.history.eras[-1].label

    @property
    def years(self) -> list[str]:
        """The year labels of the horizon, base year first."""
        horizon = section(self.tree["horizon"])
        return year_labels(param(horizon["base_year"]).text(), param(horizon["end_year"]).text())

    def get(self, path: str) -> Node:
        """The Param, Series or dict at a dotted path.

        A year label after a series path (``inflation.pay_award.2025/26``) gives the Param that
        supplies that year's value. Raises KeyError, with a did-you-mean, for a path not in the tree.
        """
        parts = schema.key_parts(path)
        entries = section(self.tree["uncertainty"])
        if parts[:1] == ("uncertainty",) and len(parts) == 2 and parts[1] not in entries:
            entry, _, field = parts[1].rpartition(".")
            parts = ("uncertainty", entry, field)
        node: Node = self.tree
        for depth, key in enumerate(parts):
            if isinstance(node, Series) and depth == len(parts) - 1:
                try:
                    return node.param_for(key)
                except PeriodError as err:
                    raise KeyError(f"{path}: {err}") from None
            if not isinstance(node, dict) or key not in node:
                choices = list(node) if isinstance(node, dict) else []
                raise KeyError(f"{path}: no key '{key}' here. {did_you_mean(key, choices)}")
            node = node[key]
        return node

    def value(self, path: str) -> object:
        """The bare value(s) at a dotted path: a Param's value, a Series as ``{year label: value}``
        over the horizon, a dict as a dict of bare values."""
        return _bare(self.get(path), self.years)

    def content_hash(self) -> str:
        """sha256 (hex) of the resolved values, the included ICBs' code, name, region, population
        and baseline_rca_gbp, the organisations over time and the published allowances used.
        Provenance, file paths, name and description are left out, so two scenarios that give the
        model the same inputs have the same hash."""
        values = dict(self.tree)
        values["icbs"] = {key: value for key, value in section(self.tree["icbs"]).items() if key != "table"}
        values["organisations"] = {key: value for key, value in section(self.tree["organisations"]).items()
                                   if key != "changes"}  # the changes are in the history
        values.pop("allowance", None)  # the figures used are in published
        payload = {"values": _bare(values, self.years), "icbs": self.icbs.records(),
                   **({"history": _history(self.history)} if len(self.history.eras) > 1 else {}),
                   **({"published": sorted([code, year, figure.gbp] for (code, year), figure in
                                           self.published.figures.items())} if self.published.figures else {})}
        text = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _history(history: History) -> list[object]:
    """The organisations over time as plain values: each era's codes, names and regions, and each
    atom's ICB row, weight and organisation in each era."""
    eras = [[era.label, era.first, [[o.code, o.name, o.region] for o in era.organisations]] for era in history.eras]
    return [eras, [[atom.icb, atom.weight, list(atom.codes)] for atom in history.atoms]]


def _bare(node: Node, years: list[str]) -> object:
    """Plain values of a tree node: Params by their value, Series by ``{year: value}`` over ``years``."""
    if isinstance(node, Param):
        return list(node.value) if isinstance(node.value, tuple) else node.value
    if isinstance(node, Series):
        return dict(zip(years, node.values(years), strict=True))
    return {key: _bare(value, years) for key, value in node.items()}

