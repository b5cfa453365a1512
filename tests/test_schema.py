"""The schema as data (model.schema): lookups, parameters, and agreement with the format doc."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from model.scenario import load_scenario
from model.schema import (
    FUNCTIONS,
    KINDS,
    ROLES,
    SCHEMA,
    ParameterError,
    child_keys,
    parameter_paths,
    percent_hint,
    resolve_parameter,
    spec_for,
    timing_paths,
)

DOC = Path(__file__).parents[1] / "docs" / "scenario-format.md"
PROJECT = Path(__file__).parent / "fixtures" / "project"


def test_every_spec_is_well_formed() -> None:
    for spec in SCHEMA:
        assert spec.kind in KINDS and spec.role in ROLES, spec.pattern
        assert spec.label and spec.description.endswith("."), spec.pattern
        if spec.kind in ("number", "series"):
            assert spec.unit, spec.pattern
        if spec.kind == "word":
            assert spec.choices, spec.pattern
        if spec.kind == "number" and not spec.required:
            assert isinstance(spec.default, float) and spec.in_range(spec.default), spec.pattern


def _doc_table() -> dict[str, str]:
    """The keys table of docs/scenario-format.md: key pattern -> unit."""
    rows = {}
    for line in DOC.read_text(encoding="utf-8").splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if line.startswith("| `") and len(cells) == 4:
            for key in re.findall(r"`([^`]+)`", cells[0]):
                rows[key] = cells[2]
    return rows


def test_schema_and_format_doc_list_the_same_keys_and_units() -> None:
    documented = _doc_table()
    in_schema = {spec.pattern: spec.unit or "" for spec in SCHEMA
                 if spec.kind != "section" or spec.pattern == "running_cost_cut.envelope"}
    assert documented == in_schema


def test_spec_for_matches_wildcards() -> None:
    assert spec_for("baseline.pay_share").unit == "fraction"
    assert spec_for("delegation.dentistry.go_live.by_region.North West").kind == "month_or_null"
    assert spec_for("delegation.dentistry.go_live.by_icb.QE1").kind == "month_or_null"
    assert spec_for("uncertainty.running_cost_cut.path.2025/26").kind == "distribution"
    assert spec_for("delegation.dentistrty.go_live") is None
    assert spec_for("inflation.pay_awrd") is None
    assert spec_for("") is None


def test_child_keys_for_did_you_mean() -> None:
    assert child_keys("inflation") == ["pay_award", "oncost_rate", "nonpay_inflation", "gdp_deflator"]
    assert child_keys("delegation") == list(FUNCTIONS)
    assert child_keys("delegation.optometry.go_live") == ["default", "by_region", "by_icb"]
    assert child_keys("delegation.optometry.go_live.by_region") == []
    assert "running_cost_cut" in child_keys("") and "uncertainty" in child_keys("")


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


def test_ranges_in_words_and_checks() -> None:
    cut, salary, saving = (spec_for(p) for p in ("running_cost_cut.path", "baseline.salary_per_wte_gbp",
                                                   "delegation.pharmacy.nonpay_per_wte_gbp"))
    assert cut.range_text() == "0 to less than 1" and cut.in_range(0.0) and not cut.in_range(1.0)
    assert salary.range_text() == "more than 0" and not salary.in_range(0.0) and salary.in_range(1.0)
    assert saving.range_text() == "0 or more" and saving.in_range(0.0) and not saving.in_range(-1.0)
    assert salary.range_reason


def test_percent_hint_only_where_a_fraction_looks_like_a_percentage() -> None:
    share = spec_for("baseline.pay_share")
    assert percent_hint(30, share) == " A fraction is written 0-1: write 30% as 0.3."
    assert percent_hint(1.5, share) == ""
    assert percent_hint(300, share) == ""
    assert percent_hint(30, spec_for("baseline.salary_per_wte_gbp")) == ""


def test_every_unit_and_column_is_declared_once_and_complete() -> None:
    from model.schema import COLUMNS, METRICS, UNITS, column

    for spec in SCHEMA:
        if spec.unit:
            assert spec.unit in UNITS, spec.pattern
    names = [c.name for c in COLUMNS]
    assert len(names) == len(set(names))
    for spec in COLUMNS:
        assert spec.label and spec.description, spec.name
        if spec.numeric:
            assert spec.unit in UNITS and spec.decimals is not None, spec.name
    assert [c.name for c in COLUMNS if c.contract] == names[:25]
    assert column("allowance_gbp").display.unit == "£m"
    assert column("allowance_gbp").display.show(908_760_000.0) == 908.76
    assert column("real_change_vs_base").display.show(-0.3) == pytest.approx(-30.0)
    assert "wte_gap" in METRICS and "scenario" not in METRICS


def test_engine_inputs_follow_from_the_schema() -> None:
    from model.engine.inputs import INPUT_KEYS

    shapes = {key.path: key.shape for key in INPUT_KEYS}
    assert shapes["inflation.pay_award"] == "series"
    assert shapes["running_cost_cut.basis"] == "word"
    assert shapes["delegation.dentistry.in_cut_scope"] == "flag"
    assert shapes["delegation.dentistry.go_live"] == "go_live"
    assert shapes["running_cost_cut.envelope.effective"] == "month"
    assert set(parameter_paths()) <= set(shapes)
