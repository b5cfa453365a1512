"""``icb-model run``, ``compare``, ``validate`` and ``show`` (model/cli/run.py): files written, exit
codes and messages. The golden-file comparisons are in tests/golden/test_golden.py."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from model.cli import main
from model.schema import COLUMN_NAMES
from tests.project_copy import run_cli

ROOT = Path(__file__).resolve().parents[3]




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


def test_xlsx_has_readme_scenario_and_assumption_sheets(base_run):
    book = load_workbook(base_run / "results.xlsx", read_only=True)
    assert book.sheetnames == ["README", "base", "Assumptions"]
    readme = [row for row in book["README"].iter_rows(values_only=True)]
    documented = {row[0] for row in readme[5:] if row}  # blank rows hold no cells
    assert set(COLUMN_NAMES) <= documented
    header, *rows = book["Assumptions"].iter_rows(values_only=True)
    assert header[:3] == ("scenario", "path", "value")
    pay = [r for r in rows if r[1] == "inflation.pay_award.2024/25"]
    assert pay and pay[0][2] == pytest.approx(0.055) and "rcn.org.uk" in (pay[0][5] or "")


def test_manifest_traces_inputs(base_run):
    manifest = json.loads((base_run / "manifest.json").read_text())
    (entry,) = manifest["scenarios"]
    assert entry["name"] == "base" and len(entry["content_sha256"]) == 64


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


def test_two_scenarios_of_the_same_name_are_refused(tmp_path, capsys):
    twin = tmp_path / "twin.yaml"
    twin.write_text("name: base\nextends: base\n")
    out = tmp_path / "out"
    assert run_cli("run", "base", str(twin), "--out", str(out)) == 2
    assert "two scenarios are both named base; give each its own `name:`" in capsys.readouterr().err
    assert not out.exists()


def test_run_says_what_it_ran_and_wrote(tmp_path, capsys):
    from tests.fixtures import PROJECT

    out = tmp_path / "out"
    assert main(["--root", str(PROJECT), "run", "base", "deeper_cut", "--out", str(out), "--no-xlsx"]) == 0
    printed = capsys.readouterr().out.splitlines()
    assert printed[0] == "Ran 2 scenario(s) (base, Deeper cut) for 3 ICBs and England."
    assert printed[1:] == [f"  wrote {out / 'results.csv'}", f"  wrote {out / 'manifest.json'}"]
    results = pd.read_csv(out / "results.csv")
    assert list(results["scenario"].unique()) == ["base", "Deeper cut"] and len(results) == 2 * 4 * 5


def test_show_prints_the_chain_and_the_content_hash(capsys):
    from model.scenario import load_scenario
    from tests.fixtures import PROJECT

    assert main(["--root", str(PROJECT), "show", "deeper_cut"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "# Deeper cut: A 40% cut by 2025/26."
    assert lines[1].startswith("# files: ") and lines[1].endswith("deeper_cut.yaml <- " + str(
        (PROJECT / "assumptions.yaml").resolve()))
    assert lines[2] == f"# content sha256: {load_scenario('deeper_cut', PROJECT).content_hash()}"
    assert "running_cost_cut.path.2025/26 = 0.4 fraction" in lines


HOSTILE = "\x1b[2J\x1b]0;pwned\x07\r"
"""Escape sequences that would clear the terminal, retitle it and overwrite the line."""


def hostile_project(tmp_path: Path) -> Path:
    """A copy of the project whose scenario file and ICB table hold terminal escape sequences in
    the description, a source, a note and an ICB's name."""
    from tests.project_copy import copy_project

    project = copy_project(tmp_path)
    for table in (project / "data" / "icbs.csv", project / "data" / "icbs_2026.csv"):
        table.write_text(table.read_text().replace("NHS Greater Manchester", "NHS Greater\x1b[31m Manchester", 1))
    (project / "scenarios" / "hostile.yaml").write_text(
        f'extends: base\ndescription: "{HOSTILE.encode("unicode_escape").decode()} text\\nsecond line"\n'
        f'baseline:\n  pay_share: {{value: 0.7, source: "\\e[1mbold", status: sourced, note: "\\a\\b"}}\n')
    return project


