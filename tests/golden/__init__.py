"""Golden files: regression fixtures for the CLI, not forecasts.

They pin what the shipped scenarios produce today. After an intended change to the model or the
assumptions, regenerate them with ``python -m tests.golden.update`` and review the diff in git.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

GOLDEN = Path(__file__).resolve().parent


def golden_results() -> pd.DataFrame:
    """The golden ``results.csv`` of the base scenario."""
    return pd.read_csv(GOLDEN / "base_results.csv", keep_default_na=False)


def compare_output(got: str, path: Path) -> None:
    """Assert that text output equals a golden file, showing the first differing line."""
    want = path.read_text(encoding="utf-8")
    if got != want:
        for number, (a, b) in enumerate(zip(got.splitlines(), want.splitlines(), strict=False), start=1):
            if a != b:
                raise AssertionError(f"{path.name} line {number}:\n  got  {a!r}\n  want {b!r}")
        raise AssertionError(f"{path.name}: output has {len(got.splitlines())} lines, golden {len(want.splitlines())}")
