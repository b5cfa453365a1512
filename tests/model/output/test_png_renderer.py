"""The PNG renderer process (model/output/png_renderer.py): whatever becomes of it (it cannot start,
cannot import matplotlib, is killed, hangs), the HTML is written and the note says why there is no
PNG; and it never outlives its ``with`` block."""

from __future__ import annotations

import os
import signal
import sys

import pytest

from model.output import charts
from model.output.png_renderer import PngRenderer, RendererError
from tests.model.output.test_charts import FOOTER, summary


def fan():
    return charts.fan_figure(summary(), "funding_gap_gbp", "ENG", "England", [-4e6, -6e6], FOOTER)


def gone(pid: int) -> bool:
    """No such process (it exited and was reaped)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


def exported_with(renderer: PngRenderer, tmp_path) -> charts.Exported:
    exported = charts.export([(fan(), tmp_path / "fan")], png=True, renderer=renderer)
    assert [w.path.name for w in exported.written][:1] == ["fan.html"] and (tmp_path / "fan.html").is_file()
    return exported


def test_a_renderer_gives_the_png_and_is_gone_after_its_block(tmp_path):
    with PngRenderer() as renderer:
        exported = exported_with(renderer, tmp_path)
        pid = renderer.pid
    assert [w.path.name for w in exported.written] == ["fan.html", "fan.png"] and exported.png_problem is None
    assert pid is not None and gone(pid) and renderer.pid is None


def test_a_renderer_runs_at_the_niceness_asked_for(tmp_path):
    with PngRenderer(niceness=5) as renderer:
        assert exported_with(renderer, tmp_path).png_problem is None  # it has started and drawn
        assert renderer.pid is not None
        assert os.getpriority(os.PRIO_PROCESS, renderer.pid) == os.getpriority(os.PRIO_PROCESS, 0) + 5


def test_a_renderer_is_killed_when_its_block_ends_in_an_error():
    with pytest.raises(KeyboardInterrupt), PngRenderer() as renderer:
        pid = renderer.pid
        raise KeyboardInterrupt
    assert pid is not None and gone(pid)


def test_a_renderer_that_dies_leaves_the_html_and_says_so(tmp_path):
    with PngRenderer() as renderer:
        assert renderer.pid is not None
        os.kill(renderer.pid, signal.SIGKILL)
        exported = exported_with(renderer, tmp_path)
    assert [w.path.name for w in exported.written] == ["fan.html"]
    assert exported.png_problem is not None and "the PNG renderer stopped" in exported.png_problem
    assert not (tmp_path / "fan.png").exists()


def test_a_renderer_that_hangs_is_waited_for_a_bounded_time_then_killed(tmp_path):
    with PngRenderer(within=0.5) as renderer:
        pid = renderer.pid
        assert pid is not None
        os.kill(pid, signal.SIGSTOP)
        exported = exported_with(renderer, tmp_path)
        assert gone(pid)  # killed at once, not at the end of the block
    assert exported.png_problem is not None and "gave no answer within 0.5 s" in exported.png_problem


def test_without_matplotlib_the_renderer_says_why(tmp_path, monkeypatch):
    fake = tmp_path / "lib" / "matplotlib"
    fake.mkdir(parents=True)
    (fake / "__init__.py").write_text("raise ImportError('no matplotlib here')\n")
    monkeypatch.setenv("PYTHONPATH", str(fake.parent))
    with PngRenderer() as renderer:
        exported = exported_with(renderer, tmp_path)
    assert exported.png_problem is not None
    assert "the PNG renderer cannot draw (ImportError: no matplotlib here)" in exported.png_problem


def test_a_renderer_that_cannot_start_leaves_the_html_and_says_why(tmp_path, monkeypatch):
    monkeypatch.setattr(sys, "executable", str(tmp_path / "no-python"))
    with PngRenderer() as renderer:
        assert renderer.pid is None
        exported = exported_with(renderer, tmp_path)
    assert exported.png_problem is not None and "the PNG renderer could not start" in exported.png_problem


def test_a_closed_renderer_draws_nothing():
    renderer = PngRenderer()
    renderer.close()
    with pytest.raises(RendererError, match="closed"):
        next(renderer.pngs([fan()]))
