"""``icb-model dashboard`` (model/cli/dashboard.py), and a command line that never loads Dash for other commands."""

from __future__ import annotations

import os
import subprocess
import sys

from tests.dashboard.shared import ROOT


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
