"""PINs and the teacher's password: hashed with a salt, checked in constant time, wrong tries
counted in the database so that a reload or a second server does not reset them."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from learn.errors import LearnError
from learn.quiz import auth
from learn.quiz.auth import MAX_TRIES, Auth, LimitRow, PinRow, check_new_pin, hash_pin, lock_seconds, verify_pin
from learn.quiz.store import Store

T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    """A fresh database, on SQLite and on PostgreSQL (conftest's db_url)."""
    store = Store(db_url)
    yield store
    store.close()


def test_a_pin_is_kept_only_as_a_salted_scrypt_hash(store: Store) -> None:
    ann, bob = store.learner("Ann"), store.learner("Bob")
    keeper = Auth(store.engine)
    keeper.set_pin(ann, "4711")
    keeper.set_pin(bob, "4711")
    with Session(store.engine) as s:
        stored = {i: h for i, h in s.execute(select(PinRow.learner_id, PinRow.pin_hash))}
    assert "4711" not in stored[ann] and stored[ann].startswith("scrypt$")
    assert stored[ann] != stored[bob]  # a salt per profile
    assert verify_pin("4711", stored[ann]) and not verify_pin("4712", stored[ann])
    assert not verify_pin("4711", "plain") and not verify_pin("4711", "md5$1$1$1$00$00")
    salt = bytes(16)
    assert hash_pin("4711", salt) == hash_pin("4711", salt) != hash_pin("4711")


def test_a_profile_gets_its_pin_once_unless_the_teacher_resets_it(store: Store) -> None:
    ann = store.learner("Ann")
    keeper = Auth(store.engine)
    assert not keeper.has_pin(ann)
    assert not keeper.sign_in(ann, "1234").ok and "no PIN" in keeper.sign_in(ann, "1234").message
    keeper.set_pin(ann, "1234")
    with pytest.raises(LearnError, match="already has a PIN"):
        keeper.set_pin(ann, "9999")  # nobody takes over a profile by "creating" it
    assert keeper.sign_in(ann, "1234", T0).ok
    keeper.set_pin(ann, "9999", replace=True)
    assert not keeper.sign_in(ann, "1234", T0).ok and keeper.sign_in(ann, "9999", T0).ok


def test_wrong_pins_lock_the_profile_for_longer_each_time(store: Store) -> None:
    ann, bob = store.learner("Ann"), store.learner("Bob")
    keeper = Auth(store.engine)
    keeper.set_pin(ann, "1234")
    keeper.set_pin(bob, "5678")
    for n in range(1, MAX_TRIES):
        attempt = keeper.sign_in(ann, "0000", T0)
        assert not attempt.ok and f"{MAX_TRIES - n} tr" in attempt.message
    locked = keeper.sign_in(ann, "0000", T0)
    assert not locked.ok and locked.wait == lock_seconds(1) and "wait" in locked.message
    # while locked even the right PIN is refused, and it is not tried at all
    assert not keeper.sign_in(ann, "1234", T0 + timedelta(seconds=1)).ok
    assert keeper.sign_in(bob, "5678", T0).ok  # the lock is per learner
    # the count lives in the database: a new Auth (a reload, another server) sees the same lock
    second = Store(store.url)
    again = Auth(second.engine)
    assert not again.sign_in(ann, "1234", T0 + timedelta(seconds=2)).ok
    later = T0 + timedelta(seconds=lock_seconds(1) + 1)
    for _ in range(MAX_TRIES):
        attempt = again.sign_in(ann, "0000", later)
    assert attempt.wait == lock_seconds(2) == 2 * lock_seconds(1)  # the second lock lasts twice as long
    after = later + timedelta(seconds=lock_seconds(2) + 1)
    assert again.sign_in(ann, "1234", after).ok
    assert "4 tries left" in again.sign_in(ann, "0000", after).message  # a success starts the count anew
    second.close()


def test_lock_lengths_grow_and_are_capped() -> None:
    assert [lock_seconds(n) for n in (1, 2, 3)] == [30, 60, 120]
    assert lock_seconds(50) == auth.MAX_LOCK_SECONDS


def test_teacher_password_from_the_environment_rate_limited(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    keeper = Auth(store.engine)
    monkeypatch.delenv(auth.TEACHER_ENV, raising=False)
    assert "set LEARN_TEACHER_PASSWORD" in keeper.teacher_sign_in("").message
    monkeypatch.setenv(auth.TEACHER_ENV, "correct horse")
    assert keeper.teacher_sign_in("correct horse", T0).ok
    for _ in range(MAX_TRIES):
        assert not keeper.teacher_sign_in("correct", T0).ok
    assert not keeper.teacher_sign_in("correct horse", T0).ok  # locked
    assert auth.same_secret("a", "a") and not auth.same_secret("a", "ab")


def test_new_pins_are_checked() -> None:
    check_new_pin("2468", "2468")
    for pin, again, why in [("12", "12", "at least"), ("1" * 65, "1" * 65, "at most"), ("1234", "1243", "differ")]:
        with pytest.raises(LearnError, match=why):
            check_new_pin(pin, again)


def test_class_mode_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    for value, on in [("1", True), ("yes", True), ("TRUE", True), ("0", False), ("", False)]:
        monkeypatch.setenv(auth.CLASS_ENV, value)
        assert auth.class_mode() is on


def test_wrong_pins_at_the_same_moment_are_each_counted(store: Store) -> None:
    from concurrent.futures import ThreadPoolExecutor

    ann = store.learner("Ann")
    keeper = Auth(store.engine)
    keeper.set_pin(ann, "1234")
    keeper.sign_in(ann, "1234", T0)  # the counter row exists before the rush
    tries = 2 * MAX_TRIES
    with ThreadPoolExecutor(max_workers=tries) as pool:
        results = list(pool.map(lambda _i: keeper.sign_in(ann, "0000", T0), range(tries)))
    assert sum(r.message.startswith("Wrong.") for r in results) == MAX_TRIES - 1
    assert sum(r.message.startswith("Too many") for r in results) == tries - MAX_TRIES + 1
    with Session(store.engine) as s:
        limit = s.get(LimitRow, f"learner:{ann}")
        assert limit is not None and (limit.locks, limit.misses) == (1, 0)  # one lock, set once
    assert not keeper.sign_in(ann, "1234", T0).ok


def test_class_tables_are_created_once_when_servers_start_together(db_url: str) -> None:
    """Servers whose first visitors arrive at the same moment create the PIN and class tables
    under the database's lock (plain CREATE TABLE raced: duplicate-table errors on PostgreSQL)."""
    import threading

    from sqlalchemy import create_engine

    from learn.quiz.auth import Auth
    from learn.quiz.teacher import Classroom

    engines = [create_engine(db_url) for _ in range(6)]
    barrier, errors = threading.Barrier(len(engines)), []

    def start(engine) -> None:  # type: ignore[no-untyped-def]
        barrier.wait()
        try:
            Auth(engine), Classroom(engine)
        except Exception as err:  # noqa: BLE001 - the test reports any failure
            errors.append(err)

    threads = [threading.Thread(target=start, args=(e,)) for e in engines]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    for e in engines:
        e.dispose()
    assert not errors
