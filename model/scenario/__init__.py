"""Scenarios: loading, ``extends`` chains, merging and validation (SPEC sections 3 and 7).

A scenario file is read (model.scenario.yamlio), normalised against the schema (model.schema) into a tree of
:class:`~model.provenance.Param` and :class:`~model.provenance.Series` leaves, merged onto the files
it extends, completed with defaults, checked as a whole and joined to its ICB table. Every problem
found on the way is collected as an :class:`Issue`; :func:`load_scenario` raises one
:class:`ScenarioError` listing them all, and :func:`check_files` returns them.
"""

from __future__ import annotations

import csv
import difflib
import hashlib
import io
import json
import math
import re
from dataclasses import dataclass, replace
from datetime import date
from functools import reduce
from pathlib import Path

import pandas as pd

from model import schema
from model.periods import PeriodError, parse_month, parse_year, year_labels
from model.provenance import DEFAULT_FILE, STATUSES, Param, Provenance, Series
from model.schema import KeySpec, ParameterError, did_you_mean, percent_hint
from model.scenario.yamlio import (MAX_ISSUES, Document, Issue, KeyPath, ReadProblem, decode_utf8, dotted, read_limited,
                          read_yaml, shorten, too_many_issues)

__all__ = ["Issue", "ScenarioError", "Scenario", "load_scenario", "check_files", "format_issues",
           "merge_trees"]

BASE_NAME = "base"
BASE_FILE = "assumptions.yaml"
SCENARIO_DIR = "scenarios"
MAX_HORIZON_YEARS = 60
MAX_TABLE_BYTES = 10 * 1024 * 1024
MAX_TABLE_ROWS = 1_000
"""Most rows an ICB table may hold (England has 42 ICBs): bounds a run's time and memory."""
FIRST_YEAR, LAST_YEAR = 1900, 2199
"""Years and months must fall in these calendar years: far wider than any real plan, and narrow
enough that growth compounded between two dates stays finite."""
MAX_SHIFT_MONTHS = 1_200
"""Largest go-live shift (in months, either way) an uncertainty entry may draw."""
POPULATION_LIMITS = (1.0, 1e9)
RCA_LIMITS = (1.0, 1e12)
"""Sanity limits on the ICB table's population and baseline_rca_gbp (see schema.KeySpec.floor)."""
ICB_COLUMNS = ("code", "name", "region", "population")
"""Columns the ICB table must have; ``baseline_rca_gbp`` is optional."""

PROVENANCE_KEYS = ("unit", "source", "status", "note")
DISTRIBUTIONS = {"normal": ("mean", "sd"), "triangular": ("peak",), "uniform": (), "lognormal": ("median", "sigma")}
"""Each distribution and the keys it takes besides ``low`` and ``high``."""
MODES = ("set", "add", "scale")
_SHAPE_KEYS = ("peak", "mean", "sd", "median", "sigma")
_ENTRY_KEYS = ("distribution", "mode", "low", "high") + _SHAPE_KEYS + ("from_year",) + PROVENANCE_KEYS
_META_KEYS = ("name", "description", "extends")
_NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")


class ScenarioError(Exception):
    """A scenario that cannot be used; ``issues`` lists every problem found."""

    def __init__(self, issues: list[Issue]) -> None:
        self.issues = list(issues)
        super().__init__(format_issues(self.issues))


def format_issues(issues: list[Issue]) -> str:
    """The issues, one per line, as ``file:line, dotted.path | what is wrong. how to fix it.``"""
    return "\n".join(str(issue) for issue in issues)


@dataclass(frozen=True, eq=False)
class Scenario:
    """A resolved scenario: every key set (defaults filled in), validated, with its ICB table.

    ``tree`` holds nested dicts whose leaves are Param or Series; ``running_cost_cut.envelope`` is
    Param(None) or a dict; each ``uncertainty`` entry (keyed by parameter path) is a dict of Params.
    ``name``, ``description`` and ``extends`` are not in the tree. ``icbs`` holds the ICBs the run
    includes in table order, with columns code, name, region, population (float),
    baseline_rca_gbp (float, NaN where not given) and any others the table has.
    """

    name: str
    description: str
    file: Path
    chain: tuple[Path, ...]
    root: Path
    tree: dict
    icbs: pd.DataFrame

    @property
    def years(self) -> list[str]:
        """The year labels of the horizon, base year first."""
        return year_labels(self.tree["horizon"]["base_year"].value, self.tree["horizon"]["end_year"].value)

    def get(self, path: str) -> Param | Series | dict:
        """The Param, Series or dict at a dotted path.

        A year label after a series path (``inflation.pay_award.2025/26``) gives the Param that
        supplies that year's value. Raises KeyError, with a did-you-mean, for a path not in the tree.
        """
        parts = schema.key_parts(path)
        entries = self.tree["uncertainty"]
        if parts[:1] == ("uncertainty",) and len(parts) == 2 and parts[1] not in entries:
            entry, _, field = parts[1].rpartition(".")
            parts = ("uncertainty", entry, field)
        node: object = self.tree
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
        """sha256 (hex) of the resolved values and the included ICBs' code, name, region,
        population and baseline_rca_gbp. Provenance, file paths, name and description are left out,
        so two scenarios that give the model the same inputs have the same hash."""
        values = dict(self.tree)
        values["icbs"] = {key: value for key, value in self.tree["icbs"].items() if key != "table"}
        table = self.icbs[list(ICB_COLUMNS) + ["baseline_rca_gbp"]]
        records = [[None if isinstance(cell, float) and math.isnan(cell) else cell for cell in row]
                   for row in table.itertuples(index=False)]
        payload = {"values": _bare(values, self.years), "icbs": records}
        text = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _bare(node: object, years: list[str]) -> object:
    """Plain values of a tree node: Params by their value, Series by ``{year: value}`` over ``years``."""
    if isinstance(node, Param):
        return list(node.value) if isinstance(node.value, tuple) else node.value
    if isinstance(node, Series):
        return dict(zip(years, node.values(years)))
    return {key: _bare(value, years) for key, value in node.items()}


# ---------------------------------------------------------------------------------------------
# Loading


def load_scenario(ref: str | Path, root: Path, *, confine_to: Path | None = None) -> Scenario:
    """Load, merge and validate a scenario.

    ``ref`` is ``base`` (``root/assumptions.yaml``), a scenario name (``root/scenarios/NAME.yaml``)
    or a path (a relative one from the current directory). With ``confine_to``, paths written in
    files not reached by name (the uploaded file itself and what it reaches by path) must lie in
    that folder. Raises ScenarioError listing every issue found.
    """
    scenario, issues = _load(ref, root, confine_to)
    if issues:
        raise ScenarioError(issues)
    return scenario


