"""A class on real quiz servers: learners as clients of Streamlit's own websocket protocol.

Each run starts `learn quiz --class [--workers N] MATERIAL` on a fresh database whose learners
already have PINs (as a teacher would set them), opens one simulated browser tab per learner
(tests/quiz_protocol.py: one asyncio task each, its own cookies, HAProxy's sticky cookie among
them), signs every learner in, and then lets them all work at once: answer the question shown,
press Check, press the suggested grade, with 2–4 s of "thinking" before every click. Opening and
signing in are not timed; every click is one timed action, from the message sent to the end of
the run it starts.

Printed per run:
  actions/s      clicks served per second of the run
  p50 p95 max    time per action as the learner waits for it
  CPU/action     server CPU in the timed phase (every process of `learn quiz`: workers, HAProxy,
                 the supervisor; read from each process's CPU clock) over the actions served
  RSS            resident memory of those processes summed, and of each Streamlit worker
  stored once    every graded answer is in the database exactly once, under its learner, with one
                 card rep each (exit 1 when not, or when a learner could not go on)
  load           the machine's 1-minute load average at the end (the client shares the machine)

Modes:
  (default)      runs for each --learners count (10 30 100 300), each --workers count (1)
  --cpu-alone N  one learner alone: the server's CPU for each of N actions (median, p95), against
                 the same wait with no action; one process
  --minutes M    the long run: the learners keep answering for M minutes, RSS printed every minute

    .venv/bin/python benchmarks/bench_quiz_server.py [--learners 10 30 100 300] [--workers 1 2]
        [--answers 10] [--think 2 4] [--db sqlite|postgres|URL] [--material PATH]
    .venv/bin/python benchmarks/bench_quiz_server.py --cpu-alone 100
    .venv/bin/python benchmarks/bench_quiz_server.py --learners 100 --minutes 30
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from quiz_protocol import Learner, PageError  # noqa: E402

PIN = "2468"
OPENING = 4  # learners signing in at once per worker (not timed; keeps the first minute sane)
CLK_TCK = os.sysconf("SC_CLK_TCK")


# --- the server's processes, from /proc ----------------------------------------------------------


def descendants(root: int) -> list[int]:
    """`root` and every live process below it."""
    parent_of: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if fields[0] != "Z":
            parent_of[int(stat.parent.name)] = int(fields[1])
    found, frontier = [root], [root]
    while frontier:
        frontier = [pid for pid, ppid in parent_of.items() if ppid in frontier]
        found += frontier
    return [pid for pid in found if pid in parent_of]


def cpu_seconds(pid: int) -> float:
    """CPU time `pid` has used (all its threads, ended ones too): its POSIX CPU clock, to the
    nanosecond; /proc's clock ticks (10 ms) where that clock cannot be read."""
    try:
        return time.clock_gettime(((~pid) << 3) | 2)  # the kernel's clock id for a process's CPU time
    except OSError:
        pass
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / CLK_TCK


def rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def is_worker(pid: int) -> bool:
    try:
        return b"streamlit" in Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return False


