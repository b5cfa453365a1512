"""Evaluating many draws chunk by chunk (model/analysis/runs.py): neither the chunk size, the threads
nor a Dask cluster changes a bit; a run too big for memory is refused."""

from __future__ import annotations

import io

import numpy as np
import pytest

from model import engine
from model.analysis import montecarlo, runs
from model.analysis.distributions import changes_for, sample
from model.analysis.metrics import cell_metrics
from model.analysis.montecarlo import simulate
from model.engine.changes import OverrideError, apply
from tests.builders import worked_example


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


def test_chunk_size_and_threads_by_default(inputs):
    """About 216,000 sample-ICB-year cells per engine call: 18,000 draws for 3 ICBs over 4 years."""
    assert runs.default_chunk_size(inputs) == 216_000 // (3 * 4) == 18_000
    assert runs.default_chunk_size(worked_example(tuple([1e6] * 42))) == 216_000 // (42 * 4)
    assert 1 <= runs.default_threads() <= 8


def test_a_chosen_chunk_is_at_least_64_draws_or_the_default_chunk_of_a_large_run(inputs):
    """Each engine call has a fixed cost, so a chunk of a few draws only adds time; a run so large
    that its default chunk is under 64 draws may go down to that."""
    assert runs.check_chunk_size(inputs, None) is None and runs.check_chunk_size(inputs, 64) == 64
    with pytest.raises(OverrideError, match=r"must be 64 or more for this scenario; got 63.*the default, 18,000 draws"):
        runs.check_chunk_size(inputs, 63)
    large = worked_example(tuple([1e6] * 900))
    least = runs.default_chunk_size(large)
    assert least == 216_000 // (900 * 4) == 60 and runs.check_chunk_size(large, least) == least
    with pytest.raises(OverrideError, match=f"must be {least} or more"):
        runs.check_chunk_size(large, least - 1)


def test_bad_requests_are_refused_before_any_work(inputs, dists):
    values = sample(dists, 10, seed=1)
    with pytest.raises(OverrideError, match="the chunk size must be 1 or more; got 0"):
        runs.evaluate(inputs, dists, values, ("wte_gap",), 10, chunk_size=0)
    with pytest.raises(OverrideError, match="the number of workers must be 1 or more; got 0"):
        runs.evaluate(inputs, dists, values, ("wte_gap",), 10, workers=0)
    two = inputs.with_values({"baseline.pay_share": np.array([0.7, 0.8])})
    with pytest.raises(OverrideError, match="starts from one deterministic run"):
        runs.evaluate(two, dists, values, ("wte_gap",), 10)
    with pytest.raises(OverrideError, match="more than half of this machine's"):
        runs.memory_check(2**62)
    runs.memory_check(1024)  # a small run passes


def test_a_chunk_is_the_engine_run_with_its_draws(inputs, dists):
    values = {path: v[:5] for path, v in sample(dists, 5, seed=3).items()}
    chunk = runs.evaluate_chunk(inputs, dists, values, ("wte_gap", "allowance_gbp"), 5)
    assert chunk.shape == (2, 4, 4, 5)  # metrics, England and 3 ICBs, years, draws
    changed = apply(inputs, changes_for(dists, values, inputs.labels))
    np.testing.assert_array_equal(chunk, cell_metrics(changed, engine.evaluate(changed), ("wte_gap", "allowance_gbp")))


def test_with_nothing_drawn_one_run_stands_for_every_draw(inputs):
    chunk = runs.evaluate_chunk(inputs, [], {}, ("wte_gap",), 7)
    assert chunk.shape == (1, 4, 4, 7)
    np.testing.assert_array_equal(chunk, np.repeat(chunk[..., :1], 7, axis=-1))
    whole = runs.evaluate(inputs, [], {}, ("wte_gap",), 7, chunk_size=3, workers=2)
    np.testing.assert_array_equal(whole, chunk)


def free_port() -> int:
    """A port on this machine that nothing listens on (bound, then released)."""
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.mark.parametrize(("address", "words"), [
    (lambda: f"tcp://127.0.0.1:{free_port()}", "connection refused"),
    (lambda: "tcp://127.0.0.1:99999", "the port is not a number from 1 to 65535"),
    (lambda: "no-such-host.invalid:8786", "cannot reach a Dask scheduler at no-such-host.invalid:8786"),
    (lambda: "nonsense://x", "cannot reach a Dask scheduler at nonsense://x"),
])
def test_an_unreachable_scheduler_is_said_within_seconds_with_its_address(inputs, dists, address, words):
    import time

    where = address()
    started = time.perf_counter()
    with pytest.raises(OverrideError, match=f"cannot reach a Dask scheduler at {where}") as caught:
        simulate(inputs, dists, 10, seed=1, scheduler=where)
    assert words in str(caught.value) and time.perf_counter() - started < runs.SCHEDULER_TIMEOUT_S + 1


def test_a_listener_that_never_answers_as_a_scheduler_fails_after_the_timeout(inputs, dists):
    """Something accepts the connection and says nothing: Dask gives up after SCHEDULER_TIMEOUT_S."""
    import socket
    import time

    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        where = f"tcp://127.0.0.1:{silent.getsockname()[1]}"
        started = time.perf_counter()
        with pytest.raises(OverrideError, match=f"cannot reach a Dask scheduler at {where}"):
            simulate(inputs, dists, 10, seed=1, scheduler=where)
    assert time.perf_counter() - started < runs.SCHEDULER_TIMEOUT_S + 3
