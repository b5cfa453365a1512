"""The shipped project, or a throwaway copy of it for tests that write hostile files beside it,
and the CLI run in-process against either."""

from __future__ import annotations

import contextlib
import io
import shutil
from pathlib import Path

from model.cli import main

ROOT = Path(__file__).resolve().parents[1]


def copy_project(root: Path) -> Path:
    """Copy assumptions.yaml, scenarios/ and data/ into ``root`` (an empty folder); return it."""
    shutil.copy(ROOT / "assumptions.yaml", root)
    shutil.copytree(ROOT / "scenarios", root / "scenarios")
    shutil.copytree(ROOT / "data", root / "data")
    return root


def cli(project: Path, *args: str) -> tuple[int, str]:
    """Run ``icb-model --root PROJECT ARGS`` in-process; return its status and its stderr."""
    err = io.StringIO()
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(err):
        status = main(["--root", str(project), *args])
    return status, err.getvalue()


def run_cli(*args: str) -> int:
    """Run ``icb-model --root ROOT ARGS`` in-process on the shipped project; return its status."""
    return main(["--root", str(ROOT), *args])
