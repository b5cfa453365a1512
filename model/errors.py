"""The model's one exception for unusable input that is not a scenario file problem.

Library functions raise :class:`InputError` (or a subclass) when a caller passes something they
cannot use: a parameter path that names nothing, a metric that is not a results column, a year
outside the horizon. The message says what is wrong with the value itself, never which
command-line flag carried it: the command line (:mod:`model.cli`) adds that, and exits with
status 2.
"""

from __future__ import annotations


class InputError(ValueError):
    """A value a caller passed that the model cannot use; the message says why and how to fix it."""
