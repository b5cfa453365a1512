"""One piece's rows on a calculation sheet: SPEC sections 3 to 5 and 10, per piece.

A piece (:mod:`model.output.workbook.structure`) is a whole base-year ICB or the share of one a
change moved. Its rows come in two parts, because its organisation's published allowance sits
between them (:mod:`model.output.workbook.org_rows`):

1. :func:`rules_rows`: its population, base year and allowance by the rules alone; each
   delegated function's go-live, budget, staff needed and arriving; and, where its organisation
   has published figures, the terms of the solve for k.
2. :func:`~model.output.workbook.piece_allowance.allowance_rows` (in its own module): its base
   (held to the published figures, back-cast before the first), core allowance, delegated budgets
   and allowance; the staff it needs and what it costs; real terms; and its share of its
   organisation's population.

Pounds are £ cash of each year unless a row says base-year prices; staff are WTE; shares are
fractions. Each row's expected value comes from the engine's run where the engine reports the
quantity (the cell then carries an ``engine`` tag), otherwise from :mod:`.solve` or the same
arithmetic written out here.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from model.engine.inputs import Inputs
from model.output.workbook.calc import Calc, Registry, Scope, Tagger
from model.output.workbook.inputs_layout import InputsRefs
from model.output.workbook.plan import NEVER, month_serial
from model.output.workbook.solve import Solve
from model.output.workbook.structure import Piece, Structure
from model.periods import active_fraction, parse_year, year_of_month
from model.schema import FUNCTIONS


@dataclass
class PieceRows:
    """What a piece's rows read: its scope on the sheet, the sheet's national rows, the inputs,
    the engine's figures for the piece by year (``q``), the solve, the scale of its pounds and
    WTE, and the engine tag of its rows."""

    s: Scope
    c: Calc
    refs: InputsRefs
    inp: Inputs
    structure: Structure
    piece: Piece
    q: dict[str, np.ndarray]
    sol: Solve
    money: float
    staff: float
    tag: Tagger
    title: str

    @property
    def a(self) -> int:
        return self.piece.atom

    def number(self, path: str) -> float:
        return float(self.inp.values[path][0])

    def org_owner(self, t: int) -> str:
        """The owner key of the organisation the piece belongs to in year ``t``."""
        return org_owner(self.structure, self.piece.orgs[t])

    @property
    def known(self) -> list[int]:
        """The years its organisation has a published figure (fixed when written)."""
        return [t for t, code in enumerate(self.piece.orgs) if t in self.structure.organisation(code).published]

    @property
    def first(self) -> int | None:
        known = self.known
        return known[0] if known else None


def org_owner(structure: Structure, code: str) -> str:
    """The owner key of an organisation's rows (``o`` and its index)."""
    return f"o{[org.code for org in structure.organisations].index(code)}"


def piece_owner(atom: int) -> str:
    return f"a{atom}"


def shares_an_organisation(structure: Structure, piece: Piece) -> bool:
    """Whether the piece's organisation holds other pieces in some year (its share of the
    organisation's staff is then a row of its own)."""
    return any(len(structure.organisation(code).members[t]) > 1 for t, code in enumerate(piece.orgs))


def rules_rows(r: PieceRows) -> None:
    """Part 1: population, base year and allowance by the rules; the delegated functions; the
    terms of the published allowance."""
    _population_and_base_year(r)
    _rules_allowance(r)
    for function in FUNCTIONS:
        r.c.section(f"{r.title}: {function} (SPEC section 4)", "subsection")
        _go_live(r, function)
        _budget(r, function)
        _need(r, function)
    if r.first is not None:
        published_terms(r)


