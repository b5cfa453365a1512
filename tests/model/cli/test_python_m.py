"""``python -m model.cli`` (model/cli/__main__.py): the same command line as ``icb-model``."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "model.cli", *args], capture_output=True, text=True, timeout=60,
                          cwd=ROOT)


def test_help_lists_every_command():
    done = run("--help")
    assert done.returncode == 0 and done.stdout.startswith("usage: icb-model")
    for command in ("run", "compare", "validate", "show", "sensitivity", "grid", "montecarlo", "workbook",
                    "briefing", "dashboard"):
        assert command in done.stdout, command


def test_exit_statuses_pass_through():
    assert run("validate", "assumptions.yaml").returncode == 0
    missing = run("validate", "no_such_file.yaml")
    assert missing.returncode == 2 and "no_such_file.yaml" in missing.stderr and "Traceback" not in missing.stderr
    assert run().returncode == 2  # no command: argparse's usage error