def check_files(paths: list[Path], root: Path) -> list[Issue]:
    """Every issue in each scenario file of ``paths`` (and the files they extend), each once."""
    found: dict[Issue, None] = {}
    for path in paths:
        found.update(dict.fromkeys(_load(Path(path), root, None)[1]))
    return list(found)


@dataclass(frozen=True)
class _Context:
    """What resolving files needs: the project root and the folder uploads are confined to."""

    root: Path
    confine: Path | None

    def display(self, path: Path) -> str:
        """``path`` relative to the root when inside it, else absolute."""
        resolved = _resolved(path) or path
        return resolved.relative_to(self.root).as_posix() if resolved.is_relative_to(self.root) else str(resolved)

    def from_display(self, shown: str) -> Path:
        """Inverse of :meth:`display`."""
        return self.root / shown if not Path(shown).is_absolute() else Path(shown)

    def scenario_names(self) -> list[str]:
        """``base`` and the names of the scenarios in ``root/scenarios``."""
        return [BASE_NAME] + sorted(p.stem for p in (self.root / SCENARIO_DIR).glob("*.yaml"))

    def outside(self, path: Path) -> bool:
        """Whether ``path`` resolves outside the confining folder (a path that cannot be resolved is)."""
        if self.confine is None:
            return False
        resolved = _resolved(path)
        return resolved is None or not resolved.is_relative_to(self.confine)


def _resolved(path: Path) -> Path | None:
    """``path`` made absolute with symbolic links followed, or None when that is impossible (a loop
    of links, a NUL character)."""
    try:
        return path.resolve()
    except (OSError, RuntimeError, ValueError):
        return None


def _is_file(path: Path) -> bool:
    """Whether ``path`` is a file (False, not an error, for a name too long for the system)."""
    try:
        return path.is_file()
    except (OSError, ValueError):
        return False


_UNRESOLVABLE = ("cannot follow this path: it holds a character no path may hold, or symbolic links that "
                 "go round in a loop. Check it.")


@dataclass(frozen=True)
class _Target:
    """A file to read, and whether it is trusted (reached by name, or no confinement applies)."""

    path: Path
    trusted: bool


@dataclass(frozen=True)
class _Layer:
    """One file of an extends chain, as read."""

    target: _Target
    doc: Document


def _load(ref: str | Path, root: Path, confine_to: Path | None) -> tuple[Scenario | None, list[Issue]]:
    """The scenario ``ref`` and every issue found (the scenario is None when there are issues)."""
    ctx = _Context(root.resolve(), None if confine_to is None else confine_to.resolve())
    start, issues = _start_target(ref, ctx)
    if start is None:
        return None, issues
    layers, chain_complete = _read_chain(start, ctx, issues)
    trees, bad = [], set()
    for layer in layers:
        tree, layer_bad = _Normaliser(layer, ctx, issues).document()
        trees.append(tree)
        bad |= layer_bad
    if not chain_complete:
        return None, issues
    tree = _plain(reduce(merge_trees, reversed(trees), {}))
    if not _complete(tree, (), layers[-1].doc.file, layers[-1].target.path.name != BASE_FILE, bad, issues):
        return None, issues
    icbs = _check_resolved(tree, ctx, issues)
    own = layers[0].doc.data
    scenario = Scenario(
        name=own.get("name") or layers[0].target.path.stem,
        description=own.get("description") or "",
        file=layers[0].target.path,
        chain=tuple(layer.target.path for layer in reversed(layers)),
        root=ctx.root,
        tree=tree,
        icbs=icbs if icbs is not None else pd.DataFrame(columns=list(ICB_COLUMNS) + ["baseline_rca_gbp"]),
    )
    if scenario.years:
        _check_uncertainty(scenario, issues)
    return (None if issues else scenario), issues


def _start_target(ref: str | Path, ctx: _Context) -> tuple[_Target | None, list[Issue]]:
    """The file ``ref`` names (see :func:`load_scenario`), or None and an Issue."""
    if isinstance(ref, str) and not _is_path(ref):
        target, message = _named(ref, ctx)
        return (None, [Issue(ref, None, "", message)]) if message else (target, [])
    path = _resolved(Path(ref))
    if path is None:
        return None, [Issue(shorten(str(ref), 200), None, "", _UNRESOLVABLE)]
    message = None
    if ctx.outside(path):
        message = f"the file is outside the folder {ctx.confine} that may be read. Put it in that folder."
    elif not _is_file(path):
        message = "file not found. Check the path, or name a scenario: " + ", ".join(ctx.scenario_names()) + "."
    if message:
        return None, [Issue(ctx.display(path), None, "", message)]
    return _Target(path, ctx.confine is None), []


def _is_path(ref: str) -> bool:
    """Whether an ``extends`` value or command-line reference is a path rather than a name."""
    return "/" in ref or "\\" in ref or ref.endswith((".yaml", ".yml"))


def _named(name: str, ctx: _Context) -> tuple[_Target | None, str | None]:
    """The file of a scenario name (``base`` or a file in scenarios/), or None and what is wrong."""
    if name == BASE_NAME:
        path = ctx.root / BASE_FILE
    elif _NAME_RE.match(name):
        path = ctx.root / SCENARIO_DIR / f"{name}.yaml"
    else:
        return None, (f"'{name}' is not a scenario name or a path. Name a scenario "
                      f"({', '.join(ctx.scenario_names())}) or give a path ending .yaml.")
    if _is_file(path) and _resolved(path) is not None:
        return _Target(_resolved(path), True), None
    where = BASE_FILE if name == BASE_NAME else f"{SCENARIO_DIR}/{name}.yaml"
    return None, f"no scenario '{name}' (looked for {where}). {did_you_mean(name, ctx.scenario_names())}"