def _population_and_base_year(r: PieceRows) -> None:
    """Its population (persons), need index, base-year RCA by the rules and programme pay (£)."""
    s, c, a = r.s, r.c, r.a
    c.section(f"{r.title}: population and the base year (SPEC section 3)")
    pop0 = float(r.inp.population[a])
    s.once("pop0", "Population in the base year (GP-registered; Inputs)", "persons", "pop[i,0]",
           f"={r.refs.piece(a, 'population')}", pop0, "pop", scale=pop0)
    s.years("population", "Population: base-year population grown at the growth rate", "persons", "pop[i,t]",
            lambda y: f"={s.one('pop0')}*(1+growth_rate)^{c.at('t', y)}", r.q["population"], "pop", scale=pop0,
            engine=r.tag("population"))
    s.once("need", "Need index (need-weighted over registered population; Inputs)", "index", "need_index",
           f"={r.refs.piece(a, 'need')}", float(r.inp.need_index[a]), "index")
    s.years("weighted_population", "Need-weighted population: population x need index", "persons", "",
            lambda y: f"={s.at('population', y)}*{s.one('need')}", r.q["weighted_population"], "pop", scale=pop0,
            engine=r.tag("weighted_population"))
    given = float(r.inp.rca_given_gbp[a])
    rules_base = r.number("baseline.rca_per_head_gbp") * pop0 if math.isnan(given) else given
    own = r.refs.piece(a, "rca")
    s.once("rules_base", "Base-year RCA by the rules: its own figure, else RCA per head x population", "£",
           "rca_base[i]", f'=IF({own}="",rca_per_head*{s.one("pop0")},{own})', rules_base, "gbp", scale=r.money)
    prog_base = r.number("baseline.programme_pay_per_head_gbp") * pop0
    s.once("prog_base", "Base-year programme-funded pay: per head x population", "£", "prog_base[i]",
           f"=programme_pay_per_head*{s.one('pop0')}", prog_base, "gbp", scale=r.money)
    s.years("programme", "Programme pay, funded at cost: base x population growth x loaded-cost growth", "£",
            "P[i,t]",
            lambda y: f"={s.one('prog_base')}*({s.at('population', y)}/{s.base('population')})"
                      f"*({c.at('loaded_cost', y)}/{c.base('loaded_cost')})",
            r.q["programme_pay_allowance_gbp"], "gbp", scale=r.money, engine=r.tag("programme_pay_allowance_gbp"))


def people_factor(need: str, basis: str) -> str:
    """People counted per registered person: 1, or the need index when ``basis`` (a word cell)
    says weighted (written as the engine computes it, 1 + (need - 1))."""
    return f'IF({basis}="weighted",1+({need}-1),1)'


def _rules_allowance(r: PieceRows) -> None:
    """The allowance by the rules alone (£): base x m + programme pay, and the envelope E
    blended in by its share of each year."""
    s, c, a = r.s, r.c, r.a
    c.section(f"{r.title}: the core allowance by the rules alone (SPEC section 4)")
    a_rules = s.value("rules_base") * c.value("m") + r.q["programme_pay_allowance_gbp"]
    s.years("a_rules", "Allowance before any envelope by the rules: base-year RCA x m + programme pay", "£",
            "A[i,t]", lambda y: f"={s.one('rules_base')}*{c.at('m', y)}+{s.at('programme', y)}", a_rules, "gbp",
            scale=r.money)
    people = people_factor(s.one("need"), "envelope_population_basis")
    s.years("env_e", "Envelope: per head x people (registered, or need-weighted) x (1 + uplift)^(t - t_eff)", "£",
            "E[i,t]",
            lambda y: f"=IF(ISNUMBER(envelope_effective),envelope_per_head*({s.at('population', y)}*{people})"
                      f"*(1+envelope_uplift)^({c.at('t', y)}-{c.one('env_t')}),0)", r.sol.envelope[a], "gbp",
            scale=r.money)
    s.years("core_rules", "Core allowance by the rules alone: A blended with the envelope by its share of the year",
            "£", "", lambda y: "=" + blend_formula(c.at("env_frac", y), s.at("a_rules", y), s.at("env_e", y)),
            r.sol.core_rules[a], "gbp", scale=r.money)


def blend_formula(frac: str, allowance: str, envelope: str) -> str:
    """``(1 - f) x A + f x E`` where the envelope is in force, else A (without the ``=``)."""
    return f"IF({frac}>0,(1-{frac})*{allowance}+{frac}*{envelope},{allowance})"


