"""One ICB's calculation sheet: SPEC sections 3 to 5 row by row, in the methodology's order.

Sections: time and prices (:mod:`model.output.workbook.calc`), population and the base year,
the core allowance and the envelope, each delegated function (go-live, budget, allowance), the
allowance, costs and capacity, workforce change, real terms and per head. Pounds are £ cash of
each year unless a row says base-year prices; staff are WTE; shares are fractions.

Each row's expected value comes from the engine's run where the engine reports the quantity (the
cell then carries an ``engine`` tag), and otherwise from the same arithmetic written out here.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from model import engine
from model.engine.inputs import Inputs
from model.output.workbook.calc import Calc, calc_sheet, magnitudes, ratio_rows, time_and_prices
from model.output.workbook.inputs_layout import InputsRefs
from model.output.workbook.plan import NEVER, EngineTag, Sheet, month_serial
from model.periods import active_fraction, parse_year, year_of_month
from model.schema import FUNCTIONS


@dataclass
class _Icb:
    """What each section of one ICB's sheet reads: the sheet so far, the inputs, the engine's
    figures for the ICB by year (``q``), and the scale of its pounds and of its WTE."""

    c: Calc
    refs: InputsRefs
    inp: Inputs
    i: int
    q: dict[str, np.ndarray]
    money: float
    staff: float

    def number(self, path: str) -> float:
        """A single-valued parameter of the (one-sample) inputs."""
        return float(self.inp.values[path][0])

    def tag(self, key: str) -> Callable[[int], EngineTag]:
        """The engine tag of each year's cell of a quantity the engine reports for this ICB."""
        i = self.i
        return lambda y: (key, i, y)

    @property
    def t(self) -> np.ndarray:
        """Years from the base year, 0 to T - 1."""
        return np.arange(self.c.T, dtype=float)

    @property
    def years_start(self) -> np.ndarray:
        """The calendar year each financial year starts in."""
        return parse_year(self.inp.labels[0]) + np.arange(self.c.T)


def icb_sheet(sheet: Sheet, refs: InputsRefs, inp: Inputs, out: dict[str, np.ndarray], i: int,
              spec_name: str) -> dict[str, int]:
    """Lay out ICB ``i``'s sheet; returns the row of each quantity by key (the same on every ICB)."""
    c = calc_sheet(sheet, f"{inp.codes[i]}: {inp.names[i]}",
                   f"{inp.regions[i]}. Scenario {spec_name}. Every figure is a formula on Inputs or on rows above; "
                   "column D holds quantities with one value per ICB.", refs, inp.labels)
    q = {key: out[key][0, i] for key in engine.ADDITIVE}
    s = _Icb(c, refs, inp, i, q, *magnitudes(q))
    time_and_prices(c, refs, inp, out, s.tag)
    _population_and_base_year(s)
    _core_allowance(s)
    _envelope(s)
    for function in FUNCTIONS:
        c.section(f"Delegated function: {function} (SPEC section 4)")
        _go_live(s, function)
        _budget(s, function)
        _delegated_allowance(s, function)
    _allowance(s)
    _costs(s)
    _capacity(s)
    _workforce_change(s)
    _real_terms(s)
    return dict(c.where)


