"""The ``icb-model`` entry point (model/cli/__init__.py): ``main`` and ``build_parser``."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def test_console_script_exit_code_and_no_heavy_imports(tmp_path):
    """As a real process: status 2 on bad input, no traceback, and neither dash nor plotly loaded."""
    bad = tmp_path / "bad.yaml"
    bad.write_text("extends: base\nhorizon: {base_year: 2022-23}\n")
    code = (
        "import sys; from model.cli import main; status = main(sys.argv[1:]); "
        "assert 'dash' not in sys.modules and 'plotly' not in sys.modules, 'heavy import'; sys.exit(status)"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code, "--root", str(ROOT), "validate", str(bad)],
        capture_output=True, text=True, timeout=60,
    )
    assert proc.returncode == 2, proc.stderr
    assert "horizon.base_year" in proc.stderr and "Traceback" not in proc.stderr
