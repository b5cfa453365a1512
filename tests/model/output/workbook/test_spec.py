"""What a workbook is built from (model/output/workbook/spec.py)."""

from __future__ import annotations

import pytest

from model.output.workbook import (
    plan_workbook,
    spec_from_scenario,
)


def test_icb_selection_and_unknown_codes(base_scenario):
    plan = plan_workbook(spec_from_scenario(base_scenario, ["QUE", "QE1"]))
    assert list(plan.icb_sheets) == ["QUE", "QE1"]
    england = plan.sheet("England")
    assert any("'QUE'!" in c.formula and "'QE1'!" in c.formula for c in england.formulas().values() if c.engine)
    with pytest.raises(KeyError, match="ZZZ"):
        spec_from_scenario(base_scenario, ["ZZZ"])