def _population_and_base_year(s: _Icb) -> None:
    """The ICB's row in the ICB table, its population (persons), base-year RCA, programme pay,
    cost base and non-pay (£) and its core workforce in the base year (WTE)."""
    c, i, code = s.c, s.i, s.inp.codes[s.i]
    c.section("Population and the base year (SPEC section 3)")
    c.once("icb_row", "Row of this ICB in the Inputs ICB table", "row", "", f'=MATCH("{code}",icb_code,0)',
           float(i + 1), "int")
    pop0 = float(s.inp.population[i])
    c.once("pop0", "Population in the base year (GP-registered)", "persons", "pop[i,0]",
           f"=INDEX(icb_population,{c.one('icb_row')})", pop0, "pop", scale=pop0)
    c.years("population", "Population: base-year population grown at the growth rate", "persons", "pop[i,t]",
            lambda y: f"={c.one('pop0')}*(1+growth_rate)^{c.at('t', y)}", s.q["population"], "pop", scale=pop0,
            engine=s.tag("population"))
    given = s.inp.rca_given_gbp[i]
    rca_base = s.number("baseline.rca_per_head_gbp") * pop0 if math.isnan(given) else float(given)
    own = f"INDEX(icb_baseline_rca,{c.one('icb_row')})"
    c.once("rca_base", "Base-year RCA: the ICB's own figure, else RCA per head x population", "£", "rca_base[i]",
           f'=IF({own}="",rca_per_head*{c.one("pop0")},{own})', rca_base, "gbp", scale=s.money)
    prog_base = s.number("baseline.programme_pay_per_head_gbp") * pop0
    c.once("prog_base", "Base-year programme-funded pay: per head x population", "£", "prog_base[i]",
           f"=programme_pay_per_head*{c.one('pop0')}", prog_base, "gbp", scale=s.money)
    c.once("cost_base", "Cost base: base-year RCA + programme pay (what 'vs base' compares with)", "£",
           "cost_base[i]", f"={c.one('rca_base')}+{c.one('prog_base')}", s.q["cost_base_gbp"][0], "gbp",
           scale=s.money, engine=("cost_base_gbp", i, 0))
    pay_share = s.number("baseline.pay_share")
    core_wte_base = (rca_base * pay_share + prog_base) / c.value("loaded_cost")[0]
    c.once("core_wte_base", "Core workforce in the base year: (RCA x pay share + programme pay) / base-year cost "
           "of a WTE", "WTE", "core_wte_base[i]",
           f"=({c.one('rca_base')}*pay_share+{c.one('prog_base')})/{c.base('loaded_cost')}", core_wte_base,
           "wte", scale=s.staff)
    nonpay_base = rca_base * (1.0 - pay_share)
    c.once("nonpay_base", "Base-year non-pay: RCA x (1 - pay share)", "£", "nonpay_base[i]",
           f"={c.one('rca_base')}*(1-pay_share)", nonpay_base, "gbp", scale=s.money)


def _core_allowance(s: _Icb) -> None:
    """The cut, the uplift, the RCA after the cut and programme pay (£): the allowance before
    any envelope (SPEC section 4)."""
    c, refs = s.c, s.refs
    c.section("Core allowance (SPEC section 4)")
    cut = s.inp.values["running_cost_cut.path"][0]
    c.years("cut", "Cut against the base year (cumulative)", "fraction", "cut[t]",
            lambda y: f"={refs.series('running_cost_cut.path', y)}", cut, "pct")
    c.once("t_last", "Years from the base year to the last year the cut path lists", "years", "t_last",
           f"=VALUE(LEFT(cut_path_last_year,4))-{c.base('year_start')}", float(s.inp.cut_last), "int")
    after = np.maximum(s.t - s.inp.cut_last, 0.0)
    c.years("after_path", "Years after the path's last year", "years", "max(t - t_last, 0)",
            lambda y: f"=MAX({c.at('t', y)}-{c.one('t_last')},0)", after, "int")
    real = s.number("running_cost_cut.basis")
    uplift = real * c.value("deflator") + (1.0 - real)
    c.years("uplift", "Inflation uplift: the deflator if the cut is in real terms, else 1", "index", "U[t]",
            lambda y: f'=IF(cut_basis="real",{c.at("deflator", y)},1)', uplift, "index")
    ppu = s.number("running_cost_cut.post_path_uplift")
    a_pct = c.value("rca_base") * (1.0 - cut) * uplift * (1.0 + ppu) ** after
    c.years("a_pct", "RCA after the cut: base RCA x (1 - cut) x U x (1 + post-path uplift)^(years after path)",
            "£", "A_pct[i,t]",
            lambda y: f"={c.one('rca_base')}*(1-{c.at('cut', y)})*{c.at('uplift', y)}"
                      f"*(1+post_path_uplift)^{c.at('after_path', y)}", a_pct, "gbp", scale=s.money)
    c.years("programme", "Programme pay, funded at cost: base x population growth x loaded-cost growth", "£",
            "P[i,t]",
            lambda y: f"={c.one('prog_base')}*({c.at('population', y)}/{c.base('population')})"
                      f"*({c.at('loaded_cost', y)}/{c.base('loaded_cost')})",
            s.q["programme_pay_allowance_gbp"], "gbp", scale=s.money, engine=s.tag("programme_pay_allowance_gbp"))
    a_total = a_pct + s.q["programme_pay_allowance_gbp"]
    c.years("a_total", "Allowance before any envelope: RCA after the cut + programme pay", "£", "A[i,t]",
            lambda y: f"={c.at('a_pct', y)}+{c.at('programme', y)}", a_total, "gbp", scale=s.money)