@dataclass
class Server:
    """`learn quiz --class` on 127.0.0.1, started and stopped here."""

    material: Path
    db_url: str
    workers: int
    port: int = 0
    popen: subprocess.Popen | None = None
    log: Path = field(default_factory=lambda: Path(tempfile.mkstemp(prefix="bench-quiz-server-", suffix=".log")[1]))

    def start(self) -> None:
        from learn.cli.quiz import free_port
        from learn.cli.workers import healthy

        self.port = free_port(18600 + random.randrange(300))
        cmd = [sys.executable, "-m", "learn", "quiz", "--class", "--port", str(self.port), str(self.material)]
        if self.workers > 1:
            cmd[5:5] = ["--workers", str(self.workers)]
        env = {**os.environ, "LEARN_DB_URL": self.db_url}
        with self.log.open("w") as log:
            self.popen = subprocess.Popen(cmd, env=env, stdout=log, stderr=subprocess.STDOUT, cwd=ROOT)
        deadline = time.monotonic() + 180
        while not healthy(self.port):
            if self.popen.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"the quiz server did not start; its log: {self.log_tail()}")
            time.sleep(0.2)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def pids(self) -> list[int]:
        return descendants(self.popen.pid) if self.popen else []

    def cpu(self) -> float:
        return sum(cpu_seconds(pid) for pid in self.pids())

    def rss(self) -> tuple[float, list[float]]:
        """(all processes, each Streamlit worker) in MB."""
        pids = self.pids()
        return sum(rss_mb(p) for p in pids), [rss_mb(p) for p in pids if is_worker(p)]

    def log_tail(self) -> str:
        return " | ".join(self.log.read_text(errors="replace").strip().splitlines()[-5:])

    def stop(self) -> None:
        if self.popen is None:
            return
        leftover = self.pids()
        self.popen.send_signal(signal.SIGTERM)
        try:
            self.popen.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.popen.kill()
            self.popen.wait()
        for pid in leftover:
            if Path(f"/proc/{pid}").exists() and pid != self.popen.pid:
                os.kill(pid, signal.SIGKILL)
        self.popen = None
        self.log.unlink(missing_ok=True)


# --- the database ------------------------------------------------------------------------------


class Databases:
    """A fresh database URL per run: a new SQLite file, or a new schema on PostgreSQL (a given
    URL, or a throw-away cluster from scripts/pg.sh started for the benchmark)."""

    def __init__(self, kind: str, folder: Path):
        self.kind, self.folder = kind, folder
        self.pg_base = "" if kind in ("sqlite", "postgres") else kind
        self.cluster: Path | None = None

    def __enter__(self) -> Databases:
        if self.kind == "postgres":
            self.cluster = Path(tempfile.mkdtemp(prefix="learn-bench-pg-"))
            done = subprocess.run(
                ["bash", str(ROOT / "scripts/pg.sh"), "start", str(self.cluster), "fast"],
                capture_output=True,
                text=True,
                timeout=900,
            )
            if done.returncode != 0:
                self._stop()
                raise SystemExit(f"no PostgreSQL: {(done.stderr.strip().splitlines() or ['pg.sh failed'])[-1]}")
            self.pg_base = done.stdout.strip()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop()

    def _stop(self) -> None:
        if self.cluster is not None:
            subprocess.run(["bash", str(ROOT / "scripts/pg.sh"), "stop", str(self.cluster)], capture_output=True)
            self.cluster = None

    @property
    def name(self) -> str:
        return "SQLite" if not self.pg_base else "PostgreSQL"

    def cpu(self) -> float | None:
        """CPU seconds of the throw-away PostgreSQL cluster's processes; None when not measured
        (SQLite works inside the server's processes, a given URL's server may be anywhere)."""
        if self.cluster is None:
            return None
        try:
            postmaster = int((self.cluster / "data" / "postmaster.pid").read_text().split()[0])
        except (OSError, ValueError, IndexError):
            return None
        return sum(cpu_seconds(pid) for pid in descendants(postmaster))

    def fresh(self) -> str:
        if not self.pg_base:
            return f"sqlite:///{self.folder / f'class-{uuid.uuid4().hex[:8]}.sqlite3'}"
        from sqlalchemy import create_engine

        schema = f"bench_{uuid.uuid4().hex[:10]}"
        engine = create_engine(self.pg_base)
        with engine.begin() as conn:
            conn.exec_driver_sql(f"CREATE SCHEMA {schema}")
        engine.dispose()
        joiner = "&" if "?" in self.pg_base else "?"
        return f"{self.pg_base}{joiner}options={quote(f'-csearch_path={schema}')}"


