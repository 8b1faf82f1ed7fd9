"""`learn quiz [PATH...]`: start the Streamlit quiz app on this machine (localhost only).

PATH may be an entries .json (what `learn build` writes to dist/) or a text file; the app then
opens with that material chosen. Paths are checked here, before the server starts, so a typo
gives one line and exit 1 instead of a running app with an error page.
"""
from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
from pathlib import Path

from learn.errors import UsageError
from learn.quiz.materials import from_paths

APP = Path(__file__).resolve().parents[1] / "quiz" / "app.py"


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("quiz", help="start the quiz app (spaced repetition) in your browser",
                       description="Start the Streamlit quiz app on 127.0.0.1. Progress is kept per learner "
                                   "in SQLite under your user data folder, or in the database LEARN_DB_URL names.")
    p.add_argument("paths", nargs="*", metavar="PATH", help="entries .json (dist/NAME.json) or a text file to practise")
    p.add_argument("--port", type=port_number, default=0, help="port to serve on (default: a free one from 8501)")
    p.add_argument("--dry-run", action="store_true", help="check PATHs and print the server command; do not start it")
    p.set_defaults(run=run)


def port_number(value: str) -> int:
    """A TCP port for argparse (1–65535)."""
    try:
        port = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a port number, got {value!r}") from None
    if not 1 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"expected a port number from 1 to 65535, got {port}")
    return port


def free_port(start: int = 8501, tries: int = 50) -> int:
    """The first port from `start` nobody listens on (Streamlit's default first)."""
    for port in range(start, start + tries):
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def command(paths: list[str], port: int) -> list[str]:
    """The streamlit command line that serves the app with `paths` preselected."""
    cmd = [sys.executable, "-m", "streamlit", "run", str(APP), "--server.headless", "true",
           "--server.address", "127.0.0.1", "--server.port", str(port), "--browser.gatherUsageStats", "false", "--client.toolbarMode", "minimal"]
    return cmd + (["--", *[str(Path(p).resolve()) for p in paths]] if paths else [])


def run(args: argparse.Namespace) -> int:
    if "-" in args.paths:           # the server runs in another process: it cannot read our stdin
        raise UsageError("standard input (-) cannot feed the quiz app: save the text to a file, "
                         "or paste it in the app")
    if args.paths:
        from_paths(args.paths)          # raises a one-line LearnError for a bad file
    port = args.port or free_port()
    cmd = command(args.paths, port)
    if args.dry_run:
        print(" ".join(cmd))
        return 0
    print(f"learn quiz: open http://127.0.0.1:{port} (Ctrl+C stops the server)", file=sys.stderr)
    return subprocess.call(cmd, env=os.environ.copy())
