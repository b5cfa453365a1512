"""The keys of a scenario file (model/schema/keys.py, keys.yaml): lookups, ranges in words, and
agreement with docs/scenario-format.md."""

from __future__ import annotations

import re
from pathlib import Path

from model.schema import FUNCTIONS, KINDS, ROLES, SCHEMA, child_keys, spec_for

DOC = Path(__file__).parents[3] / "docs" / "scenario-format.md"


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


def test_ranges_in_words_and_checks() -> None:
    cut, salary, saving = (spec_for(p) for p in ("running_cost_cut.path", "baseline.salary_per_wte_gbp",
                                                   "delegation.pharmacy.nonpay_per_wte_gbp"))
    assert cut.range_text() == "0 to less than 1" and cut.in_range(0.0) and not cut.in_range(1.0)
    assert salary.range_text() == "more than 0" and not salary.in_range(0.0) and salary.in_range(1.0)
    assert saving.range_text() == "0 or more" and saving.in_range(0.0) and not saving.in_range(-1.0)
    assert salary.range_reason


def test_key_parts_keep_a_parameter_path_under_uncertainty_whole() -> None:
    from model.schema import key_parts

    assert key_parts("baseline.pay_share") == ("baseline", "pay_share")
    assert key_parts("uncertainty.running_cost_cut.path.2025/26") == ("uncertainty", "running_cost_cut.path.2025/26")
    assert key_parts(("a", "b.c")) == ("a", "b.c") and key_parts("") == ()


def test_expand_names_each_delegated_function() -> None:
    from model.schema import expand

    assert expand("delegation.F.go_live") == [f"delegation.{f}.go_live" for f in FUNCTIONS]
    assert expand("baseline.pay_share") == ["baseline.pay_share"]
    assert FUNCTIONS == ("pharmacy", "optometry", "dentistry", "specialised")


def test_bounds_limits_and_what_a_key_expects() -> None:
    salary = spec_for("baseline.salary_per_wte_gbp")
    assert salary.in_bounds(1e-300) and not salary.within_limits(1e-300) and not salary.in_range(1e-300)
    assert salary.in_range(1.0) and salary.in_range(1e7) and not salary.in_range(1.0000001e7)
    assert salary.limits_text() == "at least 1 and at most 10,000,000"
    assert salary.expects() == "a number (gbp per wte, more than 0)"
    assert salary.unit_info.text == "£ per WTE"
    cut = spec_for("running_cost_cut.path")
    assert cut.in_range(0.999) and not cut.in_range(1.0) and cut.limits_text() == "any finite number"
    assert cut.expects() == "a number or a series such as {2024/25: 0.2, 2025/26: 0.3} (fraction, 0 to less than 1)"
    award = spec_for("inflation.pay_award")
    assert award.range_text() == "-0.5 to 1" and award.in_range(-0.5) and not award.in_range(-0.51)
    assert spec_for("running_cost_cut.basis").expects() == "one of nominal, real"
    assert spec_for("delegation.dentistry.in_cut_scope").expects() == "true or false"
    assert spec_for("delegation.dentistry.go_live.default").expects().endswith("or null for never")
    assert {spec.role for spec in SCHEMA} <= set(ROLES)
