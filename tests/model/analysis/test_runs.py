"""Evaluating many draws chunk by chunk (model/analysis/runs.py): neither the chunk size, the threads
nor a Dask cluster changes a bit; a run too big for memory is refused."""

from __future__ import annotations

import io

import numpy as np
import pytest

from model.analysis import montecarlo
from model.analysis.montecarlo import simulate
from model.engine.changes import OverrideError


def csv_text(run_: montecarlo.MonteCarloRun) -> str:
    buffer = io.StringIO()
    montecarlo.rounded(run_.summary).to_csv(buffer, index=False, lineterminator="\n")
    return buffer.getvalue()


@pytest.mark.parametrize(("chunk_size", "workers"), [(7, 2), (333, 2), (2000, 1), (5000, 2)])
def test_chunk_size_and_threads_do_not_change_a_bit(inputs, dists, run, chunk_size, workers):
    other = simulate(inputs, dists, 2000, seed=1, chunk_size=chunk_size, workers=workers)
    np.testing.assert_array_equal(other.cells, run.cells)
    assert csv_text(other) == csv_text(run)


def test_one_draw_per_chunk_gives_the_same_bits(inputs, dists):
    """Samples of one (where numpy may take other code paths) against one chunk of all draws."""
    one_by_one = simulate(inputs, dists, 150, seed=4, chunk_size=1, workers=1)
    together = simulate(inputs, dists, 150, seed=4, chunk_size=150, workers=1)
    np.testing.assert_array_equal(one_by_one.cells, together.cells)


def test_a_run_too_big_for_memory_is_refused_before_drawing(inputs, dists):
    with pytest.raises(OverrideError, match="more than half of this machine's"):
        simulate(inputs, dists, 10**12, seed=1)


# --- Dask ------------------------------------------------------------------------------------


def test_a_two_worker_local_cluster_gives_identical_results(inputs, dists, run):
    pytest.importorskip("distributed")
    clustered = simulate(inputs, dists, 2000, seed=1, chunk_size=256, scheduler="local", workers=2)
    np.testing.assert_array_equal(clustered.cells, run.cells)
    assert csv_text(clustered) == csv_text(run)