@pytest.mark.parametrize("command", [
    ["show", "hostile"],
    ["compare", "base", "hostile", "--year", "2026/27", "--icb", "QOP"],
    ["run", "hostile", "--no-xlsx", "--out", "OUT"],
    ["validate", "scenarios/hostile.yaml"],
    ["sensitivity", "hostile", "--metric", "wte_gap", "--year", "2026/27", "--icb", "QOP", "--no-png", "--no-xlsx",
     "--vary", "inflation.pay_award:add:0:0.01", "--out", "OUT"],
])
def test_no_command_sends_escape_sequences_from_files_to_the_terminal(command, tmp_path, capfd, monkeypatch):
    """Text from files (a description, a source, a note, an ICB's name) reaches the terminal with
    its control characters escaped, by every command: no ESC, BEL, CR or backspace is printed."""
    (tmp_path / "project").mkdir()
    project = hostile_project(tmp_path / "project")
    monkeypatch.chdir(project)
    args = [str(tmp_path / "out") if arg == "OUT" else arg for arg in command]
    assert main(["--root", str(project), *args]) == 0
    out, err = capfd.readouterr()
    assert not set("\x1b\x07\x08\r") & set(out + err), (out + err)[:2000]
    if command[0] == "compare":
        assert "NHS Greater\\x1b[31m Manchester" in out
    if command[0] == "show":
        assert "\\x1b[2J\\x1b]0;pwned\\x07\\r text\\nsecond line" in out and "\\x1b[1mbold" in out


@pytest.mark.parametrize("command", [["show", "base"], ["compare", "base", "envelope_2025", "--year", "2026/27"],
                                     ["--help"]])
def test_a_closed_pipe_is_a_normal_end(command):
    """``icb-model show base | head -1``: status 0 and nothing on standard error."""
    import subprocess
    import sys

    proc = subprocess.Popen([sys.executable, "-m", "model.cli", "--root", str(ROOT), *command],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.readline()
    proc.stdout.close()
    status = proc.wait(timeout=120)
    err = proc.stderr.read().decode()
    assert status == 0 and err == "", err


def test_compare_takes_a_scenario_twice_and_scenarios_that_differ(tmp_path, capsys):
    """``compare base base``; scenarios whose horizons or ICBs differ: what both have is compared,
    what only one has is said (a note, or status 2 naming the scenario and what all share)."""
    assert run_cli("compare", "base", "base", "--year", "2025/26") == 0
    out = capsys.readouterr().out
    assert "base (2) - base" in out and "Note:" not in out
    unit = tmp_path / "unit.yaml"
    unit.write_text("extends: base\nname: unit\n")  # the table's column of units has this name
    assert run_cli("compare", "base", str(unit), "--year", "2025/26") == 0
    assert "  unit      base  unit (2)  unit (2) - base" in capsys.readouterr().out
    short = tmp_path / "short.yaml"
    short.write_text("extends: base\nname: short\nhorizon: {end_year: 2027/28}\nicbs: {include: [North West]}\n")
    assert run_cli("compare", "base", str(short), "--year", "2026/27") == 0
    out = capsys.readouterr().out
    assert "Note: the horizons differ: base runs 2022/23 to 2030/31; short runs 2022/23 to 2027/28." in out
    assert "so England's figures add up different ICBs" in out
    for args, words in ((["--year", "2029/30"], "--year: year '2029/30' is not in the results of short"),
                        (["--year", "2026/27", "--icb", "QHM"], "--icb: ICB 'QHM' is not in the results of short"),
                        (["--year", "2026/27", "--icb", "nowhere"], "--icb: ICB 'NOWHERE' is not in the results of "
                                                                    "base")):
        assert run_cli("compare", "base", str(short), *args) == 2
        err = capsys.readouterr().err
        assert err.startswith(f"icb-model: {words}") and err.count("\n") == 1, err
