"""What every command shares (model/cli/common.py): exit statuses and messages for each kind of
failure, and finding the project folder."""

from __future__ import annotations

import argparse
import io
import sys
from pathlib import Path

import pytest

from model.cli.common import DEBUG_ENV, EXIT_FAILED, EXIT_INVALID, EXIT_OK, UsageError, find_root, guarded
from model.scenario import Issue, ScenarioError


def raising(error: BaseException):
    def command(args: argparse.Namespace) -> int:
        raise error

    return command


def test_statuses():
    assert (EXIT_OK, EXIT_FAILED, EXIT_INVALID) == (0, 1, 2)
    assert guarded(lambda args: EXIT_OK, argparse.Namespace()) == 0


def test_scenario_problems_are_listed_one_per_line_with_status_2(capsys):
    issues = [Issue("s.yaml", 3, "baseline.pay_share", "too big."), Issue("s.yaml", 5, "nonpay", "missing.")]
    assert guarded(raising(ScenarioError(issues)), argparse.Namespace()) == 2
    assert capsys.readouterr().err == "s.yaml:3, baseline.pay_share | too big.\ns.yaml:5, nonpay | missing.\n"


def test_a_bad_option_is_status_2(capsys):
    assert guarded(raising(UsageError("--draws must be a whole number 1 or more; got 0")), argparse.Namespace()) == 2
    assert capsys.readouterr().err == "icb-model: --draws must be a whole number 1 or more; got 0\n"


def test_a_file_that_cannot_be_written_is_status_1(capsys):
    error = PermissionError(13, "Permission denied", "/results/results.csv")
    assert guarded(raising(error), argparse.Namespace()) == 1
    assert capsys.readouterr().err == "icb-model: Permission denied: /results/results.csv\n"


def test_an_interrupt_is_status_130(capsys):
    assert guarded(raising(KeyboardInterrupt()), argparse.Namespace()) == 130
    assert capsys.readouterr().err == "icb-model: interrupted; no partial files were left.\n"


def test_a_bug_is_one_line_and_status_1_unless_debugging(capsys, monkeypatch):
    monkeypatch.delenv(DEBUG_ENV, raising=False)
    assert guarded(raising(ZeroDivisionError("division by zero\n\x1b[31m")), argparse.Namespace()) == 1
    err = capsys.readouterr().err
    assert err.startswith("icb-model: internal error (ZeroDivisionError: division by zero\\n\\x1b[31m). This is a "
                          "bug in the model, not a problem with your files")
    assert err.count("\n") == 1 and f"set {DEBUG_ENV}=1" in err and "Traceback" not in err
    monkeypatch.setenv(DEBUG_ENV, "1")
    with pytest.raises(ZeroDivisionError):
        guarded(raising(ZeroDivisionError("boom")), argparse.Namespace())


def test_find_root_walks_up_to_assumptions_yaml(tmp_path):
    (tmp_path / "assumptions.yaml").write_text("name: base\n")
    (tmp_path / "scenarios" / "more").mkdir(parents=True)
    assert find_root(tmp_path / "scenarios" / "more") == tmp_path.resolve()
    assert (find_root(Path("/")) / "assumptions.yaml").is_file()  # nothing above: the installed project


def test_terminal_text_escapes_every_control_character_but_the_line_break():
    from model.cli.common import terminal_text

    assert terminal_text("plain £ text\nnext line") == "plain £ text\nnext line"
    assert terminal_text("\x1b[2Jclear\x1b]0;title\x07\rover\ttab\x00\u202e") == \
        "\\x1b[2Jclear\\x1b]0;title\\x07\\rover\\ttab\\x00\\u202e"


class ClosedPipe(io.StringIO):
    """A stream whose reader has gone: every write and flush raises BrokenPipeError."""

    def write(self, text: str) -> int:
        raise BrokenPipeError(32, "Broken pipe")

    def flush(self) -> None:
        raise BrokenPipeError(32, "Broken pipe")


def test_a_closed_pipe_ends_the_output_quietly_and_the_command_goes_on():
    from model.cli.common import TerminalStream

    stream = TerminalStream(ClosedPipe())
    assert stream.write("first line\n") == len("first line\n")
    stream.flush()
    assert stream.pipe_closed and stream.write("dropped") == len("dropped")


def test_terminal_streams_escape_what_a_command_prints_and_restore_the_streams(capsys):
    from model.cli.common import terminal_streams

    before = sys.stdout, sys.stderr
    with terminal_streams():
        print("name \x1b[31mred\x1b[0m")
        print("\x1b]0;title\x07", file=sys.stderr)
    assert (sys.stdout, sys.stderr) == before
    out, err = capsys.readouterr()
    assert out == "name \\x1b[31mred\\x1b[0m\n" and err == "\\x1b]0;title\\x07\n"
