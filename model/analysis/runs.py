"""Evaluating many draws: chunk by chunk, in threads of this process or on a Dask cluster.

Every chunk is the same pure function of its draws (:func:`evaluate_chunk`), so neither the chunk
size nor where the chunks run can change a figure. Monte Carlo and Sobol runs
(:mod:`model.analysis.montecarlo`, :mod:`model.analysis.sobol`) evaluate their draws here.
"""

from __future__ import annotations

import math
import os
import socket
import threading
from collections import deque
from collections.abc import Callable, Generator, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TYPE_CHECKING, NoReturn

import numpy as np

from model import engine
from model.analysis.distributions import Distribution, changes_for
from model.analysis.heap import keep_freed_memory
from model.analysis.metrics import cell_metrics
from model.arrays import FloatArray
from model.engine.changes import OverrideError, apply
from model.engine.inputs import Inputs

if TYPE_CHECKING:
    from distributed import Client
    from tqdm import tqdm

Chunks = Generator[tuple[tuple[int, int], FloatArray | None], None, None]
"""Chunks as they finish: each one's span of draws, and its figures (None when written in place)."""

CELLS_PER_CHUNK = 216_000
"""Default chunk size, in sample x piece-of-ICB x year cells per engine call (521 draws of the base:
46 pieces over 9 years). Each call costs a few milliseconds of Python however few draws it holds
(applying the draws as changes, the engine's steps, the metrics), so larger chunks share that
out; the arrays (about 1.7 MB each) still come from the kept heap (:mod:`model.analysis.heap`).
On the 2-core test machine (3 December 2026), 10,000 draws of the base took 0.66 s in chunks of
173 draws, 0.43 s of 519, 0.43 s of 692 and 0.47 s of 1,038 (two threads, median of 5); 100,000
draws end to end 11.9 s with 173 and 9.4 s with 519, peak memory 441 to 524 MiB."""


SCHEDULER_TIMEOUT_S = 3
"""How long to wait for a Dask scheduler to answer before saying it cannot be reached."""


