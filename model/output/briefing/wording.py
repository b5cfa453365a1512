"""The briefing's sentences, made from results figures by a small set of templates.

Every number a sentence shows comes from a figure passed in, in the model's own units (£,
fractions, WTE), and is written by one of three formats:

- money: whole pounds under £1,000, else £k whole under £1,000k, else £m to one decimal place
  (``£300``, ``£950k``, ``£44.1m``), each judged on the figure as it would be shown; thousands
  separated by commas;
- percentages: one decimal place (``21.0%``);
- WTE: whole from 10, one decimal place below (``520``, ``4.5``).

Numbers are shown as magnitudes; the words carry the sign ("lower"/"higher",
"shortfall"/"surplus"), and a figure that rounds to zero gets words of its own ("about the
same", "no shortfall") rather than "0.0% lower". Nouns agree with the number shown ("1 post",
"2 posts"). Each template returns a :class:`Sentence` holding its text and the figures it shows,
in order, so tests can read the numbers back out of the text and check them against the results.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

# ---------------------------------------------------------------------------------------------
# Numbers


def money(gbp: float) -> str:
    """The magnitude of a sum of pounds for a sentence: ``£44.1m``, ``£950k`` or ``£300`` (a unit
    is used when the smaller one would show 1,000 or more: £999,600 is ``£1.0m``, not ``£1,000k``)."""
    x = abs(float(gbp))
    pounds = f"{x:,.0f}"
    if _number(pounds) < 1000:
        return f"£{pounds}"
    thousands = f"{x / 1e3:,.0f}"
    if _number(thousands) < 1000:
        return f"£{thousands}k"
    return f"£{x / 1e6:,.1f}m"


def percent(fraction: float) -> str:
    """The magnitude of a fraction as a percentage to one decimal place: 0.2104 -> ``21.0%``."""
    return f"{abs(float(fraction)) * 100:,.1f}%"


def wte(value: float) -> str:
    """The magnitude of a number of whole-time equivalents: whole from 10, else one decimal place."""
    x = abs(float(value))
    one = f"{x:,.1f}"
    return f"{x:,.0f}" if _number(one) >= 10 else one


def _number(text: str) -> float:
    return float(text.lstrip("£").rstrip("%mk").replace(",", ""))


def cell(value: float, unit: str, difference: bool = False) -> str:
    """A table figure already in its display unit (£m, %, WTE, as the compare table gives it):
    £m and % to one decimal place, WTE whole from 10 and to one decimal place below; negatives with
    a minus sign (U+2212), differences with a sign either way."""
    if value is None or not math.isfinite(value):
        return "n/a"
    text = wte(value) if unit == "WTE" else f"{abs(value):,.1f}"
    if shows_zero(text):
        return text
    if value < 0:
        return MINUS + text
    return "+" + text if difference else text


MINUS = "\u2212"


def shows_zero(text: str) -> bool:
    """Whether a shown figure (``£0``, ``0.0%``, ``0.0``) is zero once rounded."""
    return _number(text) == 0


def noun(shown: str, singular: str, plural: str) -> str:
    """``singular`` when the number as shown is one (``1``, ``1.0``), else ``plural`` (``0``,
    ``0.5``, ``2``)."""
    return singular if _number(shown) == 1 else plural


# ---------------------------------------------------------------------------------------------
# Sentences


@dataclass(frozen=True)
class Figure:
    """A number a sentence shows: the source value (model units, signed), its kind (``gbp``,
    ``fraction`` or ``wte``) and the text it is shown as."""

    value: float
    kind: str
    shown: str


@dataclass(frozen=True)
class Sentence:
    """A sentence (or two) and the figures it shows, in the order they appear."""

    text: str
    figures: tuple[Figure, ...] = ()

    def __str__(self) -> str:
        return self.text


def join(*sentences: Sentence) -> Sentence:
    """Sentences one after another, as one."""
    return Sentence(" ".join(s.text for s in sentences), tuple(f for s in sentences for f in s.figures))


_FORMATS = {"gbp": money, "fraction": percent, "wte": wte}


class _Builder:
    """Collects the figures a template shows while it writes them."""

    def __init__(self) -> None:
        self.figures: list[Figure] = []

    def show(self, value: float, kind: str) -> str:
        shown = _FORMATS[kind](value)
        self.figures.append(Figure(float(value), kind, shown))
        return shown

    def done(self, text: str) -> Sentence:
        return Sentence(text, tuple(self.figures))


def _direction(shown: str, value: float, lower: str = "lower", higher: str = "higher") -> str | None:
    """``lower``/``higher`` by the sign of ``value``, or None when it shows as zero."""
    if shows_zero(shown):
        return None
    return lower if value < 0 else higher


BASIS_WORDS = {
    "published": " (NHS England's published figure)",
    "restated": " (restated from NHS England's published figures)",
}
"""What an ``allowance_basis`` adds after the allowance; ``projected`` (from the rules) adds nothing."""


def allowance(place: str, year: str, base_year: str, allowance_gbp: float, real_change: float,
              basis: str | None = None) -> Sentence:
    """The allowance and its real-terms change since the base year.

    "In 2026/27 the allowance for X is £44.1m: 21.0% lower in real terms than in 2022/23."
    """
    b = _Builder()
    amount = b.show(allowance_gbp, "gbp")
    said = f"In {year} the allowance for {place} is {amount}{BASIS_WORDS.get(basis or '', '')}"
    if year == base_year:
        return b.done(f"{said}; {year} is the base year every real-terms change is measured from.")
    change = b.show(real_change, "fraction")
    direction = _direction(change, real_change)
    if direction is None:
        b.figures.pop()
        return b.done(f"{said}: about the same in real terms as in {base_year}.")
    return b.done(f"{said}: {change} {direction} in real terms than in {base_year}.")


def workforce(affordable_wte: float, required_wte: float, wte_gap: float, funding_gap_gbp: float) -> Sentence:
    """What the allowance pays for against what is needed, and the gap in staff and in money.

    "It pays for 520 WTE against 780 WTE needed once delegated functions are staffed: a shortfall
    of 260 WTE. Staffing to that need would cost £9.1m a year more than the allowance."
    """
    b = _Builder()
    can = b.show(affordable_wte, "wte")
    need = b.show(required_wte, "wte")
    text = f"It pays for {can} WTE against {need} WTE needed once delegated functions are staffed"
    gap = b.show(wte_gap, "wte")
    kind = _direction(gap, wte_gap, "shortfall", "surplus")
    if kind is None:
        b.figures.pop()
        text += ": the two match to within a tenth of a WTE."
    else:
        text += f": a {kind} of {gap} WTE."
    cost = b.show(funding_gap_gbp, "gbp")
    more = _direction(cost, funding_gap_gbp, "more", "less")
    if more is None:
        b.figures.pop()
        text += " The allowance covers the cost of staffing to that need."
    else:
        text += f" Staffing to that need would cost {cost} a year {more} than the allowance."
    return b.done(text)


def core_capacity(core_capacity_wte: float, required_core_wte: float) -> Sentence:
    """What is left for core functions once delegated functions are staffed as they need.

    "Once delegated functions are staffed as they need, 338 WTE are left for core functions,
    which need 740 WTE."
    """
    b = _Builder()
    left = b.show(core_capacity_wte, "wte")
    if core_capacity_wte < 0 and not shows_zero(left):
        core = b.show(required_core_wte, "wte")
        return b.done(f"Staffing delegated functions as they need takes {left} WTE more than the allowance pays "
                      f"for, leaving nothing for core functions, which need {core} WTE.")
    if shows_zero(left):
        b.figures.pop()
        core = b.show(required_core_wte, "wte")
        return b.done("Once delegated functions are staffed as they need, nothing is left for core functions, "
                      f"which need {core} WTE.")
    core = b.show(required_core_wte, "wte")
    verb = noun(left, "is", "are")
    return b.done(f"Once delegated functions are staffed as they need, {left} WTE {verb} left for core "
                  f"functions, which need {core} WTE.")


def redundancy(year: str, first_year: str, in_year_wte: float, in_year_gbp: float, to_date_wte: float,
               to_date_gbp: float) -> Sentence:
    """Posts that go by redundancy (beyond what turnover absorbs) in the year and to date, and
    their one-off cost. ``first_year`` is the first year after the base year (the first year
    posts can go); the "to date" figures run from it to ``year``.

    "Bringing staff within the allowance means 148 posts (WTE) go by redundancy in 2026/27,
    beyond what staff turnover absorbs, at a one-off cost of £12.2m."
    """
    b = _Builder()
    posts = wte(in_year_wte)
    total = wte(to_date_wte)
    if shows_zero(posts) and shows_zero(total):
        return b.done(f"No post needs to go by redundancy by {year}: staff turnover absorbs the posts that must go.")
    span = f"from {first_year} to {year}" if first_year < year else f"in {year}"
    if shows_zero(posts):
        total = b.show(to_date_wte, "wte")
        cost = b.show(to_date_gbp, "gbp")
        return b.done(f"No post goes by redundancy in {year}. {span[0].upper()}{span[1:]}, {total} "
                      f"{noun(total, 'post', 'posts')} (WTE) {noun(total, 'goes', 'go')} by redundancy beyond what "
                      f"staff turnover absorbs, at a one-off cost of {cost} in all.")
    posts = b.show(in_year_wte, "wte")
    cost = b.show(in_year_gbp, "gbp")
    text = (f"Bringing staff within the allowance means {posts} {noun(posts, 'post', 'posts')} (WTE) "
            f"{noun(posts, 'goes', 'go')} by redundancy in {year}, beyond what staff turnover absorbs, at a "
            f"one-off cost of {cost}")
    if first_year < year and total != posts and not shows_zero(total):
        total = b.show(to_date_wte, "wte")
        all_cost = b.show(to_date_gbp, "gbp")
        text += f"; {total} {noun(total, 'post', 'posts')} {span}, costing {all_cost} in all"
    return b.done(text + ".")


def comparison(name: str, reference: str, year: str, base_year: str, real_change: float,
               reference_real_change: float, wte_gap: float, reference_wte_gap: float) -> Sentence:
    """Another scenario against the reference, in real-terms change (comparable even where one
    counts programme-funded pay and the other does not) and in the WTE gap.

    "Under envelope_2025 the allowance in 2026/27 is 37.5% lower in real terms than in 2022/23
    (base: 36.3% lower), and the shortfall is 715 WTE (base: 444 WTE)."
    """
    b = _Builder()

    def change(value: float) -> str:
        shown = b.show(value, "fraction")
        direction = _direction(shown, value)
        if direction is None:
            b.figures.pop()
            return "about the same"
        return f"{shown} {direction}"

    def gap(value: float) -> str:
        shown = b.show(value, "wte")
        kind = _direction(shown, value, "shortfall", "surplus")
        if kind is None:
            b.figures.pop()
            return "no gap to within a tenth of a WTE"
        return f"a {kind} of {shown} WTE"

    if year == base_year:
        first = f"Under {name} the allowance in {year}, the base year,"
        own_gap, ref_gap = gap(wte_gap), gap(reference_wte_gap)
        return b.done(f"{first} leaves {own_gap} ({reference}: {ref_gap}).")
    own, ref = change(real_change), change(reference_real_change)
    real = "in real terms as" if own == "about the same" else "in real terms than"
    text = f"Under {name} the allowance in {year} is {own} {real} in {base_year} ({reference}: {ref})"
    own_gap, ref_gap = gap(wte_gap), gap(reference_wte_gap)
    return b.done(f"{text}, with {own_gap} ({reference}: {ref_gap}).")


def programme_pay_caution(counting: list[str], not_counting: list[str]) -> Sentence:
    """Why scenarios that differ in counting programme-funded pay are compared in real-terms change."""
    def names(items: list[str]) -> str:
        return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]

    verb_in = "counts" if len(counting) == 1 else "count"
    verb_out = "does" if len(not_counting) == 1 else "do"
    return Sentence(f"{names(counting)} {verb_in} programme-funded pay in the allowance and {names(not_counting)} "
                    f"{verb_out} not, so compare them by the real-terms change rather than in cash.")


# ---------------------------------------------------------------------------------------------
# Alt text for the charts: what a sighted reader takes from each, in words


def allowance_chart_alt(place: str, first_year: str, last_year: str, reference: str, cash_first: float,
                        cash_last: float, real_last: float,
                        others: Sequence[tuple[str, float, float]] = ()) -> Sentence:
    """The allowance chart: cash and real terms by year, one line per scenario. ``others`` holds
    (scenario, cash in the last year, real in the last year) for each further scenario."""
    b = _Builder()
    text = (f"Two line charts of the allowance for {place} by year from {first_year} to {last_year}, one line per "
            f"scenario: in cash on the left and in {first_year} prices on the right. Under {reference} it goes "
            f"from {b.show(cash_first, 'gbp')} in {first_year} to {b.show(cash_last, 'gbp')} in {last_year} in "
            f"cash, or {b.show(real_last, 'gbp')} in {first_year} prices.")
    for name, cash, real in others:
        text += (f" Under {name}: {b.show(cash, 'gbp')} in cash and {b.show(real, 'gbp')} in {first_year} prices "
                 f"in {last_year}.")
    return b.done(text)


def workforce_chart_alt(place: str, first_year: str, last_year: str, year: str, reference: str,
                        affordable_wte: float, required_wte: float,
                        others: Sequence[tuple[str, float, float]] = ()) -> Sentence:
    """The workforce chart: affordable (solid) against required (dashed) WTE by year. ``others``
    holds (scenario, affordable, required) in ``year`` for each further scenario."""
    b = _Builder()
    text = (f"Line chart of staff for {place} by year from {first_year} to {last_year}: what the allowance pays "
            f"for (solid lines) against what is needed (dashed lines), one colour and marker per scenario. In "
            f"{year} under {reference} it pays for {b.show(affordable_wte, 'wte')} WTE against "
            f"{b.show(required_wte, 'wte')} WTE needed.")
    for name, can, need in others:
        text += f" Under {name}: {b.show(can, 'wte')} WTE against {b.show(need, 'wte')} WTE."
    return b.done(text)


def waterfall_chart_alt(place: str, base_year: str, year: str, reference: str, start_gbp: float,
                        core_change_gbp: float, delegated_change_gbp: float, inflation_gbp: float,
                        end_gbp: float) -> Sentence:
    """The waterfall: from the base-year allowance to ``year``'s in base-year prices, told for the
    reference scenario."""
    b = _Builder()

    def step(value: float, what: str, take: str, add: str, none: str) -> str:
        shown = b.show(value, "gbp")
        verb = _direction(shown, value, take, add)
        if verb is None:
            b.figures.pop()
            return none
        return f"{what} {verb} {shown}"

    start = b.show(start_gbp, "gbp")
    core = step(core_change_gbp, "the cut and any envelope", "take", "add",
                "the core allowance is unchanged in cash")
    delegated = step(delegated_change_gbp, "delegated functions", "take", "add",
                     "delegated budgets do not change it")
    inflation = step(inflation_gbp, "inflation", "takes", "adds", "inflation does not change its buying power")
    inflation += " of buying power" if not inflation.startswith("inflation does") else ""
    end = b.show(end_gbp, "gbp")
    return b.done(f"Waterfall chart for {place} in {base_year} prices, one group of bars per scenario, from the "
                  f"{base_year} allowance to the {year} allowance. Under {reference}: the {base_year} allowance is "
                  f"{start}; {core}; {delegated}; {inflation}; leaving {end} in {base_year} prices.")