def _envelope(s: _Icb) -> None:
    """The per-head envelope (£) from the year it takes effect, and the core allowance blended
    with it by its share of each year."""
    c, T = s.c, s.c.T
    eff = s.number("running_cost_cut.envelope.effective")
    has_env = not math.isnan(eff)
    env_t = float(year_of_month(int(eff)) - s.years_start[0]) if has_env else 0.0
    c.once("env_t", "Envelope: years from the base year to the year it takes effect", "years", "t_eff",
           f"=IF(ISNUMBER(envelope_effective),INT((YEAR(envelope_effective)*12+MONTH(envelope_effective)-4)/12)"
           f"-{c.base('year_start')},0)", env_t, "int")
    env_frac = active_fraction(eff, s.years_start) if has_env else np.zeros(T)
    c.years("env_frac", "Envelope: share of the year it is in force, clamp((12 - months from April)/12, 0, 1)",
            "fraction", "f[t]",
            lambda y: "=IF(ISNUMBER(envelope_effective),MIN(1,MAX(0,(12-((YEAR(envelope_effective)-"
                      f"{c.at('year_start', y)})*12+MONTH(envelope_effective)-4))/12)),0)", env_frac, "pct")
    per_head = s.number("running_cost_cut.envelope.per_head_gbp")
    env_uplift = s.number("running_cost_cut.envelope.uplift")
    env_e = per_head * s.q["population"] * (1.0 + env_uplift) ** (s.t - env_t) if has_env else np.zeros(T)
    c.years("env_e", "Envelope: per head x population x (1 + uplift)^(t - t_eff)", "£", "E[i,t]",
            lambda y: f"=IF(ISNUMBER(envelope_effective),envelope_per_head*{c.at('population', y)}"
                      f"*(1+envelope_uplift)^({c.at('t', y)}-{c.one('env_t')}),0)", env_e, "gbp", scale=s.money)
    c.years("core", "Core allowance: A, blended with the envelope by its share of the year", "£",
            "core_allowance[i,t]",
            lambda y: f"=IF({c.at('env_frac', y)}>0,(1-{c.at('env_frac', y)})*{c.at('a_total', y)}"
                      f"+{c.at('env_frac', y)}*{c.at('env_e', y)},{c.at('a_total', y)})",
            s.q["core_allowance_gbp"], "gbp", scale=s.money, engine=s.tag("core_allowance_gbp"))


