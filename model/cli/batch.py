"""Batch commands: ``icb-model sensitivity`` and ``grid`` (``montecarlo`` is in :mod:`model.cli.montecarlo`).

Light to import: :func:`add_commands` only declares options; each command imports what it needs.
Each command checks its options, computes with :mod:`model.analysis` (which returns tables and
never writes), prints a summary and writes its folder through :class:`RunFolder`: tables and
charts atomically (:mod:`model.output`), after all the numbers are ready, and a manifest last
(``<command>_manifest.json``) with the sha256 of every file as written. Run times and other
metadata go in the manifest, never in the tables, so that a table is byte-identical for the same
inputs and seed.
"""

from __future__ import annotations

import argparse
import functools
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from model.cli.common import EXIT_OK, Command, UsageError

if TYPE_CHECKING:
    import pandas as pd

    from model.engine.inputs import Inputs
    from model.output.atomic import Written
    from model.output.charts import Figure
    from model.output.png_renderer import PngRenderer
    from model.scenario import Scenario

T = TypeVar("T")



def add_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``sensitivity`` and ``grid`` to the ``icb-model`` parser."""
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


def _place_options(parser: argparse.ArgumentParser, year_required: bool) -> None:
    parser.add_argument("--metric", required=True, help="a results column, e.g. wte_gap, funding_gap_gbp")
    parser.add_argument("--year", required=year_required, help="financial year, e.g. 2025/26")
    parser.add_argument("--icb", default=None, help="ICB code (default: England, the sum of the ICBs)")
    parser.add_argument("--footprint", default=None, metavar="YEAR",
                        help="the organisations --icb names: 2022 (42 ICBs) or 2026 (36; the default is the latest)")


def _output_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--out", type=Path, required=True, help="folder to write into (created if missing)")
    parser.add_argument("--no-xlsx", action="store_true", help="skip the XLSX copy of the table")
    parser.add_argument("--no-png", action="store_true", help="write charts as HTML only")




# ---------------------------------------------------------------------------------------------
# Shared pieces
# ---------------------------------------------------------------------------------------------


def option(flag: str, check: Callable[..., T], *args: object) -> T:
    """``check(*args)``, with any InputError it raises reported against the option ``flag``."""
    from model.errors import InputError

    try:
        return check(*args)
    except InputError as error:
        raise UsageError(f"{flag} {error}") from None


def scenario_inputs(args: argparse.Namespace) -> tuple[Scenario, Inputs]:
    """The scenario named on the command line and its engine inputs."""
    from model.engine.inputs import from_scenario
    from model.scenario import load_scenario

    scenario = load_scenario(args.scenario, args.root)
    return scenario, from_scenario(scenario)


def footer(scenario: Scenario, digest: str, extra: str = "") -> str:
    """The line under a chart that traces it to its inputs."""
    from model import __version__ as model_version

    parts = [f"scenario {scenario.name}", f"run sha256 {digest[:16]}",
             f"scenario sha256 {scenario.content_hash()[:16]}", f"model {model_version}"]
    return " · ".join(parts) + (f"<br>{extra}" if extra else "")


def about(scenario: Scenario, digest: str, metric: str, place: str, year: str,
          more: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The README sheet of a command's XLSX."""
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


@dataclass
class RunFolder:
    """A command's output folder: what it wrote so far, and the manifest that closes it."""

    out: Path
    command: str
    scenario: Scenario
    digest: str
    started: float = field(default_factory=time.perf_counter)
    written: list[Written] = field(default_factory=list)
    png_problem: str | None = None

    def csv(self, name: str, table: pd.DataFrame, index: bool = False) -> None:
        from model.output.tables import write_csv

        self.written.append(write_csv(self.out / name, table, index=index))

    def xlsx(self, name: str, sheets: dict[str, pd.DataFrame], readme: list[tuple[str, str]],
             index: bool = False) -> None:
        from model.output.tables import write_xlsx

        self.written.append(write_xlsx(self.out / name, sheets, readme, index=index))

    def charts(self, figures: list[tuple[Figure, str]], renderer: PngRenderer | None) -> None:
        """Each figure as HTML, and as PNG drawn by ``renderer`` (none without one)."""
        from model.output import charts

        exported = charts.export([(figure, self.out / stem) for figure, stem in figures], png=renderer is not None,
                                 renderer=renderer)
        self.written += exported.written
        self.png_problem = exported.png_problem

    def close(self, spec: dict[str, object], **extra: object) -> None:
        """Write the manifest last and say what was written."""
        from model.output.manifest import manifest, write_manifest

        record = manifest([self.scenario], self.written, sys.argv, run_sha256=self.digest, **spec, **extra,
                          seconds_total=round(time.perf_counter() - self.started, 3))
        self.written.append(write_manifest(self.out / f"{self.command}_manifest.json", record))
        print()
        for item in self.written:
            print(f"  wrote {item.path}")
        if self.png_problem:
            print(f"icb-model: note: {self.png_problem}", file=sys.stderr)


PngCommand = Callable[[argparse.Namespace, "PngRenderer | None"], int]


