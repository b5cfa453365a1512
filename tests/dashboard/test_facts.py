"""What the page says about the published allowances (dashboard/facts.py), worked out from the
data and the same as docs/methodology.md section 11."""

from __future__ import annotations

import re

import pytest

from dashboard import chartdata, facts
from tests.dashboard.shared import ROOT


@pytest.fixture(scope="module")
def rec(store):
    base = store.shipped["base"]
    return facts.reconciliation(base.scenario, base.results, base.inputs.values["inflation.gdp_deflator"][0],
                                store.root)


def test_the_reconciliation_is_methodology_section_11s_table(rec):
    shown = [(r.label, f"{r.gbp / 1e6:,.2f}", *(facts.percent(x) if x is not None else "" for x in
                                                 (r.cash, r.real_cost, r.real_gdp))) for r in rec.rows]
    assert shown == [
        ("2023/24", "1,108.76", "", "", ""),
        ("2024/25", "908.76", "-18.0%", "", ""),
        ("2025/26 as first published (v1.2)", "828.30", "-25.3%", "", ""),
        ("2025/26 ENIC-revised (v1.4)", "873.99", "-21.2%", "-28.2%", "-26.6%"),
    ]
    text = (ROOT / "docs" / "methodology.md").read_text()
    section = text[text.index("## 11. Published allowances and the 30% cut"):text.index("## 12.")]
    for row in shown:
        assert re.search(rf"\| {re.escape(row[1])} \| (\*\*)?{re.escape(row[2])}", section), row
    for figure in ("**-21.2%**", "**-28.2%**", "-26.6%", "-18.0%", "-25.3%"):
        assert figure in section


def test_the_headline_sentence_reconciles_the_30_percent(rec):
    sentence = facts.headline_sentence(rec)
    assert sentence.startswith("NHS England's published allowances fell 18.0% in cash from 2023/24 to 2024/25 and, "
                               "ENIC-revised, 21.2% by 2025/26 (28.2% in real terms), not the 30% of the March 2023 "
                               "instruction.")
    assert "would look larger, not smaller" in sentence and "instruction_2023" in sentence


def test_a_scenario_without_published_figures_has_no_reconciliation(store):
    rules = store.shipped["instruction_2023"]
    assert facts.reconciliation(rules.scenario, rules.results, rules.inputs.values["inflation.gdp_deflator"][0],
                                store.root) is None
    assert facts.percent(-0.18) == "-18.0%" and facts.percent(0.0245) == "+2.5%"


def test_the_spread_is_explained_from_the_figures(store):
    base = store.shipped["base"]
    on_42 = facts.spread_sentences(chartdata.spread(base.rows_on("2022").whole, "base", "2025/26"), "base", "2025/26")
    assert "runs from £11.61 (NHS North West London) to £14.51 (NHS Derby and Derbyshire)" in on_42
    times = facts.TIMES
    assert f"the same ratio each year ({times}0.8196 in 2024/25, {times}0.9616 in 2025/26)" in on_42
    assert "the correlation between allowance per head and the need index" in on_42 and "is 0.54." in on_42
    rules = store.shipped["instruction_2023"]
    flat = facts.spread_sentences(rules.latest.spread("2025/26"), "instruction_2023", "2025/26")
    assert "Every ICB gets the same per head here" in flat and "correlation" not in flat
    assert facts.spread_sentences(None, "x", "2025/26") == ""
