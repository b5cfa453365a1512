"""Fixtures shared by the dashboard's tests."""

from __future__ import annotations

import pytest

from dashboard import store as dash_store
from tests.dashboard.shared import ROOT


@pytest.fixture(scope="module")
def store() -> dash_store.ScenarioStore:
    return dash_store.ScenarioStore(ROOT)
