"""Benchmark: the dashboard's first view in headless Chromium, every chart drawn.

Serves the dashboard (``python -m dashboard.app`` on a free local port, the shipped defaults),
opens it in a fresh browser context each time (an empty cache: what a new user waits for) and
times from the start of navigation until every chart on the page has drawn its plot. Prints the
median and the slowest of ``--repeats`` loads; the median time the browser's main thread was busy
until then (Chromium's own count, ``TaskDuration``, and of it the time running scripts), which a
busy machine disturbs less than the wall time; and the bytes that crossed the wire (compressed,
as sent) beside their size unpacked, with the largest script.

Issue 13's target: the first view with all charts drawn under 2 s on the machine that runs it.

    .venv/bin/python benchmarks/bench_first_view.py [--repeats 5] [--tree DIR] [--query '?icb=QNQ']

``--tree`` serves another checkout (its own ``.venv``) instead, for before and after figures.
``--query`` opens the page at an address with a query (a shared link), which the page is not
served showing: it waits for the first update's answer.
Uses Debian's Chromium (``/usr/bin/chromium`` or ``$CHROME_BIN``); never downloads a browser.
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = os.environ.get("CHROME_BIN", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
TARGET_S = 2.0
DRAWN = """() => {
    const graphs = [...document.querySelectorAll('.dash-graph')];
    return graphs.length > 0 && graphs.every(g => g.querySelector('.js-plotly-plot .main-svg'));
}"""


def free_port() -> int:
    """A TCP port nothing listens on now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def serve(tree: Path, port: int) -> subprocess.Popen[bytes]:
    """Start the dashboard of ``tree`` and wait until it answers (at most 60 s)."""
    python = tree / ".venv" / "bin" / "python"
    proc = subprocess.Popen([str(python), "-m", "dashboard.app", "--port", str(port)], cwd=tree,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2).read()
            return proc
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise SystemExit(f"the dashboard of {tree} did not answer on port {port} within 60 s")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5, help="page loads timed (default 5)")
    parser.add_argument("--tree", type=Path, default=ROOT, help="checkout to serve (default: this one)")
    parser.add_argument("--query", default="", help="the address's query, such as '?icb=QNQ' (default: none)")
    args = parser.parse_args(argv)
    if not Path(CHROMIUM).exists():
        print(f"Chromium not found at {CHROMIUM}: apt-get install --no-install-recommends chromium", file=sys.stderr)
        return 2
    from playwright.sync_api import sync_playwright

    port = free_port()
    server = serve(args.tree.resolve(), port)
    times: list[float] = []
    busy: list[tuple[float, float]] = []  # the main thread's busy time and, of it, running scripts
    wire: dict[str, tuple[int, int]] = {}
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
            for _ in range(args.repeats + 1):  # the first load warms the server; it is not counted
                context = browser.new_context(viewport={"width": 1400, "height": 1000})
                page = context.new_page()
                devtools = context.new_cdp_session(page)
                devtools.send("Performance.enable")
                wire.clear()
                page.on("requestfinished", lambda r: wire.__setitem__(r.url, _sizes(r)))
                start = time.perf_counter()
                page.goto(f"http://127.0.0.1:{port}/{args.query}")
                page.wait_for_function(DRAWN, timeout=60_000, polling=20)
                times.append(time.perf_counter() - start)
                metrics = {m["name"]: m["value"] for m in devtools.send("Performance.getMetrics")["metrics"]}
                busy.append((metrics["TaskDuration"], metrics["ScriptDuration"]))
                context.close()
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=10)
    timed, counted = times[1:], busy[1:]
    sent, unpacked = sum(s for s, _ in wire.values()), sum(u for _, u in wire.values())
    biggest = max(wire.items(), key=lambda item: item[1][1])
    print(f"{args.tree.resolve()}: first view of /{args.query}, every chart drawn, over {len(timed)} loads in a "
          "fresh context")
    print(f"  median {statistics.median(timed):.2f} s, slowest {max(timed):.2f} s (target under {TARGET_S:.0f} s: "
          f"{'met' if statistics.median(timed) < TARGET_S else 'NOT met'})")
    print(f"  the browser's main thread busy {statistics.median(b for b, _ in counted):.2f} s "
          f"(running scripts {statistics.median(s for _, s in counted):.2f} s), medians")
    print(f"  {len(wire)} requests, {sent / 1e6:.2f} MB sent ({unpacked / 1e6:.2f} MB unpacked); largest "
          f"{biggest[0].split('?')[0].rsplit('/', 1)[-1]} {biggest[1][0] / 1e6:.2f} MB sent")
    return 0


def _sizes(request: object) -> tuple[int, int]:
    """Bytes of a finished request's response as sent (body, compressed) and unpacked."""
    from playwright.sync_api import Error as PlaywrightError

    sizes = request.sizes()  # type: ignore[attr-defined]
    response = request.response()  # type: ignore[attr-defined]
    try:
        unpacked = len(response.body()) if response is not None else 0
    except PlaywrightError:  # the page closed first (a late favicon): count what was sent
        unpacked = int(sizes["responseBodySize"])
    return int(sizes["responseBodySize"]), unpacked


if __name__ == "__main__":
    sys.exit(main())
