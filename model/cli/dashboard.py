"""The ``icb-model dashboard`` command. Light to import: Dash is imported only when it runs."""

from __future__ import annotations

import argparse

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8050


def _port(text: str) -> int:
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a port number") from None
    if not 0 < port < 65536:
        raise argparse.ArgumentTypeError(f"{port} is not a port number (1 to 65535)")
    return port


def cmd_dashboard(args: argparse.Namespace) -> int:
    """Serve the dashboard until interrupted."""
    from dashboard.app import serve

    serve(args.host, args.port, args.root)
    return 0


def add_commands(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``dashboard`` to the ``icb-model`` command line."""
    parser = subparsers.add_parser(
        "dashboard",
        help="serve the interactive dashboard (default http://127.0.0.1:8050/)",
        description="Serve the dashboard with Flask's server. For production use a WSGI server: "
                    "gunicorn --bind 127.0.0.1:8050 dashboard.app:server",
    )
    parser.add_argument("--host", default=DEFAULT_HOST,
                        help=f"address to listen on (default {DEFAULT_HOST}: this machine only)")
    parser.add_argument("--port", type=_port, default=DEFAULT_PORT, help=f"port (default {DEFAULT_PORT})")
    parser.set_defaults(func=cmd_dashboard, server=True)
