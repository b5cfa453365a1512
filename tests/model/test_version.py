"""The package (model/__init__.py): its version is the installed distribution's, as every output records it."""

from __future__ import annotations

from importlib import metadata

import model


def test_the_version_is_the_installed_distributions():
    assert model.__version__ == metadata.version("icb-running-costs")
    assert model.__version__ != "0+unknown"  # the test environment installs the package (pip install -e .)
