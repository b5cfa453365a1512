"""The package (model/__init__.py): its version is the installed distribution's, as every output records
it, and importing the package does not look it up."""

from __future__ import annotations

import subprocess
import sys
from importlib import metadata

import model


def test_the_version_is_the_installed_distributions():
    assert model.__version__ == metadata.version("icb-running-costs")


def test_importing_the_package_reads_no_metadata():
    """The version is a constant (pyproject.toml reads it from model/__init__.py), so importing
    the package and the command line leaves importlib.metadata alone."""
    code = "import sys, model.cli; print('importlib.metadata' in sys.modules)"
    shown = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert shown.strip() == "False"
