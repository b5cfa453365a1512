"""The briefing's sentence templates (model/output/briefing/wording.py): units and rounding,
signs, singular and plural, and, for random figures, that every number in the text is a figure
passed in, rounded as the paper promises."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from model.output.briefing import wording
from tests.briefing_text import matches, numbers, reference_format

# ---------------------------------------------------------------------------------------------
# Numbers


@pytest.mark.parametrize(("gbp", "shown"), [
    (44_100_000, "£44.1m"), (-44_149_999, "£44.1m"), (1_062_774_258.58, "£1,062.8m"), (999_960, "£1.0m"),
    (950_000, "£950k"), (12_345, "£12k"), (999.4, "£999"), (999.6, "£1k"), (999_499, "£999k"), (1_499, "£1k"),
    (300, "£300"), (0.4, "£0"), (0, "£0"),
])
def test_money_is_in_millions_thousands_or_pounds_by_size(gbp, shown):
    assert wording.money(gbp) == shown


@pytest.mark.parametrize(("fraction", "shown"), [(-0.2104, "21.0%"), (0.3, "30.0%"), (0.00049, "0.0%"),
                                                  (-12.5, "1,250.0%")])
def test_percent_has_one_decimal_place_and_no_sign(fraction, shown):
    assert wording.percent(fraction) == shown


@pytest.mark.parametrize(("value", "shown"), [(520.4, "520"), (-8632.2, "8,632"), (9.94, "9.9"), (9.96, "10"),
                                               (4.55, "4.5"), (0.04, "0.0"), (10, "10")])
def test_wte_is_whole_from_ten_with_one_decimal_below(value, shown):
    assert wording.wte(value) == shown


@pytest.mark.parametrize(("shown", "word"), [("1", "post"), ("1.0", "post"), ("2", "posts"), ("0", "posts"),
                                              ("0.5", "posts"), ("1,001", "posts")])
def test_nouns_agree_with_the_number_shown(shown, word):
    assert wording.noun(shown, "post", "posts") == word


@pytest.mark.parametrize(("value", "unit", "difference", "shown"), [
    (41.1, "£m", False, "41.1"), (-28.14, "£m", False, "\u221228.1"), (25.0, "£m", True, "+25.0"),
    (-0.04, "£m", True, "0.0"), (-443.8, "WTE", False, "\u2212444"), (4.44, "WTE", False, "4.4"),
    (-36.3, "%", True, "\u221236.3"), (float("nan"), "%", False, "n/a"),
])
def test_table_cells(value, unit, difference, shown):
    assert wording.cell(value, unit, difference) == shown


# ---------------------------------------------------------------------------------------------
# Templates, case by case


def test_allowance_lower_in_real_terms():
    s = wording.allowance("NHS Test", "2026/27", "2022/23", 44_100_000, -0.2104)
    assert s.text == "In 2026/27 the allowance for NHS Test is £44.1m: 21.0% lower in real terms than in 2022/23."
    assert [f.shown for f in s.figures] == ["£44.1m", "21.0%"]


def test_allowance_higher_the_same_and_the_base_year():
    assert "5.0% higher in real terms" in wording.allowance("X", "2024/25", "2022/23", 1e6, 0.05).text
    same = wording.allowance("X", "2024/25", "2022/23", 1e6, -0.0004)
    assert "about the same in real terms as in 2022/23" in same.text
    assert "0.0%" not in same.text and [f.shown for f in same.figures] == ["£1.0m"]
    base = wording.allowance("X", "2022/23", "2022/23", 1e6, 0.0)
    assert "base year" in base.text and "%" not in base.text


def test_allowance_says_when_the_figure_is_published_or_restated():
    assert "(NHS England's published figure)" in wording.allowance("X", "2025/26", "2022/23", 1e6, -0.3,
                                                                    "published").text
    assert "(restated from NHS England's published figures)" in wording.allowance(
        "X", "2025/26", "2022/23", 1e6, -0.3, "restated").text
    assert "published" not in wording.allowance("X", "2027/28", "2022/23", 1e6, -0.3, "projected").text


def test_workforce_shortfall_surplus_and_balance():
    short = wording.workforce(520.2, 780.4, -260.2, -9_100_000)
    assert short.text == ("It pays for 520 WTE against 780 WTE needed once delegated functions are staffed: a "
                          "shortfall of 260 WTE. Staffing to that need would cost £9.1m a year more than the "
                          "allowance.")
    spare = wording.workforce(800, 780, 20, 1_000_000)
    assert "a surplus of 20 WTE" in spare.text and "£1.0m a year less than the allowance" in spare.text
    even = wording.workforce(780.2, 780.1, -0.04, 0.2)
    assert "the two match to within a tenth of a WTE" in even.text and "covers the cost" in even.text
    assert "shortfall of" not in even.text and "surplus" not in even.text


def test_core_capacity_left_none_and_short():
    assert "338 WTE are left for core functions, which need 782 WTE" in wording.core_capacity(338, 782).text
    assert "1.0 WTE is left" in wording.core_capacity(1.04, 50).text
    assert "1 WTE is left" not in wording.core_capacity(2, 50).text
    assert "nothing is left for core functions" in wording.core_capacity(0.01, 50).text
    short = wording.core_capacity(-12.3, 50)
    assert "takes 12 WTE more than the allowance pays for" in short.text and "-" not in short.text


def test_redundancy_in_year_to_date_none_and_singular():
    both = wording.redundancy("2026/27", "2023/24", 148.2, 12_200_000, 246, 19_200_000)
    assert both.text == ("Bringing staff within the allowance means 148 posts (WTE) go by redundancy in 2026/27, "
                         "beyond what staff turnover absorbs, at a one-off cost of £12.2m; 246 posts from 2023/24 "
                         "to 2026/27, costing £19.2m in all.")
    one = wording.redundancy("2024/25", "2023/24", 1.0, 40_000, 1.0, 40_000)
    assert "means 1.0 post (WTE) goes by redundancy" in one.text and "in all" not in one.text
    earlier = wording.redundancy("2026/27", "2023/24", 0.0, 0.0, 2, 80_000)
    assert earlier.text.startswith("No post goes by redundancy in 2026/27. From 2023/24 to 2026/27, 2.0 posts (WTE)")
    none = wording.redundancy("2026/27", "2023/24", 0.0, 0.0, 0.01, 10)
    assert none.text.startswith("No post needs to go by redundancy by 2026/27") and not none.figures


def test_comparison_uses_real_terms_and_gaps_with_their_own_signs():
    s = wording.comparison("envelope_2025", "base", "2026/27", "2022/23", -0.375, -0.363, -714.9, -444.2)
    assert s.text == ("Under envelope_2025 the allowance in 2026/27 is 37.5% lower in real terms than in 2022/23 "
                      "(base: 36.3% lower), with a shortfall of 715 WTE (base: a shortfall of 444 WTE).")
    t = wording.comparison("b", "a", "2026/27", "2022/23", 0.0001, 0.02, 3, -0.01)
    assert "about the same in real terms as in 2022/23 (a: 2.0% higher), with a surplus of 3.0 WTE (a: no gap " \
           "to within a tenth of a WTE)" in t.text


def test_programme_pay_caution_names_both_sides():
    s = wording.programme_pay_caution(["envelope_2025"], ["base", "high_pay"])
    assert s.text.startswith("envelope_2025 counts programme-funded pay in the allowance and base and high_pay do not")
    assert not s.figures


def test_waterfall_alt_words_every_step():
    s = wording.waterfall_chart_alt("X", "2022/23", "2026/27", "base", 54.6e6, -16.4e6, 2.9e6, -6.3e6, 34.8e6)
    assert ("the 2022/23 allowance is £54.6m; the cut and any envelope take £16.4m; delegated functions add "
            "£2.9m; inflation takes £6.3m of buying power; leaving £34.8m in 2022/23 prices.") in s.text
    flat = wording.waterfall_chart_alt("X", "2022/23", "2022/23", "base", 1e6, 0, 0, 0, 1e6)
    assert "core allowance is unchanged" in flat.text and "do not change it" in flat.text


# ---------------------------------------------------------------------------------------------
# Any figures: every number in the text is a figure passed in, rounded as promised

money = st.one_of(st.floats(-5e9, 5e9), st.sampled_from([0.0, 0.4, -0.4, 999.5, 999_960.0, -950_000.0, 1e6]))
fraction = st.one_of(st.floats(-1.0, 2.0), st.sampled_from([0.0, 0.0004, -0.0005, -0.3]))
staff = st.one_of(st.floats(-50_000, 50_000), st.sampled_from([0.0, 0.04, 1.0, -1.0, 9.96, 10.0]))
positive_staff = st.one_of(st.floats(0, 50_000), st.sampled_from([0.0, 1.0, 9.95]))
label = st.from_regex(r"[A-Za-z][A-Za-z0-9_]{0,6}( [A-Za-z0-9_]{1,6})?", fullmatch=True).filter(
    lambda name: "nan" not in name.lower())  # a place or scenario called "NAN" is not a figure shown as nan
years = st.sampled_from(["2022/23", "2023/24", "2026/27", "2030/31"])


def check(sentence: wording.Sentence, names: tuple[str, ...] = ()) -> None:
    """The numbers read back from the text are the sentence's figures, in order; each is its
    source value rounded by the paper's rule; no minus sign or 'nan' is ever shown."""
    read = numbers(sentence.text, names)
    assert len(read) == len(sentence.figures), sentence.text
    for shown, figure in zip(read, sentence.figures, strict=True):
        assert shown.kind == figure.kind, sentence.text
        assert figure.shown == reference_format(figure.value, figure.kind), sentence.text
        assert matches(shown, figure.value), (sentence.text, figure)
    assert not MINUS.search(without(sentence.text, names)) and "nan" not in sentence.text.lower()


