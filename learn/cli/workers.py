"""`learn quiz --workers N`: N Streamlit processes on one database behind HAProxy.

One Streamlit process runs Python on one core at a time, so a class on a multi-core machine gets
one process per core. A browser must stay on its process: Streamlit keeps a session (its
websocket, uploaded files, media) in that process's memory. HAProxy (Debian's `haproxy`) keeps it
there with a cookie it sets on the first request (learn_worker), checks each process's health
endpoint every second, and sends a browser whose process died to a live one; the app's sign-ins,
PINs, progress and class live in the database, so the learner goes on there after the page
reconnects. Everything listens on 127.0.0.1; HAProxy on the port `learn quiz` prints.

The supervisor restarts a worker that exits on its own (after a pause that grows while it keeps
failing), passes SIGTERM/SIGINT/SIGHUP to every child, and returns when they are gone.
"""

from __future__ import annotations

import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from learn.errors import LearnError

COOKIE = "learn_worker"  # HAProxy's sticky cookie: which process this browser belongs to
GRACE = 10.0  # seconds children get to stop before they are killed
FORWARDED = (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)
SECRET_ENV = "STREAMLIT_SERVER_COOKIE_SECRET"  # one secret, so any worker accepts another's XSRF cookie


def haproxy_path() -> str:
    """The haproxy program (in /usr/sbin, often not on a user's PATH), or a one-line LearnError."""
    found = shutil.which("haproxy") or shutil.which("haproxy", path="/usr/sbin:/usr/local/sbin")
    if not found:
        raise LearnError("--workers needs HAProxy: install it (sudo apt install haproxy), or run one process")
    return found


def haproxy_config(port: int, worker_ports: list[int]) -> str:
    """The proxy: 127.0.0.1:`port` → the workers, sticky by cookie, websockets kept open for a lesson."""
    servers = "\n".join(
        f"    server w{i} 127.0.0.1:{p} cookie w{i} check inter 1s fall 2 rise 2"
        for i, p in enumerate(worker_ports, start=1)
    )
    return f"""# written by `learn quiz --workers {len(worker_ports)}`
global
    maxconn 4096

defaults
    mode http
    timeout connect 2s
    timeout client 1h
    timeout server 1h
    timeout tunnel 8h
    timeout http-request 30s
    timeout http-keep-alive 10s
    timeout check 2s
    retries 3
    option redispatch 1

frontend quiz
    bind 127.0.0.1:{port}
    # the browser's own address, for the sign-in limits per address (learn.quiz.welcome.client_address);
    # set, not appended: an X-Forwarded-For the browser sent itself is not passed on
    http-request set-header X-Forwarded-For %[src]
    default_backend workers

backend workers
    balance leastconn
    cookie {COOKIE} insert indirect nocache httponly
    option httpchk GET /_stcore/health
    http-check expect status 200
{servers}
"""


@dataclass
class Child:
    """One process the supervisor keeps running (a worker) or needs (the proxy)."""

    name: str
    cmd: list[str]
    restart: bool
    port: int = 0  # a worker's port, for its health check
    popen: subprocess.Popen | None = None
    started: float = 0.0
    failures: int = 0  # quick exits in a row
    due: float = 0.0  # when to start it again after an exit
    env: dict[str, str] = field(default_factory=dict)

    def start(self) -> None:
        self.popen = subprocess.Popen(self.cmd, env=self.env, process_group=0)
        self.started = time.monotonic()

    def alive(self) -> bool:
        return self.popen is not None and self.popen.poll() is None


