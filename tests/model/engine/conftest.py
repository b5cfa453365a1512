"""Fixtures shared by the engine's tests."""

from __future__ import annotations

import pytest

from model import engine
from tests.builders import worked_example


@pytest.fixture(scope="module")
def worked():
    """The engine's run of SPEC section 9's worked example."""
    return engine.run(worked_example())
