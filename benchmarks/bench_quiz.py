"""Server time to grade an answer and pick the next question (goal: ≤ 50 ms).

One operation = judge the response + suggest a grade + FSRS review + save card and log
(SQLite file, one transaction) + choose the next card + build its question with distractors.
Words: the bundled sample's extracted vocabulary (decks/sample.txt, top 50); the learner already
has a few hundred reviews so the card table is not empty.

    .venv/bin/python benchmarks/bench_quiz.py [--rounds N]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from learn.quiz import materials, scheduler  # noqa: E402
from learn.quiz.practice import Practice  # noqa: E402
from learn.quiz.questions import MODES, REVIEW  # noqa: E402
from learn.quiz.store import Store  # noqa: E402


def words() -> list:
    path = materials.sample_path()
    if path is None:
        sys.exit("bench_quiz: decks/sample.txt is missing")
    from learn.terms.rank import extract

    return materials.unique(extract(path.read_text(encoding="utf-8"), top=50))


def one_round(practice: Practice, question, rng: random.Random, when) -> object:
    """Grade a response to `question`, store it, and pick the next question."""
    response = question.answer if rng.random() < 0.8 else "x"
    outcome = practice.check(question, response, 4.0)
    practice.record(question, outcome, outcome.suggested, answer=str(response), when=when)
    return practice.next_question(when)


def bench(entries: list, store: Store, learner: int, mode: str, rounds: int) -> list[float]:
    rng = random.Random(1)
    practice = Practice(entries, store, learner, mode, seed=1)
    when = scheduler.now()
    question = practice.next_question(when)
    times = []
    for _ in range(rounds):
        when += timedelta(seconds=20)
        start = time.perf_counter()
        question = one_round(practice, question, rng, when)
        times.append((time.perf_counter() - start) * 1000)
        assert question is not None
    return times


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=100)
    args = parser.parse_args()
    entries = words()
    with tempfile.TemporaryDirectory() as folder:
        store = Store(f"sqlite:///{Path(folder) / 'bench.sqlite3'}")
        learner = store.learner("bench")
        bench(entries, store, learner, REVIEW, 300)  # history: 300 reviews
        print(
            f"{len(entries)} words, {len(store.cards(learner))} cards, "
            f"{len(store.reviews(learner))} reviews already stored; {args.rounds} rounds per mode"
        )
        print(f"{'mode':10} {'median ms':>10} {'p95 ms':>8} {'max ms':>8}")
        worst = 0.0
        for mode in [REVIEW, *MODES]:
            times = sorted(bench(entries, store, learner, mode, args.rounds))
            p95 = times[int(len(times) * 0.95) - 1]
            worst = max(worst, p95)
            print(f"{mode:10} {statistics.median(times):10.1f} {p95:8.1f} {times[-1]:8.1f}")
        print(f"grade + pick next, worst p95: {worst:.1f} ms (goal ≤ 50 ms): {'OK' if worst <= 50 else 'SLOW'}")
        store.close()


if __name__ == "__main__":
    main()
