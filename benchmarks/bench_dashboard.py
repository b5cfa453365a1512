"""How long the dashboard's server takes to answer a slider move.

Posts the request a browser sends when a control moves (``/_dash-update-component`` for the one
callback that updates the whole page) to the app's Flask server, in process, and times the
answer: Dash's dispatch, the custom scenario's engine run (England plus 42 ICBs), the headline
table, five figures and the JSON response. Four scenarios are compared, the custom one among
them; the ICB and the moved control change on every request, so the custom-run cache rarely
helps (each move is a new setting).

Target (issue 4): p95 under 250 ms. Exits 1 if it is missed.

    .venv/bin/python benchmarks/bench_dashboard.py [--requests 200]
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

TARGET_P95_MS = 250.0
COMPARE = ["base", "envelope_2025", "real_terms_30", "custom"]


def _entry(cid: object, prop: str, value: object = None, with_value: bool = True) -> dict:
    out = {"id": cid, "property": prop}
    if with_value:
        out["value"] = value
    return out


def update_request(app, controls: list, widget_values: dict, view: dict, changed: str) -> tuple[str, dict]:
    """The body a browser posts to run the page's ``update`` callback."""
    from dashboard.controls import CONTROLS

    key = next(k for k in app.callback_map if k.startswith("..url.search..."))
    control_ids = [{"key": c.key, "type": "control"} for c in CONTROLS]
    readouts = [{"key": c.key, "type": "readout"} for c in CONTROLS if c.widget == "slider"]
    labels = [{"key": c.key, "type": "control-label"} for c in CONTROLS]
    figures = ("fig-allowance", "fig-workforce", "fig-core", "fig-waterfall", "fig-ranking")
    outputs = [
        _entry("url", "search", with_value=False), _entry("start", "value", with_value=False),
        [_entry(i, "value", with_value=False) for i in control_ids],
        _entry("icb", "value", with_value=False), _entry("year", "value", with_value=False),
        _entry("compare", "value", with_value=False),
        [_entry(i, "children", with_value=False) for i in readouts],
        [_entry(i, "title", with_value=False) for i in labels],
        *[_entry(i, "children", with_value=False)
          for i in ("sources", "view-title", "notes", "headline", "units-hint", "changes")],
        *[_entry(f, "figure", with_value=False) for f in figures],
        *[_entry(f"{f}-title", "children", with_value=False) for f in figures],
        *[_entry(f"{f}-note", "children", with_value=False) for f in figures],
        _entry("footer", "children", with_value=False),
    ]
    inputs = [
        _entry("url", "search", view["search"]), _entry("start", "value", view["start"]),
        _entry("reset", "n_clicks", 0),
        [_entry(i, "value", widget_values[i["key"]]) for i in control_ids],
        _entry("icb", "value", view["icb"]), _entry("year", "value", view["year"]),
        _entry("compare", "value", view["compare"]), _entry("uploads", "data", []),
    ]
    state = [[_entry(i, "id", i) for i in control_ids], [_entry(i, "id", i) for i in readouts]]
    changed_id = json.dumps({"key": changed, "type": "control"}, separators=(",", ":"), sort_keys=True)
    body = {"output": key, "outputs": outputs, "inputs": inputs, "state": state,
            "changedPropIds": [f"{changed_id}.value"]}
    return "/_dash-update-component", body


def random_move(rng: random.Random, controls: list, values: dict) -> str:
    """Move one slider to a random point of its range; returns its key."""
    sliders = [c for c in controls if c.widget == "slider"]
    control = rng.choice(sliders)
    steps = round((control.high - control.low) / control.step)
    values[control.key] = round(control.low + rng.randint(0, steps) * control.step, 6)
    return control.key


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200, help="timed requests (default 200)")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)

    started = time.perf_counter()
    from dashboard.app import create_app
    from dashboard.components import widget_value
    from dashboard.controls import CONTROLS
    from dashboard.startpoint import defaults
    from dashboard.store import ScenarioStore

    store = ScenarioStore(ROOT)
    app = create_app(store=store)
    client = app.server.test_client()
    print(f"app ready in {time.perf_counter() - started:.2f} s ({len(store.shipped)} shipped scenarios loaded)")

    rng = random.Random(args.seed)
    settings = defaults(store.shipped["base"].start)
    codes = ["ENG", *list(store.icbs["code"])]
    timings = []
    for i in range(args.requests + 10):
        key = random_move(rng, CONTROLS, settings)
        values = {c.key: widget_value(c, settings[c.key]) for c in CONTROLS}
        view = {"search": "", "start": "base", "icb": rng.choice(codes), "year": "2025/26", "compare": COMPARE}
        url, body = update_request(app, CONTROLS, values, view, key)
        payload = json.dumps(body)
        t0 = time.perf_counter()
        response = client.post(url, data=payload, content_type="application/json")
        data = response.get_data()
        elapsed = time.perf_counter() - t0
        if response.status_code != 200 or b'"headline"' not in data or b'"fig-ranking"' not in data:
            print(f"request failed ({response.status_code}): {data[:500]!r}")
            return 1
        if i >= 10:  # the first few warm caches and imports
            timings.append(elapsed * 1000)
    timings.sort()
    p50 = statistics.median(timings)
    p95 = timings[round(0.95 * (len(timings) - 1))]
    print(f"slider move -> whole page, {len(COMPARE)} scenarios, England + 42 ICBs, {len(timings)} requests:")
    print(f"  p50 {p50:.1f} ms   p95 {p95:.1f} ms   max {timings[-1]:.1f} ms   response {len(data) / 1024:.0f} KB")
    ok = p95 < TARGET_P95_MS
    print(f"  target p95 < {TARGET_P95_MS:.0f} ms: {'met' if ok else 'MISSED'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
