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
import atexit
import contextlib
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

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
           "guarded", "main", "script"]


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


def script() -> NoReturn:
    """The ``icb-model`` console script: :func:`main`, then the process ends at once with its status.

    By the time :func:`main` returns, the command's work is finished: every file written and closed
    (atomically), its threads and child processes ended, its output flushed. What the interpreter
    would still do is tear down pandas', plotly's and the model's objects one by one, about 0.2 s
    after ``montecarlo`` on the 2-core test machine, with nothing left to save. So the process
    runs the exit handlers (logging's flush among them), flushes its streams and ends
    (:func:`os._exit`). Tests call :func:`main`, which returns.
    """
    status = main()
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):
            stream.flush()
    os._exit(status)