MINUS = re.compile("[-\u2212]\\s?£?\\d")
"""A minus sign before a figure: signs are for the words."""


def without(text: str, names: tuple[str, ...]) -> str:
    for name in sorted(names, key=len, reverse=True):
        text = text.replace(name, "")
    return text


@given(label, years, years, money, fraction, st.sampled_from([None, "published", "restated", "projected"]))
@settings(max_examples=300, deadline=None)
def test_allowance_sentence_for_any_figures(place, year, base_year, gbp, change, basis):
    s = wording.allowance(place, year, base_year, gbp, change, basis)
    check(s, (place,))
    assert s.figures[0].value == gbp
    if year != base_year and len(s.figures) == 2:
        assert ("lower" in s.text) == (change < 0) and ("higher" in s.text) == (change > 0)


@given(positive_staff, positive_staff, staff, money)
@settings(max_examples=300, deadline=None)
def test_workforce_sentence_for_any_figures(affordable, required, gap, funding):
    s = wording.workforce(affordable, required, gap, funding)
    check(s)
    shown_gap = wording.wte(gap)
    if not wording.shows_zero(shown_gap):
        assert ("shortfall of" in s.text) == (gap < 0) and ("surplus" in s.text) == (gap > 0)
    shown_funding = wording.money(funding)
    if not wording.shows_zero(shown_funding):
        assert ("more than the allowance" in s.text) == (funding < 0)


