"""``python -m model.cli``: the same as the ``icb-model`` command."""

import sys

from model.cli import main

sys.exit(main())
