"""``icb-model montecarlo``: Monte Carlo over a scenario's uncertainty block, with optional Sobol
indices. Light to import: :func:`add_commands` only declares options.

The command checks its options, draws and summarises with :mod:`model.analysis.montecarlo` (and
:mod:`model.analysis.sobol`), prints a summary and writes montecarlo.csv, distributions.csv,
sobol.csv (``--sobol``), draws.csv (``--save-draws``), the fan chart and a manifest.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

from model.cli.batch import RunFolder, drawing_pngs, footer, option, scenario_inputs
from model.cli.common import EXIT_OK, UsageError

if TYPE_CHECKING:
    import pandas as pd

    from model.analysis.distributions import Distribution
    from model.analysis.montecarlo import MonteCarloRun
    from model.engine.inputs import Inputs
    from model.output.png_renderer import PngRenderer


def add_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``montecarlo`` to the ``icb-model`` parser."""
    mc = sub.add_parser(
        "montecarlo",
        help="Monte Carlo over the scenario's uncertainty block: percentiles and a fan chart",
        description="Draw every distribution of the scenario's uncertainty block, run the model for each draw "
        "and write P5, P50, P95, mean, sd and the share of draws below zero for each ICB, year and metric. "
        "The same seed gives byte-identical montecarlo.csv, on one process or many.",
    )
    mc.add_argument("scenario", help="scenario name or YAML path")
    mc.add_argument("--draws", type=int, default=10_000, help="number of draws (default 10000)")
    mc.add_argument("--seed", type=int, default=1, help="random seed, a whole number 0 or more (default 1)")
    mc.add_argument("--metrics", default=None, metavar="M1,M2,...|all",
                    help="metrics to summarise (default: the headline figures; 'all' for every results column)")
    mc.add_argument("--metric", default="funding_gap_gbp",
                    help="metric of the fan chart and of --sobol (default funding_gap_gbp)")
    mc.add_argument("--year", default=None, help="year of --sobol (default: the last year of the horizon)")
    mc.add_argument("--icb", default="ENG", help="ICB code of the fan chart and --sobol (default ENG, England)")
    mc.add_argument("--footprint", default=None, metavar="YEAR",
                    help="the organisations summarised: 2022 (42 ICBs) or 2026 (36; the default is the latest)")
    mc.add_argument("--sobol", action="store_true", help="also compute first-order and total Sobol indices (SALib)")
    mc.add_argument("--sobol-base", type=int, default=None, metavar="N",
                    help="SALib base sample, a power of two (default: about draws / (parameters + 2))")
    mc.add_argument("--chunk-size", type=int, default=None, help="draws per engine call, 64 or more (default: "
                    "216,000 organisation-years' worth, 521 draws of the base)")
    mc.add_argument("--scheduler", default=None, metavar="ADDRESS|local",
                    help="run chunks on a Dask cluster: a scheduler address (tcp://host:8786) or 'local' to start "
                    "a LocalCluster; results are identical to a single-process run")
    mc.add_argument("--workers", type=int, default=None,
                    help="threads in this process, or processes of a local Dask cluster (default: one per core)")
    mc.add_argument("--save-draws", action="store_true", help="also write draws.csv: every draw's parameter values")
    mc.add_argument("--no-progress", action="store_true", help="no progress bar")
    mc.add_argument("--out", type=Path, required=True, help="folder to write into (created if missing)")
    mc.add_argument("--no-png", action="store_true", help="write the chart as HTML only")
    mc.set_defaults(func=cmd_montecarlo)


def _check_options(args: argparse.Namespace) -> None:
    """The options that need no scenario to check."""
    for flag, value, least in (("--draws", args.draws, 1), ("--seed", args.seed, 0),
                               ("--chunk-size", args.chunk_size, 1), ("--workers", args.workers, 1)):
        if value is not None and value < least:
            raise UsageError(f"{flag} must be a whole number {least} or more; got {value}")
    base = args.sobol_base
    if base is not None and (base < 2 or base & (base - 1)):
        raise UsageError(f"--sobol-base must be a power of two (such as 1024); got {base}")


@drawing_pngs(behind_threads=True)
def cmd_montecarlo(args: argparse.Namespace, renderer: PngRenderer | None) -> int:
    """Draw, summarise, print and write (see the module docstring)."""
    from model.analysis import metrics, montecarlo, runs, sobol
    from model.analysis.distributions import from_scenario as distributions_of
    from model.output.manifest import run_hash

    started = time.perf_counter()
    _check_options(args)
    chosen = _metrics(args.metrics)
    metric = option("--metric", metrics.check_metric, args.metric)
    chosen += tuple(m for m in dict.fromkeys((metric, "funding_gap_gbp")) if m not in chosen)  # chart, P(shortfall)
    scenario, inputs = scenario_inputs(args)
    option("--chunk-size", runs.check_chunk_size, inputs, args.chunk_size)
    distributions = distributions_of(scenario)
    if not distributions:
        raise UsageError(f"scenario {scenario.name} has an empty uncertainty block: nothing to draw. Add "
                         "distributions under uncertainty: (docs/scenario-format.md, Uncertainty)")
    footprint = option("--footprint", inputs.footprint, args.footprint).label
    code = option("--icb", metrics.check_place, inputs, args.icb, footprint)
    year = args.year or inputs.labels[-1]
    if args.sobol:
        option("--year", metrics.year_index, inputs, year)
    progress = not args.no_progress and sys.stderr.isatty()
    sobol_base = (args.sobol_base or sobol.default_sobol_base(args.draws, len(distributions))) if args.sobol else None
    if sobol_base is not None:
        option("--sobol-base", sobol.check_sobol_size, inputs, len(distributions), sobol_base, footprint)
    run = montecarlo.simulate(inputs, distributions, args.draws, args.seed, chosen, scenario.name,
                              args.chunk_size, args.scheduler, args.workers, progress, footprint)
    indices = None if sobol_base is None else sobol.engine_sobol(
        inputs, distributions, metric, year, code, sobol_base, args.seed, args.chunk_size, args.scheduler,
        args.workers, progress, footprint)
    spec = {"command": "montecarlo", "draws": args.draws, "seed": args.seed, "metrics": list(chosen),
            "footprint": footprint,
            "uncertainty": [f"{d.path}: {d.describe()}" for d in distributions],
            "sobol": {"metric": metric, "year": year, "icb": code, "base": sobol_base} if args.sobol else None}
    folder = RunFolder(args.out, "montecarlo", scenario, run_hash(scenario, spec), started=started)
    computed = round(time.perf_counter() - started, 3)
    place = metrics.place_name(inputs, code, footprint)
    _print(run, scenario.name, metric, code, place, indices, year)
    _write(folder, args, inputs, run, distributions, indices, metric, (code, footprint), place, renderer)
    folder.close(spec, seconds_computing=computed, **_run_facts(args, inputs, run))
    return EXIT_OK


