"""ICB running-cost allowance, workforce and delegation model for England.

The engine is :mod:`model.engine`; scenarios load with :mod:`model.scenario`; the command line is
:mod:`model.cli`. See docs/methodology.md for the method.
"""

__version__ = "0.1.0"
"""The model's version, written on every output. The one place it is set: pyproject.toml reads it
from here (``[tool.setuptools.dynamic]``), so the installed distribution always agrees, and
importing the package never has to look up its metadata (``importlib.metadata`` costs tens of
milliseconds on every command)."""
