"""Write files so that a reader only ever sees the old complete file or the new complete one.

Every output the tool writes goes through :func:`atomic_write`: the content is written to a
temporary file in the same folder, flushed to disk, then renamed over the target in one step.
A run killed part-way leaves no partial file behind.

The temporary file is named ``.<target name>.<random>.tmp``: hidden, and never ending in the
target's own suffix, so nothing that looks for ``results.csv`` or ``*.csv`` can take it for output.
Only SIGKILL (or a power cut) can leave one behind, since then no clean-up code runs; it is safe
to delete. See docs/hardening.md.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
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

    On any error (or interruption) the temporary file is removed and ``target`` is untouched.
    """
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    tmp = Path(tmp_name)
    try:
        # mkstemp makes the file readable by its owner only; give it the mode an ordinary file
        # would have (the target's own, or what the umask allows), so colleagues can read results.
        os.fchmod(fd, _mode_for(target))
        os.close(fd)
        fd = -1
        yield tmp
        with open(tmp, "rb+") as handle:
            os.fsync(handle.fileno())
        os.replace(tmp, target)
        _sync_folder(target.parent)
    finally:
        if fd >= 0:
            os.close(fd)
        tmp.unlink(missing_ok=True)


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
