"""``icb-model montecarlo`` (model/cli/montecarlo.py): files, byte-identical reruns, Ctrl-C and bad options."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from model.analysis import montecarlo, runs
from model.cli import main

ROOT = Path(__file__).resolve().parents[3]


def test_montecarlo_command_is_byte_identical_and_writes_its_files(tmp_path, capsys):
    args = ["--root", str(ROOT), "montecarlo", "base", "--draws", "600", "--seed", "9", "--sobol", "--sobol-base", "64"]
    assert main([*args, "--out", str(tmp_path / "a"), "--chunk-size", "100"]) == 0
    printed = capsys.readouterr().out
    assert "Monte Carlo: funding_gap_gbp, England" in printed and "Sobol indices" in printed
    assert main([*args, "--out", str(tmp_path / "b"), "--workers", "1", "--no-png"]) == 0
    first = (tmp_path / "a" / "montecarlo.csv").read_bytes()
    assert first == (tmp_path / "b" / "montecarlo.csv").read_bytes()
    table = pd.read_csv(tmp_path / "a" / "montecarlo.csv")
    assert {"ENG", "QE1"} <= set(table.icb_code) and set(table.metric) == set(montecarlo.DEFAULT_METRICS)
    for name in ("distributions.csv", "sobol.csv", "fan.html", "montecarlo_manifest.json"):
        assert (tmp_path / "a" / name).is_file(), name
    if (tmp_path / "a" / "fan.png").exists():
        assert (tmp_path / "a" / "fan.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_ctrl_c_leaves_no_files(tmp_path, monkeypatch, capsys):
    calls = []
    real = runs.evaluate_chunk

    def interrupted(*args, **kwargs):
        calls.append(1)
        if len(calls) == 3:
            raise KeyboardInterrupt
        return real(*args, **kwargs)

    monkeypatch.setattr(runs, "evaluate_chunk", interrupted)
    out = tmp_path / "mc"
    status = main(["--root", str(ROOT), "montecarlo", "base", "--draws", "1000", "--chunk-size", "100", "--out",
                   str(out), "--no-png"])
    assert status == 130
    assert "interrupted" in capsys.readouterr().err
    assert not out.exists() or not any(out.iterdir())


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--draws", "0"], "--draws must be a whole number 1 or more"),
        (["--seed", "-4"], "seed must be a whole number 0 or more"),
        (["--metrics", "wte_gap,wte_gapp"], "did you mean 'wte_gap'"),
        (["--chunk-size", "0"], "--chunk-size must be a whole number 1 or more"),
        (["--sobol", "--sobol-base", "100"], "power of two"),
        (["--sobol", "--year", "2040/41"], "--year '2040/41' is not a year of this run"),
    ],
)
def test_bad_montecarlo_input_exits_2(tmp_path, capsys, argv, message):
    status = main(["--root", str(ROOT), "montecarlo", "base", "--draws", "50", "--out", str(tmp_path / "o"),
                   "--no-png", *argv])
    err = capsys.readouterr().err
    assert status == 2 and message in err and "Traceback" not in err
