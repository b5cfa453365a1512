"""The rows every calculation sheet starts with, the same on each: the year and t, the price
indices (SPEC section 3), the rules' multiplier of a pound of base-year RCA (the cut, its basis
and the uplift after the path: SPEC section 4) and the envelope's timing; and the ratio rows
every sheet that states figures ends with."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from model import engine
from model.engine.inputs import Inputs
from model.engine.layout import Frame
from model.engine.prices import prices
from model.output.workbook.calc import Calc, Tagger
from model.output.workbook.inputs_layout import InputsRefs
from model.periods import active_fraction, parse_year, year_of_month


def national_rows(c: Calc, refs: InputsRefs, inp: Inputs, out: dict[str, np.ndarray], tag: Tagger) -> None:
    """Time, prices, the rules' multiplier and the envelope's timing."""
    _time_and_prices(c, refs, inp, out, tag)
    _rules(c, refs, inp, out)
    _envelope_timing(c, inp)


def _time_and_prices(c: Calc, refs: InputsRefs, inp: Inputs, out: dict[str, np.ndarray], tag: Tagger) -> None:
    """The year, t, and the national price indices (pay, cost of a WTE in £, non-pay, GDP
    deflator, the cost of running an ICB, the deflator)."""
    T = c.T
    starts = np.arange(T, dtype=float) + parse_year(inp.labels[0])
    c.years("year_start", "Financial year starts in April of", "year", "", lambda y: f"={refs.year_start(y)}",
            starts, "year")
    c.years("t", "Years from the base year", "years", "t", lambda y: f"={c.at('year_start', y)}-{c.base('year_start')}",
            np.arange(T, dtype=float), "int")
    c.section("Price indices (SPEC section 3; all 1 in the base year)")
    c.years("pay_index", "Pay index: pay awards compounded", "index", "pay_index[t]",
            lambda y: "=1" if y == 0 else f"={c.at('pay_index', y - 1)}*(1+{refs.series('inflation.pay_award', y)})",
            out["pay_index"][0, 0], "index", engine=tag("pay_index"))
    loaded = out["loaded_cost_per_wte_gbp"][0, 0]
    c.years("loaded_cost", "Cost of a WTE: salary x pay index x (1 + on-cost rate)", "£ per WTE", "loaded_cost[t]",
            lambda y: f"=salary_per_wte*{c.at('pay_index', y)}*(1+{refs.series('inflation.oncost_rate', y)})",
            loaded, "gbp2", scale=float(loaded.max()), engine=tag("loaded_cost_per_wte_gbp"))
    c.years("nonpay_index", "Non-pay index: non-pay inflation compounded", "index", "nonpay_index[t]",
            lambda y: "=1" if y == 0 else
            f"={c.at('nonpay_index', y - 1)}*(1+{refs.series('inflation.nonpay_inflation', y)})",
            out["nonpay_index"][0, 0], "index", engine=tag("nonpay_index"))
    gdp = engine.compound(inp.values["inflation.gdp_deflator"][0].copy())
    c.years("gdp_index", "GDP deflator index: GDP deflator growth compounded", "index", "prod(1+gdp_deflator)",
            lambda y: "=1" if y == 0 else
            f"={c.at('gdp_index', y - 1)}*(1+{refs.series('inflation.gdp_deflator', y)})", gdp, "index")
    pay_share = float(inp.values["baseline.pay_share"][0])
    cost_index = pay_share * loaded / loaded[0] + (1.0 - pay_share) * out["nonpay_index"][0, 0]
    c.years("cost_index", "Cost of running an ICB: pay share x loaded-cost index + (1 - pay share) x non-pay index",
            "index", "cost deflator",
            lambda y: f"=pay_share*{c.at('loaded_cost', y)}/{c.base('loaded_cost')}"
                      f"+(1-pay_share)*{c.at('nonpay_index', y)}", cost_index, "index")
    c.years("deflator", "Deflator used for real terms (Inputs: real terms measured against)", "index", "deflator[t]",
            lambda y: f'=IF(real_terms_index="gdp_deflator",{c.at("gdp_index", y)},{c.at("cost_index", y)})',
            out["deflator"][0, 0], "index", engine=tag("deflator"))


def _rules(c: Calc, refs: InputsRefs, inp: Inputs, out: dict[str, np.ndarray]) -> None:
    """The cut, the years after its path, the uplift U and the rules' multiplier m of a pound of
    base-year RCA (fractions and indices)."""
    c.section("What the rules make of each pound of base-year RCA (SPEC section 4)")
    t = np.arange(c.T, dtype=float)
    cut = inp.values["running_cost_cut.path"][0]
    c.years("cut", "Cut against the base year (cumulative)", "fraction", "cut[t]",
            lambda y: f"={refs.series('running_cost_cut.path', y)}", cut, "pct")
    c.once("t_last", "Years from the base year to the last year the cut path lists", "years", "t_last",
           f"=VALUE(LEFT(cut_path_last_year,4))-{c.base('year_start')}", float(inp.cut_last), "int")
    after = np.maximum(t - inp.cut_last, 0.0)
    c.years("after_path", "Years after the path's last year", "years", "max(t - t_last, 0)",
            lambda y: f"=MAX({c.at('t', y)}-{c.one('t_last')},0)", after, "int")
    real = float(inp.values["running_cost_cut.basis"][0])
    uplift = real * out["deflator"][0, 0] + (1.0 - real)
    c.years("uplift", "Inflation uplift: the deflator if the cut is in real terms, else 1", "index", "U[t]",
            lambda y: f'=IF(cut_basis="real",{c.at("deflator", y)},1)', uplift, "index")
    x = Frame(inp)
    from model.engine.allowance import cut_multiplier

    c.years("m", "Rules' multiplier: (1 - cut) x U x (1 + post-path uplift)^(years after the path)", "index", "m[t]",
            lambda y: f"=(1-{c.at('cut', y)})*{c.at('uplift', y)}*(1+post_path_uplift)^{c.at('after_path', y)}",
            cut_multiplier(x, prices(x))[0, :, 0], "index")


def _envelope_timing(c: Calc, inp: Inputs) -> None:
    """The per-head envelope's year t_eff and its share of each year in force (a fraction)."""
    T = c.T
    eff = float(inp.values["running_cost_cut.envelope.effective"][0])
    years = parse_year(inp.labels[0]) + np.arange(T)
    has_env = not np.isnan(eff)
    env_t = float(year_of_month(int(eff)) - years[0]) if has_env else 0.0
    c.once("env_t", "Envelope: years from the base year to the year it takes effect", "years", "t_eff",
           f"=IF(ISNUMBER(envelope_effective),INT((YEAR(envelope_effective)*12+MONTH(envelope_effective)-4)/12)"
           f"-{c.base('year_start')},0)", env_t, "int")
    env_frac = active_fraction(eff, years) if has_env else np.zeros(T)
    c.years("env_frac", "Envelope: share of the year it is in force, clamp((12 - months from April)/12, 0, 1)",
            "fraction", "f[t]",
            lambda y: "=IF(ISNUMBER(envelope_effective),MIN(1,MAX(0,(12-((YEAR(envelope_effective)-"
                      f"{c.at('year_start', y)})*12+MONTH(envelope_effective)-4))/12)),0)", env_frac, "pct")


