"""Progress storage: survives a restart (a new engine on the same database), keeps learners apart."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from fsrs import Rating
from quiz_entries import ENTRIES

from learn.errors import LearnError
from learn.quiz import scheduler
from learn.quiz.practice import Practice
from learn.quiz.store import Store, default_url

T0 = datetime(2026, 3, 1, 9, 0, tzinfo=timezone.utc)


@pytest.fixture
def url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'progress.sqlite3'}"


def answer(store: Store, learner: int, mode: str, right: bool, when: datetime) -> str:
    practice = Practice(ENTRIES, store, learner, mode, seed=1)
    question = practice.next_question(when)
    assert question is not None
    outcome = practice.check(question, question.answer if right else "wrong", 4.0)
    practice.record(question, outcome, outcome.suggested, answer="typed", when=when)
    return question.key


def test_progress_survives_a_restart(url: str) -> None:
    first = Store(url)
    ann = first.learner("Ann")
    key = answer(first, ann, "meaning", True, T0)
    due_before = first.cards(ann)[(key, "meaning")].due
    first.close()
    second = Store(url)                                   # a new engine on the same file
    assert second.learners() == ["Ann"] and second.learner("Ann") == ann
    card = second.cards(ann)[(key, "meaning")]
    assert card.due == due_before and card.due > T0 and card.reps == 1 and card.lapses == 0
    [review] = second.reviews(ann)
    assert (review.key, review.mode, review.correct, review.rating, review.answer) == (
        key, "meaning", True, int(Rating.Easy), "typed")
    assert review.reviewed_at == T0 and review.reviewed_at.tzinfo is not None
    assert review.simplified == "新质生产力" and review.meaning == "new quality productive forces"
    # after the restart the scheduler goes on from the stored card, not from a new one
    practice = Practice(ENTRIES, second, ann, "meaning", seed=1)
    assert practice.next_question(T0 + timedelta(minutes=1)).key != key
    second.close()


def test_two_learners_never_see_each_others_progress(url: str) -> None:
    store = Store(url)
    ann, bob = store.learner("Ann"), store.learner("Bob")
    assert ann != bob
    answer(store, ann, "meaning", False, T0)
    answer(store, ann, "pinyin", True, T0)
    assert len(store.reviews(ann)) == 2 and store.reviews(bob) == []
    assert store.cards(bob) == {}
    answer(store, bob, "meaning", True, T0)
    [bobs] = store.reviews(bob)
    assert bobs.correct and len(store.cards(ann)) == 2 and len(store.cards(bob)) == 1
    # Bob starts at the first word although Ann already practised it
    assert Practice(ENTRIES, store, bob, "pinyin", seed=1).next_question(T0).key == ENTRIES[0].key


def test_profile_names() -> None:
    store = Store("sqlite://")
    assert store.learner("  Ann   Lee ") == store.learner("Ann Lee")
    assert store.learners() == ["Ann Lee"]
    with pytest.raises(LearnError):
        store.learner("   ")
    with pytest.raises(LearnError):
        store.learner("x" * 61)


def test_wrong_answers_count_as_lapses(url: str) -> None:
    store = Store(url)
    ann = store.learner("Ann")
    key = answer(store, ann, "meaning", False, T0)
    card = store.card(ann, key, "meaning")
    assert card and card.lapses == 1 and card.due < T0 + timedelta(hours=1)
    assert store.reviews(ann)[0].rating == int(Rating.Again)


def test_default_url_and_env_override(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("LEARN_DB_URL", "sqlite:///elsewhere.db")
    assert default_url() == "sqlite:///elsewhere.db"
    monkeypatch.delenv("LEARN_DB_URL")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    assert default_url() == f"sqlite:///{tmp_path / 'learn' / 'progress.sqlite3'}"
    assert (tmp_path / "learn").is_dir()


@pytest.mark.parametrize("bad", ["nonsense://x", "postgresql+nodriver://u:secret@h/db", "sqlite:////no/such/dir/x.db"])
def test_bad_database_url_is_one_clear_error(bad: str) -> None:
    with pytest.raises(LearnError) as err:
        Store(bad)
    assert "progress database" in str(err.value) and "secret" not in str(err.value)
    assert "\n" not in str(err.value)


def test_times_are_utc(url: str) -> None:
    store = Store(url)
    ann = store.learner("Ann")
    local = datetime(2026, 3, 1, 18, 0, tzinfo=timezone(timedelta(hours=8)))
    answer(store, ann, "meaning", True, local)
    assert store.reviews(ann)[0].reviewed_at == datetime(2026, 3, 1, 10, 0, tzinfo=timezone.utc)
    with pytest.raises(Exception):
        store.record(ann, ENTRIES[0], "meaning", scheduler.new_card("k", "meaning", T0), correct=True,
                     elapsed=1.0, rating=3, answer="", when=datetime(2026, 3, 1))


def test_schema_compiles_for_postgresql() -> None:
    """A class server runs PostgreSQL (LEARN_DB_URL=postgresql+psycopg://…): the tables must be valid there."""
    from sqlalchemy.dialects import postgresql
    from sqlalchemy.schema import CreateTable

    from learn.quiz.store import Base

    ddl = "\n".join(str(CreateTable(t).compile(dialect=postgresql.dialect())) for t in Base.metadata.sorted_tables)
    assert "CREATE TABLE cards" in ddl and "UNIQUE (learner_id, key, mode)" in ddl and "BOOLEAN" in ddl
