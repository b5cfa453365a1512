"""The ``icb-model`` command line: outputs against golden files, exit codes, messages.

Golden files under ``tests/golden/`` are regression fixtures, not forecasts: they pin what the
shipped base scenario produces today so that any change to a figure is deliberate. After an
intended change, regenerate them with ``python -m tests.golden.update`` and review the diff.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from openpyxl import load_workbook

from model import __version__
from model.cli import main
from model.schema import COLUMN_NAMES, CONTRACT_COLUMNS
from tests.golden import GOLDEN, RULES_0_1_0, RUNS, compare_output, golden_results

ROOT = Path(__file__).resolve().parents[1]


def run_cli(*args: str) -> int:
    return main(["--root", str(ROOT), *args])


@pytest.fixture(scope="module")
def base_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("run")
    assert run_cli("run", "base", "--out", str(out)) == 0
    return out


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


@pytest.mark.parametrize(("footprint", "icbs"), [(None, 36), ("2022", 42), ("2026", 36)])
def test_results_rows_cover_england_and_each_icb_of_the_footprint_each_year(footprint, icbs, base_run, tmp_path):
    out = base_run
    if footprint:
        out = tmp_path
        assert run_cli("run", "base", "--footprint", footprint, "--out", str(out), "--no-xlsx") == 0
    got = pd.read_csv(out / "results.csv", keep_default_na=False)
    assert len(got) == (icbs + 1) * 9 and got["icb_code"].nunique() == icbs + 1
    assert set(got["footprint"]) == {int(footprint or 2026)}
    england = got[got.icb_code == "ENG"]
    assert set(england.icb_name) == {"England"} and set(england.region) == {""}
    assert set(got.scenario) == {"base"}


def test_england_is_the_same_on_either_footprint():
    on = {label: golden_results(name)
          for label, name in (("2026", "base_results.csv"), ("2022", "base_results_2022.csv"))}
    england = {label: table[table.icb_code == "ENG"].drop(columns=["footprint"]) for label, table in on.items()}
    pd.testing.assert_frame_equal(england["2026"].reset_index(drop=True), england["2022"].reset_index(drop=True))


def test_xlsx_has_readme_scenario_and_assumption_sheets(base_run):
    book = load_workbook(base_run / "results.xlsx", read_only=True)
    assert book.sheetnames == ["README", "base", "Assumptions"]
    readme = [row for row in book["README"].iter_rows(values_only=True)]
    documented = {row[0] for row in readme[5:]}
    assert set(COLUMN_NAMES) <= documented
    header, *rows = book["Assumptions"].iter_rows(values_only=True)
    assert header[:3] == ("scenario", "path", "value")
    pay = [r for r in rows if r[1] == "inflation.pay_award.2024/25"]
    assert pay and pay[0][2] == pytest.approx(0.055) and "rcn.org.uk" in (pay[0][5] or "")


def test_manifest_traces_inputs(base_run):
    manifest = json.loads((base_run / "manifest.json").read_text())
    (entry,) = manifest["scenarios"]
    assert entry["name"] == "base" and len(entry["content_sha256"]) == 64


def test_compare_prints_golden_table(capsys):
    assert run_cli("compare", "base", "envelope_2025", "--year", "2025/26", "--icb", "QOP") == 0
    compare_output(capsys.readouterr().out, GOLDEN / "compare_base_envelope_QOP_2025-26.txt")


def test_compare_bad_year_exits_2_with_the_choices(capsys):
    assert run_cli("compare", "base", "--year", "2040/41") == 2
    err = capsys.readouterr().err
    assert "2040/41" in err and "2022/23" in err and "Traceback" not in err


def test_compare_unknown_icb_exits_2(capsys):
    assert run_cli("compare", "base", "--year", "2025/26", "--icb", "XXX") == 2
    assert "ICB 'XXX'" in capsys.readouterr().err


def test_scenario_name_is_never_inherited(tmp_path, capsys):
    child = tmp_path / "my_child.yaml"
    child.write_text("extends: envelope_2025\ndescription: a child\n")
    out = tmp_path / "out"
    assert run_cli("run", str(child), "--out", str(out), "--no-xlsx") == 0
    assert set(pd.read_csv(out / "results.csv")["scenario"]) == {"my_child"}


def test_validate_reports_every_problem_and_exits_2(tmp_path, capsys):
    bad = tmp_path / "bad.yaml"
    bad.write_text("extends: base\ninflation:\n  pay_awrd: {2025/26: 0.04}\nbaseline:\n  pay_share: 75\n")
    assert run_cli("validate", str(bad)) == 2
    err = capsys.readouterr().err
    assert "bad.yaml:3" in err and "did you mean 'pay_award'" in err.lower()
    assert "bad.yaml:5" in err and "baseline.pay_share" in err
    assert "Traceback" not in err


def test_validate_accepts_the_shipped_files(capsys):
    files = [str(ROOT / "assumptions.yaml"), *map(str, sorted((ROOT / "scenarios").glob("*.yaml")))]
    assert run_cli("validate", *files) == 0
    assert "valid" in capsys.readouterr().out


def test_run_with_invalid_scenario_writes_nothing(tmp_path, capsys):
    bad = tmp_path / "bad.yaml"
    bad.write_text("extends: nowhere\n")
    out = tmp_path / "out"
    assert run_cli("run", str(bad), "--out", str(out)) == 2
    assert not out.exists() or not any(out.iterdir())
    assert "nowhere" in capsys.readouterr().err


def test_show_lists_values_with_sources(capsys):
    assert run_cli("show", "envelope_2025") == 0
    out = capsys.readouterr().out
    assert "running_cost_cut.envelope.per_head_gbp = 18.76" in out
    assert "set in scenarios/envelope_2025.yaml" in out
    assert "inflation.pay_award.2024/25 = 0.055" in out and "set in assumptions.yaml" in out


def test_console_script_exit_code_and_no_heavy_imports(tmp_path):
    """As a real process: status 2 on bad input, no traceback, and neither dash nor plotly loaded."""
    bad = tmp_path / "bad.yaml"
    bad.write_text("extends: base\nhorizon: {base_year: 2022-23}\n")
    code = (
        "import sys; from model.cli import main; status = main(sys.argv[1:]); "
        "assert 'dash' not in sys.modules and 'plotly' not in sys.modules, 'heavy import'; sys.exit(status)"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code, "--root", str(ROOT), "validate", str(bad)],
        capture_output=True, text=True, timeout=60,
    )
    assert proc.returncode == 2, proc.stderr
    assert "horizon.base_year" in proc.stderr and "Traceback" not in proc.stderr
