"""The ``icb-model`` entry point (model/cli/__init__.py): ``main`` and ``build_parser``."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


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


def test_validating_every_shipped_scenario_imports_no_numpy_or_pandas():
    """Checking files is reading YAML and CSV: a fresh process that validates every shipped
    scenario (with the base's uncertainty block and organisation changes) loads neither numpy nor
    pandas (each would add a fifth to a third of validate's time)."""
    scenarios = sorted(str(path) for path in (ROOT / "scenarios").glob("*.yaml"))
    code = (
        "import sys; from model.cli import main; status = main(sys.argv[1:]); "
        "heavy = sorted(m for m in ('numpy', 'pandas') if m in sys.modules); "
        "assert not heavy, f'imported {heavy}'; sys.exit(status)"
    )
    proc = subprocess.run([sys.executable, "-c", code, "--root", str(ROOT), "validate",
                           str(ROOT / "assumptions.yaml"), *scenarios], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert f"{len(scenarios) + 1} file(s) valid" in proc.stdout


def test_the_console_script_ends_with_mains_status_and_every_line_it_printed(tmp_path):
    """``icb-model`` (``model.cli.script``) ends the process without the interpreter's clean-up:
    what a command prints (here about 30 KB, through a pipe) arrives whole and in order, as from
    ``main`` in a process that exits as usual, with the same status, and the files it wrote are
    complete; a failure keeps its status and message."""
    usual = "import sys; from model.cli import main; sys.exit(main())"

    def both(*args: str) -> tuple[subprocess.CompletedProcess[str], subprocess.CompletedProcess[str]]:
        return tuple(subprocess.run([sys.executable, *how, "--root", str(ROOT), *args], capture_output=True,
                                    text=True, timeout=120) for how in (["-m", "model.cli"], ["-c", usual]))

    script, plain = both("show", "base")
    assert script.returncode == plain.returncode == 0 and len(script.stdout) > 20_000
    assert (script.stdout, script.stderr) == (plain.stdout, plain.stderr)
    script, plain = both("validate", str(tmp_path / "nowhere.yaml"))
    assert script.returncode == plain.returncode == 2 and script.stderr == plain.stderr and "nowhere" in script.stderr
    script, plain = both("run", "base", "--out", str(tmp_path / "out"), "--no-xlsx")
    assert script.returncode == 0 and (tmp_path / "out" / "results.csv").read_bytes().endswith(b"\n")
    assert script.stdout.replace(str(tmp_path / "out"), "") == plain.stdout.replace(str(tmp_path / "out"), "")


def test_the_parser_has_every_command_and_a_root_option():
    from model.cli import build_parser

    parser = build_parser()
    args = parser.parse_args(["--root", "somewhere", "compare", "base", "envelope_2025", "--year", "2025/26"])
    assert (args.command, args.scenarios, args.year, args.icb) == ("compare", ["base", "envelope_2025"], "2025/26",
                                                                   "ENG")
    assert str(args.root) == "somewhere"
    sub = next(a for a in parser._actions if a.dest == "command")
    assert list(sub.choices) == ["run", "compare", "validate", "show", "sensitivity", "grid", "montecarlo",
                                 "workbook", "briefing", "dashboard"]


def test_main_finds_the_project_from_the_current_folder(tmp_path, monkeypatch, capsys):
    from model.cli import main

    monkeypatch.chdir(ROOT / "scenarios")
    assert main(["validate", "envelope_2025.yaml"]) == 0
    assert capsys.readouterr().out == "1 file(s) valid.\n"
