"""Fixtures shared by the scenario package's tests."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.fixtures import PROJECT


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A writable copy of the fixture project."""
    root = tmp_path / "project"
    shutil.copytree(PROJECT, root)
    return root
