"""The keys of a scenario file, from keys.yaml: kind, unit, range and role of each.

Key paths are dotted; in a pattern, ``F`` stands for one of the four delegated functions,
``REGION`` for an NHS England region, ``CODE`` for an ICB code and ``PATH`` for a parameter path
(the keys of ``uncertainty``). :func:`spec_for` finds the :class:`KeySpec` of any path.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from model.schema.data import load
from model.schema.units import Unit
from model.schema.units import unit as unit_of_id

KINDS = ("section", "text", "year", "month", "month_or_null", "path", "include", "number", "series",
         "word", "flag", "envelope", "distribution", "changes")
"""Kinds of key. ``section`` is a mapping of further keys; ``envelope`` is a section or null;
``series`` is a per-year series; ``distribution`` an ``uncertainty`` entry; ``changes`` the list of
organisation changes."""

ROLES = ("setting", "lever", "uncertainty")
"""What a key is to a user: a setting of the run, a lever (a policy choice), or an uncertainty
(outside anyone's control, or an estimate). Tables and charts keep levers and uncertainties apart."""

NUMERIC_KINDS = ("number", "series")
WILDCARDS = ("REGION", "CODE", "PATH", "YEAR")

FUNCTIONS: tuple[str, ...] = tuple(load("keys.yaml")["functions"])
"""The delegated functions, in the order reports show them."""

KeyPath = tuple[str, ...]
@dataclass(frozen=True)
class KeySpec:
    """One key of the scenario format.

    ``low``/``high`` bound numbers (None: unbounded); ``low_open``/``high_open`` exclude the bound
    itself; ``range_reason`` says why a bound matters when that is not obvious. A key that is not
    ``required`` takes ``default`` when no file sets it.

    ``floor``/``ceiling`` are sanity limits inside that range, far beyond any real value (a salary
    of at least £1 and at most £10m), which keep every figure the model computes finite: without
    them a salary of 1e-300 or 1e308 is "more than 0" yet overflows the arithmetic. ``in_range``
    checks both; ``range_text`` gives the range a modeller thinks in, ``limits_text`` the limits.
    """

    pattern: str
    kind: str
    label: str
    description: str
    unit: str | None = None
    low: float | None = None
    high: float | None = None
    low_open: bool = False
    high_open: bool = False
    choices: tuple[str, ...] = ()
    required: bool = True
    default: object = None
    role: str = "setting"
    range_reason: str = ""
    floor: float | None = None
    ceiling: float | None = None

    def in_range(self, value: float) -> bool:
        """Whether the number ``value`` is allowed: within the range and the sanity limits."""
        return self.in_bounds(value) and self.within_limits(value)

    def in_bounds(self, value: float) -> bool:
        """Whether the number ``value`` is within the range ``low`` to ``high``."""
        if self.low is not None and (value < self.low or (self.low_open and value == self.low)):
            return False
        return self.high is None or not (value > self.high or (self.high_open and value == self.high))

    def within_limits(self, value: float) -> bool:
        """Whether the number ``value`` is within the sanity limits ``floor`` to ``ceiling``."""
        return (self.floor is None or value >= self.floor) and (self.ceiling is None or value <= self.ceiling)

    def limits_text(self) -> str:
        """The sanity limits in words: 'at least 1 and at most 10,000,000'."""
        parts = ([f"at least {self.floor:,g}"] if self.floor is not None else []) + \
                ([f"at most {self.ceiling:,.0f}"] if self.ceiling is not None else [])
        return " and ".join(parts) or "any finite number"

    def range_text(self) -> str:
        """The allowed range in words: '0 to 1', 'more than 0', '0 or more', '0 to less than 1'."""
        if self.low is not None and self.high is not None:
            return f"{_num(self.low)} to {'less than ' if self.high_open else ''}{_num(self.high)}"
        if self.low is not None:
            return f"more than {_num(self.low)}" if self.low_open else f"{_num(self.low)} or more"
        if self.high is not None:
            return f"less than {_num(self.high)}" if self.high_open else f"{_num(self.high)} or less"
        return "any finite number"

    def expects(self) -> str:
        """What a value of this key must be, in words, for error messages."""
        unit = f"{self.unit}, " if self.unit else ""
        return {
            "section": "a mapping of keys",
            "text": "text",
            "year": "a financial year label such as 2025/26",
            "month": "a month YYYY-MM such as 2023-07",
            "month_or_null": "a month YYYY-MM such as 2023-07, or null for never",
            "path": "a path to a CSV file",
            "include": "`all` or a list of ICB codes and region names",
            "number": f"a number ({unit}{self.range_text()})",
            "series": f"a number or a series such as {{2024/25: 0.2, 2025/26: 0.3}} ({unit}{self.range_text()})",
            "word": "one of " + ", ".join(self.choices),
            "flag": "true or false",
            "envelope": "null (no envelope) or a mapping with per_head_gbp, effective and uplift",
            "distribution": "a mapping with distribution, mode, low and high",
            "changes": "a list of changes, each a mapping with effective (an April, YYYY-04) and table (a CSV path)",
        }[self.kind]

    @property
    def unit_info(self) -> Unit:
        """The key's unit from units.yaml (how it is written and shown)."""
        return unit_of_id(self.unit)


def _num(value: float) -> str:
    """A bound for display (0.1, not 0.1000000001; 24, not 24.0)."""
    return f"{value:g}"


def _spec(entry: dict[str, Any]) -> KeySpec:
    """A KeySpec from one entry of keys.yaml."""
    def number(name: str) -> float | None:
        value = entry.get(name)
        return None if value is None else float(value)

    kind = entry["kind"]
    if kind not in KINDS:
        raise ValueError(f"keys.yaml: {entry['key']} has unknown kind {kind}")
    default = entry.get("default")
    if kind == "number" and default is not None:
        default = float(default)
    return KeySpec(
        pattern=entry["key"], kind=kind, label=entry["label"], description=entry["description"],
        unit=entry.get("unit"), low=number("low"), high=number("high"),
        low_open=bool(entry.get("low_open", False)), high_open=bool(entry.get("high_open", False)),
        choices=tuple(entry.get("choices", ())), required=bool(entry.get("required", True)), default=default,
        role=entry.get("role", "setting"), range_reason=entry.get("range_reason", ""),
        floor=number("floor"), ceiling=number("ceiling"),
    )


SCHEMA: tuple[KeySpec, ...] = tuple(_spec(entry) for entry in load("keys.yaml")["keys"])
"""Every key of the scenario format, in the order docs/scenario-format.md lists them."""

_BY_PARTS: tuple[tuple[KeyPath, KeySpec], ...] = tuple((tuple(s.pattern.split(".")), s) for s in SCHEMA)
_BY_LENGTH: dict[int, tuple[tuple[KeyPath, KeySpec], ...]] = {
    n: tuple(item for item in _BY_PARTS if len(item[0]) == n) for n in {len(p) for p, _ in _BY_PARTS}}
"""The patterns by number of parts: a lookup only tries patterns as long as the path."""


def key_parts(path: str | KeyPath) -> KeyPath:
    """A key path as a tuple of keys. In a dotted str, everything after ``uncertainty.`` is one key."""
    if isinstance(path, tuple):
        return path
    if not path:
        return ()
    parts = tuple(path.split("."))
    if parts[0] == "uncertainty" and len(parts) > 1:
        return ("uncertainty", ".".join(parts[1:]))
    return parts


def _matches(pattern: KeyPath, parts: KeyPath) -> bool:
    """Whether the key path ``parts`` fits ``pattern`` (wildcards included)."""
    if len(pattern) != len(parts):
        return False
    return all(p == k or (p == "F" and k in FUNCTIONS) or p in WILDCARDS for p, k in zip(pattern, parts, strict=True))


def spec_for(path: str | KeyPath) -> KeySpec | None:
    """The KeySpec of a key path, or None when the schema has no such key."""
    return _spec_for(key_parts(path))


@lru_cache(maxsize=4096)
def _spec_for(parts: KeyPath) -> KeySpec | None:
    """:func:`spec_for` of a key path as a tuple (cached: loading a scenario asks about every key)."""
    return next((spec for pattern, spec in _BY_LENGTH.get(len(parts), ()) if _matches(pattern, parts)), None)


def child_keys(path: str | KeyPath) -> list[str]:
    """The named keys allowed directly under ``path`` ('' for the top level), for did-you-mean.

    Wildcard children (regions, ICB codes, parameter paths) are not listed.
    """
    return list(_child_keys(key_parts(path)))


@lru_cache(maxsize=1024)
def _child_keys(parts: KeyPath) -> tuple[str, ...]:
    """:func:`child_keys` of a key path as a tuple (cached: a file of many unknown keys asks often)."""
    names: list[str] = []
    for pattern, _spec in _BY_LENGTH.get(len(parts) + 1, ()):
        if _matches(pattern[:-1], parts) and pattern[-1] not in WILDCARDS:
            for name in FUNCTIONS if pattern[-1] == "F" else (pattern[-1],):
                if name not in names:
                    names.append(name)
    return tuple(names)


def expand(pattern: str) -> list[str]:
    """The key paths a pattern stands for, with ``F`` replaced by each function in turn."""
    if ".F." not in f".{pattern}.":
        return [pattern]
    return [pattern.replace("delegation.F", f"delegation.{name}", 1) for name in FUNCTIONS]
