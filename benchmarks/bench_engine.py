"""Benchmark: the engine against the numpy bound on the same arrays.

One chunk of Monte Carlo draws of the base scenario (the default chunk size) goes through the engine
and the metrics Monte Carlo summarises (``model.engine.evaluate`` then
``model.analysis.metrics.cell_metrics``), as ``model.analysis.runs`` runs it. The *numpy bound* is
the time numpy needs for the arithmetic of that evaluation and nothing else: every ufunc the
engine calls (``*``, ``+``, ``np.maximum``, ``np.where``'s selection...) on anything computed from
the drawn parameters is recorded once with its operands' shapes, then replayed in a tight loop on
arrays of those shapes, a few reused arrays per shape for operands and one for results, made
beforehand and so kept in the processor's cache as far as they fit. What the bound leaves out is
the engine's overhead: Python between operations, new arrays for results, copies, gathers,
scatters (``np.add.at``) and reshapes. The engine's share of the bound (bound time / engine
time) says how much of its time is arithmetic; issue 13 asks for half or more.

The recording follows the drawn parameters through every array made from them: numpy's
``asarray``, ``ascontiguousarray`` and ``array`` return plain arrays even from a traced one, so
while recording they are wrapped to keep the trace (until 3 December 2026 they were not, and
the bound missed the 140 operations on anything that had passed through one of them: every
series read by ``model.engine.layout.national``, and every formula of ``model.engine.fused``).

    .venv/bin/python benchmarks/bench_engine.py [--draws N] [--repeats 30] [--tree DIR] [--heap kept|default]

Also prints the engine for one deterministic run (one sample: all overhead) and the draws per
second of a whole chunk. ``--tree`` times another checkout's engine (for before and after).
``--heap kept`` (the default) keeps freed memory for the next chunk as the batch commands do
(``model/analysis/heap.py``); ``--heap default`` leaves glibc's defaults, under which each chunk
maps its arrays afresh.
Timings are the best of ``--repeats`` (CPU time of this process, which other work on a shared
machine disturbs less than wall time).
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class Call:
    """One recorded ufunc call: the function, the method (``__call__``, ``reduce``...), the
    operands (shapes and dtypes of arrays, or the scalars themselves) and keyword arguments."""

    ufunc: np.ufunc
    method: str
    operands: tuple[Any, ...]
    kwargs: dict[str, Any]


def record(evaluate: Callable[[], object], arrays: dict[str, np.ndarray]) -> list[Call]:
    """The ufunc calls ``evaluate`` makes on anything computed from ``arrays`` (made tracers)."""
    calls: list[Call] = []

    class Traced(np.ndarray):
        def __array_ufunc__(self, ufunc: np.ufunc, method: str, *inputs: Any, **kwargs: Any) -> Any:
            plain = [x.view(np.ndarray) if isinstance(x, Traced) else x for x in inputs]
            if "out" in kwargs:
                kwargs["out"] = tuple(o.view(np.ndarray) if isinstance(o, Traced) else o for o in kwargs["out"])
            result = getattr(ufunc, method)(*plain, **kwargs)
            if method in ("__call__", "reduce", "accumulate"):
                shapes = tuple(("array", x.shape, x.dtype) if isinstance(x, np.ndarray) else x for x in plain)
                extra = {k: v for k, v in kwargs.items() if k in ("axis", "keepdims", "where") and not
                         isinstance(v, np.ndarray)}
                calls.append(Call(ufunc, method, shapes, extra))
            return result.view(Traced) if isinstance(result, np.ndarray) else result

        def __array_function__(self, func: Any, types: Any, args: Any, kwargs: Any) -> Any:
            def plain(x: Any) -> Any:
                if isinstance(x, Traced):
                    return x.view(np.ndarray)
                return type(x)(plain(y) for y in x) if isinstance(x, (list, tuple)) else x

            result = func(*plain(args), **{k: plain(v) for k, v in kwargs.items()})
            if func is np.where and len(args) == 3:  # a selection is arithmetic too: replay it as one
                shapes = tuple(("array", np.shape(x), np.asarray(x).dtype) for x in plain(args))
                calls.append(Call(np.where, "where", shapes, {}))
            return result.view(Traced) if isinstance(result, np.ndarray) else result

    def traced(make: Callable[..., Any]) -> Callable[..., Any]:
        def keep(a: Any, *args: Any, **kwargs: Any) -> Any:
            result = make(a, *args, **kwargs)
            return result.view(Traced) if isinstance(a, Traced) and isinstance(result, np.ndarray) else result
        return keep

    plain_makers = {name: getattr(np, name) for name in ("asarray", "ascontiguousarray", "array")}
    for name, value in list(arrays.items()):
        arrays[name] = value.view(Traced)
    for name, make in plain_makers.items():
        setattr(np, name, traced(make))
    try:
        evaluate()
    finally:
        for name, make in plain_makers.items():
            setattr(np, name, make)
    return calls


def replay(calls: list[Call]) -> Callable[[], None]:
    """A function doing the recorded calls on fresh arrays of the same shapes (a few per shape,
    reused as the engine's would be), each result into the one array of its shape made beforehand
    for results (a target apart from the operands, so that no value drifts to overflow or
    subnormals as the calls repeat)."""
    rng = np.random.default_rng(0)
    pool: dict[tuple[tuple[int, ...], str], list[np.ndarray]] = {}
    targets: dict[tuple[tuple[int, ...], str], np.ndarray] = {}

    def array(shape: tuple[int, ...], dtype: np.dtype) -> np.ndarray:
        made = pool.setdefault((shape, str(dtype)), [])
        if len(made) < 3:
            made.append(rng.uniform(1.0, 2.0, size=shape).astype(dtype))
        made.append(made.pop(0))
        return made[-1]

    steps: list[Callable[[], object]] = []
    for call in calls:
        operands = [array(x[1], x[2]) if isinstance(x, tuple) and x and x[0] == "array" else x for x in call.operands]
        if call.method == "where":
            condition, *values = operands
            mask = condition > 1.5 if condition.dtype != bool else condition
            shape = np.broadcast_shapes(*(np.shape(v) for v in operands))
            out = targets.setdefault((shape, "float64"), np.empty(shape))
            steps.append(lambda m=mask, v=values, o=out: np.copyto(o, v[1]) or np.copyto(o, v[0], where=m))
            continue
        method = getattr(call.ufunc, call.method) if call.method != "__call__" else call.ufunc
        result = method(*operands, **call.kwargs)
        if isinstance(result, np.ndarray) and result.ndim:
            target = targets.setdefault((result.shape, str(result.dtype)), np.empty_like(result))
            steps.append(lambda f=method, a=operands, k=call.kwargs, o=target: f(*a, out=o, **k))
        else:
            steps.append(lambda f=method, a=operands, k=call.kwargs: f(*a, **k))

    def run() -> None:
        for step in steps:
            step()

    return run


def best(work: Callable[[], object], repeats: int) -> float:
    """The least CPU time of ``repeats`` runs of ``work``, seconds."""
    times = []
    for _ in range(repeats):
        started = time.process_time()
        work()
        times.append(time.process_time() - started)
    return min(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--draws", type=int, default=None, help="draws in the chunk (default: the default chunk)")
    parser.add_argument("--repeats", type=int, default=30)
    parser.add_argument("--tree", type=Path, default=ROOT, help="the project checkout whose engine to time")
    parser.add_argument("--heap", choices=("kept", "default"), default="kept",
                        help="keep freed memory for the next chunk, as the batch commands do (default), or not")
    args = parser.parse_args()
    sys.path.insert(0, str(args.tree.resolve()))
    if args.heap == "kept":
        from model.analysis.heap import keep_freed_memory

        keep_freed_memory()
    from model import engine
    from model.analysis import metrics, montecarlo, runs
    from model.analysis.distributions import changes_for, sample
    from model.analysis.distributions import from_scenario as distributions_of
    from model.engine.changes import apply
    from model.engine.inputs import from_scenario
    from model.scenario import load_scenario

    scenario = load_scenario("base", args.tree)
    inputs = from_scenario(scenario)
    distributions = distributions_of(scenario)
    n = args.draws or runs.default_chunk_size(inputs)
    changed = apply(inputs, changes_for(distributions, sample(distributions, n, 1), inputs.labels))
    chosen = montecarlo.DEFAULT_METRICS
    cells = len(inputs.codes) * len(inputs.labels) * n

    def chunk() -> object:
        return metrics.cell_metrics(changed, engine.evaluate(changed), chosen)

    engine_seconds = best(chunk, args.repeats)
    one_run = best(lambda: engine.run(inputs), args.repeats)
    values = dict(changed.values)
    traced = replace(changed, values=values)
    calls = record(lambda: metrics.cell_metrics(traced, engine.evaluate(traced), chosen), values)
    bound_seconds = best(replay(calls), args.repeats)
    share = bound_seconds / engine_seconds
    print(f"{args.tree}: base scenario, {len(inputs.codes)} atoms x {len(inputs.labels)} years x {n} draws "
          f"= {cells:,} cells a chunk, {len(chosen)} metrics, heap {args.heap}")
    print(f"  engine and metrics, one chunk          {engine_seconds * 1e3:8.2f} ms  "
          f"({n / engine_seconds:,.0f} draws/s, {cells / engine_seconds / 1e6:.1f} M cells/s)")
    print(f"  numpy bound: its {len(calls)} array operations alone {bound_seconds * 1e3:8.2f} ms")
    print(f"  engine at {share:.0%} of the numpy bound (target: half or more: "
          f"{'met' if share >= 0.5 else 'NOT met'})")
    print(f"  one deterministic run (one sample)     {one_run * 1e3:8.2f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
