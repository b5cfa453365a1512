"""Load test: the dashboard under gunicorn with a room full of users moving sliders.

Starts ``gunicorn dashboard.app:server`` on 127.0.0.1 (a free port; nothing leaves this machine),
reads the page's layout and callbacks from ``/_dash-layout`` and ``/_dash-dependencies``, and
runs N simulated users, each of whom loads the page once and then moves a random slider to a
random allowed value, pauses, and moves another, for a fixed time. Each move is the request a
browser sends: a POST to ``/_dash-update-component`` carrying every input and state of the page's
main callback, built from the layout. At the end it prints requests served, errors and latency
percentiles, and stops gunicorn::

    .venv/bin/python benchmarks/load_dashboard.py                      # 20 users, 60 s, 2 workers x 4 threads
    .venv/bin/python benchmarks/load_dashboard.py --think 0            # no pauses: saturation
    .venv/bin/python benchmarks/load_dashboard.py --target tiny --seconds 5   # self-test

An error is any response other than 200 with a Dash ``response`` body, a timeout (``--timeout``,
default 30 s) or a dropped connection. The run is bounded: users stop at ``--seconds``, requests
still in flight then get ``--timeout`` more, and gunicorn is stopped in any case.

``--target tiny`` serves a two-slider Dash app defined in this file instead of the dashboard:
it checks the script itself (layout walking, pattern-matching ids, the request format) in a few
seconds, and is what tests/hardening/test_hardening_uploads.py runs.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import resource
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HOST = "127.0.0.1"


# ---------------------------------------------------------------------------------------------
# The Dash callback protocol


def stringify_id(cid: object) -> str:
    """A component id as Dash writes it in property ids: dict ids as sorted, compact JSON."""
    return json.dumps(cid, sort_keys=True, separators=(",", ":")) if isinstance(cid, dict) else str(cid)


def walk_layout(node: object, found: dict[str, dict]) -> None:
    """Index every component with an id in a ``/_dash-layout`` tree: stringified id -> component."""
    if isinstance(node, list):
        for item in node:
            walk_layout(item, found)
    elif isinstance(node, dict):
        props = node.get("props")
        if isinstance(props, dict) and "type" in node:
            if "id" in props:
                found[stringify_id(props["id"])] = {"type": node["type"], "id": props["id"], "props": props}
            for value in props.values():
                walk_layout(value, found)


def split_outputs(output: str) -> list[tuple[str, str]]:
    """The (id, property) pairs of a dependency's ``output`` string (``..a.b...c.d..`` for several)."""
    items = output[2:-2].split("...") if output.startswith("..") and output.endswith("..") else [output]
    return [tuple(item.rsplit(".", 1)) for item in items]


def _matches(pattern: dict, cid: object) -> bool:
    """Whether a dict id fits a pattern whose wildcard values are ``["ALL"]``."""
    if not isinstance(cid, dict) or set(cid) != set(pattern):
        return False
    return all(value == ["ALL"] or cid[key] == value for key, value in pattern.items())


def _resolve(spec_id: str, components: dict[str, dict]) -> list[dict] | dict:
    """The component(s) a dependency's id names: one, or (a pattern with ALL) a list."""
    if spec_id.startswith("{"):
        pattern = json.loads(spec_id)
        if any(value == ["ALL"] for value in pattern.values()):
            return [c for c in components.values() if _matches(pattern, c["id"])]
        return components[stringify_id(pattern)]
    return components[spec_id]


class Callback:
    """One server-side callback of the page and what a request to it must carry."""

    def __init__(self, dependency: dict, components: dict[str, dict]) -> None:
        self.dependency = dependency
        self.components = components
        self.output = dependency["output"]
        outputs = []
        for spec_id, prop in split_outputs(self.output):
            target = _resolve(spec_id, components)
            if isinstance(target, list):
                outputs.append([{"id": c["id"], "property": prop.split("@")[0]} for c in target])
            else:
                outputs.append({"id": target["id"], "property": prop.split("@")[0]})
        self.outputs = outputs if self.output.startswith("..") else outputs[0]

    def _values(self, specs: list[dict], values: dict[str, object]) -> list:
        """Inputs or state entries, each with the value the page holds (``values`` by prop id)."""
        out = []
        for spec in specs:
            target = _resolve(spec["id"], self.components)
            prop = spec["property"]
            if isinstance(target, list):
                out.append([{"id": c["id"], "property": prop,
                             "value": values.get(f"{stringify_id(c['id'])}.{prop}", c["props"].get(prop))}
                            for c in target])
            else:
                out.append({"id": target["id"], "property": prop,
                            "value": values.get(f"{stringify_id(target['id'])}.{prop}", target["props"].get(prop))})
        return out

    def body(self, values: dict[str, object], changed: list[str]) -> bytes:
        """The JSON a browser POSTs to /_dash-update-component after ``changed`` prop ids changed."""
        payload = {
            "output": self.output,
            "outputs": self.outputs,
            "inputs": self._values(self.dependency["inputs"], values),
            "changedPropIds": changed,
        }
        if self.dependency.get("state"):
            payload["state"] = self._values(self.dependency["state"], values)
        return json.dumps(payload).encode("utf-8")

    def sliders(self) -> list[dict]:
        """The Slider components among this callback's inputs: what a user drags."""
        found = []
        for spec in self.dependency["inputs"]:
            target = _resolve(spec["id"], self.components)
            for c in target if isinstance(target, list) else [target]:
                if c["type"] in ("Slider", "RangeSlider") and spec["property"] == "value":
                    found.append(c)
        return found


