"""What the briefing says (model/output/briefing/content/): the key messages against results.csv for
random scenarios, the choice of year and place, the headline table with and without published
figures, and the whole document in the order a board reads it."""


from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from model import engine
from model.output.briefing import content, wording
from model.output.compare import SelectionError
from model.output.results import rounded, scenario_results, tabulate
from model.scenario import load_scenario
from tests.briefing_text import matches, numbers
from tests.builders import parameters, worked_example

ROOT = Path(__file__).resolve().parents[4]

GBP = ("allowance_gbp", "core_allowance_gbp", "delegated_allowance_gbp", "allowance_real_gbp", "nonpay_cost_gbp",
       "funding_gap_gbp", "redundancy_cost_gbp")


WTE = ("affordable_wte", "required_wte", "required_core_wte", "required_delegated_wte", "wte_gap",
       "core_capacity_wte", "employed_wte", "redundancies_wte")


RATIO = ("real_change_vs_base", "core_real_change_vs_base")


@pytest.fixture(scope="module")
def shipped() -> dict[str, object]:
    return {name: load_scenario(name, ROOT) for name in ("base", "envelope_2025", "high_pay")}


@pytest.fixture(scope="module")
def results(shipped) -> pd.DataFrame:
    return pd.concat([scenario_results(s) for s in shipped.values()], ignore_index=True)


def supported(messages: list[wording.Sentence], table: pd.DataFrame, place: str, year: str,
              names: tuple[str, ...]) -> list[str]:
    """The figures in ``messages`` that no figure of ``table`` (results.csv as written) supports:
    each number read back from the text must be, within its rounding, the absolute value of a
    column of its kind for the place in ``year`` (any scenario), or the sum of redundancies or
    their cost from the base year to ``year``."""
    rows = table[table["icb_code"] == place]
    candidates: dict[str, list[float]] = {"gbp": [], "wte": [], "fraction": []}
    for _, r in rows[rows["year"] == year].iterrows():
        candidates["gbp"] += [r[c] for c in GBP]
        candidates["wte"] += [r[c] for c in WTE]
        candidates["fraction"] += [r[c] for c in RATIO]
    for name in names:
        own = rows[rows["scenario"] == name]
        upto = own[own["year"] <= year]
        candidates["wte"].append(upto["redundancies_wte"].sum())
        candidates["gbp"].append(upto["redundancy_cost_gbp"].sum())
    bad = []
    for message in messages:
        for shown in numbers(message.text, (*names, str(rows["icb_name"].iloc[0]))):
            # results.csv keeps pounds to the penny and WTE to 4 places: allow that rounding too
            slack = {"gbp": 0.01, "wte": 1e-4 * len(table["year"].unique()), "fraction": 1e-10}[shown.kind]
            if not any(matches(shown, value, slack) for value in candidates[shown.kind]):
                bad.append(f"{shown} in: {message.text}")
    return bad


@given(parameters(), parameters(), st.integers(0, 3), st.booleans())
@settings(max_examples=40, deadline=None)
def test_every_number_in_the_key_messages_is_in_results_csv(first, second, year_index, icb):
    """For random scenarios: the key messages, read back, hold only figures of results.csv (as
    written: rounded per column) for the place and year, within the paper's rounding."""
    inputs = [worked_example((400_000.0, 1_500_000.0), **p) for p in (first, second)]
    frames = [tabulate(name, i, engine.run(i)) for name, i in zip(("base", "alt_2025"), inputs, strict=True)]
    table = rounded(pd.concat(frames, ignore_index=True))
    place = "T01" if icb else "ENG"
    year = table["year"].unique()[year_index]
    rows = content.place_rows(table, ["base", "alt_2025"], place)
    messages = content.key_messages(rows, str(rows["base"]["icb_name"].iloc[0]), year)
    assert 3 <= len(messages) <= content.MAX_MESSAGES
    assert supported(messages, table, place, year, ("base", "alt_2025")) == []


def test_key_messages_for_the_shipped_scenarios(results, shipped):
    rows = content.place_rows(results, list(shipped), "QOP")
    messages = content.key_messages(rows, "NHS Greater Manchester", "2026/27")
    assert len(messages) == 5
    assert messages[0].text.startswith("In 2026/27 the allowance for NHS Greater Manchester is £41.1m: 36.3% lower")
    assert any("envelope_2025 counts programme-funded pay" in m.text for m in messages)
    assert supported(messages, rounded(results), "QOP", "2026/27", tuple(shipped)) == []
    single = content.key_messages({"base": rows["base"]}, "NHS Greater Manchester", "2026/27")
    assert len(single) == 4 and any("left for core functions" in m.text for m in single)


