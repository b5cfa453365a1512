"""Organisations that change (SPEC section 10): each change is an effective month and a table of
(old code, new code, share), read here and joined into a :class:`History` of the scenario's
organisations.

The ICB table lists the organisations of the base year. A change takes effect in April of a
financial year: every organisation that exists before it appears as an old code, the shares of
each old code sum to 1, and each new code is named (by the change's ``new_name``/``new_region``
columns, by the change's own ICB list, or because it existed before). The history is kept as
*atoms*: the finest pieces of the base-year ICBs that the changes make (a whole ICB, or the share
of one that moved to a new organisation), each with its weight (the product of the shares) and
the organisation it belongs to in each era. Pounds, staff and people of an atom are its weight
times those of its base-year ICB, so every change conserves them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from model.periods import parse_month, parse_year
from model.provenance import Param, Provenance
from model.scenario.csvfile import CsvTable, read_table
from model.scenario.icb_table import IcbTable
from model.scenario.yamlio import Issue, shorten

CHANGE_COLUMNS = ("old_code", "new_code", "share")
CHANGE_OPTIONAL = ("new_name", "new_region")
LIST_COLUMNS = ("code", "name", "region")
SHARE_TOLERANCE = 1e-9
"""How far the shares of one old code may sum from 1 (rounding in the last digit of a table)."""


@dataclass(frozen=True)
class Organisation:
    """An organisation of one era: its code, name, region and (where known) ONS code."""

    code: str
    name: str
    region: str
    ons_code: str = ""


@dataclass(frozen=True)
class ChangeSpec:
    """A change as a scenario writes it: the effective month, the table (display path) and an
    optional list of the organisations after it (code, name, region, ons_code)."""

    effective: str
    table: str
    icbs: str | None = None

    def __str__(self) -> str:
        listed = f" (organisations listed in {self.icbs})" if self.icbs else ""
        return f"from {self.effective}: {self.table}{listed}"


@dataclass(frozen=True)
class Era:
    """The organisations that exist from ``first`` (an index into the horizon; 0 for the base
    year) until the next change. ``label`` names the footprint: the calendar year it began."""

    label: str
    first: int
    organisations: tuple[Organisation, ...]
    formed_from: dict[str, tuple[tuple[str, float], ...]]

    def codes(self) -> tuple[str, ...]:
        return self._codes

    @cached_property
    def _codes(self) -> tuple[str, ...]:
        """Worked out once: loading asks an era for its codes once per published figure."""
        return tuple(org.code for org in self.organisations)


@dataclass(frozen=True)
class Atom:
    """A piece of a base-year ICB: its row in the ICB table, the share of it the piece holds, and
    the organisation (code) it belongs to in each era."""

    icb: int
    weight: float
    codes: tuple[str, ...]


@dataclass(frozen=True)
class History:
    """The organisations of a scenario over its horizon: eras in order and the atoms."""

    eras: tuple[Era, ...]
    atoms: tuple[Atom, ...]

    def era_of(self, year_index: int) -> int:
        """The era a year (index from the base year) falls in."""
        return max(k for k, era in enumerate(self.eras) if era.first <= year_index)

    def footprints(self) -> tuple[str, ...]:
        """The footprint labels, oldest first."""
        return tuple(era.label for era in self.eras)


@dataclass(frozen=True)
class Change:
    """A checked change: its month, footprint label, rows (old, new, share) and the
    organisations after it, in the order the table first names them."""

    effective: str
    label: str
    rows: tuple[tuple[str, str, float], ...]
    after: tuple[Organisation, ...]


def base_history(icbs: IcbTable, base_year: int) -> History:
    """The history of a scenario without changes: one era, one atom per ICB."""
    ons_codes = icbs.extra.get("ons_code", ("",) * len(icbs))
    organisations = tuple(Organisation(code, name, region, ons) for code, name, region, ons in
                          zip(icbs.codes, icbs.names, icbs.regions, ons_codes, strict=True))
    era = Era(str(base_year), 0, organisations, {})
    return History((era,), tuple(Atom(i, 1.0, (code,)) for i, code in enumerate(icbs.codes)))


def apply_changes(history: History, changes: list[tuple[int, Change]]) -> History:
    """``history`` with each change (and the horizon index of its first year) applied in order."""
    eras, atoms = list(history.eras), list(history.atoms)
    for first, change in changes:
        rows: dict[str, list[tuple[str, float]]] = {}
        for old, new, share in change.rows:
            rows.setdefault(old, []).append((new, share))
        atoms = [Atom(atom.icb, atom.weight * share, (*atom.codes, new))
                 for atom in atoms for new, share in rows[atom.codes[-1]]]
        formed: dict[str, list[tuple[str, float]]] = {}
        for old, new, share in change.rows:
            formed.setdefault(new, []).append((old, share))
        eras.append(Era(change.label, first, change.after, {code: tuple(pairs) for code, pairs in formed.items()}))
    return History(tuple(eras), tuple(atoms))


def read_change(spec: ChangeSpec, history: History, ctx_root: Path, prov: Provenance,
                where: str) -> tuple[Change | None, list[Issue]]:
    """Read and check one change against the organisations that exist before it (the last era of
    ``history``); an organisation of an earlier era may come back under its own code and name."""
    issues: list[Issue] = []
    month = parse_month(spec.effective)
    if month % 12 != 3:
        return None, [Issue(prov.file, prov.line, f"{where}.effective",
                            f"{spec.effective} is not an April: an organisation change takes effect at the start of "
                            "a financial year. Give the April it takes effect, e.g. 2027-04.")]
    table, table_issues = read_table(_path(ctx_root, spec.table), spec.table, "the organisation change table", prov,
                                     f"{where}.table", CHANGE_COLUMNS, CHANGE_OPTIONAL)
    listed, list_issues = ({}, []) if spec.icbs is None else _read_list(_path(ctx_root, spec.icbs), spec.icbs, prov,
                                                                        f"{where}.icbs")
    issues += table_issues + list_issues
    if table is None or issues:
        return None, issues
    earlier = {org.code: org for era in history.eras for org in era.organisations}
    rows, after = _rows(table, {org.code: org for org in history.eras[-1].organisations}, {**earlier, **listed},
                        issues)
    if issues:
        return None, issues
    return Change(spec.effective, str(month // 12), tuple(rows), tuple(after)), []


def _path(root: Path, shown: str) -> Path:
    return root / shown if not Path(shown).is_absolute() else Path(shown)


def _rows(table: CsvTable, before: dict[str, Organisation], listed: dict[str, Organisation],
          issues: list[Issue]) -> tuple[list[tuple[str, str, float]], list[Organisation]]:
    """The change's rows, checked, and the organisations after it."""
    rows: list[tuple[str, str, float]] = []
    totals: dict[str, float] = {}
    after: dict[str, Organisation] = {}
    for line, cells in table.rows:
        old, new = table.cell(cells, "old_code").strip(), table.cell(cells, "new_code").strip()
        share = _share(table, line, table.cell(cells, "share"), issues)
        if old not in before:
            issues.append(table.issue(line, "old_code", f"'{shorten(old)}' is not an organisation before this change. "
                                                        f"Old codes are those of the ICBs then: {_some(before)}."))
        if not new:
            issues.append(table.issue(line, "new_code", "empty new_code. Give the code of the organisation it "
                                                        "becomes (its own code when it does not change)."))
        if share is None or old not in before or not new:
            continue
        rows.append((old, new, share))
        totals[old] = totals.get(old, 0.0) + share
        if new not in after:
            org = _named(table, line, cells, new, before, listed, issues)
            if org is not None:
                after[new] = org
    for code in before:
        total = totals.get(code)
        if total is None:
            issues.append(table.issue(None, "old_code", f"{code} is not in the table: list every organisation that "
                                                        "exists before the change (unchanged ones map to themselves "
                                                        "with share 1)."))
        elif abs(total - 1.0) > SHARE_TOLERANCE:
            issues.append(table.issue(None, "share", f"the shares of {code} sum to {total:g}, not 1. Each old "
                                                     "organisation's shares must add up to the whole of it."))
    return rows, list(after.values())