def _read_chain(start: _Target, ctx: _Context, issues: list[Issue]) -> tuple[list[_Layer], bool]:
    """Read ``start`` and the files it extends, child first. Returns the layers read and whether
    the chain is complete (every file read, every extends found, no cycle)."""
    layers: list[_Layer] = []
    target: _Target | None = start
    while target is not None:
        doc, read_issues = read_yaml(target.path, ctx.display(target.path))
        issues.extend(read_issues)
        if doc is None:
            return layers, False
        layers.append(_Layer(target, doc))
        target, message = _extends_target(layers[-1], ctx)
        if message:
            issues.append(Issue(doc.file, doc.line(("extends",)), "extends", message))
            return layers, False
        if target is not None and target.path in [layer.target.path for layer in layers]:
            names = " -> ".join([layer.doc.file for layer in layers] + [ctx.display(target.path)])
            issues.append(Issue(doc.file, doc.line(("extends",)), "extends",
                                f"extends goes round in a circle: {names}. Remove the extends that closes "
                                "the circle, or start one of these files from base."))
            return layers, False
    return layers, True


def _extends_target(layer: _Layer, ctx: _Context) -> tuple[_Target | None, str | None]:
    """The file ``layer`` extends (None if it extends nothing), or a message saying what is wrong."""
    data = layer.doc.data
    if not isinstance(data, dict) or "extends" not in data:
        return None, None
    ref = data["extends"]
    if layer.target.path.name == BASE_FILE and layer.target.path.parent == ctx.root:
        return None, "the base scenario cannot extend another. Remove extends from it."
    if not isinstance(ref, str) or not ref.strip():
        return None, (f"expected the scenario this one starts from, got {_shown(ref)}. Write a scenario name "
                      "(e.g. base) or a path.")
    if not _is_path(ref):
        return _named(ref.strip(), ctx)
    path = Path(ref)
    path = _resolved(path if path.is_absolute() else layer.target.path.parent / path)
    if path is None:
        return None, f"{_shown(ref)}: {_UNRESOLVABLE}"
    if not layer.target.trusted and ctx.outside(path):
        return None, f"{_shown(ref)} is outside the folder {ctx.confine} that may be read. Extend a scenario by name."
    if not _is_file(path):
        looked = path.relative_to(ctx.confine).as_posix() if ctx.confine and path.is_relative_to(ctx.confine) \
            else ctx.display(path)
        return None, (f"file not found: {_shown(ref)} (looked for {shorten(looked, 200)}; paths are "
                      f"relative to this file). {did_you_mean(Path(ref).stem, ctx.scenario_names())}")
    return _Target(path, layer.target.trusted), None


# ---------------------------------------------------------------------------------------------
# Normalising one document against the schema


_INVALID = object()
"""What a normaliser method returns for a value it reported and dropped."""


class _Replacement(dict):
    """A mapping that replaces, rather than merges into, whatever is beneath it.

    A mapping written over a null (or a whole ``uncertainty`` entry) is one; merging keeps it so
    that merging stays associative.
    """


class _TooManyIssues(Exception):
    """A file has had MAX_ISSUES problems; checking it stops."""


