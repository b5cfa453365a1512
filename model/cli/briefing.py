"""``icb-model briefing``: the board briefing as HTML, PDF and DOCX (see :mod:`model.output.briefing`).

Light to import: :func:`add_commands` only declares options; the command imports what it needs.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from model.cli.common import EXIT_OK, UsageError
from model.cli.run import footprint_option


def add_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``briefing`` to the ``icb-model`` parser."""
    brief = sub.add_parser(
        "briefing",
        help="write a board briefing (HTML, PDF and Word) for one ICB or England and one year",
        description="Write the paper a finance lead takes to the board: key messages written from the numbers, "
        "the headline table, the allowance, workforce and waterfall charts, what each scenario changes from the "
        "base with its sources, the method, the limits of the data and how to reproduce the figures. Writes "
        "briefing.html (self-contained, print-ready on A4), briefing.pdf (tagged PDF/UA), briefing.docx, the "
        "place's results.csv and briefing_manifest.json. The first scenario is the reference.",
    )
    brief.add_argument("scenarios", nargs="+", help="scenario names (base, envelope_2025) or YAML paths")
    brief.add_argument("--icb", default="ENG", help="ICB code (default ENG, England)")
    brief.add_argument("--year", default=None,
                       help="financial year, e.g. 2026/27 (default: 2026/27 if in the horizon, else the last year)")
    brief.add_argument("--out", type=Path, required=True, help="folder to write into (created if missing)")
    footprint_option(brief)
    brief.set_defaults(func=cmd_briefing)


def cmd_briefing(args: argparse.Namespace) -> int:
    import pandas as pd

    from model.cli.run import footprint_of, load_all
    from model.output.briefing import SelectionError, build
    from model.output.briefing.files import write
    from model.output.compare import UNIT
    from model.output.results import scenario_results

    scenarios = load_all(args.scenarios, args.root)
    names = [s.name for s in scenarios]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise UsageError(f"two scenarios are both named {', '.join(duplicates)}; give each its own `name:`")
    if UNIT in names:
        raise UsageError(f"a scenario is named '{UNIT}', like the headline table's column of units; give it "
                         "another `name:`")
    footprint = footprint_of(scenarios, args.footprint, shared=True)
    results = pd.concat([scenario_results(s, footprint) for s in scenarios], ignore_index=True)
    try:
        briefing = build(results, scenarios, args.icb.strip().upper(), args.year)
    except SelectionError as error:
        flag = "--year" if str(error).startswith("year") else "--icb"
        raise UsageError(f"{flag}: {error}") from None
    folder = write(briefing, results, scenarios, args.out, argv=sys.argv)
    print(f"Board briefing for {briefing.document.place_name}, {briefing.year}: {', '.join(names)}.")
    for item in folder.written:
        print(f"  wrote {item.path}")
    if folder.pdf_problem:
        print(f"icb-model: note: {folder.pdf_problem}", file=sys.stderr)
    return EXIT_OK