def _go_live(s: _Icb, function: str) -> None:
    """When a delegated function goes live for the ICB: the month, its year g, that year's
    column, and the share of each year it is live (a fraction)."""
    c, T, name = s.c, s.c.T, function.capitalize()
    month = float(s.inp.values[f"delegation.{function}.go_live"][0][s.i])
    live = not math.isnan(month)
    gl = f"{function}_golive"
    c.once(gl, f"{name}: month it goes live (Inputs ICB table: go-live used)", "month", "go-live",
           f"=INDEX(golive_{function},{c.one('icb_row')})", month_serial(month) if live else NEVER, "month")
    g = int(year_of_month(int(month)) - s.years_start[0]) if live else 0
    c.once(f"{function}_g", f"{name}: years from the base year to the year it goes live", "years", "g",
           f"=IF(ISNUMBER({c.one(gl)}),INT((YEAR({c.one(gl)})*12+MONTH({c.one(gl)})-4)/12)"
           f"-{c.base('year_start')},0)", float(g), "int")
    col = min(max(g, 0), T - 1) + 1
    c.once(f"{function}_col", f"{name}: that year's column within the horizon (1 = base year)", "column", "",
           f"=MIN(MAX({c.one(f'{function}_g')},0),{T - 1})+1", float(col), "int")
    frac = active_fraction(month, s.years_start) if live else np.zeros(T)
    c.years(f"{function}_frac", f"{name}: share of the year it is live, clamp((12 - months from April)/12, 0, 1)",
            "fraction", "frac_f[t]",
            lambda y: f"=IF(ISNUMBER({c.one(gl)}),MIN(1,MAX(0,(12-((YEAR({c.one(gl)})-"
                      f"{c.at('year_start', y)})*12+MONTH({c.one(gl)})-4))/12)),0)", frac, "pct")


def _budget(s: _Icb, function: str) -> None:
    """The function's full-year budget D (£) added at transfer: the staff who came across (WTE)
    at the cost of a WTE and the non-pay index of the year it goes live."""
    c, name, prefix = s.c, function.capitalize(), f"delegation.{function}."
    g, col = int(c.value(f"{function}_g")), int(c.value(f"{function}_col"))
    pop0 = c.value("pop0")
    pop_g = pop0 * (1.0 + s.number("population.growth_rate")) ** g
    c.once(f"{function}_pop_g", f"{name}: population in the year it goes live", "persons", "pop[i,g]",
           f"={c.one('pop0')}*(1+growth_rate)^{c.one(f'{function}_g')}", pop_g, "pop", scale=pop0)
    transfer = s.number(prefix + "transfer_wte_per_100k") * pop_g / 1e5
    c.once(f"{function}_transfer", f"{name}: staff who came across, per 100k x population / 100,000", "WTE",
           "transfer_wte",
           f"=transfer_wte_per_100k_{function}*{c.one(f'{function}_pop_g')}/100000", transfer, "wte",
           scale=s.staff)
    lc_g = float(c.value("loaded_cost")[col - 1])
    c.once(f"{function}_lc_g", f"{name}: cost of a WTE in the year it goes live", "£ per WTE",
           "loaded_cost[g]", f"=INDEX({c.span('loaded_cost')},{c.one(f'{function}_col')})", lc_g, "gbp2",
           scale=lc_g)
    npi_g = float(c.value("nonpay_index")[col - 1])
    c.once(f"{function}_npi_g", f"{name}: non-pay index in the year it goes live", "index", "nonpay_index[g]",
           f"=INDEX({c.span('nonpay_index')},{c.one(f'{function}_col')})", npi_g, "index")
    budget = transfer * (lc_g + s.number(prefix + "nonpay_per_wte_gbp") * npi_g)
    c.once(f"{function}_budget", f"{name}: full-year budget added at transfer, WTE x (loaded cost + non-pay "
           "per WTE x non-pay index)", "£", "D",
           f"={c.one(f'{function}_transfer')}*({c.one(f'{function}_lc_g')}+nonpay_per_wte_{function}"
           f"*{c.one(f'{function}_npi_g')})", budget, "gbp", scale=s.money)