class _Normaliser:
    """Turns one document into a tree of Params and Series, collecting issues.

    ``bad`` holds the key paths whose values were dropped, so they are not reported again as missing.
    """

    def __init__(self, layer: _Layer, ctx: _Context, issues: list[Issue]) -> None:
        self.layer, self.ctx, self.issues = layer, ctx, issues
        self.doc = layer.doc
        self.bad: set[KeyPath] = set(self.doc.broken)
        self.allowed = MAX_ISSUES - sum(1 for issue in issues if issue.file == self.doc.file)

    def document(self) -> tuple[dict, set[KeyPath]]:
        """The normalised tree of the whole document, and the dropped key paths."""
        try:
            return self._document()
        except _TooManyIssues:
            self.issues.append(too_many_issues(self.doc.file))
            return {}, self.bad | {()}

    def _document(self) -> tuple[dict, set[KeyPath]]:
        data = self.doc.data
        if not isinstance(data, dict):
            self.issue((), f"expected a mapping of keys at the top of the file, got {_shown(data)}. "
                           "Write `key: value` lines, starting with `extends: base` for a scenario.")
            return {}, self.bad | {()}
        for key in ("name", "description"):
            if key in data and not isinstance(data[key], str):
                self.issue((key,), f"expected text, got {_shown(data[key])}. Put it in quotes.")
        if isinstance(data.get("name"), str) and not data["name"].isprintable():
            self.issue(("name",), f"the name {_shown(data['name'])} holds a line break or a control character. "
                                  "Write the name on one line, in plain characters.")
        body = {key: value for key, value in data.items() if key not in _META_KEYS}
        return self.section((), body), self.bad

    def issue(self, parts: KeyPath, message: str) -> object:
        """Record an issue at ``parts`` (its value is dropped) and return the invalid marker."""
        if self.allowed <= 0:
            raise _TooManyIssues
        self.allowed -= 1
        self.issues.append(Issue(self.doc.file, self.doc.line(parts), dotted(parts), message))
        self.bad.add(parts)
        return _INVALID

    def provenance(self, parts: KeyPath, spec: KeySpec | None, form: dict | None = None) -> Provenance:
        """The Provenance of a value at ``parts`` from its provenance ``form`` (checked here)."""
        form = form or {}
        unit = spec.unit if spec else None
        for key in ("source", "note"):
            if key in form and not isinstance(form[key], str):
                self.issue(parts + (key,), f"expected text, got {_shown(form[key])}. Put it in quotes.")
        if "unit" in form and _unit_key(form["unit"]) != _unit_key(unit):
            self.issue(parts + ("unit",), _unit_message(form["unit"], spec))
        status = form.get("status")
        if status is not None and status not in STATUSES:
            self.issue(parts + ("status",), f"unknown status {_shown(status)}. "
                                            f"{did_you_mean(str(status), STATUSES)} Use sourced, inference or assumption.")
        if status == "sourced" and not form.get("source"):
            self.issue(parts + ("status",), "status is sourced but no source is given. Add source: "
                                            "\"<URL or citation>\", or make the status inference or assumption "
                                            "with a note saying how or why.")
        text = {key: form[key] if isinstance(form.get(key), str) else None for key in ("source", "note")}
        return Provenance(self.doc.file, self.doc.line(parts), text["source"],
                          status if status in STATUSES else None, text["note"], unit)

    def form(self, parts: KeyPath, raw: dict, value_key: str, spec: KeySpec) -> tuple[object, Provenance]:
        """Split a provenance form ``{value_key: ..., unit, source, status, note}`` into its value
        and its Provenance, reporting keys that do not belong."""
        allowed = (value_key,) + PROVENANCE_KEYS
        for key in raw:
            if key not in allowed:
                self.issue(parts + (key,), f"unknown key in a value with provenance. {did_you_mean(key, allowed)}")
        return raw[value_key], self.provenance(parts, spec, raw)

    def section(self, parts: KeyPath, raw: dict) -> dict:
        """A mapping of schema keys: each known key normalised, each unknown key reported."""
        out: dict[str, object] = {}
        for key, value in raw.items():
            child = parts + (key,)
            spec = schema.spec_for(child)
            if spec is None:
                self.issue(child, f"unknown key. {did_you_mean(key, schema.child_keys(parts))}")
                continue
            result = self.value(child, value, spec)
            if result is not _INVALID:
                out[key] = result
        return out

    def value(self, parts: KeyPath, raw: object, spec: KeySpec) -> object:
        """The normalised value of key ``parts`` of kind ``spec.kind``, or the invalid marker."""
        if spec.kind == "section":
            return self.mapping(parts, raw, spec)
        if spec.kind == "envelope":
            if raw is None:
                return Param(None, self.provenance(parts, spec))
            return self.mapping(parts, raw, spec)
        if spec.kind == "series":
            return self.series(parts, raw, spec)
        if spec.kind == "distribution":
            return self.distribution(parts, raw)
        prov = self.provenance(parts, spec)
        if isinstance(raw, dict) and spec.kind != "text":
            if "value" not in raw:
                return self.issue(parts, f"expected {spec.expects()}, got a mapping without value:. Write the "
                                         "value bare, or as {value: ..., source: ..., status: ...}.")
            raw, prov = self.form(parts, raw, "value", spec)
        checked = self.leaf(parts, raw, spec)
        return checked if checked is _INVALID else Param(checked, prov)

    def mapping(self, parts: KeyPath, raw: object, spec: KeySpec) -> object:
        """A section (or envelope) mapping; an optional section may be null, which empties it."""
        if isinstance(raw, dict):
            return self.section(parts, raw)
        if raw is None and not spec.required and spec.kind == "section":
            return _Replacement()
        return self.issue(parts, f"expected {spec.expects()}, got {_shown(raw)}. "
                                 f"Allowed keys here: {', '.join(schema.child_keys(parts)) or 'any name'}.")

    def leaf(self, parts: KeyPath, raw: object, spec: KeySpec) -> object:
        """A checked single value of kind ``spec.kind`` (not a section, series or distribution)."""
        kind = spec.kind
        if kind == "number":
            return self.number(parts, raw, spec)
        if kind == "month_or_null" and raw is None:
            return None
        if kind in ("year", "month", "month_or_null"):
            if isinstance(raw, bool) or not isinstance(raw, (str, int, date)):
                return self.issue(parts, f"expected {spec.expects()}, got {_shown(raw)}.")
            try:
                (parse_year if kind == "year" else parse_month)(str(raw))
            except PeriodError as err:
                return self.issue(parts, f"{shorten(str(err), 200)}.")
            problem = _calendar_problem(str(raw), kind == "year")
            return self.issue(parts, problem) if problem else str(raw)
        if kind == "word":
            if raw in spec.choices:
                return raw
            return self.issue(parts, f"unknown choice {_shown(raw)}. {did_you_mean(str(raw), spec.choices)}")
        if kind == "flag":
            if isinstance(raw, bool):
                return raw
            return self.issue(parts, f"expected true or false, got {_shown(raw)}. Write true or false, unquoted.")
        if kind == "path":
            return self.table_path(parts, raw)
        if kind == "include":
            return self.include(parts, raw)
        if isinstance(raw, str):
            return raw
        return self.issue(parts, f"expected text, got {_shown(raw)}. Put it in quotes.")

    def number(self, parts: KeyPath, raw: object, spec: KeySpec) -> object:
        """A finite number within ``spec``'s range, as a float."""
        if isinstance(raw, bool) or not isinstance(raw, (int, float)):
            return self.issue(parts, f"expected {spec.expects()}, got {_shown(raw)}. {_number_fix(raw, spec)}")
        try:
            value = float(raw)
        except OverflowError:
            value = math.inf
        if not math.isfinite(value):
            return self.issue(parts, f"must be a finite number, got {_shown(raw)}. Write a number "
                                     f"({', '.join(filter(None, (spec.unit, spec.range_text())))}).")
        unit = f" ({spec.unit})" if spec.unit else ""
        if not spec.in_bounds(value):
            hint = percent_hint(value, spec)
            fix = hint or f"{_range_reason(spec)}. Write a value in that range."
            return self.issue(parts, f"{value:g} is out of range: it must be {spec.range_text()}{unit}"
                                     f"{'.' if hint else ''}{fix}")
        if not spec.within_limits(value):
            return self.issue(parts, f"{value:g} is not a believable {spec.label.lower()}: it must be "
                                     f"{spec.limits_text()}{unit}. {_limits_reason(value, spec)}")
        return value

    def series(self, parts: KeyPath, raw: object, spec: KeySpec) -> object:
        """A Series from a bare number, ``{value: ...}``, ``{YYYY/YY: ...}`` or ``{values: {...}, ...}``."""
        if not isinstance(raw, (dict, int, float)):
            return self.issue(parts, f"expected {spec.expects()}, got {_shown(raw)}.")
        if not isinstance(raw, dict) or "value" in raw:
            before = self.value(parts, raw, _as_number(spec))
            return before if before is _INVALID else Series({}, before)
        prov = self.provenance(parts, spec)
        points_at = parts
        if "values" in raw:
            raw, prov = self.form(parts, raw, "values", spec)
            points_at = parts + ("values",)
            if not isinstance(raw, dict):
                before = self.value(points_at, raw, _as_number(spec))
                return before if before is _INVALID else Series({}, Param(before.value, prov))
        points = {}
        for label, point in raw.items():
            param = self.point(points_at + (label,), label, point, spec, prov)
            if param is not _INVALID:
                points[label] = param
        if points:
            return Series(points)
        if not raw:
            return self.issue(parts, "a series needs at least one year. Write a number for every year, or "
                                     "years and values such as {2024/25: 0.2, 2025/26: 0.3}.")
        return _INVALID

    def point(self, parts: KeyPath, label: str, raw: object, spec: KeySpec, shared: Provenance) -> object:
        """One year of a series: its label checked, its value a Param (own provenance or ``shared``)."""
        try:
            parse_year(label)
        except PeriodError as err:
            hint = (" To give a series with provenance, put its years under values:."
                    if label in PROVENANCE_KEYS else "")
            return self.issue(parts, f"{err}.{hint}")
        if isinstance(raw, dict):
            return self.value(parts, raw, _as_number(spec))
        number = self.number(parts, raw, spec)
        if number is _INVALID:
            return _INVALID
        return Param(number, Provenance(shared.file, self.doc.line(parts), shared.source, shared.status,
                                        shared.note, shared.unit))

    def table_path(self, parts: KeyPath, raw: object) -> object:
        """The ICB table path, resolved against this file's folder and shown as a display path."""
        if not isinstance(raw, str) or not raw.strip():
            return self.issue(parts, f"expected a path to a CSV file, got {_shown(raw)}. "
                                     "Write it relative to this file, e.g. data/icbs.csv.")
        path = Path(raw)
        path = _resolved(path if path.is_absolute() else self.layer.target.path.parent / path)
        if path is None:
            return self.issue(parts, f"{_shown(raw)}: {_UNRESOLVABLE}")
        if not self.layer.target.trusted and self.ctx.outside(path):
            return self.issue(parts, f"{_shown(raw)} is outside the folder {self.ctx.confine} that may be read. "
                                     "Use the project's ICB table, or put the table beside this file.")
        return self.ctx.display(path)

    def include(self, parts: KeyPath, raw: object) -> object:
        """``all``, or a tuple of the ICB codes and region names listed."""
        if raw == "all":
            return raw
        if not isinstance(raw, list) or not raw:
            return self.issue(parts, f"expected all or a list of ICB codes and region names, got {_shown(raw)}. "
                                     "Write all, or e.g. [QE1, Midlands].")
        names = []
        for index, item in enumerate(raw):
            if isinstance(item, str) and item.strip():
                names.append(item.strip())
            else:
                self.issue(parts + (str(index),), f"expected an ICB code or a region name, got {_shown(item)}.")
        return tuple(names) if len(names) == len(raw) else _INVALID

    def distribution(self, parts: KeyPath, raw: object) -> object:
        """An ``uncertainty`` entry: a whole mapping of Params, or Param(None) (null removes it)."""
        try:
            ref = schema.resolve_parameter(parts[-1])
        except ParameterError as err:
            return self.issue(parts, f"{err} An uncertainty key is the path of a parameter.")
        if raw is None:
            return Param(None, self.provenance(parts, None))
        if not isinstance(raw, dict):
            return self.issue(parts, f"expected a mapping with distribution, mode, low and high, got {_shown(raw)}.")
        prov = self.provenance(parts, None, {key: raw[key] for key in ("source", "status", "note") if key in raw})
        problems = _entry_problems(raw, ref)
        for sub, message in problems:
            self.issue(parts + sub, message)
        if problems:
            return _INVALID
        return _Replacement({
            key: Param(float(value) if isinstance(value, int) else value,
                       Provenance(prov.file, self.doc.line(parts + (key,)), prov.source, prov.status, prov.note))
            for key, value in raw.items() if key not in PROVENANCE_KEYS
        })


