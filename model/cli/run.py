"""``icb-model run``, ``compare``, ``validate`` and ``show``: the everyday commands.

Light to import: :func:`add_commands` only declares options; each command imports what it needs.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from model.cli.common import EXIT_INVALID, EXIT_OK, UsageError

if TYPE_CHECKING:
    from model.scenario import Scenario


def load_all(refs: Sequence[str], root: Path) -> list[Scenario]:
    """Each scenario named on the command line, loaded and validated."""
    from model.scenario import load_scenario

    return [load_scenario(ref, root) for ref in refs]


def footprint_of(scenarios: Sequence[Scenario], requested: str | None, shared: bool) -> str | None:
    """The footprint to state results on: ``requested`` (``--footprint``), which every scenario
    must have; else, when the results must share one (``shared``: compare), the latest footprint
    every scenario has; else None, each scenario's own latest."""
    have = [s.history.footprints() for s in scenarios]
    if requested is not None:
        for scenario, labels in zip(scenarios, have, strict=True):
            if requested not in labels:
                raise UsageError(f"--footprint {requested}: scenario {scenario.name} has the footprint(s) "
                                 f"{', '.join(labels)}")
        return requested
    if not shared:
        return None
    common = [label for label in have[0] if all(label in labels for labels in have)]
    if not common:
        raise UsageError("the scenarios share no footprint; give --footprint")
    return common[-1]


def cmd_run(args: argparse.Namespace) -> int:
    import pandas as pd

    from model.output.export import write_run
    from model.output.results import scenario_results

    scenarios = load_all(args.scenarios, args.root)
    names = [s.name for s in scenarios]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise UsageError(f"two scenarios are both named {', '.join(duplicates)}; give each its own `name:`")
    footprint = footprint_of(scenarios, args.footprint, shared=False)
    results = pd.concat([scenario_results(s, footprint) for s in scenarios], ignore_index=True)
    written = write_run(results, scenarios, args.out, xlsx=not args.no_xlsx)
    n_icbs = results.loc[results.icb_code != "ENG", "icb_code"].nunique()
    changing = any(len(s.history.eras) > 1 for s in scenarios)
    stated = f" (footprint {', '.join(sorted(set(results['footprint'])))})" if changing else ""
    print(f"Ran {len(scenarios)} scenario(s) ({', '.join(names)}) for {n_icbs} ICBs and England{stated}.")
    for path in written:
        print(f"  wrote {path}")
    return EXIT_OK


def cmd_compare(args: argparse.Namespace) -> int:
    import pandas as pd

    from model.cli.tables import format_compare
    from model.output.compare import UNIT, SelectionError, differences, headline_table
    from model.output.results import scenario_results

    scenarios = load_all(args.scenarios, args.root)
    names = distinct_names([s.name for s in scenarios], taken=(UNIT,))
    footprint = footprint_of(scenarios, args.footprint, shared=True)
    results = pd.concat([scenario_results(s, footprint).assign(scenario=name) for s, name in zip(scenarios, names,
                                                                                                strict=True)],
                        ignore_index=True)
    icb = args.icb.strip().upper()
    try:
        table = headline_table(results, names, args.year, icb)
    except SelectionError as error:
        flag = "--year" if str(error).startswith("year") else "--icb"
        raise UsageError(f"{flag}: {error}") from None
    place = results.loc[results.icb_code == icb, "icb_name"].iloc[0]
    print(format_compare(table, f"{place}, {args.year}: {' vs '.join(names)}"))
    print("\n£m cash unless stated; real terms in base-year prices; WTE = whole-time equivalents.")
    for note in differences(results, names):
        print(f"Note: {note}")
    return EXIT_OK


def distinct_names(names: list[str], taken: tuple[str, ...] = ()) -> list[str]:
    """The scenarios' names, a name given again numbered (``base``, ``base (2)``), so that a scenario
    can be compared with itself or with another of the same name; a name in ``taken`` (a column of
    the table they go in) is numbered from its first use."""
    seen: dict[str, int] = dict.fromkeys(taken, 1)
    out = []
    for name in names:
        seen[name] = seen.get(name, 0) + 1
        out.append(name if seen[name] == 1 else f"{name} ({seen[name]})")
    return out


def cmd_validate(args: argparse.Namespace) -> int:
    from model.scenario import check_files, format_issues

    issues = check_files([Path(p) for p in args.files], args.root)
    if issues:
        print(format_issues(issues), file=sys.stderr)
        print(f"{len(issues)} problem(s) found.", file=sys.stderr)
        return EXIT_INVALID
    print(f"{len(args.files)} file(s) valid.")
    return EXIT_OK


def cmd_show(args: argparse.Namespace) -> int:
    from model.output.listing import assumption_rows, format_rows, organisation_lines, published_lines
    from model.scenario.yamlio import printable

    (scenario,) = load_all([args.scenario], args.root)
    chain = " <- ".join(str(p) for p in reversed(scenario.chain))
    heading = [f"{scenario.name}: {scenario.description}".rstrip(": "), f"files: {chain}",
               f"content sha256: {scenario.content_hash()}"]
    print("\n".join(f"# {printable(line)}" for line in heading) + "\n")
    print(format_rows(assumption_rows(scenario)))
    notes = [*published_lines(scenario), *organisation_lines(scenario)]
    print("\n# " + "\n# ".join(printable(line) for line in notes))
    return EXIT_OK


def add_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``run``, ``compare``, ``validate`` and ``show`` to the ``icb-model`` parser."""
    run = sub.add_parser("run", help="run scenarios and write results.csv, results.xlsx and manifest.json")
    run.add_argument("scenarios", nargs="+", help="scenario names (base, envelope_2025) or YAML paths")
    run.add_argument("--out", type=Path, required=True, help="folder to write into (created if missing)")
    run.add_argument("--no-xlsx", action="store_true", help="skip results.xlsx")
    footprint_option(run)
    run.set_defaults(func=cmd_run)

    compare = sub.add_parser("compare", help="print headline figures side by side for one year and place")
    compare.add_argument("scenarios", nargs="+", help="scenario names or paths; the first is the reference")
    compare.add_argument("--year", required=True, help="financial year, e.g. 2025/26")
    compare.add_argument("--icb", default="ENG", help="ICB code (default ENG, England)")
    footprint_option(compare)
    compare.set_defaults(func=cmd_compare)

    validate = sub.add_parser("validate", help="check scenario files and report every problem")
    validate.add_argument("files", nargs="+", help="YAML files to check")
    validate.set_defaults(func=cmd_validate)

    show = sub.add_parser("show", help="print a scenario's resolved assumptions and where each came from")
    show.add_argument("scenario", help="scenario name or path")
    show.set_defaults(func=cmd_show)


def footprint_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--footprint", default=None, metavar="YEAR",
                        help="state every year on the organisations of this footprint: 2022 for the 42 ICBs of July "
                             "2022, 2026 for the 36 of April 2026 (default: the latest in the scenario's history)")
