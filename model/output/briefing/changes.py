"""What a scenario changes from another: every resolved value that differs, with the source and
status the scenario gives it.

Values are compared as the model resolves them (:func:`model.output.listing.assumption_rows`),
path by path, a series year by year where either scenario lists the year. Uncertainty entries
are left out: they change Monte Carlo draws, not the figures of a briefing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from model.output.listing import AssumptionRow, assumption_rows
from model.provenance import Param
from model.schema import spec_for
from model.schema import unit as unit_of

if TYPE_CHECKING:
    from model.scenario import Scenario

NOT_SET = "not set"


@dataclass(frozen=True)
class Change:
    """One value that differs: the parameter (label and dotted path), the year for a series, the
    value in each scenario as people read it, and the changing scenario's provenance."""

    path: str
    label: str
    year: str
    before: str
    after: str
    status: str
    source: str
    note: str
    set_in: str

    @property
    def provenance(self) -> tuple[str, str, str, str]:
        """(status, source, note, file): what rows that share a source have in common."""
        return self.status, self.source, self.note, self.set_in.rsplit(":", 1)[0]


def differences(scenario: Scenario, base: Scenario) -> list[Change]:
    """Every value of ``scenario`` that differs from ``base``, in ``scenario``'s file order, then
    values only ``base`` sets."""
    mine = _rows(scenario)
    theirs = _rows(base)
    out = []
    for path, row in mine.items():
        other = theirs.get(path) or _lookup(base, path)
        if other is _SECTION:
            continue
        if other is None or other.value != row.value:
            out.append(_change(path, row, other))
    for path, row in theirs.items():
        if path in mine:
            continue
        own = _lookup(scenario, path)
        if own is _SECTION or (own is not None and own.value == row.value):
            continue
        out.append(_change(path, own, row) if own is not None else _removed(path, row, scenario))
    return out


_SECTION = AssumptionRow("", None, "", "", "", "", "")
"""What :func:`_lookup` gives for a path that is a section (its values are compared one by one)."""


def _rows(scenario: Scenario) -> dict[str, AssumptionRow]:
    return {row.path: row for row in assumption_rows(scenario) if not row.path.startswith("uncertainty.")}


def _lookup(scenario: Scenario, path: str) -> AssumptionRow | None:
    """The row the scenario would list at ``path`` (a series year it does not list gives the value
    that year takes), :data:`_SECTION` for a section, None where nothing is set."""
    if path.endswith(")"):
        return None
    try:
        node = scenario.get(path)
    except KeyError:
        return None
    if isinstance(node, Param):
        prov = node.prov
        return AssumptionRow(path, node.value, prov.unit or "", prov.status or "", prov.source or "",
                             prov.note or "", f"{prov.file}:{prov.line}" if prov.line else prov.file)
    return _SECTION


def _split(path: str) -> tuple[str, str]:
    """(key path, year) for a series year's path, else (path, '')."""
    head, _, last = path.rpartition(".")
    if head and len(last) == 7 and last[4] == "/" and last[:4].isdigit():
        return head, last
    if path.endswith(" (before first listed year)"):
        return path.removesuffix(" (before first listed year)"), "before the first listed year"
    return path, ""


def label(path: str) -> str:
    """The parameter's name for people: its schema label, with the delegated function or the
    region or ICB it is for."""
    key, _ = _split(path)
    spec = spec_for(key)
    text = spec.label if spec else key
    parts = key.split(".")
    if parts[0] == "delegation" and len(parts) > 1:
        text = f"{parts[1].capitalize()}: {text[0].lower()}{text[1:]}"
    if len(parts) > 2 and parts[-2] in ("by_region", "by_icb"):
        text = f"{text} ({parts[-1]})"
    return text


def value_text(value: object, unit_id: str) -> str:
    """A value as people read it, in its unit's display form (0.056 fraction per year -> 5.6% a
    year; 18.76 gbp per head -> £18.76 per head), with more decimal places only where the value
    needs them."""
    if value is None:
        return "none"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, tuple):
        return ", ".join(map(str, value))
    if not isinstance(value, (int, float)):
        return str(value)
    try:
        display = unit_of(unit_id).display
    except KeyError:
        return f"{value:g} {unit_id}".strip()
    shown = display.show(float(value))
    decimals = display.decimals
    text = f"{shown:,.{decimals}f}"
    for extra in range(decimals, decimals + 4):
        text = f"{shown:,.{extra}f}"
        if abs(float(text.replace(",", "")) - shown) <= 1e-9 * max(1.0, abs(shown)):
            break
    name = display.unit
    if name.startswith("%"):
        return f"{text}{name}"
    if name.startswith("£"):
        return f"£{text}{name[1:]}"
    return f"{text} {name}".strip()


def _change(path: str, row: AssumptionRow, other: AssumptionRow | None) -> Change:
    _, year = _split(path)
    unit = row.unit or (other.unit if other else "")
    return Change(path=path, label=label(path), year=year,
                  before=value_text(other.value, unit) if other is not None else NOT_SET,
                  after=value_text(row.value, unit), status=row.status, source=row.source, note=row.note,
                  set_in=row.set_in)


def _removed(path: str, row: AssumptionRow, scenario: Scenario) -> Change:
    _, year = _split(path)
    return Change(path=path, label=label(path), year=year, before=value_text(row.value, row.unit), after=NOT_SET,
                  status="", source="", note=f"not set by {scenario.name}", set_in=str(scenario.file))
