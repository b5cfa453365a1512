"""Recalculate workbooks headlessly with LibreOffice and read back what it computed.

``soffice --headless --convert-to xlsx`` opens a workbook, recalculates it and saves the values it
computed as each formula's cached result; openpyxl (``data_only=True``) then reads them.

Two details matter:

- By default LibreOffice does *not* recalculate an .xlsx on load: it keeps the cached results the
  file carries. Each run therefore uses a private profile whose settings say "always recalculate
  on load" (``OOXMLRecalcMode = 0``), so the values read back are LibreOffice's own.
- One profile serves one conversion at a time (a second ``soffice`` on a busy profile hands its
  work to the first or fails). Profiles live in a small pool under the temporary folder, each
  guarded by a file lock: a conversion takes a free profile (or waits for one), so parallel test
  workers never share a profile, and a profile, once initialised (~5 s), is reused.

Debian: ``apt-get install libreoffice-calc-nogui`` gives ``soffice``.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import os
import shutil
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

_RECALC_ALWAYS = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" \
xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse">\
<value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="ODFRecalcMode" oor:op="fuse">\
<value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Misc"><prop oor:name="FirstRun" oor:op="fuse">\
<value>false</value></prop></item>
</oor:items>
"""

_lock = threading.Lock()
_EPOCH = dt.datetime(1899, 12, 30)


class LibreOfficeError(RuntimeError):
    """soffice failed or wrote no output."""


def soffice() -> str | None:
    """The soffice executable, or None when LibreOffice is not installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def available() -> bool:
    return soffice() is not None


POOL_SIZE = max(2, os.cpu_count() or 2)


def _profile(slot: int) -> Path:
    """Profile ``slot`` of the pool, set to recalculate every file on load."""
    root = Path(tempfile.gettempdir()) / f"icb-model-lo-{os.getuid()}" / f"profile{slot}"
    settings = root / "user" / "registrymodifications.xcu"
    if not settings.exists() or settings.read_text(encoding="utf-8").find("OOXMLRecalcMode") < 0:
        settings.parent.mkdir(parents=True, exist_ok=True)
        settings.write_text(_RECALC_ALWAYS, encoding="utf-8")
    return root


@contextmanager
def _free_profile() -> Iterator[Path]:
    """Lock a profile of the pool for one conversion: the first free one, else wait for one."""
    handles = []
    try:
        for slot in range(POOL_SIZE):
            root = _profile(slot)
            handle = open(root / ".lock", "w")  # noqa: SIM115 - held (locked) until the finally below
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                handle.close()
                continue
            handles.append(handle)
            yield root
            return
        root = _profile(os.getpid() % POOL_SIZE)
        handle = open(root / ".lock", "w")  # noqa: SIM115 - held (locked) until the finally below
        handles.append(handle)
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield root
    finally:
        for handle in handles:
            handle.close()  # releases the lock


def recalculate(paths: Sequence[Path], outdir: Path, timeout: float = 900) -> list[Path]:
    """Open each workbook in LibreOffice, recalculate it and save it as ``outdir/<name>.xlsx``.

    All files go through one ``soffice`` start. Returns the written paths, in order. Raises
    LibreOfficeError when soffice is missing, fails, or leaves an output out.
    """
    exe = soffice()
    if exe is None:
        raise LibreOfficeError("LibreOffice (soffice) is not installed; apt-get install libreoffice-calc-nogui")
    paths = [Path(p).resolve() for p in paths]
    outdir = Path(outdir).resolve()
    outdir.mkdir(parents=True, exist_ok=True)
    if any(p.parent == outdir for p in paths):
        raise ValueError("write the recalculated copies to another folder than the originals")
    targets = [outdir / (p.stem + ".xlsx") for p in paths]
    for target in targets:
        target.unlink(missing_ok=True)
    with _lock, _free_profile() as profile:
        command = [
            exe, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--invisible", "--nologo",
            "--norestore", "--nolockcheck", "--convert-to", "xlsx", "--outdir", str(outdir), *map(str, paths),
        ]
        result = subprocess.run(command, capture_output=True, text=True, timeout=timeout,
                                env={**os.environ, "SAL_USE_VCLPLUGIN": "svp"})
    missing = [t for t in targets if not t.exists()]
    if result.returncode != 0 or missing:
        raise LibreOfficeError(
            f"soffice exited {result.returncode}; missing {', '.join(map(str, missing)) or 'nothing'}\n"
            f"stdout: {result.stdout}\nstderr: {result.stderr}"
        )
    return targets


def timed_recalculate(paths: Sequence[Path], outdir: Path) -> tuple[list[Path], float]:
    """:func:`recalculate`, also returning the wall-clock seconds it took."""
    start = time.perf_counter()
    written = recalculate(paths, outdir)
    return written, time.perf_counter() - start


def read_values(path: Path) -> dict[str, dict[tuple[int, int], object]]:
    """Every non-empty cell's value (cached results for formulas), by sheet and 0-based (row, col).

    Dates come back as spreadsheet day numbers so that they compare with the plan's values.
    """
    import openpyxl

    book = openpyxl.load_workbook(path, data_only=True, read_only=True)
    try:
        values: dict[str, dict[tuple[int, int], object]] = {}
        for ws in book.worksheets:
            cells: dict[tuple[int, int], object] = {}
            for r, row in enumerate(ws.iter_rows(values_only=True)):
                for c, value in enumerate(row):
                    if value is None:
                        continue
                    if isinstance(value, dt.datetime):
                        value = (value - _EPOCH).total_seconds() / 86400.0
                    elif isinstance(value, dt.date):
                        value = float((value - _EPOCH.date()).days)
                    cells[(r, c)] = value
            values[ws.title] = cells
        return values
    finally:
        book.close()