def _go_live(r: PieceRows, function: str) -> None:
    """When the function goes live for the piece: the month (Inputs), its year g, that year's
    column, and the share of each year it is live (a fraction)."""
    s, c, T, name = r.s, r.c, r.c.T, function.capitalize()
    month = float(r.inp.values[f"delegation.{function}.go_live"][0][r.a])
    live = not math.isnan(month)
    gl = f"{function}_golive"
    s.once(gl, f"{name}: month it goes live (Inputs: go-live used)", "month", "go-live",
           f"={r.refs.piece(r.a, 'golive_' + function)}", month_serial(month) if live else NEVER, "month")
    start = parse_year(r.inp.labels[0])
    g = int(year_of_month(int(month)) - start) if live else 0
    s.once(f"{function}_g", f"{name}: years from the base year to the year it goes live", "years", "g",
           f"=IF(ISNUMBER({s.one(gl)}),INT((YEAR({s.one(gl)})*12+MONTH({s.one(gl)})-4)/12)"
           f"-{c.base('year_start')},0)", float(g), "int")
    s.once(f"{function}_col", f"{name}: that year's column within the horizon (1 = base year)", "column", "",
           f"=MIN(MAX({s.one(f'{function}_g')},0),{T - 1})+1", float(min(max(g, 0), T - 1) + 1), "int")
    frac = active_fraction(month, start + np.arange(T)) if live else np.zeros(T)
    s.years(f"{function}_frac", f"{name}: share of the year it is live, clamp((12 - months from April)/12, 0, 1)",
            "fraction", "frac_f[t]",
            lambda y: f"=IF(ISNUMBER({s.one(gl)}),MIN(1,MAX(0,(12-((YEAR({s.one(gl)})-"
                      f"{c.at('year_start', y)})*12+MONTH({s.one(gl)})-4))/12)),0)", frac, "pct")


def _budget(r: PieceRows, function: str) -> None:
    """The function's full-year budget D (£) added at transfer: the staff who came across (WTE,
    per 100,000 people counted) at the cost of a WTE and the non-pay index of the year it goes
    live."""
    s, c, name, prefix = r.s, r.c, function.capitalize(), f"delegation.{function}."
    g, col = int(s.value(f"{function}_g")), int(s.value(f"{function}_col"))
    weighted = r.number(prefix + "population_basis") == 1.0
    people = 1.0 + (float(r.inp.need_index[r.a]) - 1.0) if weighted else 1.0
    s.once(f"{function}_people", f"{name}: people counted per registered person (1, or the need index)", "ratio",
           "", "=" + people_factor(s.one("need"), f"population_basis_{function}"), people, "index")
    pop_g = s.value("pop0") * people * (1.0 + r.number("population.growth_rate")) ** g
    s.once(f"{function}_pop_g", f"{name}: people counted in the year it goes live", "persons", "pop[i,g]",
           f"={s.one('pop0')}*{s.one(f'{function}_people')}*(1+growth_rate)^{s.one(f'{function}_g')}", pop_g, "pop",
           scale=s.value("pop0"))
    transfer = r.number(prefix + "transfer_wte_per_100k") * pop_g / 1e5
    s.once(f"{function}_transfer", f"{name}: staff who came across, per 100k x people / 100,000", "WTE",
           "transfer_wte", f"=transfer_wte_per_100k_{function}*{s.one(f'{function}_pop_g')}/100000", transfer, "wte",
           scale=r.staff)
    lc_g = float(c.value("loaded_cost")[col - 1])
    s.once(f"{function}_lc_g", f"{name}: cost of a WTE in the year it goes live", "£ per WTE", "loaded_cost[g]",
           f"=INDEX({c.span('loaded_cost')},{s.one(f'{function}_col')})", lc_g, "gbp2", scale=lc_g)
    npi_g = float(c.value("nonpay_index")[col - 1])
    s.once(f"{function}_npi_g", f"{name}: non-pay index in the year it goes live", "index", "nonpay_index[g]",
           f"=INDEX({c.span('nonpay_index')},{s.one(f'{function}_col')})", npi_g, "index")
    s.once(f"{function}_budget", f"{name}: full-year budget added at transfer, WTE x (loaded cost + non-pay per WTE "
           "x non-pay index)", "£", "D",
           f"={s.one(f'{function}_transfer')}*({s.one(f'{function}_lc_g')}+nonpay_per_wte_{function}"
           f"*{s.one(f'{function}_npi_g')})", transfer * (lc_g + r.number(prefix + "nonpay_per_wte_gbp") * npi_g),
           "gbp", scale=r.money)


