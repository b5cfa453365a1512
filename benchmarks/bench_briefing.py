"""How long one board briefing takes, end to end.

Loads the scenarios, runs them, composes the briefing (key messages, tables, the three charts),
renders the HTML, the PDF (WeasyPrint) and the DOCX, and writes the folder as ``icb-model
briefing`` does. The first briefing in a fresh process includes importing matplotlib, WeasyPrint
and python-docx (what the command line pays); the repeats show what a long-running process such
as the dashboard pays for each further briefing. Prints each stage's time.

    .venv/bin/python benchmarks/bench_briefing.py [--icb QOP] [--repeats 3] [SCENARIO ...]

Target: under 3 s for one briefing end to end.
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
TARGET_S = 3.0


def one(names: list[str], icb: str, out: Path) -> dict[str, float]:
    """One briefing, timed by stage (seconds)."""
    times: dict[str, float] = {}
    start = time.perf_counter()

    def lap(stage: str) -> None:
        nonlocal start
        now = time.perf_counter()
        times[stage] = now - start
        start = now

    import pandas as pd

    from model.output.briefing import build
    from model.output.briefing.files import write
    from model.output.results import scenario_results
    from model.scenario import load_scenario

    lap("imports (pandas, model)")
    scenarios = [load_scenario(name, ROOT) for name in names]
    results = pd.concat([scenario_results(s) for s in scenarios], ignore_index=True)
    lap("load and run the scenarios")
    briefing = build(results, scenarios, icb)
    lap("compose: messages, tables, 3 charts")
    briefing.html()
    lap("HTML (fonts subset and inlined)")
    briefing.pdf_bytes()
    lap("PDF (WeasyPrint, PDF/UA-1)")
    briefing.docx_bytes()
    lap("DOCX (python-docx)")
    write(briefing, results, scenarios, out, argv=["bench_briefing"])
    lap("write the folder")
    return times


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("scenarios", nargs="*", default=["base", "envelope_2025"])
    parser.add_argument("--icb", default="QOP", help="ICB code or ENG (default QOP)")
    parser.add_argument("--repeats", type=int, default=3, help="further briefings in the same process")
    args = parser.parse_args(argv)

    process_start = time.perf_counter()
    with tempfile.TemporaryDirectory() as folder:
        first = one(args.scenarios, args.icb, Path(folder) / "first")
        first_total = time.perf_counter() - process_start
        again = [one(args.scenarios, args.icb, Path(folder) / f"again{n}") for n in range(args.repeats)]
    print(f"One briefing: {', '.join(args.scenarios)} for {args.icb}; seconds")
    print(f"{'stage':40} {'first':>8} {'repeat (median)':>16}")
    for stage in first:
        repeat = statistics.median(t[stage] for t in again) if again else float("nan")
        print(f"{stage:40} {first[stage]:8.3f} {repeat:16.3f}")
    repeat_total = statistics.median(sum(t.values()) for t in again) if again else float("nan")
    print(f"{'total':40} {first_total:8.3f} {repeat_total:16.3f}")
    verdict = "within" if first_total < TARGET_S else "OVER"
    print(f"\nFirst briefing in a fresh process: {first_total:.2f} s ({verdict} the {TARGET_S:.0f} s target); each "
          f"further one {repeat_total:.2f} s.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
