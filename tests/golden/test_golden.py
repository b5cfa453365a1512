"""The command line's outputs against the golden files (``tests/golden/``).

Golden files are regression fixtures, not forecasts: they pin what the shipped base scenario
produces today so that any change to a figure is deliberate. After an intended change, regenerate
them with ``python -m tests.golden.update`` and review the diff.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from model import __version__
from model.cli import main
from model.schema import COLUMN_NAMES, CONTRACT_COLUMNS
from tests.golden import GOLDEN, compare_output, golden_results

ROOT = Path(__file__).resolve().parents[2]


def run_cli(*args: str) -> int:
    return main(["--root", str(ROOT), *args])


@pytest.fixture(scope="module")
def base_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("run")
    assert run_cli("run", "base", "--out", str(out)) == 0
    return out


def test_results_csv_matches_golden(base_run):
    got = pd.read_csv(base_run / "results.csv", keep_default_na=False)
    want = golden_results()
    assert list(got.columns) == list(want.columns) == list(COLUMN_NAMES)
    assert tuple(got.columns[:25]) == CONTRACT_COLUMNS
    text = ["scenario", "icb_code", "icb_name", "region", "year", "scenario_sha256"]
    pd.testing.assert_frame_equal(got[text], want[text])
    assert set(got["model_version"]) == {__version__}
    numeric = [c for c in got.columns if c not in [*text, "model_version"]]
    np.testing.assert_allclose(got[numeric].to_numpy(float), want[numeric].to_numpy(float), rtol=1e-9, atol=0.011)


def test_compare_prints_golden_table(capsys):
    assert run_cli("compare", "base", "envelope_2025", "--year", "2025/26", "--icb", "QOP") == 0
    compare_output(capsys.readouterr().out, GOLDEN / "compare_base_envelope_QOP_2025-26.txt")