def _write(folder: RunFolder, args: argparse.Namespace, inputs: Inputs, run: MonteCarloRun,
           distributions: list[Distribution], indices: pd.DataFrame | None, metric: str,
           where: tuple[str, str], place: str, renderer: PngRenderer | None) -> None:
    """The tables and the fan chart (its PNG drawn by ``renderer``; none without one)."""
    from model import engine
    from model.analysis import metrics, montecarlo
    from model.output import charts
    from model.output.manifest import traced

    scenario = folder.scenario
    folder.csv("montecarlo.csv", traced(montecarlo.rounded(run.summary), scenario, seed=args.seed))
    folder.csv("distributions.csv", montecarlo.distributions_table(distributions))
    if indices is not None:
        folder.csv("sobol.csv", indices.round(10))
    if args.save_draws:
        folder.csv("draws.csv", montecarlo.draws_table(run))
    code, footprint = where
    column = metrics.place_column(inputs, code, footprint)
    base_line = metrics.cell_metrics(inputs, engine.evaluate(inputs), (metric,), footprint=footprint)[0, column, :, 0]
    note = f"seed {args.seed} · {args.draws:,} draws · {len(distributions)} uncertain parameters (distributions.csv)"
    figure = charts.fan_figure(run.summary, metric, code, place, base_line, footer(scenario, folder.digest, note))
    folder.charts([(figure, "fan")], renderer)


def _run_facts(args: argparse.Namespace, inputs: Inputs, run: MonteCarloRun) -> dict[str, object]:
    """What the manifest records of how the run went."""
    import platform

    import numpy as np

    from model.analysis.runs import default_chunk_size

    return {
        "chunk_size": default_chunk_size(inputs) if args.chunk_size is None else args.chunk_size,
        "scheduler": args.scheduler,
        "workers": args.workers,
        "icb_years_per_second": round(args.draws * len(inputs.codes) * len(inputs.labels) / max(run.seconds, 1e-9)),
        "python": platform.python_version(),
        "numpy": np.__version__,
    }


def _metrics(text: str | None) -> tuple[str, ...]:
    from model.analysis import montecarlo
    from model.analysis.metrics import check_metrics
    from model.schema import METRICS

    if text is None:
        return montecarlo.DEFAULT_METRICS
    if text.strip() == "all":
        return METRICS
    return option("--metrics", check_metrics, [m.strip() for m in text.split(",") if m.strip()])


def _print(run: MonteCarloRun, name: str, metric: str, code: str, place: str, indices: pd.DataFrame | None,
           year: str) -> None:
    """A short summary for the terminal: the chosen metric's percentiles by year, P(shortfall)."""
    from model.cli.tables import show_metric, text_table, unit_of
    from model.output.tables import cell_number

    summary = run.summary
    rows = summary[(summary["metric"] == metric) & (summary["icb_code"] == code)]
    gap = summary[(summary["metric"] == "funding_gap_gbp") & (summary["icb_code"] == code)]
    shortfall = dict(zip(gap["year"], gap["prob_negative"], strict=True))
    unit = unit_of(metric)
    header = ["year", f"P5 ({unit})", f"P50 ({unit})", f"P95 ({unit})", f"mean ({unit})", "P(funding gap < 0)"]
    body = [[str(r.year), *(show_metric(metric, cell_number(value)) for value in (r.p5, r.p50, r.p95, r.mean)),
             f"{100 * shortfall.get(r.year, float('nan')):.1f}%"]
            for r in rows.itertuples()]
    draws = int(rows["draws"].iloc[0]) if len(rows) else 0
    print(text_table(f"Monte Carlo: {metric}, {place} (scenario {name}; {draws:,} draws in {run.seconds:.2f} s)",
                     header, body, left=1))
    if indices is not None:
        print()
        header = ["parameter", "role", "S1", "S1 ±", "ST", "ST ±"]
        body = [[str(r.parameter), str(r.role), f"{r.S1:.3f}", f"{r.S1_conf:.3f}", f"{r.ST:.3f}", f"{r.ST_conf:.3f}"]
                for r in indices.sort_values("ST", ascending=False).itertuples()]
        print(text_table(f"Sobol indices of {metric}, {place}, {year} (S1 first-order, ST total; ± 95%)",
                         header, body, left=2))