def _delegated_allowance(s: _Icb, function: str) -> None:
    """The function's allowance (£): its budget, scaled by the share of the year it is live and,
    if in the cut's scope, by the core allowance against its level at go-live; the staff it needs
    and the staff arriving with it (WTE)."""
    c, T, q, fn, name = s.c, s.c.T, s.q, function, function.capitalize()
    core = q["core_allowance_gbp"]
    core_g = float(core[int(c.value(f"{fn}_col")) - 1])
    c.once(f"{fn}_core_g", f"{name}: core allowance in the year it goes live", "£",
           "core_allowance[i,g]", f"=INDEX({c.span('core')},{c.one(f'{fn}_col')})", core_g, "gbp",
           scale=s.money)
    in_scope = s.number(f"delegation.{fn}.in_cut_scope")
    follows = np.divide(core, core_g, out=np.zeros(T), where=core_g > 0)
    scale_s = in_scope * follows + (1.0 - in_scope)
    c.years(f"{fn}_s", f"{name}: budget follows the core allowance if in the cut's scope, else 1",
            "ratio", "S[t]",
            lambda y: f"=IF(in_cut_scope_{fn},IF({c.one(f'{fn}_core_g')}>0,"
                      f"{c.at('core', y)}/{c.one(f'{fn}_core_g')},0),1)", scale_s, "index")
    c.years(f"{fn}_allowance", f"{name}: delegated allowance, D x share of year live x S", "£",
            "delegated_allowance[i,f,t]",
            lambda y: f"={c.one(f'{fn}_budget')}*{c.at(f'{fn}_frac', y)}*{c.at(f'{fn}_s', y)}",
            q[f"delegated_allowance_{fn}_gbp"], "gbp", scale=s.money,
            engine=s.tag(f"delegated_allowance_{fn}_gbp"))
    c.years(f"{fn}_required", f"{name}: staff needed, per 100k x population / 100,000 x share of year live",
            "WTE", "required_delegated_wte[i,f,t]",
            lambda y: f"=required_wte_per_100k_{fn}*{c.at('population', y)}/100000*{c.at(f'{fn}_frac', y)}",
            q[f"required_delegated_wte_{fn}"], "wte", scale=s.staff,
            engine=s.tag(f"required_delegated_wte_{fn}"))
    frac = c.value(f"{fn}_frac")
    step = np.diff(frac, prepend=frac[:1])
    c.years(f"{fn}_arrivals", f"{name}: staff arriving, transfer WTE x rise in the share of year live",
            "WTE", "transfer_wte x (frac[t] - frac[t-1])",
            lambda y: "=0" if y == 0 else
            f"={c.one(f'{fn}_transfer')}*({c.at(f'{fn}_frac', y)}-{c.at(f'{fn}_frac', y - 1)})",
            c.value(f"{fn}_transfer") * step, "wte", scale=s.staff)


def _allowance(s: _Icb) -> None:
    """The delegated allowance over the four functions, and the allowance (£)."""
    c, q = s.c, s.q
    c.section("The allowance (SPEC section 4)")
    c.years("delegated", "Delegated allowance: sum over the four functions", "£", "sum_f delegated_allowance",
            lambda y: "=" + "+".join(c.at(f"{f}_allowance", y) for f in FUNCTIONS), q["delegated_allowance_gbp"],
            "gbp", scale=s.money, engine=s.tag("delegated_allowance_gbp"))
    c.years("allowance", "Allowance: core + delegated", "£", "allowance[i,t]",
            lambda y: f"={c.at('core', y)}+{c.at('delegated', y)}", q["allowance_gbp"], "gbp", scale=s.money,
            engine=s.tag("allowance_gbp"))


