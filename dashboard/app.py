"""Create the Dash app and serve it.

``icb-model dashboard`` (see :mod:`model.cli.dashboard`) and ``python -m dashboard.app`` serve it on
http://127.0.0.1:8050/ with Flask's own server. For a production WSGI server use the Flask
object ``server``, for example::

    gunicorn --workers 2 --bind 127.0.0.1:8050 dashboard.app:server

``app`` and ``server`` are made on first use (module ``__getattr__``), from the project found
from the current folder, so importing this module loads nothing.
"""

from __future__ import annotations

import argparse
import gc
import logging
import re
import sys
from collections.abc import Callable
from functools import partial
from pathlib import Path
from types import TracebackType
from typing import Any

from dash import Dash
from flask import request
from werkzeug.exceptions import InternalServerError

from dashboard import a11y, statement
from dashboard.callbacks import register_callbacks
from dashboard.layout import build_layout
from dashboard.store import ScenarioStore

ExcInfo = tuple[type[BaseException], BaseException, TracebackType] | tuple[None, None, None]
"""What :func:`sys.exc_info` gives."""

logger = logging.getLogger(__name__)

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8050
MAX_REQUEST_BYTES = 4 * 1024 * 1024
"""Largest request Flask accepts: room for a clear 'file too large' message on uploads (which are
limited to 256 KB), while refusing anything far larger outright."""
ASSETS = Path(__file__).resolve().parent / "assets"
PLOTLY_TRACES = frozenset({"bar", "candlestick", "funnel", "funnelarea", "histogram", "indicator", "ohlc", "pie",
                           "scatter", "waterfall"})
"""The trace types of the plotly.js bundle the page loads (``assets/plotly-finance.min.js``, plotly.js's
'finance' partial bundle, MIT licence beside it): dcc.Graph uses it instead of fetching the full
plotly.js, a third of the size. Every chart the dashboard draws must use only these."""


POLYFILL = re.compile(r'<script src="[^"]*/deps/polyfill@[^"]*"></script>\s*')
"""Dash's script tag for Babel's polyfill (``@babel/polyfill``, core-js 2 and regenerator-runtime)."""


class Page(Dash):
    """Dash, less the script that makes browsers of ten years ago run code written for today's.

    Dash loads ``@babel/polyfill`` on every page: core-js 2's versions of what every browser Dash
    supports has built in, and regenerator-runtime, which the compiled dash-core-components do
    need (``regeneratorRuntime``). The page loads regenerator-runtime alone instead
    (``assets/regenerator-runtime.js``, 0.14.1, MIT licence beside it; Dash loads its assets
    before its components). Running the polyfill took about 0.15 s of the browser's work in a
    fresh load (docs/performance.md, round eight)."""

    def interpolate_index(self, **kwargs: Any) -> str:
        kwargs["scripts"] = POLYFILL.sub("", kwargs["scripts"])
        return str(super().interpolate_index(**kwargs))


def create_app(root: Path | None = None, store: ScenarioStore | None = None) -> Dash:
    """The dashboard for the project at ``root`` (default: found from the current folder)."""
    if store is None:
        from model.cli.common import find_root

        store = ScenarioStore(Path(root) if root else find_root())
    app = Page(
        __name__,
        title="ICB running costs",
        assets_folder=str(ASSETS),
        update_title=None,
        serve_locally=True,
        compress=True,  # flask-compress: gzip/brotli for the scripts and every callback response
    )
    app.index_string = a11y.index_string(app.index_string)
    app.layout = build_layout(store)
    register_callbacks(app, store)
    statement.register(app.server, app.config.routes_pathname_prefix, app.config.requests_pathname_prefix)
    app.server.config["MAX_CONTENT_LENGTH"] = MAX_REQUEST_BYTES
    app.server.register_error_handler(InternalServerError, _unreadable)
    app.server.log_exception = partial(_log_exception, app.server.log_exception)  # type: ignore[method-assign]
    return app


def _log_exception(log_in_full: Callable[[ExcInfo], None], exc_info: ExcInfo) -> None:
    """Flask's logging of an error a request met, except for a callback request Dash cannot read
    (which :func:`_unreadable` answers with a 400): one line saying what, not a traceback, so that a
    client sending malformed requests cannot fill the server's log with tracebacks (about 1.5 KB
    each) or spend its time formatting them."""
    if _callback_request():
        kind, error = exc_info[0], exc_info[1]
        text = " ".join(str(error).split())[:200]
        logger.warning("unreadable callback request from %s: %s: %s", request.remote_addr,
                       kind.__name__ if kind else "error", text)
        return
    log_in_full(exc_info)


