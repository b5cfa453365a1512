"""Checks that only the whole, merged scenario shows: the horizon, the cut path, go-live rules
naming regions and ICB codes of the table, and which ICBs the run includes."""

from __future__ import annotations

from model.periods import parse_year
from model.provenance import Param, Series
from model.scenario.files import Context
from model.scenario.icb_table import IcbTable, load_icb_table
from model.scenario.yamlio import Issue
from model.schema import did_you_mean

MAX_HORIZON_YEARS = 60
"""Longest horizon a scenario may run: bounds a run's time and memory."""


def check_resolved(tree: dict, ctx: Context, issues: list[Issue]) -> IcbTable | None:
    """Check what only the whole scenario shows; return the included ICBs (None if unreadable)."""
    horizon_ok = _check_horizon(tree["horizon"], issues)
    if horizon_ok:
        _check_cut_path(tree["running_cost_cut"]["path"], tree["horizon"]["base_year"].value, issues)
    table_param = tree["icbs"]["table"]
    table, table_issues = load_icb_table(ctx.from_display(table_param.value), table_param.value, table_param.prov)
    issues.extend(table_issues)
    if table is None:
        return None
    regions, codes = list(dict.fromkeys(table.regions)), list(table.codes)
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
                        "tell when the cut applies. List the cumulative cut by year, e.g. "
                        "{2024/25: 0.2, 2025/26: 0.3}."))


def _included(table: IcbTable, include: Param, shown: str, issues: list[Issue]) -> IcbTable | None:
    """The rows of ``table`` (named ``shown``) that ``icbs.include`` selects, in table order."""
    if include.value == "all":
        return table
    known = list(table.codes) + list(dict.fromkeys(table.regions))
    unknown = [name for name in include.value if name not in known]
    for name in unknown:
        issues.append(Issue(include.prov.file, include.prov.line, "icbs.include",
                            f"unknown ICB code or region '{name}': it is not in {shown}. {did_you_mean(name, known)}"))
    if unknown:
        return None
    chosen = set(include.value)
    return table.select([i for i, (code, region) in enumerate(zip(table.codes, table.regions, strict=True))
                         if code in chosen or region in chosen])


