"""A class on one quiz server: 30 learners answering at once, on PostgreSQL and on SQLite (WAL).

All 30 simulated learners start together and each answers 50 questions through the functions the
app calls for an answer — Practice.check (grade, suggest a rating), Practice.record (FSRS review,
save card + log) and Practice.next_question (choose and build the next question). Between answers
a learner "thinks" for 0.5–1.5 s (--think 1; a real learner takes 5–10 s, so this is several times
a real class's load); --think 0 answers back to back, which measures the simulation's own queueing
for the CPU more than the server. The learners are split over two processes, like two server processes
on one database; in each, one Store is shared by every learner's thread, as Streamlit shares it
between sessions.

Pass conditions, checked in the database afterwards and printed:
  nothing lost      every answer is in the review log exactly once, under its own learner
  nothing crossed   each learner's cards are exactly the cards that learner answered, with one
                    rep per answer (another learner's write would show as an extra rep or card)
  no error          no exception in any learner
Figures: p50 / p95 / max server time per answer (check + record + next question), per backend.
Goal: p95 ≤ 50 ms with 30 concurrent learners.

PostgreSQL: the server LEARN_TEST_PG_URL names (a schema of its own, dropped afterwards), else a
throw-away cluster from scripts/pg.sh (root, or with the server installed); otherwise that half is
skipped with the reason. Everything runs on 127.0.0.1.

    .venv/bin/python benchmarks/bench_quiz_load.py [--learners 30] [--answers 50] [--processes 2]
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import traceback
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

GOAL_MS = 50.0


@dataclass
class LearnerRun:
    """What one simulated learner did, as sent back from its process."""

    name: str
    times_ms: list[float] = field(default_factory=list)
    cpu_ms: list[float] = field(default_factory=list)  # this thread's CPU time per answer
    answered: list[tuple[str, str, str]] = field(default_factory=list)  # (marker, key, mode)
    error: str = ""


# --- one server process -----------------------------------------------------------------------


def learner_thread(
    store,
    entries,
    learner_id: int,
    name: str,
    answers: int,
    think: float,  # type: ignore[no-untyped-def]
    start: threading.Event,
    out: list[LearnerRun],
) -> None:
    """Answer `answers` questions as the app does: check, record, pick the next one."""
    from learn.quiz.practice import Practice
    from learn.quiz.questions import REVIEW

    run = LearnerRun(name)
    out.append(run)
    rng = random.Random(learner_id)
    try:
        practice = Practice(entries, store, learner_id, REVIEW, rng=random.Random(learner_id))
        question = practice.next_question()
        start.wait()
        for j in range(answers):
            if think:
                time.sleep(rng.uniform(0.5, 1.5) * think)
            marker = f"{name}#{j}"
            response = question.answer if rng.random() < 0.75 else "x"
            began, cpu = time.perf_counter(), time.thread_time()
            outcome = practice.check(question, response, rng.uniform(2.0, 14.0))
            practice.record(question, outcome, outcome.suggested, answer=marker)
            answered = (marker, question.key, question.mode)
            question = practice.next_question()
            run.times_ms.append((time.perf_counter() - began) * 1000)
            run.cpu_ms.append((time.thread_time() - cpu) * 1000)
            run.answered.append(answered)
            if question is None:
                raise RuntimeError("no next question")
    except Exception:  # noqa: BLE001 — reported and counted as a failure by the parent
        run.error = traceback.format_exc(limit=3).strip().splitlines()[-1]


def server_process(
    url: str, entries_path: str, learners: list[tuple[int, str]], answers: int, think: float, ready, go, results
) -> None:  # type: ignore[no-untyped-def]
    """One process standing for one server: a shared Store, a thread per learner."""
    from learn.entry import Entry
    from learn.quiz.store import Store

    entries = [Entry.from_dict(d) for d in json.loads(Path(entries_path).read_text(encoding="utf-8"))]
    store = Store(url)
    start = threading.Event()
    runs: list[LearnerRun] = []
    threads = [
        threading.Thread(target=learner_thread, args=(store, entries, lid, name, answers, think, start, runs))
        for lid, name in learners
    ]
    for t in threads:
        t.start()
    ready.put(os.getpid())
    go.wait()
    start.set()
    for t in threads:
        t.join()
    store.close()
    results.put([run.__dict__ for run in runs])


# --- the parent: set-up, run, checks ----------------------------------------------------------


def sample_entries(folder: Path, top: int) -> Path:
    """The bundled sample's vocabulary (what `learn quiz` offers first), as an entries JSON file."""
    from learn.quiz import materials
    from learn.terms.rank import extract

    path = materials.sample_path()
    if path is None:
        sys.exit("bench_quiz_load: decks/sample.txt is missing")
    entries = materials.unique(extract(path.read_text(encoding="utf-8"), top=top))
    out = folder / "entries.json"
    out.write_text(json.dumps([e.to_dict() for e in entries], ensure_ascii=False), encoding="utf-8")
    return out


