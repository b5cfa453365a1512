"""Normalising a document against the schema (model/scenario/normalise.py): values with their
provenance, series, and the messages for values in the wrong form."""

from __future__ import annotations

from pathlib import Path

from model.provenance import Provenance, Series
from model.scenario import load_scenario
from tests.fixtures import PROJECT, issues_of, line_of


def test_provenance_forms_are_kept_with_their_lines() -> None:
    base = load_scenario("base", PROJECT)
    file = PROJECT / "assumptions.yaml"
    growth = base.get("population.growth_rate").prov
    assert growth == Provenance("assumptions.yaml", line_of(file, "growth_rate:"), None, "assumption",
                                "round number for tests", "fraction per year")
    rca = base.get("baseline.rca_per_head_gbp").prov
    assert (rca.source, rca.status) == ("https://example.org/rca", "sourced")
    cut = base.get("running_cost_cut.path")
    assert isinstance(cut, Series) and cut.last_listed() == "2025/26"
    assert {p.prov.source for p in cut.points.values()} == {"https://example.org/letter"}
    deflator = base.get("inflation.gdp_deflator")
    assert deflator.points["2023/24"].prov.source is None
    assert deflator.points["2024/25"].prov.source == "https://example.org/obr"
    share = base.get("baseline.pay_share")
    assert share.prov.describe() == f"set in assumptions.yaml:{line_of(file, 'pay_share:')}"
    assert rca.describe() == f"https://example.org/rca; (sourced); set in assumptions.yaml:{rca.line}"


def test_a_bare_number_where_a_series_is_expected_is_a_series() -> None:
    oncost = load_scenario("base", PROJECT).get("inflation.oncost_rate")
    assert oncost.points == {} and oncost.before.value == 0.25 and oncost.before.prov.status == "assumption"
    assert oncost.last_listed() is None


def test_values_with_provenance_form_errors(tmp_path: Path) -> None:
    path = tmp_path / "p.yaml"
    path.write_text("extends: base\nbaseline:\n  pay_share: {valu: 0.7}\n  rca_per_head_gbp: {value: 20, sorce: x}\n"
                    "inflation:\n  pay_award: {2024/25: 0.05, source: x}\n  oncost_rate: {}\n")
    issues = {issue.path: issue.message for issue in issues_of(path)}
    assert "mapping without value:" in issues["baseline.pay_share"]
    assert "Did you mean 'source'?" in issues["baseline.rca_per_head_gbp.sorce"]
    assert "put its years under values:" in issues["inflation.pay_award.source"]
    assert "a series needs at least one year" in issues["inflation.oncost_rate"]


def test_text_and_numbers_in_the_wrong_place(tmp_path: Path) -> None:
    path = tmp_path / "t.yaml"
    path.write_text("extends: base\nname: 2025\nbaseline:\n  pay_share: '75%'\n  rca_per_head_gbp: '20'\n"
                    "running_cost_cut:\n  basis: nomnal\nicbs:\n  include: QAA\nhorizon:\n  end_year: 2030\n")
    issues = {issue.path: issue.message for issue in issues_of(path)}
    assert issues["name"] == "expected text, got 2025. Put it in quotes."
    assert "Write it as a fraction: 0.75." in issues["baseline.pay_share"]
    assert "Remove the quotes: write 20." in issues["baseline.rca_per_head_gbp"]
    assert "Did you mean 'nominal'?" in issues["running_cost_cut.basis"]
    assert "Write all, or e.g. [QE1, Midlands]." in issues["icbs.include"]
    assert "'2030' is not a financial year" in issues["horizon.end_year"]
