"""Regenerate the golden files: ``python -m tests.golden.update`` (then review the git diff)."""

from __future__ import annotations

import contextlib
import io
import shutil
import tempfile
from pathlib import Path

from model.cli import main
from tests.golden import GOLDEN, RUNS

ROOT = GOLDEN.parents[1]


def update() -> None:
    for name, args in RUNS.items():
        with tempfile.TemporaryDirectory() as tmp:
            assert main(["--root", str(ROOT), *args, "--out", tmp, "--no-xlsx"]) == 0
            shutil.copy(Path(tmp) / "results.csv", GOLDEN / name)
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        assert main(["--root", str(ROOT), "compare", "base", "envelope_2025", "--year", "2025/26", "--icb", "QOP"]) == 0
    (GOLDEN / "compare_base_envelope_QOP_2025-26.txt").write_text(buffer.getvalue(), encoding="utf-8")
    print(f"updated golden files in {GOLDEN}")


if __name__ == "__main__":
    update()