def enrol(db_url: str, count: int) -> list[str]:
    """`count` learners with the class PIN, as the teacher's page would make them."""
    from learn.quiz.auth import Auth
    from learn.quiz.store import Store

    store = Store(db_url)
    auth = Auth(store.engine)
    names = [f"Learner {i:03d}" for i in range(count)]
    for name in names:
        auth.set_pin(store.learner(name), PIN)
    store.close()
    return names


def lost_answers(db_url: str, learners: list[Learner]) -> list[str]:
    """What is wrong between what each learner graded and what the database holds (empty: every
    answer stored exactly once, and each card's reps match its reviews)."""
    from learn.quiz.display import plain
    from learn.quiz.store import Store

    store = Store(db_url)
    wrong = []
    try:
        for learner in learners:
            learner_id = store.find_learner(learner.name)
            reviews = store.reviews(learner_id) if learner_id is not None else []
            given = Counter((a.mode, a.answer) for a in learner.answers)
            stored = Counter((r.mode, plain(r.answer)) for r in reviews)
            if stored != given:
                wrong.append(f"{learner.name}: graded {sum(given.values())}, stored {sum(stored.values())}")
            elif learner_id is not None:
                reps = {k: c.reps for k, c in store.cards(learner_id).items()}
                if reps != dict(Counter((r.key, r.mode) for r in reviews)):
                    wrong.append(f"{learner.name}: card reps differ from the review log")
    finally:
        store.close()
    return wrong


# --- the class ---------------------------------------------------------------------------------


@dataclass
class Run:
    learners: int
    workers: int
    db_url: str = ""
    done: list[Learner] = field(default_factory=list)  # the learners, with what each graded
    actions: int = 0
    seconds: float = 0.0
    times: list[float] = field(default_factory=list)
    cpu: float = 0.0  # server CPU seconds in the timed phase
    db_cpu: float | None = None  # the PostgreSQL cluster's, when one was started here
    client_cpu: float = 0.0
    rss: tuple[float, list[float]] = (0.0, [])
    rss_series: list[tuple[float, float, list[float]]] = field(default_factory=list)  # (minute, sum, per worker)
    errors: list[str] = field(default_factory=list)
    by_kind: dict[str, list[float]] = field(default_factory=dict)  # "Check" / "grade" → seconds per click
    wrong: list[str] = field(default_factory=list)
    load: float = 0.0


async def open_all(learners: list[Learner], at_once: int) -> None:
    gate = asyncio.Semaphore(at_once)

    async def one(learner: Learner) -> None:
        async with gate:
            await learner.open()

    await asyncio.gather(*(one(learner) for learner in learners))


async def work(learner: Learner, actions: int, think: tuple[float, float], until: float, run: Run) -> None:
    """Click `actions` times (or until the monotonic clock reaches `until`), thinking first each
    time; a page that breaks is reloaded once and the learner goes on."""
    rng = random.Random(learner.seed)
    await asyncio.sleep(rng.uniform(0, think[1]))  # learners do not all start on the same second
    done = 0
    while done < actions and time.monotonic() < until:
        await asyncio.sleep(rng.uniform(*think))
        kind = "grade" if learner._question_area() == "feedback" else "Check"
        timed = len(learner.times)
        try:
            await learner.step()
        except PageError as err:
            run.errors.append(f"{learner.name}: {err}")
            if len(run.errors) > 50:
                raise
            await learner.reload()
        if len(learner.times) > timed:
            run.by_kind.setdefault(kind, []).append(learner.times[-1])
        done += 1


async def sample_rss(server: Server, run: Run, every: float, began: float) -> None:
    while True:
        await asyncio.sleep(every)
        total, per_worker = server.rss()
        run.rss_series.append(((time.monotonic() - began) / 60, total, per_worker))
        print(f"  {run.rss_series[-1][0]:5.1f} min  RSS {total:7.0f} MB  workers {fmt_mb(per_worker)}", flush=True)


