"""Checks that only the whole, merged scenario shows: the horizon, the cut path, go-live rules
naming regions and ICB codes of the table, and which ICBs the run includes."""

from __future__ import annotations

from model.periods import parse_year
from model.provenance import Param, Series
from model.scenario.files import Context
from model.scenario.icb_table import IcbTable, load_icb_table
from model.scenario.resolved import Node, param, section, series
from model.scenario.yamlio import Issue
from model.schema import did_you_mean

MAX_HORIZON_YEARS = 60
"""Longest horizon a scenario may run: bounds a run's time and memory."""
MAX_ICB_YEARS = 12_000
"""Most ICB-years (ICBs run times years of the horizon) a scenario may ask for: England's 42 ICBs
over the longest horizon are 2,520; 12,000 (200 ICBs over 60 years, 1,000 over 12) run and
write results.xlsx in about 10 s on a 2-core machine, and the time grows in proportion."""


def check_resolved(tree: dict[str, Node], ctx: Context, issues: list[Issue]) -> tuple[IcbTable, list[int]] | None:
    """Check what only the whole scenario shows; return the ICB table and the rows of it the run
    includes (None if unreadable)."""
    horizon, icbs = section(tree["horizon"]), section(tree["icbs"])
    horizon_ok = _check_horizon(horizon, issues)
    if horizon_ok:
        _check_cut_path(series(section(tree["running_cost_cut"])["path"]), param(horizon["base_year"]).text(),
                        issues)
    table_param = param(icbs["table"])
    shown = table_param.text()
    table, table_issues = load_icb_table(ctx.from_display(shown), shown, table_param.prov)
    issues.extend(table_issues)
    if table is None:
        return None
    check_go_live_keys(tree, "by_region", list(dict.fromkeys(table.regions)), f"region '{{}}': it is not in {shown}",
                       issues)
    rows = _included(table, param(icbs["include"]), shown, issues)
    return None if rows is None else (table, rows)


def size_problem(icbs: int, years: int, most: int, what: str) -> str | None:
    """Why ``icbs`` ICBs over ``years`` years are more than ``most`` ICB-years for ``what``, with
    how to make it smaller; None when they are not."""
    if icbs * years <= most:
        return None
    return (f"{what} {icbs:,} ICBs over {years} years ({icbs * years:,} ICB-years), more than the {most:,} "
            "supported (the time grows with their number). Include fewer ICBs (icbs.include) or shorten the "
            "horizon.")


def check_series_years(tree: dict[str, Node], below: list[dict[str, Node]], issues: list[Issue]) -> None:
    """Each year a file lists in a series must lie in the horizon in force for that file: its own
    ``horizon`` keys, else those of the nearest file beneath it (``below``, the files it extends,
    nearest first) that sets them. A year inherited from a file with a longer horizon is checked
    against that file's, so it stays allowed."""
    base, end = (_nearest([tree, *below], key) for key in ("base_year", "end_year"))
    if base is None or end is None:
        return
    first, last = parse_year(base), parse_year(end)
    for path, series_node in _series_in(tree, ()):
        for label, point in series_node.points.items():
            if not first <= parse_year(label) <= last:
                issues.append(Issue(point.prov.file, point.prov.line, f"{path}.{label}",
                                    f"{label} is outside the horizon {base} to {end}, so no year of the run would "
                                    f"use it. Write a year from {base} to {end}, or change horizon first."))


def _nearest(trees: list[dict[str, Node]], key: str) -> str | None:
    """``horizon.<key>`` of the first tree that sets it, as text."""
    for tree in trees:
        node = section(tree.get("horizon", {})).get(key)
        if isinstance(node, Param) and node.value is not None:
            return node.text()
    return None


def _series_in(node: Node, parts: tuple[str, ...]) -> list[tuple[str, Series]]:
    """Every series in a tree, with its dotted path."""
    if isinstance(node, Series):
        return [(".".join(parts), node)]
    if isinstance(node, dict):
        return [found for key, child in node.items() for found in _series_in(child, (*parts, key))]
    return []


def check_go_live_keys(tree: dict[str, Node], group: str, known: list[str], what: str, issues: list[Issue]) -> None:
    """Every key of the go-live rules' ``group`` (by_region, by_icb) must be one of ``known``;
    ``what`` says what an unknown one is not (with ``{}`` for the key)."""
    for function, settings in section(tree["delegation"]).items():
        go_live = section(section(settings)["go_live"])
        for key, node in section(go_live[group]).items():
            if key not in known:
                prov = param(node).prov
                issues.append(Issue(prov.file, prov.line, f"delegation.{function}.go_live.{group}.{key}",
                                    f"unknown {what.format(key)}. {did_you_mean(key, known)}"))


def _check_horizon(horizon: dict[str, Node], issues: list[Issue]) -> bool:
    """Check the horizon runs forwards and not too far; return whether it is usable."""
    base, end = param(horizon["base_year"]), param(horizon["end_year"])
    years = parse_year(end.text()) - parse_year(base.text()) + 1
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
    prov = path.param_for(base_year).prov  # the last listed year's, or the bare number's
    issues.append(Issue(prov.file, prov.line, "running_cost_cut.path",
                        f"the cut path lists no year at or after the base year {base_year}, so the model cannot "
                        "tell when the cut applies. List the cumulative cut by year, e.g. "
                        "{2024/25: 0.2, 2025/26: 0.3}."))


def _hint(name: str, known: list[str]) -> str:
    """A did-you-mean for an ICB code or region, saying so when only the case differs (codes are
    upper case: QOP, not qop)."""
    same = [each for each in known if each.casefold() == name.casefold()]
    if same:
        return f"Codes and regions are written exactly as in the table, in capitals where it has them: write {same[0]}."
    return did_you_mean(name, known)


def _included(table: IcbTable, include: Param, shown: str, issues: list[Issue]) -> list[int] | None:
    """The rows of ``table`` (named ``shown``) that ``icbs.include`` selects, in table order."""
    if include.value == "all":
        return list(range(len(table)))
    assert isinstance(include.value, tuple)  # normalising makes it "all" or a tuple of names
    known = list(table.codes) + list(dict.fromkeys(table.regions))
    unknown = [name for name in include.value if name not in known]
    for name in unknown:
        issues.append(Issue(include.prov.file, include.prov.line, "icbs.include",
                            f"unknown ICB code or region '{name}': it is not in {shown}. {_hint(name, known)}"))
    if unknown:
        return None
    chosen = set(include.value)
    return [i for i, (code, region) in enumerate(zip(table.codes, table.regions, strict=True))
            if code in chosen or region in chosen]


