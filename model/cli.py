"""The ``icb-model`` command line.

Every command exits 0 on success, 2 on invalid input (with a message naming the file, key path
and line, never a traceback) and 1 when something outside the input fails (a file that cannot be
written). Heavy libraries (dash, plotly) are imported only by the commands that need them.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

EXIT_OK, EXIT_FAILED, EXIT_INVALID = 0, 1, 2

COMMAND_MODULES: tuple[str, ...] = (
    "model.batch_cli",
    "model.workbook_cli",
    "dashboard.cli",
)
"""Modules that add further commands: each has ``add_commands(subparsers)``, which must stay
light to import (heavy imports belong inside the command functions)."""


class UsageError(Exception):
    """Invalid input that is not a scenario file problem (a bad option value)."""


def find_root(start: Path | None = None) -> Path:
    """The project folder: the nearest folder at or above ``start`` holding assumptions.yaml,
    else the folder this package was installed from."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "assumptions.yaml").is_file():
            return folder
    return Path(__file__).resolve().parents[1]


def _load(refs: Sequence[str], root: Path) -> list:
    from model.scenario import load_scenario

    return [load_scenario(ref, root) for ref in refs]


def cmd_run(args: argparse.Namespace) -> int:
    import pandas as pd

    from model.export import write_run
    from model.results import scenario_results

    scenarios = _load(args.scenarios, args.root)
    names = [s.name for s in scenarios]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise UsageError(f"two scenarios are both named {', '.join(duplicates)}; give each its own `name:`")
    results = pd.concat([scenario_results(s) for s in scenarios], ignore_index=True)
    written = write_run(results, scenarios, args.out, xlsx=not args.no_xlsx)
    n_icbs = results.loc[results.icb_code != "ENG", "icb_code"].nunique()
    print(f"Ran {len(scenarios)} scenario(s) ({', '.join(names)}) for {n_icbs} ICBs and England.")
    for path in written:
        print(f"  wrote {path}")
    return EXIT_OK


def cmd_compare(args: argparse.Namespace) -> int:
    import pandas as pd

    from model.compare import SelectionError, format_table, headline_table
    from model.results import scenario_results

    scenarios = _load(args.scenarios, args.root)
    results = pd.concat([scenario_results(s) for s in scenarios], ignore_index=True)
    icb = args.icb.upper()
    try:
        table = headline_table(results, [s.name for s in scenarios], args.year, icb)
    except SelectionError as error:
        raise UsageError(str(error)) from None
    place = results.loc[results.icb_code == icb, "icb_name"].iloc[0]
    print(format_table(table, f"{place}, {args.year}: {' vs '.join(s.name for s in scenarios)}"))
    print("\n£m cash unless stated; real terms in base-year prices; WTE = whole-time equivalents.")
    return EXIT_OK


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
    from model.listing import assumption_rows, format_rows

    (scenario,) = _load([args.scenario], args.root)
    chain = " <- ".join(str(p) for p in reversed(scenario.chain))
    print(f"# {scenario.name}: {scenario.description}".rstrip(": "))
    print(f"# files: {chain}")
    print(f"# content sha256: {scenario.content_hash()}\n")
    print(format_rows(assumption_rows(scenario)))
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="icb-model",
        description="ICB running-cost allowance, workforce and delegation model for England.",
    )
    parser.add_argument(
        "--root",
        type=Path,
        default=None,
        help="project folder holding assumptions.yaml and scenarios/ (default: found from the current folder)",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    run = sub.add_parser("run", help="run scenarios and write results.csv, results.xlsx and manifest.json")
    run.add_argument("scenarios", nargs="+", help="scenario names (base, envelope_2025) or YAML paths")
    run.add_argument("--out", type=Path, required=True, help="folder to write into (created if missing)")
    run.add_argument("--no-xlsx", action="store_true", help="skip results.xlsx")
    run.set_defaults(func=cmd_run)

    compare = sub.add_parser("compare", help="print headline figures side by side for one year and place")
    compare.add_argument("scenarios", nargs="+", help="scenario names or paths; the first is the reference")
    compare.add_argument("--year", required=True, help="financial year, e.g. 2025/26")
    compare.add_argument("--icb", default="ENG", help="ICB code (default ENG, England)")
    compare.set_defaults(func=cmd_compare)

    validate = sub.add_parser("validate", help="check scenario files and report every problem")
    validate.add_argument("files", nargs="+", help="YAML files to check")
    validate.set_defaults(func=cmd_validate)

    show = sub.add_parser("show", help="print a scenario's resolved assumptions and where each came from")
    show.add_argument("scenario", help="scenario name or path")
    show.set_defaults(func=cmd_show)

    for module in COMMAND_MODULES:
        importlib.import_module(module).add_commands(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``icb-model`` console script; returns the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    args.root = (args.root or find_root()).resolve()
    return guarded(args.func, args)


DEBUG_ENV = "ICB_MODEL_DEBUG"
"""Set this environment variable (to anything) to let an unexpected error raise with its traceback."""


def guarded(func: Callable[[argparse.Namespace], int], args: argparse.Namespace) -> int:
    """Run a command, turning expected failures into a message and an exit status.

    An unexpected error (a bug) is reported in one line with exit status 1, never as a bare
    traceback, unless the environment sets ICB_MODEL_DEBUG.
    """
    from model.overrides import OverrideError
    from model.scenario import ScenarioError

    try:
        return func(args)
    except ScenarioError as error:
        print(str(error), file=sys.stderr)
        return EXIT_INVALID
    except (UsageError, OverrideError) as error:
        print(f"icb-model: {error}", file=sys.stderr)
        return EXIT_INVALID
    except OSError as error:
        print(f"icb-model: {error.strerror or error}: {error.filename or ''}".rstrip(": "), file=sys.stderr)
        return EXIT_FAILED
    except KeyboardInterrupt:
        print("icb-model: interrupted; no partial files were left.", file=sys.stderr)
        return 130
    except Exception as error:  # noqa: BLE001 - the last line of defence against a traceback
        if os.environ.get(DEBUG_ENV):
            raise
        from model.yamlio import printable, shorten

        print(f"icb-model: internal error ({type(error).__name__}: {printable(shorten(str(error), 300))}). "
              "This is a bug in the model, not a problem with your files; no file was left half-written. "
              f"Please report it with the command and files you used (set {DEBUG_ENV}=1 to see the details).",
              file=sys.stderr)
        return EXIT_FAILED


if __name__ == "__main__":
    # Run the imported module's main, not this __main__ copy, so that command modules which
    # import model.cli raise the same exception classes that `guarded` catches.
    sys.exit(importlib.import_module("model.cli").main())