def _as_number(spec: KeySpec) -> KeySpec:
    """The number spec of one value of a series ``spec``."""
    return replace(spec, kind="number", choices=(), required=True, default=None)


def _limits_reason(value: float, spec: KeySpec) -> str:
    """Why a value beyond a key's sanity limits is refused, and how to fix it."""
    if spec.floor is not None and value < spec.floor:
        return (f"So small a value is a slip (a misplaced decimal point?){_range_reason(spec)}, and figures "
                "divided by it would overflow. Check it.")
    return ("So large a value is a slip (extra zeros, or pence for pounds?), and figures grown from it would "
            "overflow. Check it.")


def _calendar_problem(text: str, is_year: bool) -> str | None:
    """A message when a year label or month lies outside FIRST_YEAR to LAST_YEAR, else None."""
    year = parse_year(text) if is_year else parse_month(text) // 12
    if FIRST_YEAR <= year <= LAST_YEAR:
        return None
    what = "year" if is_year else "month"
    return (f"{text} is outside the years the model accepts ({FIRST_YEAR} to {LAST_YEAR}): a typo? Give a "
            f"{what} in that range{'' if is_year else ', or null for never'}.")


def _range_reason(spec: KeySpec) -> str:
    """', because …' when the key's range has a reason worth stating, else ''."""
    return f", because {spec.range_reason}" if spec.range_reason else ""


def _number_fix(raw: object, spec: KeySpec) -> str:
    """How to fix a value that should be a number."""
    if isinstance(raw, str):
        text = raw.strip().rstrip("%").replace(",", "")
        try:
            number = float(text)
        except ValueError:
            return "Write a number."
        if raw.strip().endswith("%"):
            return f"Write it as a fraction: {number / 100:g}." if (spec.unit or "").startswith("fraction") \
                else f"Write {number:g}."
        return f"Remove the quotes: write {number:g}."
    return "Write a number."


def _unit_key(unit: object) -> str:
    """A unit compared loosely: case and repeated spaces ignored."""
    return " ".join(str(unit).lower().split()) if unit is not None else ""


def _unit_message(given: object, spec: KeySpec | None) -> str:
    """The message for a ``unit`` that differs from the schema's."""
    if spec is None or spec.unit is None:
        return f"this key has no unit, got unit {_shown(given)}. Remove unit."
    return (f"unit {_shown(given)} is not this key's unit '{spec.unit}'. Give the value in {spec.unit} "
            f"with unit: {spec.unit}, or leave unit out.")


def _shown(raw: object) -> str:
    """A value as an error message shows it."""
    if raw is None:
        return "null"
    if isinstance(raw, bool):
        return "true" if raw else "false"
    if isinstance(raw, str):
        return f"'{shorten(raw)}'"
    if isinstance(raw, float) and not math.isfinite(raw):
        return ".nan" if math.isnan(raw) else ("-.inf" if raw < 0 else ".inf")
    if isinstance(raw, (int, float)):
        return shorten(f"{raw}")
    if isinstance(raw, dict):
        return "a mapping"
    if isinstance(raw, list):
        return "a list"
    if isinstance(raw, date):
        return f"the date {raw.isoformat()}"
    return type(raw).__name__


def _listed(words: tuple[str, ...]) -> str:
    """'a, b and c'."""
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


# ---------------------------------------------------------------------------------------------
# Uncertainty entries


