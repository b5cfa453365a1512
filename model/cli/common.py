"""What every command shares: exit statuses, the error for a bad option, finding the project and
turning failures into a message and an exit status.

This package is the only place that knows about flags and exit codes: library code raises
:class:`model.errors.InputError` (or a subclass) with a message about the input, and the command
that passed it adds the flag's name.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from pathlib import Path

EXIT_OK, EXIT_FAILED, EXIT_INVALID = 0, 1, 2

DEBUG_ENV = "ICB_MODEL_DEBUG"
"""Set this environment variable (to anything) to let an unexpected error raise with its traceback."""


class UsageError(Exception):
    """Invalid input that is not a scenario file problem (a bad option value)."""


def find_root(start: Path | None = None) -> Path:
    """The project folder: the nearest folder at or above ``start`` holding assumptions.yaml,
    else the folder this package was installed from."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "assumptions.yaml").is_file():
            return folder
    return Path(__file__).resolve().parents[2]


Command = Callable[[argparse.Namespace], int]


def guarded(func: Command, args: argparse.Namespace) -> int:
    """Run a command, turning expected failures into a message and an exit status.

    An unexpected error (a bug) is reported in one line with exit status 1, never as a bare
    traceback, unless the environment sets ICB_MODEL_DEBUG.
    """
    from model.errors import InputError
    from model.scenario import ScenarioError

    try:
        return func(args)
    except ScenarioError as error:
        print(str(error), file=sys.stderr)
        return EXIT_INVALID
    except (UsageError, InputError) as error:
        print(f"icb-model: {error}", file=sys.stderr)
        return EXIT_INVALID
    except OSError as error:
        print(f"icb-model: {error.strerror or error}: {error.filename or ''}".rstrip(": "), file=sys.stderr)
        return EXIT_FAILED
    except KeyboardInterrupt:
        print("icb-model: interrupted; no partial files were left.", file=sys.stderr)
        return 130
    except Exception as error:  # the last line of defence against a traceback (re-raised when debugging)
        if os.environ.get(DEBUG_ENV):
            raise
        from model.scenario.yamlio import printable, shorten

        print(f"icb-model: internal error ({type(error).__name__}: {printable(shorten(str(error), 300))}). "
              "This is a bug in the model, not a problem with your files; no file was left half-written. "
              f"Please report it with the command and files you used (set {DEBUG_ENV}=1 to see the details).",
              file=sys.stderr)
        return EXIT_FAILED