def ratio_rows(c: Calc, ratios: dict[str, np.ndarray], tag: Tagger, at: Callable[[str, int], str],
               one: Callable[[str], str]) -> None:
    """The ratios, worked out from the sums rather than summed: real change and core real change
    against the cost base (fractions), the allowance per head (£ per head) and the need index.
    ``at(key, y)`` and ``one(key)`` give the cells of the engine figures they are made from."""
    c.years("real_change", "Real change against the cost base: real allowance / cost base - 1", "fraction",
            "real_change_vs_base", lambda y: f"={at('allowance_real_gbp', y)}/{one('cost_base_gbp')}-1",
            ratios["real_change_vs_base"], "pct", engine=tag("real_change_vs_base"))
    c.years("core_real_change", "Real change of the core allowance against the cost base", "fraction",
            "core_real_change_vs_base", lambda y: f"={at('core_allowance_real_gbp', y)}/{one('cost_base_gbp')}-1",
            ratios["core_real_change_vs_base"], "pct", engine=tag("core_real_change_vs_base"))
    per_head = ratios["allowance_per_head_gbp"]
    c.years("per_head", "Allowance per head: allowance / population", "£ per head", "allowance_per_head_gbp",
            lambda y: f"={at('allowance_gbp', y)}/{at('population', y)}", per_head, "gbp2",
            scale=float(np.abs(per_head).max()), engine=tag("allowance_per_head_gbp"))
    c.years("need_index", "Need index: need-weighted population / population", "index", "need_index",
            lambda y: f"={at('weighted_population', y)}/{at('population', y)}", ratios["need_index"], "index",
            engine=tag("need_index"))
