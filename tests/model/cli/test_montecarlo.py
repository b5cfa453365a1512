"""``icb-model montecarlo`` (model/cli/montecarlo.py): files, byte-identical reruns, Ctrl-C and bad options."""

from __future__ import annotations

import os
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
        (["--chunk-size", "63", "--sobol"], "--chunk-size must be 64 or more for this scenario; got 63"),
        (["--sobol", "--sobol-base", "100"], "power of two"),
        (["--sobol", "--year", "2040/41"], "--year '2040/41' is not a year of this run"),
    ],
)
def test_bad_montecarlo_input_exits_2(tmp_path, capsys, argv, message):
    status = main(["--root", str(ROOT), "montecarlo", "base", "--draws", "50", "--out", str(tmp_path / "o"),
                   "--no-png", *argv])
    err = capsys.readouterr().err
    assert status == 2 and message in err and "Traceback" not in err


def test_each_file_is_in_the_manifest_as_written(tmp_path, capsys):
    """The fixture project's base (three ICBs, two uncertain parameters) with every draw saved."""
    import hashlib
    import json

    from tests.fixtures import PROJECT

    out = tmp_path / "mc"
    assert main(["--root", str(PROJECT), "montecarlo", "base", "--draws", "40", "--seed", "3", "--metrics",
                 "wte_gap", "--save-draws", "--no-progress", "--out", str(out), "--no-png"]) == 0
    record = json.loads((out / "montecarlo_manifest.json").read_text())
    assert set(record["files"]) == {"montecarlo.csv", "distributions.csv", "draws.csv", "fan.html"}
    for name, entry in record["files"].items():
        assert entry["sha256"] == hashlib.sha256((out / name).read_bytes()).hexdigest(), name
    assert (record["draws"], record["seed"]) == (40, 3)
    assert record["metrics"] == ["wte_gap", "funding_gap_gbp"]  # the chart's metric and P(shortfall) join
    draws = pd.read_csv(out / "draws.csv")
    assert list(draws.columns) == ["draw", "inflation.pay_award", "running_cost_cut.path.2025/26"] and len(draws) == 40
    table = pd.read_csv(out / "montecarlo.csv")
    assert set(table["seed"]) == {3} and set(table["metric"]) == {"wte_gap", "funding_gap_gbp"}
    assert "P(funding gap < 0)" in capsys.readouterr().out


def test_more_bad_options(tmp_path, capsys):
    from tests.fixtures import PROJECT

    assert main(["--root", str(ROOT), "montecarlo", "base", "--workers", "0", "--out", str(tmp_path)]) == 2
    assert "--workers must be a whole number 1 or more; got 0" in capsys.readouterr().err
    no_block = tmp_path / "plain.yaml"
    no_block.write_text(f"extends: {PROJECT.resolve() / 'assumptions.yaml'}\nuncertainty: null\n")
    assert main(["--root", str(PROJECT), "montecarlo", str(no_block), "--out", str(tmp_path / "o")]) == 2
    assert "has an empty uncertainty block: nothing to draw" in capsys.readouterr().err


def test_a_sobol_design_that_cannot_fit_is_refused_before_any_draw(tmp_path, capsys, monkeypatch):
    """``--sobol-base 2**34`` asked for terabytes (MemoryError after the whole Monte Carlo): now
    status 2 at once, with the estimate."""
    import time

    def never(*args, **kwargs):
        raise AssertionError("the Monte Carlo ran before the Sobol design was checked")

    monkeypatch.setattr(montecarlo, "simulate", never)
    started = time.perf_counter()
    status = main(["--root", str(ROOT), "montecarlo", "base", "--draws", "100", "--sobol", "--sobol-base",
                   str(2**34), "--out", str(tmp_path / "out"), "--no-png"])
    err = capsys.readouterr().err
    assert status == 2 and time.perf_counter() - started < 10
    assert err.startswith("icb-model: --sobol-base a Sobol design of base 17,179,869,184 (") and " GiB, more than " \
        "half of this machine's" in err and "give a smaller --sobol-base" in err


def test_the_png_is_drawn_in_a_renderer_process_that_ends_with_the_command(tmp_path, monkeypatch, capsys):
    from model.output import png_renderer

    started: list[png_renderer.PngRenderer] = []

    class Recorded(png_renderer.PngRenderer):
        def __init__(self, niceness: int = 0) -> None:
            super().__init__(niceness=niceness)
            started.append(self)
            self.first_pid, self.niceness = self.pid, niceness

    monkeypatch.setattr(png_renderer, "PngRenderer", Recorded)
    out = tmp_path / "mc"
    assert main(["--root", str(ROOT), "montecarlo", "base", "--draws", "50", "--no-progress", "--out", str(out)]) == 0
    assert (out / "fan.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and "note:" not in capsys.readouterr().err
    (renderer,) = started
    assert renderer.niceness == png_renderer.BEHIND_THREADS  # the Monte Carlo's threads come first
    with pytest.raises(ProcessLookupError):  # reaped, not left behind
        os.kill(renderer.first_pid, 0)


def test_no_png_starts_no_renderer_process(tmp_path, monkeypatch):
    from model.output import png_renderer

    def refused(*args: object, **kwargs: object) -> None:
        raise AssertionError("a PNG renderer was started with --no-png")

    monkeypatch.setattr(png_renderer, "PngRenderer", refused)
    out = tmp_path / "mc"
    assert main(["--root", str(ROOT), "montecarlo", "base", "--draws", "50", "--no-progress", "--out", str(out),
                 "--no-png"]) == 0
    assert (out / "fan.html").is_file() and not (out / "fan.png").exists()
