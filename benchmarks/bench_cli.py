"""Benchmark: the command line, end to end, each command in a fresh process (cold imports).

Prints, for each command, the median wall time over ``--repeat`` runs and the largest peak
resident memory of the process (``ru_maxrss`` from ``os.wait4``), against issue 13's targets:

- ``icb-model --help``: under 0.2 s;
- ``icb-model validate assumptions.yaml scenarios/*.yaml``: under 0.5 s;
- ``icb-model run assumptions.yaml scenarios/*.yaml --out DIR`` (results.csv, results.xlsx,
  manifest.json): under 1.5 s;
- the README's sensitivity example (tornado table, XLSX, HTML and PNG chart);
- ``icb-model montecarlo base --draws 10000`` with its default outputs (table, fan chart as HTML
  and PNG): under 2 s;
- ``icb-model montecarlo base --draws 100000 --no-png``: under 10 s and 1 GB.

    .venv/bin/python benchmarks/bench_cli.py [--repeat 3] [--only run,validate] [--tree DIR]

``--tree DIR`` times another checkout of the project (an export of an older commit, say, for
before-and-after figures in one session) with this virtual environment: commands run in DIR with
DIR first on ``PYTHONPATH``, so its ``model`` package is the one imported. Outputs go to a
temporary folder that is removed afterwards. Timings on a shared machine vary
by a tenth or so from run to run; the median of a few runs is what the docs quote.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CLI = (sys.executable, "-m", "model.cli")
"""How each command is run: what the ``icb-model`` script runs, in whichever checkout ``--tree`` names
(its own ``model/cli/__main__.py``)."""


@dataclass(frozen=True)
class Case:
    """One command to time: a key for ``--only``, what it is, its arguments (``{out}`` is a fresh
    output folder), runs by default, and its targets (seconds, MiB; None: none)."""

    key: str
    what: str
    args: tuple[str, ...]
    runs: int
    seconds: float | None = None
    mib: float | None = None


def _cases(tree: Path) -> list[Case]:
    scenarios = tuple(str(p.relative_to(tree)) for p in sorted((tree / "scenarios").glob("*.yaml")))
    every = ("assumptions.yaml", *scenarios)
    sens = ("sensitivity", "base", "--metric", "wte_gap", "--year", "2025/26",
            "--vary", "inflation.pay_award:add:-0.01:0.01", "--vary", "running_cost_cut.path.2025/26:set:0.2:0.4",
            "--out", "{out}")
    return [
        Case("help", "icb-model --help", ("--help",), 5, 0.2),
        Case("validate", f"validate, {len(every)} files", ("validate", *every), 5, 0.5),
        Case("run", f"run, {len(every)} scenarios (csv, xlsx, manifest)", ("run", *every, "--out", "{out}"), 3, 1.5),
        Case("run-no-xlsx", f"run, {len(every)} scenarios, --no-xlsx", ("run", *every, "--out", "{out}", "--no-xlsx"),
             3),
        Case("sensitivity", "sensitivity, README example (csv, xlsx, html, png)", sens, 3),
        Case("mc10k", "montecarlo base, 10,000 draws (csv, html, png)",
             ("montecarlo", "base", "--draws", "10000", "--no-progress", "--out", "{out}"), 3, 2.0),
        Case("mc100k", "montecarlo base, 100,000 draws, --no-png",
             ("montecarlo", "base", "--draws", "100000", "--no-progress", "--no-png", "--out", "{out}"), 1, 10.0,
             1000.0),
    ]


def timed(args: list[str], tree: Path) -> tuple[float, float, int]:
    """Run ``python -m model.cli ARGS`` in the project folder ``tree``, importing its ``model``: (wall seconds,
    peak resident MiB, exit status)."""
    env = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPATH"] = str(tree)
    started = time.perf_counter()
    process = subprocess.Popen([*CLI, *args], cwd=tree, env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.stderr is not None:
        error = process.stderr.read().decode(errors="replace").strip()
        process.stderr.close()
        if process.returncode:
            print(error, file=sys.stderr)
    return seconds, usage.ru_maxrss / 1024, process.returncode


def _verdict(value: float, target: float | None, unit: str) -> str:
    if target is None:
        return ""
    return f"target < {target:g} {unit}: {'met' if value < target else 'NOT met'}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=None, help="runs per command (default: each command's own)")
    parser.add_argument("--only", default=None, help="comma-separated keys: " + ", ".join(c.key for c in _cases(ROOT)))
    parser.add_argument("--tree", type=Path, default=ROOT, help="the project checkout to time (default: this one)")
    options = parser.parse_args()
    tree = options.tree.resolve()
    chosen = [c for c in _cases(tree) if options.only is None or c.key in options.only.split(",")]
    print(f"{tree}: Python {sys.version.split()[0]}, {os.cpu_count()} CPUs, load average "
          f"{os.getloadavg()[0]:.1f} at the start")
    print(f"{'command':<58} {'median':>8} {'peak':>9}  runs")
    failed = False
    with tempfile.TemporaryDirectory(prefix="bench_cli_") as tmp:
        for n, case in enumerate(chosen):
            times, peaks = [], []
            timed([a.replace("{out}", str(Path(tmp) / f"{n}_warm")) for a in case.args], tree)
            for k in range(options.repeat or case.runs):
                out = Path(tmp) / f"{n}_{k}"
                seconds, mib, status = timed([a.replace("{out}", str(out)) for a in case.args], tree)
                failed |= status != 0
                times.append(seconds)
                peaks.append(mib)
            median, peak = statistics.median(times), max(peaks)
            notes = "; ".join(v for v in (_verdict(median, case.seconds, "s"), _verdict(peak, case.mib, "MiB")) if v)
            print(f"{case.what:<58} {median:>6.3f} s {peak:>5.0f} MiB  {len(times)}  {notes}", flush=True)
    print(f"load average {os.getloadavg()[0]:.1f} at the end")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
