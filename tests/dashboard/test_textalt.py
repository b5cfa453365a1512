"""Text alternatives (dashboard/textalt.py): each chart's numbers and summary read back from the
figure it draws, and the live region's sentence."""

from __future__ import annotations

from dashboard import textalt
from dashboard.render import FIGURES, render
from dashboard.startpoint import defaults
from dashboard.urlstate import View


def _render(store, icb="S0E4D", year="2027/28"):
    sp = store.shipped["base"].start
    settings = dict(defaults(sp))
    settings["cut.further"] = 10
    view = View("base", icb, year, ("base", "envelope_2025", "custom"), settings)
    return render(store, view)


def test_plotted_reads_every_point_back_with_its_basis_and_axis(store):
    out = _render(store)
    figure = out.figures["fig-allowance"]
    series = textalt.plotted(figure)
    assert [s.name for s in series] == [f"{t['name']}, {'£m, cash' if t['yaxis'] == 'y' else '£m, 2022/23 prices'}"
                                        for t in figure["data"]]
    assert series[0].categories == figure["data"][0]["x"] and series[0].values == figure["data"][0]["y"]
    assert series[0].words == figure["data"][0]["customdata"] and series[0].number_format == ",.1f"
    assert textalt.value_units(figure) == "£m, cash; £m, 2022/23 prices"
    ranking = textalt.plotted(out.figures["fig-ranking"])
    assert ranking[0].across and len(ranking[0].categories) == 36 and ranking[0].marked == "Thames Valley"
    assert ranking[0].values == out.figures["fig-ranking"]["data"][0]["x"]


def test_each_chart_has_a_summary_sentence_from_its_numbers(store):
    out = _render(store)
    allowance = out.figures["fig-allowance"]["data"][0]
    assert out.summaries["fig-allowance"].startswith(
        f"The allowance by year (£m, cash): base from {allowance['y'][0]:,.1f} (2022/23) to "
        f"{allowance['y'][-1]:,.1f} (2030/31)")
    assert out.summaries["fig-allowance"].endswith("The table below gives every year, in real terms too.")
    assert "Thames Valley is " in out.summaries["fig-ranking"] and " of 36 from the lowest" in out.summaries[
        "fig-ranking"]
    assert "for 36 ICBs under base: lowest " in out.summaries["fig-per-head"]
    assert out.summaries["fig-waterfall"].startswith("From the 2022/23 allowance to 2027/28's, in 2022/23 prices "
                                                     "(£m, 2022/23 prices): base from ")
    assert set(out.summaries) == set(FIGURES)


def test_no_scenario_means_no_figures_to_describe():
    empty = {"data": [], "layout": {}}
    assert textalt.plotted(empty) == []
    assert textalt.chart_summary(empty, "T") == "T: no figures to show."


def test_the_live_region_says_what_changed_in_one_sentence():
    allowances = {"base": 40.4e6, "custom": 33.8e6}
    assert textalt.update_sentence("control", "cut.further", "10% below 2025/26", "NHS Thames Valley", "2027/28",
                                   allowances) == ("Further cut after the published years set to 10% below 2025/26: "
                                                   "NHS Thames Valley, 2027/28, allowance £40.4m under base and "
                                                   "£33.8m under custom.")
    assert textalt.update_sentence("icb", None, "", "England", "2025/26", {"base": 873.99e6}) == \
        "Place changed: England, 2025/26, allowance £874.0m under base."
    assert textalt.update_sentence("compare", None, "", "England", "2025/26", {}) == \
        "Scenarios compared changed: England, 2025/26, no scenario to show."


def test_plain_text_drops_markup_and_the_marker():
    assert textalt.plain("<b>Thames Valley ◀</b>") == "Thames Valley"
    assert textalt.plain("2022/23<br>allowance") == "2022/23 allowance"
