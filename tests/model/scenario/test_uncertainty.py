"""Uncertainty entries (model/scenario/uncertainty.py): the one set of rules, checked when a scenario
loads, every problem named with its path."""

from __future__ import annotations

from pathlib import Path

import pytest

from model.analysis.distributions import Distribution, from_scenario
from model.scenario import ScenarioError, load_scenario, overlay
from tests.fixtures import INVALID, PROJECT, issues_of


def tri(path: str = "inflation.pay_award", **extra: object) -> dict:
    return {"distribution": "triangular", "mode": "add", "low": -0.01, "peak": 0.0, "high": 0.02, **extra}


@pytest.fixture(scope="module")
def base():
    return load_scenario("base", PROJECT)


def block_of(base, block: dict) -> list[Distribution]:
    """The distributions of ``block`` laid over the fixture project's base (checked as a file is)."""
    return from_scenario(overlay(base, {"uncertainty": block}, "test", "test.yaml"))


def test_bad_uncertainty_entries_are_all_reported() -> None:
    issues = {issue.path: issue.message for issue in issues_of(INVALID / "bad_uncertainty.yaml")}
    assert "Did you mean 'inflation.pay_award'?" in issues["uncertainty.inflation.pay_awrd"]
    assert "Did you mean 'triangular'?" in issues["uncertainty.baseline.pay_share.distribution"]
    assert "low (0.2) must be less than high (0.1)" in issues["uncertainty.workforce.turnover_rate.low"]
    assert "missing sd" in issues["uncertainty.nonpay.annual_saving"]
    assert "this scenario has none" in issues["uncertainty.running_cost_cut.envelope.uplift"]


def test_uncertainty_checks_against_the_parameter(tmp_path: Path) -> None:
    path = tmp_path / "u.yaml"
    path.write_text("extends: base\nuncertainty:\n"
                    "  inflation.oncost_rate: {distribution: uniform, mode: set, low: 20, high: 30}\n"
                    "  delegation.dentistry.go_live: {distribution: uniform, mode: scale, low: 0, high: 2}\n"
                    "  baseline.pay_share: {distribution: normal, mode: add, mean: 0, sd: 0, low: -0.1, high: 0.1,"
                    " from_year: 2025/26}\n")
    issues = {issue.path: issue.message for issue in issues_of(path)}
    assert "write 30% as 0.3" in issues["uncertainty.inflation.oncost_rate"]
    assert "cannot be scaled" in issues["uncertainty.delegation.dentistry.go_live.mode"]
    assert "sd must be more than 0" in issues["uncertainty.baseline.pay_share.sd"]
    assert "not a whole series" in issues["uncertainty.baseline.pay_share.from_year"]


def test_go_live_timing_and_from_year_uncertainty_load(tmp_path: Path) -> None:
    path = tmp_path / "u.yaml"
    path.write_text("extends: base\nuncertainty:\n"
                    "  delegation.specialised.go_live: {distribution: triangular, mode: set, low: 2024-04,"
                    " peak: 2025-04, high: 2027-04}\n"
                    "  inflation.pay_award: {distribution: uniform, mode: add, low: -0.01, high: 0.01,"
                    " from_year: 2025/26}\n")
    entries = load_scenario(path, PROJECT).value("uncertainty")
    assert entries["delegation.specialised.go_live"]["peak"] == "2025-04"
    assert entries["inflation.pay_award"]["from_year"] == "2025/26"


@pytest.mark.parametrize(
    ("path", "entry", "message"),
    [
        ("inflation.pay_award", tri(distribution="triangle"),
         "distribution | unknown distribution 'triangle'. Did you mean 'triangular'?"),
        ("inflation.pay_award", {"distribution": "uniform", "low": 0, "high": 1}, "missing mode"),
        ("inflation.pay_award", tri(mode="times"), "mode | unknown mode 'times'"),
        ("inflation.pay_award", tri(low=0.03), "low (0.03) must be less than high (0.02)"),
        ("inflation.pay_award", tri(low=0.02), "low (0.02) must be less than high (0.02)"),
        ("inflation.pay_award", tri(peak=0.05), "peak (0.05) must lie between low (-0.01) and high (0.02)"),
        ("inflation.pay_award",
         {"distribution": "normal", "mode": "add", "low": -0.1, "high": 0.1, "mean": 0, "sd": -1},
         "sd must be more than 0"),
        ("inflation.pay_award", {"distribution": "normal", "mode": "add", "low": -0.1, "high": 0.1, "mean": 0, "sd": 0},
         "sd must be more than 0"),
        ("inflation.pay_award", tri(sd=0.1), "a triangular distribution does not take sd"),
        ("inflation.pay_award", tri(hihg=0.1), "unknown key. Did you mean 'high'?"),
        ("inflation.pay_award", {"distribution": "uniform", "mode": "add", "high": 1}, "missing low"),
        ("inflation.pay_award", tri(low="lots"), "low must be a finite number, got 'lots'"),
        ("baseline.pay_share",
         {"distribution": "lognormal", "mode": "add", "low": -0.1, "high": 0.2, "median": 0.1, "sigma": 0.2},
         "a lognormal's values are positive"),
        ("inflation.pay_award", tri(status="guess"), "unknown status 'guess'"),
        ("inflation.pay_award", "uniform", "expected a mapping with distribution, mode, low and high"),
        ("inflation.pay_awrd", tri(), "Did you mean 'inflation.pay_award'"),
        ("running_cost_cut.basis", {"distribution": "uniform", "mode": "set", "low": 0, "high": 1},
         "not a number that can be varied"),
        ("workforce.turnover_rate", {"distribution": "uniform", "mode": "set", "low": 0.05, "high": 1.5},
         "with mode set, low and high are values of the parameter, which must be 0 to 1"),
        ("baseline.pay_share", tri(mode="set", low=0.5, peak=0.7, high=0.9, from_year="2024/25"),
         "is not a whole series"),
        ("inflation.pay_award", tri(from_year="2035/36"), "from_year 2035/36 is not a year of this scenario"),
        ("delegation.dentistry.go_live", {"distribution": "uniform", "mode": "scale", "low": 0, "high": 2},
         "a go-live cannot be scaled"),
        ("delegation.dentistry.go_live", {"distribution": "uniform", "mode": "add", "low": -100000, "high": 6},
         "must stay within 1,200 months"),
    ],
)
def test_bad_entries_name_the_path_and_what_is_wrong(base, path, entry, message):
    with pytest.raises(ScenarioError) as caught:
        block_of(base, {path: entry})
    assert any(message in str(issue) and f"uncertainty.{path}" in str(issue) for issue in caught.value.issues), \
        caught.value.issues


def test_all_problems_are_reported_together(base):
    with pytest.raises(ScenarioError) as caught:
        block_of(base, {"inflation.pay_award": tri(low=0.5), "workforce.turnover_rate": tri(distribution="beta")})
    assert len(caught.value.issues) == 2
