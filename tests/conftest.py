"""Fixtures shared across the test folders."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.project_copy import run_cli


@pytest.fixture(scope="session")
def base_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder holding what ``icb-model run base`` writes for the shipped project (made once)."""
    out = tmp_path_factory.mktemp("run")
    assert run_cli("run", "base", "--out", str(out)) == 0
    return out
