"""One piece's rows on a calculation sheet, part 2 (:func:`allowance_rows`): its base (held to the
published figures, back-cast before the first), core allowance, delegated budgets and allowance;
the staff it needs and what it costs; real terms; and its share of its organisation's population
(SPEC sections 4, 5 and 10). Part 1, and what a piece's rows read, is :mod:`.piece_rows`.

Pounds are £ cash of each year unless a row says base-year prices; staff are WTE; shares are
fractions.
"""

from __future__ import annotations

import numpy as np

from model.output.workbook.calc import Registry
from model.output.workbook.piece_rows import PieceRows, blend_formula, piece_owner, shares_an_organisation
from model.schema import FUNCTIONS


def allowance_rows(r: PieceRows) -> None:
    """Part 2: base, core allowance, delegated budgets, allowance, costs, real terms, share."""
    _base(r)
    _baseline(r)
    _core(r)
    for function in FUNCTIONS:
        _delegated_allowance(r, function)
    _allowance(r)
    _costs(r)
    _real_terms(r)
    if shares_an_organisation(r.structure, r.piece):
        _share(r)


def _base(r: PieceRows) -> None:
    """The base (£): the rules' base-year RCA scaled by k in each published year, carried on
    after, and back-cast before the first published year."""
    s, first, known = r.s, r.first, set(r.known)
    r.c.section(f"{r.title}: its allowance (SPEC sections 4 and 10)")
    if first is None:
        return

    def formula(y: int) -> str:
        t = max(y, first)
        before = s.one("rules_base") if y <= first else s.at("base", y - 1)
        if y <= first or y in known:
            return f"=IF(use_published,{before}*{Registry.ref(r.org_owner(t), 'k', t)},{before})"
        return f"={before}"

    s.years("base", "Base: base-year RCA the published figures imply (x k in each published year; before the first, "
            "the first's)", "£", "base[i,t]", formula, r.sol.base[r.a], "gbp", scale=r.money)


def _base0(r: PieceRows) -> tuple[str, float]:
    """The base-year base's cell and value: held to the published figures, or the rules'."""
    if r.first is None:
        return r.s.one("rules_base"), float(r.s.value("rules_base"))
    return r.s.base("base"), float(r.sol.base[r.a, 0])


def _baseline(r: PieceRows) -> None:
    """Cost base and base-year non-pay (£), and the core workforce of the base year (WTE)."""
    s, c = r.s, r.c
    base0, value = _base0(r)
    tag = r.tag("cost_base_gbp")
    s.once("cost_base", "Cost base: base-year base + programme pay (what 'vs base' compares with)", "£",
           "cost_base[i]", f"={base0}+{s.one('prog_base')}", r.q["cost_base_gbp"][0], "gbp", scale=r.money,
           engine=tag(0) if tag else None)
    pay_share = r.number("baseline.pay_share")
    s.once("core_wte_base", "Core workforce in the base year: (base x pay share + programme pay) / base-year cost "
           "of a WTE", "WTE", "core_wte_base[i]", f"=({base0}*pay_share+{s.one('prog_base')})/{c.base('loaded_cost')}",
           (value * pay_share + s.value("prog_base")) / c.value("loaded_cost")[0], "wte", scale=r.staff)
    s.once("nonpay_base", "Base-year non-pay: base x (1 - pay share)", "£", "nonpay_base[i]",
           f"={base0}*(1-pay_share)", value * (1.0 - pay_share), "gbp", scale=r.money)


def _core(r: PieceRows) -> None:
    """The core allowance (£): the base x m + programme pay; in a published year that is all,
    otherwise the envelope is blended in."""
    s, c, known = r.s, r.c, set(r.known)
    allowance = "a_rules"
    if r.first is not None:
        allowance = "a_total"
        s.years("a_total", "Allowance before any envelope: base x m + programme pay", "£", "A[i,t]",
                lambda y: f"={s.at('base', y)}*{c.at('m', y)}+{s.at('programme', y)}",
                r.sol.base[r.a] * c.value("m") + r.q["programme_pay_allowance_gbp"], "gbp", scale=r.money)

    def formula(y: int) -> str:
        blended = blend_formula(c.at("env_frac", y), s.at(allowance, y), s.at("env_e", y))
        return f"=IF(use_published,{s.at(allowance, y)},{blended})" if y in known else f"={blended}"

    s.years("core", "Core allowance: A, blended with the envelope by its share of the year (not in a published year)",
            "£", "core_allowance[i,t]", formula, r.q["core_allowance_gbp"], "gbp", scale=r.money,
            engine=r.tag("core_allowance_gbp"))