def drawing_pngs(behind_threads: bool = False) -> Callable[[PngCommand], Command]:
    """A command given a PNG renderer (:mod:`model.output.png_renderer`; at a lower priority
    ``behind_threads``, for a command whose threads use every core) started before it does
    anything else, so that matplotlib loads in another process while it computes, and closed when
    it ends; with ``--no-png``, given None and no process is started."""

    def decorate(command: PngCommand) -> Command:
        @functools.wraps(command)
        def run(args: argparse.Namespace) -> int:
            if args.no_png:
                return command(args, None)
            from model.output.png_renderer import BEHIND_THREADS, PngRenderer

            with PngRenderer(niceness=BEHIND_THREADS if behind_threads else 0) as renderer:
                return command(args, renderer)

        return run

    return decorate


# ---------------------------------------------------------------------------------------------
# Commands
# ---------------------------------------------------------------------------------------------


@drawing_pngs()
def cmd_sensitivity(args: argparse.Namespace, renderer: PngRenderer | None) -> int:
    """``icb-model sensitivity``: tornado.csv, tornado.xlsx, tornado.html/png and a manifest."""
    from model.analysis import metrics, sensitivity
    from model.analysis.distributions import from_scenario as distributions_of
    from model.cli.tables import format_tornado
    from model.cli.vary import load_vary_file, parse_variation
    from model.output import charts
    from model.output.manifest import run_hash, traced

    variations = [parse_variation(text) for text in args.vary]
    if args.vary_file is not None:
        variations += load_vary_file(args.vary_file)
    scenario, inputs = scenario_inputs(args)
    source = "command line"
    if not variations:
        variations = sensitivity.variations_from_uncertainty(distributions_of(scenario))
        source = "the scenario's uncertainty block"
    metric, code = _checked_place(args, inputs)
    table = sensitivity.tornado(inputs, variations, metric, args.year, code, args.footprint)
    place = metrics.place_name(inputs, code, args.footprint)
    spec = {"command": "sensitivity", "metric": metric, "year": args.year, "icb": code,
            "footprint": inputs.footprint(args.footprint).label,
            "vary": [f"{v.path}:{v.mode}:{v.low}:{v.high}" for v in variations]}
    folder = RunFolder(args.out, "sensitivity", scenario, run_hash(scenario, spec))
    print(format_tornado(table, metric, f"Tornado: {metric}, {place}, {args.year} (scenario {scenario.name}; "
                                        f"parameters from {source})"))
    folder.csv("tornado.csv", traced(table, scenario))
    if not args.no_xlsx:
        folder.xlsx("tornado.xlsx", {"tornado": table}, about(scenario, folder.digest, metric, place, args.year, [
            ("swing", "|metric_high - metric_low|; rank 1 is the largest swing"),
            ("role", "lever: a policy choice; uncertainty: outside anyone's control or an estimate"),
        ]))
    figure = charts.tornado_figure(table, metric, place, args.year, footer(scenario, folder.digest))
    folder.charts([(figure, "tornado")], renderer)
    folder.close(spec)
    for note in sensitivity.no_effect(inputs, table, metric, args.year):
        print(f"icb-model: note: {note}", file=sys.stderr)
    return EXIT_OK


@drawing_pngs()
def cmd_grid(args: argparse.Namespace, renderer: PngRenderer | None) -> int:
    """``icb-model grid``: grid.csv, grid.xlsx, grid.html/png (heatmap) and a manifest."""
    from model.analysis import metrics, sensitivity
    from model.cli.tables import format_grid
    from model.cli.vary import parse_axis
    from model.output import charts
    from model.output.manifest import run_hash
    from model.schema import role_of

    x, y = parse_axis(args.x, "--x"), parse_axis(args.y, "--y")
    scenario, inputs = scenario_inputs(args)
    metric, code = _checked_place(args, inputs)
    table = sensitivity.grid(inputs, x, y, metric, args.year, code, args.footprint)
    place = metrics.place_name(inputs, code, args.footprint)
    spec = {"command": "grid", "metric": metric, "year": args.year, "icb": code, "x": args.x, "y": args.y,
            "footprint": inputs.footprint(args.footprint).label}
    folder = RunFolder(args.out, "grid", scenario, run_hash(scenario, spec))
    print(format_grid(table, metric, f"{metric}, {place}, {args.year} (scenario {scenario.name})"))
    folder.csv("grid.csv", table, index=True)
    if not args.no_xlsx:
        folder.xlsx("grid.xlsx", {"grid": table}, about(scenario, folder.digest, metric, place, args.year, [
            ("rows (y)", f"{y.path}, {y.mode} ({role_of(y.path)})"),
            ("columns (x)", f"{x.path}, {x.mode} ({role_of(x.path)})"),
        ]), index=True)
    figure = charts.heatmap_figure(table, metric, place, args.year, footer(scenario, folder.digest))
    folder.charts([(figure, "grid")], renderer)
    folder.close(spec)
    return EXIT_OK


def _checked_place(args: argparse.Namespace, inputs: Inputs) -> tuple[str, str]:
    """``--metric``, ``--year`` (when given) and ``--icb`` checked against the run: the metric and
    the place code."""
    from model.analysis import metrics

    metric = option("--metric", metrics.check_metric, args.metric)
    if args.year is not None:
        option("--year", metrics.year_index, inputs, args.year)
    option("--footprint", inputs.footprint, args.footprint)
    return metric, option("--icb", metrics.check_place, inputs, args.icb, args.footprint)