async def drive(server: Server, dbs: Databases, names: list[str], args: argparse.Namespace, run: Run) -> list[Learner]:
    learners = [Learner(server.base, name, pin=PIN, seed=i) for i, name in enumerate(names)]
    try:
        await open_all(learners, OPENING * run.workers)
        actions = 2 * args.answers if not args.minutes else 10**9
        until = time.monotonic() + args.minutes * 60 if args.minutes else float("inf")
        cpu0, db0, client0, began = server.cpu(), dbs.cpu(), time.process_time(), time.monotonic()
        sampler = asyncio.create_task(sample_rss(server, run, 60.0, began)) if args.minutes else None
        await asyncio.gather(*(work(lr, actions, tuple(args.think), until, run) for lr in learners))
        run.seconds = time.monotonic() - began
        run.cpu, run.client_cpu = server.cpu() - cpu0, time.process_time() - client0
        db1 = dbs.cpu()
        run.db_cpu = db1 - db0 if db0 is not None and db1 is not None else None
        if sampler:
            sampler.cancel()
        run.rss = server.rss()
    finally:
        for learner in learners:
            await learner.page.close()
    run.times = [t for learner in learners for t in learner.times]
    run.actions = len(run.times)
    return learners


def class_run(dbs: Databases, material: Path, learners: int, workers: int, args: argparse.Namespace) -> Run:
    db_url = dbs.fresh()
    names = enrol(db_url, learners)
    server = Server(material, db_url, workers)
    run = Run(learners, workers, db_url)
    server.start()
    try:
        run.done = asyncio.run(drive(server, dbs, names, args, run))
    except PageError as err:
        run.errors.append(f"stopped: {err}; server log: {server.log_tail()}")
    finally:
        server.stop()
        run.load = os.getloadavg()[0]
    run.wrong = lost_answers(db_url, run.done) if run.done else ["the run did not finish"]
    return run


# --- one learner alone: CPU per action ---------------------------------------------------------


async def cpu_alone(server: Server, name: str, actions: int, settle: float) -> tuple[list[float], list[float]]:
    """Server CPU for each action (from before the click to `settle` s after it ended), and for
    as many quiet windows of the same length with no click."""
    learner = Learner(server.base, name, pin=PIN)
    await learner.open()
    per_action, quiet = [], []
    try:
        for _ in range(actions):
            await asyncio.sleep(settle)
            before = server.cpu()
            await asyncio.sleep(settle)
            idle = server.cpu()
            began = time.perf_counter()
            await learner.step()
            await asyncio.sleep(max(settle - (time.perf_counter() - began), 0.0))
            per_action.append(server.cpu() - idle)
            quiet.append(idle - before)
    finally:
        await learner.page.close()
    return per_action, quiet


# --- printing ----------------------------------------------------------------------------------


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms" if seconds < 1 else f"{seconds:.1f} s"


def fmt_mb(values: list[float]) -> str:
    return "/".join(f"{v:.0f}" for v in values) or "-"


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else 0.0


HEADER = (
    "| learners | workers | actions | actions/s | p50 | p95 | max | server CPU/action | database CPU/action "
    "| client CPU/action | RSS sum | RSS per worker (MB) | stored once | load |\n|" + "---|" * 14
)


def row(run: Run) -> str:
    t = run.times
    per = run.actions or 1
    stored = "yes" if not run.wrong else f"NO ({len(run.wrong)})"
    db = "-" if run.db_cpu is None else f"{run.db_cpu / per * 1000:.1f} ms"
    return (
        f"| {run.learners} | {run.workers} | {run.actions} | {run.actions / max(run.seconds, 1e-9):.1f} "
        f"| {ms(statistics.median(t)) if t else '-'} | {ms(percentile(t, 0.95))} | {ms(max(t, default=0))} "
        f"| {run.cpu / per * 1000:.1f} ms | {db} | {run.client_cpu / per * 1000:.1f} ms | {run.rss[0]:.0f} MB "
        f"| {fmt_mb(run.rss[1])} | {stored} | {run.load:.2f} |"
    )