def test_year_defaults_to_2026_27_else_the_last_shared_year(results):
    names = ["base", "envelope_2025"]
    assert content.choose_year(results, names) == "2026/27"
    early = results[results["year"] <= "2025/26"]
    assert content.choose_year(early, names) == "2025/26"
    assert content.choose_year(results, names, "2024/25") == "2024/25"
    with pytest.raises(SelectionError, match="year '2040/41' is not in the results"):
        content.choose_year(results, names, "2040/41")
    with pytest.raises(SelectionError, match="ICB 'XYZ' is not in the results of base; choose ENG or one of"):
        content.place_rows(results, names, "XYZ")


def test_headline_table_marks_published_figures_when_the_results_say(results, shipped):
    names = ["base", "envelope_2025"]
    rows = content.place_rows(results, names, "QOP")
    plain = content.headline(results, rows, names, "QOP", "X", "2025/26", "2022/23", 1)
    assert plain.header == ("Measure", "Unit", "base", "envelope_2025", "envelope_2025 \u2212 base")
    assert all(r[0] != "Basis of the allowance" for r in plain.rows)
    assert plain.rows[0][:4] == ("Allowance, cash", "£m, cash", "41.1", "79.6")
    marked = results.assign(allowance_basis=results["year"].map(
        lambda y: "published" if y <= "2025/26" else "projected"))
    rows = content.place_rows(marked, names, "QOP")
    table = content.headline(marked, rows, names, "QOP", "X", "2025/26", "2022/23", 1)
    assert table.rows[1][:4] == ("Basis of the allowance", "", "published", "published")
    assert any("published is NHS England's published figure" in n for n in table.notes)
    message = content.key_messages(rows, "X", "2025/26")[0]
    assert "(NHS England's published figure)" in message.text
    assert "published" not in content.key_messages(rows, "X", "2027/28")[0].text


def test_the_document_in_the_order_a_board_reads(results, shipped):
    doc = content.compose(results, list(shipped.values())[:2], "qop", None, base=shipped["base"],
                          created=date(2026, 11, 30))
    headings = [(b.level, b.text) for b in doc.blocks if isinstance(b, content.Heading)]
    assert [h for level, h in headings if level == 2] == [
        "Key messages", "Headline figures", "The allowance, the staff it pays for and the gap",
        "What each scenario changes from the base", "Method", "The limits of the data",
        "How to reproduce these figures"]
    facts = dict(doc.facts)
    assert facts["Organisation"] == "NHS Greater Manchester (QOP)"
    assert facts["Date"] == "30 November 2026"
    assert facts["Content sha256, envelope_2025"] == shipped["envelope_2025"].content_hash()
    tables = [b for b in doc.blocks if isinstance(b, content.Table)]
    assert [t.number for t in tables] == list(range(1, len(tables) + 1))
    figures = [b for b in doc.blocks if isinstance(b, content.Figure)]
    assert [f.number for f in figures] == [1, 2, 3]
    assert all(f.alt and f.chart.png.startswith(b"\x89PNG") for f in figures)
    code = next(b for b in doc.blocks if isinstance(b, content.Code))
    assert code.text == "icb-model briefing base envelope_2025 --icb QOP --year 2026/27 --out briefing/"
    assert doc.title == "Running costs: NHS Greater Manchester, 2026/27"


def test_england_is_a_place_and_alt_texts_hold_only_results(results, shipped):
    doc = content.compose(results, [shipped["base"]], "ENG", "2025/26", base=shipped["base"])
    assert dict(doc.facts)["Organisation"] == "England (42 ICBs)"
    table = rounded(results)
    eng = table[(table["icb_code"] == "ENG") & (table["scenario"] == "base")].set_index("year")
    waterfall = [value for _, value, _ in content.waterfall_steps(eng, "2022/23", "2025/26")]
    assert abs(sum(waterfall[:4]) - waterfall[4]) < 1e-3
    for figure in doc.figures:
        for shown in numbers(figure.alt, ("base", "England")):
            pool = {"gbp": list(eng[list(GBP)].to_numpy().ravel()) + waterfall,
                    "wte": list(eng[list(WTE)].to_numpy().ravel()), "fraction": []}[shown.kind]
            assert any(matches(shown, v, 0.01) for v in pool), (shown, figure.alt)
