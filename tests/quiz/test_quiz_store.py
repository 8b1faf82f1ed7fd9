"""Progress storage: survives a restart (a new engine on the same database), keeps learners apart,
and stays right when many sessions and several servers write at once — on SQLite and PostgreSQL
(the `db_url` fixture of conftest.py runs each test on both)."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from fsrs import Rating
from quiz_entries import ENTRIES
from sqlalchemy import create_engine, func, select
from sqlalchemy.exc import OperationalError

from learn.errors import LearnError
from learn.quiz import scheduler
from learn.quiz import store as store_module
from learn.quiz.practice import Practice
from learn.quiz.store import CardRow, LearnerRow, ReviewRow, Store, WordRow, default_url

T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


@pytest.fixture
def url(db_url: str) -> str:
    return db_url


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
    second = Store(url)  # a new engine on the same file
    assert second.learners() == ["Ann"] and second.learner("Ann") == ann
    card = second.cards(ann)[(key, "meaning")]
    assert card.due == due_before and card.due > T0 and card.reps == 1 and card.lapses == 0
    [review] = second.reviews(ann)
    assert (review.key, review.mode, review.correct, review.rating, review.answer) == (
        key,
        "meaning",
        True,
        int(Rating.Easy),
        "typed",
    )
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
    with pytest.raises(LearnError, match="at most 60 characters; this one has 61"):
        store.learner("x" * 61)
    with pytest.raises(LearnError, match="at most 60 characters; this one has 75"):
        store.create_learner("y" * 75)
    assert store.find_learner("Ann  Lee") == store.learner("Ann Lee") and store.find_learner("Bo") is None
    with pytest.raises(LearnError, match="exists already"):
        store.create_learner(" Ann Lee")


def test_two_servers_creating_one_name_at_once_make_one_profile(url: str) -> None:
    """Issue 23: two people created "Wes" at the same moment on two servers and both landed in one
    profile. The database's unique constraint now refuses the second, which is told so."""
    servers = [Store(url) for _ in range(2)]
    servers[0].learners()  # the tables exist before the race
    barrier = threading.Barrier(len(servers))
    made, refused = [], []

    def create(store: Store) -> None:
        barrier.wait()
        try:
            made.append(store.create_learner("Wes"))
        except LearnError as err:
            refused.append(str(err))

    for _round in range(5):
        made.clear(), refused.clear()
        threads = [threading.Thread(target=create, args=(s,)) for s in servers]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=60)
        assert len(made) == 1 and refused == [
            "a profile called Wes exists already: choose it in the list, or pick another name"
        ]
        assert servers[1].learners() == ["Wes"]
        with servers[0].engine.begin() as conn:  # next round on an empty table again
            conn.execute(LearnerRow.__table__.delete())
    for store in servers:
        store.close()


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
    assert store.reviews(ann)[0].reviewed_at == datetime(2026, 3, 1, 10, 0, tzinfo=UTC)
    with pytest.raises(ValueError, match="naive datetime"):
        store.record(
            ann,
            ENTRIES[0],
            "meaning",
            scheduler.new_card("k", "meaning", T0),
            correct=True,
            elapsed=1.0,
            rating=3,
            answer="",
            when=datetime(2026, 3, 1),
        )


def test_schema_compiles_for_postgresql() -> None:
    """A class server runs PostgreSQL (LEARN_DB_URL=postgresql+psycopg://…): the tables must be valid there."""
    from sqlalchemy.dialects import postgresql
    from sqlalchemy.schema import CreateTable

    from learn.quiz.store import Base

    ddl = "\n".join(str(CreateTable(t).compile(dialect=postgresql.dialect())) for t in Base.metadata.sorted_tables)
    assert "CREATE TABLE cards" in ddl and "UNIQUE (learner_id, key, mode)" in ddl and "BOOLEAN" in ddl


def count(store: Store, table) -> int:  # type: ignore[no-untyped-def]
    with store.engine.connect() as conn:
        return conn.scalar(select(func.count()).select_from(table))


def at_once(n: int, work) -> list:  # type: ignore[no-untyped-def]
    """Run work(i) in n threads released together, so they really race."""
    gate = threading.Barrier(n)

    def run(i: int):  # type: ignore[no-untyped-def]
        gate.wait(timeout=30)
        return work(i)

    with ThreadPoolExecutor(n) as pool:
        return list(pool.map(run, range(n)))


def test_a_profile_created_by_many_sessions_at_once_is_one_profile(url: str) -> None:
    stores = [Store(url), Store(url)]  # two servers on one database
    ids = at_once(16, lambda i: stores[i % 2].learner("Ann"))
    assert len(set(ids)) == 1 and count(stores[0], LearnerRow) == 1


def test_learners_answering_the_same_new_word_at_once_lose_nothing(url: str) -> None:
    stores = [Store(url), Store(url)]
    learners = [stores[0].learner(f"learner {i}") for i in range(12)]
    entry = ENTRIES[0]

    def first_answer(i: int) -> None:
        card = scheduler.review(scheduler.new_card(entry.key, "meaning", T0), Rating.Good, T0)
        stores[i % 2].record(
            learners[i], entry, "meaning", card, correct=True, elapsed=2.0, rating=3, answer="", when=T0
        )

    at_once(len(learners), first_answer)
    store = stores[0]
    assert count(store, ReviewRow) == len(learners) and count(store, CardRow) == len(learners)
    assert count(store, WordRow) == 1
    assert all(len(store.reviews(i)) == 1 and store.card(i, entry.key, "meaning").reps == 1 for i in learners)