def run_load(
    url: str, entries_path: Path, learners: int, answers: int, processes: int, think: float
) -> list[LearnerRun]:
    """Create the learners, start the server processes, release every learner at once, collect."""
    from learn.quiz.store import Store

    store = Store(url)
    people = [(store.learner(f"learner {i:02d}"), f"learner {i:02d}") for i in range(learners)]
    store.close()
    ctx = mp.get_context("spawn")
    ready, go, results = ctx.Queue(), ctx.Event(), ctx.Queue()
    procs = [
        ctx.Process(
            target=server_process,
            args=(url, str(entries_path), people[k::processes], answers, think, ready, go, results),
        )
        for k in range(processes)
    ]
    for p in procs:
        p.start()
    try:
        for _ in procs:
            ready.get(timeout=300)
        go.set()
        runs = [LearnerRun(**d) for _ in procs for d in results.get(timeout=900)]
    finally:
        for p in procs:
            p.join(timeout=60)
            if p.is_alive():
                p.kill()
                p.join()
    return runs


def check_store(url: str, runs: list[LearnerRun]) -> list[str]:
    """What went wrong, from the database's point of view (empty: nothing lost, nothing crossed)."""
    from sqlalchemy import func, select

    from learn.quiz.store import ReviewRow, Store

    store = Store(url)
    problems = []
    with store.engine.connect() as conn:
        total = conn.scalar(select(func.count()).select_from(ReviewRow))
    expected_total = sum(len(r.answered) for r in runs)
    if total != expected_total:
        problems.append(f"{total} reviews stored for {expected_total} answers")
    for run in runs:
        learner = store.learner(run.name)
        logged = Counter((r.answer, r.key, r.mode) for r in store.reviews(learner))
        if logged != Counter(run.answered):
            problems.append(
                f"{run.name}: review log differs from the answers given "
                f"({sum(logged.values())} logged, {len(run.answered)} given)"
            )
        reps = {k: c.reps for k, c in store.cards(learner).items()}
        if reps != dict(Counter((key, mode) for _m, key, mode in run.answered)):
            problems.append(f"{run.name}: cards differ from the answers given (touched by another learner?)")
    store.close()
    return problems


def report(backend: str, runs: list[LearnerRun], problems: list[str], seconds: float) -> bool:
    """Print the figures and pass conditions of one backend; True when every condition holds."""
    times = sorted(t for r in runs for t in r.times_ms)
    errors = [f"{r.name}: {r.error}" for r in runs if r.error]
    answers = sum(len(r.answered) for r in runs)
    print(
        f"\n{backend}: {len(runs)} learners, {answers} answers in {seconds:.1f} s ({answers / seconds:.0f}/s), "
        f"load average {os.getloadavg()[0]:.1f}"
    )
    if times:
        p95 = times[max(int(len(times) * 0.95) - 1, 0)]
        cpu = sorted(t for r in runs for t in r.cpu_ms)
        print(
            f"  server time per answer: p50 {statistics.median(times):.1f} ms, p95 {p95:.1f} ms, "
            f"max {times[-1]:.1f} ms — goal p95 ≤ {GOAL_MS:.0f} ms: {'met' if p95 <= GOAL_MS else 'MISSED'}"
        )
        print(
            f"  of which CPU in this process: p50 {statistics.median(cpu):.1f} ms, "
            f"p95 {cpu[max(int(len(cpu) * 0.95) - 1, 0)]:.1f} ms (the rest: database, other threads, other programs)"
        )
    print(
        f"  nothing lost (each answer stored once): {'yes' if not any('stored' in p or 'log' in p for p in problems) else 'NO'}"
    )
    print(f"  no learner's cards touched by another:  {'yes' if not any('cards' in p for p in problems) else 'NO'}")
    print(f"  no error:                               {'yes' if not errors else 'NO'}")
    for line in (problems + errors)[:10]:
        print(f"    {line}")
    return not problems and not errors


