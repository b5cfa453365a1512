"""Parameters by path (model/schema/parameters.py, SPEC section 8)."""

from __future__ import annotations

import re

import pytest

from model.scenario import load_scenario
from model.schema import (
    FUNCTIONS,
    ParameterError,
    parameter_paths,
    percent_hint,
    resolve_parameter,
    spec_for,
    timing_paths,
)
from tests.fixtures import PROJECT


def test_parameter_paths_are_the_numbers() -> None:
    paths = parameter_paths()
    assert "inflation.pay_award" in paths and "running_cost_cut.path" in paths
    assert "delegation.specialised.nonpay_per_wte_gbp" in paths
    assert len([p for p in paths if p.startswith("delegation.")]) == 3 * len(FUNCTIONS)
    assert "horizon.base_year" not in paths and "running_cost_cut.basis" not in paths
    assert all(spec_for(p).kind in ("number", "series") for p in paths)
    assert timing_paths() == [f"delegation.{f}.go_live" for f in FUNCTIONS]


@pytest.mark.parametrize("path, target, key, year", [
    ("inflation.pay_award", "series", "inflation.pay_award", None),
    ("running_cost_cut.path.2025/26", "year", "running_cost_cut.path", "2025/26"),
    ("delegation.dentistry.required_wte_per_100k", "number", "delegation.dentistry.required_wte_per_100k", None),
    ("delegation.specialised.go_live", "go_live", "delegation.specialised.go_live", None),
])
def test_resolve_parameter(path: str, target: str, key: str, year: str | None) -> None:
    ref = resolve_parameter(path)
    assert (ref.target, ref.key, ref.year) == (target, key, year)


@pytest.mark.parametrize("path, expected", [
    ("inflation.pay_awrd", "Did you mean 'inflation.pay_award'?"),
    ("running_cost_cut.pth.2025/26", "Did you mean 'running_cost_cut.path.2025/26'?"),
    ("baseline.pay_share.2025/26", "is a single number, not a series: name it without '.2025/26'"),
    ("running_cost_cut.path.2025/27", "'2025/27' is not a financial year: 2025 is followed by 26, so write 2025/26"),
    ("horizon.base_year", "not a number that can be varied"),
    ("delegation.dentistry", "not a number that can be varied"),
])
def test_resolve_parameter_errors(path: str, expected: str) -> None:
    with pytest.raises(ParameterError, match=re.escape(expected)):
        resolve_parameter(path)


def test_resolve_parameter_against_a_scenario() -> None:
    base = load_scenario("base", PROJECT)
    assert resolve_parameter("running_cost_cut.path.2026/27", base).year == "2026/27"
    with pytest.raises(ParameterError, match="outside the horizon 2022/23 to 2026/27"):
        resolve_parameter("running_cost_cut.path.2030/31", base)
    with pytest.raises(ParameterError, match="this scenario has none"):
        resolve_parameter("running_cost_cut.envelope.per_head_gbp", base)
    envelope = load_scenario("envelope", PROJECT)
    assert resolve_parameter("running_cost_cut.envelope.per_head_gbp", envelope).target == "number"


def test_percent_hint_only_where_a_fraction_looks_like_a_percentage() -> None:
    share = spec_for("baseline.pay_share")
    assert percent_hint(30, share) == " A fraction is written 0-1: write 30% as 0.3."
    assert percent_hint(1.5, share) == ""
    assert percent_hint(300, share) == ""
    assert percent_hint(30, spec_for("baseline.salary_per_wte_gbp")) == ""