def _entry_problems(raw: dict, ref: schema.ParameterRef) -> list[tuple[KeyPath, str]]:
    """Problems with one uncertainty entry ``raw`` for the parameter ``ref``, as (sub-path, message)."""
    unknown = [((key,), f"unknown key. {did_you_mean(key, _ENTRY_KEYS)}") for key in raw if key not in _ENTRY_KEYS]
    problems = []
    for key, choices in (("distribution", tuple(DISTRIBUTIONS)), ("mode", MODES)):
        if key not in raw:
            problems.append(((), f"missing {key}. An uncertainty entry needs distribution "
                                 f"({', '.join(DISTRIBUTIONS)}), mode ({', '.join(MODES)}), low and high."))
        elif raw[key] not in choices:
            problems.append(((key,), f"unknown {key} {_shown(raw[key])}. {did_you_mean(str(raw[key]), choices)}"))
    if problems:
        return unknown + problems
    problems = unknown
    kind, mode = raw["distribution"], raw["mode"]
    months = ref.target == "go_live" and mode == "set"
    takes = ("low",) + DISTRIBUTIONS[kind] + ("high",)
    problems += [((), f"missing {key}: a {kind} distribution takes {_listed(takes)}.") for key in takes if key not in raw]
    problems += [((key,), f"a {kind} distribution does not take {key}; it takes {_listed(takes)}. Remove {key}.")
                 for key in _SHAPE_KEYS if key in raw and key not in takes]
    numbers = {}
    for key in (key for key in takes if key in raw):
        number, message = _entry_number(raw[key], months and key in ("low", "peak", "high"))
        if message:
            problems.append(((key,), f"{key} {message}"))
        else:
            numbers[key] = number
    problems += _entry_fit(raw, ref, kind, mode)
    if all(key in numbers for key in takes):
        problems += _entry_bounds(raw, numbers, ref, mode, months)
    return problems


def _entry_number(raw: object, month: bool) -> tuple[float | None, str | None]:
    """A bound or shape value as a number (a month count when ``month``), or a message."""
    if month:
        try:
            count = parse_month(str(raw))
        except PeriodError as err:
            return None, f"must be a month with mode set on a go-live: {shorten(str(err), 200)}."
        problem = _calendar_problem(str(raw), False)
        return (None, f"is {problem}") if problem else (float(count), None)
    if isinstance(raw, bool) or not isinstance(raw, (int, float)):
        return None, f"must be a finite number, got {_shown(raw)}."
    try:
        number = float(raw)
    except OverflowError:
        number = math.inf
    if not math.isfinite(number):
        return None, f"must be a finite number, got {_shown(raw)}."
    return number, None


def _entry_fit(raw: dict, ref: schema.ParameterRef, kind: str, mode: str) -> list[tuple[KeyPath, str]]:
    """Problems with how an entry's distribution, mode, from_year and unit fit its parameter."""
    problems = []
    if ref.target == "go_live" and mode == "scale":
        problems.append((("mode",), "a go-live cannot be scaled. Use mode add (a shift in whole months) or set "
                                    "(months YYYY-MM)."))
    if ref.target == "go_live" and mode == "set" and kind not in ("uniform", "triangular"):
        problems.append((("distribution",), "with mode set a go-live draw is a month: use uniform or triangular "
                                            "with low and high as months (YYYY-MM), or mode add with months."))
    if "from_year" in raw:
        try:
            parse_year(str(raw["from_year"]))
        except PeriodError as err:
            problems.append((("from_year",), f"{err}."))
        if ref.target != "series":
            problems.append((("from_year",), "from_year applies a draw to a series from that year on, and "
                                             f"{ref.key} is not a whole series. Remove it, or name a series."))
    if "unit" in raw:
        unit = _draw_unit(ref, mode)
        if _unit_key(raw["unit"]) != _unit_key(unit):
            has = f"is in {unit}" if unit else "has no unit (it is a multiplier)"
            problems.append((("unit",), f"unit {_shown(raw['unit'])} does not fit: a {mode} draw on {ref.key} {has}. "
                                        "Correct it or leave unit out."))
    return problems


def _draw_unit(ref: schema.ParameterRef, mode: str) -> str | None:
    """The unit of a draw: the parameter's (months for a go-live), none for a scale factor."""
    if mode == "scale":
        return None
    if ref.target == "go_live":
        return "month" if mode == "set" else "months"
    return ref.spec.unit


def _entry_bounds(raw: dict, numbers: dict[str, float], ref: schema.ParameterRef, mode: str,
                  months: bool) -> list[tuple[KeyPath, str]]:
    """Problems with an entry's bounds and centre: order, the centre within, positive spreads,
    and bounds that the parameter can take (mode set) or that keep its sign (mode scale)."""
    low, high = numbers["low"], numbers["high"]
    if low >= high:
        return [(("low",), f"low ({raw['low']}) must be less than high ({raw['high']}). Swap them, or widen the "
                           "range; a fixed value is a scenario, not an uncertainty.")]
    problems = [((key,), f"{key} ({raw[key]}) must lie between low ({raw['low']}) and high ({raw['high']}).")
                for key in ("peak", "mean", "median") if key in numbers and not low <= numbers[key] <= high]
    problems += [((key,), f"{key} must be more than 0, got {raw[key]}.")
                 for key in ("sd", "sigma", "median") if key in numbers and numbers[key] <= 0]
    spec = ref.spec
    if mode == "set" and not months and not (spec.in_range(low) and spec.in_range(high)):
        limits = f", and {spec.limits_text()}" if spec.floor is not None or spec.ceiling is not None else ""
        problems.append(((), f"with mode set, low and high are values of the parameter, which must be "
                             f"{spec.range_text()}{limits} ({spec.unit}); got {low:g} to {high:g}."
                             f"{percent_hint(high, spec)}"))
    if ref.target == "go_live" and mode == "add" and max(abs(low), abs(high)) > MAX_SHIFT_MONTHS:
        problems.append(((), f"a go-live shift is in months and must stay within {MAX_SHIFT_MONTHS:,} months either "
                             f"way; got {low:g} to {high:g}. Check the bounds are months, not days."))
    if mode == "scale" and low < 0:
        problems.append((("low",), f"with mode scale a draw multiplies the parameter, so low must be 0 or more, "
                                   f"got {low:g}."))
    return problems


# ---------------------------------------------------------------------------------------------
# Merging (SPEC section 7)


def merge_trees(base: dict, over: dict) -> dict:
    """Merge the normalised document ``over`` onto ``base``, key by key, depth first.

    Series merge year by year (a series that is a bare number replaces the whole series); a
    mapping over a null or a leaf replaces it; anything else replaces. Associative, with ``{}`` as
    identity, so a chain may be merged in any grouping.
    """
    out = type(base)(base)
    for key, value in over.items():
        out[key] = _merge_value(base[key], value) if key in base else value
    return out


