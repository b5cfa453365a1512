"""Normalising one document against the schema: each value checked against its key's kind, unit
and range, and turned into a :class:`~model.provenance.Param` or :class:`~model.provenance.Series`
carrying its provenance. Every problem is collected as an :class:`~model.scenario.yamlio.Issue`."""

from __future__ import annotations

import math
from dataclasses import replace
from datetime import date
from enum import Enum
from pathlib import Path
from typing import Final

from model import schema
from model.periods import PeriodError, parse_month, parse_year
from model.provenance import PROVENANCE_KEYS, STATUSES, Param, Provenance, Series
from model.scenario.complete import META_KEYS
from model.scenario.files import NO_FILES_FROM_TEXT, UNRESOLVABLE, Context, Layer, resolved_path
from model.scenario.merge import Replacement
from model.scenario.organisations import ChangeSpec
from model.scenario.published import check_year as year_problem
from model.scenario.resolved import Node
from model.scenario.uncertainty import entry_problems
from model.scenario.values import (
    calendar_problem,
    limits_reason,
    number_fix,
    range_reason,
    shown,
    unit_key,
    unit_message,
)
from model.scenario.yamlio import MAX_ISSUES, Issue, dotted, shorten, too_many_issues
from model.schema import KeyPath, KeySpec, ParameterError, did_you_mean, percent_hint


class _Invalid(Enum):
    """The type of :data:`INVALID` (an enum of one member, so that type checkers can tell it apart)."""

    INVALID = "invalid"


INVALID: Final = _Invalid.INVALID

_MONTH = KeySpec("effective", "month", "Effective month", "The April an organisation change takes effect.", "month")
"""How a change's ``effective`` month is checked."""
"""What a normaliser method returns for a value it reported and dropped."""


class _TooManyIssues(Exception):
    """A file has had MAX_ISSUES problems; checking it stops."""


