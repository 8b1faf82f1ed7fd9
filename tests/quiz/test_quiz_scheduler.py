"""Scheduling: grades suggested from correctness and speed, FSRS intervals, and the question order."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from fsrs import Rating
from quiz_entries import ENTRIES

from learn.quiz import scheduler
from learn.quiz.practice import Practice
from learn.quiz.questions import MODES, REVIEW
from learn.quiz.store import Store

T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    "correct, seconds, typed, rating",
    [
        (False, 1.0, False, Rating.Again),
        (False, 60.0, True, Rating.Again),
        (True, 2.0, False, Rating.Easy),
        (True, 9.0, False, Rating.Good),
        (True, 40.0, False, Rating.Hard),
        (True, 9.0, True, Rating.Easy),
        (True, 25.0, True, Rating.Good),
        (True, 45.0, True, Rating.Hard),
    ],
)
def test_suggested_grade(correct: bool, seconds: float, typed: bool, rating: Rating) -> None:
    assert scheduler.suggest(correct, seconds, typed) == rating


def test_better_grades_come_back_later() -> None:
    dues = {}
    for rating in Rating:
        card = scheduler.new_card("绿色|lv4 se4", "meaning", T0)
        card = scheduler.review(card, Rating.Good, T0)  # first sight
        later = T0 + timedelta(days=1)
        dues[rating] = scheduler.review(card, rating, later).due
    assert dues[Rating.Again] < dues[Rating.Hard] < dues[Rating.Good] < dues[Rating.Easy]
    assert (
        scheduler.card_id("a|b", "meaning") == scheduler.card_id("a|b", "meaning") != scheduler.card_id("a|b", "pinyin")
    )


def play(practice: Practice, when: datetime, right: bool = True, rating: Rating | None = None) -> tuple[str, str]:
    question = practice.next_question(when)
    assert question is not None
    outcome = practice.check(question, question.answer if right else "nope", 3.0)
    practice.record(question, outcome, rating or outcome.suggested, when=when)
    return question.key, question.mode


@pytest.fixture
def store() -> Store:
    return Store("sqlite://")


def test_new_words_in_rank_order_then_due_cards_first(store: Store) -> None:
    ann = store.learner("Ann")
    practice = Practice(ENTRIES[:4], store, ann, "meaning", seed=0)
    first = [play(practice, T0, right=(i != 1))[0] for i in range(4)]
    assert first == [e.key for e in ENTRIES[:4]] and practice.why == "new"  # all new: best-ranked first
    # ten minutes later the word answered wrong (Again) is due and comes before anything else
    assert play(practice, T0 + timedelta(minutes=15))[0] == ENTRIES[1].key and practice.why == "due"


def test_nothing_due_means_practising_ahead(store: Store) -> None:
    ann = store.learner("Ann")
    practice = Practice(ENTRIES[:2], store, ann, "pinyin", seed=0)
    play(practice, T0, rating=Rating.Good)
    play(practice, T0, rating=Rating.Easy)
    question = practice.next_question(T0)
    soonest = min(store.cards(ann, "pinyin").values(), key=lambda c: c.due)
    assert question is not None and question.key == soonest.key and practice.why == "ahead"


def test_the_word_just_asked_is_not_asked_again_at_once(store: Store) -> None:
    ann = store.learner("Ann")
    practice = Practice(ENTRIES[:3], store, ann, "meaning", seed=0)
    previous = ""
    for minute in range(0, 60, 3):
        key, _mode = play(practice, T0 + timedelta(minutes=minute), right=False)
        assert key != previous
        previous = key


def test_review_mode_mixes_modes_in_the_schedulers_order(store: Store) -> None:
    ann = store.learner("Ann")
    practice = Practice(ENTRIES, store, ann, REVIEW, seed=0)
    asked = [play(practice, T0) for _ in range(14)]
    assert asked[0] == (ENTRIES[0].key, "meaning")  # a new word starts with its meaning
    assert {m for _k, m in asked} == set(MODES)  # every mode turns up
    assert len(set(asked)) == len(asked)
    # a card answered wrong comes back first once it is due (after one other word), whatever its mode
    wrong_key, wrong_mode = play(practice, T0, right=False)
    assert play(practice, T0 + timedelta(minutes=30))[0] != wrong_key
    assert play(practice, T0 + timedelta(minutes=31)) == (wrong_key, wrong_mode)


def test_a_mode_no_entry_fits_asks_nothing(store: Store) -> None:
    ann = store.learner("Ann")
    assert Practice(ENTRIES[-1:], store, ann, "script").next_question(T0) is None
    with pytest.raises(ValueError):
        Practice(ENTRIES, store, ann, "dictation")
