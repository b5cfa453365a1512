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


def test_changed_sets_adds_or_scales_with_broadcasting() -> None:
    import numpy as np

    from model.schema import changed

    current = np.array([1.0, 2.0])
    np.testing.assert_array_equal(changed(current, "add", 1.0), [2.0, 3.0])
    np.testing.assert_array_equal(changed(current, "scale", 2.0), [2.0, 4.0])
    np.testing.assert_array_equal(changed(current, "set", 5.0), [5.0, 5.0])
    np.testing.assert_array_equal(changed(current, "set", np.array([[5.0], [6.0]])), [[5.0, 5.0], [6.0, 6.0]])
    np.testing.assert_array_equal(current, [1.0, 2.0])  # never changed in place


def test_value_problem_is_the_one_range_check() -> None:
    import numpy as np

    from model.schema import value_problem

    turnover = resolve_parameter("workforce.turnover_rate")
    assert value_problem(turnover, np.array([0.0, 0.5, 1.0])) is None
    assert value_problem(turnover, np.array([0.1, 1.5, 2.0])) == \
        "workforce.turnover_rate would be 1.5, outside its range (0 to 1)"
    assert value_problem(turnover, np.array([np.nan])) == \
        "workforce.turnover_rate would be nan, outside its range (0 to 1)"
    salary = resolve_parameter("baseline.salary_per_wte_gbp")
    assert value_problem(salary, np.array([1e9])) == \
        "baseline.salary_per_wte_gbp would be 1e+09, outside its range (at least 1 and at most 10,000,000)"
    go_live = resolve_parameter("delegation.dentistry.go_live")
    assert value_problem(go_live, np.array([np.nan, 2023 * 12 + 6.0])) is None  # never, or July 2023
    assert value_problem(go_live, np.array([1000 * 12.0])) == \
        "delegation.dentistry.go_live would go live in 1000-01, outside the years the model accepts (1900 to 2199)"
    assert value_problem(go_live, np.array([2023 * 12 + 6.5])) is not None  # months are whole


def test_roles_of_parameters() -> None:
    from model.schema import role_of

    assert role_of("running_cost_cut.path") == "lever"
    assert role_of("running_cost_cut.path.2025/26") == "lever"  # a year takes its series' role
    assert role_of("inflation.pay_award") == "uncertainty"
    assert role_of("delegation.dentistry.go_live") == "lever"
    assert role_of("horizon.base_year") == "setting" and role_of("no.such.thing") == "setting"


def test_did_you_mean() -> None:
    from model.schema import did_you_mean

    assert did_you_mean("pay_awrd", ["pay_award", "oncost_rate"]) == "Did you mean 'pay_award'?"
    assert did_you_mean("zzz", ["a", "b"]) == "Expected one of: a, b."
    assert did_you_mean("zzz", [f"k{i}" for i in range(14)]).endswith("k10, k11, ….")
    assert did_you_mean("z", []) == "Nothing is allowed here."