class Normaliser:
    """Turns one document into a tree of Params and Series, collecting issues.

    ``bad`` holds the key paths whose values were dropped, so they are not reported again as missing.
    """

    def __init__(self, layer: Layer, ctx: Context, issues: list[Issue]) -> None:
        self.layer, self.ctx, self.issues = layer, ctx, issues
        self.doc = layer.doc
        self.bad: set[KeyPath] = set(self.doc.broken)
        self.allowed = MAX_ISSUES - sum(1 for issue in issues if issue.file == self.doc.file)

    def document(self) -> tuple[dict[str, Node], set[KeyPath]]:
        """The normalised tree of the whole document, and the dropped key paths."""
        try:
            return self._document()
        except _TooManyIssues:
            self.issues.append(too_many_issues(self.doc.file))
            return {}, self.bad | {()}

    def _document(self) -> tuple[dict[str, Node], set[KeyPath]]:
        data = self.doc.data
        if not isinstance(data, dict):
            self.issue((), f"expected a mapping of keys at the top of the file, got {shown(data)}. "
                           "Write `key: value` lines, starting with `extends: base` for a scenario.")
            return {}, self.bad | {()}
        for key in ("name", "description"):
            if key in data and not isinstance(data[key], str):
                self.issue((key,), f"expected text, got {shown(data[key])}. Put it in quotes.")
        if isinstance(data.get("name"), str) and not data["name"].isprintable():
            self.issue(("name",), f"the name {shown(data['name'])} holds a line break or a control character. "
                                  "Write the name on one line, in plain characters.")
        body = {key: value for key, value in data.items() if key not in META_KEYS}
        return self.section((), body), self.bad

    def issue(self, parts: KeyPath, message: str) -> _Invalid:
        """Record an issue at ``parts`` (its value is dropped) and return the invalid marker."""
        if self.allowed <= 0:
            raise _TooManyIssues
        self.allowed -= 1
        self.issues.append(Issue(self.doc.file, self.doc.line(parts), dotted(parts), message))
        self.bad.add(parts)
        return INVALID

    def shown(self, parts: KeyPath, raw: object) -> str:
        """A value as a message shows it: as written in the file when YAML read a word as true or
        false (``off``), else as :func:`~model.scenario.values.shown` does."""
        written = self.doc.booleans.get(parts)
        return f"'{shorten(written)}' (read as {shown(raw)})" if written and written not in ("true", "false") \
            else shown(raw)

    def provenance(self, parts: KeyPath, spec: KeySpec | None, form: dict[str, object] | None = None) -> Provenance:
        """The Provenance of a value at ``parts`` from its provenance ``form`` (checked here)."""
        form = form or {}
        unit = spec.unit if spec else None
        for key in ("source", "note"):
            if key in form and not isinstance(form[key], str):
                self.issue((*parts, key), f"expected text, got {shown(form[key])}. Put it in quotes.")
        if "unit" in form and unit_key(form["unit"]) != unit_key(unit):
            self.issue((*parts, "unit"), unit_message(form["unit"], spec))
        status = form.get("status")
        if status is not None and status not in STATUSES:
            self.issue((*parts, "status"), f"unknown status {shown(status)}. "
                                           f"{did_you_mean(str(status), STATUSES)} "
                                           "Use sourced, inference or assumption.")
        if status == "sourced" and not form.get("source"):
            self.issue((*parts, "status"), "status is sourced but no source is given. Add source: "
                                           "\"<URL or citation>\", or make the status inference or assumption "
                                           "with a note saying how or why.")
        text = {key: value for key in ("source", "note") if isinstance(value := form.get(key), str)}
        return Provenance(self.doc.file, self.doc.line(parts), text.get("source"),
                          status if status in STATUSES else None, text.get("note"), unit)

    def form(self, parts: KeyPath, raw: dict[str, object], value_key: str,
             spec: KeySpec) -> tuple[object, Provenance]:
        """Split a provenance form ``{value_key: ..., unit, source, status, note}`` into its value
        and its Provenance, reporting keys that do not belong."""
        allowed = (value_key, *PROVENANCE_KEYS)
        for key in raw:
            if key not in allowed:
                self.issue((*parts, key), f"unknown key in a value with provenance. {did_you_mean(key, allowed)}")
        return raw[value_key], self.provenance(parts, spec, raw)

    def section(self, parts: KeyPath, raw: dict[str, object]) -> dict[str, Node]:
        """A mapping of schema keys: each known key normalised, each unknown key reported."""
        out: dict[str, Node] = {}
        for key, value in raw.items():
            child = (*parts, key)
            spec = schema.spec_for(child)
            if spec is None:
                self.issue(child, f"unknown key. {did_you_mean(key, schema.child_keys(parts))}")
                continue
            if spec.pattern.split(".")[len(child) - 1] == "YEAR" and (problem := year_problem(key)):
                self.issue(child, f"{problem}. Name a financial year such as 2026/27.")
                continue
            result = self.value(child, value, spec)
            if result is not INVALID:
                out[key] = result
        return out

    def value(self, parts: KeyPath, raw: object, spec: KeySpec) -> Node | _Invalid:
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
        if spec.kind == "changes":
            return self.changes(parts, raw, spec)
        return self.single(parts, raw, spec)

    def single(self, parts: KeyPath, raw: object, spec: KeySpec) -> Param | _Invalid:
        """The Param of a single value (not a section, series or distribution), or the invalid marker."""
        prov = self.provenance(parts, spec)
        if isinstance(raw, dict) and spec.kind != "text":
            if "value" not in raw:
                return self.issue(parts, f"expected {spec.expects()}, got a mapping without value:. Write the "
                                         "value bare, or as {value: ..., source: ..., status: ...}.")
            raw, prov = self.form(parts, raw, "value", spec)
        checked = self.leaf(parts, raw, spec)
        return checked if checked is INVALID else Param(checked, prov)

    def mapping(self, parts: KeyPath, raw: object, spec: KeySpec) -> dict[str, Node] | _Invalid:
        """A section (or envelope) mapping; an optional section may be null, which empties it."""
        if isinstance(raw, dict):
            return self.section(parts, raw)
        if raw is None and not spec.required and spec.kind == "section":
            return Replacement()
        return self.issue(parts, f"expected {spec.expects()}, got {shown(raw)}. "
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
                return self.issue(parts, f"expected {spec.expects()}, got {shown(raw)}.")
            try:
                (parse_year if kind == "year" else parse_month)(str(raw))
            except PeriodError as err:
                return self.issue(parts, f"{shorten(str(err), 200)}.")
            problem = calendar_problem(str(raw), kind == "year")
            return self.issue(parts, problem) if problem else str(raw)
        if kind == "word":
            if raw in spec.choices:
                return raw
            if isinstance(raw, bool):
                return self.issue(parts, f"unknown choice {self.shown(parts, raw)}: YAML reads an unquoted yes, no, "
                                         "on, off, true or false as true or false (YAML 1.1 booleans). Write one of "
                                         f"{', '.join(spec.choices)}.")
            return self.issue(parts, f"unknown choice {shown(raw)}. {did_you_mean(str(raw), spec.choices)}")
        if kind == "flag":
            if isinstance(raw, bool):
                return raw
            return self.issue(parts, f"expected true or false, got {self.shown(parts, raw)}. Write true or false, "
                                     "unquoted.")
        if kind == "path":
            return self.table_path(parts, raw)
        if kind == "include":
            return self.include(parts, raw)
        if isinstance(raw, str):
            return raw
        return self.issue(parts, f"expected text, got {shown(raw)}. Put it in quotes.")

    def number(self, parts: KeyPath, raw: object, spec: KeySpec) -> float | _Invalid:
        """A finite number within ``spec``'s range, as a float."""
        if isinstance(raw, bool) or not isinstance(raw, (int, float)):
            return self.issue(parts, f"expected {spec.expects()}, got {self.shown(parts, raw)}. "
                                     f"{number_fix(raw, spec, parts in self.doc.quoted)}")
        try:
            value = float(raw)
        except OverflowError:
            value = math.inf
        if not math.isfinite(value):
            return self.issue(parts, f"must be a finite number, got {shown(raw)}. Write a number "
                                     f"({', '.join(filter(None, (spec.unit, spec.range_text())))}).")
        unit = f" ({spec.unit})" if spec.unit else ""
        if not spec.in_bounds(value):
            hint = percent_hint(value, spec)
            fix = hint or f"{range_reason(spec)}. Write a value in that range."
            return self.issue(parts, f"{value:g} is out of range: it must be {spec.range_text()}{unit}"
                                     f"{'.' if hint else ''}{fix}")
        if not spec.within_limits(value):
            return self.issue(parts, f"{value:g} is not a believable {spec.label.lower()}: it must be "
                                     f"{spec.limits_text()}{unit}. {limits_reason(value, spec)}")
        return value

    def series(self, parts: KeyPath, raw: object, spec: KeySpec) -> Series | _Invalid:
        """A Series from a bare number, ``{value: ...}``, ``{YYYY/YY: ...}`` or ``{values: {...}, ...}``."""
        if not isinstance(raw, (dict, int, float)):
            return self.issue(parts, f"expected {spec.expects()}, got {shown(raw)}.")
        if not isinstance(raw, dict) or "value" in raw:
            before = self.single(parts, raw, as_number(spec))
            return before if before is INVALID else Series({}, before)
        prov = self.provenance(parts, spec)
        points_at = parts
        if "values" in raw:
            raw, prov = self.form(parts, raw, "values", spec)
            points_at = (*parts, "values")
            if not isinstance(raw, dict):
                before = self.single(points_at, raw, as_number(spec))
                return before if before is INVALID else Series({}, Param(before.value, prov))
        points: dict[str, Param] = {}
        for label, point in raw.items():
            param = self.point((*points_at, label), label, point, spec, prov)
            if param is not INVALID:
                points[label] = param
        if points:
            return Series(points)
        if not raw:
            return self.issue(parts, "a series needs at least one year. Write a number for every year, or "
                                     "years and values such as {2024/25: 0.2, 2025/26: 0.3}.")
        return INVALID

    def point(self, parts: KeyPath, label: str, raw: object, spec: KeySpec, shared: Provenance) -> Param | _Invalid:
        """One year of a series: its label checked, its value a Param (own provenance or ``shared``)."""
        try:
            parse_year(label)
        except PeriodError as err:
            hint = (" To give a series with provenance, put its years under values:."
                    if label in PROVENANCE_KEYS else "")
            return self.issue(parts, f"{err}.{hint}")
        if isinstance(raw, dict):
            return self.single(parts, raw, as_number(spec))
        number = self.number(parts, raw, spec)
        if number is INVALID:
            return INVALID
        return Param(number, Provenance(shared.file, self.doc.line(parts), shared.source, shared.status,
                                        shared.note, shared.unit))

    def table_path(self, parts: KeyPath, raw: object) -> str | _Invalid:
        """The ICB table path, resolved against this file's folder and shown as a display path."""
        if not isinstance(raw, str) or not raw.strip():
            return self.issue(parts, f"expected a path to a CSV file, got {shown(raw)}. "
                                     "Write it relative to this file, e.g. data/icbs.csv.")
        folder = self.layer.folder
        if folder is None:
            return self.issue(parts, f"{NO_FILES_FROM_TEXT}. Remove {parts[-1]} to use the files of the "
                                     "scenario it extends.")
        path = resolved_path(Path(raw) if Path(raw).is_absolute() else folder / raw)
        if path is None:
            return self.issue(parts, f"{shown(raw)}: {UNRESOLVABLE}")
        return self.ctx.display(path)

    def changes(self, parts: KeyPath, raw: object, spec: KeySpec) -> Param | _Invalid:
        """The list of organisation changes, as a Param of a tuple of ChangeSpecs (a list replaces
        the whole list of the scenario it extends)."""
        if not isinstance(raw, list):
            return self.issue(parts, f"expected {spec.expects()}, got {shown(raw)}. Write [] for no changes.")
        found = []
        for index, item in enumerate(raw):
            where = (*parts, str(index))
            if not isinstance(item, dict):
                self.issue(where, f"expected a change (a mapping with effective and table), got {shown(item)}.")
                continue
            for key in item:
                if key not in ("effective", "table", "icbs", *PROVENANCE_KEYS[1:]):
                    self.issue((*where, key), f"unknown key in a change. "
                                              f"{did_you_mean(str(key), ('effective', 'table', 'icbs'))}")
            month = self.leaf((*where, "effective"), item.get("effective"), _MONTH)
            table = self.table_path((*where, "table"), item.get("table"))
            icbs = None if item.get("icbs") is None else self.table_path((*where, "icbs"), item["icbs"])
            if INVALID not in (month, table, icbs):
                found.append(ChangeSpec(str(month), str(table), None if icbs is None else str(icbs)))
        if len(found) != len(raw):
            return INVALID
        months = [parse_month(change.effective) for change in found]
        if months != sorted(set(months)):
            return self.issue(parts, "list the changes in the order they take effect, one change to a month.")
        return Param(tuple(found), self.provenance(parts, spec))

    def include(self, parts: KeyPath, raw: object) -> str | tuple[str, ...] | _Invalid:
        """``all``, or a tuple of the ICB codes and region names listed."""
        if raw == "all":
            return raw
        if not isinstance(raw, list) or not raw:
            return self.issue(parts, f"expected all or a list of ICB codes and region names, got {shown(raw)}. "
                                     "Write all, or e.g. [QE1, Midlands].")
        names = []
        for index, item in enumerate(raw):
            if isinstance(item, str) and item.strip():
                names.append(item.strip())
            else:
                self.issue((*parts, str(index)), f"expected an ICB code or a region name, got {shown(item)}.")
        return tuple(names) if len(names) == len(raw) else INVALID

    def distribution(self, parts: KeyPath, raw: object) -> Param | Replacement | _Invalid:
        """An ``uncertainty`` entry: a whole mapping of Params, or Param(None) (null removes it)."""
        try:
            ref = schema.resolve_parameter(parts[-1])
        except ParameterError as err:
            return self.issue(parts, f"{err} An uncertainty key is the path of a parameter.")
        if raw is None:
            return Param(None, self.provenance(parts, None))
        if not isinstance(raw, dict):
            return self.issue(parts, f"expected a mapping with distribution, mode, low and high, got {shown(raw)}.")
        prov = self.provenance(parts, None, {key: raw[key] for key in ("source", "status", "note") if key in raw})
        problems = entry_problems(raw, ref)
        for sub, message in problems:
            self.issue(parts + sub, message)
        if problems:
            return INVALID
        return Replacement({
            key: Param(float(value) if isinstance(value, int) else value,
                       Provenance(prov.file, self.doc.line((*parts, key)), prov.source, prov.status, prov.note))
            for key, value in raw.items() if key not in PROVENANCE_KEYS
        })


def as_number(spec: KeySpec) -> KeySpec:
    """The number spec of one value of a series ``spec``."""
    return replace(spec, kind="number", choices=(), required=True, default=None)


