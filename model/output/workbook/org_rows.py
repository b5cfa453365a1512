"""An organisation's rows on a calculation sheet: what only an organisation as a whole has.

- :func:`k_rows`: in each year it has a published allowance, the figure (Inputs), its pieces'
  numerators and denominators added up, and ``k = (figure - numerators) / denominators``, the
  factor that scales its pieces' bases so that its allowance equals the figure (SPEC section 10).
- :func:`pool_rows`: in each year it exists, its staff are one pool (SPEC section 10): its
  allowance, non-pay, need and arrivals are its pieces' sums; what it can afford and employs,
  last year's staff restated on it (its pieces' shares of the organisations they belonged to),
  leavers needed, attrition and redundancies (WTE) and their cost (£) follow SPEC section 5.

Rows are blank in the years the organisation does not exist.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from model.output.workbook.calc import Calc, Registry, Scope, Tagger
from model.output.workbook.inputs_layout import InputsRefs
from model.output.workbook.piece_rows import org_owner, piece_owner, shares_an_organisation
from model.output.workbook.solve import POOL_SUMS, Solve
from model.output.workbook.structure import Organisation, Structure

_SUMMED: dict[str, tuple[str, str, str, str]] = {
    "allowance_gbp": ("allowance", "Allowance: its pieces' allowances added", "£", "gbp"),
    "programme_pay_allowance_gbp": ("programme", "Programme pay: its pieces' added", "£", "gbp"),
    "nonpay_cost_gbp": ("nonpay_cost", "Non-pay cost: its pieces' added", "£", "gbp"),
    "required_wte": ("required", "Staff required: its pieces' needs added", "WTE", "wte"),
    "arrivals_wte": ("arrivals", "Staff arriving with delegated functions: its pieces' added", "WTE", "wte"),
}
"""Each pooled sum: the engine key (:data:`~model.output.workbook.solve.POOL_SUMS`), then the
piece row it adds, its label, unit and style."""
assert tuple(_SUMMED) == POOL_SUMS


@dataclass
class OrgRows:
    """What an organisation's rows read: its scope, the sheet's national rows, the Inputs
    references, the structure, its pool (:func:`~model.output.workbook.solve.staff_pools`), the
    solve, the scale of its pounds and WTE, and the engine tag of its staff rows."""

    s: Scope
    c: Calc
    refs: InputsRefs
    structure: Structure
    org: Organisation
    pool: dict[str, np.ndarray]
    sol: Solve
    money: float
    staff: float
    tag: Tagger
    title: str


def k_rows(o: OrgRows) -> None:
    """The published figure, the solve's sums and k in each year the organisation has a figure."""
    s, org = o.s, o.org
    if not org.published:
        return
    o.c.section(f"{o.title}: its published allowance and k (SPEC section 10)")
    T, years = o.c.T, org.published
    figure, num, den, k = (np.full(T, np.nan) for _ in range(4))
    for t in years:
        figure[t] = float(o.sol.figures[(org.code, t)])
        num[t], den[t] = o.sol.sums[(org.code, t)]
        k[t] = o.sol.k[(org.code, t)]
    s.years("figure", "Published allowance (Inputs): core + delegated budgets, programme pay on top", "£", "",
            lambda y: f"={o.refs.figure_cells[(org.code, y)]}", figure, "gbp", scale=o.money, only=years)
    for name, values, label in (("sum_num", num, "numerator"), ("sum_den", den, "denominator")):
        s.years(name, f"Its pieces' parts of k's {label}, added", "£", "", _added(org, name[4:]), values, "gbp",
                scale=o.money, only=years)
    s.years("k", "k: (published - numerators) / denominators; it scales each piece's base this year", "ratio", "k",
            lambda y: f"=({s.at('figure', y)}-{s.at('sum_num', y)})/{s.at('sum_den', y)}", k, "index", only=years)


def _added(org: Organisation, row: str) -> object:
    """The formula adding a row of the organisation's pieces in a year."""
    def formula(y: int) -> str:
        return "=" + "+".join(Registry.ref(piece_owner(a), row, y) for a in org.members[y])

    return formula