def serve(worker_cmds: list[list[str]], port: int, worker_ports: list[int], env: dict[str, str]) -> int:
    """Run the workers and HAProxy until a stop signal (or the proxy's exit); the exit status."""
    proxy = haproxy_path()
    folder = Path(tempfile.mkdtemp(prefix="learn-quiz-"))
    config = folder / "haproxy.cfg"
    config.write_text(haproxy_config(port, worker_ports), encoding="utf-8")
    checked = subprocess.run([proxy, "-c", "-q", "-f", str(config)], capture_output=True, text=True)
    if checked.returncode != 0:
        shutil.rmtree(folder, ignore_errors=True)
        raise LearnError(f"HAProxy refused its configuration: {(checked.stderr.strip() or 'no reason given')[:300]}")
    env = {**env, SECRET_ENV: env.get(SECRET_ENV) or secrets.token_hex(32)}
    children = [
        Child(f"worker {i} (port {p})", cmd, True, port=p, env=env)
        for i, (cmd, p) in enumerate(zip(worker_cmds, worker_ports, strict=True), start=1)
    ]
    children.append(Child("HAProxy", [proxy, "-db", "-f", str(config)], False, env=dict(os.environ)))
    try:
        return supervise(children)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def supervise(children: list[Child], tick: float = 0.5) -> int:
    """Start every child and keep the workers running until a stop signal, or until the proxy
    exits by itself (exit status 1); then stop them all."""
    signals: list[int] = []
    previous = {sig: signal.signal(sig, lambda signum, _frame: signals.append(signum)) for sig in FORWARDED}
    try:
        workers, proxy = children[:-1], children[-1]
        for child in workers:
            child.start()
        _wait_ready(workers, signals)  # the proxy starts once there is somewhere to send browsers
        proxy.start()
        failed = None
        while not signals and failed is None:
            time.sleep(tick)
            failed = look_after(children, time.monotonic())
        if failed is not None:
            print(f"learn quiz: {failed.name} exited; stopping the workers", file=sys.stderr)
        clean = stop_all(children, signals[0] if signals else signal.SIGTERM)
        return 0 if clean and failed is None else 1
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        for child in children:  # leaving for another reason (an exception): take them along
            if child.popen is not None and child.popen.poll() is None:
                child.popen.kill()
                child.popen.wait()


def _wait_ready(workers: list[Child], signals: list[int], seconds: float = 120.0) -> None:
    """Until every worker answers its health check, one has exited, a stop signal came, or time is up."""
    deadline = time.monotonic() + seconds
    waiting = list(workers)
    while waiting and not signals and time.monotonic() < deadline:
        waiting = [w for w in waiting if w.alive() and not healthy(w.port)]
        if waiting:
            time.sleep(0.2)


def healthy(port: int) -> bool:
    """Whether Streamlit on 127.0.0.1:`port` answers its health endpoint with ok."""
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as reply:
            return bool(reply.read().strip() == b"ok")
    except OSError:
        return False


def look_after(children: list[Child], now: float) -> Child | None:
    """Start again the workers that exited (quick failures wait longer: 1, 2, 4 … 30 s); returns
    a child that must not exit (the proxy) if it did."""
    for child in children:
        if child.alive():
            continue
        if not child.restart:
            return child
        if child.due == 0.0:  # just found dead
            assert child.popen is not None
            child.failures = child.failures + 1 if now - child.started < 30 else 1
            child.due = now + min(2.0 ** (child.failures - 1), 30.0)
            print(f"learn quiz: {child.name} exited ({child.popen.returncode}); starting it again", file=sys.stderr)
        elif now >= child.due:
            child.due = 0.0
            child.start()
    return None


def stop_all(children: list[Child], signum: int) -> bool:
    """Pass `signum` on, wait up to GRACE seconds, kill what is left; True when all stopped cleanly."""
    for child in children:
        if child.alive():
            assert child.popen is not None
            child.popen.send_signal(signum)
    deadline = time.monotonic() + GRACE
    clean = True
    for child in children:
        if child.popen is None:
            continue
        try:
            code = child.popen.wait(timeout=max(deadline - time.monotonic(), 0.1))
        except subprocess.TimeoutExpired:
            child.popen.kill()
            code = child.popen.wait()
        clean &= code in (0, -signum, 128 + signum) or child.due != 0.0  # a worker waiting to restart
    return clean
