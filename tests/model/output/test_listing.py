"""A scenario's assumptions as rows (model/output/listing.py): value, unit and where each came from,
as ``icb-model show``, the Assumptions sheet and the dashboard's sources panel show them."""

from __future__ import annotations

import pytest

from model.output.listing import AssumptionRow, assumption_rows, format_rows
from model.scenario import load_scenario
from tests.fixtures import PROJECT, line_of


@pytest.fixture(scope="module")
def rows() -> dict[str, AssumptionRow]:
    return {row.path: row for row in assumption_rows(load_scenario("base", PROJECT))}


def test_every_resolved_value_is_a_row_in_file_order(rows):
    paths = list(rows)
    assert paths[:4] == ["horizon.base_year", "horizon.end_year", "icbs.table", "icbs.include"]
    assert paths.index("baseline.pay_share") < paths.index("running_cost_cut.basis") < paths.index(
        "delegation.specialised.in_cut_scope") < paths.index("uncertainty.inflation.pay_award")
    assert rows["icbs.include"].value == "all" and rows["running_cost_cut.envelope"].value is None


def test_a_row_carries_its_unit_status_source_note_and_where_it_was_set(rows):
    file = PROJECT / "assumptions.yaml"
    rca = rows["baseline.rca_per_head_gbp"]
    assert (rca.value, rca.unit, rca.status, rca.source, rca.note) == (
        20.0, "gbp per head", "sourced", "https://example.org/rca", "")
    assert rca.set_in == f"assumptions.yaml:{line_of(file, 'rca_per_head_gbp:')}"
    growth = rows["population.growth_rate"]
    assert (growth.status, growth.note, growth.unit) == ("assumption", "round number for tests", "fraction per year")
    assert rows["baseline.pay_share"].status == "" and rows["baseline.pay_share"].unit == "fraction"


def test_series_are_expanded_year_by_year(rows):
    """A series lists its years; a bare number shows as the value before the first listed year."""
    assert [p for p in rows if p.startswith("inflation.pay_award")] == [
        "inflation.pay_award.2023/24", "inflation.pay_award.2024/25", "inflation.pay_award.2025/26"]
    assert rows["inflation.pay_award.2024/25"].value == 0.055
    oncost = rows["inflation.oncost_rate (before first listed year)"]
    assert (oncost.value, oncost.status, oncost.note) == (0.25, "assumption", "flat on-costs")
    assert rows["inflation.gdp_deflator.2024/25"].source == "https://example.org/obr"
    assert rows["inflation.gdp_deflator.2023/24"].source == ""  # each year its own provenance


def test_an_uncertainty_entry_is_one_row_summarising_its_fields(rows):
    entry = rows["uncertainty.inflation.pay_award"]
    assert entry.value == "distribution triangular, mode add, low -0.01, peak 0.0, high 0.02"
    assert (entry.status, entry.note) == ("assumption", "a point either way")
    assert not any(p.startswith("uncertainty.inflation.pay_award.") for p in rows)


def test_format_rows_for_a_terminal():
    rows = [
        AssumptionRow("a.b", 0.3, "fraction", "sourced", "https://x.org", "rounded", "assumptions.yaml:4"),
        AssumptionRow("a.c", None, "", "", "", "", "s.yaml:9"),
        AssumptionRow("a.d", 2.0, "", "assumption", "", "a guess", "<default>"),
    ]
    assert format_rows(rows).splitlines() == [
        "a.b = 0.3 fraction",
        "    [sourced] https://x.org",
        "    note: rounded",
        "    set in assumptions.yaml:4",
        "a.c = null",
        "    set in s.yaml:9",
        "a.d = 2.0",
        "    [assumption] a guess",
        "    set in <default>",
    ]
    assert format_rows([]) == ""


def test_organisation_texts_say_what_each_changed_organisation_came_from_or_became():
    from pathlib import Path

    from model.output.listing import (
        became_text,
        formed_from_text,
        organisation_lines,
        organisation_names,
        share_text,
        successors,
    )
    from model.scenario import load_scenario

    scenario = load_scenario("base", Path(__file__).resolve().parents[3])
    names = organisation_names(scenario.history)
    assert share_text(1.0) == "all of it" and share_text(0.58787) == "58.787% of it"
    tv = scenario.history.eras[1].formed_from["S0E4D"]
    assert formed_from_text(tv, names) == ("formed from QU9 NHS Buckinghamshire, Oxfordshire and Berkshire West "
                                           "(all of it) and QNQ NHS Frimley (58.787% of it)")
    went = successors(scenario.history, 0)
    assert "QHM" not in went and went["QNQ"] == (("S0E4D", 0.58787), ("S9B9J", 0.18307), ("QRL", 0.22906))
    assert became_text(went["QM7"], names) == ("became part of S1Y5D NHS Central East (79.848% of it) and "
                                               "D7T5G NHS Essex (20.152% of it)")
    assert successors(scenario.history, 1) == {}
    lines = organisation_lines(scenario)
    assert any(line.startswith("  QNQ NHS Frimley: until 2025/26, then became part of S0E4D") for line in lines)
    assert f"  S0E4D NHS Thames Valley: {formed_from_text(tv, names)}" in lines