def _share(table: CsvTable, line: int, text: str, issues: list[Issue]) -> float | None:
    try:
        share = float(text.strip())
    except ValueError:
        issues.append(table.issue(line, "share", f"'{shorten(text)}' is not a number. Write the share as a fraction, "
                                                 "e.g. 0.58787."))
        return None
    if not math.isfinite(share) or not 0 < share <= 1:
        issues.append(table.issue(line, "share", f"{shorten(text)} is not a share: it must be more than 0 and at most "
                                                 "1 (the fraction of the old organisation's population that moved)."))
        return None
    return share


def _named(table: CsvTable, line: int, cells: list[str], code: str, before: dict[str, Organisation],
           listed: dict[str, Organisation], issues: list[Issue]) -> Organisation | None:
    """The organisation a new code stands for: named in the table's own columns, in the change's
    ICB list (or, ``listed`` too, an earlier organisation of that code), or the organisation of
    that code before the change."""
    name, region = table.cell(cells, "new_name").strip(), table.cell(cells, "new_region").strip()
    if name and region:
        known = listed.get(code) or before.get(code)
        return Organisation(code, name, region, known.ons_code if known else "")
    if code in listed:
        return listed[code]
    if code in before:
        return before[code]
    issues.append(table.issue(line, "new_code", f"{shorten(code)} is a new organisation with no name: add new_name "
                                                "and new_region columns, or list it in the change's icbs table."))
    return None


