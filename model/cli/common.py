"""What every command shares: exit statuses, the error for a bad option, finding the project and
turning failures into a message and an exit status.

This package is the only place that knows about flags and exit codes: library code raises
:class:`model.errors.InputError` (or a subclass) with a message about the input, and the command
that passed it adds the flag's name.
"""

from __future__ import annotations

import argparse
import contextlib
import errno
import io
import os
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TextIO, cast

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
    traceback, unless the environment sets ICB_MODEL_DEBUG. SIGTERM and SIGHUP end the command as
    Ctrl+C does (temporary files removed), with status 128 + the signal's number, and so does an
    error raised on the way out after one (:func:`interruption`).
    """
    from model.errors import InputError
    from model.output.atomic import Terminated, signals_end_cleanly
    from model.scenario import ScenarioError

    try:
        try:
            with signals_end_cleanly():
                return with_output_folder(func, args)
        except Exception as error:
            stop = interruption(error)
            if stop is None:
                raise
            raise stop from None
    except Terminated as stop:
        print(f"icb-model: stopped by {stop}; no partial files were left.", file=sys.stderr)
        return 128 + stop.signum
    except ScenarioError as error:
        print(str(error), file=sys.stderr)
        return EXIT_INVALID
    except (UsageError, InputError) as error:  # one line, whatever text from the command line it quotes
        from model.scenario.yamlio import printable

        print(f"icb-model: {printable(str(error))}", file=sys.stderr)
        return EXIT_INVALID
    except OSError as error:
        print(f"icb-model: {os_message(error)}", file=sys.stderr)
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


def interruption(error: BaseException) -> BaseException | None:
    """The Ctrl+C, SIGTERM or SIGHUP (KeyboardInterrupt or Terminated) that ``error`` was raised
    while handling, if any: clean-up on the way out can fail because it was cut short (a zip
    archive closed while one of its parts was half-written raises ValueError), and the command was
    still stopped, not broken."""
    from model.output.atomic import Terminated

    seen: set[int] = set()
    context = error.__context__
    while context is not None and id(context) not in seen:
        if isinstance(context, (Terminated, KeyboardInterrupt)):
            return context
        seen.add(id(context))
        context = context.__context__
    return None


_REASONS = {
    errno.EACCES: "permission denied", errno.EPERM: "permission denied", errno.EROFS: "the disk is read-only",
    errno.ENOSPC: "the disk is full", errno.EDQUOT: "the disk quota is used up",
    errno.ENOTDIR: "part of the path is a file, not a folder", errno.ENOENT: "part of the path does not exist",
    errno.EEXIST: "a file of that name is in the way", errno.ENAMETOOLONG: "the name is too long",
}


def reason(error: OSError) -> str:
    """Why an operating-system call failed, in words."""
    return _REASONS.get(error.errno or 0) or (error.strerror or type(error).__name__).lower()


def os_message(error: OSError) -> str:
    """A file that could not be used, and why, in words (``cannot use results/results.csv: the
    disk is full``)."""
    where = f" {error.filename}" if error.filename else " a file"
    return f"cannot use{where}: {reason(error)}"


def with_output_folder(func: Command, args: argparse.Namespace) -> int:
    """Run a command that writes into ``args.out`` (a folder; a file when ``args.out_is_file``)
    with that place checked first and its folder locked while the command runs.

    A place that cannot be written is a UsageError that says why in words; so is a folder another
    command is writing into at that moment. A folder made here and left empty by a failed command
    is removed again. Commands without ``--out`` just run.
    """
    from model.output.atomic import FolderInUse, folder_lock

    out = getattr(args, "out", None)
    if out is None:
        return func(args)
    out = Path(out)
    folder = out.parent if getattr(args, "out_is_file", False) else out
    try:
        problem = out_problem(out, folder)
    except OSError as error:  # a name too long, a loop of links: said before any work
        problem = f"{reason(error)}."
    if problem:
        raise UsageError(f"--out {out}: {problem}")
    made = make_folder(out, folder)
    status = EXIT_FAILED
    try:
        with folder_lock(folder):
            status = func(args)
    except FolderInUse:
        raise UsageError(f"--out {out}: another icb-model command is writing into {folder} now. Wait for it to "
                         "finish, or choose another folder.") from None
    finally:
        if status != EXIT_OK:
            for each in reversed(made):
                with contextlib.suppress(OSError):
                    each.rmdir()  # only if still empty
    return status


def out_problem(out: Path, folder: Path) -> str | None:
    """What is wrong with ``--out`` before anything is made, or None: a file where a folder is
    wanted (or the reverse), or a path through a file."""
    if folder == out and (out.exists() or out.is_symlink()) and not out.is_dir():
        return "this is a file, not a folder. Name a folder to write into (it is made if missing)."
    if folder != out and out.is_dir():
        return "this is a folder. Name the file to write, ending .xlsx."
    return None


def make_folder(out: Path, folder: Path) -> list[Path]:
    """Make ``folder`` (and any missing parents) and check a file can be written in it; returns the
    folders made, outermost first. Raises UsageError saying why when it cannot be done."""
    missing = [p for p in (folder, *folder.parents) if not p.exists()][::-1]
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise UsageError(f"--out {out}: cannot make the folder {folder}: {reason(error)}.") from None
    try:
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError as error:
        for each in reversed(missing):
            with contextlib.suppress(OSError):
                each.rmdir()
        why = "the system does not let files be made there" if error.errno == errno.ENOENT else reason(error)
        raise UsageError(f"--out {out}: cannot write in the folder {folder}: {why}.") from None
    return missing


def terminal_text(text: str) -> str:
    """``text`` with every control character but the line break shown as an escape (``\\x1b``,
    ``\\r``, ``\\t``), so that text from a file can neither send escape sequences to a terminal
    (retitle it, clear it, move the cursor) nor overwrite a line already shown."""
    from model.scenario.yamlio import printable

    return "\n".join(printable(line) for line in text.split("\n"))


class TerminalStream(io.TextIOBase):
    """A text stream that writes through to ``stream`` what :func:`terminal_text` makes of it, and
    takes a closed pipe (``icb-model show base | head -1``) as the end of the output: from then on
    what is written is dropped, and the command finishes its work and exits as it would have.

    ``unfiltered`` is the stream underneath, for a progress bar that must move the cursor."""

    def __init__(self, stream: TextIO) -> None:
        super().__init__()
        self.unfiltered = stream
        self.pipe_closed = False

    def write(self, text: str) -> int:
        if not self.pipe_closed:
            try:
                self.unfiltered.write(terminal_text(text))
            except BrokenPipeError:
                self._drop_the_rest()
        return len(text)

    def flush(self) -> None:
        if not self.pipe_closed:
            try:
                self.unfiltered.flush()
            except BrokenPipeError:
                self._drop_the_rest()

    def isatty(self) -> bool:
        return self.unfiltered.isatty()

    def writable(self) -> bool:
        return True

    def _drop_the_rest(self) -> None:
        """Send whatever the stream still holds, and anything the interpreter flushes at exit, to
        /dev/null, so that a closed pipe ends quietly."""
        self.pipe_closed = True
        with contextlib.suppress(AttributeError, OSError, ValueError, io.UnsupportedOperation):
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, self.unfiltered.fileno())
            os.close(devnull)


@contextlib.contextmanager
def terminal_streams() -> Iterator[None]:
    """Standard output and error as :class:`TerminalStream` for the duration of a command."""
    saved = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = (cast(TextIO, TerminalStream(stream)) for stream in saved)
    try:
        yield
    finally:
        for wrapped in (sys.stdout, sys.stderr):
            wrapped.flush()
        sys.stdout, sys.stderr = saved