def test_one_learner_saving_the_same_card_at_once_counts_every_review(url: str) -> None:
    store = Store(url)
    ann = store.learner("Ann")
    card = scheduler.new_card(ENTRIES[1].key, "pinyin", T0)
    at_once(
        10,
        lambda i: store.record(
            ann, ENTRIES[1], "pinyin", card, correct=i % 2 == 0, elapsed=1.0, rating=3, answer=str(i), when=T0
        ),
    )
    stored = store.card(ann, ENTRIES[1].key, "pinyin")
    assert stored and (stored.reps, stored.lapses) == (10, 5) and len(store.reviews(ann)) == 10


def test_a_retried_save_is_stored_once(url: str) -> None:
    store = Store(url)
    ann = store.learner("Ann")
    card = scheduler.new_card(ENTRIES[0].key, "meaning", T0)
    for _ in range(2):  # the caller lost the first reply and saves again with the same token
        store.record(
            ann, ENTRIES[0], "meaning", card, correct=False, elapsed=1.0, rating=1, answer="", when=T0, token="answer-1"
        )
    stored = store.card(ann, ENTRIES[0].key, "meaning")
    assert len(store.reviews(ann)) == 1 and stored and (stored.reps, stored.lapses) == (1, 1)


def test_a_dropped_connection_is_retried_and_saves_once(url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    store = Store(url)
    ann = store.learner("Ann")
    real, calls = store_module._save, []

    def flaky(conn, review, saved, word):  # type: ignore[no-untyped-def]
        calls.append(1)
        if len(calls) == 1:
            raise OperationalError("INSERT", {}, Exception("server closed the connection unexpectedly"))
        real(conn, review, saved, word)

    monkeypatch.setattr(store_module, "_save", flaky)
    answer(store, ann, "meaning", True, T0)
    assert len(calls) == 2 and len(store.reviews(ann)) == 1


def test_a_save_that_keeps_failing_is_one_clear_error(url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    store = Store(url)
    ann = store.learner("Ann")

    def down(*_args):  # type: ignore[no-untyped-def]
        raise OperationalError("INSERT", {}, Exception("could not connect to server\nDETAIL: more"))

    monkeypatch.setattr(store_module, "_save", down)
    monkeypatch.setattr(store_module, "RETRIES", (0.0,))
    with pytest.raises(LearnError) as err:
        answer(store, ann, "meaning", True, T0)
    assert str(err.value) == "could not save the answer: could not connect to server"


def test_servers_starting_at_once_on_an_empty_database_all_open_it(url: str) -> None:
    stores = at_once(6, lambda i: Store(url))
    assert all(s.learners() == [] for s in stores)
    for s in stores:
        s.close()


def test_a_database_from_before_review_tokens_is_upgraded(url: str) -> None:
    first = Store(url)
    ann = first.learner("Ann")
    answer(first, ann, "meaning", True, T0)
    with first.engine.begin() as conn:  # back to the reviews table of the first release
        conn.exec_driver_sql("DROP INDEX ix_reviews_token")
        conn.exec_driver_sql("ALTER TABLE reviews DROP COLUMN token")
    first.close()
    store = Store(url)
    assert len(store.reviews(ann)) == 1
    answer(store, ann, "pinyin", True, T0)
    assert len(store.reviews(ann)) == 2
    with store.engine.connect() as conn:
        assert conn.scalar(select(func.count()).where(ReviewRow.token.is_not(None))) == 1


def test_connections_the_database_dropped_are_replaced_without_an_error(pg_url: str) -> None:
    """A PostgreSQL restart (or an idle timeout) closes the pooled connections; the next read and
    the next save must simply reconnect — the store does not ping before every use."""
    tagged = f"{pg_url}&application_name=dropped_test"
    store = Store(tagged)
    ann = store.learner("Ann")
    answer(store, ann, "meaning", True, T0)
    admin = create_engine(pg_url)
    with admin.begin() as conn:
        dropped = conn.exec_driver_sql(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = 'dropped_test'"
        ).scalar()
    admin.dispose()
    assert dropped >= 1
    assert len(store.reviews(ann)) == 1  # a read on a dead connection
    answer(store, ann, "pinyin", True, T0)  # and a save
    assert len(store.reviews(ann)) == 2


def test_an_error_a_retry_cannot_mend_is_reported_at_once(url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    store = Store(url)
    ann = store.learner("Ann")
    calls = []

    def broken(*_args):  # type: ignore[no-untyped-def]
        calls.append(1)
        raise OperationalError("INSERT", {}, Exception("no such table: reviews"))

    monkeypatch.setattr(store_module, "_save", broken)
    with pytest.raises(LearnError, match="could not save the answer: no such table: reviews"):
        answer(store, ann, "meaning", True, T0)
    assert len(calls) == 1
