"""The keys of a scenario file (model/schema/keys.py, keys.yaml): lookups, ranges in words, and
agreement with docs/scenario-format.md."""

from __future__ import annotations

import re
from pathlib import Path

from model.schema import (
    FUNCTIONS,
    KINDS,
    ROLES,
    SCHEMA,
    child_keys,
    spec_for,
)

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