def _merge_value(base: object, over: object) -> object:
    """``over`` merged onto ``base`` (one key's value)."""
    if isinstance(over, _Replacement):
        return over
    if isinstance(over, dict):
        return merge_trees(base, over) if isinstance(base, dict) else _Replacement(over)
    if isinstance(over, Series) and over.before is None and isinstance(base, Series):
        return Series({**base.points, **over.points}, base.before)
    return over


def _plain(tree: dict) -> dict:
    """A merged tree with replacement mappings turned back into plain dicts."""
    return {key: _plain(value) if isinstance(value, dict) else value for key, value in tree.items()}


# ---------------------------------------------------------------------------------------------
# Checking the resolved scenario


def _complete(tree: dict, parts: KeyPath, file: str, partial: bool, bad: set[KeyPath],
              issues: list[Issue]) -> bool:
    """Fill defaults of optional keys in ``tree`` (at ``parts``) and report required keys missing,
    in ``file`` (the first file of the chain); ``partial`` when that file is not the base.

    Returns whether every required key is there (keys dropped for an issue already reported are
    missing but not reported again).
    """
    if parts == ("uncertainty",):
        for key in [key for key, value in tree.items() if isinstance(value, Param)]:
            del tree[key]
        return True
    complete = True
    for name in schema.child_keys(parts):
        child = parts + (name,)
        spec = schema.spec_for(child)
        if parts == () and name in _META_KEYS:
            continue
        if name not in tree and not spec.required:
            tree[name] = _default(spec)
        if name not in tree:
            complete = False
            if not any(child[: len(b)] == b for b in bad):
                issues.append(Issue(file, None, dotted(child), _missing_message(child, spec, partial)))
        elif isinstance(tree[name], dict):
            complete = _complete(tree[name], child, file, partial, bad, issues) and complete
    return complete


def _default(spec: KeySpec) -> object:
    """The default value of an optional key, with provenance saying it is the model's default."""
    if spec.kind == "section":
        return {}
    return Param(spec.default, Provenance(DEFAULT_FILE, None, unit=spec.unit,
                                          note="not set in any scenario file: the model's default"))


def _missing_message(parts: KeyPath, spec: KeySpec, partial: bool) -> str:
    """The message for a required key the resolved scenario lacks."""
    if spec.kind == "section":
        wanted = f"a section with {', '.join(schema.child_keys(parts))}"
    else:
        wanted = spec.expects()
    where = f"`{parts[-1]}:` under `{dotted(parts[:-1])}:`" if len(parts) > 1 else f"`{parts[0]}:`"
    also = ", or start from the base with `extends: base`" if partial else ""
    return f"missing: every scenario needs {spec.label.lower()}, {wanted}. Add {where}{also}."


def _check_resolved(tree: dict, ctx: _Context, issues: list[Issue]) -> pd.DataFrame | None:
    """Check what only the whole scenario shows; return the included ICBs (None if unreadable)."""
    horizon_ok = _check_horizon(tree["horizon"], issues)
    if horizon_ok:
        _check_cut_path(tree["running_cost_cut"]["path"], tree["horizon"]["base_year"].value, issues)
    table_param = tree["icbs"]["table"]
    table, table_issues = _load_icb_table(ctx.from_display(table_param.value), table_param.value, table_param.prov)
    issues.extend(table_issues)
    if table is None:
        return None
    regions, codes = list(dict.fromkeys(table["region"])), list(table["code"])
    for function, settings in tree["delegation"].items():
        for group, known, what in (("by_region", regions, "region"), ("by_icb", codes, "ICB code")):
            for key, param in settings["go_live"][group].items():
                if key not in known:
                    path = f"delegation.{function}.go_live.{group}.{key}"
                    issues.append(Issue(param.prov.file, param.prov.line, path,
                                        f"unknown {what} '{key}': it is not in {table_param.value}. "
                                        f"{did_you_mean(key, known)}"))
    return _included(table, tree["icbs"]["include"], table_param.value, issues)


def _check_horizon(horizon: dict, issues: list[Issue]) -> bool:
    """Check the horizon runs forwards and not too far; return whether it is usable."""
    base, end = horizon["base_year"], horizon["end_year"]
    years = parse_year(end.value) - parse_year(base.value) + 1
    if years < 1:
        issues.append(Issue(end.prov.file, end.prov.line, "horizon.end_year",
                            f"the horizon ends ({end.value}) before it starts ({base.value}). "
                            "Make end_year the same as base_year or later."))
    elif years > MAX_HORIZON_YEARS:
        issues.append(Issue(end.prov.file, end.prov.line, "horizon.end_year",
                            f"the horizon is {years} years long, more than {MAX_HORIZON_YEARS}. Bring end_year "
                            "closer to base_year."))
    return 1 <= years <= MAX_HORIZON_YEARS


def _check_cut_path(path: Series, base_year: str, issues: list[Issue]) -> None:
    """The cut path must list a year at or after the base year."""
    last = path.last_listed()
    if last is not None and parse_year(last) >= parse_year(base_year):
        return
    prov = (path.points[last] if last else path.before).prov
    issues.append(Issue(prov.file, prov.line, "running_cost_cut.path",
                        f"the cut path lists no year at or after the base year {base_year}, so the model cannot "
                        "tell when the cut applies. List the cumulative cut by year, e.g. {2024/25: 0.2, 2025/26: 0.3}."))


def _included(table: pd.DataFrame, include: Param, shown: str, issues: list[Issue]) -> pd.DataFrame | None:
    """The rows of ``table`` (named ``shown``) that ``icbs.include`` selects, in table order."""
    if include.value == "all":
        return table
    known = list(table["code"]) + list(dict.fromkeys(table["region"]))
    unknown = [name for name in include.value if name not in known]
    for name in unknown:
        issues.append(Issue(include.prov.file, include.prov.line, "icbs.include",
                            f"unknown ICB code or region '{name}': it is not in {shown}. {did_you_mean(name, known)}"))
    if unknown:
        return None
    chosen = table["code"].isin(include.value) | table["region"].isin(include.value)
    return table[chosen].reset_index(drop=True)