def main_callback(dependencies: list[dict], components: dict[str, dict]) -> Callback:
    """The callback with the most slider inputs: the one every slider move calls."""
    callbacks = [Callback(d, components) for d in dependencies if not d.get("clientside_function")]
    best = max(callbacks, key=lambda cb: len(cb.sliders()))
    if not best.sliders():
        raise SystemExit("no callback takes a slider's value as input: nothing to move")
    return best


def slider_value(component: dict, rng: random.Random) -> float:
    """A random value a user could drag the slider to (on its step grid)."""
    props = component["props"]
    low, high = props.get("min", 0), props.get("max", 100)
    step = props.get("step") or (high - low) / 100
    value = low + rng.randint(0, max(0, round((high - low) / step))) * step
    whole = all(isinstance(x, int) and not isinstance(x, bool) for x in (low, high, step))
    return int(value) if whole else round(float(value), 10)


# ---------------------------------------------------------------------------------------------
# The simulated users


@dataclass
class Tally:
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, seconds: float, error: str | None) -> None:
        with self.lock:
            self.latencies.append(seconds)
            if error:
                self.errors.append(error)


def request(conn: http.client.HTTPConnection, method: str, path: str, body: bytes | None = None) -> tuple[int, bytes]:
    headers = {"Content-Type": "application/json", "Accept": "application/json"} if body is not None else {}
    conn.request(method, path, body=body, headers=headers)
    response = conn.getresponse()
    return response.status, response.read()


def post_timed(conn: http.client.HTTPConnection, body: bytes, judge: Callable[[int, bytes], str | None],
               tally: Tally) -> http.client.HTTPConnection:
    """POST ``body`` to the page's callback endpoint and record the latency in ``tally`` with
    ``judge``'s verdict on the answer (an error message, or None); a failed connection is an error
    and is replaced. Returns the connection to use next."""
    started = time.perf_counter()
    try:
        status, data = request(conn, "POST", "/_dash-update-component", body)
        error = judge(status, data)
    except (OSError, http.client.HTTPException) as exc:
        error = f"{type(exc).__name__}: {exc}"
        conn.close()
        conn = http.client.HTTPConnection(conn.host, conn.port, timeout=conn.timeout)
    tally.add(time.perf_counter() - started, error)
    return conn


def _not_a_dash_answer(status: int, data: bytes) -> str | None:
    """A user's move must get HTTP 200 with a Dash ``response`` body."""
    return None if status == 200 and b'"response"' in data[:200] else f"HTTP {status}: {data[:120]!r}"


def _a_server_error(status: int, data: bytes) -> str | None:
    """A hostile request may be refused (4xx) but must never get a server error."""
    return f"HTTP {status} to a hostile request: {data[:120]!r}" if status >= 500 else None


def user(port: int, callback: Callback, stop_at: float, think: float, timeout: float, seed: int, tally: Tally) -> None:
    """One user: the page's first callback, then slider moves until ``stop_at``."""
    rng = random.Random(seed)
    sliders = callback.sliders()
    values: dict[str, object] = {}
    conn = http.client.HTTPConnection(HOST, port, timeout=timeout)
    first = True
    time.sleep(rng.uniform(0, min(1.0, think or 0.2)))  # users do not all arrive in the same instant
    while time.perf_counter() < stop_at:
        if first:
            changed: list[str] = []
        else:
            slider = rng.choice(sliders)
            prop_id = f"{stringify_id(slider['id'])}.value"
            values[prop_id] = slider_value(slider, rng)
            changed = [prop_id]
        conn = post_timed(conn, callback.body(values, changed), _not_a_dash_answer, tally)
        first = False
        if think > 0:
            time.sleep(rng.uniform(0.5 * think, 1.5 * think))
    conn.close()