def default_chunk_size(inputs: Inputs) -> int:
    """Draws per engine call for a run of this size."""
    return max(1, CELLS_PER_CHUNK // (len(inputs.codes) * len(inputs.labels)))


SMALLEST_CHUNK = 64
"""Fewest draws a chosen chunk may hold (fewer when the default chunk of a large run is smaller):
every engine call costs a few milliseconds however few draws it holds, so smaller chunks only add
time (at one draw a chunk, a Sobol design of a thousand runs took over 6 s more)."""


def check_chunk_size(inputs: Inputs, chunk_size: int | None) -> int | None:
    """``chunk_size`` (None: the default), refused (:class:`OverrideError`) when it is below
    :data:`SMALLEST_CHUNK` draws or the default chunk of this run, whichever is smaller."""
    default = default_chunk_size(inputs)
    least = min(SMALLEST_CHUNK, default)
    if chunk_size is not None and chunk_size < least:
        raise OverrideError(f"must be {least} or more for this scenario; got {chunk_size}. Every engine call costs a "
                            "few milliseconds however few draws it holds, so smaller chunks only add time; leave it "
                            f"out for the default, {default:,} draws.")
    return chunk_size


def evaluate_chunk(
    inputs: Inputs,
    distributions: list[Distribution],
    values: Mapping[str, FloatArray],
    metrics: tuple[str, ...],
    n: int,
    out: FloatArray | None = None,
    footprint: str | None = None,
) -> FloatArray:
    """The metrics for one chunk of ``n`` draws on a footprint (default: the latest): shape
    ``(M, 1 + U, T, n)``, England first.

    ``values`` holds this chunk's draws for every distribution (``(n,)`` each); ``out``, if given,
    receives the figures (a slice of the whole run's array). A pure function of its arguments: it
    runs the same in this process or on a Dask worker.
    """
    changed = apply(inputs, changes_for(distributions, values, inputs.labels)) if distributions else inputs
    evaluated = engine.evaluate(changed)
    if evaluated["allowance_gbp"].shape[-1] != n:  # nothing drawn: one run stands for every draw
        evaluated = {k: np.broadcast_to(a, (*a.shape[:-1], n)) for k, a in evaluated.items()}
    return cell_metrics(changed, evaluated, metrics, out=out, footprint=footprint)


def _chunks(draws: int, size: int) -> list[tuple[int, int]]:
    return [(start, min(start + size, draws)) for start in range(0, draws, size)]


def _progress(total: int, show: bool, desc: str) -> tqdm[NoReturn]:
    import sys

    from tqdm import tqdm

    # The bar moves the cursor, so it goes to the stream under the command line's escaping one.
    stream = getattr(sys.stderr, "unfiltered", sys.stderr)
    return tqdm(total=total, unit="run", desc=desc, disable=not show, delay=0.5, leave=False, dynamic_ncols=True,
                file=stream)


def evaluate(
    inputs: Inputs,
    distributions: list[Distribution],
    values: Mapping[str, FloatArray],
    metrics: tuple[str, ...],
    draws: int,
    chunk_size: int | None = None,
    scheduler: str | None = None,
    workers: int | None = None,
    progress: bool = False,
    label: str = "draws",
    footprint: str | None = None,
) -> FloatArray:
    """All draws' metrics on a footprint, ``(M, 1 + U, T, draws)``, computed chunk by chunk.

    ``scheduler`` is None (this process, with ``workers`` threads: numpy releases the GIL, so
    chunks run side by side), ``"local"`` (a Dask LocalCluster of ``workers`` processes started
    for the run) or the address of a running Dask scheduler. Every chunk is the same pure
    function of its draws, so none of these choices changes the result.
    """
    if inputs.samples != 1:
        raise OverrideError("a Monte Carlo run starts from one deterministic run (one sample)")
    size = int(default_chunk_size(inputs) if chunk_size is None else chunk_size)
    if size < 1:
        raise OverrideError(f"the chunk size must be 1 or more; got {chunk_size}")
    if workers is not None and workers < 1:
        raise OverrideError(f"the number of workers must be 1 or more; got {workers}")
    shape = (len(metrics), 1 + len(inputs.footprint(footprint)), len(inputs.labels), draws)
    memory_check(8 * math.prod(shape))
    keep_freed_memory()  # each chunk's arrays reuse the last one's memory (model/analysis/heap.py)
    result = np.empty(shape)
    spans = _chunks(draws, size)

    def part(start: int, stop: int) -> dict[str, FloatArray]:
        return {path: v[start:stop] for path, v in values.items()}

    def one(span: tuple[int, int]) -> None:
        start, stop = span
        evaluate_chunk(inputs, distributions, part(start, stop), metrics, stop - start, out=result[..., start:stop],
                       footprint=footprint)

    finished: Chunks
    if scheduler is None:
        finished = _threaded(one, spans, workers or default_threads())
    else:
        finished = _dask_chunks(inputs, distributions, part, metrics, spans, scheduler, workers, footprint)
    try:
        with _progress(draws, progress, label) as bar:
            for (start, stop), chunk in finished:
                if chunk is not None:
                    result[..., start:stop] = chunk
                bar.update(stop - start)
    finally:
        finished.close()  # stops the threads or releases the cluster at once, even on Ctrl-C
    return result


def memory_check(needed: int, what: str = "the results of this run",
                 fix: str = "ask for fewer draws or fewer metrics") -> None:
    """Refuse, before it starts, work whose arrays (``needed`` bytes, an estimate) would take more
    than half of this machine's memory, saying ``what`` takes it and how to ``fix`` it."""
    try:
        physical = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (AttributeError, OSError, ValueError):
        return
    if needed > physical // 2:
        raise OverrideError(
            f"{what} would take {needed / 2**30:,.1f} GiB, more than half of this machine's "
            f"{physical / 2**30:,.1f} GiB; {fix}"
        )


def _connect(scheduler: str) -> Client:
    """A Dask client of the scheduler at ``scheduler``, or OverrideError within about
    SCHEDULER_TIMEOUT_S: Dask's own timeout does not cover a listener that accepts the connection
    and never answers, so the client is made in a thread of its own and given up on in time."""
    from distributed import Client

    made: Future[Client] = Future()

    def connect() -> None:
        try:
            made.set_result(Client(scheduler, timeout=f"{SCHEDULER_TIMEOUT_S}s"))
        except BaseException as error:  # noqa: BLE001 - handed to the waiting thread
            made.set_exception(error)

    threading.Thread(target=connect, name="dask-connect", daemon=True).start()
    try:
        return made.result(timeout=SCHEDULER_TIMEOUT_S + 1)
    except Exception as error:  # noqa: BLE001 - whatever answered there, it is no scheduler to use
        why = f"no answer within {SCHEDULER_TIMEOUT_S} s" if isinstance(error, TimeoutError) else \
            " ".join(str(error).split()) or type(error).__name__
        raise OverrideError(f"cannot reach a Dask scheduler at {scheduler} ({why}). Check the address "
                            "(tcp://host:8786) and that the scheduler is running, or leave out --scheduler to "
                            "run here.") from None


def unreachable(address: str) -> str | None:
    """Why nothing answers at a scheduler's ``tcp://`` (or ``tls://``) address, in words, found
    within SCHEDULER_TIMEOUT_S by opening a connection; None when something answers, or when the
    address is of another kind (Dask judges those)."""
    from urllib.parse import urlsplit

    parts = urlsplit(address if "://" in address else f"tcp://{address}")
    if parts.scheme not in ("tcp", "tls") or not parts.hostname:
        return None
    try:
        port = parts.port or 8786
    except ValueError:
        return "the port is not a number from 1 to 65535"
    try:
        socket.create_connection((parts.hostname, port), timeout=SCHEDULER_TIMEOUT_S).close()
    except OSError as error:
        return (error.strerror or str(error) or type(error).__name__).lower()
    return None


def default_threads() -> int:
    """Threads for chunks in this process: one per core, at most 8."""
    return max(1, min(8, os.cpu_count() or 1))


def _threaded(work: Callable[[tuple[int, int]], None], spans: list[tuple[int, int]], threads: int) -> Chunks:
    """Run ``work`` (which writes its chunk in place) on each span in a pool of threads, at most
    two chunks ahead per thread, yielding each span when done, in order. On an interrupt, chunks
    not yet started are cancelled."""
    if threads == 1 or len(spans) == 1:
        for span in spans:
            work(span)
            yield span, None
        return
    pool = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="montecarlo")
    pending: deque[tuple[tuple[int, int], Future[None]]] = deque()
    try:
        queue = iter(spans)
        for span in queue:
            pending.append((span, pool.submit(work, span)))
            if len(pending) >= 2 * threads:
                break
        while pending:
            span, future = pending.popleft()
            result = future.result()
            following = next(queue, None)
            if following is not None:
                pending.append((following, pool.submit(work, following)))
            yield span, result
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _dask_chunks(
    inputs: Inputs,
    distributions: list[Distribution],
    part: Callable[[int, int], dict[str, FloatArray]],
    metrics: tuple[str, ...],
    spans: list[tuple[int, int]],
    scheduler: str,
    workers: int | None,
    footprint: str | None,
) -> Chunks:
    """Run chunks on a Dask cluster and yield them as they finish; always releases the cluster."""
    problem = None if scheduler == "local" else unreachable(scheduler)
    if problem:
        raise OverrideError(f"cannot reach a Dask scheduler at {scheduler}: {problem}. Check the address "
                            "(tcp://host:8786) and that the scheduler is running, or leave out --scheduler to run "
                            "here.")
    import logging

    from distributed import Client, LocalCluster, as_completed

    cluster = None
    if scheduler == "local":
        cluster = LocalCluster(
            n_workers=workers or default_threads(),
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
            silence_logs=logging.ERROR,
        )
        client = Client(cluster)
    else:
        client = _connect(scheduler)
    futures = []
    try:
        shared = client.scatter(inputs, broadcast=True)
        where = {}
        for span in spans:
            future = client.submit(
                evaluate_chunk, shared, distributions, part(*span), metrics, span[1] - span[0], None, footprint,
                pure=False
            )
            where[future.key] = span
            futures.append(future)
        for future in as_completed(futures):
            try:
                chunk = future.result()
            except ImportError as error:
                raise OverrideError(
                    f"a worker of the Dask scheduler at {scheduler} cannot import the model ({error}); install "
                    "this package on every worker (pip install .[batch])"
                ) from None
            yield where[future.key], chunk
    finally:
        for future in futures:
            future.cancel()
        client.close()
        if cluster is not None:
            cluster.close()


