"""Building a briefing (model/output/briefing/__init__.py: build and Briefing): the key messages hold
only figures of the results, the year chosen, and briefings made in threads."""

from __future__ import annotations

from datetime import date

import pytest

from model.output.briefing import build
from tests.briefing_text import matches, numbers
from tests.model.output.briefing.shared import NAMES, PLACE, PLACE_NAME, YEAR


def test_every_number_in_the_key_messages_is_in_results_csv(briefing, results):
    table = results[(results.icb_code == PLACE) & (results.year == YEAR)]
    pool = {"gbp": [], "wte": [], "fraction": []}
    for _, row in table.iterrows():
        pool["gbp"] += [row[c] for c in ("allowance_gbp", "funding_gap_gbp", "redundancy_cost_gbp")]
        pool["wte"] += [row[c] for c in ("affordable_wte", "required_wte", "wte_gap", "core_capacity_wte",
                                         "required_core_wte", "redundancies_wte")]
        pool["fraction"] += [row["real_change_vs_base"]]
    base = results[(results.icb_code == PLACE) & (results.scenario == "base") & (results.year <= YEAR)]
    pool["wte"].append(base["redundancies_wte"].sum())
    pool["gbp"].append(base["redundancy_cost_gbp"].sum())
    for message in briefing.messages:
        for shown in numbers(message, (*NAMES, PLACE_NAME)):
            assert any(matches(shown, value, 0.01) for value in pool[shown.kind]), (shown, message)


def test_default_year_is_the_last_when_the_horizon_ends_before_2026_27(results, scenarios):
    early = results[results["year"] <= "2025/26"]
    assert build(early, scenarios, PLACE).year == "2025/26"
    assert build(results, scenarios, PLACE, "2024/25").document.title.endswith("2024/25")


def test_briefings_can_be_made_in_threads(results, scenarios):
    """The dashboard serves downloads from several threads: briefings made at once equal one made alone."""
    from concurrent.futures import ThreadPoolExecutor

    def make(place: str) -> tuple[str, bytes]:
        made = build(results, scenarios, place, created=date(2026, 11, 30))
        return made.html(), made.docx_bytes()

    alone = make("QE1")
    with ThreadPoolExecutor(3) as pool:
        together = list(pool.map(make, ["QE1", "QOP", "QE1"]))
    assert together[0][0] == alone[0] == together[2][0]
    assert "NHS Greater Manchester" in together[1][0]


def test_a_briefing_names_its_place_year_and_downloads(briefing):
    from model.output.briefing import MEDIA_TYPES

    assert (briefing.place, briefing.year) == (PLACE, YEAR)
    assert briefing.filename("pdf") == "briefing_QOP_2026-27.pdf"
    assert set(MEDIA_TYPES) == {"html", "pdf", "docx"} and MEDIA_TYPES["pdf"] == "application/pdf"
    assert briefing.messages == [m.text for m in briefing.document.messages] and len(briefing.messages) >= 3
    assert briefing.html() is briefing.html()  # rendered once


def test_the_base_defaults_to_the_projects_and_a_bad_place_is_refused(results, scenarios):
    from model.output.briefing import SelectionError

    made = build(results, scenarios[1:], "QOP", created=date(2026, 11, 30))  # envelope_2025 alone
    headings = [b.text for b in made.document.blocks if getattr(b, "level", None) == 2]
    assert "What each scenario changes from the base" in headings
    with pytest.raises(SelectionError, match="ICB 'XYZ' is not in the results"):
        build(results, scenarios, "XYZ")