def _callback_request() -> bool:
    """Whether the request being served is one of the page's callbacks (Dash's update endpoint)."""
    return request.path.endswith("/_dash-update-component")


def _unreadable(error: InternalServerError) -> tuple[dict, int]:
    """What the server says when Dash cannot read a request (the page's callbacks catch their own
    errors, so one that reaches here is a malformed request): 400 and a message, not a 500."""
    cause = error.original_exception
    if _callback_request():
        return {"message": "The request could not be read; reload the page."}, 400
    return {"message": f"Something went wrong on the server ({type(cause).__name__}); reload the page."}, 500


YOUNG_COLLECTION_AFTER = 20_000
"""Allocations (net of frees) before Python collects the youngest generation (its default is 700).
A slider move makes and drops tens of thousands of objects (pandas frames, figure dicts): with the
default, over 600 moves (``benchmarks/bench_dashboard.py``), 2,000 young and 200 middle collections
(3 ms each, as the middle generation holds what the last moves made) took 0.9 s in all; with this,
1 middle collection and 0.3 s."""
FULL_COLLECTION_AFTER = 100
"""Collections of the middle generation before Python considers a full one (its default is 10).
Over 400 slider moves (``benchmarks/bench_dashboard.py``) the server made 16 full collections, 1.3 s
in all and up to 122 ms each, with the default; 2 with this."""


def settle() -> None:
    """Move everything made so far out of the garbage collector's sight (:func:`gc.freeze`), once
    the app is made and before it serves. The scenarios, their results, the layout and the
    libraries live as long as the server, yet a full collection scanned them all: about 140 ms on
    the 2-core test machine, every few dozen slider moves, which set the slowest moves' time. What
    requests make is still collected. Python's documentation recommends this for a server that
    forks workers (gunicorn ``--preload``), where it also keeps those objects' memory shared.

    Then collections are made rarer. Full ones (:data:`FULL_COLLECTION_AFTER`): what a server's
    requests keep is its caches of custom runs and pandas' weak references to the arrays of results
    it keeps (its copy-on-write bookkeeping, cleared by pandas itself in batches), about 140,000
    objects after a few hundred slider moves, which a full collection scans in 70 to 120 ms. Young
    ones (:data:`YOUNG_COLLECTION_AFTER`): a request's own garbage, cycles included, is still
    collected, a few requests' worth at a time."""
    gc.collect()
    gc.freeze()
    _, middle, _ = gc.get_threshold()
    gc.set_threshold(YOUNG_COLLECTION_AFTER, middle, FULL_COLLECTION_AFTER)


_made: dict[str, object] = {}


def __getattr__(name: str) -> object:
    """``app`` and ``server`` (``server = app.server``, for gunicorn), made on first use."""
    if name in ("app", "server"):
        if "app" not in _made:
            _made["app"] = create_app()
            _made["server"] = _made["app"].server
            settle()
        return _made[name]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def serve(host: str = DEFAULT_HOST, port: int = DEFAULT_PORT, root: Path | None = None, debug: bool = False) -> None:
    """Serve the dashboard with Flask's server, saying where."""
    app = create_app(root)
    settle()
    shown = f"[{host}]" if ":" in host else host
    print(f"ICB running-cost dashboard: serving on http://{shown}:{port}/ (Ctrl+C to stop).", flush=True)
    if host not in ("127.0.0.1", "localhost", "::1"):
        print(f"Note: listening on {host} makes the dashboard reachable from other machines.", flush=True)
    app.run(host=host, port=port, debug=debug)


def main(argv: list[str] | None = None) -> int:
    """``python -m dashboard.app [--host H] [--port P]``."""
    parser = argparse.ArgumentParser(prog="python -m dashboard.app",
                                     description="Serve the ICB running-cost dashboard.")
    parser.add_argument("--host", default=DEFAULT_HOST, help=f"address to listen on (default {DEFAULT_HOST})")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"port (default {DEFAULT_PORT})")
    parser.add_argument("--root", type=Path, default=None, help="project folder (default: found from here)")
    args = parser.parse_args(argv)
    serve(args.host, args.port, args.root)
    return 0


if __name__ == "__main__":
    sys.exit(main())
