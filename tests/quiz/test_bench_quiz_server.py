"""benchmarks/bench_quiz_server.py still works: a real `learn quiz --class` server, two learners
over Streamlit's websocket protocol, and its check that every answer is stored exactly once."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest
from quiz_entries import write_entries
from quiz_protocol import Answer

SPEC = importlib.util.spec_from_file_location(
    "bench_quiz_server", Path(__file__).parents[2] / "benchmarks" / "bench_quiz_server.py"
)
assert SPEC is not None and SPEC.loader is not None
bench = importlib.util.module_from_spec(SPEC)
sys.modules[SPEC.name] = bench  # its dataclasses look their module up
SPEC.loader.exec_module(bench)


def test_a_small_class_runs_and_a_lost_or_doubled_answer_is_caught(tmp_path: Path) -> None:
    words = write_entries(tmp_path / "words.json")
    args = bench.parse(["--answers", "2", "--think", "0.05", "0.2", "--material", str(words)])
    with bench.Databases("sqlite", tmp_path) as dbs:
        run = bench.class_run(dbs, words, 2, 1, args)
    assert not run.errors and not run.wrong
    assert run.actions == 8 and len(run.times) == 8  # two learners, two answers, Check + grade each
    assert run.cpu > 0 and run.rss[0] > 0 and len(run.rss[1]) == 1
    assert sorted(len(t) for t in run.by_kind.values()) == [4, 4] and "Check p50" in bench.by_kind(run)
    line = bench.row(run)
    assert line.startswith("| 2 | 1 | 8 |") and "| yes |" in line and line.count("|") == 15

    first = run.done[0]
    graded = list(first.answers)
    first.answers.append(Answer("meaning", "never sent", "Good"))  # graded but not in the database: lost
    assert bench.lost_answers(run.db_url, run.done) == [f"{first.name}: graded 3, stored 2"]
    first.answers = graded[:1]  # in the database once more than graded: doubled
    assert bench.lost_answers(run.db_url, run.done) == [f"{first.name}: graded 1, stored 2"]
    run.wrong = bench.lost_answers(run.db_url, run.done)
    assert bench.report_problems(run) and "NO (1)" in bench.row(run)


def test_cpu_alone_mode_prints_a_median(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    words = write_entries(tmp_path / "words.json")
    assert bench.main(["--cpu-alone", "4", "--material", str(words)]) == 0
    out = capsys.readouterr().out
    assert "one learner, 4 actions: server CPU per action median" in out