def bench(backend: str, url: str, entries: Path, args: argparse.Namespace) -> bool:
    began = time.perf_counter()
    runs = run_load(url, entries, args.learners, args.answers, args.processes, args.think)
    seconds = time.perf_counter() - began
    return report(backend, runs, check_store(url, runs), seconds)


# --- PostgreSQL: given, or a throw-away cluster -------------------------------------------------


class Postgres:
    """A URL on a fresh schema of LEARN_TEST_PG_URL, or on a cluster started with scripts/pg.sh."""

    def __init__(self) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="learn-pg-"))  # reachable by the postgres user
        self.started = False
        self.base = os.environ.get("LEARN_TEST_PG_URL", "").strip()
        self.schema = ""
        self.why_not = ""

    def __enter__(self) -> Postgres:
        if not self.base:
            done = subprocess.run(
                ["bash", str(ROOT / "scripts" / "pg.sh"), "start", str(self.folder)],
                capture_output=True,
                text=True,
                timeout=900,
            )
            self.started = True
            if done.returncode != 0:
                self.why_not = (done.stderr.strip().splitlines() or ["pg.sh start failed"])[-1]
                return self
            self.base = done.stdout.strip()
        self.schema = f"bench_{uuid.uuid4().hex[:10]}"
        self._sql(f"CREATE SCHEMA {self.schema}")
        return self

    @property
    def url(self) -> str:
        joiner = "&" if "?" in self.base else "?"
        return f"{self.base}{joiner}options={quote(f'-csearch_path={self.schema}')}"

    def _sql(self, statement: str) -> None:
        from sqlalchemy import create_engine

        engine = create_engine(self.base)
        with engine.begin() as conn:
            conn.exec_driver_sql(statement)
        engine.dispose()

    def __exit__(self, *_exc: object) -> None:
        try:
            if self.schema and not self.started:
                self._sql(f"DROP SCHEMA {self.schema} CASCADE")
        finally:
            if self.started:
                subprocess.run(["bash", str(ROOT / "scripts" / "pg.sh"), "stop", str(self.folder)], timeout=120)
            else:
                self.folder.rmdir()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--learners", type=int, default=30)
    parser.add_argument("--answers", type=int, default=50, help="answers per learner")
    parser.add_argument("--processes", type=int, default=2, help="server processes sharing the database")
    parser.add_argument(
        "--think", type=float, default=1.0, help="mean seconds between a learner's answers (0: back to back)"
    )
    parser.add_argument("--top", type=int, default=40, help="terms of the sample text to practise")
    parser.add_argument("--only", choices=("postgresql", "sqlite"), help="run one backend only")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="learn-load-") as tmp:
        folder = Path(tmp)
        entries = sample_entries(folder, args.top)
        print(
            f"{args.learners} learners × {args.answers} answers, {args.processes} processes, think "
            f"{args.think:g} s, {len(json.loads(entries.read_text(encoding='utf-8')))} words of decks/sample.txt; "
            f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}"
        )
        ok = True
        if args.only != "sqlite":
            with Postgres() as pg:
                if pg.why_not:
                    print(f"\nPostgreSQL: skipped ({pg.why_not})")
                else:
                    ok &= bench("PostgreSQL", pg.url, entries, args)
        if args.only != "postgresql":
            ok &= bench("SQLite (WAL)", f"sqlite:///{folder / 'load.sqlite3'}", entries, args)
    print("\nPASS" if ok else "\nFAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
