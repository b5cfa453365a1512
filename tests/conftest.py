"""Fixtures shared across the test folders."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.project_copy import ROOT, run_cli

if TYPE_CHECKING:
    from model.output.workbook import Plan
    from model.scenario import Scenario


@pytest.fixture(scope="session")
def base_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder holding what ``icb-model run base`` writes for the shipped project (made once)."""
    out = tmp_path_factory.mktemp("run")
    assert run_cli("run", "base", "--out", str(out)) == 0
    return out


@pytest.fixture(scope="module")
def example_plan() -> Plan:
    """The audit workbook's plan for the worked example (SPEC section 9)."""
    from model.output.workbook import plan_workbook, spec_from_inputs
    from tests.builders import worked_example

    return plan_workbook(spec_from_inputs(worked_example(), name="worked_example"))


@pytest.fixture(scope="module")
def base_scenario() -> Scenario:
    """The shipped base scenario, loaded."""
    from model.scenario import load_scenario

    return load_scenario("base", ROOT)
