"""``icb-model dashboard`` (model/cli/dashboard.py), and a command line that never loads Dash for other commands."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]


def test_the_run_command_never_imports_dash_or_plotly_and_dashboard_is_a_command(tmp_path):
    code = (
        "import sys\n"
        "from model import cli\n"
        f"status = cli.main(['--root', {str(ROOT)!r}, 'run', 'base', '--out', {str(tmp_path)!r}, '--no-xlsx'])\n"
        "heavy = sorted(m for m in ('dash', 'plotly') if m in sys.modules)\n"
        "print(status, heavy)\n"
        "help_text = cli.build_parser().format_help()\n"
        "print('dashboard' in help_text)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT,
                          env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-2:] == ["0 []", "True"]


def test_dashboard_command_defaults_to_localhost_8050():
    from model import cli

    args = cli.build_parser().parse_args(["dashboard"])
    assert (args.host, args.port) == ("127.0.0.1", 8050)
    args = cli.build_parser().parse_args(["dashboard", "--host", "0.0.0.0", "--port", "9000"])
    assert (args.host, args.port) == ("0.0.0.0", 9000)


@pytest.mark.parametrize(("port", "message"), [("http", "'http' is not a port number"),
                                               ("70000", "70000 is not a port number (1 to 65535)"),
                                               ("0", "0 is not a port number (1 to 65535)")])
def test_a_bad_port_is_refused_by_the_parser(port, message, capsys):
    from model import cli

    with pytest.raises(SystemExit) as caught:
        cli.build_parser().parse_args(["dashboard", "--port", port])
    assert caught.value.code == 2 and message in capsys.readouterr().err


def test_the_command_serves_the_project_it_was_given(monkeypatch, tmp_path):
    import dashboard.app
    from model import cli

    served = []
    monkeypatch.setattr(dashboard.app, "serve", lambda host, port, root: served.append((host, port, root)))
    assert cli.main(["--root", str(ROOT), "dashboard", "--port", "8123"]) == 0
    assert served == [("127.0.0.1", 8123, ROOT)]
