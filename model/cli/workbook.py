"""``icb-model workbook``: the model itself as a live Excel workbook (see :mod:`model.output.workbook`).

Light to import: :func:`add_commands` only declares options; the command imports what it needs.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from model.cli.common import EXIT_OK

WORKBOOK_MAX_ICB_YEARS = 3_000
"""Most ICB-years one workbook lays out (a sheet per ICB, a column per year): England's 42 ICBs
over 60 years are 2,520, about 25 s on a 2-core machine; the time grows in proportion."""


def add_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``workbook`` to the ``icb-model`` parser."""
    book = sub.add_parser(
        "workbook",
        help="write the model as an Excel workbook of live formulas (Inputs, England, Checks, a sheet per "
             "organisation)",
        description="Write the scenario's calculation as a workbook finance teams can audit: an Inputs sheet "
        "with every assumption and its source (published allowances and organisation changes included), one "
        "calculation sheet per organisation of the footprint (every figure a formula), England as their sum "
        "and a Checks sheet. Change an input and every sheet follows. Opens in Excel and LibreOffice; no macros.",
    )
    book.add_argument("scenario", help="scenario name (base, envelope_2025) or YAML path")
    book.add_argument("--footprint", default=None, metavar="YEAR",
                      help="the organisations to state every year on, by the year they formed: 2026 (the 36 ICBs "
                           "since April 2026) or 2022 (the 42 before); default the latest of the scenario")
    book.add_argument("--icb", action="extend", nargs="+", metavar="CODE", default=None,
                      help="codes of the footprint's organisations to include, e.g. --icb QE1 S0E4D (default: "
                           "all); the organisations their history ties them to come too")
    book.add_argument("--out", type=Path, required=True, metavar="FILE.xlsx", help="workbook to write")
    book.set_defaults(func=cmd_workbook, out_is_file=True)


def cmd_workbook(args: argparse.Namespace) -> int:
    from model.cli.common import UsageError
    from model.output.workbook import plan_workbook, spec_from_scenario, write_workbook
    from model.scenario import load_scenario, size_problem

    out = Path(args.out)
    if out.suffix.lower() != ".xlsx":
        raise UsageError(f"--out must name an .xlsx file, not '{out}'")
    scenario = load_scenario(args.scenario, args.root)
    codes = [code.strip().upper() for code in args.icb] if args.icb else None
    too_big = size_problem(len(codes or scenario.icbs.codes), len(scenario.years), WORKBOOK_MAX_ICB_YEARS,
                           f"a workbook of scenario {scenario.name} would lay out")
    if too_big:
        raise UsageError(f"{too_big[:-1]}, or name ICBs with --icb.")
    spec = spec_from_scenario(scenario, codes, args.footprint)
    plan = plan_workbook(spec)
    write_workbook(plan, out)
    n = len(plan.icb_sheets)
    print(f"Wrote {out}: scenario {scenario.name}, footprint {plan.footprint}, {n} organisation sheet"
          f"{'s' if n != 1 else ''}, England and Checks ({plan.formula_count():,} formulas).")
    added = [code for code in plan.icb_sheets if codes and code not in codes]
    if added:
        print(f"Included for their shared history: {', '.join(added)}.")
    print("Change a yellow cell on the Inputs sheet and every sheet follows.")
    return EXIT_OK