@given(staff, positive_staff)
@settings(max_examples=200, deadline=None)
def test_core_capacity_sentence_for_any_figures(capacity, core):
    check(wording.core_capacity(capacity, core))


@given(years, positive_staff, st.floats(0, 1e9), positive_staff, st.floats(0, 1e9))
@settings(max_examples=300, deadline=None)
def test_redundancy_sentence_for_any_figures(year, in_year, cost, earlier, earlier_cost):
    s = wording.redundancy(year, "2023/24", in_year, cost, in_year + earlier, cost + earlier_cost)
    check(s)
    if not wording.shows_zero(wording.wte(in_year)):
        shown = wording.wte(in_year)
        word = "post" if float(shown.replace(",", "")) == 1 else "posts"
        assert f"{shown} {word} (WTE)" in s.text


@given(label, label, years, fraction, fraction, staff, staff)
@settings(max_examples=300, deadline=None)
def test_comparison_sentence_for_any_figures(name, reference, year, change, ref_change, gap, ref_gap):
    s = wording.comparison(name, reference, year, "2022/23", change, ref_change, gap, ref_gap)
    check(s, (name, reference))


@given(label, years, years, money, money, money, st.lists(st.tuples(label, money, money), max_size=3))
@settings(max_examples=150, deadline=None)
def test_allowance_alt_text_for_any_figures(place, first, last, a, b, c, others):
    names = (place, "base", *(o[0] for o in others))
    check(wording.allowance_chart_alt(place, first, last, "base", a, b, c, others), names)


@given(label, staff, staff, st.lists(st.tuples(label, staff, staff), max_size=3))
@settings(max_examples=150, deadline=None)
def test_workforce_alt_text_for_any_figures(place, can, need, others):
    names = (place, "base", *(o[0] for o in others))
    check(wording.workforce_chart_alt(place, "2022/23", "2030/31", "2026/27", "base", can, need, others), names)


@given(label, money, money, money, money, money)
@settings(max_examples=200, deadline=None)
def test_waterfall_alt_text_for_any_figures(place, start, core, delegated, inflation, end):
    check(wording.waterfall_chart_alt(place, "2022/23", "2026/27", "base", start, core, delegated, inflation, end),
          (place, "base"))
