"""Golden files: regression fixtures for the CLI, not forecasts.

They pin what the shipped scenarios produce today. After an intended change to the model or the
assumptions, regenerate them with ``python -m tests.golden.update`` and review the diff in git.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

GOLDEN = Path(__file__).resolve().parent


RUNS = {
    "base_results.csv": ["run", "base"],
    "base_results_2022.csv": ["run", "base", "--footprint", "2022"],
}
"""Each golden ``results.csv`` that ``update`` regenerates, and the ``icb-model`` arguments that
make it (before ``--out``)."""

RULES_0_1_0 = "rules_2022_results.csv"
"""Frozen, never regenerated: the ``results.csv`` of model 0.1.0's base scenario, the rules of
SPEC sections 3 to 5 alone on the 42 ICBs. ``tests/fixtures/rules_2022.yaml`` (published
allowances off, no organisation changes) must still give every one of its numbers."""


def golden_results(name: str = "base_results.csv") -> pd.DataFrame:
    """A golden ``results.csv`` (see :data:`RUNS`)."""
    return pd.read_csv(GOLDEN / name, keep_default_na=False)


def compare_output(got: str, path: Path) -> None:
    """Assert that text output equals a golden file, showing the first differing line."""
    want = path.read_text(encoding="utf-8")
    if got != want:
        for number, (a, b) in enumerate(zip(got.splitlines(), want.splitlines(), strict=False), start=1):
            if a != b:
                raise AssertionError(f"{path.name} line {number}:\n  got  {a!r}\n  want {b!r}")
        raise AssertionError(f"{path.name}: output has {len(got.splitlines())} lines, golden {len(want.splitlines())}")