def _costs(s: _Icb) -> None:
    """The staff required (WTE), core and delegated, and what they and non-pay cost (£)."""
    c, q = s.c, s.q
    c.section("Costs and capacity (SPEC section 5)")
    c.years("required_core", "Staff core functions need: base-year core WTE x (1 + demand change)^t", "WTE",
            "required_core_wte[i,t]",
            lambda y: f"={c.one('core_wte_base')}*(1+core_demand_change)^{c.at('t', y)}",
            q["required_core_wte"], "wte", scale=s.staff, engine=s.tag("required_core_wte"))
    c.years("required_delegated", "Staff delegated functions need: sum over the four functions", "WTE",
            "sum_f required_delegated_wte",
            lambda y: "=" + "+".join(c.at(f"{f}_required", y) for f in FUNCTIONS), q["required_delegated_wte"],
            "wte", scale=s.staff, engine=s.tag("required_delegated_wte"))
    c.years("required", "Staff required: core + delegated", "WTE", "required_wte",
            lambda y: f"={c.at('required_core', y)}+{c.at('required_delegated', y)}", q["required_wte"], "wte",
            scale=s.staff, engine=s.tag("required_wte"))
    nonpay_index = c.value("nonpay_index")
    core_nonpay = c.value("nonpay_base") * nonpay_index * (1.0 - s.number("nonpay.annual_saving")) ** s.t
    c.years("core_nonpay", "Core non-pay: base non-pay x non-pay index x (1 - annual saving)^t", "£", "",
            lambda y: f"={c.one('nonpay_base')}*{c.at('nonpay_index', y)}*(1-nonpay_annual_saving)^{c.at('t', y)}",
            core_nonpay, "gbp", scale=s.money)
    delegated_nonpay = sum(s.number(f"delegation.{f}.nonpay_per_wte_gbp") * nonpay_index
                           * q[f"required_delegated_wte_{f}"] for f in FUNCTIONS)
    c.years("delegated_nonpay", "Delegated non-pay: sum of non-pay per WTE x non-pay index x WTE needed", "£", "",
            lambda y: "=" + "+".join(f"nonpay_per_wte_{f}*{c.at('nonpay_index', y)}*{c.at(f'{f}_required', y)}"
                                     for f in FUNCTIONS), delegated_nonpay, "gbp", scale=s.money)
    c.years("nonpay_cost", "Non-pay cost: core + delegated", "£", "nonpay_cost[i,t]",
            lambda y: f"={c.at('core_nonpay', y)}+{c.at('delegated_nonpay', y)}", q["nonpay_cost_gbp"], "gbp",
            scale=s.money, engine=s.tag("nonpay_cost_gbp"))
    c.years("required_cost", "Cost of what is required: required WTE x cost of a WTE + non-pay", "£",
            "required_cost",
            lambda y: f"={c.at('required', y)}*{c.at('loaded_cost', y)}+{c.at('nonpay_cost', y)}",
            q["required_cost_gbp"], "gbp", scale=s.money, engine=s.tag("required_cost_gbp"))


def _capacity(s: _Icb) -> None:
    """What the allowance can pay for (WTE), and the gaps against what is required."""
    c, q = s.c, s.q
    c.years("affordable", "Staff the allowance can pay for: max(0, allowance - non-pay) / cost of a WTE", "WTE",
            "affordable_wte",
            lambda y: f"=MAX(0,{c.at('allowance', y)}-{c.at('nonpay_cost', y)})/{c.at('loaded_cost', y)}",
            q["affordable_wte"], "wte", scale=s.staff, engine=s.tag("affordable_wte"))
    c.years("wte_gap", "WTE gap: affordable - required (negative: a shortfall)", "WTE", "wte_gap",
            lambda y: f"={c.at('affordable', y)}-{c.at('required', y)}", q["wte_gap"], "wte", scale=s.staff,
            engine=s.tag("wte_gap"))
    c.years("funding_gap", "Funding gap: allowance - cost of what is required (negative: a shortfall)", "£",
            "funding_gap_gbp",
            lambda y: f"={c.at('allowance', y)}-{c.at('required_cost', y)}", q["funding_gap_gbp"], "gbp",
            scale=s.money, engine=s.tag("funding_gap_gbp"))
    c.years("core_capacity", "Left for core functions once delegated functions are staffed: affordable - delegated "
            "need", "WTE", "core_capacity_wte",
            lambda y: f"={c.at('affordable', y)}-{c.at('required_delegated', y)}", q["core_capacity_wte"], "wte",
            scale=s.staff, engine=s.tag("core_capacity_wte"))


