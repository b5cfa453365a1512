"""Fixtures shared by the workbook's tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from model.output.workbook import Plan, plan_workbook, spec_from_inputs, spec_from_scenario
from model.scenario import load_scenario
from tests.builders import worked_example

ROOT = Path(__file__).resolve().parents[4]


@pytest.fixture(scope="module")
def example_plan() -> Plan:
    return plan_workbook(spec_from_inputs(worked_example(), name="worked_example"))


@pytest.fixture(scope="module")
def base_scenario():
    return load_scenario("base", ROOT)


@pytest.fixture(scope="module")
def fixture_plan() -> Plan:
    """The workbook of the fixture project's base: three ICBs, go-live rules of every kind."""
    from tests.fixtures import PROJECT

    return plan_workbook(spec_from_scenario(load_scenario("base", PROJECT)))
