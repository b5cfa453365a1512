"""Reading what the batch commands vary from the command line: ``--vary PATH:MODE:LOW:HIGH``,
``--vary-file F.yaml`` and a grid's ``--x``/``--y PATH:MODE:V1,V2,...``.

``--vary-file`` is read with the same safe reader as scenario files (size cap, alias and depth
limits, line numbers in messages: :mod:`model.scenario.yamlio`).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from pathlib import Path

from model.analysis.sensitivity import Axis, Variation, show_setting
from model.cli.common import UsageError
from model.engine.changes import OverrideError
from model.scenario.yamlio import Document, dotted, read_yaml
from model.schema import MODES

_ENTRY_KEYS = ("path", "mode", "low", "high")


def parse_value(text: str) -> object:
    """A value from the command line: a number, true/false, null, or a word or month as given."""
    stripped = text.strip()
    lowered = stripped.lower()
    if lowered in ("true", "false"):
        return lowered == "true"
    if lowered in ("null", "none", "never"):
        return None
    try:
        value = float(stripped)
    except ValueError:
        return stripped
    if not math.isfinite(value):
        raise UsageError(f"'{stripped}' is not a finite number")
    return value


def parse_variation(text: str) -> Variation:
    """One ``--vary PATH:MODE:LOW:HIGH``."""
    parts = text.split(":")
    if len(parts) != 4 or not all(p.strip() for p in parts):
        raise UsageError(f"--vary '{text}' should be PATH:MODE:LOW:HIGH, e.g. inflation.pay_award:add:-0.01:0.02")
    path, mode, low, high = (p.strip() for p in parts)
    try:
        low_value, high_value = parse_value(low), parse_value(high)
    except UsageError as error:
        raise UsageError(f"--vary {path}: {error}") from None
    try:
        return Variation.of(path, mode, low_value, high_value)
    except OverrideError as error:
        raise UsageError(f"--vary {error}") from None


def parse_axis(text: str, flag: str) -> Axis:
    """One grid axis, ``PATH:MODE:V1,V2,...`` (``--x`` or ``--y``)."""
    parts = text.split(":")
    if len(parts) != 3 or not all(p.strip() for p in parts):
        raise UsageError(
            f"{flag} '{text}' should be PATH:MODE:V1,V2,..., e.g. running_cost_cut.path.2025/26:set:0.2,0.3,0.4"
        )
    path, mode, values = (p.strip() for p in parts)
    if mode not in MODES:
        raise UsageError(f"{flag} {path}: mode '{mode}' is not one of {', '.join(MODES)}")
    items = [v.strip() for v in values.split(",")]
    if any(not v for v in items):
        raise UsageError(f"{flag} {path}: an empty value in '{values}'; separate values with single commas")
    try:
        parsed = tuple(parse_value(v) for v in items)
    except UsageError as error:
        raise UsageError(f"{flag} {path}: {error}") from None
    shown = [show_setting(v) for v in parsed]
    twice = sorted({s for s in shown if shown.count(s) > 1})
    if twice:
        raise UsageError(f"{flag} {path}: {', '.join(twice)} appears twice")
    return Axis(path, mode, parsed)


def load_vary_file(path: Path) -> list[Variation]:
    """Variations from a YAML file: a list (optionally under ``vary:``) of mappings with
    ``path``, ``mode``, ``low`` and ``high`` (and optionally ``from_year``), or a mapping from path
    to ``{mode, low, high}``."""
    doc, issues = read_yaml(path, str(path))
    if doc is None or issues:
        raise UsageError("--vary-file: " + "; ".join(str(issue) for issue in issues))
    data: object = doc.data
    keyed: tuple[str, ...] = ()
    if isinstance(data, Mapping) and set(data) == {"vary"}:
        data, keyed = data["vary"], ("vary",)
    if isinstance(data, Mapping):
        entries = [((*keyed, str(key)), {"path": key, **(spec if isinstance(spec, Mapping) else {"": spec})})
                   for key, spec in data.items()]
    elif isinstance(data, list) and data:
        entries = [((*keyed, str(n)), item) for n, item in enumerate(data)]
    else:
        raise UsageError(f"--vary-file {_where(doc, keyed)} | expected a list of {{path, mode, low, high}} entries")
    return [_variation(doc, parts, item, n) for n, (parts, item) in enumerate(entries, start=1)]


def _variation(doc: Document, parts: tuple[str, ...], item: object, n: int) -> Variation:
    keys = set(_ENTRY_KEYS)
    if not isinstance(item, Mapping) or not keys <= set(item) <= keys | {"from_year"}:
        got = sorted(str(k) for k in item) if isinstance(item, Mapping) else type(item).__name__
        raise UsageError(f"--vary-file {_where(doc, parts)} | entry {n} should have path, mode, low and high (and "
                         f"optionally from_year); got {got}")
    try:
        return Variation.of(str(item["path"]), str(item["mode"]), item["low"], item["high"], item.get("from_year"))
    except OverrideError as error:
        raise UsageError(f"--vary-file {_where(doc, parts)} | {error}") from None


def _where(doc: Document, parts: tuple[str, ...]) -> str:
    """``FILE:LINE, key.path`` of an entry."""
    line = doc.line(parts)
    place = doc.file if line is None else f"{doc.file}:{line}"
    return f"{place}, {dotted(parts)}" if parts else place