def _need(r: PieceRows, function: str) -> None:
    """The staff the function needs and the staff arriving with it (WTE)."""
    s, fn, name = r.s, function, function.capitalize()
    s.years(f"{fn}_required", f"{name}: staff needed, per 100k x people / 100,000 x share of year live", "WTE",
            "required_delegated_wte[i,f,t]",
            lambda y: f"=required_wte_per_100k_{fn}*{s.at('population', y)}*{s.one(f'{fn}_people')}/100000"
                      f"*{s.at(f'{fn}_frac', y)}", r.q[f"required_delegated_wte_{fn}"], "wte", scale=r.staff,
            engine=r.tag(f"required_delegated_wte_{fn}"))
    frac = s.value(f"{fn}_frac")
    step = np.diff(frac, prepend=frac[:1])
    s.years(f"{fn}_arrivals", f"{name}: staff arriving, transfer WTE x rise in the share of year live", "WTE",
            "transfer_wte x (frac[t] - frac[t-1])",
            lambda y: "=0" if y == 0 else
            f"={s.one(f'{fn}_transfer')}*({s.at(f'{fn}_frac', y)}-{s.at(f'{fn}_frac', y - 1)})",
            s.value(f"{fn}_transfer") * step, "wte", scale=r.staff)
    if r.first is not None:
        _core_at_go_live(r, function)


def _core_at_go_live(r: PieceRows, function: str) -> None:
    """The core allowance of the go-live year, for the solve: by the rules alone (what a first
    published year sees), and as it turned out, carried from the year after go-live (£)."""
    s, fn, name = r.s, function, function.capitalize()
    col = int(s.value(f"{fn}_col"))
    s.once(f"{fn}_core_rules_g", f"{name}: core allowance by the rules alone in the year it goes live", "£", "",
           f"=INDEX({s.span('core_rules')},{s.one(f'{fn}_col')})", float(r.sol.core_rules[r.a, col - 1]), "gbp",
           scale=r.money)
    own = piece_owner(r.a)
    s.years(f"{fn}_carried", f"{name}: core allowance of the year it went live, from the year after", "£", "",
            lambda y: "=0" if y == 0 else f"=IF({s.one(f'{fn}_col')}={y},{Registry.ref(own, 'core', y - 1)},"
                                          f"{s.at(f'{fn}_carried', y - 1)})",
            r.sol.carried[fn][r.a], "gbp", scale=r.money)


def published_terms(r: PieceRows) -> None:
    """The piece's terms in its organisation's k (SPEC section 10): ``moving`` (a ratio), the
    fixed budgets, and its parts of k's numerator and denominator (£)."""
    s, c, a = r.s, r.c, r.a
    c.section(f"{r.title}: its terms in the published allowance's k (SPEC section 10)", "subsection")

    def went_before(fn: str, y: int) -> str:
        return f"AND(in_cut_scope_{fn},{c.at('t', y)}>{s.one(f'{fn}_g')})"

    def seen(fn: str, y: int) -> str:
        return s.one(f"{fn}_core_rules_g") if y == r.first else s.at(f"{fn}_carried", y)

    s.years("moving", "Budgets moving with the core allowance, per £ of it: in scope and live before this year, "
            "D x share of year / core allowance at go-live", "ratio", "q",
            lambda y: "=" + "+".join(f"IF({went_before(f, y)},{s.one(f'{f}_budget')}*{s.at(f'{f}_frac', y)}"
                                     f"/IF({seen(f, y)}>0,{seen(f, y)},1),0)" for f in FUNCTIONS),
            r.sol.moving[a], "index")
    s.years("fixed", "Other delegated budgets this year (the rest): D x share of year", "£", "c",
            lambda y: "=" + "+".join(f"IF({went_before(f, y)},0,{s.one(f'{f}_budget')}*{s.at(f'{f}_frac', y)})"
                                     for f in FUNCTIONS), r.sol.fixed[a], "gbp", scale=r.money)
    s.years("num", "Its part of k's numerator: q x programme pay + c", "£", "",
            lambda y: f"={s.at('moving', y)}*{s.at('programme', y)}+{s.at('fixed', y)}", r.sol.num[a], "gbp",
            scale=r.money)
    first = r.first if r.first is not None else 0
    s.years("den", "Its part of k's denominator: last year's base (the rules' before the first published year) x m "
            "x (1 + q)", "£", "",
            lambda y: f"={s.one('rules_base') if y <= first else Registry.ref(piece_owner(a), 'base', y - 1)}"
                      f"*{c.at('m', y)}*(1+{s.at('moving', y)})", r.sol.den[a], "gbp", scale=r.money)
