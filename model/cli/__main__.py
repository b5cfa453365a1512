"""``python -m model.cli``: the same as the ``icb-model`` command."""

from model.cli import script

script()
