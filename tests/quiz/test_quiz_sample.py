"""The quiz on real extracted vocabulary (decks/sample.txt): every mode can ask, distractors hold."""

from __future__ import annotations

import random

import pytest

from learn.quiz import materials
from learn.quiz.distractors import normalise
from learn.quiz.questions import MODES, grade, make_question


@pytest.fixture(scope="module")
def entries():
    path = materials.sample_path()
    if path is None:
        pytest.skip("decks/sample.txt is absent")
    extract = pytest.importorskip("learn.terms.rank").extract
    return materials.unique(extract(path.read_text(encoding="utf-8"), top=40))


def test_every_mode_asks_on_the_sample(entries) -> None:
    rng = random.Random(7)
    for mode in MODES:
        questions = [q for e in entries if (q := make_question(e, mode, entries, rng))]
        assert len(questions) >= len(entries) // 3, mode
        for q in questions:
            assert grade(q, q.answer).correct
            if q.options:
                shown = [normalise(o) for o in q.options]
                least = 2 if mode == "script" else 3  # 先立后破: 先立後破 or 先立后破, nothing else is tempting
                assert len(set(shown)) == len(shown) >= least and q.answer in q.options, (mode, q.options)


def test_the_main_job_output_feeds_the_quiz(tmp_path) -> None:
    """`learn build decks/sample.toml` then `learn quiz dist/sample.json`: the built list loads and plays."""
    recipe = materials.ROOT / "decks" / "sample.toml"
    if not recipe.is_file() or materials.sample_path() is None:
        pytest.skip("decks/sample.toml is absent")
    from learn.cli import main
    from learn.quiz.practice import Practice
    from learn.quiz.questions import REVIEW
    from learn.quiz.store import Store

    assert main(["build", str(recipe), "--out-dir", str(tmp_path)]) == 0
    built = materials.from_paths([str(tmp_path / "sample.json")])
    assert "新质生产力" in [e.simplified for e in built.entries[:5]]  # the sample's coinage, near the top
    store = Store("sqlite://")
    practice = Practice(built.entries, store, store.learner("Ann"), REVIEW, seed=3)
    for _ in range(8):
        question = practice.next_question()
        outcome = practice.check(question, question.answer, 5.0)
        practice.record(question, outcome, outcome.suggested)
    assert len(store.reviews(store.learner("Ann"))) == 8
