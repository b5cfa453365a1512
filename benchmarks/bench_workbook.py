"""Side by side: the engine against the Excel workbook recalculated by LibreOffice.

The same scenario for every organisation of its latest footprint (36 for the shipped base): the
engine's run, then the workbook of live formulas (``icb-model workbook``) laid out, written (with
the writer's formulas stored as written, and, for comparison, as xlsxwriter prepares them by
default: the time writing took before), and written without cached results and recalculated
headlessly by LibreOffice (``soffice --convert-to xlsx``: load, full recalculation, save). Prints
the times and their ratio, LibreOffice's start-up cost measured on an empty workbook so that the
recalculation itself can be told apart, and checks that the recalculated figures equal the
engine's.

    .venv/bin/python benchmarks/bench_workbook.py [--scenario base] [--repeats 3]

Needs LibreOffice (Debian: ``apt-get install libreoffice-calc-nogui``).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scenario", default="base", help="scenario name or path (default base)")
    parser.add_argument("--repeats", type=int, default=3, help="LibreOffice runs to time (median shown)")
    args = parser.parse_args(argv)

    import xlsxwriter

    from model import engine
    from model.engine.inputs import from_scenario
    from model.output.workbook import plan_workbook, spec_from_scenario, write_workbook
    from model.scenario import load_scenario
    from tests import libreoffice
    from tests.workbook_checks import engine_mismatches, mismatches

    if not libreoffice.available():
        print("skipped: LibreOffice (soffice) is not installed; apt-get install libreoffice-calc-nogui")
        return 0
    scenario = load_scenario(args.scenario, ROOT)
    inputs = from_scenario(scenario)

    engine.run(inputs)  # warm up (imports, first allocation)
    runs = []
    for _ in range(max(20, args.repeats)):
        start = time.perf_counter()
        engine.run(inputs)
        runs.append(time.perf_counter() - start)
    engine_s = statistics.median(runs)

    start = time.perf_counter()
    plan = plan_workbook(spec_from_scenario(scenario))
    plan_s = time.perf_counter() - start
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        book = folder / "workbook.xlsx"
        write_s, before_s = _write_times(plan, folder, args.repeats)
        write_workbook(plan, book, cached=False)
        empty = folder / "empty.xlsx"
        with xlsxwriter.Workbook(str(empty)) as blank:
            blank.add_worksheet().write_formula(0, 0, "=1+1", None, "")
        libreoffice.recalculate([empty], folder / "warm")  # first use of a profile initialises it
        startup, recalc = [], []
        for n in range(args.repeats):
            startup.append(libreoffice.timed_recalculate([empty], folder / f"empty{n}")[1])
            written, seconds = libreoffice.timed_recalculate([book], folder / f"out{n}")
            recalc.append(seconds)
        start = time.perf_counter()
        values = libreoffice.read_values(written[0])
        read_s = time.perf_counter() - start
        wrong = mismatches(plan, values)
        wrong_engine = engine_mismatches(plan, values, inputs)
    lo_s, start_s = statistics.median(recalc), statistics.median(startup)
    net_s = max(lo_s - start_s, 1e-9)

    rows = [
        (f"engine run (median of {len(runs)})", f"{engine_s * 1e3:.2f} ms"),
        (f"LibreOffice load + recalculate + save (median of {args.repeats})", f"{lo_s:.2f} s"),
        ("  of which start-up (an empty workbook)", f"{start_s:.2f} s"),
        ("  recalculation and file handling, net of start-up", f"{net_s:.2f} s"),
        ("ratio LibreOffice / engine", f"{lo_s / engine_s:,.0f} x"),
        ("ratio net of start-up / engine", f"{net_s / engine_s:,.0f} x"),
        ("workbook: lay out (plan)", f"{plan_s:.2f} s"),
        ("workbook: write, wall / CPU (median)", f"{write_s[0]:.2f} s / {write_s[1]:.2f} s"),
        ("  before: xlsxwriter prepares each formula", f"{before_s[0]:.2f} s / {before_s[1]:.2f} s"),
        ("reading recalculated values (openpyxl)", f"{read_s:.2f} s"),
        ("cells differing from the plan / from the engine", f"{len(wrong)} / {len(wrong_engine)}"),
    ]
    print(f"Scenario {scenario.name}: {len(plan.icb_sheets)} organisations ({len(inputs.codes)} pieces) x "
          f"{len(inputs.labels)} years, footprint {plan.footprint}, {plan.formula_count():,} formula cells")
    for label, value in rows:
        print(f"  {label:<62}{value:>18}")
    return 0 if not wrong and not wrong_engine else 1


def _write_times(plan: object, folder: Path, repeats: int) -> tuple[tuple[float, float], tuple[float, float]]:
    """Median seconds (wall clock, and CPU of this process: less moved by other work on the
    machine) to write the workbook with its cached results, as the command does: as the writer
    stores formulas, and with xlsxwriter's own formula preparation (before)."""
    from unittest import mock

    from xlsxwriter.worksheet import Worksheet

    from model.output.workbook import write_workbook, writer

    def median(repeat: int) -> tuple[float, float]:
        wall, cpu = [], []
        for n in range(repeat):
            start, start_cpu = time.perf_counter(), time.process_time()
            write_workbook(plan, folder / f"timed{n}.xlsx")  # type: ignore[arg-type]
            wall.append(time.perf_counter() - start)
            cpu.append(time.process_time() - start_cpu)
        return statistics.median(wall), statistics.median(cpu)

    after = median(max(3, repeats))
    with mock.patch.object(writer, "_Worksheet", Worksheet):
        before = median(max(3, repeats))
    return after, before


if __name__ == "__main__":
    sys.exit(main())