def by_kind(run: Run) -> str:
    """p50/p95 of each kind of click: Check (grades the answer) and the grade (saves the review,
    picks and draws the next question)."""
    return "; ".join(
        f"{kind} p50 {ms(statistics.median(t))} p95 {ms(percentile(t, 0.95))}"
        for kind, t in sorted(run.by_kind.items())
        if t
    )


def report_problems(run: Run) -> bool:
    for line in run.errors[:5] + run.wrong[:5]:
        print(f"  ! {line}")
    if len(run.errors) > 5:
        print(f"  ! … {len(run.errors)} page errors in all")
    return bool(run.wrong) or any(e.startswith("stopped:") for e in run.errors)


# --- main --------------------------------------------------------------------------------------


def parse(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    p.add_argument("--learners", type=int, nargs="+", default=[10, 30, 100, 300])
    p.add_argument("--workers", type=int, nargs="+", default=[1])
    p.add_argument("--answers", type=int, default=10, help="questions each learner answers (two clicks each)")
    p.add_argument("--think", type=float, nargs=2, default=[2.0, 4.0], metavar=("MIN", "MAX"))
    p.add_argument("--minutes", type=float, default=0.0, help="the long run: answer for this long, RSS every minute")
    p.add_argument("--cpu-alone", type=int, default=0, metavar="N", help="one learner, N actions: CPU per action")
    p.add_argument("--db", default="sqlite", help="sqlite (default), postgres (a throw-away cluster) or a URL")
    p.add_argument("--material", type=Path, default=ROOT / "decks" / "sample.txt", help="the class's material")
    args = p.parse_args(argv)
    if args.minutes and args.cpu_alone:
        p.error("--minutes and --cpu-alone are different runs: choose one")
    if not args.material.is_file():
        p.error(f"no material at {args.material}")
    return args


@contextmanager
def setting(args: argparse.Namespace) -> Iterator[Databases]:
    with tempfile.TemporaryDirectory(prefix="bench-quiz-server-") as tmp, Databases(args.db, Path(tmp)) as dbs:
        print(
            f"{dbs.name} · material {args.material.name} · think {args.think[0]:g}–{args.think[1]:g} s · "
            f"{os.cpu_count()} cores · load {os.getloadavg()[0]:.2f} at the start",
            flush=True,
        )
        yield dbs


def main_cpu_alone(args: argparse.Namespace, dbs: Databases) -> int:
    db_url = dbs.fresh()
    (name,) = enrol(db_url, 1)
    server = Server(args.material, db_url, 1)
    server.start()
    try:
        per_action, quiet = asyncio.run(cpu_alone(server, name, args.cpu_alone, 0.5))
    finally:
        server.stop()
    med = statistics.median(per_action)
    print(
        f"one learner, {len(per_action)} actions: server CPU per action median {med * 1000:.1f} ms, "
        f"p95 {percentile(per_action, 0.95) * 1000:.1f} ms, max {max(per_action) * 1000:.1f} ms; "
        f"the same 0.5 s without a click: median {statistics.median(quiet) * 1000:.1f} ms; "
        f"load {os.getloadavg()[0]:.2f}"
    )
    return 0


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    failed = False
    with setting(args) as dbs:
        if args.cpu_alone:
            return main_cpu_alone(args, dbs)
        print(f"each learner answers {args.answers} questions" if not args.minutes else f"{args.minutes:g} minutes")
        print(HEADER, flush=True)
        for workers in args.workers:
            for learners in args.learners:
                run = class_run(dbs, args.material, learners, workers, args)
                print(row(run), flush=True)
                print(f"  {by_kind(run)}", flush=True)
                failed |= report_problems(run)
                if run.rss_series:
                    series = ", ".join(f"{total:.0f}" for _m, total, _w in run.rss_series)
                    print(f"  RSS every minute (MB): {series}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
