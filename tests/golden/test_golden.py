"""The command line's outputs against the golden files (``tests/golden/``).

Golden files are regression fixtures, not forecasts: they pin what the shipped base scenario
produces today so that any change to a figure is deliberate. After an intended change, regenerate
them with ``python -m tests.golden.update`` and review the diff.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from model import __version__
from model.schema import COLUMN_NAMES, CONTRACT_COLUMNS
from tests.golden import GOLDEN, RULES_0_1_0, RUNS, compare_output, golden_results
from tests.project_copy import run_cli

TEXT = ["scenario", "icb_code", "icb_name", "region", "year", "allowance_basis", "scenario_sha256"]


def assert_same_results(got: pd.DataFrame, want: pd.DataFrame, text: list[str]) -> None:
    """Same text in ``text`` columns, and the same numbers (to the rounding of the file) in every
    other column of ``want``."""
    pd.testing.assert_frame_equal(got[text], want[text])
    numeric = [c for c in want.columns if c not in [*text, "model_version", "scenario", "scenario_sha256"]]
    np.testing.assert_allclose(got[numeric].to_numpy(float), want[numeric].to_numpy(float), rtol=1e-9, atol=0.011)


@pytest.mark.parametrize("name", list(RUNS))
def test_results_csv_matches_golden(name, base_run, tmp_path):
    if name == "base_results.csv":
        out = base_run
    else:
        out = tmp_path
        assert run_cli(*RUNS[name], "--out", str(out), "--no-xlsx") == 0
    got = pd.read_csv(out / "results.csv", keep_default_na=False)
    want = golden_results(name)
    assert list(got.columns) == list(want.columns) == list(COLUMN_NAMES)
    assert tuple(got.columns[:25]) == CONTRACT_COLUMNS
    assert set(got["model_version"]) == {__version__}
    assert_same_results(got, want, TEXT)


def test_rules_alone_still_give_the_0_1_0_base_results(tmp_path):
    """Issue 10: with published allowances off and no organisation changes, SPEC sections 3 to 5
    hold exactly as before: every number of 0.1.0's base results, unchanged."""
    assert run_cli("run", "tests/fixtures/rules_2022.yaml", "--out", str(tmp_path), "--no-xlsx") == 0
    got = pd.read_csv(tmp_path / "results.csv", keep_default_na=False)
    want = golden_results(RULES_0_1_0)
    assert set(want.columns) < set(got.columns) and len(got) == len(want) == 43 * 9
    assert set(got["allowance_basis"]) == {"projected"} and set(got["footprint"]) == {2022}
    assert_same_results(got, want, ["icb_code", "icb_name", "region", "year"])


def test_england_is_the_same_on_either_footprint():
    on = {label: golden_results(name)
          for label, name in (("2026", "base_results.csv"), ("2022", "base_results_2022.csv"))}
    england = {label: table[table.icb_code == "ENG"].drop(columns=["footprint"]) for label, table in on.items()}
    pd.testing.assert_frame_equal(england["2026"].reset_index(drop=True), england["2022"].reset_index(drop=True))


def test_compare_prints_golden_table(capsys):
    assert run_cli("compare", "base", "envelope_2025", "--year", "2025/26", "--icb", "QOP") == 0
    compare_output(capsys.readouterr().out, GOLDEN / "compare_base_envelope_QOP_2025-26.txt")
