"""Write files so that a reader only ever sees the old complete file or the new complete one.

Every output the tool writes goes through :func:`atomic_write`: the content is written to a
temporary file in the same folder, flushed to disk, then renamed over the target in one step.
A run killed part-way leaves no partial file behind.

The temporary file is named ``.<target name>.<random>.tmp``: hidden, and never ending in the
target's own suffix, so nothing that looks for ``results.csv`` or ``*.csv`` can take it for output.
Errors, Ctrl+C and (under :func:`signals_end_cleanly`, as every command runs) SIGTERM and SIGHUP
remove it; only SIGKILL (or a power cut) can leave one behind, since then no clean-up code runs;
it is safe to delete. :func:`folder_lock` keeps two commands from writing into one folder at
once. See docs/hardening.md.
"""

from __future__ import annotations

import errno
import fcntl
import hashlib
import os
import secrets
import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Written:
    """A file written: where, how many bytes, and the sha256 of exactly those bytes (hashed before
    the file was moved into place, so a manifest records what this run wrote, not what another
    process may since have put there)."""

    path: Path
    size: int
    sha256: str

    def record(self) -> dict[str, object]:
        """The manifest's entry for the file."""
        return {"bytes": self.size, "sha256": self.sha256}


@contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """Yield a temporary path beside ``target``; on success rename it over ``target``.

    On any error (or interruption: Ctrl+C, and SIGTERM or SIGHUP under :func:`signals_end_cleanly`)
    the temporary file is removed and ``target`` is untouched. Errors name ``target``, never the
    temporary file. Those signals are held back while the temporary file is made and while it is
    removed, so that none can strike between making it and knowing its name.
    """
    target = Path(target)
    tmp = None
    try:
        with _signals_held():
            target.parent.mkdir(parents=True, exist_ok=True)
            # The name is known before the file exists: a signal delivered to another thread (numpy's
            # own, which the mask above does not cover) still finds it to remove.
            tmp = target.parent / f".{target.name}.{secrets.token_hex(6)}.tmp"
            try:
                fd = os.open(tmp, os.O_RDWR | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0), 0o600)
            except FileExistsError:  # someone else's file of that name (1 in 2**48): not ours to remove
                tmp = None
                raise
            try:
                # mkstemp makes the file readable by its owner only; give it the mode an ordinary
                # file would have (the target's own, or what the umask allows), so colleagues can
                # read results.
                os.fchmod(fd, _mode_for(target))
            finally:
                os.close(fd)
        yield tmp
        with open(tmp, "rb+") as handle:
            os.fsync(handle.fileno())
        os.replace(tmp, target)
        _sync_folder(target.parent)
    except OSError as err:
        raise OSError(err.errno, err.strerror, str(target)) from None
    finally:
        if tmp is not None:
            with _signals_held():
                tmp.unlink(missing_ok=True)


ENDING_SIGNALS = (signal.SIGTERM, signal.SIGHUP)
"""What ``timeout``, ``kill`` and a closed terminal send: caught so that clean-up runs."""


class Terminated(BaseException):
    """SIGTERM or SIGHUP arrived (``signum``): raised in the main thread like Ctrl+C's
    KeyboardInterrupt, so every ``finally`` runs and no temporary file is left."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


@contextmanager
def signals_end_cleanly() -> Iterator[None]:
    """While the block runs (in the main thread), SIGTERM and SIGHUP raise :class:`Terminated`;
    after the first, both are ignored so that the clean-up it starts can finish. The previous
    handlers come back afterwards. Elsewhere than the main thread, the block just runs."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum: int, frame: object) -> None:
        for each in ENDING_SIGNALS:
            signal.signal(each, signal.SIG_IGN)
        raise Terminated(signum)

    previous = {each: signal.signal(each, stop) for each in ENDING_SIGNALS}
    try:
        yield
    finally:
        for each, handler in previous.items():
            signal.signal(each, handler)


@contextmanager
def _signals_held() -> Iterator[None]:
    """Hold back Ctrl+C, SIGTERM and SIGHUP in this thread while the block runs; one that arrives
    meanwhile is delivered when it ends."""
    held = {signal.SIGINT, *ENDING_SIGNALS}
    before = signal.pthread_sigmask(signal.SIG_BLOCK, held)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, before)


def _mode_for(target: Path) -> int:
    """The permission bits for a new version of ``target``: its current ones if it exists, else
    read-write for everyone the umask allows (what ``open(..., "w")`` would give)."""
    try:
        return target.stat().st_mode & 0o777
    except OSError:
        return 0o666 & ~_umask()


def _umask() -> int:
    """The process's umask, read without changing it where the system allows."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _sync_folder(folder: Path) -> None:
    """Flush the folder's entry for the renamed file to disk (best effort; not possible everywhere)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def atomic_write(target: Path, write: Callable[[Path], object]) -> Written:
    """Call ``write(tmp_path)`` to produce the file, then move it into place atomically; returns
    what was written."""
    with atomic_path(target) as tmp:
        write(tmp)
        digest, size = hashlib.sha256(), 0
        with open(tmp, "rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
                size += len(block)
    return Written(Path(target), size, digest.hexdigest())


def atomic_write_text(target: Path, text: str) -> Written:
    """Write text (UTF-8) to ``target`` atomically; returns what was written."""
    return atomic_write(target, lambda tmp: tmp.write_text(text, encoding="utf-8"))


class FolderInUse(Exception):
    """Another process holds the lock of an output folder (:func:`folder_lock`)."""


@contextmanager
def folder_lock(folder: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``folder`` (which must exist) while the block runs, so that two
    commands never write into one folder at once (their manifest and results would disagree).

    The lock is the kernel's ``flock`` on the folder itself: no lock file is left behind, and a
    process that dies releases it. Raises FolderInUse at once when another process holds it.
    """
    fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_CLOEXEC", 0))
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as err:
            if err.errno in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
                raise FolderInUse(str(folder)) from None
            raise
        yield
    finally:
        os.close(fd)
