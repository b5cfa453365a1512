"""ICB running-cost allowance, workforce and delegation model for England.

The engine is :mod:`model.engine`; scenarios load with :mod:`model.scenario`; the command line is
:mod:`model.cli`. See docs/methodology.md for the method.
"""

from importlib import metadata

try:
    __version__ = metadata.version("icb-running-costs")
except metadata.PackageNotFoundError:  # a bare checkout, not installed
    __version__ = "0+unknown"
