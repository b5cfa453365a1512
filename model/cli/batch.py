"""Batch commands: ``icb-model sensitivity``, ``grid`` and ``montecarlo``.

Light to import: :func:`add_commands` only declares options; each command imports what it needs.
Every file is written atomically (:mod:`model.output.atomic`) after all the numbers are ready, so an
interrupted run (Ctrl-C) leaves the folder as it was or with complete files only. Run times and
other metadata go in a manifest beside the tables (``<command>_manifest.json``), never in the
tables, so that a table is byte-identical for the same inputs and seed.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from model.cli.common import EXIT_OK, UsageError


def add_commands(sub: argparse._SubParsersAction) -> None:
    """Add ``sensitivity``, ``grid`` and ``montecarlo`` to the ``icb-model`` parser."""
    sens = sub.add_parser(
        "sensitivity",
        help="one-way sensitivity: a tornado table and chart of what moves one figure",
        description="Vary parameters one at a time between a low and a high value and rank them by how much "
        "they move one metric for one place and year. Without --vary or --vary-file, the scenario's "
        "uncertainty block gives the parameters and their bounds.",
    )
    sens.add_argument("scenario", help="scenario name (base, envelope_2025) or YAML path")
    _place_options(sens, year_required=True)
    sens.add_argument("--vary", action="append", default=[], metavar="PATH:MODE:LOW:HIGH",
                      help="a parameter (dotted path), how to change it (set, add, scale) and its low and high "
                      "values, e.g. inflation.pay_award:add:-0.01:0.02; repeat for more")
    sens.add_argument("--vary-file", type=Path, metavar="F.yaml",
                      help="YAML list of {path, mode, low, high} entries (added after any --vary)")
    _output_options(sens)
    sens.set_defaults(func=cmd_sensitivity)

    grid = sub.add_parser(
        "grid",
        help="two-way sensitivity: one figure for every pair of two parameters' values",
        description="Evaluate one metric for every combination of values of two parameters, e.g. the cut "
        "against the pay award, and write the table and a heatmap.",
    )
    grid.add_argument("scenario", help="scenario name or YAML path")
    grid.add_argument("--x", required=True, metavar="PATH:MODE:V1,V2,...", help="the parameter across the columns")
    grid.add_argument("--y", required=True, metavar="PATH:MODE:V1,V2,...", help="the parameter down the rows")
    _place_options(grid, year_required=True)
    _output_options(grid)
    grid.set_defaults(func=cmd_grid)

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
    mc.add_argument("--sobol", action="store_true", help="also compute first-order and total Sobol indices (SALib)")
    mc.add_argument("--sobol-base", type=int, default=None, metavar="N",
                    help="SALib base sample, a power of two (default: about draws / (parameters + 2))")
    mc.add_argument("--chunk-size", type=int, default=None, help="draws per engine call (default: about 200,000 "
                    "ICB-years' worth)")
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


def _place_options(parser: argparse.ArgumentParser, year_required: bool) -> None:
    parser.add_argument("--metric", required=True, help="a results column, e.g. wte_gap, funding_gap_gbp")
    parser.add_argument("--year", required=year_required, help="financial year, e.g. 2025/26")
    parser.add_argument("--icb", default=None, help="ICB code (default: England, the sum of the ICBs)")


def _output_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--out", type=Path, required=True, help="folder to write into (created if missing)")
    parser.add_argument("--no-xlsx", action="store_true", help="skip the XLSX copy of the table")
    parser.add_argument("--no-png", action="store_true", help="write charts as HTML only")


# ---------------------------------------------------------------------------------------------
# Shared pieces
# ---------------------------------------------------------------------------------------------


def _scenario_inputs(args: argparse.Namespace):
    """The scenario named on the command line and its engine inputs."""
    from model.engine.inputs import from_scenario
    from model.scenario import load_scenario

    scenario = load_scenario(args.scenario, args.root)
    return scenario, from_scenario(scenario)


def run_hash(scenario, spec: dict) -> str:
    """sha256 of the resolved scenario, the model version and what the command computed."""
    import hashlib
    import json

    from model import __version__ as model_version

    text = json.dumps({"scenario": scenario.content_hash(), "model_version": model_version, "spec": spec},
                      sort_keys=True, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _footer(scenario, digest: str, extra: str = "") -> str:
    from model import __version__ as model_version

    parts = [f"scenario {scenario.name}", f"run sha256 {digest[:16]}", f"scenario sha256 {scenario.content_hash()[:16]}",
             f"model {model_version}"]
    return " · ".join(parts) + (f"<br>{extra}" if extra else "")


def _write_manifest(out: Path, command: str, scenario, digest: str, extra: dict, written: list[Path]) -> Path:
    """``<command>_manifest.json``, written last, with the size and sha256 of every file before it."""
    import hashlib
    import json

    from model.output.atomic import atomic_write_text
    from model.output.export import manifest

    files = {}
    for path in written:
        data = path.read_bytes()
        files[path.name] = {"bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()}
    record = manifest([scenario], files=files)
    record.update({"run_sha256": digest, **extra})
    path = out / f"{command}_manifest.json"
    atomic_write_text(path, json.dumps(record, indent=2, default=str) + "\n")
    return path


def _traced(table, scenario, **more):
    """``table`` with the columns that trace each row to its inputs, as results.csv has them."""
    from model import __version__

    return table.assign(**more, scenario_sha256=scenario.content_hash(), model_version=__version__)


def _write_xlsx(path: Path, sheets: dict, about: list[tuple[str, str]], index: bool = False) -> None:
    """An XLSX with a README sheet (``about`` rows) and the given tables."""
    import pandas as pd

    from model.output.atomic import atomic_write

    def write(tmp: Path) -> None:
        with pd.ExcelWriter(tmp, engine="xlsxwriter") as writer:
            readme = writer.book.add_worksheet("README")
            bold = writer.book.add_format({"bold": True})
            for row, (key, value) in enumerate(about):
                readme.write(row, 0, key, bold)
                readme.write(row, 1, value)
            readme.set_column(0, 0, 22)
            readme.set_column(1, 1, 100)
            for name, table in sheets.items():
                table.to_excel(writer, sheet_name=name, index=index)
                writer.sheets[name].set_column(0, len(table.columns) + int(index), 18)

    atomic_write(path, write)


def _write_csv(path: Path, table, index: bool = False) -> None:
    from model.output.atomic import atomic_write

    atomic_write(path, lambda tmp: table.to_csv(tmp, index=index, lineterminator="\n"))


def _report(written: list[Path], problem: str | None) -> None:
    for path in written:
        print(f"  wrote {path}")
    if problem:
        print(f"icb-model: note: {problem}", file=sys.stderr)


# ---------------------------------------------------------------------------------------------
# Commands
# ---------------------------------------------------------------------------------------------


def cmd_sensitivity(args: argparse.Namespace) -> int:
    """``icb-model sensitivity``: tornado.csv, tornado.xlsx, tornado.html/png and a manifest."""
    import time

    from model.output import charts
    from model.analysis import sensitivity
    from model.analysis.distributions import from_scenario as distributions_of

    started = time.perf_counter()
    variations = [sensitivity.Variation.parse(text) for text in args.vary]
    if args.vary_file is not None:
        if not args.vary_file.is_file():
            raise UsageError(f"--vary-file {args.vary_file}: file not found")
        variations += sensitivity.load_vary_file(args.vary_file)
    scenario, inputs = _scenario_inputs(args)
    source = "command line"
    if not variations:
        variations = sensitivity.variations_from_uncertainty(distributions_of(scenario))
        source = "the scenario's uncertainty block"
    code = sensitivity.check_place(inputs, args.icb)
    table = sensitivity.tornado(inputs, variations, args.metric, args.year, code)
    place = sensitivity.place_name(inputs, code)
    spec = {"command": "sensitivity", "metric": args.metric, "year": args.year, "icb": code,
            "vary": [f"{v.path}:{v.mode}:{v.low}:{v.high}" for v in variations]}
    digest = run_hash(scenario, spec)
    title = f"Tornado: {args.metric}, {place}, {args.year} (scenario {scenario.name}; parameters from {source})"
    print(sensitivity.format_tornado(table, args.metric, title))
    out = args.out
    written = [out / "tornado.csv"]
    _write_csv(written[0], _traced(table, scenario))
    if not args.no_xlsx:
        written.append(out / "tornado.xlsx")
        _write_xlsx(written[-1], {"tornado": table}, _about(scenario, digest, args.metric, place, args.year, [
            ("swing", "|metric_high - metric_low|; rank 1 is the largest swing"),
            ("role", "lever: a policy choice; uncertainty: outside anyone's control or an estimate"),
        ]))
    figure = charts.tornado_figure(table, args.metric, place, args.year, _footer(scenario, digest))
    exported = charts.export([(figure, out / "tornado")], png=not args.no_png)
    written += exported.written
    written.append(_write_manifest(out, "sensitivity", scenario, digest, {
        **spec, "seconds": round(time.perf_counter() - started, 3)}, written))
    print()
    _report(written, exported.png_problem)
    return EXIT_OK


def _about(scenario, digest: str, metric: str, place: str, year: str, more: list[tuple[str, str]]) -> list:
    from model import __version__ as model_version
    from model.schema import column

    spec = column(metric)
    return [
        ("scenario", scenario.name),
        ("scenario sha256", scenario.content_hash()),
        ("run sha256", digest),
        ("model version", model_version),
        ("metric", f"{metric} ({spec.unit_info.text}): {spec.description}"),
        ("place", place),
        ("year", year),
        ("units", "Pounds are £ (not £m); fractions are 0-1 (0.3 = 30%)."),
        *more,
    ]


def cmd_grid(args: argparse.Namespace) -> int:
    """``icb-model grid``: grid.csv, grid.xlsx, grid.html/png (heatmap) and a manifest."""
    import time

    from model.output import charts
    from model.analysis import sensitivity

    started = time.perf_counter()
    x = sensitivity.Axis.parse(args.x, "--x")
    y = sensitivity.Axis.parse(args.y, "--y")
    scenario, inputs = _scenario_inputs(args)
    code = sensitivity.check_place(inputs, args.icb)
    table = sensitivity.grid(inputs, x, y, args.metric, args.year, code)
    place = sensitivity.place_name(inputs, code)
    spec = {"command": "grid", "metric": args.metric, "year": args.year, "icb": code, "x": args.x, "y": args.y}
    digest = run_hash(scenario, spec)
    print(sensitivity.format_grid(table, args.metric, f"{args.metric}, {place}, {args.year} (scenario {scenario.name})"))
    out = args.out
    written = [out / "grid.csv"]
    _write_csv(written[0], table, index=True)
    if not args.no_xlsx:
        written.append(out / "grid.xlsx")
        _write_xlsx(written[-1], {"grid": table}, _about(scenario, digest, args.metric, place, args.year, [
            ("rows (y)", f"{y.path}, {y.mode} ({sensitivity.role_of(y.path)})"),
            ("columns (x)", f"{x.path}, {x.mode} ({sensitivity.role_of(x.path)})"),
        ]), index=True)
    figure = charts.heatmap_figure(table, args.metric, place, args.year, _footer(scenario, digest))
    exported = charts.export([(figure, out / "grid")], png=not args.no_png)
    written += exported.written
    written.append(_write_manifest(out, "grid", scenario, digest, {
        **spec, "seconds": round(time.perf_counter() - started, 3)}, written))
    print()
    _report(written, exported.png_problem)
    return EXIT_OK


def cmd_montecarlo(args: argparse.Namespace) -> int:
    """``icb-model montecarlo``: montecarlo.csv, distributions.csv, sobol.csv (--sobol), draws.csv
    (--save-draws), the fan chart and a manifest."""
    import platform
    import time

    import numpy as np

    from model import engine
    from model.output import charts
    from model.analysis import montecarlo, sensitivity
    from model.analysis.distributions import from_scenario as distributions_of

    started = time.perf_counter()
    if args.draws < 1:
        raise UsageError(f"--draws must be 1 or more; got {args.draws}")
    if args.seed < 0:
        raise UsageError(f"--seed must be a whole number 0 or more; got {args.seed}")
    metrics = _metrics(args.metrics)
    for needed in (sensitivity.check_metric(args.metric), "funding_gap_gbp"):  # the chart; P(shortfall)
        if needed not in metrics:
            metrics = (*metrics, needed)
    scenario, inputs = _scenario_inputs(args)
    distributions = distributions_of(scenario)
    if not distributions:
        raise UsageError(f"scenario {scenario.name} has an empty uncertainty block: nothing to draw. Add "
                            "distributions under uncertainty: (docs/scenario-format.md, Uncertainty)")
    code = sensitivity.check_place(inputs, args.icb)
    year = args.year or inputs.labels[-1]
    if args.sobol:
        sensitivity.year_index(inputs, year)
        base = args.sobol_base
        if base is not None and (base < 2 or base & (base - 1)):
            raise UsageError(f"--sobol-base must be a power of two (such as 1024); got {base}")
    progress = not args.no_progress and sys.stderr.isatty()
    run = montecarlo.simulate(inputs, distributions, args.draws, args.seed, metrics, scenario.name,
                              args.chunk_size, args.scheduler, args.workers, progress)
    sobol = None
    sobol_base = None
    if args.sobol:
        sobol_base = args.sobol_base
        if sobol_base is None:
            sobol_base = montecarlo.default_sobol_base(args.draws, len(distributions))
        sobol = montecarlo.engine_sobol(inputs, distributions, args.metric, year, code, sobol_base, args.seed,
                                        args.chunk_size, args.scheduler, args.workers, progress)
    computed = time.perf_counter() - started
    spec = {"command": "montecarlo", "draws": args.draws, "seed": args.seed, "metrics": list(metrics),
            "uncertainty": [f"{d.path}: {d.describe()}" for d in distributions],
            "sobol": {"metric": args.metric, "year": year, "icb": code, "base": sobol_base} if args.sobol else None}
    digest = run_hash(scenario, spec)
    place = sensitivity.place_name(inputs, code)
    _print_montecarlo(run, scenario.name, args.metric, code, place, sobol, year)

    out = args.out
    written = [out / "montecarlo.csv"]
    _write_csv(written[0], _traced(montecarlo.rounded(run.summary), scenario, seed=args.seed))
    written.append(out / "distributions.csv")
    _write_csv(written[-1], montecarlo.distributions_table(distributions))
    if sobol is not None:
        written.append(out / "sobol.csv")
        _write_csv(written[-1], sobol.round(10))
    if args.save_draws:
        written.append(out / "draws.csv")
        _write_csv(written[-1], montecarlo.draws_table(run))
    column = 0 if code == "ENG" else 1 + inputs.codes.index(code)
    base_line = sensitivity.cell_metrics(inputs, engine.evaluate(inputs), (args.metric,))[0, column, :, 0]
    footer = _footer(scenario, digest, f"seed {args.seed} · {args.draws:,} draws · {len(distributions)} uncertain "
                                       "parameters (distributions.csv)")
    figure = charts.fan_figure(run.summary, args.metric, code, place, base_line, footer)
    exported = charts.export([(figure, out / "fan")], png=not args.no_png)
    written += exported.written
    written.append(_write_manifest(out, "montecarlo", scenario, digest, {
        **spec,
        "chunk_size": montecarlo.default_chunk_size(inputs) if args.chunk_size is None else args.chunk_size,
        "scheduler": args.scheduler,
        "workers": args.workers,
        "seconds_computing": round(computed, 3),
        "seconds_total": round(time.perf_counter() - started, 3),
        "icb_years_per_second": round(args.draws * len(inputs.codes) * len(inputs.labels) / max(run.seconds, 1e-9)),
        "python": platform.python_version(),
        "numpy": np.__version__,
    }, written))
    print()
    _report(written, exported.png_problem)
    return EXIT_OK


def _metrics(text: str | None) -> tuple[str, ...]:
    from model.analysis import montecarlo, sensitivity

    if text is None:
        return montecarlo.DEFAULT_METRICS
    if text.strip() == "all":
        return sensitivity.METRICS
    return sensitivity.check_metrics(m.strip() for m in text.split(",") if m.strip())


def _print_montecarlo(run, name: str, metric: str, code: str, place: str, sobol, year: str) -> None:
    """A short summary for the terminal: the chosen metric's percentiles by year, P(shortfall)."""
    from model.analysis.sensitivity import text_table, show_metric, unit_of

    summary = run.summary
    rows = summary[(summary["metric"] == metric) & (summary["icb_code"] == code)]
    gap = summary[(summary["metric"] == "funding_gap_gbp") & (summary["icb_code"] == code)]
    shortfall = dict(zip(gap["year"], gap["prob_negative"]))
    unit = unit_of(metric)
    header = ["year", f"P5 ({unit})", f"P50 ({unit})", f"P95 ({unit})", f"mean ({unit})", "P(funding gap < 0)"]
    body = [[r.year, show_metric(metric, r.p5), show_metric(metric, r.p50), show_metric(metric, r.p95),
             show_metric(metric, r.mean), f"{100 * shortfall.get(r.year, float('nan')):.1f}%"]
            for r in rows.itertuples()]
    draws = int(rows["draws"].iloc[0]) if len(rows) else 0
    print(text_table(f"Monte Carlo: {metric}, {place} (scenario {name}; {draws:,} draws in {run.seconds:.2f} s)",
                      header, body, left=1))
    if sobol is not None:
        print()
        header = ["parameter", "role", "S1", "S1 ±", "ST", "ST ±"]
        body = [[r.parameter, r.role, f"{r.S1:.3f}", f"{r.S1_conf:.3f}", f"{r.ST:.3f}", f"{r.ST_conf:.3f}"]
                for r in sobol.sort_values("ST", ascending=False).itertuples()]
        print(text_table(f"Sobol indices of {metric}, {place}, {year} (S1 first-order, ST total; ± 95%)",
                          header, body, left=2))
