"""A class on one database: two Streamlit servers at once, and a server killed (SIGKILL) in the
middle of an answer, lose nothing — on SQLite and on PostgreSQL (conftest's db_url).

Real `streamlit run app.py` servers are started on free 127.0.0.1 ports. The answering is done by
tests/quiz_driver.py processes, each running the app script under Streamlit's own script runner
(AppTest) on the same database, as a server does for each browser session. Every process a test
starts is gone when it ends.
"""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from quiz_entries import write_entries
from server_checks import healthy, wait_until

from learn.cli.quiz import command, free_port, port_free
from learn.quiz.store import Store

DRIVER = str(Path(__file__).parents[1] / "quiz_driver.py")


class Proc:
    """A child process whose stdout lines can be awaited with a deadline."""

    def __init__(self, cmd: list[str], env: dict[str, str]):
        self.popen = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.lines: queue.Queue[str] = queue.Queue()
        self.err: list[str] = []
        self.pumps = [
            threading.Thread(target=self._pump, args=(self.popen.stdout, self.lines.put), daemon=True),
            threading.Thread(target=self._pump, args=(self.popen.stderr, self.err.append), daemon=True),
        ]
        for pump in self.pumps:
            pump.start()

    @staticmethod
    def _pump(stream, put) -> None:  # type: ignore[no-untyped-def]
        for line in stream:
            put(line.rstrip("\n"))

    def wait_for(self, wanted: str, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while True:
            try:
                if self.lines.get(timeout=max(deadline - time.monotonic(), 0.01)) == wanted:
                    return
            except queue.Empty:
                pass
            assert time.monotonic() < deadline, f"no {wanted!r} within {seconds} s; stderr: {self.stderr()}"
            assert self.popen.poll() is None or not self.lines.empty(), f"exited; stderr: {self.stderr()}"

    def finish(self, seconds: float) -> int:
        code = self.popen.wait(timeout=seconds)
        for pump in self.pumps:  # the last lines, for a failure message
            pump.join(timeout=5)
        return code

    def stderr(self) -> str:
        return "\n".join(self.err[-15:])

    def kill(self) -> None:
        if self.popen.poll() is None:
            self.popen.kill()
        self.popen.wait(timeout=30)


@pytest.fixture
def procs() -> Iterator[list[Proc]]:
    """Processes started by a test, killed (and reaped) when it ends, whatever happened."""
    started: list[Proc] = []
    yield started
    for proc in started:
        proc.kill()


def env_for(db_url: str) -> dict[str, str]:
    env = {**os.environ, "LEARN_DB_URL": db_url}
    env.pop("LEARN_CLASS", None)
    return env


def driver(procs: list[Proc], db_url: str, words: Path, name: str, count: int, hang: int = 0) -> Proc:
    proc = Proc([sys.executable, DRIVER, str(words), name, str(count), str(hang)], env_for(db_url))
    procs.append(proc)
    return proc


def opened_as_by_a_first_visitor(db_url: str) -> Store:
    """The database with every table the app makes on a server's first visit (store, PINs, class)."""
    from learn.quiz.auth import Auth
    from learn.quiz.teacher import Classroom

    store = Store(db_url)
    Auth(store.engine)
    Classroom(store.engine)
    return store


def consistent(store: Store, name: str) -> int:
    """The learner's number of reviews, after checking every card counts exactly its own reviews."""
    learner = store.learner(name)
    reviews = store.reviews(learner)
    per_card = Counter((r.key, r.mode) for r in reviews)
    assert {k: c.reps for k, c in store.cards(learner).items()} == dict(per_card), "a half-written answer"
    return len(reviews)


def test_two_servers_on_one_database_lose_nothing(db_url: str, tmp_path: Path, procs: list[Proc]) -> None:
    words = write_entries(tmp_path / "words.json")
    ports = [free_port(18700), free_port(18800)]
    for port in ports:  # two real servers, started together
        procs.append(Proc(command([str(words)], port), env_for(db_url)))
    for port, proc in zip(ports, procs, strict=True):
        wait_until(
            lambda port=port, proc=proc: healthy(port) or proc.popen.poll() is not None, 90, "a server did not start"
        )
        assert proc.popen.poll() is None, proc.stderr()
    store = opened_as_by_a_first_visitor(db_url)
    answering = [driver(procs, db_url, words, name, 6) for name in ("Ann", "Bob")]  # at once
    for proc in answering:
        assert proc.finish(240) == 0, proc.stderr()
    assert consistent(store, "Ann") == 6 and consistent(store, "Bob") == 6
    assert store.learners() == ["Ann", "Bob"]
    server_a, server_b = procs[0], procs[1]
    server_a.popen.send_signal(signal.SIGKILL)  # one server dies; the other goes on serving
    server_a.popen.wait(timeout=30)
    assert healthy(ports[1]) and port_free(ports[0])
    server_b.popen.send_signal(signal.SIGTERM)
    assert server_b.finish(30) == 0
    wait_until(lambda: port_free(ports[1]), 30, "the port stayed taken")
    store.close()


def test_a_server_killed_in_the_middle_of_an_answer_loses_nothing(
    db_url: str, tmp_path: Path, procs: list[Proc]
) -> None:
    words = write_entries(tmp_path / "words.json")
    store = opened_as_by_a_first_visitor(db_url)
    first = driver(procs, db_url, words, "Ann", 10, hang=4)
    first.wait_for("saving 4", 240)  # inside the 4th save's transaction
    first.popen.send_signal(signal.SIGKILL)
    first.popen.wait(timeout=30)
    assert consistent(store, "Ann") == 3  # the three answers given, none half-written
    second = driver(procs, db_url, words, "Ann", 2)  # another server goes on at once
    assert second.finish(240) == 0, second.stderr()
    assert consistent(store, "Ann") == 5
    store.close()
