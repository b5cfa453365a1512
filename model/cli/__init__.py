"""The ``icb-model`` command line.

Every command exits 0 on success, 2 on invalid input (with a message naming the file, key path
and line, never a traceback) and 1 when something outside the input fails (a file that cannot be
written). What a command prints goes through :func:`~model.cli.common.terminal_streams`: control
characters from files are shown as escapes, and a closed pipe ends the output quietly. Each module
here declares its commands' options in ``add_commands`` and imports what a command needs only
when it runs, so ``icb-model --help`` stays quick.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path

from model.cli import batch, briefing, dashboard, montecarlo, run, workbook
from model.cli.common import (
    DEBUG_ENV,
    EXIT_FAILED,
    EXIT_INVALID,
    EXIT_OK,
    UsageError,
    find_root,
    guarded,
    terminal_streams,
)

__all__ = ["DEBUG_ENV", "EXIT_FAILED", "EXIT_INVALID", "EXIT_OK", "UsageError", "build_parser", "find_root",
           "guarded", "main"]


def build_parser() -> argparse.ArgumentParser:
    """The ``icb-model`` parser with every command."""
    parser = argparse.ArgumentParser(
        prog="icb-model",
        description="ICB running-cost allowance, workforce and delegation model for England.",
    )
    parser.add_argument(
        "--root",
        type=Path,
        default=None,
        help="project folder holding assumptions.yaml and scenarios/ (default: found from the current folder)",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for module in (run, batch, montecarlo, workbook, briefing, dashboard):
        module.add_commands(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``icb-model`` console script; returns the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    args.root = (args.root or find_root()).resolve()
    if getattr(args, "server", False):  # the dashboard's output is its server's log
        return guarded(args.func, args)
    with terminal_streams():
        return guarded(args.func, args)
