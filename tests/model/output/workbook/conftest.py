"""Fixtures shared by the workbook's tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from model.output.workbook import Plan, plan_workbook, spec_from_scenario
from model.scenario import load_scenario

ROOT = Path(__file__).resolve().parents[4]


@pytest.fixture(scope="module")
def fixture_plan() -> Plan:
    """The workbook of the fixture project's base: three ICBs, go-live rules of every kind."""
    from tests.fixtures import PROJECT

    return plan_workbook(spec_from_scenario(load_scenario("base", PROJECT)))