def _delegated_allowance(r: PieceRows, function: str) -> None:
    """The function's allowance (£): its budget, scaled by the share of the year it is live and,
    if in the cut's scope, by the core allowance against its level at go-live."""
    s, T, fn, name = r.s, r.c.T, function, function.capitalize()
    core = r.q["core_allowance_gbp"]
    core_g = float(core[int(s.value(f"{fn}_col")) - 1])
    s.once(f"{fn}_core_g", f"{name}: core allowance in the year it goes live", "£", "core_allowance[i,g]",
           f"=INDEX({s.span('core')},{s.one(f'{fn}_col')})", core_g, "gbp", scale=r.money)
    in_scope = r.number(f"delegation.{fn}.in_cut_scope")
    follows = np.divide(core, core_g, out=np.zeros(T), where=core_g > 0)
    s.years(f"{fn}_s", f"{name}: budget follows the core allowance if in the cut's scope, else 1", "ratio", "S[t]",
            lambda y: f"=IF(in_cut_scope_{fn},IF({s.one(f'{fn}_core_g')}>0,"
                      f"{s.at('core', y)}/{s.one(f'{fn}_core_g')},0),1)", in_scope * follows + (1.0 - in_scope),
            "index")
    s.years(f"{fn}_allowance", f"{name}: delegated allowance, D x share of year live x S", "£",
            "delegated_allowance[i,f,t]",
            lambda y: f"={s.one(f'{fn}_budget')}*{s.at(f'{fn}_frac', y)}*{s.at(f'{fn}_s', y)}",
            r.q[f"delegated_allowance_{fn}_gbp"], "gbp", scale=r.money, engine=r.tag(f"delegated_allowance_{fn}_gbp"))


def _allowance(r: PieceRows) -> None:
    """The delegated allowance over the four functions, and the allowance (£)."""
    s, q = r.s, r.q
    s.years("delegated", "Delegated allowance: sum over the four functions", "£", "sum_f delegated_allowance",
            lambda y: "=" + "+".join(s.at(f"{f}_allowance", y) for f in FUNCTIONS), q["delegated_allowance_gbp"],
            "gbp", scale=r.money, engine=r.tag("delegated_allowance_gbp"))
    s.years("allowance", "Allowance: core + delegated", "£", "allowance[i,t]",
            lambda y: f"={s.at('core', y)}+{s.at('delegated', y)}", q["allowance_gbp"], "gbp", scale=r.money,
            engine=r.tag("allowance_gbp"))


def _merger_years(r: PieceRows) -> set[int]:
    """The years the piece's organisation is a merger (formed from more than one predecessor)."""
    out = set()
    for t, code in enumerate(r.piece.orgs):
        start = r.structure.organisation(code).merger_from
        if start is not None and t >= start:
            out.add(t)
    return out