def _workforce_change(s: _Icb) -> None:
    """Staff employed, arriving, leaving and made redundant (WTE), and the redundancy cost (£)."""
    c, q = s.c, s.q
    c.section("Workforce change and its cost (SPEC section 5)")
    c.years("employed", "Staff employed: base-year core WTE, then the lesser of affordable and required", "WTE",
            "employed[t]",
            lambda y: f"={c.one('core_wte_base')}" if y == 0 else
            f"=MIN({c.at('affordable', y)},{c.at('required', y)})", q["employed_wte"], "wte", scale=s.staff,
            engine=s.tag("employed_wte"))
    c.years("arrivals", "Staff arriving with delegated functions: sum over the four functions", "WTE",
            "arrivals[t]", lambda y: "=" + "+".join(c.at(f"{f}_arrivals", y) for f in FUNCTIONS),
            q["arrivals_wte"], "wte", scale=s.staff, engine=s.tag("arrivals_wte"))
    employed = q["employed_wte"]
    previous = np.concatenate([employed[:1], employed[:-1]])
    leavers = np.maximum(0.0, previous + q["arrivals_wte"] - employed)
    leavers[0] = 0.0
    c.years("leavers_needed", "Leavers needed: max(0, last year's employed + arrivals - employed)", "WTE",
            "leavers_needed[t]",
            lambda y: "=0" if y == 0 else
            f"=MAX(0,{c.at('employed', y - 1)}+{c.at('arrivals', y)}-{c.at('employed', y)})", leavers, "wte",
            scale=s.staff)
    c.years("attrition", "Leavers not replaced: turnover x last year's employed", "WTE", "attrition[t]",
            lambda y: "=0" if y == 0 else f"=turnover_rate*{c.at('employed', y - 1)}", q["attrition_wte"], "wte",
            scale=s.staff, engine=s.tag("attrition_wte"))
    c.years("redundancies", "Redundancies: max(0, leavers needed - attrition)", "WTE", "redundancies_wte[t]",
            lambda y: "=0" if y == 0 else f"=MAX(0,{c.at('leavers_needed', y)}-{c.at('attrition', y)})",
            q["redundancies_wte"], "wte", scale=s.staff, engine=s.tag("redundancies_wte"))
    c.years("redundancy_cost", "Redundancy cost (one-off): redundancies x salary x pay index x months / 12", "£",
            "redundancy_cost_gbp[t]",
            lambda y: f"={c.at('redundancies', y)}*salary_per_wte*{c.at('pay_index', y)}*redundancy_months/12",
            q["redundancy_cost_gbp"], "gbp", scale=s.money, engine=s.tag("redundancy_cost_gbp"))


def _real_terms(s: _Icb) -> None:
    """The allowance and core allowance in base-year prices (£), and the ratios: real change
    against the cost base (fractions) and the allowance per head (£ per head)."""
    c, q = s.c, s.q
    c.section("Real terms and per head (SPEC section 5)")
    c.years("allowance_real", "Allowance in base-year prices: allowance / deflator", "£ base-year prices",
            "allowance_real_gbp",
            lambda y: f"={c.at('allowance', y)}/{c.at('deflator', y)}", q["allowance_real_gbp"], "gbp",
            scale=s.money, engine=s.tag("allowance_real_gbp"))
    c.years("core_real", "Core allowance in base-year prices: core allowance / deflator", "£ base-year prices",
            "core_allowance / deflator",
            lambda y: f"={c.at('core', y)}/{c.at('deflator', y)}", q["core_allowance_real_gbp"], "gbp",
            scale=s.money, engine=s.tag("core_allowance_real_gbp"))
    ratio_rows(c, engine.ratios({key: q[key] for key in engine.ADDITIVE}), s.tag)