def hostile(port: int, callback: Callback, stop_at: float, timeout: float, seed: int, tally: Tally) -> None:
    """A hostile client, with no pauses until ``stop_at``: the page's own callback carrying four
    233 KB uploads under fresh keys (to force re-validation), a JSON array as the body, and an
    unknown output. Any 5xx answer is recorded as an error; 2xx and 4xx are what it should get."""
    rng = random.Random(seed)
    conn = http.client.HTTPConnection(HOST, port, timeout=timeout)
    padding = "# " + "x" * 78 + "\n"
    text = "extends: base\n" + padding * (233_000 // len(padding))
    n = 0
    while time.perf_counter() < stop_at:
        n += 1
        kind = n % 3
        if kind == 0:
            uploads = [{"key": f"upload:{rng.getrandbits(64):016x}", "name": f"h{n}_{i}", "filename": "h.yaml",
                        "text": f"name: h{n}_{i}\n" + text} for i in range(4)]
            body = callback.body({"uploads.data": uploads}, ["uploads.data"])
        elif kind == 1:
            body = b"[1, 2, 3]"
        else:
            body = json.dumps({"output": "nowhere.children", "outputs": {"id": "nowhere", "property": "children"},
                               "inputs": [], "changedPropIds": []}).encode()
        conn = post_timed(conn, body, _a_server_error, tally)
    conn.close()


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, max(0, round(q / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


# ---------------------------------------------------------------------------------------------
# Serving: gunicorn on loopback


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def start_gunicorn(app: str, port: int, workers: int, threads: int, chdir: Path) -> subprocess.Popen:
    gunicorn = Path(sys.executable).with_name("gunicorn")
    command = [str(gunicorn) if gunicorn.exists() else "gunicorn", "--bind", f"{HOST}:{port}",
               "--workers", str(workers), "--threads", str(threads), "--timeout", "120", "--preload",
               "--log-level", "warning", "--chdir", str(chdir), app]
    env = {**os.environ, "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
    return subprocess.Popen(command, cwd=chdir, env=env, start_new_session=True)


def wait_ready(port: int, proc: subprocess.Popen, limit: float) -> None:
    deadline = time.perf_counter() + limit
    while time.perf_counter() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"gunicorn exited with status {proc.returncode} before serving")
        try:
            conn = http.client.HTTPConnection(HOST, port, timeout=5)
            status, _ = request(conn, "GET", "/_dash-dependencies")
            conn.close()
            if status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise SystemExit(f"gunicorn did not answer within {limit:.0f} s")


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


# ---------------------------------------------------------------------------------------------
# A tiny Dash app for --target tiny (gunicorn imports it as load_dashboard:tiny_server())


def tiny_server():
    """A two-slider app with pattern-matching ids, shaped like the dashboard's main callback."""
    from dash import ALL, Dash, Input, Output, State, dcc, html

    app = Dash(__name__)
    app.layout = html.Div([
        dcc.Slider(id={"type": "control", "key": "a"}, min=0, max=10, step=1, value=5),
        dcc.Slider(id={"type": "control", "key": "b"}, min=-3, max=5, step=0.1, value=0),
        dcc.Input(id="note", value="hello"),
        html.Div(id="total"),
        html.Div(id={"type": "readout", "key": "a"}),
        html.Div(id={"type": "readout", "key": "b"}),
    ])

    @app.callback(Output("total", "children"), Output({"type": "readout", "key": ALL}, "children"),
                  Input({"type": "control", "key": ALL}, "value"), State("note", "value"))
    def total(values, note):
        return f"{note}: {sum(v or 0 for v in values):.1f}", [f"{v}" for v in values]

    return app.server


# ---------------------------------------------------------------------------------------------


def run(args: argparse.Namespace) -> dict:
    if args.target == "tiny":
        app, chdir = "load_dashboard:tiny_server()", Path(__file__).resolve().parent
    else:
        app, chdir = "dashboard.app:server", ROOT
    port = free_port()
    started = time.perf_counter()
    proc = start_gunicorn(app, port, args.workers, args.threads, chdir)
    try:
        wait_ready(port, proc, args.startup)
        boot = time.perf_counter() - started
        conn = http.client.HTTPConnection(HOST, port, timeout=args.timeout)
        _, layout = request(conn, "GET", "/_dash-layout")
        _, dependencies = request(conn, "GET", "/_dash-dependencies")
        conn.close()
        components: dict[str, dict] = {}
        walk_layout(json.loads(layout), components)
        callback = main_callback(json.loads(dependencies), components)
        tally, attacks = Tally(), Tally()
        stop_at = time.perf_counter() + args.seconds
        threads = [threading.Thread(target=user, daemon=True,
                                    args=(port, callback, stop_at, args.think, args.timeout, args.seed + n, tally))
                   for n in range(args.users)]
        threads += [threading.Thread(target=hostile, daemon=True,
                                     args=(port, callback, stop_at, args.timeout, args.seed + 1000 + n, attacks))
                    for n in range(args.hostile)]
        began = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=max(0.0, stop_at - time.perf_counter()) + args.timeout + 5)
        elapsed = time.perf_counter() - began
        hung = sum(thread.is_alive() for thread in threads)
    finally:
        stop(proc)
    client_cpu = resource.getrusage(resource.RUSAGE_SELF)
    server_cpu = resource.getrusage(resource.RUSAGE_CHILDREN)  # gunicorn and its workers, now reaped
    latencies = tally.latencies
    summary = {
        "target": args.target,
        "users": args.users,
        "seconds": args.seconds,
        "think_seconds": args.think,
        "gunicorn_workers": args.workers,
        "gunicorn_threads": args.threads,
        "cpus": os.cpu_count(),
        "sliders": len(callback.sliders()),
        "startup_seconds": round(boot, 2),
        "requests": len(latencies),
        "errors": len(tally.errors) + hung,
        "requests_per_second": round(len(latencies) / elapsed, 2) if elapsed else 0.0,
        "p50_ms": round(percentile(latencies, 50) * 1000, 1),
        "p95_ms": round(percentile(latencies, 95) * 1000, 1),
        "p99_ms": round(percentile(latencies, 99) * 1000, 1),
        "max_ms": round(max(latencies, default=float("nan")) * 1000, 1),
        "mean_ms": round(statistics.fmean(latencies) * 1000, 1) if latencies else float("nan"),
        "client_cpu_seconds": round(client_cpu.ru_utime + client_cpu.ru_stime, 1),
        "server_cpu_seconds": round(server_cpu.ru_utime + server_cpu.ru_stime, 1),
        "server_peak_rss_mb": round(server_cpu.ru_maxrss / 1024),
        "wall_seconds": round(elapsed, 1),
        "first_errors": tally.errors[:5],
        "hostile_clients": args.hostile,
        "hostile_requests": len(attacks.latencies),
        "hostile_5xx_or_dropped": len(attacks.errors),
    }
    return summary


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=20, help="simulated users (default 20)")
    parser.add_argument("--seconds", type=float, default=60.0,
                        help="how long the users keep moving sliders (default 60)")
    parser.add_argument("--think", type=float, default=1.0,
                        help="mean pause between a user's moves, s (default 1; 0 = none, for saturation)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes (default 2)")
    parser.add_argument("--threads", type=int, default=4, help="threads per gunicorn worker (default 4)")
    parser.add_argument("--timeout", type=float, default=30.0,
                        help="a request slower than this is an error (default 30)")
    parser.add_argument("--startup", type=float, default=120.0,
                        help="seconds allowed for gunicorn to start (default 120)")
    parser.add_argument("--target", choices=("dashboard", "tiny"), default="dashboard",
                        help="the dashboard, or a tiny app that tests this script (default dashboard)")
    parser.add_argument("--seed", type=int, default=1, help="random seed of the users (default 1)")
    parser.add_argument("--hostile", type=int, default=0,
                        help="hostile clients sending, without pause, 4 x 233 KB uploads under fresh keys, a JSON "
                             "array as the body and an unknown output (default 0); errors count legitimate users "
                             "only, the summary counts the hostile requests answered 5xx or dropped")
    parser.add_argument("--json", action="store_true", help="print the summary as JSON")
    args = parser.parse_args(argv)
    summary = run(args)
    if args.json:
        print(json.dumps(summary, indent=2))
    else:
        print(f"{summary['users']} users x {summary['seconds']:g} s against {summary['target']} "
              f"(gunicorn {summary['gunicorn_workers']} workers x {summary['gunicorn_threads']} threads, "
              f"{summary['cpus']} CPUs, think {summary['think_seconds']:g} s, {summary['sliders']} sliders)")
        print(f"requests served: {summary['requests']} ({summary['requests_per_second']}/s)   "
              f"errors: {summary['errors']}")
        print(f"latency ms: p50 {summary['p50_ms']}  p95 {summary['p95_ms']}  p99 {summary['p99_ms']}  "
              f"max {summary['max_ms']}  mean {summary['mean_ms']}")
        print(f"CPU seconds: server {summary['server_cpu_seconds']}, load client {summary['client_cpu_seconds']} "
              f"(over {summary['wall_seconds']} s of wall time); largest server process "
              f"{summary['server_peak_rss_mb']} MB")
        if summary["hostile_clients"]:
            print(f"hostile clients: {summary['hostile_clients']}, {summary['hostile_requests']} requests, "
                  f"{summary['hostile_5xx_or_dropped']} answered 5xx or dropped")
        for error in summary["first_errors"]:
            print(f"  error: {error}")
    return 0 if summary["errors"] == 0 and summary["hostile_5xx_or_dropped"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