def _costs(r: PieceRows) -> None:
    """The staff required (WTE), core and delegated, and what they and non-pay cost (£)."""
    s, c, q = r.s, r.c, r.q
    r.c.section(f"{r.title}: what it needs and what that costs (SPEC section 5)", "subsection")
    merger = _merger_years(r)
    s.years("required_core", "Staff core functions need: base-year core WTE x (1 + demand change)^t (x (1 - merger "
            "saving) while its organisation is a merger)", "WTE", "required_core_wte[i,t]",
            lambda y: f"={s.one('core_wte_base')}*(1+core_demand_change)^{c.at('t', y)}"
                      + ("*(1-merger_saving)" if y in merger else ""),
            q["required_core_wte"], "wte", scale=r.staff, engine=r.tag("required_core_wte"))
    _sum_row(r, "required_delegated", "Staff delegated functions need: sum over the four functions", "WTE",
             [f"{f}_required" for f in FUNCTIONS], "required_delegated_wte", "wte", r.staff)
    _sum_row(r, "required", "Staff required: core + delegated", "WTE", ["required_core", "required_delegated"],
             "required_wte", "wte", r.staff)
    core_nonpay = (s.value("nonpay_base") * c.value("nonpay_index")
                   * (1.0 - r.number("nonpay.annual_saving")) ** np.arange(c.T))
    s.years("core_nonpay", "Core non-pay: base non-pay x non-pay index x (1 - annual saving)^t", "£", "",
            lambda y: f"={s.one('nonpay_base')}*{c.at('nonpay_index', y)}*(1-nonpay_annual_saving)^{c.at('t', y)}",
            core_nonpay, "gbp", scale=r.money)
    delegated_nonpay = sum(r.number(f"delegation.{f}.nonpay_per_wte_gbp") * c.value("nonpay_index")
                           * q[f"required_delegated_wte_{f}"] for f in FUNCTIONS)
    s.years("delegated_nonpay", "Delegated non-pay: sum of non-pay per WTE x non-pay index x WTE needed", "£", "",
            lambda y: "=" + "+".join(f"nonpay_per_wte_{f}*{c.at('nonpay_index', y)}*{s.at(f'{f}_required', y)}"
                                     for f in FUNCTIONS), delegated_nonpay, "gbp", scale=r.money)
    _sum_row(r, "nonpay_cost", "Non-pay cost: core + delegated", "£", ["core_nonpay", "delegated_nonpay"],
             "nonpay_cost_gbp", "gbp", r.money)
    s.years("required_cost", "Cost of what is required: required WTE x cost of a WTE + non-pay", "£", "required_cost",
            lambda y: f"={s.at('required', y)}*{c.at('loaded_cost', y)}+{s.at('nonpay_cost', y)}",
            q["required_cost_gbp"], "gbp", scale=r.money, engine=r.tag("required_cost_gbp"))
    _sum_row(r, "arrivals", "Staff arriving with delegated functions: sum over the four functions", "WTE",
             [f"{f}_arrivals" for f in FUNCTIONS], "arrivals_wte", "wte", r.staff)


def _sum_row(r: PieceRows, name: str, label: str, unit: str, parts: list[str], key: str, style: str,
             scale: float) -> None:
    """A row that adds rows above, year by year; it shows the engine figure ``key``."""
    r.s.years(name, label, unit, key, lambda y: "=" + "+".join(r.s.at(p, y) for p in parts), r.q[key], style,
              scale=scale, engine=r.tag(key))


def _real_terms(r: PieceRows) -> None:
    """The allowance and core allowance in base-year prices (£)."""
    s, c, q = r.s, r.c, r.q
    s.years("allowance_real", "Allowance in base-year prices: allowance / deflator", "£ base-year prices",
            "allowance_real_gbp", lambda y: f"={s.at('allowance', y)}/{c.at('deflator', y)}", q["allowance_real_gbp"],
            "gbp", scale=r.money, engine=r.tag("allowance_real_gbp"))
    s.years("core_real", "Core allowance in base-year prices: core allowance / deflator", "£ base-year prices",
            "core_allowance / deflator", lambda y: f"={s.at('core', y)}/{c.at('deflator', y)}",
            q["core_allowance_real_gbp"], "gbp", scale=r.money, engine=r.tag("core_allowance_real_gbp"))


def _share(r: PieceRows) -> None:
    """Its share of the organisation it belongs to each year, by base-year population: how its
    organisation's staff figures are shared back to it (a fraction)."""
    structure = r.structure

    def formula(y: int) -> str:
        members = structure.organisation(r.piece.orgs[y]).members[y]
        return f"={r.s.one('pop0')}/(" + "+".join(Registry.ref(piece_owner(b), "pop0", None) for b in members) + ")"

    r.s.years("share", "Its share of the organisation it belongs to (base-year population)", "fraction", "share[t]",
              formula, r.sol.shares[r.a], "share")