def pool_rows(o: OrgRows) -> None:
    """The organisation's sums, and its staff pool's workforce change, in the years it exists."""
    s, c, org, pool = o.s, o.c, o.org, o.pool
    c.section(f"{o.title}: one pool of staff (SPEC sections 5 and 10)")
    years = org.years
    for key, (row, label, unit, style) in _SUMMED.items():
        s.years(row, label, unit, "", _added(org, row), pool[key], style,
                scale=o.staff if unit == "WTE" else o.money, only=years)
    s.years("affordable", "Staff the allowance can pay for: max(0, allowance - non-pay) / cost of a WTE", "WTE",
            "affordable_wte",
            lambda y: f"=MAX(0,{s.at('allowance', y)}-{s.at('nonpay_cost', y)})/{c.at('loaded_cost', y)}",
            pool["affordable"], "wte", scale=o.staff, only=years, engine=o.tag("affordable_wte"))
    s.years("employed", "Staff employed: its pieces' base-year core WTE, then the lesser of affordable and required",
            "WTE", "employed[t]",
            lambda y: ("=" + "+".join(Registry.ref(piece_owner(a), "core_wte_base", None) for a in org.members[0]))
            if y == 0 else f"=MIN({s.at('affordable', y)},{s.at('required', y)})",
            pool["employed"], "wte", scale=o.staff, only=years, engine=o.tag("employed_wte"))
    s.years("previous", "Last year's staff, restated on this organisation: its pieces' shares of the staff of the "
            "organisations they belonged to", "WTE", "employed[t-1]", lambda y: _previous(o, y), pool["previous"],
            "wte", scale=o.staff, only=years)
    _change_rows(o)


def _previous(o: OrgRows, y: int) -> str:
    """Last year's employed restated on the organisation (0 in the base year)."""
    if y == 0:
        return "=0"
    if o.org.same_as_before(y):
        return f"={o.s.at('employed', y - 1)}"
    parts = []
    for a in o.org.members[y]:
        piece = o.structure.pieces[a]
        part = Registry.ref(org_owner(o.structure, piece.orgs[y - 1]), "employed", y - 1)
        if shares_an_organisation(o.structure, piece):
            part += "*" + Registry.ref(piece_owner(a), "share", y - 1)
        parts.append(part)
    return "=" + "+".join(parts)


def _change_rows(o: OrgRows) -> None:
    """Leavers needed, attrition, redundancies (WTE) and their cost (£)."""
    s, c, pool, years = o.s, o.c, o.pool, o.org.years
    s.years("leavers_needed", "Leavers needed: max(0, last year's staff + arrivals - employed)", "WTE",
            "leavers_needed[t]",
            lambda y: "=0" if y == 0 else
            f"=MAX(0,{s.at('previous', y)}+{s.at('arrivals', y)}-{s.at('employed', y)})", pool["leavers"], "wte",
            scale=o.staff, only=years)
    s.years("attrition", "Leavers not replaced: turnover x last year's staff", "WTE", "attrition[t]",
            lambda y: "=0" if y == 0 else f"=turnover_rate*{s.at('previous', y)}", pool["attrition"], "wte",
            scale=o.staff, only=years, engine=o.tag("attrition_wte"))
    s.years("redundancies", "Redundancies: max(0, leavers needed - attrition)", "WTE", "redundancies_wte[t]",
            lambda y: "=0" if y == 0 else f"=MAX(0,{s.at('leavers_needed', y)}-{s.at('attrition', y)})",
            pool["redundancies"], "wte", scale=o.staff, only=years, engine=o.tag("redundancies_wte"))
    s.years("redundancy_cost", "Redundancy cost (one-off): redundancies x salary x pay index x months / 12", "£",
            "redundancy_cost_gbp[t]",
            lambda y: f"={s.at('redundancies', y)}*salary_per_wte*{c.at('pay_index', y)}*redundancy_months/12",
            pool["redundancy_cost"], "gbp", scale=o.money, only=years, engine=o.tag("redundancy_cost_gbp"))
