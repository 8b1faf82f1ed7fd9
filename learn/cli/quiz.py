"""`learn quiz [PATH...]`: start the Streamlit quiz app on this machine (localhost only).

PATH may be an entries .json (what `learn build` writes to dist/) or a text file; the app then
opens with that material chosen. On a class's server (`--class`, or a teacher's password set) the
PATHs are the class's materials, the only ones the teacher's page counts (learn.quiz.teacher). Paths and the port are checked here, before the server starts,
so a typo or a busy port gives one line and exit 1 instead of a running app with an error page.

The server runs as a child process in its own process group. SIGTERM, SIGINT and SIGHUP sent to
`learn quiz` (Ctrl+C, `systemctl stop`, `docker stop`) are passed on to it, and `learn quiz`
exits only when the server has: no server is left behind holding the port. `--workers N` runs N
servers behind HAProxy instead (learn.cli.workers), the same way.
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from learn.cli import workers
from learn.errors import LearnError, UsageError
from learn.quiz.materials import from_paths

APP = Path(__file__).resolve().parents[1] / "quiz" / "app.py"
CLASS_ENV = "LEARN_CLASS"  # read by learn.quiz.auth.class_mode() in the server
FORWARDED = (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)
GRACE = 10.0  # seconds the server gets to stop before it is killed


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "quiz",
        help="start the quiz app (spaced repetition) in your browser",
        description="Start the Streamlit quiz app on 127.0.0.1. Progress is kept per learner "
        "in SQLite under your user data folder, or in the database LEARN_DB_URL names "
        "(postgresql+psycopg://… for a class server).",
    )
    p.add_argument(
        "paths",
        nargs="*",
        metavar="PATH",
        help="entries .json (dist/NAME.json) or a text file to practise; with --class, the class's materials",
    )
    p.add_argument(
        "--port",
        type=port_number,
        default=0,
        help="port to serve on; fails if it is taken (default: a free one from 8501)",
    )
    p.add_argument(
        "--class",
        dest="class_mode",
        action="store_true",
        help=f"class mode: every profile has a PIN, and the PATHs are the class's materials (same as {CLASS_ENV}=1)",
    )
    p.add_argument(
        "--workers",
        type=worker_count,
        default=1,
        metavar="N",
        help="serve with N Streamlit processes behind HAProxy, each browser kept on its own (a class on a "
        "machine with N cores; needs the haproxy program)",
    )
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


def port_free(port: int) -> bool:
    """Whether a server could listen on 127.0.0.1:`port` now (bound as Streamlit binds it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def worker_count(value: str) -> int:
    """--workers for argparse (1–64)."""
    try:
        count = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number of processes, got {value!r}") from None
    if not 1 <= count <= 64:
        raise argparse.ArgumentTypeError(f"expected 1 to 64 worker processes, got {count}")
    return count


def free_port(start: int = 8501, tries: int = 50) -> int:
    """The first port from `start` nobody listens on (Streamlit's default first)."""
    for port in range(start, min(start + tries, 65536)):
        if port_free(port):
            return port
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def command(paths: list[str], port: int) -> list[str]:
    """The streamlit command line that serves the app with `paths` preselected."""
    cmd = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(APP),
        "--server.headless",
        "true",
        "--server.address",
        "127.0.0.1",
        "--server.port",
        str(port),
        "--browser.gatherUsageStats",
        "false",
        "--client.toolbarMode",
        "minimal",
        # Streamlit's full garbage collection after every script run walks the whole heap (~100 ms
        # of CPU per click once the dictionaries are loaded); Python's own collector still runs.
        "--runner.postScriptGC",
        "false",
        # a served app does not reload when its source changes: no file watching on every rerun
        "--server.fileWatcherType",
        "none",
    ]
    return cmd + (["--", *[str(Path(p).resolve()) for p in paths]] if paths else [])


def run(args: argparse.Namespace) -> int:
    if "-" in args.paths:  # the server runs in another process: it cannot read our stdin
        raise UsageError("standard input (-) cannot feed the quiz app: save the text to a file, or paste it in the app")
    if args.paths:
        from_paths(args.paths)  # raises a one-line LearnError for a bad file
    if args.port and not port_free(args.port):
        raise LearnError(
            f"port {args.port} is already in use on 127.0.0.1: choose another --port, "
            "or leave --port out to take a free one"
        )
    port = args.port or free_port()
    env = os.environ.copy()
    if args.class_mode:
        env[CLASS_ENV] = "1"
    if args.workers > 1:
        return run_workers(args, port, env)
    cmd = command(args.paths, port)
    if args.dry_run:
        print(" ".join(cmd))
        return 0
    print(f"learn quiz: open http://127.0.0.1:{port} (Ctrl+C stops the server)", file=sys.stderr)
    return serve(cmd, env)


def run_workers(args: argparse.Namespace, port: int, env: dict[str, str]) -> int:
    """`--workers N`: N servers on ports of their own, HAProxy on `port` in front of them."""
    ports: list[int] = []
    for _ in range(args.workers):
        ports.append(free_port(max([port, *ports]) + 1))
    cmds = [command(args.paths, p) for p in ports]
    if args.dry_run:
        for cmd in cmds:
            print(" ".join(cmd))
        print(workers.haproxy_config(port, ports), end="")
        return 0
    workers.haproxy_path()  # a missing proxy is one line before anything starts
    print(
        f"learn quiz: {args.workers} worker processes; open http://127.0.0.1:{port} (Ctrl+C stops them)",
        file=sys.stderr,
    )
    return workers.serve(cmds, port, ports, env)


def serve(cmd: list[str], env: dict[str, str]) -> int:
    """Run the server until it exits; stop signals sent to us are passed on and waited for."""
    child = subprocess.Popen(cmd, env=env, process_group=0)  # Ctrl+C reaches it once, through us
    stop_at: list[float] = []

    def forward(signum: int, _frame: object) -> None:
        if child.poll() is None:
            child.send_signal(signum)
        stop_at.append(time.monotonic())

    previous = {sig: signal.signal(sig, forward) for sig in FORWARDED}
    try:
        while True:
            try:
                return exit_status(child.wait(timeout=1.0 if stop_at else None))
            except subprocess.TimeoutExpired:
                if time.monotonic() - stop_at[0] > GRACE:
                    child.kill()
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        if child.poll() is None:  # we are leaving for another reason (an exception): take it along
            child.kill()
            child.wait()


def exit_status(code: int) -> int:
    """The child's exit code, or 128 + N when signal N ended it (the shell's convention)."""
    return 128 - code if code < 0 else code