def _load_icb_table(path: Path, display: str, prov: Provenance) -> tuple[pd.DataFrame | None, list[Issue]]:
    """Read and check the ICB table at ``path`` (named ``display``; ``prov`` is where it was set).

    Returns the table (code, name, region as text; population and baseline_rca_gbp as floats,
    NaN where baseline_rca_gbp is empty; other columns kept) or None, and every issue found.
    """
    where = Issue(prov.file, prov.line, "icbs.table", "")
    try:
        raw = read_limited(path, MAX_TABLE_BYTES)
    except ReadProblem as problem:
        if problem.kind == "too_big":
            return None, [_replace(where, f"the ICB table {display} is over {MAX_TABLE_BYTES:,} bytes. "
                                          "Check it is the right file.")]
        return None, [_replace(where, f"cannot read the ICB table {display}"
                                      f"{' (it is not a file)' if problem.kind == 'not_a_file' else ''}. "
                                      "Check the path; it is relative to the file that sets it.")]
    text, issue = decode_utf8(raw, display)
    if issue:
        return None, [issue]
    ragged = _ragged_rows(text, display)
    if ragged:
        return None, ragged
    try:
        table = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, skipinitialspace=True,
                            index_col=False)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, ValueError) as err:
        return None, [Issue(display, None, "", f"cannot read the table as CSV ({shorten(' '.join(str(err).split()), 200)}). "
                                                "Save it as comma-separated values with a header row.")]
    table = table.fillna("").reset_index(drop=True)
    table.columns = [str(column).strip() for column in table.columns]
    issues = [Issue(display, 1, column, f"missing column '{column}'.{_column_hint(column, list(table.columns))} "
                                        f"The table needs columns {', '.join(ICB_COLUMNS)} (and optionally "
                                        "baseline_rca_gbp).")
              for column in ICB_COLUMNS if column not in table.columns]
    if issues:
        return None, issues
    if table.empty:
        return None, [Issue(display, None, "", "the table has no ICBs. Add a row per ICB.")]
    if len(table) > MAX_TABLE_ROWS:
        return None, [Issue(display, None, "", f"the table has {len(table):,} rows, more than the {MAX_TABLE_ROWS:,} "
                                                "the model runs (England has 42 ICBs). Check it is the right file.")]
    return _clean_table(table, display, issues), issues


def _ragged_rows(text: str, display: str) -> list[Issue]:
    """An issue for each row with more cells than the header (a comma inside an unquoted name?),
    or for text the CSV reader cannot split at all."""
    issues = []
    try:
        reader = csv.reader(io.StringIO(text, newline=""), skipinitialspace=True)
        header = next(reader, [])
        for row in reader:
            if len(row) > len(header):
                issues.append(Issue(display, reader.line_num, "", f"the row has {len(row)} cells but the header "
                                                                  f"has {len(header)}. A comma inside a name? Put "
                                                                  "the name in double quotes."))
                if len(issues) >= MAX_ISSUES:
                    break
    except csv.Error as err:
        return [Issue(display, None, "", f"cannot read the table as CSV ({shorten(str(err), 200)}). Save it as "
                                         "comma-separated values with a header row.")]
    return issues


def _column_hint(column: str, present: list[str]) -> str:
    """' Did you mean 'x'?' for a present column that looks like the missing ``column``, else ''."""
    lowered = {name.lower(): name for name in present if name not in ICB_COLUMNS}
    close = difflib.get_close_matches(column, list(lowered), n=1, cutoff=0.4)
    return f" Did you mean '{lowered[close[0]]}'?" if close else ""


def _replace(issue: Issue, message: str) -> Issue:
    """``issue`` with another message."""
    return Issue(issue.file, issue.line, issue.path, message)


def _clean_table(table: pd.DataFrame, display: str, issues: list[Issue]) -> pd.DataFrame | None:
    """The ICB table with text trimmed and numbers parsed; None (with issues) if any row is bad."""
    table = table.copy()
    for column in ("code", "name", "region"):
        table[column] = table[column].str.strip()
    if "baseline_rca_gbp" not in table.columns:
        table["baseline_rca_gbp"] = ""
    first_line: dict[str, int] = {}
    count = len(issues)
    for index, row in table.iterrows():
        line = int(index) + 2
        for column in ("code", "name", "region"):
            if not row[column]:
                issues.append(Issue(display, line, column, f"empty {column}. Fill it in for every ICB."))
        if row["code"] in first_line:
            issues.append(Issue(display, line, "code", f"duplicate code '{shorten(row['code'])}' (first on line "
                                                       f"{first_line[row['code']]}). Each ICB appears once."))
        first_line.setdefault(row["code"], line)
        _check_cell(row["population"], line, "population", display, False, issues)
        _check_cell(row["baseline_rca_gbp"], line, "baseline_rca_gbp", display, True, issues)
    if len(issues) > count:
        return None
    table["population"] = table["population"].str.replace(",", "").astype(float)
    table["baseline_rca_gbp"] = pd.to_numeric(table["baseline_rca_gbp"].str.replace(",", ""), errors="coerce")
    return table


def _check_cell(cell: str, line: int, column: str, display: str, optional: bool, issues: list[Issue]) -> None:
    """A positive finite number in an ICB table cell (empty allowed when ``optional``)."""
    text = cell.strip().replace(",", "")
    if optional and not text:
        return
    try:
        value = float(text)
    except ValueError:
        issues.append(Issue(display, line, column, f"'{shorten(cell)}' is not a number. Write it in figures, "
                                                   "e.g. 1250000."))
        return
    why = "per-head figures divide by it" if column == "population" else "'vs base' ratios divide by it"
    fix = "leave the cell empty to use rca_per_head_gbp" if optional else "give the ICB's population"
    if not math.isfinite(value) or value <= 0:
        issues.append(Issue(display, line, column, f"{shorten(cell)} must be a number more than 0, because {why}. "
                                                   f"Correct it, or {fix}."))
        return
    least, most = POPULATION_LIMITS if column == "population" else RCA_LIMITS
    if not least <= value <= most:
        what = "people" if column == "population" else "pounds (£)"
        issues.append(Issue(display, line, column, f"{shorten(cell)} is not believable here: it must be {least:,.0f} "
                                                   f"to {most:,.0f} {what}. Check it for a slip (extra zeros, a "
                                                   f"misplaced decimal point), or {fix}."))


def _check_uncertainty(scenario: Scenario, issues: list[Issue]) -> None:
    """Each uncertainty entry must name a parameter this scenario has (an envelope's needs one)."""
    for path, entry in scenario.tree["uncertainty"].items():
        try:
            schema.resolve_parameter(path, scenario)
        except ParameterError as err:
            prov = next(iter(entry.values())).prov
            issues.append(Issue(prov.file, prov.line, f"uncertainty.{path}", str(err)))