def _read_list(path: Path, shown: str, prov: Provenance, key: str) -> tuple[dict[str, Organisation], list[Issue]]:
    """The change's list of organisations (code, name, region, optional ons_code)."""
    table, issues = read_table(path, shown, "the list of organisations", prov, key, LIST_COLUMNS, ("ons_code",))
    if table is None:
        return {}, issues
    listed = {}
    for line, cells in table.rows:
        org = Organisation(*(table.cell(cells, column).strip() for column in (*LIST_COLUMNS, "ons_code")))
        if not (org.code and org.name and org.region):
            issues.append(table.issue(line, "", "every organisation needs a code, a name and a region."))
        listed[org.code] = org
    return listed, issues


def _some(codes: dict[str, Organisation]) -> str:
    shown = list(codes)[:12]
    return ", ".join(shown) + (", …" if len(codes) > 12 else "")


def first_year_index(effective: str, base_year: int) -> int:
    """The horizon index of the financial year a change (in April) takes effect."""
    return parse_month(effective) // 12 - base_year


def restrict(history: History, rows: list[int]) -> History:
    """``history`` for a run of some of the ICB table's rows (``rows``, in table order): atoms of
    other ICBs left out, each organisation kept while at least one of its atoms is."""
    position = {row: n for n, row in enumerate(rows)}
    atoms = tuple(Atom(position[a.icb], a.weight, a.codes) for a in history.atoms if a.icb in position)
    eras = []
    for k, era in enumerate(history.eras):
        present = {a.codes[k] for a in atoms}
        eras.append(Era(era.label, era.first, tuple(o for o in era.organisations if o.code in present),
                        {code: pairs for code, pairs in era.formed_from.items() if code in present}))
    return History(tuple(eras), atoms)


def resolve_history(changes: Param, ctx_root: Path, full: IcbTable, years: list[str],
                    issues: list[Issue]) -> History | None:
    """The organisations of the whole ICB table ``full`` over the horizon ``years``: each change
    of ``organisations.changes`` that takes effect within it (later ones are checked but do not
    apply). None (with issues) when a change is not usable. :func:`restrict` narrows it to the
    ICBs a run includes."""
    base_year = parse_year(years[0])
    history = base_history(full, base_year)
    specs = changes.value if isinstance(changes.value, tuple) else ()
    count = len(issues)
    for index, spec in enumerate(specs):
        where = f"organisations.changes.{index}"
        first = first_year_index(spec.effective, base_year)
        if first < 1:
            issues.append(Issue(changes.prov.file, changes.prov.line, f"{where}.effective",
                                f"{spec.effective} is not after the base year {years[0]}: the ICB table lists the "
                                "organisations of the base year. Give a later April, or start the horizon earlier."))
            continue
        change, found = read_change(spec, history, ctx_root, changes.prov, where)
        issues.extend(found)
        if change is None:
            return None
        if first < len(years):
            history = apply_changes(history, [(first, change)])
    return None if len(issues) > count else history
